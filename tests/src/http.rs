//! Sending a case's deliveries over real HTTP with a real client.

use std::time::Duration;

use tokio::task::JoinHandle;

use crate::{CASE_HEADER, Case, HANDLER_HEADER, path};

async fn send(client: &reqwest::Client, base: &str, case: &Case, handler: &str) -> u16 {
    // The server closes a connection whose request announces too large a body: such requests
    // get a connection of their own, so no later request reuses the closed one.
    let fresh;
    let client = if case.spec.mutate.as_deref() == Some("oversize") {
        fresh = reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .build()
            .unwrap();
        &fresh
    } else {
        client
    };
    let mut request = client.post(format!("{base}{}", path(case.provider)));
    for (name, value) in &case.headers {
        request = request.header(name, value);
    }
    let request = request
        .header(HANDLER_HEADER, handler)
        .header(CASE_HEADER, case.id.as_str())
        .body(case.body.clone());
    match request.send().await {
        Ok(response) => {
            let status = response.status().as_u16();
            // The contract: every "retry later" answer says when.
            if status == 409 || status == 503 {
                let retry_after = response
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse::<u64>().ok());
                assert!(
                    retry_after.is_some_and(|s| s >= 1),
                    "{}: {status} without a Retry-After in whole seconds",
                    case.id
                );
            }
            status
        }
        // The server may answer 413 and close while the body is still being sent.
        Err(err) if err.is_request() || err.is_body() => 0,
        Err(err) => panic!("{}: {err}", case.id),
    }
}

/// Waits for the deliveries' tasks in order (their statuses, delivery by delivery).
pub async fn collect_in_order(case: &Case, tasks: Vec<JoinHandle<u16>>) -> Vec<u16> {
    let mut statuses = Vec::with_capacity(tasks.len());
    for task in tasks {
        statuses.push(task.await.unwrap_or_else(|e| panic!("{}: {e}", case.id)));
    }
    statuses
}

/// Runs a case against a server: sequential deliveries one after another (each waits for the
/// previous answer) unless an `after_ms` offset makes them overlap; `concurrent` copies at once.
pub async fn run(client: &reqwest::Client, base: &str, case: &Case) -> Vec<u16> {
    if let Some(copies) = case.spec.concurrent {
        let tasks: Vec<_> = (0..copies)
            .map(|_| {
                let (client, base, case) = (client.clone(), base.to_owned(), case.clone());
                tokio::spawn(async move { send(&client, &base, &case, "ok").await })
            })
            .collect();
        return collect_in_order(case, tasks).await;
    }
    let overlapping = case.spec.deliveries.iter().any(|d| d.after_ms > 0);
    if overlapping {
        let tasks: Vec<_> = case
            .spec
            .deliveries
            .iter()
            .map(|delivery| {
                let (client, base, case) = (client.clone(), base.to_owned(), case.clone());
                let (handler, after) = (
                    delivery.handler.clone(),
                    Duration::from_millis(delivery.after_ms),
                );
                tokio::spawn(async move {
                    tokio::time::sleep(after).await;
                    send(&client, &base, &case, &handler).await
                })
            })
            .collect();
        return collect_in_order(case, tasks).await;
    }
    let mut statuses = Vec::new();
    for delivery in &case.spec.deliveries {
        statuses.push(send(client, base, case, &delivery.handler).await);
    }
    statuses
}
