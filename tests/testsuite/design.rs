//! Integration tests of how the pages present figures: each figure once on the first screen,
//! figures that never break inside themselves, charts and the glossary a reader can follow.

use crate::common::*;

fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, root) = project("small");
    let out = tmp.path().join("site");
    let o = run(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    (tmp, out)
}

fn page(out: &std::path::Path, path: &str) -> String {
    std::fs::read_to_string(out.join(path)).unwrap()
}

/// The part of the page from `from` to `to` (two markers in it).
fn between<'a>(html: &'a str, from: &str, to: &str) -> &'a str {
    let a = html.find(from).unwrap_or_else(|| panic!("missing {from}"));
    let b = html[a..].find(to).unwrap_or_else(|| panic!("missing {to} after {from}")) + a;
    &html[a..b]
}

#[test]
fn each_headline_figure_has_one_home_on_the_first_screen() {
    let (_t, out) = built();
    let html = page(&out, "reports/2026-10/index.html");
    let first = between(&html, "id=\"headline\"", "id=\"funnel\"");
    // CAC = (24000 + 36000) / 15 new customers; leads 1,200; retention (206 - 3) / 206.
    for figure in ["EUR\u{a0}4,000", ">1,200<", "98.5%"] {
        assert_eq!(first.matches(figure).count(), 1, "{figure} shown more than once:\n{first}");
    }
    // The benefit tiles point at the card instead, and the card is there to land on.
    for id in ["card-cac", "card-stage-leads", "card-retention"] {
        assert!(first.contains(&format!("href=\"#{id}\"")), "no link to {id}");
        assert!(first.contains(&format!("id=\"{id}\"")), "no card {id}");
    }
    // Figures without a card keep their value and last month's: days to MQL 6 and 6.
    assert!(first.contains("6 days") && first.contains("last month 6 days"), "{first}");
    // Retention, a rate, changes in points: (206 − 3) ÷ 206 = 98.54% against (200 − 4) ÷ 200
    // = 98.00% is +0.54 pts, shown "+0.5 pts" (the relative change would be "+0.6%").
    let card = between(first, "id=\"card-retention\"", "</div>\n  </div>");
    assert!(card.contains("+0.5\u{a0}pts"), "{card}");
    assert!(!card.contains("+0.6%"), "{card}");
}

#[test]
fn without_funnel_data_the_benefit_tiles_show_their_own_figures() {
    let (_t, out) = built();
    // November 2026 has a meeting but no funnel entry: no headline cards to point at.
    let html = page(&out, "reports/2026-11/index.html");
    let headline = between(&html, "id=\"headline\"", "id=\"benefits\"");
    assert!(headline.contains("No funnel data for November 2026") && !headline.contains("class=\"card\""));
    let tiles = between(&html, "id=\"benefits\"", "id=\"funnel\"");
    assert!(!tiles.contains("in the headline figures") && !tiles.contains("href=\"#card-"), "{tiles}");
    // Each tile says its figure, this month's value (none) and last month's: CAC 4,000.
    let cac = between(tiles, "Costs decrease", "Leads soar");
    assert!(cac.contains(">CAC<") && cac.contains(">—<"), "{cac}");
    assert!(cac.contains("last month EUR\u{a0}4,000"), "{cac}");
    assert!(between(tiles, "Leads soar", "Retention").contains("last month 1,200"), "{tiles}");
    // The pill reads as written, "no data" like everywhere else on the site, not "No Data".
    assert!(cac.contains("</span> no data</div>"), "{cac}");
    let css = page(&out, "style.css");
    let rule = between(&css, "\n.verdict {", "}");
    assert!(!rule.contains("text-transform"), "{rule}");
    // With funnel data (October) the tiles still point at the cards.
    let october = page(&out, "reports/2026-10/index.html");
    assert_eq!(between(&october, "id=\"benefits\"", "id=\"funnel\"").matches("in the headline figures").count(), 3);
}

