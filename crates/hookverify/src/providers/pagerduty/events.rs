//! PagerDuty's typed event: the body whole.

crate::events::macros::json_payload!("pagerduty", type_at: ["/event/event_type"]);
