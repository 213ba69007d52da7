//! A big static file is copied into the site, not read into memory whole (issue 16). Its own
//! test binary, so the peak memory of the children it waits for is this build's alone.
#![cfg(target_os = "linux")]

mod common;
use common::*;

#[test]
fn a_big_static_file_is_copied_not_held_in_memory() {
    let (tmp, root) = project("small");
    let big = std::fs::File::create(root.join("static/video.bin")).unwrap();
    big.set_len(256 * 1024 * 1024).unwrap(); // sparse: no disk space until copied
    drop(big);
    let out = tmp.path().join("site");
    let o = run(&["build", "-q", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::metadata(out.join("video.bin")).unwrap().len(), 256 * 1024 * 1024);
    // SAFETY: `usage` is a plain struct the kernel fills in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: a valid pointer to `usage`.
    assert_eq!(unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) }, 0);
    let peak_mib = usage.ru_maxrss / 1024;
    assert!(peak_mib < 128, "the build peaked at {peak_mib} MiB for a 256 MiB static file");
}
