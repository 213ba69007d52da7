//! Property test: randomly corrupted content never panics. Loading ends with a model or with
//! diagnostics, and an error-free model always renders.

use crate::common::*;
use proptest::prelude::*;

const FILES: [&str; 6] = [
    "content/site.yaml",
    "content/funnel/2026.yaml",
    "content/goals/goals.yaml",
    "content/meetings/2026-10-05-sync.md",
    "content/meetings/2026-11-02-later.yaml",
    "content/checklist.yaml",
];

/// Characters that matter to YAML and markdown, to corrupt structure rather than just text.
const NOISE: &[u8] = b":-[]{}#&*!|>'\"%@`,? \n\t0123456789abc.~";

#[derive(Debug, Clone)]
enum Edit {
    Delete(usize, usize),
    Insert(usize, u8),
    Replace(usize, u8),
    Duplicate(usize, usize),
}

fn apply(text: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut t = text.to_vec();
    for e in edits {
        if t.is_empty() {
            break;
        }
        match *e {
            Edit::Delete(at, len) => {
                let at = at % t.len();
                let end = (at + len % 12).min(t.len());
                t.drain(at..end);
            }
            Edit::Insert(at, b) => {
                let at = at % (t.len() + 1);
                t.insert(at, NOISE[b as usize % NOISE.len()]);
            }
            Edit::Replace(at, b) => {
                let at = at % t.len();
                t[at] = NOISE[b as usize % NOISE.len()];
            }
            Edit::Duplicate(at, len) => {
                let at = at % t.len();
                let end = (at + len % 40).min(t.len());
                let chunk = t[at..end].to_vec();
                t.splice(at..at, chunk);
            }
        }
    }
    t
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<usize>()).prop_map(|(a, l)| Edit::Delete(a, l)),
        (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Edit::Insert(a, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Edit::Replace(a, b)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, l)| Edit::Duplicate(a, l)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn corrupted_content_never_panics(file in 0..FILES.len(), edits in proptest::collection::vec(edit(), 1..8)) {
        let (_tmp, root) = project("small");
        let path = root.join(FILES[file]);
        let original = std::fs::read(&path).unwrap();
        std::fs::write(&path, apply(&original, &edits)).unwrap();
        let loaded = smarketing::load::load(&root, jiff::civil::Date::constant(2026, 11, 30));
        for d in &loaded.diags {
            prop_assert!(d.line >= 1 && d.column >= 1);
            prop_assert!(d.file.starts_with("content"), "{}", d.file);
        }
        let site = smarketing::site::Site::load(&root, jiff::civil::Date::constant(2026, 11, 30), None);
        if !site.has_errors() {
            prop_assert!(site.build(&smarketing::render::MemorySink::default()).is_ok());
        }
    }
}

#[test]
fn corrupted_files_through_the_binary_exit_0_or_1() {
    // A fixed sample through the real binary: exit code is 0 or 1, never a crash.
    let cases: [(&str, &[u8]); 5] = [
        ("content/funnel/2026.yaml", b"- month: 2026-10\n  stages: {leads: [1, 2"),
        ("content/goals/goals.yaml", b"\x00\x01\x02binary"),
        ("content/meetings/2026-10-05-sync.md", b"---\ntitle: [\n---\n"),
        ("content/site.yaml", b"stages: []\nteams: 5\n"),
        ("content/checklist.yaml", b"months: &a [*a]\n"),
    ];
    for (file, bytes) in cases {
        let (_tmp, root) = project("small");
        std::fs::write(root.join(file), bytes).unwrap();
        let o = run(&["check", "--root", root.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{file}: {}", stderr(&o));
        assert!(stderr(&o).contains(file), "{file}: {}", stderr(&o));
    }
}

const CSV_NOISE: &[u8] = b",\"\n\r-:0123456789 TZ+abc\xef\xbb\xbf\xff";

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn corrupted_csv_never_panics(file in 0..2usize, edits in proptest::collection::vec(edit(), 1..10), noise in proptest::collection::vec(any::<u8>(), 0..6)) {
        let (csv, map) = [("hubspot/contacts.csv", "hubspot/map.yaml"), ("salesforce/leads.csv", "salesforce/map.yaml")][file];
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        copy_dir(&fixture("import").join(csv.split('/').next().unwrap()), dir);
        let name = csv.split('/').nth(1).unwrap();
        let original = std::fs::read(dir.join(name)).unwrap();
        let mut bytes = apply(&original, &edits);
        for (i, b) in noise.iter().enumerate() {
            let at = (*b as usize * 31 + i) % (bytes.len() + 1);
            bytes.insert(at, CSV_NOISE[*b as usize % CSV_NOISE.len()]);
        }
        std::fs::write(dir.join(name), bytes).unwrap();
        let map_path = dir.join(map.split('/').nth(1).unwrap());
        for skip in [false, true] {
            match smarketing::import::import(Some(&dir.join(name)), &map_path, skip) {
                Ok(o) => prop_assert!(o.yaml.starts_with("# Written by `smarketing import`")),
                Err(diags) => {
                    prop_assert!(!diags.is_empty());
                    for d in diags {
                        prop_assert!(d.line >= 1);
                    }
                }
            }
        }
    }
}
