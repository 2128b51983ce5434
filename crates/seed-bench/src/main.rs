//! The `seed-bench` command: fills a database with the large-customer
//! dataset of the benchmarks. A tool beside the server, never part of it.
#![forbid(unsafe_code)]

use clap::Parser;
use seed_bench::{Options, Sizes};

/// As the server: mimalloc, so the generator's timings stay comparable.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Fill the database with the large-customer benchmark dataset.
///
/// Sizes are those of the large organization; each small one gets a tenth.
#[derive(Parser)]
#[command(name = "seed-bench", version)]
struct Args {
    /// The database to fill (migrated first).
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    database_url: String,
    /// Seed of the generator: the same seed (and last day) gives the same data.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    #[arg(long, default_value_t = 100_000)]
    employees: u32,
    /// ACTIVE ambassadors (6% more PAUSED, 6% WITHDRAWN, 20% INVITED, 10% DECLINED).
    #[arg(long, default_value_t = 5_000)]
    ambassadors: u32,
    #[arg(long, default_value_t = 200)]
    groups: u32,
    #[arg(long, default_value_t = 20)]
    topics: u32,
    /// Days of history, ending on --last-day.
    #[arg(long, default_value_t = 730)]
    days: u32,
    #[arg(long, default_value_t = 10)]
    items_per_day: u32,
    #[arg(long, default_value_t = 2_000_000)]
    shares: u64,
    #[arg(long, default_value_t = 6_000_000)]
    clicks: u64,
    /// Small organizations, each a tenth of the large one.
    #[arg(long, default_value_t = 9)]
    small_orgs: u32,
    /// The last day of history (UTC, YYYY-MM-DD); yesterday by default.
    #[arg(long)]
    last_day: Option<chrono::NaiveDate>,
    /// Password of every generated user.
    #[arg(long, env = "BENCH_PASSWORD", default_value = "bench-password-1")]
    password: String,
    /// Write the load benchmark's fixtures (logins, tracking codes, ranges) here.
    #[arg(long)]
    fixtures: Option<std::path::PathBuf>,
    /// Replace seed-bench's previous organizations (slugs seedbench-*) and
    /// seed beside organizations it did not create (they are kept).
    #[arg(long)]
    force: bool,
    /// No progress bars.
    #[arg(long)]
    quiet: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    advocacy::telemetry::init_from_env();
    let db = advocacy::db::connect(&args.database_url).await?;
    advocacy::db::migrate(&db).await?;
    let options = Options {
        seed: args.seed,
        sizes: Sizes {
            employees: args.employees,
            ambassadors: args.ambassadors,
            groups: args.groups,
            topics: args.topics,
            days: args.days,
            items_per_day: args.items_per_day,
            shares: args.shares,
            clicks: args.clicks,
            small_orgs: args.small_orgs,
        },
        fixtures: args.fixtures,
        force: args.force,
        password: args.password,
        last_day: args.last_day,
        progress: !args.quiet,
    };
    let started = std::time::Instant::now();
    let outcome = seed_bench::run(&db, &options).await?;
    println!(
        "seed-bench: organization {} ({}) and {} small ones in {:.0} s",
        outcome.fixtures.organization_slug,
        outcome.fixtures.organization_id,
        outcome.fixtures.small_organizations.len(),
        started.elapsed().as_secs_f64()
    );
    for (table, rows) in &outcome.rows {
        println!("  {table:<26} {rows:>12}");
    }
    if let Some(path) = &options.fixtures {
        println!("fixtures written to {}", path.display());
    }
    Ok(())
}
