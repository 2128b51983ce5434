//! Organizations and their settings.

use std::collections::BTreeMap;

use entity::{organizations, users};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::{
    audit::{self, Action, Actor, Entry},
    auth::{Role, RoleSet, Viewer, password::Passwords},
    domain::{Email, SocialNetwork, required_text},
    error::{AppError, AppResult, conflict_if_duplicate},
    tenant::{Tenant, global},
};

/// Per-network figures as stored: `{"LINKEDIN": 4000}`.
pub type NetworkMap<T> = BTreeMap<SocialNetwork, T>;

pub fn followers(org: &organizations::Model) -> NetworkMap<i64> {
    read_map(&org.company_followers)
}

pub fn cpm(org: &organizations::Model) -> NetworkMap<f64> {
    read_map(&org.cpm)
}

fn read_map<T: serde::de::DeserializeOwned>(json: &serde_json::Value) -> NetworkMap<T> {
    let Some(obj) = json.as_object() else {
        return NetworkMap::new();
    };
    obj.iter()
        .filter_map(|(k, v)| {
            Some((
                SocialNetwork::parse(k)?,
                serde_json::from_value(v.clone()).ok()?,
            ))
        })
        .collect()
}

fn write_map<T: serde::Serialize>(map: &NetworkMap<T>) -> serde_json::Value {
    serde_json::Value::Object(
        map.iter()
            .map(|(k, v)| (k.as_str().to_owned(), serde_json::json!(v)))
            .collect(),
    )
}

pub struct NewOrganization {
    pub name: String,
    pub slug: String,
    pub admin_email: String,
    pub admin_name: String,
    pub admin_password: String,
}

