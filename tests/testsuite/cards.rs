//! The headline cards colour a change by what is good for that figure: more revenue is good,
//! and a lower customer acquisition cost is good, so a CAC that falls is green (`tone-good`)
//! with a down arrow, and one that rises is red (`tone-bad`).

use crate::common::*;

/// The CAC card of October's report of `root`, built as of 30 Nov 2026.
fn october_cac_card(root: &std::path::Path, out: &std::path::Path) -> String {
    let o =
        run(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap(), "--as-of", "2026-11-30"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report = std::fs::read_to_string(out.join("reports/2026-10/index.html")).unwrap();
    let start = report.find("id=\"card-cac\"").expect("a CAC card");
    let end = report[start..].find("id=\"card-retention\"").expect("the card after it");
    report[start..start + end].to_string()
}

#[test]
fn a_falling_cac_is_good_and_a_rising_one_is_bad() {
    // September: spend 50,000 for 10 won, CAC 5,000. October: 60,000 for 15 won, CAC 4,000.
    let (tmp, root) = project("small");
    let card = october_cac_card(&root, &tmp.path().join("site"));
    assert!(card.contains("EUR\u{a0}4,000"), "{card}");
    assert!(card.contains("tone-good"), "a CAC that falls is good: {card}");
    assert!(card.contains("▼") && card.contains("−20.0%"), "{card}");

    // October's marketing spend up by 30,000: 90,000 for 15 won, CAC 6,000, up 20%.
    let funnel = root.join("content/funnel/2026.yaml");
    let text = std::fs::read_to_string(&funnel).unwrap();
    let raised = text.replace("spend: {marketing: 24000, sales: 36000}", "spend: {marketing: 54000, sales: 36000}");
    assert_ne!(raised, text, "the fixture's October spend changed; update this test");
    std::fs::write(&funnel, raised).unwrap();
    let card = october_cac_card(&root, &tmp.path().join("site2"));
    assert!(card.contains("EUR\u{a0}6,000"), "{card}");
    assert!(card.contains("tone-bad"), "a CAC that rises is bad: {card}");
    assert!(card.contains("▲") && card.contains("+20.0%"), "{card}");
}
