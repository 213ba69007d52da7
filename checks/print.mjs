// Print is a designed artefact: the latest monthly report of each site, and the quarter page
// it belongs to, printed by headless Chromium to A4 and Letter PDF, then measured in the PDF:
//  1. every chart's text is at least 9 pt as printed (an SVG chart scales with its box, so its
//     text is only as large as the page lets the chart be);
//  2. no figure, table row, card or list entry is split by a page break;
//  3. no page but the last is more than a third empty;
//  4. text and charts use one font family (the PDF embeds no second family);
//  5. the report's first A4 page holds everything down to the funnel's figures.
//
//     node checks/print.mjs [--pdf DIR] SITE_DIR...
//
// How it measures, and why this way: sizes and pages are read from the PDFs themselves with
// pdfjs-dist (each text run's size in points and its page), not from the screen layout, so what
// is checked is what a reader gets on paper. Each page is printed twice with the same layout:
// the PDF kept in DIR, and a probe in which everything but the charts' text is hidden with
// `visibility` (which keeps every box where it was) and each block that must not be split
// carries a tiny start and end marker, positioned absolutely (so no box moves). In the probe,
// every text that is not a marker is chart text; a block is split when its two markers land on
// different pages. Page fill is the lowest text above the running footer, so a page ending in a
// drawing with no text under it reads emptier than it is: the check errs toward failing.
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { serve, launch } from "./site.mjs";
import { readFileSync, readdirSync, existsSync, mkdirSync, writeFileSync, mkdtempSync } from "node:fs";
import { join, basename } from "node:path";
import { tmpdir } from "node:os";

const args = process.argv.slice(2);
let pdfDir = null;
const sites = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--pdf") pdfDir = args[++i];
  else sites.push(args[i]);
}
if (sites.length === 0) {
  console.error("usage: node checks/print.mjs [--pdf DIR] SITE_DIR...");
  process.exit(2);
}
pdfDir ??= mkdtempSync(join(tmpdir(), "smarketing-print-"));
mkdirSync(pdfDir, { recursive: true });

/** Smallest chart text on paper, in points. */
const MIN_CHART_PT = 9;
/** The most of a page (other than the last) that may stay empty. */
const MAX_EMPTY = 1 / 3;
/** What a page break must never cut through. */
const WHOLE = "figure, tr, .card, .benefit, .checklist > li, .meeting-list > li";

let failures = 0;
function fail(msg) {
  failures++;
  console.error("FAIL " + msg);
}

/** Every text run of a PDF, by page: its text, size in points, baseline and font family. */
async function runs(data) {
  const doc = await getDocument({ data: new Uint8Array(data), verbosity: 0, useSystemFonts: false }).promise;
  const pages = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    // Loading the operator list loads the page's fonts, whose embedded names give the family.
    await page.getOperatorList();
    const content = await page.getTextContent();
    const items = content.items
      .filter((it) => it.str.trim())
      .map((it) => {
        const font = page.commonObjs.has(it.fontName) ? page.commonObjs.get(it.fontName).name || "" : "";
        return {
          text: it.str,
          pt: Math.hypot(it.transform[2], it.transform[3]),
          y: it.transform[5],
          // "AAAAAA+DejaVuSans-Bold" is the family DejaVuSans.
          family: font.replace(/^[A-Z]{6}\+/, "").replace(/[-,](Bold|Oblique|Italic|BoldOblique|BoldItalic|Regular|Book)$/i, ""),
        };
      });
    pages.push({ height: page.view[3] - page.view[1], items });
  }
  return pages;
}

/** Hides all but chart text and marks each block that must stay whole (see the top). */
async function probe(page) {
  return page.evaluate((whole) => {
    const style = document.createElement("style");
    style.id = "print-probe";
    style.textContent = `
      body * { visibility: hidden !important; }
      svg.chart-svg text, svg.chart-svg text * { visibility: visible !important; }
      [data-probe] { position: relative; }
      [data-probe]::before, [data-probe]::after { visibility: visible !important; position: absolute; left: 0;
        font: 2px/2px monospace; color: #000; white-space: nowrap; display: block; }
      [data-probe]::before { content: "zqs" attr(data-probe) "q"; top: 0; }
      [data-probe]::after { content: "zqe" attr(data-probe) "q"; bottom: 0; }`;
    document.head.append(style);
    const names = [];
    let i = 0;
    for (const el of document.querySelectorAll(whole)) {
      if (el.getClientRects().length === 0) continue;
      el.setAttribute("data-probe", String(i++));
      const what = el.matches("tr") ? "table row" : el.tagName.toLowerCase() === "figure" ? "figure" : "block";
      const text = (el.querySelector("figcaption, th, .card-label, .benefit-words, strong, a")?.textContent || el.textContent).trim().replace(/\s+/g, " ");
      names.push(`${what} "${text.slice(0, 50)}"`);
    }
    return names;
  }, WHOLE);
}

