//! Request-scoped DataLoaders: one statement per batch of keys instead of
//! one per object. Each is bound to the request's viewer, so every key is
//! looked up within the viewer's organization.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use entity::{consent_records, contents, groups, social_accounts, topics, users};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use crate::{
    auth::Viewer, content, domain::SocialNetwork, error::AppError, org, programme, shares,
};

#[derive(Clone)]
pub struct Scope {
    pub db: DatabaseConnection,
    pub viewer: Viewer,
}

/// Declares a loader from Uuid keys to values computed by the service
/// function `$load(conn, viewer, keys)`.
macro_rules! loader {
    ($name:ident, $value:ty, $load:path) => {
        pub struct $name(pub Scope);

        impl Loader<Uuid> for $name {
            type Value = $value;
            type Error = Arc<AppError>;

            async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, $value>, Self::Error> {
                $load(&self.0.db, &self.0.viewer, keys)
                    .await
                    .map_err(Arc::new)
            }
        }
    };
}

loader!(UserById, users::Model, org::users::by_ids);
loader!(GroupMemberCount, i64, org::groups::member_counts);
loader!(GroupsOfUser, Vec<groups::Model>, org::groups::of_users);
loader!(
    TopicsOfUser,
    Vec<topics::Model>,
    org::topics::followed_by_users
);
loader!(TopicFollowedByViewer, bool, org::topics::followed_by_viewer);
loader!(
    SocialAccountsOfUser,
    Vec<social_accounts::Model>,
    programme::social::of_users
);
loader!(
    ConsentOfUser,
    Vec<consent_records::Model>,
    programme::enrollment::consent_of_users
);

loader!(
    TopicsOfContent,
    Vec<topics::Model>,
    content::related::topics_of
);
loader!(
    GroupsOfContent,
    Vec<groups::Model>,
    content::related::groups_of
);
loader!(
    SuggestedTextsOfContent,
    Vec<(SocialNetwork, String)>,
    content::related::suggested_texts_of
);
loader!(
    SharesOfContent,
    content::related::ShareStats,
    content::related::share_stats
);

loader!(ContentById, contents::Model, content::related::by_ids);
loader!(ClicksOfShare, i64, shares::clicks::counts_of_shares);
loader!(StatsOfUser, shares::stats::Stats, shares::stats::of_users);

/// Every loader of one request.
pub struct Loaders {
    pub user_by_id: DataLoader<UserById>,
    pub group_member_count: DataLoader<GroupMemberCount>,
    pub groups_of_user: DataLoader<GroupsOfUser>,
    pub topics_of_user: DataLoader<TopicsOfUser>,
    pub topic_followed: DataLoader<TopicFollowedByViewer>,
    pub social_accounts_of_user: DataLoader<SocialAccountsOfUser>,
    pub consent_of_user: DataLoader<ConsentOfUser>,
    pub content: ContentLoaders,
    pub content_by_id: DataLoader<ContentById, HashMapCache>,
    pub clicks_of_share: DataLoader<ClicksOfShare, HashMapCache>,
    pub stats_of_user: DataLoader<StatsOfUser, HashMapCache>,
}

/// The loaders of what is shown with each content item. They cache within
/// the request, so a list can fetch a whole page's worth up front (see
/// `graphql::content`) instead of relying on the batching delay.
pub struct ContentLoaders {
    pub topics: DataLoader<TopicsOfContent, HashMapCache>,
    pub groups: DataLoader<GroupsOfContent, HashMapCache>,
    pub suggested_texts: DataLoader<SuggestedTextsOfContent, HashMapCache>,
    /// shareCount and viewerHasShared together.
    pub shares: DataLoader<SharesOfContent, HashMapCache>,
}

impl ContentLoaders {
    /// Forgets what was cached, after a write in the same request.
    pub fn clear(&self) {
        self.topics.clear::<Uuid>();
        self.groups.clear::<Uuid>();
        self.suggested_texts.clear::<Uuid>();
        self.shares.clear::<Uuid>();
    }

