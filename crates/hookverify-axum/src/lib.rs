#![doc = include_str!("../README.md")]

mod extract;
mod idempotency;
mod rejection;
mod verifiers;

pub use extract::Webhook;
pub use idempotency::{IdempotencyLayer, IdempotencyService, WebhookFailure};
pub use rejection::WebhookRejection;
pub use verifiers::{DEFAULT_BODY_LIMIT, Verifiers};
