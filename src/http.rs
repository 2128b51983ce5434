//! HTTP: GraphQL over HTTP (one operation per request, mutations only over
//! POST, 4xx for requests that cannot execute, content negotiation),
//! GraphiQL, health checks, request ids and limits.

use std::net::{IpAddr, SocketAddr};

use async_graphql::{
    Response as GqlResponse,
    http::GraphiQLSource,
    parser::{parse_query, types::OperationType},
};
use axum::{
    Router,
    body::Bytes,
    extract::{ConnectInfo, DefaultBodyLimit, Path, RawQuery, State, rejection::BytesRejection},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Response},
    routing::get,
};
use serde::Deserialize;
use tower_http::{
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer},
    trace::TraceLayer,
};

use crate::{
    config::AppEnv,
    error::{AppError, AuthFailure},
    graphql::{AppSchema, ClientAddr, Loaders, RequestAuth},
    state::AppState,
};

pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// A client's `x-request-id` longer than this, or with other characters
/// than letters, digits, `-`, `_` and `.`, is replaced: it is echoed and logged.
const MAX_REQUEST_ID_LEN: usize = 64;
const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
const APPLICATION_JSON: &str = "application/json";

#[derive(Clone)]
pub struct HttpState {
    pub app: AppState,
    pub schema: AppSchema,
}

pub fn router(app: AppState, schema: AppSchema) -> Router {
    let graphiql = app.settings.app_env != AppEnv::Production;
    let state = HttpState { app, schema };
    let mut router = Router::new()
        .route("/graphql", get(graphql_get).post(graphql_post))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/docs/scalars", get(scalars_page))
        .route("/r/{code}", get(follow_tracking_link))
        .route("/export/engagement.csv", get(engagement_csv))
        .merge(crate::dashboard::router());
    if graphiql {
        router = router.route("/graphiql", get(graphiql_page));
    }
    router
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
                let id = req
                    .extensions()
                    .get::<RequestId>()
                    .and_then(|id| id.header_value().to_str().ok())
                    .unwrap_or("-")
                    .to_owned();
                // The path only: query strings may carry tokens or personal data.
                tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path())
            }),
        )
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(axum::middleware::map_request(drop_unsafe_request_id))
        .with_state(state)
}

/// Removes a client-supplied request id that is not a short token of safe
/// characters, so that the next layer gives the request a fresh one.
async fn drop_unsafe_request_id<B>(mut req: axum::http::Request<B>) -> axum::http::Request<B> {
    let safe = |v: &HeaderValue| {
        let bytes = v.as_bytes();
        !bytes.is_empty()
            && bytes.len() <= MAX_REQUEST_ID_LEN
            && bytes
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    };
    let headers = req.headers_mut();
    let values: Vec<&HeaderValue> = headers.get_all("x-request-id").iter().collect();
    if values.len() != 1 || !safe(values[0]) {
        headers.remove("x-request-id");
    }
    req
}

