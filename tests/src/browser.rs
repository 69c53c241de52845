//! A real headless browser for page tests: Debian's Chromium driven by its ChromeDriver over
//! the W3C WebDriver protocol.
//!
//! `OS2PM_CHROMEDRIVER` and `OS2PM_CHROMIUM` override `/usr/bin/chromedriver` and
//! `/usr/bin/chromium`. A test that needs the browser fails when they are missing: it is marked
//! `#[ignore]` so the README's `cargo test` runs on a machine without them, and `.ci/run`
//! installs them and runs it.

use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};

use crate::OrFail;

/// A browser session, closed (and its driver's process group stopped) on drop.
pub struct Browser {
    driver: Child,
    http: reqwest::Client,
    session: String,
    _profile: tempfile::TempDir,
}

fn program(variable: &str, default: &str) -> String {
    std::env::var(variable).unwrap_or_else(|_| default.to_owned())
}

impl Browser {
    /// Starts ChromeDriver on a free loopback port and opens a headless Chromium session.
    pub async fn start() -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let driver_path = program("OS2PM_CHROMEDRIVER", "/usr/bin/chromedriver");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .or_fail("a free port for chromedriver");
        let driver = Command::new(&driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group, so dropping the browser stops Chromium too.
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {driver_path} (apt-get install chromium-driver): {e}")
            });
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .or_fail("an HTTP client for WebDriver");
        let base = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while http.get(format!("{base}/status")).send().await.is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "ChromeDriver did not start"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().or_fail("a Chromium profile folder");
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            // The machine has no internet: Chromium must not try to reach Google.
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,1600",
            &format!("--user-data-dir={}", profile.path().display()),
        ];
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": program("OS2PM_CHROMIUM", "/usr/bin/chromium"),
                "args": args,
            },
        }}});
        let mut browser = Self {
            driver,
            http,
            session: String::new(),
            _profile: profile,
        };
        let created = browser
            .call(
                reqwest::Method::POST,
                &format!("{base}/session"),
                capabilities,
            )
            .await;
        browser.session = format!(
            "{base}/session/{}",
            created["sessionId"]
                .as_str()
                .unwrap_or_else(|| panic!("no session: {created}"))
        );
        browser
    }

    async fn call(&self, method: reqwest::Method, url: &str, body: Value) -> Value {
        let response = self
            .http
            .request(method, url)
            .json(&body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("WebDriver {url}: {e}"));
        let status = response.status();
        let answer: Value = response
            .json()
            .await
            .or_fail(&format!("WebDriver {url}: a JSON answer"));
        assert!(status.is_success(), "WebDriver {url}: {status} {answer}");
        answer["value"].clone()
    }

    /// Loads `url` and waits for it to finish loading.
    pub async fn visit(&self, url: &str) {
        let session = self.session.clone();
        self.call(
            reqwest::Method::POST,
            &format!("{session}/url"),
            json!({ "url": url }),
        )
        .await;
    }

    /// Runs `script` (a function body) in the page and returns what it returns.
    pub async fn run(&self, script: &str) -> Value {
        let session = self.session.clone();
        self.call(
            reqwest::Method::POST,
            &format!("{session}/execute/sync"),
            json!({ "script": script, "args": [] }),
        )
        .await
    }

    /// The page printed to an A4 PDF, as the board would print it.
    pub async fn print_to_pdf(&self) -> Vec<u8> {
        let session = self.session.clone();
        let encoded = self
            .call(
                reqwest::Method::POST,
                &format!("{session}/print"),
                json!({ "page": {"width": 21.0, "height": 29.7} }),
            )
            .await;
        base64::engine::general_purpose::STANDARD
            .decode(encoded.as_str().unwrap_or_default())
            .or_fail("a screenshot in base64")
    }

    /// Ends the session (Chromium exits) and stops the driver.
    pub async fn quit(mut self) {
        let session = std::mem::take(&mut self.session);
        let _ = self.http.delete(&session).send().await;
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // The driver's whole process group: the driver and any Chromium left behind.
        let _ = Command::new("kill")
            .arg("--")
            .arg(format!("-{}", self.driver.id()))
            .status();
        let _ = self.driver.wait();
    }
}
