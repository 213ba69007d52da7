// Tables on a phone: every page of each site, 390 px wide in headless Chromium, with every
// <details> opened (a table behind "The numbers behind these charts" is read too):
//  1. nothing scrolls sideways: neither the page nor any box in it (a wide table becomes one
//     block per row instead of hiding figures behind a scroll edge);
//  2. every figure keeps its label: in a table shown as blocks, each cell with a figure
//     (class n or num) names itself ("Won 12", through its ::before text), as a bare "12" in
//     a block means nothing;
//  3. no blank header band: a table header that is shown is at most two lines tall (a long
//     column name wrapped into a narrow column left a tall band of blank header above the
//     rows).
//
//     node checks/phone.mjs [--width N] SITE_DIR...
import { walk, serve, launch } from "./site.mjs";
import { relative } from "node:path";

const args = process.argv.slice(2);
let width = 390;
const sites = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--width") width = Number(args[++i]);
  else sites.push(args[i]);
}
if (sites.length === 0) {
  console.error("usage: node checks/phone.mjs [--width N] SITE_DIR...");
  process.exit(2);
}

let failures = 0;
const browser = await launch();
try {
  for (const site of sites) {
    const server = await serve(site);
    const base = `http://127.0.0.1:${server.address().port}/`;
    const pages = walk(site).filter((p) => p.endsWith(".html")).map((p) => relative(site, p)).sort();
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    let tables = 0;
    for (const p of pages) {
      await page.goto(base + p, { waitUntil: "load" });
      const found = await page.evaluate(() => {
        for (const d of document.querySelectorAll("details")) d.open = true;
        const problems = [];
        const name = (el) => {
          const t = el.closest("table");
          const label = t?.querySelector("caption")?.textContent || el.getAttribute("aria-label") || t?.closest("section")?.querySelector("h2, h3")?.textContent || "";
          return `${t ? "table" : el.tagName.toLowerCase()}${t?.className ? "." + t.className.split(" ").join(".") : ""} "${label.trim().replace(/\s+/g, " ").slice(0, 50)}"`;
        };
        const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
        // Visually hidden (kept for screen readers): clipped to a pixel.
        const hidden = (el) => {
          for (let e = el; e && e !== document.body; e = e.parentElement) {
            const cs = getComputedStyle(e);
            if (cs.clip !== "auto" && cs.position === "absolute") return true;
          }
          return false;
        };
        const docWidth = document.documentElement.scrollWidth;
        if (docWidth > innerWidth + 1) {
          const widest = [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > innerWidth + 1 && !hidden(e)).map((e) => e.tagName.toLowerCase() + (e.className ? "." + e.className : ""));
          problems.push(`the page scrolls sideways (${docWidth} px wide): ${widest.slice(0, 3).join(", ")}`);
        }
        for (const el of document.querySelectorAll("body *")) {
          const cs = getComputedStyle(el);
          if ((cs.overflowX === "auto" || cs.overflowX === "scroll") && el.scrollWidth > el.clientWidth + 1 && shown(el)) {
            problems.push(`${name(el.querySelector("table") || el)} scrolls sideways: ${el.scrollWidth} px in ${el.clientWidth}`);
          }
        }
        let tables = 0;
        for (const table of document.querySelectorAll("table")) {
          if (!shown(table)) continue;
          tables++;
          for (const tr of table.querySelectorAll("tbody tr")) {
            if (getComputedStyle(tr).display === "table-row") continue;
            for (const td of tr.querySelectorAll("td")) {
              if (!shown(td) || !td.textContent.trim() || !(td.matches(".n, .num") || td.querySelector(".num"))) continue;
              const before = getComputedStyle(td, "::before").content;
              if (!before || before === "none" || before === "normal" || before === '""') {
                problems.push(`${name(table)}: "${td.textContent.trim().slice(0, 30)}" stands in a block without its label`);
              }
            }
          }
          for (const tr of table.querySelectorAll("thead tr")) {
            if (!shown(tr) || hidden(tr)) continue;
            const th = tr.querySelector("th");
            if (!th) continue;
            const cs = getComputedStyle(th);
            const line = parseFloat(cs.lineHeight) || parseFloat(cs.fontSize) * 1.2;
            const most = 2 * line + parseFloat(cs.paddingTop) + parseFloat(cs.paddingBottom) + parseFloat(cs.borderBottomWidth) + 2;
            const h = tr.getBoundingClientRect().height;
            if (h > most) problems.push(`${name(table)}: its header is ${h.toFixed(0)} px tall, more than two lines (${most.toFixed(0)} px)`);
          }
        }
        return { problems, tables };
      });
      tables += found.tables;
      for (const msg of new Set(found.problems)) {
        failures++;
        console.error(`FAIL ${p} at ${width} px: ${msg}`);
      }
    }
    console.log(`phone: ${tables} tables on ${pages.length} pages of ${site} at ${width} px`);
    await context.close();
    server.close();
  }
} finally {
  await browser.close();
}
if (failures) {
  console.error(`${failures} phone table problems`);
  process.exit(1);
}
console.log("phone checks: 0 problems");
