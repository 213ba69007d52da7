// Publishing-quality checks of built smarketing sites, run in CI:
//  1. every HTML page passes the W3C Nu HTML checker (vnu-jar) with zero errors;
//  2. zero axe-core violations at WCAG 2.1 AA on every page, in light and dark mode, in
//     headless Chromium (Debian's /usr/bin/chromium driven by playwright-core);
//  3. no page requests anything from another host while it loads;
//  4. the latest monthly report prints to PDF (A4 and Letter) with --pdf DIR, and its first A4
//     page holds everything down to the funnel's figures.
//
//     node checks/run.mjs [--pdf DIR] SITE_DIR...
import { chromium } from "playwright-core";
import { walk, serve } from "./site.mjs";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, existsSync, mkdirSync } from "node:fs";
import { join, relative, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
let pdfDir = null;
const sites = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--pdf") pdfDir = args[++i];
  else sites.push(args[i]);
}
if (sites.length === 0) {
  console.error("usage: node checks/run.mjs [--pdf DIR] SITE_DIR...");
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

// 2-4. Accessibility, no foreign requests, print.
const axeSource = readFileSync(join(here, "node_modules", "axe-core", "axe.min.js"), "utf8");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  for (const site of sites) {
    const server = await serve(site);
    const base = `http://127.0.0.1:${server.address().port}/`;
    const reports = existsSync(join(site, "reports")) ? readdirSync(join(site, "reports")).sort() : [];
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
    // Print the latest report that has funnel numbers (so charts and tables are in it).
    const withFunnel = reports.filter((m) => {
      const data = join(site, "data", `${m}.json`);
      return existsSync(data) && Object.keys(JSON.parse(readFileSync(data, "utf8")).stages).length > 0;
    });
    const printed = withFunnel[withFunnel.length - 1];
    if (pdfDir && printed) {
      mkdirSync(pdfDir, { recursive: true });
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${base}reports/${printed}/index.html`, { waitUntil: "load" });
      // The first A4 page is full: laid out at the width of an A4 page's print area, the
      // report down to the funnel's figures fits its height (297 mm less the 10 + 8 mm page
      // margins and the 8 mm kept for the footer; 188 mm wide after 11 + 11 mm).
      await page.setViewportSize({ width: Math.round((188 * 96) / 25.4), height: 1000 });
      await page.emulateMedia({ media: "print" });
      const bottom = await page.evaluate(() => {
        const grid = document.querySelector("#funnel .funnel-grid");
        return grid ? (grid.getBoundingClientRect().bottom * 25.4) / 96 : null;
      });
      if (bottom !== null && bottom > 271) {
        fail(`print ${printed}: the funnel ends ${bottom.toFixed(0)} mm down, past the first A4 page (271 mm)`);
      }
      await page.emulateMedia({ media: null });
      for (const format of ["A4", "Letter"]) {
        const path = join(pdfDir, `report-${printed}-${format}.pdf`);
        await page.pdf({ path, format, printBackground: true, margin: { top: "12mm", bottom: "12mm", left: "10mm", right: "10mm" } });
        console.log(`pdf: ${path}`);
      }
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