#[test]
fn a_card_row_sizes_its_figures_by_the_longest_one() {
    let (_t, out) = built();
    let html = page(&out, "reports/2026-10/index.html");
    // Revenue "EUR 180,000" (11 characters) is the longest figure of the row: the CSS sizes
    // every figure of the row by it, so none breaks or overflows its card.
    assert!(html.contains("<div class=\"cards\" style=\"--chars: 11\">"), "{html}");
    let css = page(&out, "style.css");
    let rule = between(&css, ".card-value {", "}");
    assert!(rule.contains("white-space: nowrap") && rule.contains("var(--chars)"), "{rule}");
    assert!(!css.contains("overflow-wrap: anywhere"), "a figure may break inside itself");
}

/// The SVG of the chart whose title id is `id`.
fn svg<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html.find(&format!("aria-labelledby=\"{id}-title\"")).unwrap_or_else(|| panic!("no chart {id}"));
    let start = html[..at].rfind("<svg").unwrap();
    let end = html[at..].find("</svg>").unwrap() + at;
    &html[start..end]
}

/// The texts of an SVG, trimmed.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .map(|t| t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()].trim().to_string())
        .collect()
}

#[test]
fn trend_charts_are_linear_one_per_stage_in_the_stage_colour_site_wide() {
    let (_t, out) = built();
    for (path, id) in
        [("reports/2026-10/index.html", "trend"), ("index.html", "home"), ("funnel/index.html", "history")]
    {
        let html = page(&out, path);
        let leads = svg(&html, &format!("{id}-stage-0"));
        let won = svg(&html, &format!("{id}-stage-4"));
        assert!(leads.contains("#0072B2") && !leads.contains("#CC79A7"), "{path}: Leads is blue");
        assert!(won.contains("#CC79A7") && !won.contains("#0072B2"), "{path}: Won is purple");
        // Won went 10 -> 15: its own linear axis, 0 to 15 in fives (four labelled ticks), and
        // month labels that carry their year (the last one always does).
        let t = texts(won);
        for tick in ["0", "5", "10", "15"] {
            assert!(t.contains(&tick.to_string()), "{path}: tick {tick} missing in {t:?}");
        }
        assert!(t.contains(&"Sep 2026".to_string()) && t.contains(&"Oct 2026".to_string()), "{t:?}");
        // Its name and latest value are the figure's caption, HTML text that wraps (a long CRM
        // stage name is never cut), with a swatch of the line's colour; a conversion has none.
        let figure = &html[html[..html.find(won).unwrap()].rfind("<figure").unwrap()..html.find(won).unwrap()];
        assert!(
            figure.contains("<span class=\"swatch\" style=\"background: #CC79A7\"></span><span class=\"multiple-name\">Won</span> <span class=\"num\">15</span></figcaption>"),
            "{path}: {figure}"
        );
        assert!(!t.iter().any(|t| t.contains("Won")), "the name is not drawn in the chart too: {t:?}");
        // A conversion is no stage's series: drawn in the ink colour.
        let conv = svg(&html, &format!("{id}-conv-0"));
        assert!(!conv.contains("#0072B2") && conv.contains("stroke=\"#000000\" stroke-width=\"3\""), "{path}");
        let figure = &html[html[..html.find(conv).unwrap()].rfind("<figure").unwrap()..html.find(conv).unwrap()];
        assert!(
            figure.contains("<figcaption><span class=\"multiple-name\">Leads→MQL</span> <span class=\"num\">"),
            "{figure}"
        );
    }
    // The funnel's bars take the same colours: Leads blue, Won purple.
    let html = page(&out, "reports/2026-10/index.html");
    let funnel = svg(&html, "funnel");
    assert!(funnel.contains("#0072B2") && funnel.contains("#CC79A7"));
}

#[test]
fn the_trend_heading_says_the_months_its_charts_show() {
    let (_t, out) = built();
    // The small project has funnel numbers for September and October 2026 only: its trend is
    // two months, not a "12-month trend", and each chart labels both months, each with its
    // year (the last label always has its year).
    for (path, id) in [("reports/2026-10/index.html", "trend"), ("index.html", "home")] {
        let html = page(&out, path);
        assert!(html.contains(">Trend: 2 months, Sep–Oct 2026</h"), "{path}");
        assert!(!html.contains("12-month") && !html.contains("12 months"), "{path}");
        for i in 0..5 {
            let months: Vec<String> =
                texts(svg(&html, &format!("{id}-stage-{i}"))).into_iter().filter(|t| t.ends_with(" 2026")).collect();
            assert_eq!(months, ["Sep 2026", "Oct 2026"], "{path} {id}-stage-{i}");
        }
    }
}

