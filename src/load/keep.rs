//! Which paths a site's `keep_in_output` may name: checked when `site.yaml` is read, and the
//! name of the manifest a build leaves in the output folder, which no kept path may be.

/// The file that marks a folder as written by smarketing; it holds the manifest (JSON: the
/// files the build wrote).
pub const MARKER: &str = ".smarketing-build";

/// Why a `keep_in_output` entry cannot be a path inside the output folder, or `None` when it can.
pub fn keep_path_problem(path: &str) -> Option<&'static str> {
    let p = path.trim_end_matches('/');
    if p.is_empty() {
        return Some("is empty");
    }
    if p.starts_with('/') || p.contains('\\') || p.contains(':') {
        return Some("is not a relative path inside the output folder");
    }
    if p.chars().any(char::is_control) {
        return Some("contains a control character");
    }
    if p.split('/').any(|s| s.is_empty() || s == "." || s == "..") {
        return Some("has an empty, `.` or `..` part");
    }
    if p == MARKER {
        return Some("is smarketing's own manifest file");
    }
    None
}