/// Creates an organization with its first ADMIN (the `create-org` command).
pub async fn create(
    db: &sea_orm::DatabaseConnection,
    passwords: &Passwords,
    now: chrono::DateTime<chrono::Utc>,
    new: NewOrganization,
) -> AppResult<(organizations::Model, users::Model)> {
    let name = required_text("name", &new.name, 200)?;
    let slug = new.slug.trim().to_lowercase();
    if slug.is_empty()
        || slug.len() > 100
        || !slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(AppError::bad_input(
            "slug must be 1 to 100 characters of a-z, 0-9 and -",
        ));
    }
    let email = Email::parse(&new.admin_email)?;
    Passwords::validate(&new.admin_password)?;
    let hash = passwords.hash(new.admin_password).await?;
    let admin_name = required_text("admin name", &new.admin_name, 200)?;
    let admin_roles = RoleSet::new([Role::Admin]);

    let txn = crate::db::begin_write(db).await?;
    let org = organizations::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(name),
        slug: Set(slug),
        individual_analytics: Set(false),
        minimum_group_size: Set(5),
        points_per_share: Set(10),
        charter_version: Set("1".to_owned()),
        cpm: Set(serde_json::json!({})),
        company_followers: Set(serde_json::json!({})),
        created_at: Set(now),
    };
    let (tenant, org) =
        global::create_organization(&txn, org)
            .await
            .map_err(conflict_if_duplicate(
                "an organization with this slug already exists",
            ))?;
    let admin = users::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(email.into_inner()),
        display_name: Set(admin_name),
        language: Set("en".to_owned()),
        password_hash: Set(Some(hash)),
        roles: Set(admin_roles.to_stored()),
        ambassador_status: Set("NONE".to_owned()),
        enrolled_at: Set(None),
        status_changed_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    };
    let admin = tenant
        .create(&txn, admin)
        .await
        .map_err(conflict_if_duplicate(
            "a user with this email already exists",
        ))?;
    audit::record(
        &txn,
        tenant,
        now,
        Entry::new(Actor::system(), Action::UserCreate, Some(admin.id)).details(
            serde_json::json!({
                "roles": admin_roles.to_vec().iter().map(|r| r.as_str()).collect::<Vec<_>>(),
                "groups": 0,
                "password": true,
            }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok((org, admin))
}

pub async fn get(conn: &impl ConnectionTrait, viewer: &Viewer) -> AppResult<organizations::Model> {
    Tenant::of(viewer)
        .get::<organizations::Entity>(conn, viewer.org_id(), "organization")
        .await
}

/// Changes to the organization; absent fields stay as they are.
#[derive(Default)]
pub struct OrganizationChanges {
    pub name: Option<String>,
    pub company_followers: Option<Vec<(SocialNetwork, i64)>>,
    pub individual_analytics: Option<bool>,
    pub minimum_group_size: Option<i32>,
    pub points_per_share: Option<i32>,
    pub cpm: Option<Vec<(SocialNetwork, f64)>>,
    pub charter_version: Option<String>,
}

fn unique_networks<T: Copy>(
    field: &str,
    entries: &[(SocialNetwork, T)],
) -> AppResult<NetworkMap<T>> {
    let mut map = NetworkMap::new();
    for (network, value) in entries {
        if map.insert(*network, *value).is_some() {
            return Err(AppError::bad_input(format!(
                "{field} lists {} twice",
                network.as_str()
            )));
        }
    }
    Ok(map)
}

/// ADMIN: changes the organization's settings, in the caller's transaction.
pub async fn update(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    now: chrono::DateTime<chrono::Utc>,
    changes: OrganizationChanges,
) -> AppResult<organizations::Model> {
    viewer.require_any(&[Role::Admin])?;
    // The new value of each setting given, for the audit trail: none is secret.
    let mut changed = serde_json::Map::new();
    let mut model = organizations::ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(viewer.org_id()),
        ..Default::default()
    };
    if let Some(name) = changes.name {
        let name = required_text("name", &name, 200)?;
        changed.insert("name".into(), name.clone().into());
        model.name = Set(name);
    }
    if let Some(entries) = changes.company_followers {
        if entries
            .iter()
            .any(|(_, n)| !(0..=10_000_000_000).contains(n))
        {
            return Err(AppError::bad_input(
                "companyFollowers counts must be between 0 and 10000000000",
            ));
        }
        let map = write_map(&unique_networks("companyFollowers", &entries)?);
        changed.insert("companyFollowers".into(), map.clone());
        model.company_followers = Set(map);
    }
    if let Some(v) = changes.individual_analytics {
        changed.insert("individualAnalytics".into(), v.into());
        model.individual_analytics = Set(v);
    }
    if let Some(v) = changes.minimum_group_size {
        if !(1..=1000).contains(&v) {
            return Err(AppError::bad_input("minimumGroupSize must be 1 to 1000"));
        }
        changed.insert("minimumGroupSize".into(), v.into());
        model.minimum_group_size = Set(v);
    }
    if let Some(v) = changes.points_per_share {
        if !(0..=1000).contains(&v) {
            return Err(AppError::bad_input("pointsPerShare must be 0 to 1000"));
        }
        changed.insert("pointsPerShare".into(), v.into());
        model.points_per_share = Set(v);
    }
    if let Some(entries) = changes.cpm {
        if entries
            .iter()
            .any(|(_, a)| !a.is_finite() || !(0.0..=10_000.0).contains(a))
        {
            return Err(AppError::bad_input(
                "cpm amounts must be between 0 and 10000",
            ));
        }
        let map = write_map(&unique_networks("cpm", &entries)?);
        changed.insert("cpm".into(), map.clone());
        model.cpm = Set(map);
    }
    if let Some(v) = changes.charter_version {
        let version = required_text("charterVersion", &v, 50)?;
        changed.insert("charterVersion".into(), version.clone().into());
        model.charter_version = Set(version);
    }
    if model.is_changed() {
        Tenant::of(viewer)
            .update_many::<organizations::Entity>()
            .set(model)
            .filter(organizations::Column::Id.eq(viewer.org_id()))
            .exec(conn)
            .await?;
        audit::record(
            conn,
            Tenant::of(viewer),
            now,
            Entry::new(
                Actor::user(viewer),
                Action::OrganizationUpdate,
                Some(viewer.org_id()),
            )
            .details(serde_json::Value::Object(changed)),
        )
        .await?;
    }
    get(conn, viewer).await
}

/// Whether the deployment holds any organization yet.
pub async fn any_exists(conn: &impl ConnectionTrait) -> AppResult<bool> {
    Ok(global::any_organization(conn).await?)
}