    fn new(scope: &Scope) -> Self {
        fn cached<T: Loader<Uuid>>(loader: T) -> DataLoader<T, HashMapCache> {
            DataLoader::with_cache(loader, tokio::spawn, HashMapCache::default())
        }
        Self {
            topics: cached(TopicsOfContent(scope.clone())),
            groups: cached(GroupsOfContent(scope.clone())),
            suggested_texts: cached(SuggestedTextsOfContent(scope.clone())),
            shares: cached(SharesOfContent(scope.clone())),
        }
    }
}

impl Loaders {
    pub fn new(db: DatabaseConnection, viewer: Viewer) -> Self {
        let scope = Scope { db, viewer };
        Self {
            user_by_id: DataLoader::new(UserById(scope.clone()), tokio::spawn),
            group_member_count: DataLoader::new(GroupMemberCount(scope.clone()), tokio::spawn),
            groups_of_user: DataLoader::new(GroupsOfUser(scope.clone()), tokio::spawn),
            topics_of_user: DataLoader::new(TopicsOfUser(scope.clone()), tokio::spawn),
            content: ContentLoaders::new(&scope),
            topic_followed: DataLoader::new(TopicFollowedByViewer(scope.clone()), tokio::spawn),
            social_accounts_of_user: DataLoader::new(
                SocialAccountsOfUser(scope.clone()),
                tokio::spawn,
            ),
            content_by_id: DataLoader::with_cache(
                ContentById(scope.clone()),
                tokio::spawn,
                HashMapCache::default(),
            ),
            clicks_of_share: DataLoader::with_cache(
                ClicksOfShare(scope.clone()),
                tokio::spawn,
                HashMapCache::default(),
            ),
            stats_of_user: DataLoader::with_cache(
                StatsOfUser(scope.clone()),
                tokio::spawn,
                HashMapCache::default(),
            ),
            consent_of_user: DataLoader::new(ConsentOfUser(scope), tokio::spawn),
        }
    }
}

/// The list `loader` holds for `key` (empty when none), each item wrapped
/// in its GraphQL type.
pub async fn load_list<L, C, T, W>(
    loader: &DataLoader<L, C>,
    key: Uuid,
    wrap: impl Fn(T) -> W,
) -> async_graphql::Result<Vec<W>>
where
    L: Loader<Uuid, Value = Vec<T>, Error = Arc<AppError>>,
    C: async_graphql::dataloader::CacheFactory,
    T: Send + Sync + Clone + 'static,
{
    Ok(loader
        .load_one(key)
        .await
        .map_err(loader_error)?
        .unwrap_or_default()
        .into_iter()
        .map(wrap)
        .collect())
}

/// Turns a loader's shared error into a GraphQL error with its code.
pub fn loader_error(err: Arc<AppError>) -> async_graphql::Error {
    match Arc::try_unwrap(err) {
        Ok(err) => err.into(),
        Err(shared) => match &*shared {
            AppError::Internal(cause) => AppError::Internal(anyhow::anyhow!("{cause:#}")).into(),
            AppError::Unauthenticated(m) => AppError::Unauthenticated(*m).into(),
            AppError::Forbidden(m) => AppError::Forbidden(m).into(),
            AppError::NotFound(m) => AppError::NotFound(m).into(),
            AppError::BadInput(m) => AppError::BadInput(m.clone()).into(),
            AppError::Conflict(m) => AppError::Conflict(m.clone()).into(),
            AppError::RateLimited {
                retry_after_seconds,
            } => AppError::RateLimited {
                retry_after_seconds: *retry_after_seconds,
            }
            .into(),
            AppError::TimedOut(d) => AppError::TimedOut(*d).into(),
            AppError::ParseFailed(m) => AppError::ParseFailed(m.clone()).into(),
            AppError::ValidationFailed(m) => AppError::ValidationFailed(m.clone()).into(),
            AppError::TooComplex {
                message,
                cost,
                max_cost,
            } => AppError::TooComplex {
                message: message.clone(),
                cost: *cost,
                max_cost: *max_cost,
            }
            .into(),
        },
    }
}
