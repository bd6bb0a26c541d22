//! The case table through the core alone: the same pipeline the adapters run
//! (`hookverify::adapter`), with the handler simulated, and no HTTP.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use hookverify::adapter::{AdapterIdempotency, Target, verify_parse_claim};
use hookverify::{Provider, ProviderEvent, ProviderVisitor};

use crate::{BODY_LIMIT, Behaviour, Calls, Case, SLOW, verifiers};

async fn pipeline<E: ProviderEvent>(
    case: &Case,
    slot: &hookverify::adapter::RequestSlot,
) -> Result<&'static str, u16> {
    verify_parse_claim::<E, E>(
        &verifiers(),
        &case.headers,
        Target::new("POST", &crate::path(case.provider)),
        case.body.clone().into(),
        Some(slot),
        "core",
    )
    .await
    .map(|parsed| parsed.event.variant())
    .map_err(|rejection| rejection.status())
}

type Pending<'a> = Pin<Box<dyn Future<Output = Result<&'static str, u16>> + Send + 'a>>;

/// The pipeline typed with one provider's event.
struct Pipeline<'a> {
    case: &'a Case,
    slot: &'a hookverify::adapter::RequestSlot,
}

impl<'a> ProviderVisitor for Pipeline<'a> {
    type Output = Pending<'a>;
    fn visit<E: ProviderEvent>(self, _: Provider) -> Pending<'a> {
        Box::pin(pipeline::<E>(self.case, self.slot))
    }
}

/// One delivery through the core: the status an adapter would answer.
pub async fn deliver(
    case: &Case,
    behaviour: Behaviour,
    idempotency: &AdapterIdempotency,
    calls: &Calls,
) -> u16 {
    if case.body.len() > BODY_LIMIT {
        return 413;
    }
    let slot = idempotency.slot();
    let variant = match case.provider.visit(Pipeline { case, slot: &slot }).await {
        Ok(variant) => variant,
        Err(status) => return status,
    };
    calls.record(&case.id, variant);
    let status = match behaviour {
        Behaviour::Ok | Behaviour::Permanent => 200,
        Behaviour::Slow => {
            tokio::time::sleep(SLOW).await;
            200
        }
        Behaviour::Temporary => 503,
        Behaviour::Error | Behaviour::Panic => 500,
    };
    slot.finish((200..300).contains(&status)).await;
    status
}

/// Runs a case's deliveries through the core with the timing the HTTP runs use.
pub async fn run(
    case: &Case,
    memory: &AdapterIdempotency,
    down: &AdapterIdempotency,
    calls: &Calls,
) -> Vec<u16> {
    let idempotency = if case.store_down {
        down.clone()
    } else {
        memory.clone()
    };
    if let Some(copies) = case.spec.concurrent {
        let tasks: Vec<_> = (0..copies)
            .map(|_| {
                let (case, idempotency, calls) = (case.clone(), idempotency.clone(), calls.clone());
                tokio::spawn(
                    async move { deliver(&case, Behaviour::Ok, &idempotency, &calls).await },
                )
            })
            .collect();
        let mut statuses = Vec::new();
        for task in tasks {
            statuses.push(task.await.unwrap_or(0));
        }
        return statuses;
    }
    let overlapping = case.spec.deliveries.iter().any(|d| d.after_ms > 0);
    if overlapping {
        let tasks: Vec<_> = case
            .spec
            .deliveries
            .iter()
            .map(|delivery| {
                let (case, idempotency, calls) = (case.clone(), idempotency.clone(), calls.clone());
                let behaviour = Behaviour::parse(Some(delivery.handler.as_str()));
                let after = Duration::from_millis(delivery.after_ms);
                tokio::spawn(async move {
                    tokio::time::sleep(after).await;
                    deliver(&case, behaviour, &idempotency, &calls).await
                })
            })
            .collect();
        return crate::http::collect_in_order(case, tasks).await;
    }
    let mut statuses = Vec::new();
    for delivery in &case.spec.deliveries {
        let behaviour = Behaviour::parse(Some(delivery.handler.as_str()));
        statuses.push(deliver(case, behaviour, &idempotency, calls).await);
    }
    statuses
}
