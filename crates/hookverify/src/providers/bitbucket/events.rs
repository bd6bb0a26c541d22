//! Bitbucket Cloud's typed event: the body whole.

crate::events::macros::json_payload!("bitbucket", type_at: ["/push/changes/0/new/type"]);
