//! A tiny synchronous client of the Chrome DevTools Protocol, enough for a
//! test to drive a real headless Chromium: load a page, run a script in it,
//! type, click, take a screenshot.
//!
//! It talks over `--remote-debugging-pipe`, so no WebSocket: Chromium reads
//! JSON messages, each ended by a NUL byte, from its fd 3 and writes
//! answers and events the same way to its fd 4. Without `libc` there is no
//! `dup2` to put pipes there, so Chromium is started by `/bin/sh`, which
//! moves the two pipes it got as stdin and stdout to fds 3 and 4 and then
//! execs it.
//!
//! A reader thread files answers by id and keeps every event in order;
//! every wait has a deadline, and the browser is closed, then killed, on
//! drop.

use std::collections::HashMap;
use std::io::{BufRead as _, BufReader, PipeWriter, Write as _};
use std::path::Path;
use std::process::{Child, Command};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, anyhow, bail};
use base64::Engine as _;
use serde_json::{Value, json};

pub const CHROMIUM: &str = "/usr/bin/chromium";

/// The page's size, in CSS pixels (and screenshot pixels: scale 1).
pub const WIDTH: u32 = 1024;
pub const HEIGHT: u32 = 900;

/// How long one protocol call may take.
const CALL_TIMEOUT: Duration = Duration::from_secs(30);

/// What every run needs in a closed network: without these Chromium waits
/// on connections that never open.
const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--mute-audio",
    "--window-size=1024,900",
    "--remote-debugging-pipe",
];

/// What the reader thread got so far.
#[derive(Default)]
struct Inbox {
    answers: HashMap<u64, Value>,
    events: Vec<Value>,
    /// Chromium closed its end (it exited or crashed).
    closed: bool,
}

#[derive(Default)]
struct Shared {
    inbox: Mutex<Inbox>,
    changed: Condvar,
}

/// A headless Chromium with one page (tab), attached in flat mode: the
/// page's commands carry its `sessionId`.
pub struct Chromium {
    child: Child,
    to_browser: Mutex<PipeWriter>,
    shared: Arc<Shared>,
    next_id: AtomicU64,
    session: String,
    profile: tempfile::TempDir,
}

impl Chromium {
    /// Starts Chromium in a fresh profile and opens a page of
    /// [`WIDTH`]×[`HEIGHT`] in the light colour scheme.
    pub fn launch() -> Result<Chromium> {
        if !Path::new(CHROMIUM).is_file() {
            bail!("{CHROMIUM} is missing: install it with `apt-get install -y chromium`");
        }
        let profile = tempfile::tempdir()?;
        let stderr = std::fs::File::create(profile.path().join("chromium.stderr"))?;
        let (commands_out, commands_in) = std::io::pipe()?;
        let (answers_out, answers_in) = std::io::pipe()?;
        let child = {
            // Dropped before the reader starts: only Chromium then holds
            // the write end of the answers, and its exit is an EOF.
            let mut command = Command::new("/bin/sh");
            command
                .arg("-c")
                .arg(r#"exec "$0" "$@" 3<&0 4>&1 0</dev/null 1>&2"#)
                .arg(CHROMIUM)
                .args(FLAGS)
                .arg(format!(
                    "--user-data-dir={}",
                    profile.path().join("profile").display()
                ))
                .arg("about:blank")
                .stdin(commands_out)
                .stdout(answers_in)
                .stderr(stderr);
            command.spawn().context("cannot start Chromium")?
        };
        let shared = Arc::new(Shared::default());
        let filed = Arc::clone(&shared);
        std::thread::spawn(move || read_messages(answers_out, &filed));
        let mut browser = Chromium {
            child,
            to_browser: Mutex::new(commands_in),
            shared,
            next_id: AtomicU64::new(0),
            session: String::new(),
            profile,
        };
        let target = browser.call(None, "Target.createTarget", json!({"url": "about:blank"}))?;
        let target = target["targetId"]
            .as_str()
            .ok_or_else(|| anyhow!("no targetId in {target}"))?
            .to_string();
        let attached = browser.call(
            None,
            "Target.attachToTarget",
            json!({"targetId": target, "flatten": true}),
        )?;
        browser.session = attached["sessionId"]
            .as_str()
            .ok_or_else(|| anyhow!("no sessionId in {attached}"))?
            .to_string();
        browser.send("Page.enable", json!({}))?;
        // Typing goes to the focused field, even when this tab is not the
        // window's active one.
        browser.send(
            "Emulation.setFocusEmulationEnabled",
            json!({"enabled": true}),
        )?;
        browser.send(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": false}),
        )?;
        browser.send(
            "Emulation.setEmulatedMedia",
            json!({"features": [{"name": "prefers-color-scheme", "value": "light"}]}),
        )?;
        Ok(browser)
    }

    /// What Chromium wrote on its standard error so far (for failures).
    pub fn stderr(&self) -> String {
        std::fs::read_to_string(self.profile.path().join("chromium.stderr")).unwrap_or_default()
    }

    /// Sends a command to the page and waits for its result.
    pub fn send(&self, method: &str, params: Value) -> Result<Value> {
        let session = self.session.clone();
        self.call(Some(&session), method, params)
    }

    /// Sends a command, to the browser itself without a session, and waits
    /// at most [`CALL_TIMEOUT`] for its answer.
    fn call(&self, session: Option<&str>, method: &str, params: Value) -> Result<Value> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let mut message = json!({"id": id, "method": method, "params": params});
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        let mut bytes = serde_json::to_vec(&message)?;
        bytes.push(0);
        self.to_browser
            .lock()
            .unwrap()
            .write_all(&bytes)
            .with_context(|| format!("{method}: Chromium is gone\n{}", self.stderr()))?;
        let deadline = Instant::now() + CALL_TIMEOUT;
        let mut inbox = self.shared.inbox.lock().unwrap();
        loop {
            if let Some(answer) = inbox.answers.remove(&id) {
                if let Some(error) = answer.get("error") {
                    bail!("{method} failed: {error}");
                }
                return Ok(answer.get("result").cloned().unwrap_or(Value::Null));
            }
            if inbox.closed {
                drop(inbox);
                bail!("{method}: Chromium exited\n{}", self.stderr());
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                bail!("{method}: no answer in {CALL_TIMEOUT:?}");
            }
            inbox = self.shared.changed.wait_timeout(inbox, left).unwrap().0;
        }
    }

