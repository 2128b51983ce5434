//! The programme's part of the demo organization: declared social accounts
//! and the consent record matching each person's status.

use chrono::{DateTime, Duration, Utc};
use entity::{social_accounts, users};
use sea_orm::{ConnectionTrait, Set};

use super::{ConsentAction, enrollment::append_consent};
use crate::{domain::AmbassadorStatus, domain::SocialNetwork, error::AppResult, tenant::Tenant};

/// Declared accounts by demo email. Withdrawn people have none: a
/// withdrawal deletes them.
/// (network, handle, followers).
type Account = (SocialNetwork, &'static str, i64);

const ACCOUNTS: &[(&str, &[Account])] = &[
    (
        "hr@demo.example",
        &[(SocialNetwork::Linkedin, "hana-rossi", 700)],
    ),
    (
        "amelie@demo.example",
        &[
            (SocialNetwork::Linkedin, "amelie-dubois", 2400),
            (SocialNetwork::X, "@amelie_d", 850),
        ],
    ),
    (
        "ben@demo.example",
        &[
            (SocialNetwork::Linkedin, "ben-carter", 1200),
            (SocialNetwork::X, "@bencarter", 3100),
        ],
    ),
    (
        "chloe@demo.example",
        &[
            (SocialNetwork::Linkedin, "chloe-bernard", 950),
            (SocialNetwork::Instagram, "@chloe.b", 4200),
        ],
    ),
    (
        "david@demo.example",
        &[(SocialNetwork::Linkedin, "david-okafor", 1800)],
    ),
    (
        "emma@demo.example",
        &[
            (SocialNetwork::Linkedin, "emma-laurent", 640),
            (SocialNetwork::Facebook, "emma.laurent", 310),
        ],
    ),
    (
        "farid@demo.example",
        &[
            (SocialNetwork::Linkedin, "farid-haddad", 2100),
            (SocialNetwork::X, "@faridh", 400),
        ],
    ),
    (
        "grace@demo.example",
        &[(SocialNetwork::Linkedin, "grace-kim", 5200)],
    ),
];

/// One demo person's accounts and consent record, from their user row.
pub async fn seed_person(
    conn: &impl ConnectionTrait,
    tenant: Tenant,
    user: &users::Model,
    charter_version: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let accounts = ACCOUNTS
        .iter()
        .find(|(e, _)| *e == user.email)
        .map(|(_, a)| *a)
        .unwrap_or_default();
    for (network, handle, followers) in accounts {
        tenant
            .insert(social_accounts::ActiveModel {
                user_id: Set(user.id),
                network: Set(network.as_str().to_owned()),
                handle: Set((*handle).to_owned()),
                follower_count: Set(*followers),
                updated_at: Set(now),
                ..Default::default()
            })
            .exec_without_returning(conn)
            .await?;
    }
    let Some(changed) = user.status_changed_at else {
        return Ok(());
    };
    let enrolled = user.enrolled_at;
    let history: Vec<(ConsentAction, DateTime<Utc>)> =
        match AmbassadorStatus::parse(&user.ambassador_status) {
            AmbassadorStatus::Active => vec![(ConsentAction::Enroll, enrolled.unwrap_or(changed))],
            AmbassadorStatus::Paused => vec![
                (ConsentAction::Enroll, enrolled.unwrap_or(changed)),
                (ConsentAction::Pause, changed),
            ],
            AmbassadorStatus::Declined => vec![(ConsentAction::Decline, changed)],
            AmbassadorStatus::Withdrawn => vec![
                (ConsentAction::Enroll, changed - Duration::days(60)),
                (ConsentAction::Withdraw, changed),
            ],
            AmbassadorStatus::None | AmbassadorStatus::Invited => vec![],
        };
    for (action, at) in history {
        append_consent(conn, tenant, user.id, action, charter_version, at).await?;
    }
    Ok(())
}
