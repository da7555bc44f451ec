//! `affiche doctor`: checks an installed site the way the world sees it.
//!
//! Most checks are requests over HTTP to the site's own `base_url` (or the
//! address given instead), so they prove what a reader or a fediverse server
//! gets: that the `.htaccess` is honoured, that the CGI runs, that WebFinger
//! answers at the domain root, that pages have their ActivityPub twins, that
//! the database and the config cannot be downloaded, that a signed POST
//! reaches our inbox past any web application firewall. One check is local
//! (the docroot and the data folder are writable by whoever runs this), and
//! one reads the `Date` of every answer to tell whether a clock is off.
//!
//! Every failure says what was seen and what to do about it on an ordinary
//! shared host (Apache or LiteSpeed with `.htaccess`, a cPanel-like panel).
//! Requests go through the site's URL policy: https to public addresses,
//! unless the config's `allow_private_addresses_for_testing` is on.

use std::cell::RefCell;
use std::io::Read as _;
use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};

use crate::config::Config;
use crate::federation::documents::Endpoints;
use crate::federation::fetch::{UrlPolicy, user_agent, vetting_agent};
use crate::federation::signer::SiteSigner;
use crate::store::Store;

/// Beyond this many seconds between a server's clock and ours: a warning.
pub const CLOCK_WARN_SECONDS: i64 = 60;
/// Beyond this: a failure. Mastodon refuses signatures dated more than an
/// hour away from its own clock; five minutes leaves room for the other side.
pub const CLOCK_FAIL_SECONDS: i64 = 300;
/// What we read of any answer: enough for every document we check, and it
/// stops a program served as a download from being read whole.
const MAX_BODY_BYTES: u64 = 1024 * 1024;

/// What `run` is asked to do beyond what the config says.
#[derive(Debug, Clone)]
pub struct Options {
    /// Send the requests here instead of the config's `base_url` (same
    /// paths), e.g. the host's temporary address before DNS points at it.
    /// Documents still name the site by `base_url`.
    pub base_url: Option<String>,
    /// The time limit of each request.
    pub timeout: Duration,
    /// The URL fetched to prove outgoing HTTPS works [default: the site's
    /// own `/.well-known/nodeinfo`, reached through the public network].
    pub outbound_url: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            base_url: None,
            timeout: Duration::from_secs(10),
            outbound_url: None,
        }
    }
}

/// One check and how it went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// A short stable name: `htaccess`, `cgi`, `webfinger-root`,
    /// `json-twin`, `private-files`, `permissions`, `outbound-https`,
    /// `clock`, `inbox`.
    pub name: &'static str,
    /// What it checks, in words.
    pub title: &'static str,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    /// Works, but something deserves a look.
    Warn(String),
    /// Broken: what was seen, and what to do.
    Fail {
        what: String,
        advice: String,
    },
}

impl Check {
    pub fn failed(&self) -> bool {
        matches!(self.outcome, Outcome::Fail { .. })
    }
}

/// Runs every check, in order; never panics and never stops early.
pub fn run(config: &Config, options: &Options) -> Vec<Check> {
    let site = config.site_url();
    let base = options
        .base_url
        .as_deref()
        .unwrap_or(&site.base)
        .trim_end_matches('/')
        .to_string();
    let client = Client::new(config, options);
    let acct = format!("acct:{}@{}", config.actor_name, site.host);
    let mut checks = vec![
        check_htaccess(&client, &base, &acct),
        check_cgi(&client, &base),
        check_root_webfinger(&client, &base, &site.root, &acct),
        check_twin(&client, &base, &site.base),
        check_private_files(&client, &base, config),
        check_permissions(config),
        check_outbound(&client, &base, &site.root, options),
    ];
    let inbox = check_inbox(&client, &base, config);
    checks.push(clock_check(client.largest_offset()));
    checks.push(inbox);
    checks
}

/// The checks as text for a terminal or a log: one line per check, and for
/// each failure what was seen and what to do.
pub fn report(checks: &[Check]) -> String {
    let mut out = String::new();
    let (mut passed, mut warned, mut failed) = (0, 0, 0);
    for check in checks {
        match &check.outcome {
            Outcome::Pass => {
                passed += 1;
                out.push_str(&format!("PASS  {}\n", check.title));
            }
            Outcome::Warn(why) => {
                warned += 1;
                out.push_str(&format!("WARN  {}\n", check.title));
                out.push_str(&indent("      ", why));
            }
            Outcome::Fail { what, advice } => {
                failed += 1;
                out.push_str(&format!("FAIL  {}\n", check.title));
                out.push_str(&indent("      ", what));
                out.push_str(&indent("      what to do: ", advice));
            }
        }
    }
    out.push_str(&format!(
        "{passed} passed, {warned} warning(s), {failed} failure(s)\n"
    ));
    out
}

/// The process exit status for these checks: 0 unless one failed, then 1.
pub fn exit_code(checks: &[Check]) -> i32 {
    if checks.iter().any(Check::failed) {
        1
    } else {
        0
    }
}

