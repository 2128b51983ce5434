//! Two months of engagement history for the demo organization, so that the
//! HR report shows real curves: shares by its ambassadors (ACTIVE, PAUSED
//! and WITHDRAWN people shared before), clicks on them, and the rollups
//! written with each row exactly as the API's write path does.

use chrono::{DateTime, Duration, Utc};
use entity::{clicks, contents, shares, social_accounts, users};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::rollups;
use crate::error::AppResult;

/// Days of history before `now`.
pub const DEMO_DAYS: i64 = 60;

/// A small deterministic generator: the demo looks the same on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
}

pub async fn seed(conn: &impl ConnectionTrait, org_id: Uuid, now: DateTime<Utc>) -> AppResult<()> {
    let people: Vec<users::Model> = users::Entity::find()
        .filter(users::Column::OrganizationId.eq(org_id))
        .filter(users::Column::AmbassadorStatus.is_in(["ACTIVE", "PAUSED", "WITHDRAWN"]))
        .order_by_asc(users::Column::Email)
        .all(conn)
        .await?;
    let accounts: Vec<social_accounts::Model> = social_accounts::Entity::find()
        .filter(social_accounts::Column::OrganizationId.eq(org_id))
        .order_by_asc(social_accounts::Column::UserId)
        .order_by_asc(social_accounts::Column::Network)
        .all(conn)
        .await?;
    let items: Vec<contents::Model> = contents::Entity::find()
        .filter(contents::Column::OrganizationId.eq(org_id))
        .order_by_asc(contents::Column::Title)
        .all(conn)
        .await?;
    if people.is_empty() || items.is_empty() {
        return Ok(());
    }
    let mut rng = Lcg(2026);
    let mut share_rows = Vec::new();
    let mut click_rows = Vec::new();
    for days_ago in (1..=DEMO_DAYS).rev() {
        let day_start = (now - Duration::days(days_ago))
            .date_naive()
            .and_time(chrono::NaiveTime::MIN)
            .and_utc();
        // Growing activity, quieter at weekends.
        let weekend = matches!(
            chrono::Datelike::weekday(&day_start),
            chrono::Weekday::Sat | chrono::Weekday::Sun
        );
        let base = 2 + (DEMO_DAYS - days_ago) / 8;
        let count = if weekend { base / 3 } else { base } + rng.below(3) as i64;
        for _ in 0..count {
            let person = &people[rng.below(people.len() as u64) as usize];
            let theirs: Vec<&social_accounts::Model> =
                accounts.iter().filter(|a| a.user_id == person.id).collect();
            let (network, reach) = match theirs.len() {
                0 => ("LINKEDIN".to_owned(), 0),
                n => {
                    let a = theirs[rng.below(n as u64) as usize];
                    (a.network.clone(), a.follower_count)
                }
            };
            let item = &items[rng.below(items.len() as u64) as usize];
            let shared_at = day_start + Duration::seconds(7 * 3600 + rng.below(12 * 3600) as i64);
            let id = Uuid::now_v7();
            let share = shares::Model {
                id,
                organization_id: org_id,
                user_id: person.id,
                content_id: item.id,
                network,
                comment: None,
                shared_at,
                potential_reach: reach,
                idempotency_key: format!("demo-{}", id.simple()),
                request_hash: String::new(),
                tracking_code: id.simple().to_string(),
                points_awarded: 0,
                created_at: shared_at,
            };
            // Roughly one click per 400 followers, over the next days.
            for _ in 0..(reach / 400 + rng.below(3) as i64) {
                let clicked_at = shared_at + Duration::minutes(rng.below(3 * 24 * 60) as i64);
                if clicked_at >= now {
                    continue;
                }
                click_rows.push(clicks::Model {
                    id: Uuid::now_v7(),
                    organization_id: org_id,
                    share_id: share.id,
                    content_id: share.content_id,
                    user_id: share.user_id,
                    network: share.network.clone(),
                    clicked_at,
                    visitor_key: format!("{:064x}", rng.next()),
                });
            }
            share_rows.push(share);
        }
    }
    for chunk in share_rows.chunks(200) {
        shares::Entity::insert_many(
            chunk
                .iter()
                .cloned()
                .map(IntoActiveModel::into_active_model),
        )
        .exec(conn)
        .await?;
    }
    for chunk in click_rows.chunks(200) {
        clicks::Entity::insert_many(
            chunk
                .iter()
                .cloned()
                .map(IntoActiveModel::into_active_model),
        )
        .exec(conn)
        .await?;
    }
    for share in &share_rows {
        rollups::on_share(conn, share).await?;
    }
    for click in &click_rows {
        rollups::on_click(conn, click).await?;
    }
    Ok(())
}