async function unprobe(page) {
  await page.evaluate(() => {
    document.getElementById("print-probe")?.remove();
    for (const el of document.querySelectorAll("[data-probe]")) el.removeAttribute("data-probe");
  });
}

/** Prints `url` to A4 and Letter and checks both PDFs; `name` names the files and messages. */
async function checkPrint(context, url, name, file) {
  const page = await context.newPage();
  await page.goto(url, { waitUntil: "load" });
  const footer = await page.evaluate(() => document.querySelector(".print-footer")?.textContent.replace(/\s+/g, " ").trim() || "");
  for (const format of ["A4", "Letter"]) {
    const path = join(pdfDir, `${file}-${format}.pdf`);
    const options = { format, printBackground: true, margin: { top: "12mm", bottom: "12mm", left: "10mm", right: "10mm" } };
    // 0. The page fits the paper's width: laid out as print lays it out (the width of the
    // paper less the 11 + 11 mm side margins of the theme's @page), nothing is wider; a wider
    // page is shrunk to fit by the printer, its text and charts with it.
    const printWidth = Math.floor((({ A4: 210, Letter: 215.9 })[format] - 22) * 96 / 25.4);
    await page.setViewportSize({ width: printWidth, height: 1000 });
    await page.emulateMedia({ media: "print" });
    const wide = await page.evaluate((w) => [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > w + 1 && el.getBoundingClientRect().width > 0)
      .map((el) => `${el.tagName.toLowerCase()}${el.className ? "." + el.className : ""} to ${el.getBoundingClientRect().right.toFixed(0)} px`)
      .slice(0, 3), printWidth);
    await page.emulateMedia({ media: null });
    if (wide.length) fail(`print ${name} ${format}: wider than the paper's ${printWidth} px, so it is printed shrunk: ${wide.join(", ")}`);
    const real = await page.pdf(options);
    writeFileSync(path, real);
    // The blocks are looked for as print lays the page out (a closed table is not printed).
    await page.emulateMedia({ media: "print" });
    const blocks = await probe(page);
    await page.emulateMedia({ media: null });
    const probed = await page.pdf(options);
    await unprobe(page);
    const pages = await runs(real);
    const probePages = await runs(probed);
    const where = `${name} ${format}`;
    if (pages.length !== probePages.length) {
      fail(`print ${where}: the probe printed ${probePages.length} pages, the report ${pages.length}; the measures below may be off`);
    }

    // 1. Chart text size.
    const marker = /zq[se]\d+q/;
    const chart = probePages.flatMap((p, n) => p.items.filter((it) => !marker.test(it.text)).map((it) => ({ ...it, page: n + 1 })));
    if (chart.length === 0) fail(`print ${where}: no chart text found in the PDF`);
    const small = chart.filter((it) => it.pt < MIN_CHART_PT - 0.05);
    for (const it of small.slice(0, 12)) fail(`print ${where} page ${it.page}: chart text "${it.text}" is ${it.pt.toFixed(1)} pt (at least ${MIN_CHART_PT} pt)`);
    if (small.length > 12) fail(`print ${where}: ${small.length - 12} more chart texts under ${MIN_CHART_PT} pt`);

    // 2. Nothing that must stay whole is split by a page break.
    const starts = new Map();
    const ends = new Map();
    probePages.forEach((p, n) => {
      const text = p.items.map((it) => it.text).join(" ");
      for (const m of text.matchAll(/zq([se])(\d+)q/g)) (m[1] === "s" ? starts : ends).set(Number(m[2]), n + 1);
    });
    blocks.forEach((what, i) => {
      const [s, e] = [starts.get(i), ends.get(i)];
      if (s === undefined || e === undefined) fail(`print ${where}: the ${what} left no marker in the probe PDF`);
      else if (s !== e) fail(`print ${where}: the ${what} is split across pages ${s} and ${e}`);
    });

    // 3. Page fill. The footer repeats at the foot of every page: its runs are the text of the
    // page's footer element at the page's lowest baseline; the page's room runs from the
    // highest text of any page down to the footer's top.
    const isFooter = (it, p) => footer.includes(it.text.trim()) && it.y <= Math.min(...p.items.map((x) => x.y)) + 1;
    const top = Math.max(...pages.flatMap((p) => p.items.map((it) => it.y + it.pt)));
    const fill = [];
    pages.forEach((p, n) => {
      const foot = p.items.filter((it) => isFooter(it, p));
      const floor = foot.length ? Math.max(...foot.map((it) => it.y + it.pt)) : 0;
      const content = p.items.filter((it) => !isFooter(it, p));
      if (content.length === 0) return fail(`print ${where}: page ${n + 1} is empty`);
      // A baseline plus a quarter of the size reaches the descenders.
      const lowest = Math.min(...content.map((it) => it.y - it.pt / 4));
      const empty = (lowest - floor) / (top - floor);
      fill.push(`${((1 - empty) * 100).toFixed(0)}%`);
      if (n < pages.length - 1 && empty > MAX_EMPTY) fail(`print ${where}: page ${n + 1} of ${pages.length} is ${(empty * 100).toFixed(0)}% empty (at most a third but the last)`);
    });

    // 4. One font family.
    const families = new Map();
    for (const it of pages.flatMap((p) => p.items)) if (it.family && !families.has(it.family)) families.set(it.family, it.text);
    if (families.size > 1) fail(`print ${where}: ${families.size} font families (${[...families].map(([f, t]) => `${f} in "${t.trim().slice(0, 30)}"`).join(", ")}); text and charts should share one`);
    const least = chart.reduce((a, b) => (a && a.pt <= b.pt ? a : b), null);
    console.log(`pdf: ${path}: ${pages.length} pages filled ${fill.join(" ")}, ${blocks.length} blocks kept whole, ${chart.length} chart texts, smallest ${least ? least.pt.toFixed(1) : "-"} pt ("${least?.text ?? ""}"), fonts ${[...families.keys()].join(", ")}`);
  }
  await page.close();
}