fn indent(first: &str, text: &str) -> String {
    let pad = " ".repeat(first.chars().count());
    let mut out = String::new();
    for (n, line) in text.lines().enumerate() {
        out.push_str(if n == 0 { first } else { &pad });
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn pass(name: &'static str, title: &'static str) -> Check {
    Check {
        name,
        title,
        outcome: Outcome::Pass,
    }
}

fn warn(name: &'static str, title: &'static str, why: String) -> Check {
    Check {
        name,
        title,
        outcome: Outcome::Warn(why),
    }
}

fn fail(name: &'static str, title: &'static str, what: String, advice: &str) -> Check {
    Check {
        name,
        title,
        outcome: Outcome::Fail {
            what,
            advice: advice.to_string(),
        },
    }
}

// ---------------------------------------------------------------------------
// HTTP

/// An answer, its body read up to [`MAX_BODY_BYTES`].
struct Answer {
    status: u16,
    content_type: String,
    vary: String,
    location: Option<String>,
    body: Vec<u8>,
}

impl Answer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The type without its parameters, in lower case.
    fn essence(&self) -> String {
        self.content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    }

    /// A few words of the answer for a report: status, type, start of the body.
    fn describe(&self) -> String {
        let html = self.essence() == "text/html";
        let title = html
            .then(|| {
                let text = self.text();
                let lower = text.to_ascii_lowercase();
                let start = lower.find("<title>")? + "<title>".len();
                let end = start + lower.get(start..)?.find("</title>")?;
                text.get(start..end)
                    .map(|t| format!("a page titled \"{}\"", t.trim()))
            })
            .flatten();
        let mut text: String = title
            .unwrap_or_else(|| self.text())
            .chars()
            .filter(|c| !c.is_control() || *c == ' ')
            .take(120)
            .collect();
        if self.body.len() > 120 {
            text.push_str("...");
        }
        let kind = if self.content_type.is_empty() {
            "no Content-Type".to_string()
        } else {
            self.content_type.clone()
        };
        if text.trim().is_empty() {
            format!("{} ({kind}, empty body)", self.status)
        } else {
            format!("{} ({kind}): {}", self.status, text.trim())
        }
    }

    /// An error answer written by our program (JSON with an `error` key),
    /// as opposed to a page from the server or a firewall in front of it.
    fn our_error(&self) -> Option<String> {
        if !self.essence().ends_with("json") {
            return None;
        }
        self.json()?
            .get("error")
            .and_then(Value::as_str)
            .map(str::to_string)
    }
}

struct Client {
    agent: ureq::Agent,
    policy: UrlPolicy,
    /// Seconds between each answer's `Date` and our clock when it arrived.
    offsets: RefCell<Vec<i64>>,
}

impl Client {
    fn new(config: &Config, options: &Options) -> Client {
        let policy = UrlPolicy::from_config(config);
        let builder = ureq::Agent::config_builder()
            // Statuses are what the checks judge; redirects too.
            .http_status_as_error(false)
            .max_redirects(0)
            .https_only(false)
            .user_agent(user_agent(&config.site_url().base))
            .timeout_connect(Some(options.timeout))
            .timeout_global(Some(options.timeout));
        Client {
            agent: vetting_agent(policy, builder),
            policy,
            offsets: RefCell::new(Vec::new()),
        }
    }

    fn largest_offset(&self) -> Option<i64> {
        self.offsets
            .borrow()
            .iter()
            .copied()
            .max_by_key(|offset| offset.abs())
    }

    /// A GET, redirects not followed.
    fn get(&self, url: &str, accept: Option<&str>) -> Result<Answer, String> {
        let url = self.policy.check_url(url).map_err(|e| e.to_string())?;
        let mut request = self.agent.get(url.as_str());
        if let Some(accept) = accept {
            request = request.header("Accept", accept);
        }
        let response = request.call().map_err(|e| format!("{url}: {e}"))?;
        Ok(self.read(response))
    }

    /// A GET that follows up to three redirects, each checked by the policy.
    fn get_following(&self, url: &str, accept: Option<&str>) -> Result<Answer, String> {
        let mut current = self.policy.check_url(url).map_err(|e| e.to_string())?;
        for _ in 0..4 {
            let answer = self.get(current.as_str(), accept)?;
            match (&answer.location, answer.status) {
                (Some(location), 301 | 302 | 303 | 307 | 308) => {
                    current = self
                        .policy
                        .check_redirect(&current, location)
                        .map_err(|e| e.to_string())?;
                }
                _ => return Ok(answer),
            }
        }
        Err(format!("{url}: more than three redirects"))
    }

    fn post(&self, url: &str, headers: &[(String, String)], body: &[u8]) -> Result<Answer, String> {
        let url = self.policy.check_url(url).map_err(|e| e.to_string())?;
        let mut request = self.agent.post(url.as_str());
        for (name, value) in headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let response = request.send(body).map_err(|e| format!("{url}: {e}"))?;
        Ok(self.read(response))
    }

    fn read(&self, mut response: ureq::http::Response<ureq::Body>) -> Answer {
        let header = |name: &str| {
            response
                .headers()
                .get_all(name)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let date = header("date");
        if let Ok(server) = jiff::fmt::rfc2822::DateTimeParser::new()
            .relaxed_weekday(true)
            .parse_timestamp(date.trim())
        {
            let now = jiff::Timestamp::now().as_second();
            self.offsets.borrow_mut().push(server.as_second() - now);
        }
        let location = Some(header("location")).filter(|l| !l.is_empty());
        let mut answer = Answer {
            status: response.status().as_u16(),
            content_type: header("content-type"),
            vary: header("vary"),
            location,
            body: Vec::new(),
        };
        // A body cut short or unreadable is judged as far as it got.
        let _ = response
            .body_mut()
            .as_reader()
            .take(MAX_BODY_BYTES)
            .read_to_end(&mut answer.body);
        answer
    }
}

// ---------------------------------------------------------------------------
// Advice shared by several checks

const ADVICE_UNREACHABLE: &str = "Check that the domain points at your host (the DNS zone in your registrar's or host's panel) and that the site answers in a browser. If you gave --base-url, check it. A certificate error means HTTPS is not set up for this domain: turn on the host's free certificate (Let's Encrypt, AutoSSL, \"SSL/TLS\" in the panel) and wait for it to be issued.";

const ADVICE_HTACCESS: &str = "The server does not apply the .htaccess shipped with Affiche, so addresses without a file behind them (WebFinger, /health, the inbox) never reach the program.\n\
- Check that .htaccess is in the docroot next to affiche.cgi: its name starts with a dot, so FTP clients and file managers hide it (turn on \"show hidden files\"); upload install/htaccess again under the name .htaccess.\n\
- The server must allow .htaccess files (Apache's AllowOverride All) and have mod_rewrite: every shared host (OVH, o2switch, Hostinger, IONOS, cPanel hosts) does; on your own server, set AllowOverride All for the docroot and run a2enmod rewrite headers cgi.\n\
- On an nginx-only host .htaccess is ignored: Affiche needs Apache or LiteSpeed.";

const ADVICE_CGI: &str = "The program affiche.cgi did not run (Apache's error log then says \"Premature end of script headers\" or \"End of script output before headers\"); the cause is one of:\n\
- it is not executable: set its permissions to 755 (chmod 755 affiche.cgi, or \"permissions 755\" in your FTP client or the panel's file manager);\n\
- it was uploaded in text (ASCII) mode and is corrupt: upload it again in binary mode;\n\
- it was built for another machine: shared hosts are x86-64 Linux, use the release binary (a static musl build);\n\
- it does not find its config: add SetEnv AFFICHE_CONFIG /home/you/affiche/affiche.toml at the top of .htaccess;\n\
- suEXEC refuses it: the file and its folder must belong to your account and not be writable by group or others (folders 755, files 644, affiche.cgi 755);\n\
- the host runs CGI only in cgi-bin or has it turned off for the account: enable CGI in the panel or ask support.\n\
Your host's panel shows the error log (cPanel: Metrics > Errors; others: Logs).";

const ADVICE_NOT_RUN: &str = "The server does not run .cgi files here: it serves affiche.cgi as a plain file. The .htaccess lines \"Options +ExecCGI\" and \"AddHandler cgi-script .cgi\" must apply:\n\
- check that .htaccess is in the docroot (its name starts with a dot: turn on \"show hidden files\" in your FTP client or file manager) and upload install/htaccess again as .htaccess if it is missing;\n\
- the server must allow .htaccess files (Apache's AllowOverride All, with Options and FileInfo at least); on your own server set it for the docroot and run a2enmod cgi rewrite headers;\n\
- the host must allow CGI for your account: some panels have a \"CGI\" or \"Apache handlers\" setting (cPanel: Advanced > Apache Handlers, add cgi-script for .cgi); otherwise ask support.\n\
Until this is fixed anyone can download the program.";

// ---------------------------------------------------------------------------
// The checks

/// Check 1: `.htaccess` honoured: a static page, WebFinger and /health through
/// the rewrite rules.
fn check_htaccess(client: &Client, base: &str, acct: &str) -> Check {
    const NAME: &str = "htaccess";
    const TITLE: &str = ".htaccess honoured (rewrites to the program)";
    // A static page first: if even that fails, the .htaccess itself is refused.
    match client.get(&format!("{base}/"), Some("text/html")) {
        Err(err) => {
            return fail(
                NAME,
                TITLE,
                format!("the home page could not be fetched: {err}"),
                ADVICE_UNREACHABLE,
            );
        }
        Ok(home) if home.status == 500 => {
            return fail(
                NAME,
                TITLE,
                format!("even the home page answered {}", home.describe()),
                "A static page failing with 500 means the server refuses a line of .htaccess (the error log names it: \"... not allowed here\" or \"Invalid command\").\n\
- \"Option FollowSymLinks not allowed here\": replace +FollowSymLinks with +SymLinksIfOwnerMatch in the Options line;\n\
- \"Invalid command 'CGIPassAuth'\": the server is older than Apache 2.4.13; ask the host for a current Apache;\n\
- \"Invalid command 'RewriteEngine'\" or \"'Header'\": mod_rewrite or mod_headers is off; ask the host to enable them (they are on at every mainstream shared host).",
            );
        }
        Ok(_) => {}
    }
    let url = format!("{base}/.well-known/webfinger?resource={acct}");
    let webfinger = match client.get(&url, Some("application/jrd+json, application/json")) {
        Ok(answer) => answer,
        Err(err) => return fail(NAME, TITLE, err, ADVICE_UNREACHABLE),
    };
    match webfinger.status {
        200 if webfinger.essence() == "application/jrd+json" => {}
        200 => {
            return fail(
                NAME,
                TITLE,
                format!(
                    "WebFinger ({url}) answered 200 but as {} instead of application/jrd+json",
                    webfinger.describe()
                ),
                "Something other than Affiche answers WebFinger: another application (a CMS, the host's own .well-known handling) takes the address first. Remove the other application's rule for /.well-known/webfinger, or make sure Affiche's .htaccess is the one in this folder.",
            );
        }
        404 => {
            return fail(
                NAME,
                TITLE,
                format!("WebFinger ({url}) answered {}", webfinger.describe()),
                ADVICE_HTACCESS,
            );
        }
        500 => {
            return fail(
                NAME,
                TITLE,
                format!("WebFinger ({url}) answered {}", webfinger.describe()),
                ADVICE_CGI,
            );
        }
        403 | 406 => {
            return fail(
                NAME,
                TITLE,
                format!("WebFinger ({url}) answered {}", webfinger.describe()),
                "The server refuses the address before the program runs: a security rule (ModSecurity, a web application firewall, or a \"deny dot-files\" rule) blocks /.well-known/. In cPanel, turn ModSecurity off for this domain (Security > ModSecurity); elsewhere ask support to allow /.well-known/webfinger.",
            );
        }
        _ => {
            return fail(
                NAME,
                TITLE,
                format!("WebFinger ({url}) answered {}", webfinger.describe()),
                ADVICE_HTACCESS,
            );
        }
    }
    match client.get(&format!("{base}/health"), None) {
        Ok(health) if health.status == 200 && health.text().starts_with("affiche ") => {
            pass(NAME, TITLE)
        }
        Ok(health) => fail(
            NAME,
            TITLE,
            format!("{base}/health answered {}", health.describe()),
            ADVICE_HTACCESS,
        ),
        Err(err) => fail(NAME, TITLE, err, ADVICE_UNREACHABLE),
    }
}

/// Check 2: The CGI runs and answers with a status line and its version.
fn check_cgi(client: &Client, base: &str) -> Check {
    const NAME: &str = "cgi";
    const TITLE: &str = "the program runs as CGI (affiche.cgi/health)";
    let url = format!("{base}/affiche.cgi/health");
    let answer = match client.get(&url, None) {
        Ok(answer) => answer,
        Err(err) => return fail(NAME, TITLE, err, ADVICE_UNREACHABLE),
    };
    let text = answer.text();
    if answer.status == 200 {
        if let Some(version) = text.trim().strip_prefix("affiche ") {
            if version == crate::VERSION {
                return pass(NAME, TITLE);
            }
            return warn(
                NAME,
                TITLE,
                format!(
                    "the site runs affiche {version} but this command is affiche {}: upload the same release as affiche.cgi (or run the docroot's affiche.cgi doctor), then run rebuild",
                    crate::VERSION
                ),
            );
        }
        if answer.body.starts_with(b"\x7fELF") || answer.essence() == "application/octet-stream" {
            return fail(
                NAME,
                TITLE,
                format!("{url} sent the program itself as a download instead of running it"),
                ADVICE_NOT_RUN,
            );
        }
        return fail(
            NAME,
            TITLE,
            format!("{url} answered {}", answer.describe()),
            "Something else answers at this address: check that affiche.cgi is the Affiche binary and that another application's rewrite rules do not catch every address (a CMS's .htaccess in the same folder).",
        );
    }
    let advice = match answer.status {
        500 | 502 | 503 => ADVICE_CGI,
        403 => {
            "The server refuses to run the program: .cgi files are not allowed to run here (Options +ExecCGI refused), or the file's permissions are wrong. Set affiche.cgi to 755 and its folders to 755; if the error log says \"Options ExecCGI is off\", ask your host to allow CGI for your account."
        }
        404 => {
            // Without its handler the program is a plain file, and a plain
            // file has no /health below it.
            if let Ok(file) = client.get(&format!("{base}/affiche.cgi"), None)
                && file.status == 200
            {
                return fail(
                    NAME,
                    TITLE,
                    format!(
                        "{url} answered 404 and {base}/affiche.cgi sends the program itself as a download instead of running it"
                    ),
                    ADVICE_NOT_RUN,
                );
            }
            "affiche.cgi is not in the docroot: upload it next to .htaccess (in binary mode) and set its permissions to 755."
        }
        _ => ADVICE_CGI,
    };
    fail(
        NAME,
        TITLE,
        format!("{url} answered {}", answer.describe()),
        advice,
    )
}

/// Check 3: WebFinger at the domain root, where fediverse servers ask for it.
fn check_root_webfinger(client: &Client, base: &str, root: &str, acct: &str) -> Check {
    const NAME: &str = "webfinger-root";
    const TITLE: &str = "WebFinger answered at the domain root";
    let origin = base.strip_suffix(root).unwrap_or(base);
    let url = format!("{origin}/.well-known/webfinger?resource={acct}");
    // At the domain root, this is the site's own WebFinger (see the
    // .htaccess check); in a subfolder, the root's .htaccess must send it on.
    let advice = if root.is_empty() {
        ADVICE_HTACCESS.to_string()
    } else {
        format!(
            "The site lives in {root}, but fediverse servers ask the domain root for WebFinger. Add these lines to the .htaccess of the domain's root folder (create it if needed; keep what is already there):\n\
RewriteEngine On\n\
RewriteRule ^\\.well-known/webfinger$ {root}/affiche.cgi/webfinger [END,QSA]\n\
RewriteRule ^\\.well-known/(host-meta|nodeinfo)$ {root}/.well-known/$1 [END]\n\
If another application (a CMS) owns the root, put the lines above its own rules."
        )
    };
    match client.get_following(&url, Some("application/jrd+json, application/json")) {
        Ok(answer) if answer.status == 200 && answer.essence() == "application/jrd+json" => {
            let subject_ok = answer
                .json()
                .and_then(|jrd| {
                    jrd.get("subject")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                })
                .is_some_and(|subject| subject == acct);
            if subject_ok {
                pass(NAME, TITLE)
            } else {
                fail(
                    NAME,
                    TITLE,
                    format!("{url} answered for someone else: {}", answer.describe()),
                    &advice,
                )
            }
        }
        Ok(answer) => fail(
            NAME,
            TITLE,
            format!("{url} answered {}", answer.describe()),
            &advice,
        ),
        Err(err) => fail(NAME, TITLE, err, ADVICE_UNREACHABLE),
    }
}

/// Check 4: The actor and the newest article have ActivityPub twins, served with
/// their type and `Vary: Accept`.
fn check_twin(client: &Client, base: &str, configured_base: &str) -> Check {
    const NAME: &str = "json-twin";
    const TITLE: &str = "ActivityPub twins (Accept: application/activity+json)";
    let accept = Some("application/activity+json");
    let mut urls = vec![format!("{base}/actor")];
    // The newest article, from the outbox as a fediverse server reads it.
    if let Ok(outbox) = client.get(&format!("{base}/outbox"), accept)
        && let Some(outbox) = outbox.json()
    {
        let first = outbox
            .get("orderedItems")
            .and_then(Value::as_array)
            .and_then(|items| items.first())
            .and_then(|item| item.get("object"))
            .and_then(|object| object.get("id").or(Some(object)))
            .and_then(Value::as_str);
        if let Some(id) = first
            && let Some(path) = id.strip_prefix(configured_base)
        {
            urls.push(format!("{base}{path}"));
        }
    }
    let mut warnings = Vec::new();
    for url in &urls {
        let answer = match client.get_following(url, accept) {
            Ok(answer) => answer,
            Err(err) => return fail(NAME, TITLE, err, ADVICE_UNREACHABLE),
        };
        if answer.status != 200 {
            return fail(
                NAME,
                TITLE,
                format!("{url} answered {}", answer.describe()),
                ADVICE_HTACCESS,
            );
        }
        if answer.essence() != "application/activity+json" {
            return fail(
                NAME,
                TITLE,
                format!(
                    "{url} asked with Accept: application/activity+json answered {}",
                    answer.describe()
                ),
                "Fediverse servers refuse documents not typed application/activity+json. The .htaccess line \"AddType application/activity+json .json\" must apply and the content negotiation rules (RewriteCond %{HTTP_ACCEPT} ...) must run: check that the shipped .htaccess is complete, and that no cache or CDN in front of the site (the host's \"cache\" or \"CDN\" option, Cloudflare) serves the HTML page to every Accept; turn such caching off for this site.",
            );
        }
        if !answer
            .vary
            .split(',')
            .any(|v| v.trim().eq_ignore_ascii_case("accept"))
        {
            return fail(
                NAME,
                TITLE,
                format!("{url} has no \"Vary: Accept\" (Vary: '{}')", answer.vary),
                "Pages and their JSON twins share addresses, so caches must keep them apart by the Accept header. The .htaccess sets \"Header merge Vary Accept\" through mod_headers: ask your host to enable mod_headers, and turn off any cache or CDN option that drops the Vary header.",
            );
        }
        if answer
            .json()
            .is_none_or(|doc| doc.get("id").and_then(Value::as_str).is_none())
        {
            warnings.push(format!("{url} is not an ActivityPub document with an id"));
        }
    }
    if warnings.is_empty() {
        pass(NAME, TITLE)
    } else {
        warn(NAME, TITLE, warnings.join("\n"))
    }
}

/// Check 5: The database and the config cannot be downloaded.
fn check_private_files(client: &Client, base: &str, config: &Config) -> Check {
    const NAME: &str = "private-files";
    const TITLE: &str = "the database and the config cannot be downloaded";
    let mut paths = vec![
        "/affiche.sqlite".to_string(),
        "/affiche.sqlite-wal".to_string(),
        "/affiche.toml".to_string(),
    ];
    let docroot = config.docroot_path();
    for file in [config.database_path(), config.base_dir.join("affiche.toml")] {
        if let Some(path) = path_in_docroot(&docroot, &file)
            && !paths.contains(&path)
        {
            paths.push(path);
        }
    }
    let mut exposed = Vec::new();
    for path in &paths {
        let url = format!("{base}{path}");
        match client.get(&url, None) {
            Ok(answer) if answer.status == 200 => {
                let what = if answer.body.starts_with(b"SQLite format") {
                    "the database itself (with the site's private key)"
                } else {
                    "a 200 answer"
                };
                exposed.push(format!("{url} gave {what}"));
            }
            Ok(_) => {}
            Err(err) => return fail(NAME, TITLE, err, ADVICE_UNREACHABLE),
        }
    }
    if exposed.is_empty() {
        return pass(NAME, TITLE);
    }
    fail(
        NAME,
        TITLE,
        exposed.join("\n"),
        "Anyone can download these files: the database holds the site's private key and its authors' data. Act now:\n\
- move the private folder (affiche.toml, affiche.sqlite) out of the docroot, next to it (e.g. ~/affiche beside ~/public_html), and set docroot/data_dir in affiche.toml; add SetEnv AFFICHE_CONFIG to .htaccess if the program no longer finds its config;\n\
- if the host gives you only the docroot, keep the shipped .htaccess block <FilesMatch \"(\\.(sqlite|sqlite-wal|sqlite-shm|toml|tmp)|\\.backup-.*)$\"> Require all denied </FilesMatch> intact;\n\
- if the files were exposed, treat the key as leaked.",
    )
}

/// Where `file` is served from when it lies inside the docroot.
fn path_in_docroot(docroot: &Path, file: &Path) -> Option<String> {
    let docroot = std::fs::canonicalize(docroot).ok()?;
    let file = match std::fs::canonicalize(file) {
        Ok(file) => file,
        // Not there (yet): judge by its folder.
        Err(_) => std::fs::canonicalize(file.parent()?)
            .ok()?
            .join(file.file_name()?),
    };
    let relative = file.strip_prefix(&docroot).ok()?;
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(format!("/{}", parts.join("/")))
}

/// Check 6: Local: whoever runs this can write in the docroot and the data
/// folder, and owns them as the CGI does.
fn check_permissions(config: &Config) -> Check {
    const NAME: &str = "permissions";
    const TITLE: &str = "the docroot and the data folder are writable";
    let docroot = config.docroot_path();
    let database = config.database_path();
    let data_dir = database
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let docroot_meta = match std::fs::metadata(&docroot) {
        Ok(meta) => meta,
        Err(err) => {
            return warn(
                NAME,
                TITLE,
                format!(
                    "the docroot {} is not here ({err}): run `affiche doctor` on the host itself, over SSH, with the site's config, to check the files",
                    docroot.display()
                ),
            );
        }
    };
    let advice_write = "Affiche's program writes pages into the docroot and the database into the data folder. Give both folders to your own account with permissions 755 (files 644, affiche.cgi 755), in the host's file manager or your FTP client (\"file permissions\"). On a shared host the program runs as your account (suEXEC, or the host's equivalent); if the folders belong to another user (uploaded as root, or made by another tool), ask support to give them back to your account.";
    let mut problems = Vec::new();
    let mut me = None;
    for dir in [&docroot, &data_dir] {
        match probe_write(dir) {
            Ok(uid) => me = Some(uid),
            Err(err) => problems.push(format!("cannot write in {}: {err}", dir.display())),
        }
    }
    if !problems.is_empty() {
        return fail(NAME, TITLE, problems.join("\n"), advice_write);
    }
    let cgi = docroot.join("affiche.cgi");
    match std::fs::metadata(&cgi) {
        Ok(meta) if meta.permissions().mode() & 0o111 == 0 => {
            return fail(
                NAME,
                TITLE,
                format!("{} is not executable", cgi.display()),
                "Set affiche.cgi's permissions to 755 (chmod 755 affiche.cgi, or the FTP client's \"file permissions\").",
            );
        }
        Ok(meta) if meta.permissions().mode() & 0o022 != 0 => problems.push(format!(
            "{} is writable by group or others (mode {:o}): suEXEC refuses to run it; chmod 755 it",
            cgi.display(),
            meta.permissions().mode() & 0o777
        )),
        Ok(_) => {}
        Err(err) => problems.push(format!("{}: {err}", cgi.display())),
    }
    if docroot_meta.permissions().mode() & 0o002 != 0 {
        problems.push(format!(
            "the docroot {} is writable by everyone (mode {:o}): suEXEC refuses to run programs there; chmod 755 it",
            docroot.display(),
            docroot_meta.permissions().mode() & 0o777
        ));
    }
    let owner = docroot_meta.uid();
    if let Some(me) = me
        && me != owner
    {
        let (me, owner_name) = (user_name(me), user_name(owner));
        let login = login_name(owner).unwrap_or_else(|| format!("#{owner}"));
        problems.push(format!(
            "this command runs as {me} but the docroot belongs to {owner_name}: files it writes belong to {me}, and the CGI (which runs as the files' owner on a shared host) may then be unable to change them. Run affiche commands as that user (e.g. sudo -u {login} affiche ...), or chown the files back afterwards."
        ));
    }
    for suffix in ["", "-wal", "-shm"] {
        let mut name = database.clone().into_os_string();
        name.push(suffix);
        let path = PathBuf::from(name);
        if let Ok(meta) = std::fs::metadata(&path)
            && meta.uid() != owner
        {
            problems.push(format!(
                "{} belongs to {}, not to {} like the docroot: the CGI may be unable to write the database (\"attempt to write a readonly database\"); give it back to {}",
                path.display(),
                user_name(meta.uid()),
                user_name(owner),
                user_name(owner)
            ));
        }
    }
    if problems.is_empty() {
        pass(NAME, TITLE)
    } else {
        warn(NAME, TITLE, problems.join("\n"))
    }
}

/// Creates and removes a file in `dir`; returns the owner it got, which
/// is the user this process writes as.
fn probe_write(dir: &Path) -> std::io::Result<u32> {
    let path = dir.join(format!(".affiche-doctor-{}.tmp", std::process::id()));
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)?;
    let uid = file.metadata().map(|m| m.uid());
    drop(file);
    std::fs::remove_file(&path)?;
    uid
}

/// A user's login name, from /etc/passwd.
fn login_name(uid: u32) -> Option<String> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        let id = fields.nth(1)?;
        (id.parse::<u32>().ok()? == uid).then(|| name.to_string())
    })
}

