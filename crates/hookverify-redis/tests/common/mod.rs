//! Shared helpers: the Redis URL of the run, and a private `redis-server` a test can stop.

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)] // Test helpers.

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const HOW: &str = "run scripts/test.sh (it installs redis-server when missing and starts it), or start one yourself, \
e.g. `redis-server --port 6390 --save '' --appendonly no`, and set HOOKVERIFY_REDIS_URL=redis://127.0.0.1:6390";

/// The shared Redis of this test run. Fails (never skips) when it is not configured.
pub(crate) fn redis_url() -> String {
    match std::env::var("HOOKVERIFY_REDIS_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => panic!("HOOKVERIFY_REDIS_URL is not set: these tests need a real Redis; {HOW}"),
    }
}

/// A `redis-server` process of the test's own, on a free loopback port.
pub(crate) struct RedisServer {
    pub(crate) port: u16,
    child: Option<Child>,
}

pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl RedisServer {
    pub(crate) fn start() -> Self {
        let mut server = RedisServer {
            port: free_port(),
            child: None,
        };
        server.restart();
        server
    }

    pub(crate) fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Starts the server (again) on the same port and waits until it accepts connections.
    pub(crate) fn restart(&mut self) {
        let child = Command::new("redis-server")
            .args([
                "--port",
                &self.port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start redis-server ({e}): it must be on PATH; {HOW}")
            });
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "redis-server did not start on port {}",
                self.port
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Stops the server (SIGKILL: an abrupt outage) and waits for it to exit.
    pub(crate) fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}
