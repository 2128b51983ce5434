//! Organizations, users and their roles, groups and topics.

pub mod groups;
pub mod organizations;
pub mod topics;
pub mod users;
