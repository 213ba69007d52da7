//! Theme tests: a project template overriding one block of a built-in template, custom themes,
//! and template errors that name the template file, line and column.

use crate::common::*;

fn build(root: &std::path::Path, out: &std::path::Path) -> std::process::Output {
    run(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()])
}

#[test]
fn override_replaces_one_block_of_the_builtin_report() {
    let tmp = tempfile::tempdir().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/saas-trials");
    let out = tmp.path().join("site");
    let o = build(&root, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let report = std::fs::read_to_string(out.join("reports/2026-09/index.html")).unwrap();
    assert!(report.contains("<link rel=\"stylesheet\" href=\"../../brand.css\">"), "the head block is replaced");
    assert!(report.contains("Costs decrease"), "the rest of the built-in report stays");
    assert!(report.contains("Site visitors"), "custom stage labels");
    assert!(out.join("brand.css").is_file(), "static/ copied verbatim");
    let other = std::fs::read_to_string(out.join("goals/index.html")).unwrap();
    assert!(!other.contains("brand.css"), "only the report is overridden");
}

#[test]
fn custom_theme_and_missing_theme() {
    let (tmp, root) = project("small");
    let t = root.join("themes/plain/templates");
    std::fs::create_dir_all(&t).unwrap();
    std::fs::write(t.join("base.html"), "<!DOCTYPE html><html lang=\"en\"><head><title>{{ page_title }}</title></head><body class=\"plain\">{% block content %}{% endblock content %}</body></html>").unwrap();
    std::fs::create_dir_all(root.join("themes/plain/static")).unwrap();
    std::fs::write(root.join("themes/plain/static/style.css"), "body{}").unwrap();
    let site = std::fs::read_to_string(root.join("content/site.yaml")).unwrap();
    std::fs::write(root.join("content/site.yaml"), format!("{site}theme: plain\n")).unwrap();
    let out = tmp.path().join("site");
    let o = build(&root, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("<body class=\"plain\">"), "theme base.html used by built-in pages");
    assert_eq!(std::fs::read_to_string(out.join("style.css")).unwrap(), "body{}");
    std::fs::write(root.join("content/site.yaml"), format!("{site}theme: nosuch\n")).unwrap();
    let o = build(&root, &tmp.path().join("site2"));
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("theme `nosuch` not found"), "{}", stderr(&o));
}

#[test]
fn template_errors_name_file_line_and_column() {
    let (tmp, root) = project("small");
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(root.join("templates/meeting.html"), "{% extends \"default/meeting.html\" %}\n{% block content %}\n  {{ meeting.title | nosuchfilter }}\n{% endblock content %}\n").unwrap();
    std::fs::write(
        root.join("templates/goals.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n{% if %}\n{% endblock content %}\n",
    )
    .unwrap();
    let out = tmp.path().join("site");
    let o = build(&root, &out);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("--> templates/goals.html:3:"), "{e}");
    assert!(!out.exists(), "nothing written");
    std::fs::remove_file(root.join("templates/goals.html")).unwrap();
    let o = build(&root, &out);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("Unknown filter `nosuchfilter`\n --> templates/meeting.html:3:22\n  |\n3 |   {{ meeting.title | nosuchfilter }}"), "{e}");
    assert!(!out.exists(), "nothing written");
}

/// A diagnostic as (file, line, column, message).
type At = (String, u64, u64, String);

/// `check` (json) diagnostics and its exit code.
fn check_json(root: &std::path::Path) -> (Option<i32>, Vec<At>) {
    let o = run(&["check", "--root", root.to_str().unwrap(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let all = v
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (o.status.code(), all)
}

#[test]
fn check_reports_template_and_theme_errors_at_their_place() {
    let (_tmp, root) = project("small");
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("templates/report.html"),
        "{% extends \"default/report.html\" %}\n{% block content %}\n  <p>{{ broken( }}</p>\n{% endblock content %}\n",
    )
    .unwrap();
    std::fs::write(
        root.join("templates/meeting.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n  {% include \"nosuch.html\" %}\n  {{ meeting.title | nosuchfilter }}\n{% endblock content %}\n",
    )
    .unwrap();
    // A content error too: everything is reported in one run.
    let goals = std::fs::read_to_string(root.join("content/goals/goals.yaml")).unwrap();
    std::fs::write(root.join("content/goals/goals.yaml"), goals.replacen("title:", "titel:", 1)).unwrap();
    let (code, all) = check_json(&root);
    assert_eq!(code, Some(1));
    let at = |file: &str, line: u64, col: u64, msg: &str| {
        assert!(
            all.iter().any(|d| d.0 == file && d.1 == line && d.2 == col && d.3.contains(msg)),
            "no `{msg}` at {file}:{line}:{col} in {all:#?}"
        );
    };
    at("templates/report.html", 3, 17, "template error: Found `}}` but expected identifier");
    at("templates/meeting.html", 3, 14, "template error: Unknown template `nosuch.html`");
    at("templates/meeting.html", 4, 22, "template error: Unknown filter `nosuchfilter`");
    assert!(all.iter().any(|d| d.0 == "content/goals/goals.yaml" && d.3.contains("titel")), "{all:#?}");

    // Fixed templates, an unknown theme: reported at its `theme:` value in site.yaml.
    std::fs::remove_dir_all(root.join("templates")).unwrap();
    std::fs::write(root.join("content/goals/goals.yaml"), &goals).unwrap();
    let site = std::fs::read_to_string(root.join("content/site.yaml")).unwrap();
    std::fs::write(root.join("content/site.yaml"), format!("{site}theme: nosuch\n")).unwrap();
    let line = site.lines().count() as u64 + 1;
    let (code, all) = check_json(&root);
    assert_eq!(code, Some(1));
    assert_eq!(
        all,
        vec![(
            "content/site.yaml".to_string(),
            line,
            8,
            "theme `nosuch` not found: there is no themes/nosuch/templates/ folder".to_string()
        )]
    );
    // And the project passes once the theme exists.
    std::fs::create_dir_all(root.join("themes/nosuch/templates")).unwrap();
    let (code, all) = check_json(&root);
    assert_eq!((code, all.len()), (Some(0), 0), "{all:#?}");
}

#[test]
fn theme_export_writes_every_theme_file_on_disk_byte_for_byte() {
    // The binary embeds the default theme; what it exports must be exactly themes/default/: a
    // file added on disk but not embedded, or a static file passed through text, fails here.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("mine");
    let o = run(&["theme", "export", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let on_disk = snapshot(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default"));
    let exported = snapshot(&out);
    assert_eq!(
        exported.keys().collect::<Vec<_>>(),
        on_disk.keys().collect::<Vec<_>>(),
        "the embedded theme and themes/default/ list different files"
    );
    for (name, bytes) in &on_disk {
        assert!(exported[name] == *bytes, "{name} differs from themes/default/{name}");
    }
}
