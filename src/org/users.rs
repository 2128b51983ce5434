//! Users: creation by an ADMIN, roles, profile, and the HR list.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};

use entity::{group_members, groups, users};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Set,
    sea_query::{Expr, ExprTrait, Func, LikeExpr},
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{
    audit::{self, Action, Actor, Entry},
    auth::{Role, RoleSet, Viewer, password::Passwords},
    domain::{AmbassadorStatus, Email, LanguageTag, required_text},
    error::{AppError, AppResult, conflict_if_duplicate},
    pagination::{First, Page, decode_cursor, like_contains},
    tenant::Tenant,
};

pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub password: Option<String>,
    pub language: Option<String>,
    pub roles: Vec<Role>,
    pub group_ids: Vec<Uuid>,
}

/// Checks that every id names a group of the viewer's organization.
pub async fn require_groups(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    ids: &[Uuid],
) -> AppResult<BTreeSet<Uuid>> {
    let wanted: BTreeSet<Uuid> = ids.iter().copied().collect();
    if wanted.is_empty() {
        return Ok(wanted);
    }
    let found: BTreeSet<Uuid> = Tenant::of(viewer)
        .find::<groups::Entity>()
        .filter(groups::Column::Id.is_in(wanted.iter().copied()))
        .select_only()
        .column(groups::Column::Id)
        .into_tuple::<Uuid>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    if found.len() != wanted.len() {
        return Err(AppError::NotFound("group"));
    }
    Ok(wanted)
}

/// A new user as an ADMIN asked for it, validated, with the password
/// hashed: the slow part, done before any transaction starts.
pub struct PreparedUser {
    email: Email,
    display_name: String,
    language: String,
    password_hash: Option<String>,
    roles: RoleSet,
    group_ids: Vec<Uuid>,
}

/// ADMIN: checks a new user's fields and hashes the password.
pub async fn prepare(
    viewer: &Viewer,
    passwords: &Passwords,
    new: NewUser,
) -> AppResult<PreparedUser> {
    viewer.require_any(&[Role::Admin])?;
    let email = Email::parse(&new.email)?;
    let display_name = required_text("displayName", &new.display_name, 200)?;
    let language = match new.language.as_deref() {
        Some(tag) => LanguageTag::parse(tag)?.into_inner(),
        None => "en".to_owned(),
    };
    if let Some(password) = &new.password {
        Passwords::validate(password)?;
    }
    let password_hash = match new.password {
        Some(p) => Some(passwords.hash(p).await?),
        None => None,
    };
    Ok(PreparedUser {
        email,
        display_name,
        language,
        password_hash,
        roles: RoleSet::new(new.roles),
        group_ids: new.group_ids,
    })
}

/// ADMIN: creates the user and their group memberships, in the caller's
/// transaction.
pub async fn create(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    now: DateTime<Utc>,
    new: PreparedUser,
) -> AppResult<users::Model> {
    viewer.require_any(&[Role::Admin])?;
    let tenant = Tenant::of(viewer);
    let group_ids = require_groups(conn, viewer, &new.group_ids).await?;
    let details = serde_json::json!({
        "roles": new.roles.to_vec().iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        "groups": group_ids.len(),
        "password": new.password_hash.is_some(),
    });
    let user = users::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(new.email.into_inner()),
        display_name: Set(new.display_name),
        language: Set(new.language),
        password_hash: Set(new.password_hash),
        roles: Set(new.roles.to_stored()),
        ambassador_status: Set(AmbassadorStatus::None.as_str().to_owned()),
        enrolled_at: Set(None),
        status_changed_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    };
    let user = tenant
        .create(conn, user)
        .await
        .map_err(conflict_if_duplicate(
            "a user with this email already exists",
        ))?;
    if !group_ids.is_empty() {
        tenant
            .insert_many(
                group_ids
                    .into_iter()
                    .map(|group_id| group_members::ActiveModel {
                        group_id: Set(group_id),
                        user_id: Set(user.id),
                        ..Default::default()
                    }),
            )
            .exec(conn)
            .await?;
    }
    audit::record(
        conn,
        tenant,
        now,
        Entry::new(Actor::user(viewer), Action::UserCreate, Some(user.id)).details(details),
    )
    .await?;
    Ok(user)
}

pub async fn get(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
) -> AppResult<users::Model> {
    Tenant::of(viewer)
        .get::<users::Entity>(conn, id, "user")
        .await
}

