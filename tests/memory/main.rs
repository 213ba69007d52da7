//! The tests that measure a process's peak memory, in a test binary of their own. Linux records
//! the memory of the process a child was started from as the child's own peak when the child
//! starts another program, so a child of the big `testsuite` binary (whose other tests hold
//! whole sites in memory) would report that binary's peak, not its own. Here the parent stays
//! small. The helpers are the test suite's.

#[path = "../testsuite/common.rs"]
mod common;
mod import_memory;
mod static_memory;
