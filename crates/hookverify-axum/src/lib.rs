#![doc = include_str!("../README.md")]

mod extract;
mod idempotency;
mod rejection;

pub use extract::{VerifiedBody, Webhook};

pub use idempotency::{IdempotencyLayer, IdempotencyService, WebhookFailure};
pub use rejection::WebhookRejection;