    /// How many events came so far: a mark for [`Chromium::wait_event`].
    pub fn mark(&self) -> usize {
        self.shared.inbox.lock().unwrap().events.len()
    }

    /// Waits for the first event `method` of the page after `mark`.
    pub fn wait_event(&self, method: &str, mark: usize, timeout: Duration) -> Result<Value> {
        let deadline = Instant::now() + timeout;
        let mut inbox = self.shared.inbox.lock().unwrap();
        loop {
            let found = inbox.events.iter().skip(mark).find(|e| {
                e["method"] == method && e["sessionId"].as_str() == Some(self.session.as_str())
            });
            if let Some(event) = found {
                return Ok(event["params"].clone());
            }
            if inbox.closed {
                drop(inbox);
                bail!("waiting for {method}: Chromium exited\n{}", self.stderr());
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                bail!("no {method} in {timeout:?}");
            }
            inbox = self.shared.changed.wait_timeout(inbox, left).unwrap().0;
        }
    }

    /// Loads `url` and waits for its `load` event.
    pub fn navigate(&self, url: &str) -> Result<()> {
        let mark = self.mark();
        let started = self.send("Page.navigate", json!({"url": url}))?;
        if let Some(error) = started.get("errorText") {
            bail!("{url}: {error}");
        }
        self.wait_event("Page.loadEventFired", mark, CALL_TIMEOUT)
            .with_context(|| format!("loading {url}"))?;
        Ok(())
    }

    /// Runs `js` in the page (awaiting it when it is a promise) and returns
    /// its value as JSON; a thrown exception is an error.
    pub fn eval(&self, js: &str) -> Result<Value> {
        let result = self.send(
            "Runtime.evaluate",
            json!({"expression": js, "returnByValue": true, "awaitPromise": true}),
        )?;
        if let Some(exception) = result.get("exceptionDetails") {
            let text = exception["exception"]["description"]
                .as_str()
                .or(exception["text"].as_str())
                .unwrap_or_default();
            bail!("{js}: {text}");
        }
        Ok(result["result"]
            .get("value")
            .cloned()
            .unwrap_or(Value::Null))
    }

