// The authoring loop in a real browser: `init`, `serve`, edit a meeting and see the open page
// reload by itself, break the file and see the error page, fix it and see the site again.
//
//     node checks/live.mjs PATH/TO/smarketing
import { launch } from "./site.mjs";
import { spawn, execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, readdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const bin = process.argv[2];
if (!bin) {
  console.error("usage: node checks/live.mjs PATH/TO/smarketing");
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), "smarketing-live-"));
const root = join(dir, "report");
execFileSync(bin, ["init", root, "--quiet"]);
const port = await new Promise((resolve) => {
  const s = createServer().listen(0, "127.0.0.1", () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const srv = spawn(bin, ["serve", "--root", root, "--port", String(port), "--quiet"], { stdio: ["ignore", "ignore", "inherit"] });
const browser = await launch();
let ok = false;
try {
  const page = await browser.newPage();
  const meeting = readdirSync(join(root, "content", "meetings")).find((n) => n.includes("pipeline"));
  const url = `http://127.0.0.1:${port}/meetings/${meeting.replace(/\.md$/, "")}/index.html`;
  for (let i = 0; i < 100; i++) {
    try {
      await page.goto(url);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const path = join(root, "content", "meetings", meeting);
  const text = readFileSync(path, "utf8");
  writeFileSync(path, text.replace("title: Pipeline review", "title: Pipeline review (edited)"));
  await page.waitForFunction(() => document.querySelector("h1")?.textContent.includes("(edited)"), null, { timeout: 15000 });
  console.log("live: the open page reloaded with the edit");
  writeFileSync(path, text.replace("date:", "datee:"));
  await page.waitForFunction(() => document.title.includes("Build failed"), null, { timeout: 15000 });
  const body = await page.textContent("body");
  if (!body.includes(`content/meetings/${meeting}:3:1`) || !body.includes("did you mean `date`?")) throw new Error("error page lacks file, line or hint: " + body);
  console.log("live: the error page names the file and line");
  writeFileSync(path, text);
  await page.waitForFunction(() => document.querySelector("h1")?.textContent === "Pipeline review", null, { timeout: 15000 });
  console.log("live: the site is back after the fix");
  ok = true;
} finally {
  await browser.close();
  srv.kill();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);
