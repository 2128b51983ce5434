//! SeaORM entities, one module per table. No GraphQL types live here.

pub mod consent_records;
pub mod device_tokens;
pub mod group_members;
pub mod groups;
pub mod invitations;
pub mod login_failures;
pub mod notifications_outbox;
pub mod organizations;
pub mod refresh_tokens;
pub mod social_accounts;
pub mod topic_follows;
pub mod topics;
pub mod users;