/// `name (uid N)`, or `uid N` for a user /etc/passwd does not know.
fn user_name(uid: u32) -> String {
    match login_name(uid) {
        Some(name) => format!("{name} (uid {uid})"),
        None => format!("uid {uid}"),
    }
}

/// Check 7: Outgoing HTTPS: what deliveries and key fetches need.
fn check_outbound(client: &Client, base: &str, root: &str, options: &Options) -> Check {
    const NAME: &str = "outbound-https";
    const TITLE: &str = "outgoing HTTPS requests work";
    let url = options.outbound_url.clone().unwrap_or_else(|| {
        let origin = base.strip_suffix(root).unwrap_or(base);
        format!("{origin}{root}/.well-known/nodeinfo")
    });
    match client.get_following(&url, Some("application/json")) {
        Ok(answer) if (200..300).contains(&answer.status) => pass(NAME, TITLE),
        Ok(answer) => warn(
            NAME,
            TITLE,
            format!(
                "{url} was reached but answered {}; the connection itself works",
                answer.describe()
            ),
        ),
        Err(err) => {
            let advice = if err.contains("certificate") || err.contains("Certificate") {
                "The TLS certificate was refused. If the URL is your own site, turn on the host's free certificate (Let's Encrypt, AutoSSL, \"SSL/TLS\" in the panel) and wait for it to be issued; if this machine intercepts HTTPS (a proxy), fediverse servers will not: run the doctor from the host itself."
            } else {
                "Affiche must reach other servers over HTTPS (port 443) to deliver posts and fetch keys. Some hosts block outgoing connections from scripts, mostly on free or entry plans: ask support to allow outgoing HTTPS for your account. Check too that the host resolves names (a DNS failure shows as \"cannot resolve\")."
            };
            fail(
                NAME,
                TITLE,
                format!("{url} could not be fetched: {err}"),
                advice,
            )
        }
    }
}

