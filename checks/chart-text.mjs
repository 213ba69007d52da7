// Chart text must stay legible on a phone: every visible text of every chart (inline SVG with
// class chart-svg) on every page is at least 11 CSS px tall as rendered at 390 px wide, in
// headless Chromium (the font size times the SVG's scale from its viewBox to the screen), and
// none of it is cut at the chart's edge: each text's box as the browser lays it out lies
// inside its SVG's viewBox (a label centred on a tick near the edge used to lose letters),
// and no two texts of a chart overlap (a month label ran into the last one, which ends at
// the plot's right edge).
//
//     node checks/chart-text.mjs [--width N] [--min PX] [--verbose] SITE_DIR...
import { walk, serve, launch } from "./site.mjs";
import { relative } from "node:path";

const args = process.argv.slice(2);
let width = 390;
let min = 11;
let verbose = false;
const sites = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--width") width = Number(args[++i]);
  else if (args[i] === "--min") min = Number(args[++i]);
  else if (args[i] === "--verbose") verbose = true;
  else sites.push(args[i]);
}
if (sites.length === 0) {
  console.error("usage: node checks/chart-text.mjs [--width N] [--min PX] [--verbose] SITE_DIR...");
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
    let texts = 0;
    for (const p of pages) {
      await page.goto(base + p, { waitUntil: "load" });
      const found = await page.evaluate(() => {
        const out = [];
        for (const svg of document.querySelectorAll("svg.chart-svg")) {
          const box = svg.getBoundingClientRect();
          if (box.width === 0 || getComputedStyle(svg).display === "none") continue;
          const scale = svg.getScreenCTM().a;
          const chart = (svg.getAttribute("aria-labelledby") || "chart").replace(/-title$/, "");
          const vb = svg.viewBox.baseVal;
          for (const t of svg.querySelectorAll("text")) {
            const px = parseFloat(getComputedStyle(t).fontSize) * scale;
            const b = t.getBBox();
            // Half a unit of slack for rounding; the glyphs' own box, not the line's.
            const cut = b.x < vb.x - 0.5 || b.x + b.width > vb.x + vb.width + 0.5 || b.y < vb.y - 0.5 || b.y + b.height > vb.y + vb.height + 0.5;
            const where = `${b.x.toFixed(1)}..${(b.x + b.width).toFixed(1)} × ${b.y.toFixed(1)}..${(b.y + b.height).toFixed(1)} in ${vb.width}×${vb.height}`;
            out.push({ chart, text: t.textContent.trim(), px, svgWidth: box.width, cut, where, b: { x: b.x, y: b.y, w: b.width, h: b.height } });
          }
        }
        return out;
      });
      texts += found.length;
      for (const f of found.filter((f) => f.cut)) {
        failures++;
        console.error(`FAIL ${p}: "${f.text}" in ${f.chart} is cut at the chart's edge: ${f.where}`);
      }
      // Overlaps, within each chart: the boxes of two texts share more than a unit both ways.
      // A text's box is its line's (ascent to descent), taller than its letters: the top fifth
      // and the bottom quarter are left out, so a value label just above a month label (the
      // axis's "0" over its first month) is not taken for a collision.
      const core = (b) => ({ x: b.x, w: b.w, y: b.y + 0.2 * b.h, h: 0.55 * b.h });
      for (let i = 0; i < found.length; i++) {
        for (let j = i + 1; j < found.length; j++) {
          if (found[i].chart !== found[j].chart || !found[i].text || !found[j].text) continue;
          const [a, c] = [{ ...found[i], b: core(found[i].b) }, { ...found[j], b: core(found[j].b) }];
          const dx = Math.min(a.b.x + a.b.w, c.b.x + c.b.w) - Math.max(a.b.x, c.b.x);
          const dy = Math.min(a.b.y + a.b.h, c.b.y + c.b.h) - Math.max(a.b.y, c.b.y);
          if (dx > 1 && dy > 1) {
            failures++;
            console.error(`FAIL ${p}: "${a.text}" and "${c.text}" in ${a.chart} overlap (${dx.toFixed(1)} × ${dy.toFixed(1)} units)`);
          }
        }
      }
      const small = found.filter((f) => f.px < min);
      for (const f of small) {
        failures++;
        console.error(`FAIL ${p}: "${f.text}" in ${f.chart} is ${f.px.toFixed(1)} px at ${width} px wide`);
      }
      if (verbose && found.length) {
        const least = found.reduce((a, b) => (a.px <= b.px ? a : b));
        console.log(`${p}: ${found.length} texts, smallest ${least.px.toFixed(1)} px ("${least.text}"), charts ${[...new Set(found.map((f) => Math.round(f.svgWidth)))].join("/")} px wide`);
      }
    }
    console.log(`chart text at ${width} px: ${texts} texts on ${pages.length} pages of ${site}`);
    await context.close();
    server.close();
  }
} finally {
  await browser.close();
}
if (failures) {
  console.error(`${failures} chart texts under ${min} px, cut at the chart's edge or overlapping another`);
  process.exit(1);
}
