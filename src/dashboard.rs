//! The HR dashboard: a single-page app served at `/dashboard` from files
//! compiled into the binary (`dashboard/assets`). It talks to the API like
//! any other client: `/graphql` and `/export/engagement.csv`, same origin.
//!
//! Assets live under `/dashboard/assets/{version}/…`, where the version is a
//! hash of every file, so they can be cached for a year; the page itself
//! (`index.html`, for every dashboard route) is never cached and names the
//! current version.

use std::sync::LazyLock;

use axum::{
    Router,
    extract::Path,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use include_dir::{Dir, DirEntry, include_dir};
use sha2::{Digest, Sha256};

static ASSETS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/dashboard/assets");

/// No inline script or style, nothing from another origin: the page and
/// its modules come from this server, and so does every request they make.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
     manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The first 16 hex digits of a SHA-256 over every asset's path and bytes.
pub static VERSION: LazyLock<String> = LazyLock::new(|| {
    let mut files = Vec::new();
    collect(&ASSETS, &mut files);
    files.sort_by_key(|f| f.path());
    let mut hash = Sha256::new();
    for file in files {
        let path = file.path().to_string_lossy();
        hash.update((path.len() as u64).to_le_bytes());
        hash.update(path.as_bytes());
        hash.update((file.contents().len() as u64).to_le_bytes());
        hash.update(file.contents());
    }
    hex::encode(hash.finalize())[..16].to_owned()
});

static PAGE: LazyLock<String> = LazyLock::new(|| {
    let template = ASSETS
        .get_file("index.html")
        .and_then(|f| f.contents_utf8())
        .unwrap_or("<!doctype html><title>Dashboard missing</title>");
    template.replace("{{assets}}", &format!("/dashboard/assets/{}", *VERSION))
});

fn collect<'a>(dir: &'a Dir<'a>, out: &mut Vec<&'a include_dir::File<'a>>) {
    for entry in dir.entries() {
        match entry {
            DirEntry::Dir(d) => collect(d, out),
            DirEntry::File(f) => out.push(f),
        }
    }
}

/// The dashboard's routes, to merge into the application's router.
pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/dashboard", get(page))
        .route("/dashboard/", get(page))
        .route("/dashboard/assets/{version}/{*path}", get(asset))
        .route("/dashboard/{*route}", get(route))
}

/// What a browser needs to read a file right, by its extension; files of
/// any other kind (there are none to serve) are not served.
fn content_type(path: &str) -> Option<&'static str> {
    let ext = path.rsplit_once('.').map(|(_, e)| e)?;
    Some(match ext {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "json" => "application/json",
        "woff2" => "font/woff2",
        _ => return None,
    })
}

fn with_common_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    response
}

async fn page() -> Response {
    let mut response = (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
            (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
            (header::X_FRAME_OPTIONS, "DENY"),
        ],
        PAGE.as_str(),
    )
        .into_response();
    response.headers_mut().insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    with_common_headers(response)
}

/// Every path under `/dashboard/` is a page of the app, which routes in the
/// browser; a mistyped asset URL is a plain 404 rather than the page.
async fn route(Path(route): Path<String>) -> Response {
    if route == "assets" || route.starts_with("assets/") {
        return not_found();
    }
    page().await
}

async fn asset(Path((version, path)): Path<(String, String)>) -> Response {
    // An old page asking for assets of another build gets none rather than
    // a mix of two versions.
    if version != *VERSION || path == "index.html" {
        return not_found();
    }
    let (Some(file), Some(content_type)) = (ASSETS.get_file(&path), content_type(&path)) else {
        return not_found();
    };
    with_common_headers(
        (
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, IMMUTABLE),
            ],
            file.contents(),
        )
            .into_response(),
    )
}

fn not_found() -> Response {
    with_common_headers(
        (
            StatusCode::NOT_FOUND,
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            "not found\n",
        )
            .into_response(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_asset_has_a_content_type() {
        let mut files = Vec::new();
        collect(&ASSETS, &mut files);
        assert!(files.len() > 5, "the dashboard's assets are embedded");
        for file in files {
            let path = file.path().to_string_lossy();
            let licence = path.ends_with("LICENSE") || path.ends_with("VERSIONS");
            assert!(
                licence || content_type(&path).is_some(),
                "{path} would not be served"
            );
        }
    }

    #[test]
    fn the_page_names_the_current_assets() {
        assert_eq!(VERSION.len(), 16);
        assert!(PAGE.contains(&format!("/dashboard/assets/{}/", *VERSION)));
        assert!(!PAGE.contains("{{assets}}"));
    }
}
