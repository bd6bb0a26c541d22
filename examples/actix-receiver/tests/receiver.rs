//! The `actix-receiver` binary end to end, against the contract both receiver examples share
//! (`examples/receiver_contract.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Test code.

#[path = "../../receiver_contract.rs"]
mod receiver_contract;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prints_one_line_per_processed_event() {
    receiver_contract::prints_one_line_per_processed_event(env!("CARGO_BIN_EXE_actix-receiver"))
        .await;
}
