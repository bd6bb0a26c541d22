//! What the binary's test files share: running `hookverify`, and a `listen` receiver.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Test code.

use std::io::{BufRead as _, BufReader, Lines};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Output, Stdio};

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_hookverify");

/// Runs the binary to completion (`HOOKVERIFY_SECRET` unset).
pub(crate) fn hookverify(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("HOOKVERIFY_SECRET")
        .output()
        .expect("run hookverify")
}

pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Writes `bytes` to `dir/name`, returning the path.
pub(crate) fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_owned()
}

/// Starts `hookverify listen ARGS --port 0 --json`; returns the child, its `127.0.0.1:PORT`
/// address and its stdout lines (the first, `listening on …`, already read).
pub(crate) fn listen(args: &[&str]) -> (Child, String, Lines<BufReader<ChildStdout>>) {
    let mut child = Command::new(BIN)
        .arg("listen")
        .args(args)
        .args(["--port", "0", "--json"])
        .env_remove("HOOKVERIFY_SECRET")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let addr = first
        .strip_prefix("listening on ")
        .expect(&first)
        .to_owned();
    (child, addr, lines)
}
