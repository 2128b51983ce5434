//! The GraphQL schema: thin resolvers over the area services.

pub mod loaders;
pub mod scalars;

mod boundary;
mod cost;
mod nulls;
mod schema_types;
mod text_input;

mod analytics;
mod audit;
mod auth;
mod content;
mod org;
mod programme;
mod shares;
mod types;

use std::net::IpAddr;

use async_graphql::{
    Context, EmptySubscription, MergedObject, SDLExportOptions, Schema, SchemaBuilder, ServerError,
    ServerResult, Variables,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery},
    parser::types::{ExecutableDocument, Selection},
};
use std::sync::Arc;

use crate::{
    auth::Viewer,
    error::{AppError, AppResult, AuthFailure},
    state::AppState,
};

pub use loaders::Loaders;

/// The root query type.
#[derive(MergedObject, Default)]
pub struct Query(
    org::OrgQuery,
    programme::ProgrammeQuery,
    content::ContentQuery,
    shares::SharesQuery,
    analytics::AnalyticsQuery,
    audit::AuditQuery,
);

/// The root mutation type.
#[derive(MergedObject, Default)]
pub struct Mutation(
    auth::AuthMutation,
    org::OrgMutation,
    programme::ProgrammeMutation,
    content::ContentMutation,
    shares::SharesMutation,
);

pub type AppSchema = Schema<Query, Mutation, EmptySubscription>;

/// A 50-level nested query or 500 aliases of one field are refused before execution.
pub const MAX_DEPTH: usize = 15;
pub const MAX_COMPLEXITY: usize = 400;

fn builder() -> SchemaBuilder<Query, Mutation, EmptySubscription> {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .limit_recursive_depth(64)
        .limit_directives(10)
        .disable_suggestions()
}

pub fn build(state: AppState) -> AppSchema {
    let introspection = state.settings.graphql_introspection;
    let types = Arc::new(schema_types::SchemaTypes::from_sdl(&sdl()));
    // First, so that it sees every other extension's errors.
    let mut builder = builder()
        .data(state)
        .extension(boundary::Boundary::new(types));
    if !introspection {
        builder = builder.extension(RefuseIntrospection);
    }
    builder.finish()
}

/// The SDL that `schema.graphql` holds.
pub fn sdl() -> String {
    builder().finish().sdl_with_options(
        SDLExportOptions::new()
            .sorted_fields()
            .sorted_enum_items()
            .include_specified_by(),
    )
}

/// How the request authenticated, attached to each request's data.
#[derive(Clone, Debug)]
pub enum RequestAuth {
    Anonymous,
    /// A bearer token was sent but refused, for this reason.
    Invalid(AuthFailure),
    Viewer(Viewer),
}

/// The client's address as the edge determined it.
#[derive(Clone, Copy, Debug)]
pub struct ClientAddr(pub IpAddr);

pub(crate) fn state<'a>(ctx: &Context<'a>) -> AppResult<&'a AppState> {
    ctx.data::<AppState>()
        .map_err(|_| AppError::Internal(anyhow::anyhow!("application state missing")))
}

pub(crate) fn viewer<'a>(ctx: &Context<'a>) -> AppResult<&'a Viewer> {
    match ctx.data::<RequestAuth>() {
        Ok(RequestAuth::Viewer(v)) => Ok(v),
        Ok(RequestAuth::Invalid(failure)) => Err(AppError::Unauthenticated(*failure)),
        _ => Err(AppError::Unauthenticated(AuthFailure::TokenMissing)),
    }
}

pub(crate) fn loaders<'a>(ctx: &Context<'a>) -> AppResult<&'a Loaders> {
    viewer(ctx)?;
    ctx.data::<Loaders>()
        .map_err(|_| AppError::Internal(anyhow::anyhow!("loaders missing")))
}

/// Refuses introspection with an error, rather than async-graphql's
/// silent null, when it is turned off.
struct RefuseIntrospection;

impl ExtensionFactory for RefuseIntrospection {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(RefuseIntrospectionExtension)
    }
}

struct RefuseIntrospectionExtension;

#[async_trait::async_trait]
impl Extension for RefuseIntrospectionExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        let mut stack: Vec<&Selection> = Vec::new();
        for (_, op) in doc.operations.iter() {
            stack.extend(op.node.selection_set.node.items.iter().map(|s| &s.node));
        }
        for fragment in doc.fragments.values() {
            stack.extend(
                fragment
                    .node
                    .selection_set
                    .node
                    .items
                    .iter()
                    .map(|s| &s.node),
            );
        }
        while let Some(sel) = stack.pop() {
            match sel {
                Selection::Field(f) => {
                    let name = f.node.name.node.as_str();
                    if name == "__schema" || name == "__type" {
                        let mut err = ServerError::new("introspection is disabled", Some(f.pos));
                        err.extensions = Some({
                            let mut ext = async_graphql::ErrorExtensionValues::default();
                            ext.set("code", "FORBIDDEN");
                            ext
                        });
                        return Err(err);
                    }
                    stack.extend(f.node.selection_set.node.items.iter().map(|s| &s.node));
                }
                Selection::InlineFragment(i) => {
                    stack.extend(i.node.selection_set.node.items.iter().map(|s| &s.node));
                }
                Selection::FragmentSpread(_) => {}
            }
        }
        Ok(doc)
    }
}
