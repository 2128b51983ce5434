//! The HR dashboard: how the server serves it (here, over plain HTTP) and
//! what a person does with it in a real browser (`pages`, through
//! `browser`).

mod browser;
mod pages;

use crate::helpers::TestApp;

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// The asset prefix the page names, e.g. `/dashboard/assets/0123abcd/`.
async fn assets_prefix(app: &TestApp) -> String {
    let page = app
        .client
        .get(app.url("/dashboard/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let start = page
        .find("/dashboard/assets/")
        .expect("the page names its assets");
    let rest = &page[start + "/dashboard/assets/".len()..];
    let version = &rest[..rest.find('/').unwrap()];
    format!("/dashboard/assets/{version}/")
}

#[tokio::test]
async fn every_dashboard_route_is_the_page_uncached_with_a_strict_content_security_policy() {
    let app = TestApp::spawn().await;
    for path in [
        "/dashboard",
        "/dashboard/",
        "/dashboard/overview",
        "/dashboard/content/0190c6a0-0000-7000-8000-000000000000",
    ] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        let h = res.headers();
        assert_eq!(h["content-type"], "text/html; charset=utf-8", "{path}");
        assert_eq!(h["cache-control"], "no-cache", "{path}");
        assert_eq!(h["content-security-policy"], CSP, "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["x-frame-options"], "DENY");
        let body = res.text().await.unwrap();
        assert!(body.contains(r#"<script type="module" src="/dashboard/assets/"#));
        assert!(
            !body.contains("<script>") && !body.contains(" style="),
            "no inline script or style"
        );
        assert!(!body.contains("{{"), "the template is filled in");
    }
}

#[tokio::test]
async fn assets_are_served_with_their_content_type_and_cached_for_a_year() {
    let app = TestApp::spawn().await;
    let prefix = assets_prefix(&app).await;
    for (file, content_type) in [
        ("app/main.js", "text/javascript; charset=utf-8"),
        ("vendor/preact/preact.mjs", "text/javascript; charset=utf-8"),
        (
            "vendor/uplot/uPlot.esm.js",
            "text/javascript; charset=utf-8",
        ),
        ("styles/app.css", "text/css; charset=utf-8"),
        ("vendor/uplot/uPlot.min.css", "text/css; charset=utf-8"),
        ("favicon.svg", "image/svg+xml"),
    ] {
        let res = app
            .client
            .get(app.url(&format!("{prefix}{file}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{file}");
        assert_eq!(res.headers()["content-type"], content_type, "{file}");
        assert_eq!(
            res.headers()["cache-control"],
            "public, max-age=31536000, immutable",
            "{file}"
        );
        assert_eq!(res.headers()["x-content-type-options"], "nosniff");
        let on_disk = std::fs::read(format!(
            "{}/dashboard/assets/{file}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        assert_eq!(
            res.bytes().await.unwrap().as_ref(),
            on_disk,
            "{file} is the committed file"
        );
    }
}

#[tokio::test]
async fn unknown_assets_other_versions_and_files_of_no_served_kind_are_not_found() {
    let app = TestApp::spawn().await;
    let prefix = assets_prefix(&app).await;
    for path in [
        format!("{prefix}app/nothing-here.js"),
        format!("{prefix}vendor/preact/LICENSE"),
        format!("{prefix}index.html"),
        "/dashboard/assets/0000000000000000/app/main.js".to_owned(),
        "/dashboard/assets/app/main.js".to_owned(),
        "/dashboard/assets".to_owned(),
    ] {
        let res = app.client.get(app.url(&path)).send().await.unwrap();
        assert_eq!(res.status(), 404, "{path}");
        assert_eq!(res.headers()["cache-control"], "no-cache", "{path}");
    }
}

#[tokio::test]
async fn the_page_and_its_assets_need_no_sign_in_and_hold_no_data() {
    // Everything the dashboard shows comes from the API with a token; the
    // files are the same for everyone.
    let app = TestApp::spawn().await;
    let page = app
        .client
        .get(app.url("/dashboard/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains("Acme"));
    let res = app
        .client
        .head(app.url("/dashboard/engagement"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}