#[test]
fn a_bar_past_its_target_has_its_dashed_target_line_in_the_legend() {
    let (tmp, root) = project("small");
    let out = tmp.path().join("site");
    let build = |out: &std::path::Path| {
        let o = run(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        page(out, "reports/2026-10/index.html")
    };
    // No goal of October is past its target: no dashed line, and the legend does not name one.
    let html = build(&out);
    assert!(!html.contains("class=\"bullet-target\""), "no goal is past its target");
    assert!(!html.contains("dashed line"));
    // Webinar leads 0 → 100 with 150 in October: 150% of the way, so its bar runs past the
    // target, drawn as a dashed line, and the header of that table says what the line is.
    let goals = std::fs::read_to_string(root.join("content/goals/goals.yaml")).unwrap();
    std::fs::write(
        root.join("content/goals/goals.yaml"),
        goals.replace("{month: 2026-10, value: 30}", "{month: 2026-10, value: 150}"),
    )
    .unwrap();
    let html = build(&tmp.path().join("site2"));
    let table = between(&html, "id=\"team-goals\"", "</table>");
    assert!(table.contains("class=\"bullet-target\""), "{table}");
    assert!(table.contains("dashed line = target, where a bar runs past it"), "{table}");
}

#[test]
fn channels_bar_column_is_labelled_and_drawn_once() {
    let (_t, out) = built();
    let html = page(&out, "reports/2026-10/index.html");
    let channels = between(&html, "id=\"channels\"", "</section>");
    // The demo's paid search has spend, so the rows are sorted and barred by cost per won.
    assert!(
        channels.contains("<th scope=\"col\" class=\"barhead\">Cost per won, against the costliest channel</th>"),
        "{channels}"
    );
    assert!(!channels.contains("<svg"), "the table's bars say it once: no second chart");
}

#[test]
fn every_glossary_link_lands_on_an_entry_that_says_how() {
    let (_t, out) = built();
    let glossary = page(&out, "glossary/index.html");
    // CAC's entry, in the project's own words: the team names and the last stage.
    let cac = between(&glossary, "id=\"cac\"", "</div>");
    assert!(cac.contains("(Marketing spend + Sales team spend) ÷ new customers"), "{cac}");
    assert!(cac.contains("÷ Won when the month gives no customer numbers"), "{cac}");
    let mut links = 0;
    for (path, bytes) in snapshot(&out) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        for part in html.split("glossary/index.html#").skip(1) {
            let id = &part[..part.find('"').unwrap()];
            assert!(glossary.contains(&format!("<div id=\"{id}\">")), "{path} links to a missing entry {id}");
            links += 1;
        }
    }
    assert!(links > 20, "only {links} links to the glossary");
    // The headline cards and the goal table's headers link to their entries, relatively.
    let report = page(&out, "reports/2026-10/index.html");
    assert!(report.contains("<a class=\"term\" href=\"../../glossary/index.html#cac\">CAC</a>"), "card label");
    assert!(report.contains("href=\"../../glossary/index.html#goal-status\">Status</a></th>"), "table header");
    assert!(page(&out, "index.html").contains("href=\"glossary/index.html#retention\">Retention</a>"));
}

#[test]
fn readme_and_docs_links_resolve() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md")];
    for e in std::fs::read_dir(root.join("docs")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "md") {
            files.push(p);
        }
    }
    let mut checked = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for part in text.split("](").skip(1) {
            let target = &part[..part.find(')').unwrap()];
            if target.starts_with("http") || target.starts_with('#') {
                continue;
            }
            let path = target.split('#').next().unwrap();
            let resolved = file.parent().unwrap().join(path);
            assert!(resolved.exists(), "{}: link {target} does not resolve", file.display());
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} links");
    // The docs answer "how is CAC computed?" and "what does a goal file look like?".
    let figures = std::fs::read_to_string(root.join("docs/figures.md")).unwrap();
    assert!(figures.contains("| **CAC** | (`spend.marketing` + `spend.sales`) ÷ `customers.new`"));
    let content = std::fs::read_to_string(root.join("docs/content.md")).unwrap();
    assert!(content.contains("**What a goal file looks like:**"));
}