/// ADMIN: sets a user's roles, in the caller's transaction.
pub async fn set_roles(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    now: DateTime<Utc>,
    user_id: Uuid,
    roles: Vec<Role>,
) -> AppResult<users::Model> {
    viewer.require_any(&[Role::Admin])?;
    let user = get(conn, viewer, user_id).await?;
    let roles = RoleSet::new(roles);
    if user.id == viewer.user_id() && !roles.contains(Role::Admin) {
        // The last way back in would be the database itself.
        let other_admins = Tenant::of(viewer)
            .find::<users::Entity>()
            .filter(users::Column::Id.ne(user.id))
            .filter(users::Column::Roles.like("%ADMIN%"))
            .count(conn)
            .await?;
        if other_admins == 0 {
            return Err(AppError::conflict(
                "you are the organization's only ADMIN; give the role to someone else first",
            ));
        }
    }
    let previous = RoleSet::from_stored(&user.roles);
    if previous == roles {
        return Ok(user);
    }
    let mut model: users::ActiveModel = user.into();
    model.roles = Set(roles.to_stored());
    let user = Tenant::of(viewer).update(conn, model).await?;
    let names = |set: &RoleSet| set.to_vec().iter().map(|r| r.as_str()).collect::<Vec<_>>();
    audit::record(
        conn,
        Tenant::of(viewer),
        now,
        Entry::new(Actor::user(viewer), Action::UserRoles, Some(user.id))
            .details(serde_json::json!({ "roles": names(&roles), "previous": names(&previous) })),
    )
    .await?;
    Ok(user)
}

pub async fn update_profile(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    display_name: Option<String>,
    language: Option<String>,
) -> AppResult<users::Model> {
    let user = get(conn, viewer, viewer.user_id()).await?;
    let mut model: users::ActiveModel = user.clone().into();
    if let Some(name) = display_name {
        model.display_name = Set(required_text("displayName", &name, 200)?);
    }
    if let Some(tag) = language {
        model.language = Set(LanguageTag::parse(&tag)?.into_inner());
    }
    if !model.is_changed() {
        return Ok(user);
    }
    Ok(Tenant::of(viewer).update(conn, model).await?)
}

pub struct UserFilter {
    pub search: Option<String>,
    pub status: Option<AmbassadorStatus>,
    pub group_id: Option<Uuid>,
}

/// Position in the users list, ordered by display name then id.
#[derive(Serialize, Deserialize)]
pub struct UserCursor {
    pub name: String,
    pub id: Uuid,
}

pub async fn list(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    filter: UserFilter,
    first: First,
    after: Option<&str>,
) -> AppResult<Page<users::Model>> {
    viewer.require_any(&[Role::Hr])?;
    let mut query = Tenant::of(viewer).find::<users::Entity>();
    if let Some(search) = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        crate::domain::max_chars("search", search, 200)?;
        let pattern = like_contains(search);
        query = query.filter(
            Condition::any()
                .add(
                    Expr::expr(Func::lower(Expr::col(users::Column::DisplayName)))
                        .like(LikeExpr::new(pattern.clone()).escape('\\')),
                )
                .add(Expr::col(users::Column::Email).like(LikeExpr::new(pattern).escape('\\'))),
        );
    }
    if let Some(status) = filter.status {
        query = query.filter(users::Column::AmbassadorStatus.eq(status.as_str()));
    }
    if let Some(group_id) = filter.group_id {
        require_groups(conn, viewer, &[group_id]).await?;
        query = query.filter(
            users::Column::Id.in_subquery(
                Tenant::of(viewer)
                    .find::<group_members::Entity>()
                    .select_only()
                    .column(group_members::Column::UserId)
                    .filter(group_members::Column::GroupId.eq(group_id))
                    .into_query(),
            ),
        );
    }
    let total = query.clone().count(conn).await?;
    let had_cursor = after.is_some();
    if let Some(after) = after {
        let cursor: UserCursor = decode_cursor(after)?;
        query = query.filter(
            Condition::any()
                .add(users::Column::DisplayName.gt(cursor.name.clone()))
                .add(
                    Condition::all()
                        .add(users::Column::DisplayName.eq(cursor.name))
                        .add(users::Column::Id.gt(cursor.id)),
                ),
        );
    }
    let rows = query
        .order_by_asc(users::Column::DisplayName)
        .order_by_asc(users::Column::Id)
        .limit(first.probe())
        .all(conn)
        .await?;
    let mut page = Page::from_probe(rows, first, had_cursor);
    page.total = Some(total);
    Ok(page)
}

/// Users by id within the organization (for loaders).
pub async fn by_ids(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, users::Model>> {
    Ok(Tenant::of(viewer)
        .find::<users::Entity>()
        .filter(users::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect())
}