    /// Polls `condition` (a JavaScript expression) until it is `true`; an
    /// error (no page yet, a navigation under way) counts as not yet.
    pub fn wait_for(&self, condition: &str, timeout: Duration) -> Result<()> {
        let deadline = Instant::now() + timeout;
        loop {
            let last = self.eval(condition);
            if matches!(last, Ok(Value::Bool(true))) {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("{condition} is still not true after {timeout:?}: {last:?}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Types `text` into the field `selector` as a keyboard would (an
    /// input event per insertion), replacing what it held.
    pub fn type_into(&self, selector: &str, text: &str) -> Result<()> {
        let found = self.eval(&format!(
            "(() => {{ const el = document.querySelector({}); if (!el) return false; \
             el.focus(); el.select(); return document.activeElement === el; }})()",
            json!(selector)
        ))?;
        if found != Value::Bool(true) {
            bail!("no field {selector} to type into");
        }
        self.send("Input.insertText", json!({"text": text}))?;
        Ok(())
    }

    /// Clicks the element `selector` (a link, a form's submit button) and
    /// waits for the page the click loads.
    pub fn click_and_wait(&self, selector: &str) -> Result<()> {
        let mark = self.mark();
        let clicked = self.eval(&format!(
            "(() => {{ const el = document.querySelector({}); if (!el) return false; \
             el.click(); return true; }})()",
            json!(selector)
        ))?;
        if clicked != Value::Bool(true) {
            bail!("nothing to click at {selector}");
        }
        self.wait_event("Page.loadEventFired", mark, CALL_TIMEOUT)
            .with_context(|| format!("the page after clicking {selector}"))?;
        Ok(())
    }

    /// Saves a PNG screenshot at `path` and returns its bytes: of the
    /// viewport, or with `full_page` of the whole page, as tall as it is.
    pub fn screenshot(&self, path: &Path, full_page: bool) -> Result<Vec<u8>> {
        let mut params = json!({"format": "png"});
        if full_page {
            let metrics = self.send("Page.getLayoutMetrics", json!({}))?;
            let size = &metrics["cssContentSize"];
            let height = size["height"]
                .as_f64()
                .ok_or_else(|| anyhow!("no content size in {metrics}"))?;
            params["captureBeyondViewport"] = json!(true);
            params["clip"] = json!({
                "x": 0, "y": 0, "width": WIDTH, "height": height.ceil(), "scale": 1,
            });
        }
        let shot = self.send("Page.captureScreenshot", params)?;
        let data = shot["data"]
            .as_str()
            .ok_or_else(|| anyhow!("no screenshot data"))?;
        let bytes = base64::engine::general_purpose::STANDARD.decode(data)?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, &bytes).with_context(|| path.display().to_string())?;
        Ok(bytes)
    }

    /// The page's cookies (the `HttpOnly` ones too), by name.
    pub fn cookies(&self) -> Result<HashMap<String, Value>> {
        let got = self.send("Network.getCookies", json!({}))?;
        Ok(got["cookies"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| Some((c["name"].as_str()?.to_string(), c.clone())))
            .collect())
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        // Politely first (it ends its helper processes), then by force.
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let close = json!({"id": id, "method": "Browser.close", "params": {}});
        if let (Ok(mut bytes), Ok(mut pipe)) = (serde_json::to_vec(&close), self.to_browser.lock())
        {
            bytes.push(0);
            let _ = pipe.write_all(&bytes);
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The reader thread: splits fd 4's stream at NUL bytes and files each
/// message, until Chromium closes it.
fn read_messages(from_browser: std::io::PipeReader, shared: &Shared) {
    let mut reader = BufReader::new(from_browser);
    let mut message = Vec::new();
    loop {
        message.clear();
        let ended = match reader.read_until(0, &mut message) {
            Ok(0) | Err(_) => true,
            Ok(_) => message.last() != Some(&0),
        };
        if message.last() == Some(&0) {
            message.pop();
        }
        if let Ok(value) = serde_json::from_slice::<Value>(&message) {
            let mut inbox = shared.inbox.lock().unwrap();
            match value.get("id").and_then(Value::as_u64) {
                Some(id) => {
                    inbox.answers.insert(id, value);
                }
                None => inbox.events.push(value),
            }
            shared.changed.notify_all();
        }
        if ended {
            shared.inbox.lock().unwrap().closed = true;
            shared.changed.notify_all();
            return;
        }
    }
}
