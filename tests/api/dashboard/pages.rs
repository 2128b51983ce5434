//! The dashboard in headless Chromium against the real server and database:
//! HR, an admin, a curator and an employee of the demo organization each
//! sign in and do their work, and every figure the pages show is checked
//! against what the API answers for the same question. One browser session
//! serves every case, one after another.
//!
//! With `DASHBOARD_SCREENSHOTS=dir`, the overview and engagement pages are
//! saved there as PNGs (the README shows those in docs/screenshots).

use std::{
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use advocacy::{clock::ManualClock, config::Settings, seed};
use chrono::{Duration as Days, Utc};
use entity::refresh_tokens;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use super::browser::{Browser, LAPTOP, TABLET};
use crate::helpers::{TestApp, fresh_database};

const PASSWORD: &str = seed::DEMO_PASSWORD;
const HR: &str = "hr@demo.example";
const ADMIN: &str = "admin@demo.example";
const CURATOR: &str = "curator@demo.example";
const AMBASSADOR: &str = "amelie@demo.example";

const ENGAGEMENT: &str = "query($f: EngagementFilter!) { engagement(filter: $f) {
    funnel { employees invited active paused declined withdrawn }
    totals { shares clicks potentialReach earnedMediaValue activeAmbassadors enrolledAmbassadors
             participationRate clickThroughRate networkMultiplier }
    topAmbassadors(first: 10) { user { displayName } } } }";

struct World {
    app: TestApp,
    b: Browser,
    screenshots: Option<PathBuf>,
}

