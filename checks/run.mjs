// Publishing-quality checks of built smarketing sites, run in CI:
//  1. every HTML page passes the W3C Nu HTML checker (vnu-jar) with zero errors;
//  2. zero axe-core violations at WCAG 2.1 AA on every page, in light and dark mode, in
//     headless Chromium (Debian's /usr/bin/chromium driven by playwright-core);
//  3. no page requests anything from another host while it loads.
// Printing is checked by print.mjs, phones by phone.mjs and chart-text.mjs.
//
//     node checks/run.mjs SITE_DIR...
import { walk, serve, launch } from "./site.mjs";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, relative, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const sites = process.argv.slice(2);
if (sites.length === 0) {
  console.error("usage: node checks/run.mjs SITE_DIR...");
  process.exit(2);
}

let failures = 0;
function fail(msg) {
  failures++;
  console.error("FAIL " + msg);
}

// 1. HTML validity.
const vnu = join(here, "node_modules", "vnu-jar", "build", "dist", "vnu.jar");
for (const site of sites) {
  const pages = walk(site).filter((p) => p.endsWith(".html"));
  let out = "";
  try {
    out = execFileSync("java", ["-jar", vnu, "--errors-only", "--format", "json", ...pages], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 28 });
  } catch (e) {
    out = (e.stdout || "") + (e.stderr || "");
  }
  const text = out.trim();
  const messages = text ? JSON.parse(text.slice(text.indexOf("{"))).messages : [];
  for (const m of messages.filter((m) => m.type === "error")) {
    fail(`html ${relative(site, new URL(m.url).pathname)}:${m.lastLine}: ${m.message}`);
  }
  console.log(`vnu: ${pages.length} pages of ${site}: ${messages.filter((m) => m.type === "error").length} errors`);
}

// 2-3. Accessibility, no foreign requests.
const axeSource = readFileSync(join(here, "node_modules", "axe-core", "axe.min.js"), "utf8");
const browser = await launch();
try {
  for (const site of sites) {
    const server = await serve(site);
    const base = `http://127.0.0.1:${server.address().port}/`;
    const pages = walk(site).filter((p) => p.endsWith(".html")).map((p) => relative(site, p)).sort();
    for (const scheme of ["light", "dark"]) {
      const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      page.on("request", (r) => {
        if (!r.url().startsWith(base) && !r.url().startsWith("data:")) fail(`${scheme}: a page requested ${r.url()}`);
      });
      for (const p of pages) {
        await page.goto(base + p, { waitUntil: "load" });
        await page.addScriptTag({ content: axeSource });
        const result = await page.evaluate(async () => await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
        for (const v of result.violations) {
          fail(`axe ${scheme} ${p}: ${v.id} (${v.impact}): ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
        }
      }
      console.log(`axe ${scheme}: ${pages.length} pages of ${site} checked`);
      await context.close();
    }
    server.close();
  }
} finally {
  await browser.close();
}
if (failures) {
  console.error(`${failures} problems`);
  process.exit(1);
}
console.log("publishing checks: 0 problems");