/// Check 8: The clocks, from the `Date` of every answer seen.
pub fn clock_check(largest_offset: Option<i64>) -> Check {
    const NAME: &str = "clock";
    const TITLE: &str = "the clocks agree (server Date vs this machine)";
    let Some(offset) = largest_offset else {
        return warn(
            NAME,
            TITLE,
            "no answer carried a Date header, so the clock could not be checked".into(),
        );
    };
    let side = if offset > 0 { "ahead of" } else { "behind" };
    let what = format!(
        "the server's clock is {} s {side} this machine's",
        offset.abs()
    );
    if offset.abs() > CLOCK_FAIL_SECONDS {
        fail(
            NAME,
            TITLE,
            what,
            "Signed requests carry the time they were made; Mastodon and others refuse them when their clock and ours are more than an hour apart, and replays are judged by the clock too. One of the two clocks is wrong: if you run the doctor from your own computer, set its clock automatically (NTP); if it runs on the host, the host's clock is off: report it to your host's support (their servers should run NTP).",
        )
    } else if offset.abs() > CLOCK_WARN_SECONDS {
        warn(
            NAME,
            TITLE,
            format!(
                "{what}: signatures still pass, but a clock that drifts will break them past an hour; set the clock automatically (NTP) or tell the host"
            ),
        )
    } else {
        pass(NAME, TITLE)
    }
}

