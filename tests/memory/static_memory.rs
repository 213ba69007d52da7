//! A big static file is copied into the site, not read into memory whole (issue 16). The
//! peak memory is the build process's own (wait4), in the small tests/memory binary.
#![cfg(target_os = "linux")]

use crate::common::*;

#[test]
fn a_big_static_file_is_copied_not_held_in_memory() {
    let (tmp, root) = project("small");
    let big = std::fs::File::create(root.join("static/video.bin")).unwrap();
    big.set_len(256 * 1024 * 1024).unwrap(); // sparse: no disk space until copied
    drop(big);
    let out = tmp.path().join("site");
    let (o, peak_mib) =
        run_peak_mib(&["build", "-q", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::metadata(out.join("video.bin")).unwrap().len(), 256 * 1024 * 1024);
    assert!(peak_mib < 128, "the build peaked at {peak_mib} MiB for a 256 MiB static file");
}
