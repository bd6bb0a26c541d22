//! Adyen's typed event: the body whole (`live` and the `notificationItems`).

crate::events::macros::json_payload!("adyen", type_at: ["/notificationItems/0/NotificationRequestItem/eventCode"]);
