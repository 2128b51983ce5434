//! What every GraphQL request goes through, around async-graphql's own
//! steps: the contract's codes for documents that do not parse or validate,
//! the document's cost counted before async-graphql expands a fragment,
//! control characters refused in every string input, and field errors
//! propagated to the nearest nullable parent.

use std::sync::{Arc, Mutex};

use async_graphql::{
    Request, Response, ServerError, ServerResult, ValidationResult, Variables,
    extensions::{
        Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery,
        NextPrepareRequest, NextRequest, NextValidation,
    },
    parser::{parse_query, types::ExecutableDocument},
};

use super::{cost, nulls, schema_types::SchemaTypes, text_input};
use crate::error::AppError;

pub struct Boundary {
    types: Arc<SchemaTypes>,
}

impl Boundary {
    pub fn new(types: Arc<SchemaTypes>) -> Self {
        Self { types }
    }
}

impl ExtensionFactory for Boundary {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(BoundaryExtension {
            types: self.types.clone(),
            request: Mutex::default(),
        })
    }
}

#[derive(Default)]
struct RequestState {
    /// The document's text, to follow error paths after execution.
    query: Option<String>,
    measure: Option<cost::Measure>,
    /// A refused string input, reported once the document has validated
    /// (a document that does not validate is told so first).
    refused_input: Option<AppError>,
}

struct BoundaryExtension {
    types: Arc<SchemaTypes>,
    request: Mutex<RequestState>,
}

impl BoundaryExtension {
    fn state(&self) -> std::sync::MutexGuard<'_, RequestState> {
        self.request.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn has_code(err: &ServerError) -> bool {
    err.extensions
        .as_ref()
        .is_some_and(|ext| ext.get("code").is_some())
}

/// Gives `err` the code of `app` (its message kept) unless it has one.
fn with_code(mut err: ServerError, app: AppError) -> ServerError {
    if !has_code(&err) {
        app.write_extensions(err.extensions.get_or_insert_with(Default::default));
    }
    err
}

#[async_trait::async_trait]
impl Extension for BoundaryExtension {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut response = next.run(ctx).await;
        // What is left without a code came from async-graphql: choosing the
        // operation before execution (no path), or coercing an argument
        // value during it.
        for err in &mut response.errors {
            if !has_code(err) {
                let app = if err.path.is_empty() {
                    AppError::ValidationFailed(String::new())
                } else {
                    AppError::bad_input(String::new())
                };
                *err = with_code(std::mem::replace(err, ServerError::new("", None)), app);
            }
        }
        response
    }

    /// Parses the document here, so that it is measured before async-graphql
    /// walks it (its recursion-depth and directive checks expand every
    /// fragment spread too), then hands it on parsed.
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        mut request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let doc = parse_query(&request.query)
            .map_err(|e| with_code(e.into(), AppError::ParseFailed(String::new())))?;
        let measure = cost::check(&doc).map_err(|e| e.into_server_error(Vec::new()))?;
        let refused = text_input::check(&self.types, &doc, &request.variables).err();
        {
            let mut state = self.state();
            state.measure = Some(measure);
            state.refused_input = refused;
            state.query = Some(request.query.clone());
        }
        request.set_parsed_query(doc);
        next.run(ctx, request).await
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        next.run(ctx, query, variables).await.map_err(|err| {
            // async-graphql's nesting and directive limits.
            let limit = err.message.starts_with("The recursion depth")
                || err.message.starts_with("The number of directives");
            let app = if limit {
                AppError::TooComplex {
                    message: String::new(),
                    cost: self.state().measure.unwrap_or_default().cost,
                    max_cost: super::MAX_COMPLEXITY as u64,
                }
            } else {
                AppError::ParseFailed(String::new())
            };
            with_code(err, app)
        })
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await.map_err(|errors| {
            let measure = self.state().measure.unwrap_or_default();
            errors
                .into_iter()
                .map(|err| {
                    // async-graphql's own limits, behind the count above.
                    let app = if err.message == "Query is too complex."
                        || err.message == "Query is nested too deep."
                    {
                        AppError::TooComplex {
                            message: String::new(),
                            cost: measure.cost,
                            max_cost: super::MAX_COMPLEXITY as u64,
                        }
                    } else {
                        AppError::ValidationFailed(String::new())
                    };
                    with_code(err, app)
                })
                .collect::<Vec<_>>()
        })?;
        if let Some(refused) = self.state().refused_input.take() {
            return Err(vec![refused.into_server_error(Vec::new())]);
        }
        Ok(result)
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let mut response = next.run(ctx, operation_name).await;
        if response.errors.iter().any(|e| !e.path.is_empty()) {
            let query = self.state().query.take();
            if let Some(doc) = query.and_then(|q| parse_query(q).ok()) {
                nulls::propagate(&self.types, &doc, operation_name, &mut response);
            }
        }
        response
    }
}
