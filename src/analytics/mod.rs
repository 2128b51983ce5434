//! HR engagement analytics: the report and its CSV, read from rollups kept
//! in the same transaction as each share and click.
//!
//! Shares count on the UTC day of `sharedAt`; clicks on the UTC day of the
//! click, on the links of shares that match the filter. Every figure equals
//! a recount of the raw rows (a property test checks it that way).

pub mod report;
pub mod rollups;

pub use report::{EngagementFilter, Figures, Report};