#[tokio::test]
async fn hr_curators_admins_and_employees_use_the_dashboard_in_a_real_browser() {
    let Some(b) = Browser::start().await else {
        return;
    };
    let started = Instant::now();
    // The server's clock starts at the browser's now, so "the last 30
    // days" mean the same days to both; the test moves it when it must.
    let clock = ManualClock::new(Utc::now());
    let app = TestApp::spawn_on(Settings::for_tests(fresh_database().await), clock).await;
    seed::seed_demo(
        &app.state.db,
        &app.state.passwords,
        app.state.settings.app_env,
        app.clock_now(),
    )
    .await
    .expect("demo organization");
    let screenshots = std::env::var("DASHBOARD_SCREENSHOTS").ok().map(|dir| {
        let dir = PathBuf::from(dir);
        if dir.is_absolute() {
            dir
        } else {
            Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)
        }
    });
    let w = World {
        app,
        b,
        screenshots,
    };

    eprintln!(
        "server and demo ready in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let mut lap = Instant::now();
    let mut took = |what: &str| {
        eprintln!("{what}: {:.1} s", lap.elapsed().as_secs_f64());
        lap = Instant::now();
    };
    w.error_codes_read_as_sentences().await;
    took("error codes");
    w.hr_follows_the_programme().await;
    took("HR");
    w.admin_changes_the_settings().await;
    took("admin");
    w.hr_sees_named_figures_once_the_organization_allows_them()
        .await;
    took("HR, named figures");
    w.curator_writes_schedules_and_publishes().await;
    took("curator");
    w.employee_is_refused_the_hr_pages().await;
    took("employee");
    let World { b, .. } = w;
    b.close().await;
    eprintln!(
        "browser cases took {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

impl World {
    fn url(&self, path: &str) -> String {
        self.app.url(path)
    }

    async fn token(&self, email: &str) -> String {
        self.app.login_token(email, PASSWORD).await
    }

    async fn engagement(&self, token: &str, filter: Value) -> Value {
        self.app
            .gql(Some(token), ENGAGEMENT, json!({ "f": filter }))
            .await
            .data()["engagement"]
            .clone()
    }

    /// Signs in through the form and waits for the first page.
    async fn sign_in(&self, email: &str) {
        self.b.goto(&self.url("/dashboard/")).await;
        self.b.fill("input[name=email]", email).await;
        self.b.fill("input[name=password]", PASSWORD).await;
        self.b.click("form.signin-form button[type=submit]").await;
        self.b.find(".shell").await;
    }

    async fn sign_out(&self) {
        self.b.click("#sign-out").await;
        self.b.find("form.signin-form").await;
    }

    async fn page_ready(&self, id: &str) {
        self.b
            .until(
                &format!("{id} to load"),
                &format!("document.querySelector('#{id}[data-loading=\"false\"]')"),
            )
            .await;
    }

    async fn nav(&self, page: &str) {
        self.b.click(&format!("a[data-nav=\"{page}\"]")).await;
    }

    async fn value(&self, css: &str) -> f64 {
        let raw = self.b.attr(css, "data-value").await;
        raw.parse()
            .unwrap_or_else(|_| panic!("{css} holds {raw:?}, not a number"))
    }

    async fn range(&self, page: &str) -> (String, String) {
        (
            self.b.attr(&format!("#{page}"), "data-from").await,
            self.b.attr(&format!("#{page}"), "data-to").await,
        )
    }

    /// Every figure of the overview equals the API's report for its range.
    async fn overview_matches_the_api(&self, token: &str) -> Value {
        self.page_ready("overview").await;
        let (from, to) = self.range("overview").await;
        let report = self
            .engagement(token, json!({ "from": from, "to": to }))
            .await;
        let totals = &report["totals"];
        for (css, field) in [
            ("#fig-enrolled", "enrolledAmbassadors"),
            ("#fig-participation", "participationRate"),
            ("#fig-multiplier", "networkMultiplier"),
            ("#fig-emv", "earnedMediaValue"),
            ("#fig-shares", "shares"),
            ("#fig-reach", "potentialReach"),
            ("#fig-clicks", "clicks"),
        ] {
            assert_eq!(
                self.value(css).await,
                totals[field].as_f64().unwrap(),
                "{css} shows the API's {field} for {from}..{to}"
            );
        }
        for stage in [
            "employees",
            "invited",
            "active",
            "paused",
            "declined",
            "withdrawn",
        ] {
            assert_eq!(
                self.value(&format!("#funnel-{stage}")).await,
                report["funnel"][stage].as_f64().unwrap(),
                "funnel {stage}"
            );
        }
        report
    }

    async fn fits_a_tablet(&self, page: &str) {
        self.b.resize(TABLET).await;
        self.b
            .until(
                &format!("{page} to fit a tablet's width"),
                "document.documentElement.scrollWidth <= window.innerWidth",
            )
            .await;
        self.b.resize(LAPTOP).await;
    }

    async fn screenshot(&self, name: &str) {
        if let Some(dir) = &self.screenshots {
            self.b.screenshot(dir, name, LAPTOP.0).await;
        }
    }

    async fn screenshot_tablet(&self, name: &str) {
        if let Some(dir) = &self.screenshots {
            self.b.screenshot(dir, name, TABLET.0).await;
        }
    }

    /// Each error code of the contract (v1 and v2) and each reason of
    /// UNAUTHENTICATED has its own sentence, in English and in French.
    async fn error_codes_read_as_sentences(&self) {
        const CODES: &[&str] = &[
            "UNAUTHENTICATED",
            "FORBIDDEN",
            "NOT_FOUND",
            "BAD_USER_INPUT",
            "CONFLICT",
            "RATE_LIMITED",
            "INTERNAL_SERVER_ERROR",
            "GRAPHQL_PARSE_FAILED",
            "GRAPHQL_VALIDATION_FAILED",
            "QUERY_TOO_COMPLEX",
            "PERSISTED_QUERY_NOT_FOUND",
            "PERSISTED_QUERY_REQUIRED",
        ];
        const REASONS: &[&str] = &["INVALID_CREDENTIALS", "TOKEN_EXPIRED", "TOKEN_MISSING"];
        let dir = env!("CARGO_MANIFEST_DIR");
        let v1 = std::fs::read_to_string(format!("{dir}/tests/contract-v1.graphql")).unwrap();
        let v2 =
            std::fs::read_to_string(format!("{dir}/tests/contract-v2-additions.graphql")).unwrap();
        for word in CODES.iter().chain(REASONS) {
            assert!(
                v1.contains(word) || v2.contains(word),
                "{word} is a code of the contract"
            );
        }
        // v2 lists its new codes one per comment line.
        for line in v2.lines().take_while(|l| l.starts_with('#')) {
            if let Some(code) = line
                .strip_prefix("#   ")
                .and_then(|l| l.split_whitespace().next())
                .filter(|c| c.chars().all(|ch| ch.is_ascii_uppercase() || ch == '_'))
            {
                assert!(CODES.contains(&code), "{code} has a sentence");
            }
        }

        self.b.goto(&self.url("/dashboard/")).await;
        self.b.find("form.signin-form").await;
        self.b.assert_accessible("the sign-in page").await;
        self.screenshot("sign-in").await;
        let sentences = self
            .b
            .client
            .execute_async(
                "const [codes, reasons, done] = arguments;
                 const base = document.querySelector('script[type=module]').src.replace(/app\\/main\\.js$/, '');
                 Promise.all([import(base + 'app/errors.js'), import(base + 'app/i18n.js')]).then(([errors, i18n]) => {
                   const out = {};
                   const en = Object.keys(i18n.MESSAGES.en).sort().join();
                   out.sameKeys = en === Object.keys(i18n.MESSAGES.fr).sort().join();
                   for (const lang of ['en', 'fr']) {
                     i18n.setLanguage(lang);
                     for (const code of codes) {
                       out[`${lang} ${code}`] = errors.describe(new errors.ApiError({ code, message: 'title must not be empty' }));
                     }
                     for (const reason of reasons) {
                       out[`${lang} ${reason}`] = errors.describe(new errors.ApiError({ code: 'UNAUTHENTICATED', reason }));
                     }
                     out[`${lang} unknown`] = errors.describe(new errors.ApiError({ code: 'SOMETHING_NEW' }));
                   }
                   i18n.setLanguage(navigator.language);
                   done(out);
                 }, (e) => done({ failed: String(e) }));",
                vec![json!(CODES), json!(REASONS)],
            )
            .await
            .expect("the error module runs");
        assert!(sentences.get("failed").is_none(), "{sentences}");
        assert_eq!(
            sentences["sameKeys"], true,
            "every text exists in English and in French"
        );
        for lang in ["en", "fr"] {
            let unknown = sentences[format!("{lang} unknown")].as_str().unwrap();
            assert!(unknown.contains("SOMETHING_NEW"), "{unknown}");
            for word in CODES.iter().chain(REASONS) {
                let text = sentences[format!("{lang} {word}")].as_str().unwrap();
                assert!(
                    !text.contains(word) && text.ends_with('.') && text.len() > 20,
                    "{lang} {word} reads as a sentence: {text:?}"
                );
                let other = sentences[format!("{} {word}", if lang == "en" { "fr" } else { "en" })]
                    .as_str()
                    .unwrap();
                assert_ne!(text, other, "{word} is translated");
            }
        }
        assert!(
            sentences["en BAD_USER_INPUT"]
                .as_str()
                .unwrap()
                .contains("title must not be empty"),
            "bad input names what to fix"
        );
        self.b.assert_no_console_errors("on the sign-in page").await;
    }

    async fn hr_follows_the_programme(&self) {
        let b = &self.b;
        // A wrong password is said so, and nothing else happens.
        b.goto(&self.url("/dashboard/overview")).await;
        b.fill("input[name=email]", HR).await;
        b.fill("input[name=password]", "not the password").await;
        b.click("form.signin-form button[type=submit]").await;
        b.until(
            "the refusal",
            "document.querySelector('#signin-error')?.innerText.includes('The email or the password is not right.')",
        )
        .await;
        // The right one opens the page asked for.
        b.fill("input[name=password]", PASSWORD).await;
        b.click("form.signin-form button[type=submit]").await;
        b.find("#overview").await;
        assert!(b.client.current_url().await.unwrap().path() == "/dashboard/overview");

        let mut token = self.token(HR).await;
        let today = Utc::now().date_naive();
        let thirty = self.overview_matches_the_api(&token).await;
        assert_eq!(
            self.range("overview").await,
            ((today - Days::days(29)).to_string(), today.to_string()),
            "the last 30 days by default"
        );
        assert_eq!(
            b.attr("button[data-days=\"30\"]", "aria-pressed").await,
            "true"
        );
        b.assert_accessible("the overview").await;
        self.fits_a_tablet("the overview").await;

        b.click("button[data-days=\"7\"]").await;
        b.until(
            "the 7-day range",
            &format!(
                "document.querySelector('#overview[data-loading=\"false\"][data-from=\"{}\"]')",
                today - Days::days(6)
            ),
        )
        .await;
        let seven = self.overview_matches_the_api(&token).await;
        assert_ne!(
            seven["totals"]["shares"], thirty["totals"]["shares"],
            "the figures follow the range"
        );

        // The access token expires (15 minutes): the next request refreshes
        // the session on its own and the page goes on.
        self.app.clock.advance(Days::minutes(16));
        token = self.token(HR).await;
        b.click("button[data-days=\"90\"]").await;
        b.until(
            "the 90-day range",
            &format!(
                "document.querySelector('#overview[data-loading=\"false\"][data-from=\"{}\"]')",
                today - Days::days(89)
            ),
        )
        .await;
        self.overview_matches_the_api(&token).await;
        // A reload keeps the session (the refresh token is parked in the
        // tab across it) and the range (in the address).
        b.client.refresh().await.unwrap();
        self.page_ready("overview").await;
        assert_eq!(
            self.range("overview").await.0,
            (today - Days::days(89)).to_string()
        );
        self.overview_matches_the_api(&token).await;
        b.assert_no_console_errors("on the overview").await;

        // Engagement, by the navigation (its own default range).
        self.nav("engagement").await;
        self.page_ready("engagement").await;
        let (from, to) = self.range("engagement").await;
        let report = self
            .engagement(&token, json!({ "from": from, "to": to }))
            .await;
        assert_eq!(
            self.value("#eng-shares").await,
            report["totals"]["shares"].as_f64().unwrap()
        );
        assert!(
            b.text("#group-privacy")
                .await
                .contains("groups with fewer than 5 members are not listed"),
            "the page says why small groups are missing"
        );
        assert!(b.exists("#named-off").await);
        assert!(!b.exists("#top-ambassadors table").await);
        b.assert_accessible("the engagement page").await;
        self.fits_a_tablet("the engagement page").await;

        // A filter narrows every figure as the API does.
        b.find("select[name=network]")
            .await
            .select_by_label("X")
            .await
            .unwrap();
        b.until(
            "the X filter",
            "location.search.includes('network=X') && document.querySelector('#engagement[data-loading=\"false\"]')",
        )
        .await;
        let on_x = self
            .engagement(&token, json!({ "from": from, "to": to, "network": "X" }))
            .await;
        assert_eq!(
            self.value("#eng-shares").await,
            on_x["totals"]["shares"].as_f64().unwrap()
        );
        assert_ne!(on_x["totals"]["shares"], report["totals"]["shares"]);

        // The CSV of the same range, as the export serves it.
        b.click("#download-csv").await;
        let name = format!("engagement-{from}-{to}.csv");
        let file = self.b.downloads.join(&name);
        let deadline = Instant::now() + Duration::from_secs(15);
        while !file.exists() {
            assert!(Instant::now() < deadline, "{name} was not downloaded");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let csv = self
            .app
            .client
            .get(self.url(&format!("/export/engagement.csv?from={from}&to={to}")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(csv.lines().count() > 30);
        assert_eq!(std::fs::read_to_string(&file).unwrap(), csv);
        b.assert_no_console_errors("on the engagement page").await;

        // Programme work: invite the most-followed candidate.
        self.nav("programme").await;
        let farid = self
            .app
            .gql(
                Some(&token),
                "{ users(search: \"farid\") { edges { node { id ambassadorStatus } } } }",
                json!({}),
            )
            .await
            .data()["users"]["edges"][0]["node"]
            .clone();
        let farid_id = farid["id"].as_str().unwrap();
        assert_eq!(farid["ambassadorStatus"], "NONE");
        b.click(&format!("#pick-{farid_id}")).await;
        b.fill(
            "textarea[name=message]",
            "We would love to have you on board.",
        )
        .await;
        b.click("#invite").await;
        b.until(
            "the invitation",
            "document.querySelector('#invite-result')?.innerText.includes('Invited: Farid Haddad.')",
        )
        .await;
        let status = self
            .app
            .gql(
                Some(&token),
                "query($id: ID!) { user(id: $id) { ambassadorStatus } }",
                json!({ "id": farid_id }),
            )
            .await;
        assert_eq!(status.data()["user"]["ambassadorStatus"], "INVITED");
        b.until(
            "the new invitation listed first",
            &format!(
                "document.querySelector('#invitations tbody tr')?.dataset.user === '{farid_id}'"
            ),
        )
        .await;
        assert!(
            !b.exists(&format!("[data-candidate=\"{farid_id}\"]")).await,
            "an invited employee is no longer a candidate"
        );
        // Grace declined 28 days ago: the 90-day rule says from when.
        let grace = b.text("#ninety-days tbody").await;
        assert!(
            grace.contains("Grace Kim") && grace.contains("Declined") && grace.contains("from "),
            "{grace}"
        );
        b.assert_accessible("the programme page").await;
        self.screenshot("programme").await;
        b.assert_no_console_errors("on the programme page").await;

        // Signing out ends the browser's session at the API too.
        let hr_id = self
            .app
            .gql(Some(&token), "{ me { id } }", json!({}))
            .await
            .data()["me"]["id"]
            .as_str()
            .unwrap()
            .parse::<uuid::Uuid>()
            .unwrap();
        let live = || async {
            refresh_tokens::Entity::find()
                .filter(refresh_tokens::Column::UserId.eq(hr_id))
                .filter(refresh_tokens::Column::RetiredAt.is_null())
                .filter(refresh_tokens::Column::RevokedAt.is_null())
                .all(&self.app.state.db)
                .await
                .unwrap()
                .len()
        };
        let before = live().await;
        self.sign_out().await;
        assert!(b.text(".signin").await.contains("You are signed out."));
        assert_eq!(
            live().await,
            before - 1,
            "logout ended the browser's session"
        );
        // Nothing is left in the tab to sign in with.
        b.client.refresh().await.unwrap();
        b.find("form.signin-form").await;
        b.assert_no_console_errors("after signing out").await;
    }

    async fn admin_changes_the_settings(&self) {
        let b = &self.b;
        self.sign_in(ADMIN).await;
        self.nav("settings").await;
        b.find("#individual-analytics").await;
        b.click("#individual-analytics").await;
        b.fill("#minimum-group-size", "4").await;
        for (network, cpm, followers) in [
            ("LINKEDIN", "12.5", "2400"),
            ("X", "8", "1100"),
            ("INSTAGRAM", "10", "500"),
        ] {
            b.fill(&format!("#settings-cpm-{network}"), cpm).await;
            b.fill(&format!("#settings-followers-{network}"), followers)
                .await;
        }
        b.assert_accessible("the settings page").await;
        b.click("#save-settings").await;
        b.find("#settings-saved").await;
        self.screenshot("settings").await;
        let token = self.token(ADMIN).await;
        let org = self
            .app
            .gql(
                Some(&token),
                "{ organization { settings { individualAnalytics minimumGroupSize cpm { network amount } }
                   companyFollowers { network count } } }",
                json!({}),
            )
            .await
            .data()["organization"]
            .clone();
        assert_eq!(org["settings"]["individualAnalytics"], true);
        assert_eq!(org["settings"]["minimumGroupSize"], 4);
        assert_eq!(
            org["settings"]["cpm"],
            json!([
                { "network": "LINKEDIN", "amount": 12.5 },
                { "network": "X", "amount": 8.0 },
                { "network": "INSTAGRAM", "amount": 10.0 },
            ])
        );
        assert_eq!(
            org["companyFollowers"],
            json!([
                { "network": "LINKEDIN", "count": 2400 },
                { "network": "X", "count": 1100 },
                { "network": "INSTAGRAM", "count": 500 },
            ])
        );
        b.assert_no_console_errors("on the settings page").await;
        self.sign_out().await;
    }

    async fn hr_sees_named_figures_once_the_organization_allows_them(&self) {
        let b = &self.b;
        self.sign_in(HR).await;
        let token = self.token(HR).await;
        let report = self.overview_matches_the_api(&token).await;
        assert!(report["totals"]["earnedMediaValue"].as_f64().unwrap() > 0.0);
        assert!(
            b.text("#fig-multiplier")
                .await
                .contains("The company’s accounts have 4,000 followers"),
            "the multiplier says what it multiplies"
        );
        self.screenshot("overview").await;
        self.screenshot_tablet("overview-tablet").await;

        self.nav("engagement").await;
        self.page_ready("engagement").await;
        let (from, to) = self.range("engagement").await;
        let report = self
            .engagement(&token, json!({ "from": from, "to": to }))
            .await;
        let named: Vec<String> = report["topAmbassadors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["user"]["displayName"].as_str().unwrap().to_owned())
            .collect();
        assert!(!named.is_empty());
        let shown = b.text("#top-ambassadors tbody").await;
        let shown: Vec<&str> = shown
            .lines()
            .map(|l| l.split('\t').next().unwrap_or(l).trim())
            .collect();
        for (row, name) in named.iter().enumerate() {
            assert!(
                shown.get(row).is_some_and(|l| l.starts_with(name.as_str())),
                "row {row} names {name}: {shown:?}"
            );
        }
        assert!(b.exists("#by-group tbody tr").await);
        b.assert_accessible("the engagement page with named figures")
            .await;
        self.screenshot("engagement").await;
        b.assert_no_console_errors("on the engagement page").await;
        self.sign_out().await;
    }

    async fn curator_writes_schedules_and_publishes(&self) {
        let b = &self.b;
        // The curator's language is French: so is the dashboard.
        self.sign_in(CURATOR).await;
        self.page_ready("content-list").await;
        assert_eq!(b.text("a[data-nav=\"content\"]").await, "Contenus");
        assert!(!b.exists("a[data-nav=\"overview\"]").await);
        b.assert_accessible("the content list").await;

        b.click("#new-content").await;
        b.find("#editor").await;
        b.fill("#field-title", "Salon de l’emploi de Lyon").await;
        b.fill("#field-url", "https://example.com/salon-lyon").await;
        b.find("#field-kind")
            .await
            .select_by_label("Événement")
            .await
            .unwrap();
        let too_long = "Rejoignez-nous au salon de l’emploi ! ".repeat(8); // 304 characters, 303 once trimmed
        assert_eq!(too_long.trim().chars().count(), 303);
        b.fill("#text-X", &too_long).await;
        b.fill(
            "#text-LINKEDIN",
            "Nous recrutons à Lyon : venez nous voir au salon.",
        )
        .await;
        assert_eq!(
            b.text("#text-X-count").await,
            "23 caractères de trop (limite 280)"
        );
        b.click("#save").await;
        let refusal = b.text("#editor-errors").await;
        assert!(
            refusal.contains("Le texte pour X a 23 caractères de trop : X en accepte au plus 280."),
            "{refusal}"
        );
        let token = self.token(CURATOR).await;
        let count = |token: String| {
            let app = &self.app;
            async move {
                app.gql(
                    Some(&token),
                    "{ contents(search: \"Salon de l’emploi de Lyon\") { totalCount } }",
                    json!({}),
                )
                .await
                .data()["contents"]["totalCount"]
                    .as_i64()
                    .unwrap()
            }
        };
        assert_eq!(count(token.clone()).await, 0, "nothing was saved");

        let fits: String = too_long.chars().take(270).collect();
        b.fill("#text-X", &fits).await;
        assert!(b.text("#text-X-count").await.ends_with("/ 280 caractères"));
        b.click("#save").await;
        b.find("#editor-done").await;
        b.until(
            "the new item's address",
            "/^\\/dashboard\\/content\\/[0-9a-f-]{36}$/.test(location.pathname)",
        )
        .await;
        let id = b.attr("#editor", "data-content-id").await;
        assert_eq!(b.attr("#editor", "data-status").await, "DRAFT");
        assert_eq!(count(token.clone()).await, 1);
        b.assert_accessible("the content editor").await;

        // Scheduled in two days: not in the feed yet.
        let ambassador = self.token(AMBASSADOR).await;
        let feed = |token: String| {
            let app = &self.app;
            async move {
                app.gql(
                    Some(&token),
                    "{ feed(first: 50) { edges { node { id pinned suggestedTexts { network text } } } } }",
                    json!({}),
                )
                .await
                .data()["feed"]["edges"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| e["node"].clone())
                    .collect::<Vec<Value>>()
            }
        };
        let later = b
            .js(
                "const d = new Date(Date.now() + 2 * 86400000); const p = (n) => String(n).padStart(2, '0');
                 return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;",
                vec![],
            )
            .await;
        b.set_value("#publish-at", later.as_str().unwrap()).await;
        b.click("#schedule").await;
        b.until(
            "the item scheduled",
            "document.querySelector('#editor[data-status=\"SCHEDULED\"]')",
        )
        .await;
        assert!(!feed(ambassador.clone()).await.iter().any(|n| n["id"] == id));

        b.click("#publish-now").await;
        b.until(
            "the item published",
            "document.querySelector('#editor[data-status=\"PUBLISHED\"]')",
        )
        .await;
        let items = feed(ambassador.clone()).await;
        let item = items
            .iter()
            .find(|n| n["id"] == id)
            .expect("the published item is in the ambassador's feed");
        assert_eq!(
            item["suggestedTexts"],
            json!([
                { "network": "LINKEDIN", "text": "Nous recrutons à Lyon : venez nous voir au salon." },
                { "network": "X", "text": fits.trim() },
            ])
        );
        b.click("#pin").await;
        b.until(
            "the item pinned",
            "document.querySelector('#editor-done')?.innerText.includes('Épinglé.')",
        )
        .await;
        assert_eq!(
            feed(ambassador).await[0]["id"],
            id,
            "pinned items come first"
        );
        self.screenshot("content-editor").await;

        // The list finds it by its title, with its status.
        b.click("a[data-nav=\"content\"]").await;
        self.page_ready("content-list").await;
        b.fill("input[name=q]", "salon de l").await;
        b.until(
            "the search",
            &format!(
                "location.search.includes('q=') && document.querySelector('#content-list[data-loading=\"false\"] tr[data-content=\"{id}\"]')"
            ),
        )
        .await;
        let row = b.text(&format!("tr[data-content=\"{id}\"]")).await;
        assert!(row.contains("Publié") && row.contains("Épinglé"), "{row}");
        b.find("input[name=q]")
            .await
            .send_keys("\u{E009}a\u{E000}\u{E003}")
            .await
            .unwrap();
        b.until(
            "the whole list",
            "!location.search.includes('q=') && document.querySelector('#content-list[data-loading=\"false\"]')",
        )
        .await;
        self.screenshot("content-list").await;
        b.assert_no_console_errors("on the content pages").await;
        self.sign_out().await;
    }

    async fn employee_is_refused_the_hr_pages(&self) {
        let b = &self.b;
        // By keyboard alone: the email field has the focus, Tab, Enter.
        b.goto(&self.url("/dashboard/")).await;
        b.until(
            "the email field to have the focus",
            "document.activeElement?.name === 'email'",
        )
        .await;
        let focused = b.client.active_element().await.unwrap();
        assert_eq!(
            focused.attr("name").await.unwrap().as_deref(),
            Some("email")
        );
        focused
            .send_keys(&format!("{AMBASSADOR}\u{E004}{PASSWORD}\u{E007}"))
            .await
            .unwrap();
        b.find("#denied").await;
        assert!(b.text("#denied").await.contains(
            "Les ambassadeurs reçoivent et partagent les contenus dans l’application mobile."
        ),);
        assert!(!b.exists("a[data-nav]").await, "no page to offer");
        for page in ["overview", "engagement", "programme", "settings", "content"] {
            b.goto(&self.url(&format!("/dashboard/{page}"))).await;
            b.find("#denied").await;
            assert!(!b.exists(&format!("#{page}")).await, "{page} is refused");
        }
        b.assert_accessible("the refusal").await;
        b.assert_no_console_errors("on the refusal").await;
        self.sign_out().await;
    }
}
