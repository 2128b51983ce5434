//! Engagement report: roles, validation, privacy, tenant isolation, CSV.
