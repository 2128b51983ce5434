//! The volunteer ambassador programme: enrollment and its consent record,
//! invitations and candidates, social accounts and push tokens.
//!
//! Ambassadors are volunteers: only the employee moves their own status to
//! ACTIVE, and may decline, pause, resume or withdraw at any time. HR spots
//! candidates and invites them, never more often than the 90-day rule allows.

pub mod candidates;
pub mod demo;
pub mod devices;
pub mod enrollment;
pub mod invitation_list;
pub mod invitations;
pub mod social;

use chrono::{DateTime, Duration, Utc};

/// Days after a decline or a withdrawal before HR may invite again.
pub const REINVITE_AFTER_DAYS: i64 = 90;

/// Whether a person who declined or withdrew at `event` may be invited at
/// `now`: from exactly 90 × 24 hours after the event on. Unknown times
/// (rows older than the rule) do not block.
pub fn reinvite_allowed(event: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    event.is_none_or(|at| now >= at + Duration::days(REINVITE_AFTER_DAYS))
}

/// When a person who declined or withdrew at `event` may be invited again.
pub fn reinvitable_from(event: DateTime<Utc>) -> DateTime<Utc> {
    event + Duration::days(REINVITE_AFTER_DAYS)
}

/// The latest time a decline or withdrawal may have happened for the
/// person to be invitable at `now`.
pub fn reinvite_cutoff(now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::days(REINVITE_AFTER_DAYS)
}

/// A mobile platform that issues push tokens.
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DevicePlatform {
    /// Apple Push Notification service.
    Ios,
    /// Firebase Cloud Messaging.
    Android,
}

impl DevicePlatform {
    pub fn as_str(self) -> &'static str {
        match self {
            DevicePlatform::Ios => "IOS",
            DevicePlatform::Android => "ANDROID",
        }
    }
}

/// What an employee consented to, or withdrew consent from.
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConsentAction {
    /// Enrolled, accepting the charter version recorded.
    Enroll,
    /// Declined an invitation.
    Decline,
    /// Paused the ambassadorship.
    Pause,
    /// Resumed after a pause.
    Resume,
    /// Left the programme.
    Withdraw,
}

impl ConsentAction {
    pub const ALL: [ConsentAction; 5] = [
        ConsentAction::Enroll,
        ConsentAction::Decline,
        ConsentAction::Pause,
        ConsentAction::Resume,
        ConsentAction::Withdraw,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ConsentAction::Enroll => "ENROLL",
            ConsentAction::Decline => "DECLINE",
            ConsentAction::Pause => "PAUSE",
            ConsentAction::Resume => "RESUME",
            ConsentAction::Withdraw => "WITHDRAW",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// Why `inviteAmbassadors` left someone out.
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InviteSkipReason {
    /// Already invited and has not answered yet.
    AlreadyInvited,
    /// Already an ambassador (ACTIVE or PAUSED).
    AlreadyEnrolled,
    /// Declined less than 90 days ago.
    DeclinedRecently,
    /// Withdrew less than 90 days ago.
    WithdrawnRecently,
    /// No such user in the organization.
    NotFound,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn reinvitation_opens_exactly_ninety_days_after_the_event() {
        let event = Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap();
        let open = event + Duration::days(90);
        assert!(!reinvite_allowed(Some(event), open - Duration::seconds(1)));
        assert!(reinvite_allowed(Some(event), open));
        assert!(reinvite_allowed(None, event));
        assert_eq!(reinvite_cutoff(open), event);
    }
}
