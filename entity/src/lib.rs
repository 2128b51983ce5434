//! SeaORM entities, one module per table. No GraphQL types live here.

pub mod clicks;
pub mod consent_records;
pub mod content_dismissals;
pub mod content_groups;
pub mod content_suggested_texts;
pub mod content_topics;
pub mod contents;
pub mod device_tokens;
pub mod group_members;
pub mod groups;
pub mod invitations;
pub mod login_failures;
pub mod notifications_outbox;
pub mod organizations;
pub mod points_ledger;
pub mod refresh_tokens;
pub mod shares;
pub mod social_accounts;
pub mod topic_follows;
pub mod topics;
pub mod users;
