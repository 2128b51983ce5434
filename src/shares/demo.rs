//! Two months of shares and clicks for the demo organization, written
//! through the same functions the API uses (points and engagement rollups
//! included).

use chrono::{DateTime, Duration, Utc};
use entity::{contents, organizations, shares, social_accounts, users};
use sea_orm::{ColumnTrait, DatabaseTransaction, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::{clicks, record};
use crate::{
    auth::sha256_hex, domain::AmbassadorStatus, error::AppResult, tenant::Tenant, tracking,
};

/// How far back the demo history goes.
const DEMO_DAYS: i64 = 60;

/// Deterministic pseudo-random numbers, so every demo looks the same.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % sides.max(1)
    }
}

pub async fn seed(txn: &DatabaseTransaction, tenant: Tenant, now: DateTime<Utc>) -> AppResult<()> {
    let org = tenant
        .get::<organizations::Entity>(txn, tenant.org_id(), "organization")
        .await?;
    let people = tenant
        .find::<users::Entity>()
        .filter(users::Column::AmbassadorStatus.eq(AmbassadorStatus::Active.as_str()))
        .order_by_asc(users::Column::Email)
        .all(txn)
        .await?;
    // Items everyone may see, so each share is one the feed allowed.
    let items = tenant
        .find::<contents::Entity>()
        .filter(contents::Column::Targeted.eq(false))
        .filter(contents::Column::ArchivedAt.is_null())
        .filter(contents::Column::PublishAt.lte(now))
        .order_by_asc(contents::Column::PublishAt)
        .all(txn)
        .await?;
    let accounts = tenant.find::<social_accounts::Entity>().all(txn).await?;
    let mut dice = Dice(42);
    for (p, person) in people.iter().enumerate() {
        let theirs: Vec<&social_accounts::Model> =
            accounts.iter().filter(|a| a.user_id == person.id).collect();
        let readable: Vec<&contents::Model> = items
            .iter()
            .filter(|i| {
                i.language.as_deref().is_none_or(|l| {
                    person.language == l || person.language.starts_with(&format!("{l}-"))
                })
            })
            .collect();
        if theirs.is_empty() || readable.is_empty() {
            continue;
        }
        // The keenest share most.
        let count = 20 + dice.roll(15) + 8 * (people.len() - p) as u64;
        for n in 0..count {
            let item = readable[dice.roll(readable.len() as u64) as usize];
            let account = theirs[dice.roll(theirs.len() as u64) as usize];
            let published = item.publish_at.unwrap_or(item.created_at);
            let earliest = published.max(now - Duration::days(DEMO_DAYS));
            let span = (now - earliest).num_minutes().max(1) as u64;
            let shared_at = earliest + Duration::minutes(dice.roll(span) as i64);
            let key = format!("demo-{}-{n}", person.id);
            let row = shares::Model {
                id: Uuid::now_v7(),
                organization_id: tenant.org_id(),
                user_id: person.id,
                content_id: item.id,
                network: account.network.clone(),
                comment: (n % 3 == 0).then(|| "Worth a read.".to_owned()),
                shared_at,
                potential_reach: account.follower_count,
                request_hash: sha256_hex(&key),
                idempotency_key: key,
                tracking_code: tracking::new_code(),
                points_awarded: 0,
                created_at: shared_at,
            };
            let share = record::insert_share(txn, tenant, row, org.points_per_share).await?;
            let visits = dice.roll(12);
            for v in 0..visits {
                let after = Duration::minutes(dice.roll(60 * 48) as i64);
                let at = (shared_at + after).min(now);
                let visitor = sha256_hex(&format!("demo-visitor-{}", dice.roll(40) + v));
                clicks::record(txn, tenant, &share, &visitor, at).await?;
            }
        }
    }
    Ok(())
}
