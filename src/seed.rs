//! The demo organization: enough people, groups and topics to try every
//! part of the API by hand.

use chrono::{DateTime, Duration, Utc};
use entity::{group_members, groups, topics, users};
use sea_orm::{DatabaseConnection, Set};
use uuid::Uuid;

use crate::{
    auth::{Role, RoleSet, password::Passwords},
    config::AppEnv,
    domain::AmbassadorStatus,
    error::{AppError, AppResult},
    org::organizations::{self, NewOrganization},
    tenant::Tenant,
};

pub const DEMO_SLUG: &str = "demo";
pub const DEMO_PASSWORD: &str = "demo-password-2026";

/// Accounts to print after seeding.
#[derive(Clone, Debug)]
pub struct DemoLogins {
    pub organization: String,
    pub password: String,
    pub accounts: Vec<(String, String)>,
}

struct DemoPerson {
    email: &'static str,
    name: &'static str,
    language: &'static str,
    roles: &'static [Role],
    status: AmbassadorStatus,
    groups: &'static [&'static str],
}

const PEOPLE: &[DemoPerson] = &[
    DemoPerson {
        email: "hr@demo.example",
        name: "Hana Rossi",
        language: "en",
        roles: &[Role::Hr],
        status: AmbassadorStatus::None,
        groups: &["Paris"],
    },
    DemoPerson {
        email: "curator@demo.example",
        name: "Cleo Martin",
        language: "fr",
        roles: &[Role::Curator],
        status: AmbassadorStatus::None,
        groups: &["Paris", "Communication"],
    },
    DemoPerson {
        email: "amelie@demo.example",
        name: "Amélie Dubois",
        language: "fr",
        roles: &[],
        status: AmbassadorStatus::Active,
        groups: &["Paris", "Sales"],
    },
    DemoPerson {
        email: "ben@demo.example",
        name: "Ben Carter",
        language: "en",
        roles: &[],
        status: AmbassadorStatus::Active,
        groups: &["Lyon", "Engineering"],
    },
    DemoPerson {
        email: "chloe@demo.example",
        name: "Chloé Bernard",
        language: "fr",
        roles: &[],
        status: AmbassadorStatus::Active,
        groups: &["Lyon", "Sales"],
    },
    DemoPerson {
        email: "david@demo.example",
        name: "David Okafor",
        language: "en",
        roles: &[],
        status: AmbassadorStatus::Paused,
        groups: &["Paris", "Engineering"],
    },
    DemoPerson {
        email: "emma@demo.example",
        name: "Emma Laurent",
        language: "fr",
        roles: &[],
        status: AmbassadorStatus::Invited,
        groups: &["Lyon"],
    },
    DemoPerson {
        email: "farid@demo.example",
        name: "Farid Haddad",
        language: "fr",
        roles: &[],
        status: AmbassadorStatus::None,
        groups: &["Paris", "Engineering"],
    },
    DemoPerson {
        email: "grace@demo.example",
        name: "Grace Kim",
        language: "en",
        roles: &[],
        status: AmbassadorStatus::Declined,
        groups: &["Sales"],
    },
    DemoPerson {
        email: "hugo@demo.example",
        name: "Hugo Moreau",
        language: "fr",
        roles: &[],
        status: AmbassadorStatus::Withdrawn,
        groups: &["Lyon", "Engineering"],
    },
];

const GROUPS: &[&str] = &["Communication", "Engineering", "Lyon", "Paris", "Sales"];
const TOPICS: &[&str] = &[
    "Careers",
    "Events",
    "Innovation",
    "Sustainability",
    "Trainings",
];

/// Creates the demo organization unless it exists. Refused in production:
/// its password is published.
pub async fn seed_demo(
    db: &DatabaseConnection,
    passwords: &Passwords,
    app_env: AppEnv,
    now: DateTime<Utc>,
) -> AppResult<DemoLogins> {
    if app_env == AppEnv::Production {
        return Err(AppError::Forbidden(
            "the demo organization, whose password is published, is never seeded in production",
        ));
    }
    let (org, admin) = organizations::create(
        db,
        passwords,
        now,
        NewOrganization {
            name: "Demo Bank".to_owned(),
            slug: DEMO_SLUG.to_owned(),
            admin_email: "admin@demo.example".to_owned(),
            admin_name: "Ada Admin".to_owned(),
            admin_password: DEMO_PASSWORD.to_owned(),
        },
    )
    .await?;
    // Demo accounts share one published password, so one hash serves them all.
    let hash = passwords.hash(DEMO_PASSWORD.to_owned()).await?;
    // The demo seed writes a whole organization without a signed-in person.
    let tenant = Tenant::seeding(org.id);
    let txn = crate::db::begin_write(db).await?;
    let mut group_ids = std::collections::HashMap::new();
    for name in GROUPS {
        let id = Uuid::now_v7();
        tenant
            .insert(groups::ActiveModel {
                id: Set(id),
                name: Set((*name).to_owned()),
                created_at: Set(now),
                ..Default::default()
            })
            .exec_without_returning(&txn)
            .await?;
        group_ids.insert(*name, id);
    }
    let mut topic_ids = std::collections::HashMap::new();
    for name in TOPICS {
        let id = Uuid::now_v7();
        topic_ids.insert(*name, id);
        tenant
            .insert(topics::ActiveModel {
                id: Set(id),
                name: Set((*name).to_owned()),
                created_at: Set(now),
                ..Default::default()
            })
            .exec_without_returning(&txn)
            .await?;
    }
    let mut accounts = vec![("admin".to_owned(), admin.email.clone())];
    let mut curator_id = admin.id;
    for (i, person) in PEOPLE.iter().enumerate() {
        let id = Uuid::now_v7();
        let enrolled = matches!(
            person.status,
            AmbassadorStatus::Active | AmbassadorStatus::Paused
        );
        let user = tenant
            .create(
                &txn,
                users::ActiveModel {
                    id: Set(id),
                    email: Set(person.email.to_owned()),
                    display_name: Set(person.name.to_owned()),
                    language: Set(person.language.to_owned()),
                    password_hash: Set(Some(hash.clone())),
                    roles: Set(RoleSet::new(person.roles.iter().copied()).to_stored()),
                    ambassador_status: Set(person.status.as_str().to_owned()),
                    enrolled_at: Set(enrolled.then(|| now - Duration::days(30 + i as i64))),
                    status_changed_at: Set((person.status != AmbassadorStatus::None)
                        .then(|| now - Duration::days(20 + i as i64))),
                    created_at: Set(now),
                    ..Default::default()
                },
            )
            .await?;
        crate::programme::demo::seed_person(&txn, tenant, &user, &org.charter_version, now).await?;
        tenant
            .insert_many(person.groups.iter().map(|g| group_members::ActiveModel {
                group_id: Set(group_ids[g]),
                user_id: Set(id),
                ..Default::default()
            }))
            .exec(&txn)
            .await?;
        if person.roles.contains(&Role::Curator) {
            curator_id = id;
        }
        let label = match (person.roles.first(), person.status) {
            (Some(role), _) => role.as_str().to_lowercase(),
            (None, status) => format!("employee, ambassador {}", status.as_str().to_lowercase()),
        };
        accounts.push((label, person.email.to_owned()));
    }
    crate::content::demo::seed(&txn, tenant, curator_id, &topic_ids, &group_ids, now).await?;
    crate::shares::demo::seed(&txn, tenant, now).await?;
    txn.commit().await?;
    Ok(DemoLogins {
        organization: org.name,
        password: DEMO_PASSWORD.to_owned(),
        accounts,
    })
}
