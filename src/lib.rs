//! Employee advocacy backend: the GraphQL API that ambassadors' mobile apps
//! and the HR dashboard talk to.
#![forbid(unsafe_code)]

pub mod analytics;
pub mod audit;
pub mod auth;
pub mod clock;
pub mod config;
pub mod content;
pub mod dashboard;
pub mod db;
pub mod domain;
pub mod error;
pub mod graphql;
pub mod http;
pub mod org;
pub mod pagination;
pub mod programme;
pub mod seed;
pub mod shares;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod tenant;
pub mod tracking;