#[test]
fn each_goal_has_a_history_chart_with_target_and_pace() {
    let (tmp, root) = project("small");
    // A goal tracked by check-ins since August: August, September and October (the latest
    // report) have a value, three months, enough for a pace.
    std::fs::write(
        root.join("content/goals/referrals.yaml"),
        "- id: referrals\n  title: Partner referrals\n  owners: [sales]\n  unit: count\n  baseline: 0\n  target: 120\n  start: 2026-08\n  due: 2026-12\n  checkins:\n    - {month: 2026-08, value: 20}\n    - {month: 2026-10, value: 48}\n",
    )
    .unwrap();
    let out = tmp.path().join("site");
    let o = run(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = page(&out, "goals/index.html");
    // Referrals 0 -> 120 over Aug-Dec: October's 48 is 0.4 of the way after 3 of 5 months, so
    // the pace ends at 0.4 / 0.6 x 120 = 80 by December.
    let chart = svg(&html, "goal-referrals-chart");
    assert!(chart.contains("with the target and the pace</title>"), "{chart}");
    let t = texts(chart);
    // Months 85.2 px apart (value labels "125" wide: the plot runs from 38 to 464 in 5 slots
    // after the start): a label needs 84 px, and 22 px more as "Dec 2026" ends at the chart's
    // edge, so every other month back from December, the last with its year; the start, the
    // baseline's point before August, is labelled too.
    for want in ["value", "target", "pace", "start", "Aug 2026", "Oct", "Dec 2026"] {
        assert!(t.contains(&want.to_string()), "{want} missing in {t:?}");
    }
    assert!(html.contains("At this pace: 80 by Dec 2026"));
    // Lower CAC: 5,000 -> 3,000 over Sep-Dec; only September and October have a value, so
    // there is no pace line yet, and the page says why.
    let chart = svg(&html, "goal-cac-down-chart");
    assert!(chart.contains("with the target</title>"), "{chart}");
    let t = texts(chart);
    for want in ["value", "target", "EUR\u{a0}3,000", "EUR\u{a0}5,000", "start", "Oct 2026", "Dec 2026"] {
        assert!(t.contains(&want.to_string()), "{want} missing in {t:?}");
    }
    assert!(!t.contains(&"pace".to_string()), "{t:?}");
    for id in ["mql-to-sql", "webinar-leads"] {
        svg(&html, &format!("goal-{id}-chart"));
    }
}

/// Every chart SVG of a page with the figure class around it: (figure class, viewBox width,
/// smallest and largest font size in viewBox units).
fn chart_fonts(html: &str) -> Vec<(String, f64, f64, f64)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<svg role=\"img\"") {
        let before = &rest[..at];
        let figure = before.rfind("<figure class=\"").map(|f| {
            let c = &before[f + 15..];
            c[..c.find('"').unwrap()].to_string()
        });
        let end = rest[at..].find("</svg>").unwrap() + at;
        let svg = &rest[at..end];
        let vb = &svg[svg.find("viewBox=\"0 0 ").unwrap() + 13..];
        let width: f64 = vb[..vb.find(' ').unwrap()].parse().unwrap();
        let sizes: Vec<f64> =
            svg.split("font-size=\"").skip(1).map(|s| s[..s.find('"').unwrap()].parse().unwrap()).collect();
        let min = sizes.iter().cloned().fold(f64::INFINITY, f64::min);
        let max = sizes.iter().cloned().fold(0.0, f64::max);
        out.push((figure.unwrap_or_default(), width, min, max));
        rest = &rest[end..];
    }
    out
}