async fn readyz(State(state): State<HttpState>) -> Response {
    match state.app.db.ping().await {
        Ok(_) => (StatusCode::OK, "ready").into_response(),
        Err(err) => {
            tracing::error!(error = %err, "database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

/// `GET /r/{code}`: 302 to the content URL with UTM parameters, counting
/// the click; 404 with a small page for a code that is not ours.
async fn follow_tracking_link(
    State(state): State<HttpState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    method: axum::http::Method,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Response {
    let app = &state.app;
    // A HEAD request (a link checker) learns where the link leads but is no click.
    let counted = method == axum::http::Method::GET;
    let client = client_addr(peer.ip(), &headers, &app.settings.trusted_proxies);
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let no_store = |mut response: Response| {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    };
    let visit = crate::shares::clicks::visit(
        &app.db,
        &app.address_key,
        app.clock.now(),
        &code,
        client,
        user_agent,
        counted,
    );
    match visit.await {
        Ok(Some(target)) => match HeaderValue::from_str(&target) {
            Ok(location) => no_store(
                (StatusCode::FOUND, [(header::LOCATION, location)]).into_response(),
            ),
            Err(_) => {
                tracing::error!("tracking target is not a valid header value");
                no_store(StatusCode::INTERNAL_SERVER_ERROR.into_response())
            }
        },
        Ok(None) => no_store(
            (
                StatusCode::NOT_FOUND,
                Html(
                    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Link not found</title></head>\
                     <body><h1>Link not found</h1><p>This link is unknown or mistyped.</p></body></html>",
                ),
            )
                .into_response(),
        ),
        Err(err) => {
            if let crate::error::AppError::Internal(cause) = &err {
                tracing::error!(error = format!("{cause:#}"), "tracking link failed");
            }
            no_store(StatusCode::INTERNAL_SERVER_ERROR.into_response())
        }
    }
}

/// What the custom scalars' `@specifiedBy` URLs point at (`Long`'s is
/// relative to the API's own address).
async fn scalars_page() -> Html<&'static str> {
    Html(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Scalars</title></head><body>\
         <h1>The API's custom scalars</h1>\
         <h2 id=\"datetime\">DateTime</h2><p>An RFC 3339 <code>date-time</code> \
         (<a href=\"https://datatracker.ietf.org/doc/html/rfc3339#section-5.6\">section 5.6</a>), \
         always returned in UTC with a <code>Z</code>, e.g. <code>2026-11-26T08:30:00Z</code>. \
         Any offset is accepted as input; fractions of a second below the microsecond are dropped.</p>\
         <h2 id=\"date\">Date</h2><p>An RFC 3339 <code>full-date</code>, a calendar day in UTC: \
         <code>YYYY-MM-DD</code>, e.g. <code>2026-11-26</code>.</p>\
         <h2 id=\"long\">Long</h2><p>A signed 64-bit integer sent as a JSON number, never as a string. \
         Values stay within &plusmn;(2<sup>53</sup>&nbsp;&minus;&nbsp;1), so that every JSON parser, \
         JavaScript's included, reads them exactly; an input beyond that, or with a fraction, is \
         <code>BAD_USER_INPUT</code>. Used for audience sizes (followers, potential reach).</p>\
         </body></html>",
    )
}

async fn graphiql_page() -> Html<String> {
    Html(GraphiQLSource::build().endpoint("/graphql").finish())
}

/// The response media types this server speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MediaType {
    GraphqlResponse,
    Json,
}

/// Picks the response type from `Accept`, by q-value then by the client's
/// order; none acceptable is `None` (406). No header, `*/*` and
/// `application/*` get `application/json`, as GraphQL over HTTP asks for
/// clients that did not say they understand the newer type.
fn negotiate(headers: &HeaderMap) -> Option<MediaType> {
    let Some(accept) = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(str::to_owned)
        .reduce(|a, b| format!("{a},{b}"))
        .filter(|a| !a.trim().is_empty())
    else {
        return Some(MediaType::Json);
    };
    let mut best: Option<(f32, MediaType)> = None;
    for range in accept.split(',') {
        let mut parts = range.split(';').map(str::trim);
        let media = parts.next().unwrap_or_default().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.strip_prefix("q="))
            .find_map(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        if q <= 0.0 {
            continue;
        }
        let candidate = match media.as_str() {
            GRAPHQL_RESPONSE_JSON => MediaType::GraphqlResponse,
            APPLICATION_JSON | "*/*" | "application/*" => MediaType::Json,
            _ => continue,
        };
        if best.is_none_or(|(bq, _)| q > bq) {
            best = Some((q, candidate));
        }
    }
    best.map(|(_, m)| m)
}

/// A response of one error and no `data`: the request was not executed.
fn error_body(err: AppError) -> serde_json::Value {
    serde_json::json!({ "errors": [err.into_server_error(Vec::new())] })
}

fn respond(status: StatusCode, media: MediaType, body: &impl serde::Serialize) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    let mut response = (status, bytes).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(match media {
            MediaType::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            MediaType::Json => "application/json; charset=utf-8",
        }),
    );
    response
}

/// A request that could not be turned into a GraphQL request: always 400.
fn bad_request(media: MediaType, message: &str) -> Response {
    respond(
        StatusCode::BAD_REQUEST,
        media,
        &error_body(AppError::bad_input(message)),
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GetParams {
    query: Option<String>,
    #[serde(rename = "operationName")]
    operation_name: Option<String>,
    variables: Option<String>,
    extensions: Option<String>,
}

async fn graphql_get(
    State(state): State<HttpState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(media) = negotiate(&headers) else {
        return not_acceptable();
    };
    let params: GetParams = match serde_urlencoded::from_str(query.as_deref().unwrap_or("")) {
        Ok(p) => p,
        Err(_) => {
            return bad_request(
                media,
                "query string must hold query, variables, operationName",
            );
        }
    };
    let Some(query) = params.query.filter(|q| !q.trim().is_empty()) else {
        return bad_request(media, "the query parameter is required");
    };
    let mut request = async_graphql::Request::new(query);
    if let Some(name) = params.operation_name.filter(|n| !n.is_empty()) {
        request = request.operation_name(name);
    }
    if let Some(vars) = params.variables.filter(|v| !v.is_empty()) {
        match serde_json::from_str::<serde_json::Value>(&vars) {
            Ok(v @ serde_json::Value::Object(_)) => {
                request = request.variables(async_graphql::Variables::from_json(v));
            }
            _ => return bad_request(media, "variables must be a JSON object"),
        }
    }
    if params
        .extensions
        .is_some_and(|e| serde_json::from_str::<serde_json::Value>(&e).is_err())
    {
        return bad_request(media, "extensions must be JSON");
    }
    // Mutations change state and are only accepted over POST.
    if let Ok(doc) = parse_query(&request.query) {
        let selected = match &request.operation_name {
            Some(name) => doc
                .operations
                .iter()
                .find(|(n, _)| n.map(|n| n.as_str()) == Some(name.as_str()))
                .map(|(_, op)| op.node.ty),
            None => doc.operations.iter().next().map(|(_, op)| op.node.ty),
        };
        if selected.is_some_and(|ty| ty != OperationType::Query) {
            let mut response = respond(
                StatusCode::METHOD_NOT_ALLOWED,
                media,
                &error_body(AppError::bad_input("mutations are only accepted over POST")),
            );
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("POST"));
            return response;
        }
    }
    execute(&state, peer, &headers, media, request).await
}

async fn graphql_post(
    State(state): State<HttpState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let Some(media) = negotiate(&headers) else {
        return not_acceptable();
    };
    let body = match body {
        Ok(body) => body,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return respond(
                StatusCode::PAYLOAD_TOO_LARGE,
                media,
                &error_body(AppError::bad_input(format!(
                    "the body is larger than {} KiB",
                    MAX_BODY_BYTES / 1024
                ))),
            );
        }
        Err(_) => return bad_request(media, "the body could not be read"),
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if content_type != APPLICATION_JSON {
        let mut response = respond(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            media,
            &error_body(AppError::bad_input(
                "send the request as Content-Type: application/json",
            )),
        );
        response
            .headers_mut()
            .insert(header::ACCEPT, HeaderValue::from_static(APPLICATION_JSON));
        return response;
    }
    let value: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(_) => return bad_request(media, "the body is not valid JSON"),
    };
    if value.is_array() {
        return bad_request(
            media,
            "batched requests are not supported: send one operation per request",
        );
    }
    let query = value.get("query").and_then(serde_json::Value::as_str);
    if query.is_none_or(|q| q.trim().is_empty()) {
        return bad_request(
            media,
            "the body must hold the document as a string in query",
        );
    }
    let request: async_graphql::Request = match serde_json::from_value(value) {
        Ok(r) => r,
        Err(_) => {
            return bad_request(
                media,
                "the body must be an object with a string query and optional variables and operationName",
            );
        }
    };
    execute(&state, peer, &headers, media, request).await
}

fn not_acceptable() -> Response {
    let mut response = (
        StatusCode::NOT_ACCEPTABLE,
        format!("supported response types: {GRAPHQL_RESPONSE_JSON}, {APPLICATION_JSON}"),
    )
        .into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// The client's address: the socket's, or, behind a trusted proxy, the
/// nearest `X-Forwarded-For` entry that is not itself a trusted proxy.
pub fn client_addr(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    let canonical = |ip: IpAddr| ip.to_canonical();
    let peer = canonical(peer);
    if !trusted.iter().any(|t| canonical(*t) == peer) {
        return peer;
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|s| s.trim().parse::<IpAddr>().ok())
        .map(canonical)
        .collect();
    forwarded
        .into_iter()
        .rev()
        .find(|ip| !trusted.iter().any(|t| canonical(*t) == *ip))
        .unwrap_or(peer)
}

async fn execute(
    state: &HttpState,
    peer: SocketAddr,
    headers: &HeaderMap,
    media: MediaType,
    mut request: async_graphql::Request,
) -> Response {
    let app = &state.app;
    let auth = match bearer(headers) {
        None => RequestAuth::Anonymous,
        Some(token) => match app.jwt.verify(token, app.clock.now().timestamp()) {
            Ok(viewer) => RequestAuth::Viewer(viewer),
            Err(AppError::Unauthenticated(failure)) => RequestAuth::Invalid(failure),
            Err(_) => RequestAuth::Invalid(AuthFailure::TokenInvalid),
        },
    };
    if let RequestAuth::Viewer(viewer) = &auth {
        request = request.data(Loaders::new(app.db.clone(), viewer.clone()));
    }
    let client = client_addr(peer.ip(), headers, &app.settings.trusted_proxies);
    request = request.data(auth).data(ClientAddr(client));

    let limit = app.settings.graphql_timeout;
    let Ok(response) = tokio::time::timeout(limit, state.schema.execute(request)).await else {
        tracing::warn!(seconds = limit.as_secs_f64(), "GraphQL execution timed out");
        let mut response = respond(
            StatusCode::SERVICE_UNAVAILABLE,
            media,
            &error_body(AppError::TimedOut(limit)),
        );
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        return response;
    };
    graphql_response(media, response)
}

/// The HTTP answer to an executed GraphQL request. One that failed before
/// execution (it did not parse, validate or pass the limits) has no `data`
/// at all, and is 400 for `application/graphql-response+json`; the legacy
/// `application/json` answers 200 to every well-formed request.
fn graphql_response(media: MediaType, response: GqlResponse) -> Response {
    let not_executed = response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty());
    let status = if not_executed && media == MediaType::GraphqlResponse {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    if not_executed {
        let mut body = serde_json::json!({ "errors": response.errors });
        if !response.extensions.is_empty() {
            body["extensions"] = serde_json::json!(response.extensions);
        }
        return respond(status, media, &body);
    }
    respond(status, media, &response)
}

#[derive(Deserialize)]
struct CsvRange {
    from: Option<String>,
    to: Option<String>,
}

/// `GET /export/engagement.csv?from=YYYY-MM-DD&to=YYYY-MM-DD`: the daily
/// engagement figures as CSV, with the bearer token and role rules of the
/// GraphQL report.
async fn engagement_csv(
    State(state): State<HttpState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let plain = |status: StatusCode, message: &str| {
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("{message}\n"),
        )
            .into_response()
    };
    let app = &state.app;
    let Some(token) = bearer(&headers) else {
        return plain(
            StatusCode::UNAUTHORIZED,
            AuthFailure::TokenMissing.message(),
        );
    };
    let viewer = match app.jwt.verify(token, app.clock.now().timestamp()) {
        Ok(viewer) => viewer,
        Err(err) => return plain(StatusCode::UNAUTHORIZED, &err.to_string()),
    };
    let range: Option<CsvRange> = serde_urlencoded::from_str(query.as_deref().unwrap_or("")).ok();
    let day = |s: Option<&String>| {
        s.filter(|s| s.len() == 10)
            .and_then(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
    };
    let (Some(from), Some(to)) = (
        day(range.as_ref().and_then(|r| r.from.as_ref())),
        day(range.as_ref().and_then(|r| r.to.as_ref())),
    ) else {
        return plain(
            StatusCode::BAD_REQUEST,
            "from and to are required, as dates such as 2026-11-26",
        );
    };
    let Ok(_turn) = app.reports.acquire().await else {
        return plain(StatusCode::SERVICE_UNAVAILABLE, "shutting down");
    };
    match crate::analytics::report::daily_csv(&app.db, &viewer, from, to).await {
        Ok(csv) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"engagement-{from}-{to}.csv\""),
                ),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            csv,
        )
            .into_response(),
        Err(err) => {
            let status = match &err {
                AppError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
                AppError::Forbidden(_) => StatusCode::FORBIDDEN,
                AppError::NotFound(_) => StatusCode::NOT_FOUND,
                AppError::BadInput(_) => StatusCode::BAD_REQUEST,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            if let AppError::Internal(cause) = &err {
                tracing::error!(error = format!("{cause:#}"), "export failed");
            }
            plain(status, &err.to_string())
        }
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT, HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn accept_header_negotiation() {
        assert_eq!(negotiate(&HeaderMap::new()), Some(MediaType::Json));
        assert_eq!(
            negotiate(&accept("application/json")),
            Some(MediaType::Json)
        );
        assert_eq!(negotiate(&accept("*/*")), Some(MediaType::Json));
        assert_eq!(
            negotiate(&accept("application/graphql-response+json, */*")),
            Some(MediaType::GraphqlResponse)
        );
        assert_eq!(
            negotiate(&accept(
                "application/json, application/graphql-response+json;q=0.9"
            )),
            Some(MediaType::Json)
        );
        assert_eq!(negotiate(&accept("text/html")), None);
        assert_eq!(negotiate(&accept("application/json;q=0")), None);
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_static("6.6.6.6, 1.2.3.4"),
        );
        let peer: IpAddr = "9.9.9.9".parse().unwrap();
        assert_eq!(client_addr(peer, &h, &[proxy]), peer);
        assert_eq!(
            client_addr(proxy, &h, &[proxy]),
            "1.2.3.4".parse::<IpAddr>().unwrap()
        );
        assert_eq!(client_addr(proxy, &HeaderMap::new(), &[proxy]), proxy);
    }
}
