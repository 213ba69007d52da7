#![cfg(unix)]
//! Faults in the project's files (SECURITY.md): FIFOs and devices, symlinked
//! top-level folders, unreadable and symlinked static files, a funnel spanning millennia, two
//! sources for one output path, and a disk that fills up. Each ends in a clear message, never
//! a hang, a silent drop or a half-written site.

use crate::common::*;
use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

fn mkfifo(path: &Path) {
    assert!(Command::new("mkfifo").arg(path).status().unwrap().success());
}

#[test]
fn fifos_are_skipped_with_a_warning_never_opened() {
    let (tmp, root) = project("small");
    mkfifo(&root.join("content/meetings/2026-10-20-pipe.md"));
    mkfifo(&root.join("fifo.md"));
    symlink(root.join("fifo.md"), root.join("content/meetings/2026-10-21-link.md")).unwrap();
    mkfifo(&root.join("static/pipe.css"));
    let out = tmp.path().join("site");
    for args in [vec!["check"], vec!["build", "--output", out.to_str().unwrap()]] {
        let mut full = args.clone();
        full.extend(["--root", root.to_str().unwrap()]);
        let o = run_within(&full, Duration::from_secs(60));
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {err}");
        for name in ["content/meetings/2026-10-20-pipe.md", "content/meetings/2026-10-21-link.md", "static/pipe.css"] {
            assert!(err.contains(&format!("--> {name}:1:1")), "{args:?}: {name} not named in {err}");
        }
        assert_eq!(err.matches("not a regular file").count(), 3, "{err}");
    }
    assert!(out.join("logo.txt").is_file() && !out.join("pipe.css").exists());
}

