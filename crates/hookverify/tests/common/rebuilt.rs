//! Every built-in scheme written again with the public builder alone (no crate-private API),
//! for the tests that check it behaves identically to the built-in on every vector and every
//! case of the negative matrix. Only the provider tag differs: the public builder cannot claim
//! to be a built-in provider.

use std::borrow::Cow;
use std::time::Duration;

use hookverify::{
    HeaderNames, HmacAlgorithm, IdFormat, IdempotencyRule, Provider, Scheme, SecretEncoding,
    SignedPart, TimestampUnit, Tolerance,
};

fn svix_like(name: &'static str, first: HeaderNames, second: HeaderNames) -> Scheme {
    Scheme::custom(name)
        .header_names(first)
        .alternate_header_names(second)
        .versioned_list("v1")
        .ed25519_version("v1a")
        .base64()
        .key_encoding(SecretEncoding::Base64)
        .build()
        .unwrap()
}

fn webhook_set() -> HeaderNames {
    HeaderNames::new("webhook-signature")
        .id("webhook-id")
        .timestamp("webhook-timestamp")
}

fn svix_set() -> HeaderNames {
    HeaderNames::new("svix-signature")
        .id("svix-id")
        .timestamp("svix-timestamp")
}

fn body_field(
    fields: &'static [&'static str],
    then_header: bool,
    then_hash: bool,
) -> IdempotencyRule {
    IdempotencyRule::BodyField {
        fields,
        then_header,
        then_body_hash: then_hash,
    }
}