#[test]
fn goal_progress_uses_a_wall_screen_and_chart_text_stays_legible_on_a_phone() {
    let (_t, out) = built();
    let css = page(&out, "style.css");
    // At 390 px every chart is as wide as the content: 390 less 1.25rem padding each side.
    assert!(css.contains(".wrap { max-width: 72rem; margin: 0 auto; padding: 0 1.25rem; }"), "padding changed");
    let phone = 390.0 - 2.0 * 20.0;
    // The wide layout of the goal progress chart shows from 900 px on screens only.
    let wide_rule = between(&css, "figure.layout-wide { display: none; }", "}\n}");
    assert!(wide_rule.contains("@media screen and (min-width: 900px)"), "{wide_rule}");
    assert!(wide_rule.contains("figure.layout-narrow { display: none;"), "{wide_rule}");
    let mut seen_wide = false;
    for path in ["goals/index.html", "reports/2026-10/index.html", "index.html", "funnel/index.html"] {
        let html = page(&out, path);
        for (figure, width, min, max) in chart_fonts(&html) {
            if figure.contains("layout-wide") {
                // At 1920 the content is 100rem of 18 px less 2rem each side: 1728 px. The
                // goal figures read from across a room (24 px and more), the titles at 22 px.
                let scale = (100.0 * 18.0 - 4.0 * 18.0) / width;
                assert!(max * scale >= 24.0 && min * scale >= 22.0, "{path}: {figure} {width} {min} {max}");
                seen_wide = true;
                continue;
            }
            assert!(min * phone / width >= 11.0, "{path}: {figure} text {:.1} px at 390", min * phone / width);
        }
    }
    assert!(seen_wide, "the goals page has a wide progress chart");
    let goals = page(&out, "goals/index.html");
    svg(&goals, "goals");
    assert!(svg(&goals, "goals-wide").contains("viewBox=\"0 0 1200 "));
}

#[test]
fn every_printed_page_carries_the_as_of_date_in_its_footer() {
    let (tmp, root) = project("small");
    let out = tmp.path().join("site");
    let o =
        run(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap(), "--as-of", "2026-11-05"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for path in ["reports/2026-10/index.html", "index.html", "goals/index.html", "actions/index.html"] {
        let html = page(&out, path);
        let footer = between(&html, "<p class=\"print-footer\">", "</p>");
        assert!(footer.ends_with(" · data as of 5 Nov 2026"), "{path}: {footer}");
    }
    let report = page(&out, "reports/2026-10/index.html");
    assert!(report.contains("<p class=\"print-footer\">Alignment report, October 2026 · "), "names the page");
    // Hidden on screen; in print a fixed element, which Chromium and Firefox repeat at the foot
    // of every page, with room kept for it on each page by the body's cloned bottom padding.
    let css = page(&out, "style.css");
    assert!(css.contains("\n.print-footer { display: none; }"), "shown on screen");
    let print = &css[css.find("@media print {").expect("a print stylesheet")..];
    let rule = between(print, ".print-footer {", "}");
    assert!(
        rule.contains("display: block") && rule.contains("position: fixed") && rule.contains("bottom: 0"),
        "{rule}"
    );
    let body = between(print, "  body {", "}");
    assert!(body.contains("box-decoration-break: clone") && body.contains("padding-bottom: 8mm"), "{body}");
}

#[test]
fn each_goal_bar_is_drawn_once_on_a_page() {
    let (_t, out) = built();
    // The goals page draws progress in its chart; its table gives the figures only.
    let goals = page(&out, "goals/index.html");
    assert!(goals.contains("class=\"chart progress-chart layout-wide\"") && goals.contains("of the way"), "{goals}");
    assert!(!goals.contains("class=\"bullet\"") && !goals.contains("mark = "), "{goals}");
    // The overview and the report have no progress chart: their goal board keeps its bars.
    for path in ["index.html", "reports/2026-10/index.html"] {
        let html = page(&out, path);
        assert!(!html.contains("progress-chart"), "{path}");
        assert!(html.contains("class=\"bullet\"") && html.contains("mark = "), "{path}");
    }
}

/// On a phone a goal table's header is hidden and each row is a block of labelled figures: the
/// progress cell's own label names what the bar's mark is, since no header says it there.
#[test]
fn a_stacked_goal_row_explains_its_bar() {
    let (_t, out) = built();
    let html = page(&out, "reports/2026-10/index.html");
    assert!(html.contains(r#"<td data-label="Progress (mark = time elapsed)">"#), "{html}");
    // The goals page draws the bars in its chart above the table: its cells carry no bar.
    let goals = page(&out, "goals/index.html");
    assert!(goals.contains(r#"<td data-label="Progress">"#) && !goals.contains("Progress (mark"), "{goals}");
}
