//! Logging: `RUST_LOG` filters, `LOG_FORMAT=json` for machines.

use tracing_subscriber::{EnvFilter, fmt, prelude::*};

/// Logs as `LOG_FORMAT` says: `json` for one JSON object per line, text
/// otherwise. Read here rather than with the settings, so that the settings'
/// own warnings are logged.
pub fn init_from_env() {
    init(std::env::var("LOG_FORMAT").is_ok_and(|v| v == "json"));
}

pub fn init(json: bool) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let registry = tracing_subscriber::registry().with(filter);
    let result = if json {
        registry
            .with(fmt::layer().json().with_current_span(true))
            .try_init()
    } else {
        registry.with(fmt::layer().with_target(false)).try_init()
    };
    // A second initialisation (tests spawning many apps) keeps the first.
    let _ = result;
}