const browser = await launch();
try {
  for (const site of sites) {
    const server = await serve(site);
    const base = `http://127.0.0.1:${server.address().port}/`;
    // The latest month whose report has funnel numbers (so charts and tables are in it).
    const months = existsSync(join(site, "reports")) ? readdirSync(join(site, "reports")).filter((m) => /^\d{4}-\d{2}$/.test(m)).sort() : [];
    const withFunnel = months.filter((m) => {
      const data = join(site, "data", `${m}.json`);
      return existsSync(data) && Object.keys(JSON.parse(readFileSync(data, "utf8")).stages).length > 0;
    });
    const month = withFunnel[withFunnel.length - 1];
    if (!month) {
      console.log(`print: ${site} has no month with funnel numbers`);
      server.close();
      continue;
    }
    const context = await browser.newContext();
    // 5. The first A4 page is full: laid out at the width of an A4 page's print area, the
    // report down to the funnel's figures fits its height (297 mm less the 10 + 8 mm page
    // margins and the 8 mm kept for the footer; 188 mm wide after 11 + 11 mm).
    const page = await context.newPage();
    await page.goto(`${base}reports/${month}/index.html`, { waitUntil: "load" });
    await page.setViewportSize({ width: Math.round((188 * 96) / 25.4), height: 1000 });
    await page.emulateMedia({ media: "print" });
    const bottom = await page.evaluate(() => {
      const grid = document.querySelector("#funnel .funnel-grid");
      return grid ? (grid.getBoundingClientRect().bottom * 25.4) / 96 : null;
    });
    if (bottom !== null && bottom > 271) fail(`print ${site} report ${month}: the funnel ends ${bottom.toFixed(0)} mm down, past the first A4 page (271 mm)`);
    await page.close();

    await checkPrint(context, `${base}reports/${month}/index.html`, `${site} report ${month}`, `${basename(site)}-report-${month}`);
    const [y, mm] = month.split("-").map(Number);
    const quarter = `${y}-Q${Math.floor((mm - 1) / 3) + 1}`;
    if (existsSync(join(site, "reports", quarter, "index.html"))) await checkPrint(context, `${base}reports/${quarter}/index.html`, `${site} report ${quarter}`, `${basename(site)}-report-${quarter}`);
    await context.close();
    server.close();
  }
} finally {
  await browser.close();
}
if (failures) {
  console.error(`${failures} print problems`);
  process.exit(1);
}
console.log("print checks: 0 problems");
