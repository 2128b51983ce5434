//! Content that curators write and ambassadors share: its lifecycle,
//! validation, the curators' list, the feed and the data shown with each item.

pub mod catalogue;
pub mod curation;
pub mod demo;
pub mod feed;
pub mod related;
pub mod visibility;

use chrono::{DateTime, Utc};
use entity::contents;
use sea_orm::{ColumnTrait, Condition};

/// What a content item is.
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ContentKind {
    /// A press or blog article.
    Article,
    /// A job offer.
    JobOffer,
    /// An event, e.g. a job fair.
    Event,
    /// A training, e.g. for a trade short of staff.
    Training,
    /// News of the company.
    CompanyNews,
    /// A study or report.
    Study,
    /// A video.
    Video,
}

impl ContentKind {
    pub const ALL: [ContentKind; 7] = [
        ContentKind::Article,
        ContentKind::JobOffer,
        ContentKind::Event,
        ContentKind::Training,
        ContentKind::CompanyNews,
        ContentKind::Study,
        ContentKind::Video,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ContentKind::Article => "ARTICLE",
            ContentKind::JobOffer => "JOB_OFFER",
            ContentKind::Event => "EVENT",
            ContentKind::Training => "TRAINING",
            ContentKind::CompanyNews => "COMPANY_NEWS",
            ContentKind::Study => "STUDY",
            ContentKind::Video => "VIDEO",
        }
    }

    pub fn parse(s: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .unwrap_or(ContentKind::Article)
    }
}

/// Derived from publishAt, expiresAt and archiving, at the time of the request.
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ContentStatus {
    /// Never published.
    Draft,
    /// publishAt is in the future.
    Scheduled,
    /// Published and not expired: in the feed of those it is aimed at.
    Published,
    /// expiresAt has passed.
    Expired,
    /// Archived by a curator; out of every feed.
    Archived,
}

/// The status of `item` at `now`.
pub fn status(item: &contents::Model, now: DateTime<Utc>) -> ContentStatus {
    status_of(
        item.archived_at.is_some(),
        item.publish_at,
        item.expires_at,
        now,
    )
}

/// The status at `now` of an item archived or not, published at
/// `publish_at` (None: a draft) and expiring at `expires_at`. Its SQL twin
/// is `status_condition`, next to it.
pub fn status_of(
    archived: bool,
    publish_at: Option<DateTime<Utc>>,
    expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> ContentStatus {
    if archived {
        return ContentStatus::Archived;
    }
    match publish_at {
        None => ContentStatus::Draft,
        Some(at) if at > now => ContentStatus::Scheduled,
        Some(_) if expires_at.is_some_and(|e| e <= now) => ContentStatus::Expired,
        Some(_) => ContentStatus::Published,
    }
}

/// The rows whose status at `now` is `status`, as a SQL condition: the
/// twin of `status_of`.
pub fn status_condition(status: ContentStatus, now: DateTime<Utc>) -> Condition {
    use contents::Column as C;
    let live = Condition::all().add(C::ArchivedAt.is_null());
    match status {
        ContentStatus::Archived => Condition::all().add(C::ArchivedAt.is_not_null()),
        ContentStatus::Draft => live.add(C::PublishAt.is_null()),
        ContentStatus::Scheduled => live.add(C::PublishAt.gt(now)),
        ContentStatus::Published => live.add(C::PublishAt.lte(now)).add(
            Condition::any()
                .add(C::ExpiresAt.is_null())
                .add(C::ExpiresAt.gt(now)),
        ),
        ContentStatus::Expired => live.add(C::PublishAt.lte(now)).add(C::ExpiresAt.lte(now)),
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};
    use uuid::Uuid;

    use super::*;

    fn item(
        publish: Option<i64>,
        expires: Option<i64>,
        archived: bool,
        now: DateTime<Utc>,
    ) -> contents::Model {
        contents::Model {
            id: Uuid::nil(),
            organization_id: Uuid::nil(),
            kind: "ARTICLE".into(),
            title: "t".into(),
            summary: None,
            body: None,
            url: "https://example.com".into(),
            image_url: None,
            language: None,
            pinned: false,
            targeted: false,
            publish_at: publish.map(|h| now + Duration::hours(h)),
            expires_at: expires.map(|h| now + Duration::hours(h)),
            archived_at: archived.then_some(now),
            created_by: Uuid::nil(),
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn status_follows_publication_expiry_and_archiving() {
        let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
        assert_eq!(
            status(&item(None, None, false, now), now),
            ContentStatus::Draft
        );
        assert_eq!(
            status(&item(Some(1), None, false, now), now),
            ContentStatus::Scheduled
        );
        assert_eq!(
            status(&item(Some(0), None, false, now), now),
            ContentStatus::Published
        );
        assert_eq!(
            status(&item(Some(-2), Some(1), false, now), now),
            ContentStatus::Published
        );
        assert_eq!(
            status(&item(Some(-2), Some(0), false, now), now),
            ContentStatus::Expired
        );
        assert_eq!(
            status(&item(Some(-2), None, true, now), now),
            ContentStatus::Archived
        );
        assert_eq!(
            status(&item(None, None, true, now), now),
            ContentStatus::Archived
        );
    }

    #[test]
    fn kinds_round_trip_through_their_stored_names() {
        for kind in ContentKind::ALL {
            assert_eq!(ContentKind::parse(kind.as_str()), kind);
        }
    }
}
