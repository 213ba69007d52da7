//! Integration tests of meeting notes and commentaries as markdown on the built pages:
//! footnotes, headings under the page's sections, and images from another host shown as links
//! with a `check` warning at their line.

use crate::common::{self, *};
use serde_json::Value;

/// A copy of the small fixture with notes that use footnotes, deep headings and remote images.
fn project() -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, root) = common::project("small");
    let md = root.join("content/meetings/2026-10-05-sync.md");
    let mut text = std::fs::read_to_string(&md).unwrap();
    text.push_str(
        "\n### Pipeline\n\nUp 12%[^src].\n\n![pixel](https://tracker.example/p.gif)\n\n[^src]: CRM export.\n",
    );
    std::fs::write(&md, text).unwrap();
    std::fs::write(
        root.join("content/meetings/2026-11-02-later.yaml"),
        "title: Later\ndate: 2026-11-02\nattendees: [Ann]\nnotes: |\n  Only **marketing**.\n\n  ![logo](//cdn.example/logo.png)\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("content/reports")).unwrap();
    std::fs::write(
        root.join("content/reports/2026-10.md"),
        "---\ntitle: October\n---\nGood month.\n\n![c](http://x.example/c.png)\n",
    )
    .unwrap();
    (tmp, root)
}

#[test]
fn check_warns_at_each_remote_image() {
    let (_t, root) = project();
    let o = run(&["check", "--root", root.to_str().unwrap(), "--format", "json"]);
    let all: Vec<Value> = serde_json::from_slice(&o.stdout).unwrap();
    let remote: Vec<(String, u64, u64)> = all
        .iter()
        .filter(|d| d["message"].as_str().unwrap().contains("is on another host"))
        .map(|d| (d["file"].as_str().unwrap().to_string(), d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap()))
        .collect();
    let want = [
        ("content/meetings/2026-10-05-sync.md".to_string(), 30, 10),
        ("content/meetings/2026-11-02-later.yaml".to_string(), 7, 11),
        ("content/reports/2026-10.md".to_string(), 6, 6),
    ];
    assert_eq!(remote, want, "{all:#?}");
    for d in all.iter().filter(|d| d["message"].as_str().unwrap().contains("is on another host")) {
        assert_eq!(d["severity"], "warning");
        assert_eq!(d["hint"], "put the file under static/ to show it");
    }
    // Warnings only: the project still passes.
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn pages_show_footnotes_nested_headings_and_no_remote_image() {
    let (t, root) = project();
    let out = t.path().join("out");
    let o = run(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = std::fs::read_to_string(out.join("meetings/2026-10-05-sync/index.html")).unwrap();
    // `##` then `###` in the note: h3 then h4, right under the page's "Notes" h2.
    assert!(page.contains("<h3>Notes</h3>"), "{page}");
    assert!(page.contains("<h4>Pipeline</h4>"), "{page}");
    assert!(page.contains("<a href=\"#fn-src\" id=\"fnref-src\""), "{page}");
    assert!(page.contains("<li id=\"fn-src\">"), "{page}");
    assert!(page.contains("<a href=\"https://tracker.example/p.gif\">pixel</a>"), "{page}");
    for (path, bytes) in snapshot(&out) {
        let text = String::from_utf8_lossy(&bytes);
        for host in ["tracker.example", "cdn.example", "x.example"] {
            assert!(!text.contains(&format!("src=\"https://{host}")), "{path} loads from {host}");
            assert!(!text.contains(&format!("src=\"//{host}")), "{path} loads from {host}");
            assert!(!text.contains(&format!("src=\"http://{host}")), "{path} loads from {host}");
        }
    }
    let later = std::fs::read_to_string(out.join("meetings/2026-11-02-later/index.html")).unwrap();
    assert!(later.contains("<a href=\"//cdn.example/logo.png\">logo</a>"), "{later}");
}