/// Check 9: A signed POST from the site's own actor reaches the inbox past any
/// web application firewall.
fn check_inbox(client: &Client, base: &str, config: &Config) -> Check {
    const NAME: &str = "inbox";
    const TITLE: &str = "a signed POST reaches the inbox (no firewall in the way)";
    let ends = Endpoints::new(config);
    let signer = match Store::open(&config.database_path(), false)
        .and_then(|store| SiteSigner::from_store(&store, &ends))
    {
        Ok(signer) => signer,
        Err(err) => {
            return fail(
                NAME,
                TITLE,
                format!("cannot load the site's key: {err:#}"),
                "Run the doctor with the site's config (--config PATH) on the host, as the site's user; data_dir in the config must name the folder of affiche.sqlite.",
            );
        }
    };
    // An activity of a type nobody uses: the inbox verifies the signature,
    // keeps it as ignored and answers 202; nothing is published. Its one id
    // keeps a single row however often the doctor runs.
    let body = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/doctor-check", ends.actor),
        "type": "AfficheDoctorCheck",
        "actor": ends.actor,
        "object": ends.actor,
        "summary": "A self-test by `affiche doctor`; nothing to do.",
    })
    .to_string();
    let url = format!("{base}/inbox");
    let headers = match signer.post_headers(&url, body.as_bytes()) {
        Ok(headers) => headers,
        Err(err) => {
            return fail(
                NAME,
                TITLE,
                format!("cannot sign: {err:#}"),
                "The site's key in the database is unusable; restore the database from a backup.",
            );
        }
    };
    let answer = match client.post(&url, &headers, body.as_bytes()) {
        Ok(answer) => answer,
        Err(err) => return fail(NAME, TITLE, err, ADVICE_UNREACHABLE),
    };
    let ours = answer.our_error();
    match (answer.status, ours) {
        (202, _) => pass(NAME, TITLE),
        (401, Some(why)) => warn(
            NAME,
            TITLE,
            format!(
                "the inbox was reached but refused the site's own signature: {why}\nIf it cannot fetch the key, the program on the host cannot reach the site over HTTPS (see outgoing HTTPS); a clock error shows here too."
            ),
        ),
        (status, Some(why)) => fail(
            NAME,
            TITLE,
            format!("{url} answered {status} from Affiche: {why}"),
            if status == 413 {
                "Raise limits.max_body_bytes in affiche.toml (at least 1 MB)."
            } else {
                "The program refused its own test activity; run the doctor again after upgrading affiche.cgi to the same version as this command, and report it if it persists."
            },
        ),
        (500, None) => fail(
            NAME,
            TITLE,
            format!("{url} answered {}", answer.describe()),
            ADVICE_CGI,
        ),
        (404, None) => fail(
            NAME,
            TITLE,
            format!("{url} answered {}", answer.describe()),
            ADVICE_HTACCESS,
        ),
        (413, None) => fail(
            NAME,
            TITLE,
            format!("{url} answered {}", answer.describe()),
            "The server refuses request bodies this small (a LimitRequestBody or a firewall limit): fediverse activities are up to a few hundred kilobytes; ask the host to allow at least 1 MB for POSTs to this site.",
        ),
        (_, None) => fail(
            NAME,
            TITLE,
            format!(
                "{url} answered {} (not an answer from Affiche)",
                answer.describe()
            ),
            "A web application firewall in front of the program blocked a signed ActivityPub POST: fediverse servers will be refused the same way. In cPanel, turn ModSecurity off for this domain (Security > ModSecurity); on other hosts (o2switch, OVH, Hostinger, IONOS) look for \"ModSecurity\", \"WAF\" or \"firewall\" in the panel, or ask support to allow POST requests with Content-Type application/activity+json to /inbox and /actor/inbox. If the error log mentions a ModSecurity rule id, give it to them.",
        ),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_is_judged_by_the_largest_offset() {
        assert_eq!(clock_check(Some(5)).outcome, Outcome::Pass);
        assert_eq!(clock_check(Some(-60)).outcome, Outcome::Pass);
        assert!(matches!(clock_check(Some(-61)).outcome, Outcome::Warn(_)));
        assert!(matches!(clock_check(Some(300)).outcome, Outcome::Warn(_)));
        let check = clock_check(Some(-301));
        let Outcome::Fail { what, advice } = &check.outcome else {
            panic!("{check:?}")
        };
        assert!(what.contains("301 s behind"), "{what}");
        assert!(advice.contains("NTP"), "{advice}");
        assert!(matches!(clock_check(None).outcome, Outcome::Warn(_)));
    }

    #[test]
    fn the_report_says_what_to_do_and_the_exit_code_follows_failures() {
        let checks = vec![
            pass("a", "first"),
            warn("b", "second", "look\nhere".into()),
            fail("c", "third", "broken".into(), "fix it\nthen rerun"),
        ];
        let text = report(&checks);
        assert!(text.contains("PASS  first\n"), "{text}");
        assert!(
            text.contains("WARN  second\n      look\n      here\n"),
            "{text}"
        );
        assert!(
            text.contains("FAIL  third\n      broken\n      what to do: fix it\n                  then rerun\n"),
            "{text}"
        );
        assert!(
            text.ends_with("1 passed, 1 warning(s), 1 failure(s)\n"),
            "{text}"
        );
        assert_eq!(exit_code(&checks), 1);
        assert_eq!(exit_code(&checks[..2]), 0);
    }

    #[test]
    fn private_files_are_mapped_to_their_address() {
        let dir = tempfile::tempdir().unwrap();
        let docroot = dir.path().join("www");
        std::fs::create_dir_all(docroot.join("private")).unwrap();
        assert_eq!(
            path_in_docroot(&docroot, &docroot.join("private/affiche.sqlite")).as_deref(),
            Some("/private/affiche.sqlite")
        );
        assert_eq!(
            path_in_docroot(&docroot, &dir.path().join("affiche.sqlite")),
            None
        );
    }
}
