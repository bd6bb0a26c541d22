#![doc = include_str!("../README.md")]

mod extract;
mod idempotency;
mod inbox;
mod rejection;

pub use extract::{VerifiedBody, Webhook};

pub use hookverify::adapter::InboxSink;
pub use idempotency::{IdempotencyLayer, IdempotencyService, WebhookFailure};
pub use inbox::{IntoInbox, accept_into_inbox};
pub use rejection::WebhookRejection;
