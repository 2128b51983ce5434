//! The API's integration tests: one binary, a module per area. Each test
//! spawns the real server on port 0 with its own fresh database (in-memory
//! SQLite by default, a new PostgreSQL database when TEST_DATABASE_URL is
//! set) and talks GraphQL over HTTP.

#![allow(
    clippy::disallowed_methods,
    reason = "tests read and arrange rows directly, across organizations"
)]

mod helpers;

mod analytics;
mod analytics_props;
mod analytics_world;
mod audit;
mod auth;
mod cli;
mod content;
mod contract;
mod dashboard;
mod db;
mod feed;
mod http;
mod inputs;
mod org;
mod programme;
mod seed_bench;
mod shares;
mod tracking;
