#![doc = include_str!("../README.md")]

mod body;
mod error;
mod extract;
mod failure;
mod headers;
mod idempotency;
mod inbox;
mod middleware;

pub use error::WebhookError;
pub use extract::{Webhook, WebhookConfig};
pub use failure::WebhookFailure;
pub use headers::ActixHeaders;
pub use hookverify::adapter::InboxSink;
pub use hookverify::{DEFAULT_BODY_LIMIT, Verifiers};
pub use idempotency::{Idempotency, IdempotencyMiddleware};
pub use inbox::accept_into_inbox;
pub use middleware::{VerifiedWebhook, VerifyWebhooks, VerifyWebhooksMiddleware};
