//! Writing content (CURATOR or ADMIN): create a draft, update, publish now
//! or later, archive; and the curators' list of every item.
//!
//! Every write bumps the organization's content version in its transaction
//! (`catalogue::bump_version`), so every server's feed catalogue reloads.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use entity::{content_groups, content_suggested_texts, content_topics, contents, topics};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
    sea_query::{Expr, ExprTrait, Func, LikeExpr},
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{ContentKind, ContentStatus, catalogue::bump_version, status_condition};
use crate::{
    auth::{Role, Viewer},
    domain::{LanguageTag, SocialNetwork, max_chars, required_text},
    error::{AppError, AppResult},
    org::users::require_groups,
    pagination::{First, Page, decode_cursor, like_contains},
    tenant::Tenant,
};

pub const MAX_TITLE: usize = 300;
pub const MAX_URL: usize = 2048;
pub const MAX_SUMMARY: usize = 1000;
pub const MAX_BODY: usize = 20_000;

/// Who may write content.
const WRITERS: &[Role] = &[Role::Curator];

/// The longest suggested text a network takes, in characters as users see
/// them (Unicode scalar values).
pub fn text_limit(network: SocialNetwork) -> usize {
    match network {
        SocialNetwork::X => 280,
        SocialNetwork::Linkedin => 3000,
        _ => 2200,
    }
}

/// A content item as a curator sends it, before validation.
pub struct ContentFields {
    pub kind: ContentKind,
    pub title: String,
    pub summary: Option<String>,
    pub body: Option<String>,
    pub url: String,
    pub image_url: Option<String>,
    pub language: Option<String>,
    pub topic_ids: Vec<Uuid>,
    pub target_group_ids: Vec<Uuid>,
    pub suggested_texts: Vec<(SocialNetwork, String)>,
    pub pinned: bool,
}

/// The same, validated: only this can be written.
struct ValidContent {
    kind: ContentKind,
    title: String,
    summary: Option<String>,
    body: Option<String>,
    url: String,
    image_url: Option<String>,
    language: Option<String>,
    topic_ids: BTreeSet<Uuid>,
    group_ids: BTreeSet<Uuid>,
    suggested_texts: Vec<(SocialNetwork, String)>,
    pinned: bool,
}

/// An absolute http(s) URL of at most 2,048 characters.
pub fn web_url(field: &str, value: &str) -> AppResult<String> {
    let value = value.trim();
    max_chars(field, value, MAX_URL)?;
    let bad = || AppError::bad_input(format!("{field} must be an absolute http(s) URL"));
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad());
    }
    let parsed = url::Url::parse(value).map_err(|_| bad())?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none_or(str::is_empty) {
        return Err(bad());
    }
    Ok(value.to_owned())
}

/// Optional text: blank is absent; otherwise at most `max` characters.
fn optional_text(field: &str, value: Option<String>, max: usize) -> AppResult<Option<String>> {
    match value {
        Some(v) if !v.trim().is_empty() => {
            max_chars(field, &v, max)?;
            Ok(Some(v))
        }
        _ => Ok(None),
    }
}

/// Checks that every id names a topic of the viewer's organization.
async fn require_topics(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    ids: &[Uuid],
) -> AppResult<BTreeSet<Uuid>> {
    let wanted: BTreeSet<Uuid> = ids.iter().copied().collect();
    if wanted.is_empty() {
        return Ok(wanted);
    }
    let found = Tenant::of(viewer)
        .find::<topics::Entity>()
        .filter(topics::Column::Id.is_in(wanted.iter().copied()))
        .count(conn)
        .await?;
    if found != wanted.len() as u64 {
        return Err(AppError::NotFound("topic"));
    }
    Ok(wanted)
}

async fn validate(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    fields: ContentFields,
) -> AppResult<ValidContent> {
    let title = required_text("title", &fields.title, MAX_TITLE)?;
    let url = web_url("url", &fields.url)?;
    let image_url = match fields.image_url.as_deref().map(str::trim) {
        Some(v) if !v.is_empty() => Some(web_url("imageUrl", v)?),
        _ => None,
    };
    let summary = optional_text("summary", fields.summary, MAX_SUMMARY)?;
    let body = optional_text("body", fields.body, MAX_BODY)?;
    let language = fields
        .language
        .as_deref()
        .map(LanguageTag::parse)
        .transpose()?
        .map(LanguageTag::into_inner);
    let mut seen = BTreeSet::new();
    let mut suggested_texts = Vec::with_capacity(fields.suggested_texts.len());
    for (network, text) in fields.suggested_texts {
        if !seen.insert(network) {
            return Err(AppError::bad_input(format!(
                "suggestedTexts has more than one text for {}",
                network.as_str()
            )));
        }
        let field = format!("suggested text for {}", network.as_str());
        let text = required_text(&field, &text, text_limit(network))?;
        suggested_texts.push((network, text));
    }
    let topic_ids = require_topics(conn, viewer, &fields.topic_ids).await?;
    let group_ids = require_groups(conn, viewer, &fields.target_group_ids).await?;
    Ok(ValidContent {
        kind: fields.kind,
        title,
        summary,
        body,
        url,
        image_url,
        language,
        topic_ids,
        group_ids,
        suggested_texts,
        pinned: fields.pinned,
    })
}