#[test]
fn top_level_folders_symlinked_out_of_the_project_are_not_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    copy_dir(&fixture("small"), &outside);
    fs::write(outside.join("static/secret.txt"), "SECRET").unwrap();
    fs::create_dir_all(outside.join("templates")).unwrap();
    fs::write(outside.join("templates/index.html"), "OUTSIDE TEMPLATE").unwrap();
    let root = tmp.path().join("project");
    copy_dir(&fixture("small"), &root);
    fs::remove_dir_all(root.join("static")).unwrap();
    symlink(outside.join("static"), root.join("static")).unwrap();
    symlink(outside.join("templates"), root.join("templates")).unwrap();
    symlink(outside.join("templates"), root.join("themes")).unwrap();
    let out = tmp.path().join("site");
    let o = run(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    for name in ["static", "templates", "themes"] {
        assert!(err.contains(&format!("`{name}/` is a symlink leading outside the project")), "{name}: {err}");
    }
    assert!(!out.join("secret.txt").exists(), "static/ outside the project was copied");
    assert!(!fs::read_to_string(out.join("index.html")).unwrap().contains("OUTSIDE TEMPLATE"));
    // content/ itself: a warning names it, and nothing outside is read.
    fs::rename(root.join("content"), tmp.path().join("moved-content")).unwrap();
    symlink(outside.join("content"), root.join("content")).unwrap();
    let o = run(&["check", "--root", root.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("`content/` is a symlink leading outside the project"), "{err}");
    assert!(err.contains("no `content/` folder"), "{err}");
    assert!(!err.contains("content files") || err.contains("(0 content files checked)"), "{err}");
    // A symlink that stays inside the project is followed.
    fs::remove_file(root.join("content")).unwrap();
    fs::rename(tmp.path().join("moved-content"), root.join("real-content")).unwrap();
    symlink(root.join("real-content"), root.join("content")).unwrap();
    let o = run(&["check", "--root", root.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn static_symlinks_inside_are_copied_outside_are_errors() {
    let (tmp, root) = project("small");
    fs::write(root.join("notes.txt"), "inside").unwrap();
    fs::write(tmp.path().join("outside.txt"), "outside").unwrap();
    symlink(root.join("notes.txt"), root.join("static/inside-link.txt")).unwrap();
    let out = tmp.path().join("site");
    let o = run(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(out.join("inside-link.txt")).unwrap(), "inside");
    // A symlink out of the project would publish a file nobody put into the project: the
    // build stops, naming it, and the previous site stays.
    symlink(tmp.path().join("outside.txt"), root.join("static/outside-link.txt")).unwrap();
    let o = run(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(!out.join("outside-link.txt").exists());
    assert!(err.contains("static/outside-link.txt:1:1") && err.contains("leads outside the project"), "{err}");
}

/// The user the unreadable-file test runs the binary as when the tests run as root: `nobody`.
const NOBODY: u32 = 65534;

/// Whether the tests run as root (as in CI), where every file is readable whatever its mode.
fn running_as_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc_geteuid() == 0 }
}

extern "C" {
    #[link_name = "geteuid"]
    fn libc_geteuid() -> u32;
}

/// Gives `dir` and everything in it to `nobody`, so that a binary running as that user reads
/// the project and writes the output like its owner would.
fn give_to_nobody(dir: &Path) {
    std::os::unix::fs::lchown(dir, Some(NOBODY), Some(NOBODY)).unwrap();
    if fs::symlink_metadata(dir).unwrap().is_dir() {
        for e in fs::read_dir(dir).unwrap() {
            give_to_nobody(&e.unwrap().path());
        }
    }
}

/// A command that runs `program` as an unprivileged user: as the test's own user, or, when the
/// tests run as root, as `nobody` (root reads a file of mode 000, so only another user can
/// meet an unreadable file). `bin` is a folder for a link to the binary that `nobody` can
/// reach wherever the checkout lies.
fn unprivileged(program: &Path, bin: &Path) -> Command {
    if !running_as_root() {
        let mut cmd = Command::new(program);
        cmd.env("SOURCE_DATE_EPOCH", TEST_EPOCH);
        return cmd;
    }
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(bin, fs::Permissions::from_mode(0o755)).unwrap();
    let linked = bin.join(program.file_name().unwrap());
    if !linked.exists() && fs::hard_link(program, &linked).is_err() {
        fs::copy(program, &linked).unwrap();
    }
    // std drops the supplementary groups too when it changes the user of a root process.
    let mut cmd = Command::new(linked);
    std::os::unix::process::CommandExt::uid(&mut cmd, NOBODY);
    std::os::unix::process::CommandExt::gid(&mut cmd, NOBODY);
    cmd.current_dir(bin).env("SOURCE_DATE_EPOCH", TEST_EPOCH);
    cmd
}

#[test]
fn unreadable_files_are_errors_naming_them_even_when_tests_run_as_root() {
    use std::os::unix::fs::PermissionsExt;
    let (tmp, root) = project("small");
    let bin = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    // A whole site first, to see that a failing build leaves it as it was.
    fs::write(root.join("static/secret.css"), "body{}").unwrap();
    fs::create_dir_all(root.join("static/private")).unwrap();
    fs::write(root.join("static/private/a.txt"), "a").unwrap();
    fs::create_dir_all(root.join("templates")).unwrap();
    fs::write(root.join("templates/footer.html"), "<footer>mine</footer>").unwrap();
    fs::create_dir_all(root.join("content/meetings/archive")).unwrap();
    if running_as_root() {
        give_to_nobody(tmp.path());
    }
    let smarketing = Path::new(env!("CARGO_BIN_EXE_smarketing"));
    let args = |cmd: &str| {
        let mut a = vec![cmd.to_string(), "--root".into(), root.display().to_string()];
        if cmd == "build" {
            a.extend(["--output".into(), out.display().to_string()]);
        }
        a
    };
    // As root this runs as `nobody`, which must reach the temporary folder (TMPDIR).
    let reach = "as root the binary runs as nobody (uid 65534), which must be able to reach TMPDIR";
    let o = unprivileged(smarketing, bin.path())
        .args(args("build"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|e| panic!("cannot run the binary: {e}; {reach}"));
    assert!(o.status.success(), "{}; {reach}", stderr(&o));
    let before = snapshot(&out);
    assert!(before.contains_key("secret.css") && before.contains_key("private/a.txt"));
    let unreadable = [
        "static/secret.css",
        "static/private",
        "templates/footer.html",
        "content/meetings/2026-10-05-sync.md",
        "content/goals/goals.yaml",
        "content/meetings/archive",
    ];
    for name in unreadable {
        fs::set_permissions(root.join(name), fs::Permissions::from_mode(0o000)).unwrap();
    }
    // The setup is honest: the user the binary runs as really cannot read these.
    let cat = unprivileged(Path::new("/bin/cat"), bin.path()).arg(root.join("static/secret.css")).output().unwrap();
    assert!(!cat.status.success(), "the unprivileged user can read a file of mode 000");
    for cmd in ["check", "build"] {
        let o = unprivileged(smarketing, bin.path()).args(args(cmd)).env("NO_COLOR", "1").output().unwrap();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{cmd}: {err}");
        for name in unreadable {
            let at = err.find(&format!("--> {name}")).unwrap_or_else(|| panic!("{cmd}: {name} not named in {err}"));
            // The error line above the location says why.
            let message = err[..at].lines().rev().nth(1).unwrap_or("");
            assert!(message.starts_with("error:") && message.contains("ermission denied"), "{cmd}: {name}: {err}");
        }
        assert_eq!(snapshot(&out), before, "{cmd}: the previous site changed");
    }
    // Readable again, so that a user running the tests can remove the temporary folder.
    for name in unreadable {
        fs::set_permissions(root.join(name), fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[test]
fn a_funnel_spanning_millennia_is_an_error_not_a_huge_site() {
    let (tmp, root) = project("small");
    fs::write(
        root.join("content/funnel/far.yaml"),
        "- month: 0001-01\n  stages: {leads: 1}\n- month: 9999-12\n  stages: {leads: 1}\n",
    )
    .unwrap();
    let out = tmp.path().join("site");
    for args in [vec!["check"], vec!["build", "--output", out.to_str().unwrap()]] {
        let mut full = args.clone();
        full.extend(["--root", root.to_str().unwrap()]);
        let o = run_within(&full, Duration::from_secs(60));
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        // 9999-12 lies after the as-of date and is left out; 0001-01 is not.
        assert!(err.contains("span 24310 months, from 0001-01 to 2026-10"), "{err}");
        assert!(err.contains("--> content/funnel/far.yaml:1:"), "{err}");
    }
    assert!(!out.exists());
}

#[test]
fn check_finds_two_sources_for_one_output_path() {
    type Make<'a> = &'a dyn Fn(&Path);
    let cases: [(&str, &str, Make); 3] = [
        ("content/meetings/index.html.md", "error: a page of the site is written to `meetings/index.html`, but the page of the meeting in content/meetings/index.html.md needs a folder there (`meetings/index.html/index.html`)", &|root: &Path| {
            fs::write(
                root.join("content/meetings/index.html.md"),
                "---\ntitle: X\ndate: 2026-10-07\nattendees: [Ann]\n---\nx\n",
            )
            .unwrap();
        }),
        (
            "static/reports",
            "error: the static file static/reports is written to `reports`, but a page of the site needs a folder there (`reports/2026-09/index.html`)",
            &|root: &Path| fs::write(root.join("static/reports"), "x").unwrap(),
        ),
        (
            "static/index.html",
            "error: this static file would replace a page of the site, `index.html`",
            &|root: &Path| fs::write(root.join("static/index.html"), "<p>mine</p>").unwrap(),
        ),
    ];
    for (file, message, make) in cases {
        let (tmp, root) = project("small");
        make(&root);
        let o = run(&["check", "--root", root.to_str().unwrap()]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{file}: {err}");
        assert!(err.contains(&format!("--> {file}:1:1")), "{file}: {err}");
        assert!(err.contains(&format!("{message}\n --> {file}:1:1")), "{file}: {err}");
        let out = tmp.path().join("site");
        let o = run(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{file}");
        assert!(stderr(&o).contains(&format!("--> {file}:1:1")), "{file}: {}", stderr(&o));
        assert!(!out.exists());
    }
}

#[test]
fn a_full_disk_is_one_error_not_hundreds() {
    let (tmp, root) = project("small");
    for i in 0..200 {
        fs::write(
            root.join(format!("content/meetings/2026-10-{:02}-m{i}.md", i % 28 + 1)),
            format!(
                "---\ntitle: M {i}\ndate: 2026-10-{:02}\nattendees: [Ann]\n---\n{}\n",
                i % 28 + 1,
                "x ".repeat(400)
            ),
        )
        .unwrap();
    }
    let out = tmp.path().join("site");
    // Files may grow to 2 KiB: every page write fails (EFBIG), as on a full disk.
    let script = format!(
        "trap '' XFSZ; ulimit -f 2; exec {} build --root '{}' --output '{}'",
        env!("CARGO_BIN_EXE_smarketing"),
        root.display(),
        out.display()
    );
    let o = Command::new("sh")
        .arg("-c")
        .arg(script)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", TEST_EPOCH)
        .output()
        .unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_eq!(err.matches("error:").count(), 1, "{err}");
    assert!(err.contains("more files could not be written"), "{err}");
    // The write's hint reaches the user (it was dropped on the way to the message).
    assert!(err.contains("= help: check permissions and free disk space"), "{err}");
    assert!(!out.exists());
    assert!(leftovers(tmp.path()).is_empty());
}

#[test]
fn control_characters_never_reach_pages_or_xml_and_base_url_is_checked() {
    let (tmp, root) = project("small");
    let site = fs::read_to_string(root.join("content/site.yaml")).unwrap();
    let site = site
        .replace("title: Small & <Co> report", "title: \"T\\0i\\x01t\\x08le\\x1b[2J\"")
        .replace("organization: Small Co", "organization: \"Org\\x0c\\x7f\\x85\"");
    fs::write(root.join("content/site.yaml"), &site).unwrap();
    fs::write(
        root.join("content/meetings/2026-10-08-ctl.yaml"),
        "title: \"M\\0\"\ndate: 2026-10-08\nattendees: [\"Ann\\x02\"]\nnotes: \"N\\x03\"\n",
    )
    .unwrap();
    // A channel name (a map key) that ends up in a chart's SVG.
    let funnel = fs::read_to_string(root.join("content/funnel/2026.yaml")).unwrap();
    fs::write(
        root.join("content/funnel/2026.yaml"),
        funnel.replace("    organic search:", "    \"organic\\x0bsearch\":"),
    )
    .unwrap();
    let out = tmp.path().join("site");
    let o = run(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("contains the control character U+0000"), "{err}");
    assert!(err.contains("contains the control character U+000B"), "{err}");
    for (path, bytes) in snapshot(&out) {
        let text = String::from_utf8_lossy(&bytes);
        let bad = text.chars().find(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'));
        assert!(bad.is_none(), "{path} holds U+{:04X}", bad.unwrap() as u32);
    }
    let feed = fs::read_to_string(out.join("feed.xml")).unwrap();
    assert!(feed.contains("<title>T\u{fffd}i\u{fffd}t\u{fffd}le\u{fffd}[2J</title>"), "{feed}");
    // base_url: an address, nothing else.
    for bad in
        ["https://a b/", "https://x.example/\"onload=\"", "https://x.example/\\nrest", "https:///path", "ftp://x/"]
    {
        let yaml = site.replace("base_url: https://example.test/r/", &format!("base_url: \"{bad}\""));
        fs::write(root.join("content/site.yaml"), yaml).unwrap();
        let o = run(&["check", "--root", root.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{bad}");
        assert!(stderr(&o).contains("content/site.yaml:3:"), "{bad}: {}", stderr(&o));
        let plain = bad.replace("\\n", "\n");
        let o = run(&["build", "--root", root.to_str().unwrap(), "--base-url", &plain]);
        assert_eq!(o.status.code(), Some(2), "--base-url {bad}");
    }
}

/// `check` on a copy of the small project after `edit`: (exit code, standard error).
fn check_after(edit: impl Fn(&Path)) -> (Option<i32>, String) {
    let (_tmp, root) = project("small");
    edit(&root);
    let o = run(&["check", "--root", root.to_str().unwrap()]);
    (o.status.code(), stderr(&o))
}

fn replace_in(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} not in {}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn numbers_and_lists_that_cannot_be_right_are_flagged() {
    // More customers lost than there ever were: an error, never a silent -100% retention.
    let (code, err) = check_after(|root| {
        replace_in(
            &root.join("content/funnel/2026.yaml"),
            "{start: 200, new: 10, lost: 4}",
            "{start: 200, new: 10, lost: 300}",
        )
    });
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("customers.lost (300) is more than start plus new (200 + 10)"), "{err}");
    assert!(err.contains("content/funnel/2026.yaml:5:"), "{err}");
    // Lost more than at the start, but not more than start plus new: a warning.
    let (code, err) = check_after(|root| {
        replace_in(
            &root.join("content/funnel/2026.yaml"),
            "{start: 200, new: 10, lost: 4}",
            "{start: 200, new: 10, lost: 205}",
        )
    });
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("retention rate is below 0"), "{err}");
    // The same owner twice, the same checklist item twice.
    let (code, err) = check_after(|root| {
        replace_in(&root.join("content/goals/goals.yaml"), "owners: [marketing, sales]", "owners: [sales, sales]")
    });
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("owner `sales` is listed twice") && err.contains("content/goals/goals.yaml:3:"), "{err}");
    let (code, err) = check_after(|root| {
        replace_in(&root.join("content/checklist.yaml"), "checked: [open-ears]", "checked: [open-ears, open-ears]")
    });
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("`open-ears` is checked twice") && err.contains("content/checklist.yaml:2:"), "{err}");
    // A stage label repeated on every page cannot be megabytes long.
    let (code, err) = check_after(|root| {
        let site = fs::read_to_string(root.join("content/site.yaml")).unwrap();
        fs::write(root.join("content/site.yaml"), format!("{site}stage_labels: {{mql: {}}}\n", "M".repeat(100_000)))
            .unwrap();
    });
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("this stage label is 100000 characters long"), "{err}");
    // Every stage repeats on every page: 3,000 stages made a 279 MB site; past 30 is an error.
    let stages = |n: usize| (1..=n).map(|i| format!("s{i}")).collect::<Vec<_>>().join(", ");
    let (code, err) = check_after(|root| {
        let site = fs::read_to_string(root.join("content/site.yaml")).unwrap();
        fs::write(root.join("content/site.yaml"), format!("{site}stages: [{}]\n", stages(31))).unwrap();
    });
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("this funnel has 31 stages; at most 30 can be shown"), "{err}");
    // Revenue in a month that won nothing: a warning at the revenue, not a silent "—" deal.
    let (code, err) = check_after(|root| {
        replace_in(&root.join("content/funnel/2026.yaml"), "opportunities: 50, won: 10}", "opportunities: 50, won: 0}")
    });
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("revenue is 100000 but `won` is 0 this month"), "{err}");
    assert!(err.contains("content/funnel/2026.yaml:3:12"), "{err}");
}

#[test]
fn figures_past_what_a_float_holds_show_no_value_and_huge_counts_are_errors() {
    let (tmp, root) = project("small");
    let funnel = root.join("content/funnel/2026.yaml");
    // Spend near f64::MAX overflowed CAC's sum and a cycle of 1e-320 days sales velocity
    // (the pages said "EUR inf"); such numbers are now errors at the value.
    replace_in(&funnel, "spend: {marketing: 20000, sales: 30000}", "spend: {marketing: 1.7e308, sales: 1.7e308}");
    replace_in(&funnel, "sales_cycle_days: 40", "sales_cycle_days: 1e-320");
    let o = run(&["check", "--root", root.to_str().unwrap()]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(e.contains("`1.7e308`, larger in size than") && e.contains("`1e-320`, closer to 0"), "{e}");
    // The extremes allowed build with every figure finite.
    replace_in(&funnel, "spend: {marketing: 1.7e308, sales: 1.7e308}", "spend: {marketing: 9e15, sales: 9e15}");
    replace_in(&funnel, "sales_cycle_days: 1e-320", "sales_cycle_days: 0.000000001");
    // 2^53 - 1, the largest count a float holds exactly, is fine.
    replace_in(&funnel, "{leads: 1000,", "{leads: 9007199254740991,");
    let out = tmp.path().join("site");
    let o = run(&["build", "-q", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let data: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("data/2026-09.json")).unwrap()).unwrap();
    assert!(data["cac"].as_f64().is_some_and(f64::is_finite), "{}", data["cac"]);
    assert!(data["sales_velocity"].as_f64().is_some_and(f64::is_finite), "{}", data["sales_velocity"]);
    assert_eq!(data["stages"]["leads"], 9007199254740991u64);
    for (path, bytes) in snapshot(&out) {
        let text = String::from_utf8_lossy(&bytes);
        for bad in ["inf", "NaN"] {
            assert!(
                !text.contains(&format!("EUR\u{a0}{bad}")) && !text.contains(&format!(">{bad}")),
                "{bad} in {path}"
            );
        }
    }
    let report = fs::read_to_string(out.join("reports/2026-09/index.html")).unwrap();
    assert!(!report.contains("inf"), "no infinity anywhere on the report");
    // One more and a float would round it: an error at the count, in a month and a channel.
    replace_in(&funnel, "{leads: 9007199254740991,", "{leads: 9007199254740993,");
    replace_in(&funnel, "organic search: {leads: 700,", "organic search: {leads: 1e17,");
    let o = run(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("error: stage `leads` is 9007199254740993, larger than the largest count the tool computes with exactly, 9,007,199,254,740,991\n --> content/funnel/2026.yaml:2:19"), "{e}");
    assert!(
        e.contains("error: stage `leads` is `1e17`, larger in size than 9,007,199,254,740,991")
            && e.contains("content/funnel/2026.yaml:17:29"),
        "{e}"
    );
}

#[test]
fn init_on_a_file_says_it_is_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("notes.txt");
    fs::write(&file, "x").unwrap();
    let o = run(&["init", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("it is a file, not a folder"), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(&file).unwrap(), "x");
}

/// Every `<svg>…</svg>` element of an HTML page (charts are inline SVG).
fn svgs(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let end = rest[start..].find("</svg>").expect("an <svg> is closed") + start + "</svg>".len();
        out.push(&rest[start..end]);
        rest = &rest[end..];
    }
    out
}

/// Parses `text` as XML and returns every text node and attribute value in it, failing the
/// test (naming `what`) when it is not well-formed, which includes a character XML forbids.
fn xml_texts(what: &str, text: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{what} is not well-formed XML: {e}"));
    let mut out = Vec::new();
    for node in doc.descendants() {
        out.extend(node.text().map(str::to_string));
        out.extend(node.attributes().map(|a| a.value().to_string()));
    }
    out
}

/// Issue 16 item 9: a control character in the site title, organization, a stage label, a goal
/// title or a channel name leaves feed.xml, sitemap.xml and every chart's SVG well-formed XML
/// with no control character in any text or attribute: each shows as U+FFFD, with a warning.
#[test]
fn control_characters_in_text_fields_leave_feed_sitemap_and_every_svg_well_formed() {
    let (tmp, root) = project("small");
    replace_in(&root.join("content/site.yaml"), "title: Small & <Co> report", "title: \"Small\\x01 <report>\"");
    replace_in(&root.join("content/site.yaml"), "organization: Small Co", "organization: \"Org\\u0085\\x0c\"");
    let site = fs::read_to_string(root.join("content/site.yaml")).unwrap();
    fs::write(root.join("content/site.yaml"), format!("{site}stage_labels: {{mql: \"M\\eQL\", won: \"Won\\x7f\"}}\n"))
        .unwrap();
    replace_in(&root.join("content/goals/goals.yaml"), "title: Lower CAC", "title: \"Lower\\b CAC\"");
    replace_in(&root.join("content/funnel/2026.yaml"), "    organic search:", "    \"organic\\vsearch\":");
    let out = tmp.path().join("site");
    let o = run(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    for c in ["0001", "0085", "001B", "007F", "0008", "000B"] {
        assert!(err.contains(&format!("contains the control character U+{c}")), "U+{c} not warned: {err}");
    }
    let bad = |s: &str| s.chars().find(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'));
    let mut shown = String::new();
    for name in ["feed.xml", "sitemap.xml"] {
        for t in xml_texts(name, &fs::read_to_string(out.join(name)).unwrap()) {
            assert!(bad(&t).is_none(), "{name} holds {t:?}");
            shown.push_str(&t);
        }
    }
    assert!(shown.contains("Small\u{fffd} <report>") && shown.contains("Org\u{fffd}\u{fffd}"), "{shown}");
    let mut charts = 0;
    let mut in_charts = String::new();
    for (path, bytes) in snapshot(&out).into_iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8(bytes).unwrap();
        for (i, svg) in svgs(&html).into_iter().enumerate() {
            charts += 1;
            for t in xml_texts(&format!("{path}: SVG {i}"), svg) {
                assert!(bad(&t).is_none(), "{path}: SVG {i} holds {t:?}");
                in_charts.push_str(&t);
                in_charts.push('\n');
            }
        }
        assert!(bad(&html).is_none(), "{path} holds {:?}", bad(&html));
        if path == "reports/2026-10/index.html" {
            assert!(html.contains("organic\u{fffd}search"), "the channel name is shown, replaced");
        }
    }
    assert!(charts >= 20, "only {charts} charts");
    for label in ["M\u{fffd}QL", "Won\u{fffd}", "Lower\u{fffd} CAC"] {
        assert!(in_charts.contains(label), "{label} is in no chart: {in_charts}");
    }
}
