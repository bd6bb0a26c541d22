//! Every case of `cases.json` through the core, the axum adapter and the actix-web adapter; the
//! statuses and handler-call counts must be the expected ones, and identical across all three.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // Test code.

use std::collections::BTreeMap;
use std::time::Duration;

use hookverify::adapter::AdapterIdempotency;
use hookverify_cases::{Calls, Case, DownStore, actix, axum_app, core_runner, http, load, memory};

fn check(
    case: &Case,
    framework: &str,
    statuses: &[u16],
    calls: &Calls,
    failures: &mut Vec<String>,
) {
    let spec = &case.spec;
    let variants = calls.variants(&case.id);
    if let Some(expected) = &spec.variant
        && variants.iter().any(|seen| seen != expected)
    {
        failures.push(format!(
            "{framework}: {} [{}]: the handler saw {variants:?} (expected only {expected})",
            spec.name, case.provider
        ));
    }
    let calls = variants.len();
    let statuses_ok = if spec.concurrent.is_some() {
        statuses.iter().all(|s| spec.expect_any_of.contains(s))
            && statuses.len() == spec.concurrent.unwrap_or(0)
    } else {
        statuses == spec.expect.as_slice()
    };
    if !statuses_ok || calls != spec.calls {
        failures.push(format!(
            "{framework}: {} [{}]: statuses {statuses:?} (expected {:?}{:?}), handler calls {calls} (expected {})",
            spec.name, case.provider, spec.expect, spec.expect_any_of, spec.calls
        ));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_case_table_gives_identical_results_through_core_axum_and_actix() {
    let cases = load();
    assert!(
        cases.len() >= 80,
        "the table expands to {} cases",
        cases.len()
    );

    let core_calls = Calls::default();
    let core_memory = AdapterIdempotency::new(memory());
    let core_down = AdapterIdempotency::new(DownStore);
    let axum_calls = Calls::default();
    let (axum_memory, axum_down) = axum_app::start(&axum_calls).await;
    let actix_calls = Calls::default();
    let (actix_memory, actix_down) = actix::start(&actix_calls);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    // Wait for the actix servers (on their own threads) to answer.
    for base in [&actix_memory, &actix_down] {
        for _ in 0..200 {
            if client.get(format!("{base}/ready")).send().await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    let mut failures = Vec::new();
    let mut by_framework: BTreeMap<&str, Vec<(Vec<u16>, usize)>> = BTreeMap::new();
    for case in &cases {
        let core = core_runner::run(case, &core_memory, &core_down, &core_calls).await;
        check(case, "core", &core, &core_calls, &mut failures);
        by_framework
            .entry("core")
            .or_default()
            .push((core, core_calls.get(&case.id)));

        let base = if case.store_down {
            &axum_down
        } else {
            &axum_memory
        };
        let axum = http::run(&client, base, case).await;
        check(case, "axum", &axum, &axum_calls, &mut failures);
        by_framework
            .entry("axum")
            .or_default()
            .push((axum, axum_calls.get(&case.id)));

        let base = if case.store_down {
            &actix_down
        } else {
            &actix_memory
        };
        let actix = http::run(&client, base, case).await;
        check(case, "actix", &actix, &actix_calls, &mut failures);
        by_framework
            .entry("actix")
            .or_default()
            .push((actix, actix_calls.get(&case.id)));
    }
    // Beyond matching the table: the two frameworks agree case by case (for concurrent cases,
    // on the handler calls and on the set of statuses allowed).
    for (index, case) in cases.iter().enumerate() {
        let (axum, actix) = (&by_framework["axum"][index], &by_framework["actix"][index]);
        if case.spec.concurrent.is_none() && axum != actix {
            failures.push(format!(
                "axum and actix differ on {} [{}]: {axum:?} vs {actix:?}",
                case.spec.name, case.provider
            ));
        }
        if axum.1 != actix.1 {
            failures.push(format!(
                "handler calls differ on {} [{}]",
                case.spec.name, case.provider
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} checks failed:\n{}",
        failures.len(),
        cases.len() * 3,
        failures.join("\n")
    );
}