/// Replaces the item's topics, target groups and suggested texts.
async fn write_links(
    txn: &impl ConnectionTrait,
    viewer: &Viewer,
    content_id: Uuid,
    valid: &ValidContent,
) -> AppResult<()> {
    Tenant::of(viewer)
        .delete_many::<content_topics::Entity>()
        .filter(content_topics::Column::ContentId.eq(content_id))
        .exec(txn)
        .await?;
    Tenant::of(viewer)
        .delete_many::<content_groups::Entity>()
        .filter(content_groups::Column::ContentId.eq(content_id))
        .exec(txn)
        .await?;
    Tenant::of(viewer)
        .delete_many::<content_suggested_texts::Entity>()
        .filter(content_suggested_texts::Column::ContentId.eq(content_id))
        .exec(txn)
        .await?;
    let tenant = Tenant::of(viewer);
    if !valid.topic_ids.is_empty() {
        tenant
            .insert_many(
                valid
                    .topic_ids
                    .iter()
                    .map(|topic_id| content_topics::ActiveModel {
                        content_id: Set(content_id),
                        topic_id: Set(*topic_id),
                        ..Default::default()
                    }),
            )
            .exec(txn)
            .await?;
    }
    if !valid.group_ids.is_empty() {
        tenant
            .insert_many(
                valid
                    .group_ids
                    .iter()
                    .map(|group_id| content_groups::ActiveModel {
                        content_id: Set(content_id),
                        group_id: Set(*group_id),
                        ..Default::default()
                    }),
            )
            .exec(txn)
            .await?;
    }
    if !valid.suggested_texts.is_empty() {
        tenant
            .insert_many(valid.suggested_texts.iter().map(|(network, text)| {
                content_suggested_texts::ActiveModel {
                    content_id: Set(content_id),
                    network: Set(network.as_str().to_owned()),
                    text: Set(text.clone()),
                    ..Default::default()
                }
            }))
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// Creates a DRAFT, in the caller's transaction.
pub async fn create(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    now: DateTime<Utc>,
    fields: ContentFields,
) -> AppResult<contents::Model> {
    viewer.require_any(WRITERS)?;
    let tenant = Tenant::of(viewer);
    let valid = validate(conn, viewer, fields).await?;
    let item = contents::ActiveModel {
        id: Set(Uuid::now_v7()),
        kind: Set(valid.kind.as_str().to_owned()),
        title: Set(valid.title.clone()),
        summary: Set(valid.summary.clone()),
        body: Set(valid.body.clone()),
        url: Set(valid.url.clone()),
        image_url: Set(valid.image_url.clone()),
        language: Set(valid.language.clone()),
        pinned: Set(valid.pinned),
        targeted: Set(!valid.group_ids.is_empty()),
        publish_at: Set(None),
        expires_at: Set(None),
        archived_at: Set(None),
        created_by: Set(viewer.user_id()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let item = tenant.create(conn, item).await?;
    write_links(conn, viewer, item.id, &valid).await?;
    bump_version(conn, tenant, now).await?;
    Ok(item)
}

/// Replaces every field of the item; its status does not change. In the
/// caller's transaction.
pub async fn update(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    now: DateTime<Utc>,
    id: Uuid,
    fields: ContentFields,
) -> AppResult<contents::Model> {
    viewer.require_any(WRITERS)?;
    let tenant = Tenant::of(viewer);
    let item = tenant.get::<contents::Entity>(conn, id, "content").await?;
    let valid = validate(conn, viewer, fields).await?;
    let mut model: contents::ActiveModel = item.into();
    model.kind = Set(valid.kind.as_str().to_owned());
    model.title = Set(valid.title.clone());
    model.summary = Set(valid.summary.clone());
    model.body = Set(valid.body.clone());
    model.url = Set(valid.url.clone());
    model.image_url = Set(valid.image_url.clone());
    model.language = Set(valid.language.clone());
    model.pinned = Set(valid.pinned);
    model.targeted = Set(!valid.group_ids.is_empty());
    model.updated_at = Set(now);
    let item = tenant.update(conn, model).await?;
    write_links(conn, viewer, item.id, &valid).await?;
    bump_version(conn, tenant, now).await?;
    Ok(item)
}

/// Publishes now (`publish_at` absent), backdated or scheduled, with an
/// optional expiry after `publish_at`. An archived item comes back. In the
/// caller's transaction.
pub async fn publish(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    now: DateTime<Utc>,
    id: Uuid,
    publish_at: Option<DateTime<Utc>>,
    expires_at: Option<DateTime<Utc>>,
) -> AppResult<contents::Model> {
    viewer.require_any(WRITERS)?;
    let publish_at = publish_at.unwrap_or(now);
    if expires_at.is_some_and(|e| e <= publish_at) {
        return Err(AppError::bad_input("expiresAt must be after publishAt"));
    }
    let tenant = Tenant::of(viewer);
    let item = tenant.get::<contents::Entity>(conn, id, "content").await?;
    let mut model: contents::ActiveModel = item.into();
    model.publish_at = Set(Some(publish_at));
    model.expires_at = Set(expires_at);
    model.archived_at = Set(None);
    model.updated_at = Set(now);
    let item = tenant.update(conn, model).await?;
    bump_version(conn, tenant, now).await?;
    Ok(item)
}

/// Archives the item: out of every feed. Archiving it again changes
/// nothing. In the caller's transaction.
pub async fn archive(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    now: DateTime<Utc>,
    id: Uuid,
) -> AppResult<contents::Model> {
    viewer.require_any(WRITERS)?;
    let tenant = Tenant::of(viewer);
    let item = tenant.get::<contents::Entity>(conn, id, "content").await?;
    if item.archived_at.is_some() {
        return Ok(item);
    }
    let mut model: contents::ActiveModel = item.into();
    model.archived_at = Set(Some(now));
    model.updated_at = Set(now);
    let item = tenant.update(conn, model).await?;
    bump_version(conn, tenant, now).await?;
    Ok(item)
}

pub struct ContentFilter {
    pub status: Option<ContentStatus>,
    pub search: Option<String>,
}

/// Position in the curators' list, newest first by (createdAt, id).
#[derive(Serialize, Deserialize)]
pub struct ListCursor {
    pub created_at: DateTime<Utc>,
    pub id: Uuid,
}

impl ListCursor {
    pub fn of(item: &contents::Model) -> Self {
        Self {
            created_at: item.created_at,
            id: item.id,
        }
    }
}

/// Every item of the organization, newest first (CURATOR or ADMIN).
pub async fn list(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    now: DateTime<Utc>,
    filter: ContentFilter,
    first: First,
    after: Option<&str>,
) -> AppResult<Page<contents::Model>> {
    viewer.require_any(WRITERS)?;
    let cursor: Option<ListCursor> = after.map(decode_cursor).transpose()?;
    let mut query = Tenant::of(viewer).find::<contents::Entity>();
    if let Some(status) = filter.status {
        query = query.filter(status_condition(status, now));
    }
    if let Some(search) = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        max_chars("search", search, 200)?;
        query = query.filter(
            Expr::expr(Func::lower(Expr::col(contents::Column::Title)))
                .like(LikeExpr::new(like_contains(search)).escape('\\')),
        );
    }
    let total = query.clone().count(conn).await?;
    if let Some(cursor) = &cursor {
        query = query.filter(
            Condition::any()
                .add(contents::Column::CreatedAt.lt(cursor.created_at))
                .add(
                    Condition::all()
                        .add(contents::Column::CreatedAt.eq(cursor.created_at))
                        .add(contents::Column::Id.lt(cursor.id)),
                ),
        );
    }
    let rows = query
        .order_by_desc(contents::Column::CreatedAt)
        .order_by_desc(contents::Column::Id)
        .limit(first.probe())
        .all(conn)
        .await?;
    let mut page = Page::from_probe(rows, first, cursor.is_some());
    page.total = Some(total);
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_absolute_http_urls_are_accepted() {
        assert!(web_url("url", "https://example.com/a?b=c").is_ok());
        assert!(web_url("url", "http://example.com").is_ok());
        for bad in [
            "",
            "example.com",
            "/relative/path",
            "ftp://example.com/file",
            "javascript:alert(1)",
            "mailto:a@example.com",
            "https://",
            "https://example.com/a b",
            "https://example.com/\u{7}",
        ] {
            assert!(web_url("url", bad).is_err(), "{bad} accepted");
        }
        let long = format!("https://example.com/{}", "a".repeat(MAX_URL));
        assert!(web_url("url", &long).is_err());
    }

    #[test]
    fn text_limits_count_characters_not_bytes() {
        assert_eq!(text_limit(SocialNetwork::X), 280);
        assert_eq!(text_limit(SocialNetwork::Linkedin), 3000);
        assert_eq!(text_limit(SocialNetwork::Facebook), 2200);
        assert!(max_chars("t", &"é".repeat(280), 280).is_ok());
        assert!(max_chars("t", &"é".repeat(281), 280).is_err());
    }
}
