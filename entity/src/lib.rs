//! SeaORM entities, one module per table. No GraphQL types live here.

pub mod group_members;
pub mod groups;
pub mod login_failures;
pub mod organizations;
pub mod refresh_tokens;
pub mod topic_follows;
pub mod topics;
pub mod users;