/// `provider`'s scheme, rebuilt from its documentation with the public builder; `None` for a
/// provider added after these eight (each provider's own `scheme()` is a `SchemeBuilder` chain
/// too, ending in the crate-private `.builtin(provider)` that only adds the provider tag).
pub(crate) fn scheme(provider: Provider) -> Option<Scheme> {
    Some(match provider {
        Provider::StandardWebhooks => svix_like("standard-webhooks", webhook_set(), svix_set()),
        Provider::Sendable => svix_like("sendable", svix_set(), webhook_set()),
        Provider::SendPilot => Scheme::custom("sendpilot")
            .signature_header("Webhook-Signature")
            .key_value("t", "s")
            .leading_version("v1")
            .idempotency(body_field(&["eventId"], false, false))
            .build()
            .unwrap(),
        Provider::AutoSend => Scheme::custom("autosend")
            .signature_header("X-Webhook-Signature")
            .timestamp_header("X-Webhook-Timestamp")
            .delivery_id_header("X-Webhook-Delivery-Id")
            .event_type_header("X-Webhook-Event")
            .signature_prefix("hmac-sha256=", false)
            .timestamp_unit(TimestampUnit::Auto)
            .signed_content([SignedPart::Body])
            .tolerance(Tolerance::new(
                Duration::from_secs(300),
                Duration::from_secs(60),
            ))
            .signing_header("User-Agent", "AutoSend-Webhooks/1.0")
            .generated_ids(IdFormat::Prefixed(Cow::Borrowed("job_")))
            .build()
            .unwrap(),
        Provider::SendKit => Scheme::custom("sendkit")
            .signature_header("X-Webhook-Signature")
            .event_type_header("X-Webhook-Event")
            .signature_prefix("sha256=", false)
            .idempotency(body_field(&["id", "eventId"], false, true))
            .build()
            .unwrap(),
        Provider::Sent => Scheme::custom("sent")
            .signature_header("x-webhook-signature")
            .id_header("x-webhook-id")
            .timestamp_header("x-webhook-timestamp")
            .optional_delivery_id_header("x-webhook-event-id")
            .event_type_header("x-webhook-event-type")
            .versioned_list("v1")
            .ed25519_version("v1a")
            .base64()
            .key_encoding(SecretEncoding::Base64)
            .idempotency(body_field(&["id"], true, true))
            .generated_ids(IdFormat::Uuid)
            .build()
            .unwrap(),
        Provider::Stripe => Scheme::custom("stripe")
            .signature_header("Stripe-Signature")
            .key_value("t", "v1")
            .idempotency(body_field(&["id"], false, false))
            .build()
            .unwrap(),
        Provider::GitHub => Scheme::custom("github")
            .signature_header("X-Hub-Signature-256")
            .delivery_id_header("X-GitHub-Delivery")
            .event_type_header("X-GitHub-Event")
            .signature_prefix("sha256=", true)
            .signing_header("User-Agent", "GitHub-Hookshot/hookverify")
            .generated_ids(IdFormat::Uuid)
            .build()
            .unwrap(),
        Provider::Slack => Scheme::custom("slack")
            .signature_header("X-Slack-Signature")
            .signature_prefix("v0=", true)
            .timestamp_header("X-Slack-Request-Timestamp")
            .signed_content([
                SignedPart::literal("v0:"),
                SignedPart::Timestamp,
                SignedPart::literal(":"),
                SignedPart::Body,
            ])
            .idempotency(body_field(&["event_id", "trigger_id"], false, true))
            .build()
            .unwrap(),
        Provider::Shopify => Scheme::custom("shopify")
            .signature_header("X-Shopify-Hmac-Sha256")
            .optional_delivery_id_header("X-Shopify-Event-Id")
            .event_type_header("X-Shopify-Topic")
            .base64()
            .signed_content([SignedPart::Body])
            .generated_ids(IdFormat::Uuid)
            .build()
            .unwrap(),
        Provider::Razorpay => Scheme::custom("razorpay")
            .signature_header("X-Razorpay-Signature")
            .optional_delivery_id_header("X-Razorpay-Event-Id")
            .signed_content([SignedPart::Body])
            .build()
            .unwrap(),
        Provider::CoinbaseCommerce => Scheme::custom("coinbase-commerce")
            .signature_header("X-CC-Webhook-Signature")
            .signed_content([SignedPart::Body])
            .idempotency(body_field(&["/event/id", "id"], false, true))
            .build()
            .unwrap(),
        Provider::Paddle => Scheme::custom("paddle")
            .signature_header("Paddle-Signature")
            .key_value("ts", "h1")
            .semicolon_separated()
            .signed_content([
                SignedPart::Timestamp,
                SignedPart::literal(":"),
                SignedPart::Body,
            ])
            .tolerance(Tolerance::new(
                Duration::from_secs(5),
                Duration::from_secs(60),
            ))
            .idempotency(body_field(&["event_id", "notification_id"], false, true))
            .build()
            .unwrap(),
        Provider::Twitch => Scheme::custom("twitch")
            .signature_header("Twitch-Eventsub-Message-Signature")
            .id_header("Twitch-Eventsub-Message-Id")
            .timestamp_header("Twitch-Eventsub-Message-Timestamp")
            .event_type_header("Twitch-Eventsub-Subscription-Type")
            .signature_prefix("sha256=", true)
            .timestamp_unit(TimestampUnit::Rfc3339)
            .signed_content([SignedPart::Id, SignedPart::Timestamp, SignedPart::Body])
            .tolerance(Tolerance::new(
                Duration::from_secs(600),
                Duration::from_secs(60),
            ))
            .signing_header("Twitch-Eventsub-Message-Type", "notification")
            .generated_ids(IdFormat::Uuid)
            .build()
            .unwrap(),
        Provider::Intercom => Scheme::custom("intercom")
            .signature_header("X-Hub-Signature")
            .signature_prefix("sha1=", true)
            .hex()
            .hmac(HmacAlgorithm::Sha1)
            .signed_content([SignedPart::Body])
            .idempotency(IdempotencyRule::BodyField {
                fields: &["id"],
                then_header: false,
                then_body_hash: true,
            })
            .build()
            .unwrap(),
        Provider::Vercel => Scheme::custom("vercel")
            .signature_header("x-vercel-signature")
            .hex()
            .hmac(HmacAlgorithm::Sha1)
            .signed_content([SignedPart::Body])
            .idempotency(IdempotencyRule::BodyField {
                fields: &["id"],
                then_header: false,
                then_body_hash: true,
            })
            .build()
            .unwrap(),
        Provider::Zoom => Scheme::custom("zoom")
            .signature_header("x-zm-signature")
            .signature_prefix("v0=", true)
            .hex()
            .timestamp_header("x-zm-request-timestamp")
            .signed_content([
                SignedPart::literal("v0:"),
                SignedPart::Timestamp,
                SignedPart::literal(":"),
                SignedPart::Body,
            ])
            .idempotency(IdempotencyRule::BodyHash)
            .build()
            .unwrap(),
        Provider::Calendly => Scheme::custom("calendly")
            .signature_header("Calendly-Webhook-Signature")
            .key_value("t", "v1")
            .hex()
            .tolerance(Tolerance::new(
                Duration::from_secs(180),
                Duration::from_secs(60),
            ))
            .idempotency(IdempotencyRule::BodyHash)
            .build()
            .unwrap(),
        Provider::Mux => Scheme::custom("mux")
            .signature_header("Mux-Signature")
            .key_value("t", "v1")
            .hex()
            .idempotency(IdempotencyRule::BodyField {
                fields: &["id"],
                then_header: false,
                then_body_hash: true,
            })
            .build()
            .unwrap(),
        Provider::Typeform => Scheme::custom("typeform")
            .signature_header("Typeform-Signature")
            .signature_prefix("sha256=", true)
            .base64()
            .signed_content([SignedPart::Body])
            .idempotency(IdempotencyRule::BodyField {
                fields: &["event_id"],
                then_header: false,
                then_body_hash: true,
            })
            .build()
            .unwrap(),
        Provider::Linear => Scheme::custom("linear")
            .signature_header("Linear-Signature")
            .optional_delivery_id_header("Linear-Delivery")
            .signed_content([SignedPart::Body])
            .build()
            .unwrap(),
        Provider::LemonSqueezy => Scheme::custom("lemonsqueezy")
            .signature_header("X-Signature")
            .event_type_header("X-Event-Name")
            .signed_content([SignedPart::Body])
            .idempotency(IdempotencyRule::BodyHash)
            .build()
            .unwrap(),
        Provider::Meta => Scheme::custom("meta")
            .signature_header("X-Hub-Signature-256")
            .signature_prefix("sha256=", true)
            .hex()
            .signed_content([SignedPart::Body])
            .idempotency(IdempotencyRule::BodyHash)
            .build()
            .unwrap(),
        Provider::Sentry => Scheme::custom("sentry")
            .signature_header("Sentry-Hook-Signature")
            .optional_delivery_id_header("Request-ID")
            .event_type_header("Sentry-Hook-Resource")
            .signed_content([SignedPart::Body])
            .build()
            .unwrap(),
        Provider::WooCommerce => Scheme::custom("woocommerce")
            .signature_header("X-WC-Webhook-Signature")
            .optional_delivery_id_header("X-WC-Webhook-Delivery-ID")
            .event_type_header("X-WC-Webhook-Topic")
            .base64()
            .signed_content([SignedPart::Body])
            .build()
            .unwrap(),
        Provider::Xero => Scheme::custom("xero")
            .signature_header("x-xero-signature")
            .base64()
            .signed_content([SignedPart::Body])
            .idempotency(IdempotencyRule::BodyHash)
            .build()
            .unwrap(),
        Provider::Bitbucket => Scheme::custom("bitbucket")
            .signature_header("X-Hub-Signature")
            .optional_delivery_id_header("X-Request-UUID")
            .event_type_header("X-Event-Key")
            .signature_prefix("sha256=", true)
            .signed_content([SignedPart::Body])
            .build()
            .unwrap(),
        Provider::Jira => Scheme::custom("jira")
            .signature_header("X-Hub-Signature")
            .optional_delivery_id_header("X-Atlassian-Webhook-Identifier")
            .signature_prefix("sha256=", true)
            .signed_content([SignedPart::Body])
            .build()
            .unwrap(),
        Provider::Zendesk => Scheme::custom("zendesk")
            .signature_header("X-Zendesk-Webhook-Signature")
            .timestamp_header("X-Zendesk-Webhook-Signature-Timestamp")
            .optional_delivery_id_header("X-Zendesk-Webhook-Invocation-Id")
            .base64()
            .timestamp_unit(TimestampUnit::Rfc3339)
            .signed_content([SignedPart::Timestamp, SignedPart::Body])
            .build()
            .unwrap(),
        Provider::Twilio => Scheme::custom("twilio")
            .signature_header("X-Twilio-Signature")
            .optional_delivery_id_header("I-Twilio-Idempotency-Token")
            .base64()
            .hmac(HmacAlgorithm::Sha1)
            .signed_content([SignedPart::Url, SignedPart::FormParams])
            .body_hash_in_url("bodySHA256")
            .url_port_variants()
            .generated_ids(IdFormat::Prefixed(Cow::Borrowed("idem_")))
            .build()
            .unwrap(),
        Provider::Square => Scheme::custom("square")
            .signature_header("X-Square-HmacSha256-Signature")
            .base64()
            .signed_content([SignedPart::Url, SignedPart::Body])
            .idempotency(body_field(&["event_id"], false, true))
            .build()
            .unwrap(),
        Provider::HubSpot => Scheme::custom("hubspot")
            .signature_header("X-HubSpot-Signature-v3")
            .timestamp_header("X-HubSpot-Request-Timestamp")
            .base64()
            .decode_url_escapes()
            .timestamp_unit(TimestampUnit::Milliseconds)
            .signed_content([
                SignedPart::Method,
                SignedPart::Url,
                SignedPart::Body,
                SignedPart::Timestamp,
            ])
            .build()
            .unwrap(),
        Provider::PagerDuty => Scheme::custom("pagerduty")
            .signature_header("X-PagerDuty-Signature")
            .optional_delivery_id_header("X-Webhook-Id")
            .key_value_signatures("v1")
            .signed_content([SignedPart::Body])
            .idempotency(body_field(&["/event/id"], false, true))
            .generated_ids(IdFormat::Uuid)
            .build()
            .unwrap(),
        Provider::GitLab => Scheme::custom("gitlab")
            .header_names(
                HeaderNames::new("webhook-signature")
                    .id("webhook-id")
                    .timestamp("webhook-timestamp")
                    .event_type("X-Gitlab-Event"),
            )
            .versioned_list("v1")
            .base64()
            .generated_ids(IdFormat::Uuid)
            .build()
            .unwrap(),
        Provider::Discord => Scheme::custom("discord")
            .signature_header("X-Signature-Ed25519")
            .timestamp_header("X-Signature-Timestamp")
            .hex()
            .key_encoding(SecretEncoding::Ed25519Hex)
            .signed_content([SignedPart::Timestamp, SignedPart::Body])
            .idempotency(body_field(&["id"], false, true))
            .generated_ids(IdFormat::Uuid)
            .build()
            .unwrap(),
        Provider::SendGrid => Scheme::custom("sendgrid")
            .signature_header("X-Twilio-Email-Event-Webhook-Signature")
            .timestamp_header("X-Twilio-Email-Event-Webhook-Timestamp")
            .base64()
            .key_encoding(SecretEncoding::EcdsaP256)
            .signed_content([SignedPart::Timestamp, SignedPart::Body])
            .tolerance(Tolerance::new(
                Duration::from_secs(24 * 60 * 60),
                Duration::from_secs(300),
            ))
            .build()
            .unwrap(),
        Provider::BoxCom => Scheme::custom("box")
            .header_names(
                HeaderNames::new("BOX-SIGNATURE-PRIMARY")
                    .second_signature("BOX-SIGNATURE-SECONDARY")
                    .timestamp("BOX-DELIVERY-TIMESTAMP")
                    .delivery_id("BOX-DELIVERY-ID"),
            )
            .base64()
            .timestamp_unit(TimestampUnit::Rfc3339)
            .signed_content([SignedPart::Body, SignedPart::Timestamp])
            .tolerance(Tolerance::new(
                Duration::from_secs(600),
                Duration::from_secs(60),
            ))
            .signing_header("BOX-SIGNATURE-VERSION", "1")
            .signing_header("BOX-SIGNATURE-ALGORITHM", "HmacSHA256")
            .generated_ids(IdFormat::Uuid)
            .build()
            .unwrap(),
        Provider::Mailgun => Scheme::custom("mailgun")
            .signature_in_body("signature")
            .header_names(
                HeaderNames::new("signature")
                    .id("token")
                    .timestamp("timestamp")
                    .second_signature("parent-signature"),
            )
            .hex()
            .signed_content([SignedPart::Timestamp, SignedPart::Id])
            .tolerance(Tolerance::new(
                Duration::from_secs(9 * 60 * 60),
                Duration::from_secs(300),
            ))
            .generated_ids(IdFormat::Prefixed("".into()))
            .build()
            .unwrap(),
        Provider::Adyen => Scheme::custom("adyen")
            .signature_in_body("notificationItems/*/NotificationRequestItem")
            .header_names(HeaderNames::new("additionalData.hmacSignature").event_type("eventCode"))
            .base64()
            .key_encoding(SecretEncoding::Hex)
            .signed_content(
                [
                    "pspReference",
                    "originalReference",
                    "merchantAccountCode",
                    "merchantReference",
                    "amount.value",
                    "amount.currency",
                    "eventCode",
                    "success",
                ]
                .iter()
                .enumerate()
                .flat_map(|(index, field)| {
                    let separator = (index > 0).then(|| SignedPart::literal(":"));
                    separator.into_iter().chain([SignedPart::field(field)])
                }),
            )
            .idempotency(IdempotencyRule::BodyHash)
            .build()
            .unwrap(),
        _ => return None,
    })
}
