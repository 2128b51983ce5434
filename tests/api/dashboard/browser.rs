//! A headless Chromium driven over WebDriver (Debian's `chromium` and
//! `chromium-driver`, fantoccini as the client), started by the test on a
//! free port with a fresh profile, and what the cases need from it: waiting
//! for the page, typing, the browser's console, axe-core, screenshots.
//!
//! Without Chromium the browser cases are skipped with a message on the
//! terminal, unless `REQUIRE_BROWSER=1` (CI), which makes that a failure.

use std::{
    io::Write,
    net::TcpListener,
    os::unix::process::CommandExt,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use axum::http::Method;
use fantoccini::{
    Client, ClientBuilder, Locator, elements::Element, wd::WebDriverCompatibleCommand,
};
use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// Without the background-networking flags Chromium's own connections
/// (updates, safe browsing, sync) are attempted, and refused here.
const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--lang=en-GB",
];
pub const LAPTOP: (u32, u32) = (1440, 900);
pub const TABLET: (u32, u32) = (820, 1180);
const WAIT: Duration = Duration::from_secs(15);
const AXE: &str = include_str!("axe.min.js");

pub struct Browser {
    pub client: Client,
    pub downloads: PathBuf,
    driver: Child,
    profile: PathBuf,
}

/// Writes straight to the terminal: the test harness keeps what tests
/// print to themselves unless they fail, and a skip must be seen.
fn shout(message: &str) {
    let _ = writeln!(
        std::io::stderr(),
        "\n{}\n{message}\n{}\n",
        "!".repeat(72),
        "!".repeat(72)
    );
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Browser {
    /// A browser session, or None (with a loud message) when Chromium is
    /// not installed and the run does not require it.
    pub async fn start() -> Option<Browser> {
        let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| CHROMIUM.to_owned());
        let chromedriver =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| CHROMEDRIVER.to_owned());
        let missing: Vec<&str> = [chromium.as_str(), chromedriver.as_str()]
            .into_iter()
            .filter(|p| !Path::new(p).exists())
            .collect();
        if !missing.is_empty() {
            let message = format!(
                "BROWSER TESTS SKIPPED: {} not found. Install Debian's chromium and \
                 chromium-driver (apt-get install -y chromium chromium-driver) to run the \
                 dashboard's browser tests; CI sets REQUIRE_BROWSER=1.",
                missing.join(" and ")
            );
            if std::env::var("REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
                panic!("REQUIRE_BROWSER=1 but {message}");
            }
            shout(&message);
            return None;
        }
        let stamp = uuid::Uuid::new_v4().simple().to_string();
        let profile = std::env::temp_dir().join(format!("advtest-chromium-{stamp}"));
        let downloads = profile.join("downloads");
        std::fs::create_dir_all(&downloads).expect("profile directory");
        let port = free_port();
        // Its own process group, so Chromium goes with it if a case fails
        // before the session is closed.
        let driver = Command::new(&chromedriver)
            .process_group(0)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let url = format!("http://127.0.0.1:{port}");
        let status = reqwest::Client::new();
        let deadline = Instant::now() + WAIT;
        loop {
            let ready = status
                .get(format!("{url}/status"))
                .send()
                .await
                .ok()
                .filter(|r| r.status().is_success());
            if ready.is_some() {
                break;
            }
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let mut args: Vec<String> = FLAGS.iter().map(|f| (*f).to_owned()).collect();
        args.push(format!(
            "--user-data-dir={}",
            profile.join("chromium").display()
        ));
        args.push(format!("--window-size={},{}", LAPTOP.0, LAPTOP.1));
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": args,
                "prefs": {
                    "download.default_directory": downloads.display().to_string(),
                    "download.prompt_for_download": false,
                    "download.directory_upgrade": true,
                },
            },
            "goog:loggingPrefs": { "browser": "ALL" },
        });
        let Value::Object(caps) = caps else {
            unreachable!()
        };
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&url)
            .await
            .expect("a WebDriver session with Chromium");
        Some(Browser {
            client,
            downloads,
            driver,
            profile,
        })
    }

    pub async fn close(self) {
        let client = self.client.clone();
        let _ = client.close().await;
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.expect("navigate");
    }

    pub async fn find(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
    }

    pub async fn exists(&self, css: &str) -> bool {
        !self
            .client
            .find_all(Locator::Css(css))
            .await
            .unwrap()
            .is_empty()
    }

    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap()
    }

    pub async fn attr(&self, css: &str, name: &str) -> String {
        self.find(css)
            .await
            .attr(name)
            .await
            .unwrap()
            .unwrap_or_default()
    }

    pub async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Replaces what a field holds, typing as a person would.
    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.find(css).await;
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    /// Sets a value no keyboard types the same in every locale (dates and
    /// times), as the browser's picker would.
    pub async fn set_value(&self, css: &str, value: &str) {
        self.find(css).await;
        self.js(
            "const el = document.querySelector(arguments[0]); el.value = arguments[1]; \
             el.dispatchEvent(new Event('input', { bubbles: true })); \
             el.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![json!(css), json!(value)],
        )
        .await;
    }

    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Waits until `condition` (a JavaScript expression) is true.
    pub async fn until(&self, what: &str, condition: &str) {
        let deadline = Instant::now() + WAIT;
        let script = format!("return Boolean({condition});");
        loop {
            if self.js(&script, vec![]).await == Value::Bool(true) {
                return;
            }
            if Instant::now() > deadline {
                let body = self
                    .js("return document.body.innerText.slice(0, 2000);", vec![])
                    .await;
                panic!("timed out waiting for {what} ({condition}); page says:\n{body}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn resize(&self, (width, height): (u32, u32)) {
        self.client.set_window_size(width, height).await.unwrap();
    }

    /// Console messages of level SEVERE (errors, failed loads, refused by
    /// the Content-Security-Policy) since the last call.
    pub async fn console_errors(&self) -> Vec<String> {
        let entries = self.client.issue_cmd(BrowserLog).await.unwrap_or_default();
        entries
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| e["level"] == "SEVERE")
            .map(|e| e["message"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    pub async fn assert_no_console_errors(&self, when: &str) {
        let errors = self.console_errors().await;
        assert!(errors.is_empty(), "console errors {when}: {errors:#?}");
    }

    /// Runs axe-core on the page as it stands; fails on any serious or
    /// critical violation.
    pub async fn assert_accessible(&self, page: &str) {
        let loaded = self
            .js("return typeof window.axe === 'object';", vec![])
            .await;
        if loaded != Value::Bool(true) {
            self.js(&format!("{AXE}\n;return true;"), vec![]).await;
        }
        let result = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] })
                   .then((r) => done(r.violations.map((v) => ({
                     id: v.id, impact: v.impact, help: v.help,
                     nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
                   }))))
                   .catch((e) => done([{ id: 'axe-failed', impact: 'critical', help: String(e), nodes: [] }]));",
                vec![],
            )
            .await
            .expect("axe ran");
        let blocking: Vec<&Value> = result
            .as_array()
            .expect("violations")
            .iter()
            .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
            .collect();
        assert!(
            blocking.is_empty(),
            "axe-core on {page}: {}",
            serde_json::to_string_pretty(&blocking).unwrap()
        );
    }

    /// The whole page as a PNG in `dir`, `width` pixels wide.
    pub async fn screenshot(&self, dir: &Path, name: &str, width: u32) {
        self.resize((width, LAPTOP.1)).await;
        // The window's height less the viewport's is the browser's frame.
        let height = self
            .js(
                "return document.documentElement.scrollHeight + window.outerHeight - window.innerHeight;",
                vec![],
            )
            .await
            .as_u64()
            .unwrap_or(900) as u32;
        self.resize((width, height.clamp(LAPTOP.1, 4000))).await;
        // The charts follow their box's width on the next frame.
        self.js(
            "return new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));",
            vec![],
        )
        .await;
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::create_dir_all(dir).expect("screenshot directory");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
        self.resize(LAPTOP).await;
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", "--", &format!("-{}", self.driver.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// Chromedriver's console log (`goog:loggingPrefs`), not in the W3C protocol.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (Method, Option<String>) {
        (Method::POST, Some(json!({ "type": "browser" }).to_string()))
    }
}
