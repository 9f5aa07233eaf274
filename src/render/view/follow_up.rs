//! A follow-up of the program as the curriculum page lists it (the
//! dates themselves are `curriculum::follow_ups`).

use serde::Serialize;

/// A follow-up on the curriculum page: "Follow-up: Manager observation",
/// its date, and its days after the last session.
#[derive(Serialize, Clone)]
pub(crate) struct FollowUpView {
    pub title: String,
    pub date: String,
    pub date_iso: String,
    pub days: u32,
}
