//! Install by upload: while no config exists, the CGI answers with a setup
//! page instead of an error. The owner uploads `affiche.cgi` and
//! `.htaccess`, opens the page, reads a setup secret by FTP, and the form
//! creates what `affiche init` would: database, key, rendered pages and, last
//! and atomically, `affiche.toml` with the owner as `[admin] handles`.
//!
//! The guard: the secret is written into the private folder, which the web
//! cannot serve, so a stranger who opens the page first cannot take the
//! site. Once the config exists the CGI finds it and this module never runs
//! again (a POST to the old setup address gets the app's 404).

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, Result, bail};
use http::{Method, Request, Response, StatusCode};
use minijinja::{Environment, context};

use crate::config::{Config, is_language_tag, parse_base_url};
use crate::i18n::{I18n, Lang, Messages};
use crate::render::{self, Renderer, atomic};
use crate::store::Store;
use crate::web::forms::{self, CookieJar, Form};

/// The folder next to the docroot where the private data goes.
pub const SIBLING_DIR: &str = "affiche";
/// The fallback: a dot folder inside the docroot (the shipped `.htaccess`
/// answers 404 for every dot path, and this folder gets its own deny-all).
pub const INSIDE_DIR: &str = ".affiche";
/// The setup secret's file, in the private folder.
pub const SECRET_FILE: &str = "setup-secret.txt";
/// The double-submit cookie of the setup form.
const CSRF_COOKIE: &str = "affiche_setup";
/// Offered in the language field; any BCP 47 tag is accepted.
const LANGUAGES: &[&str] = &[
    "en", "fr", "de", "es", "it", "pt", "pt-BR", "nl", "pl", "sv",
];

const SETUP_HTML: &str = include_str!("../../templates/setup.html");
const DONE_HTML: &str = include_str!("../../templates/setup_done.html");

/// What the web server told the CGI about where it runs.
#[derive(Debug, Clone)]
pub struct Place {
    /// The folder holding `affiche.cgi`: the site's docroot.
    pub docroot: PathBuf,
    /// `SCRIPT_NAME`, e.g. `/blog/affiche.cgi`.
    pub script_name: String,
    /// `https://host/blog`, from HTTPS, HTTP_HOST and SCRIPT_NAME.
    pub base_url: String,
    /// Whether the request came over https (the cookie is then Secure).
    pub https: bool,
    /// Whether `../affiche/` may hold private data: it is outside what the
    /// web server serves.
    pub sibling_allowed: bool,
    /// The visitor's language (`Accept-Language`), English by default.
    pub lang: String,
    /// The socket this request came in on (`SERVER_ADDR`, `SERVER_PORT`)
    /// and the address the visitor used (`http(s)://HTTP_HOST`): where to
    /// ask whether the web serves the private folder.
    pub server: Option<(std::net::SocketAddr, String)>,
}

impl Place {
    pub fn detect(env: &[(String, String)], docroot: &Path) -> Place {
        let get = |key: &str| {
            env.iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
                .unwrap_or("")
        };
        let script_name = get("SCRIPT_NAME").to_string();
        let root = script_name
            .rsplit_once('/')
            .map(|(dir, _)| dir.trim_end_matches('/'))
            .unwrap_or("");
        let host = get("HTTP_HOST").trim().to_ascii_lowercase();
        let https = get("HTTPS").eq_ignore_ascii_case("on")
            || get("REQUEST_SCHEME").eq_ignore_ascii_case("https")
            || get("HTTP_X_FORWARDED_PROTO").eq_ignore_ascii_case("https");
        let name = host.rsplit_once(':').map_or(host.as_str(), |(h, _)| h);
        let loopback = matches!(name, "localhost" | "127.0.0.1" | "[::1]");
        // A public host needs https anyway (fediverse servers refuse plain
        // http), and hosts behind a proxy often do not say it was https.
        let scheme = if https || !loopback { "https" } else { "http" };
        let base_url = if host.is_empty() {
            String::new()
        } else {
            format!("{scheme}://{host}{root}")
        };
        let parent = docroot.parent().map(Path::to_path_buf);
        let sibling_allowed = match (parent, get("DOCUMENT_ROOT")) {
            (None, _) => false,
            // Without DOCUMENT_ROOT: only when the script is at the site's root.
            (Some(_), "") => root.is_empty(),
            (Some(parent), served) => {
                let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
                !canon(&parent).starts_with(canon(Path::new(served)))
            }
        };
        Place {
            docroot: docroot.to_path_buf(),
            script_name,
            base_url,
            https,
            sibling_allowed,
            lang: crate::i18n::negotiate(Some(get("HTTP_ACCEPT_LANGUAGE")), "en"),
            server: server_socket(get("SERVER_ADDR"), get("SERVER_PORT"))
                .filter(|_| !host.is_empty())
                .map(|socket| {
                    let scheme = if https { "https" } else { "http" };
                    (socket, format!("{scheme}://{host}"))
                }),
        }
    }

    pub fn sibling(&self) -> PathBuf {
        self.docroot
            .parent()
            .unwrap_or(&self.docroot)
            .join(SIBLING_DIR)
    }

    pub fn inside(&self) -> PathBuf {
        self.docroot.join(INSIDE_DIR)
    }

    /// The private folders to try, best first.
    fn candidates(&self) -> Vec<(PathBuf, bool)> {
        let mut out = Vec::new();
        if self.sibling_allowed {
            out.push((self.sibling(), false));
        }
        out.push((self.inside(), true));
        out
    }

    /// The `docroot` key of a config living in `private`.
    fn docroot_key(&self, inside: bool) -> String {
        if inside {
            return "..".to_string();
        }
        match self.docroot.file_name().and_then(|n| n.to_str()) {
            Some(name) => format!("../{name}"),
            None => self.docroot.display().to_string(),
        }
    }

    /// The words of the setup pages, in the visitor's language.
    fn words(&self) -> Messages {
        Messages::for_tag(Arc::new(I18n::new()), &self.lang, "en")
    }

    fn script_dir(&self) -> &str {
        self.script_name
            .rsplit_once('/')
            .map(|(dir, _)| dir.trim_end_matches('/'))
            .unwrap_or("")
    }
}

/// Answers a request made while no config exists.
pub fn handle(
    env: &[(String, String)],
    request: &Request<Vec<u8>>,
    exe_dir: &Path,
) -> Response<Vec<u8>> {
    let place = Place::detect(env, exe_dir);
    let path = request.uri().path().trim_end_matches('/');
    let outcome = match *request.method() {
        Method::GET | Method::HEAD => show(&place, request),
        Method::POST if path == "/setup" => submit(&place, request),
        _ => Ok(crate::web::text(
            StatusCode::SERVICE_UNAVAILABLE,
            &format!(
                "{}\n",
                place
                    .words()
                    .t_with("setup-not-yet", &[("path", place.script_dir().into())])
            ),
        )),
    };
    outcome.unwrap_or_else(|err| {
        eprintln!("affiche: setup: {err:#}");
        crate::web::text(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("{}\n", place.words().t("setup-internal-error")),
        )
    })
}

/// Finds or makes a writable private folder holding the setup secret.
fn prepare(place: &Place) -> Option<(PathBuf, bool, String)> {
    for (dir, inside) in place.candidates() {
        let made = (|| -> Result<String> {
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            if inside {
                let deny = dir.join(".htaccess");
                if !deny.exists() {
                    atomic::write(&deny, b"Require all denied\n")?;
                }
            }
            read_or_make_secret(&dir.join(SECRET_FILE))
        })();
        match made {
            Ok(secret) => return Some((dir, inside, secret)),
            Err(err) => eprintln!("affiche: setup: {} is not usable: {err:#}", dir.display()),
        }
    }
    None
}

/// The private folder where an earlier GET left the secret, without
/// creating anything.
fn existing(place: &Place) -> Option<(PathBuf, bool, String)> {
    place.candidates().into_iter().find_map(|(dir, inside)| {
        let text = std::fs::read_to_string(dir.join(SECRET_FILE)).ok()?;
        let secret = normalize(&text);
        (!secret.is_empty()).then_some((dir, inside, secret))
    })
}

/// The error to show when the web server hands out the private folder
/// inside the docroot (a host that ignores `.htaccess`): anyone could read
/// the secret there, so it is deleted and the setup refused.
fn exposed(place: &Place, (dir, inside, secret): &(PathBuf, bool, String)) -> Option<String> {
    if !*inside {
        return None;
    }
    let (socket, origin) = place.server.as_ref()?;
    let url = format!("{origin}{}/{INSIDE_DIR}/{SECRET_FILE}", place.script_dir());
    if !serves(*socket, &url, secret) {
        return None;
    }
    let file = dir.join(SECRET_FILE);
    if let Err(err) = std::fs::remove_file(&file) {
        eprintln!("affiche: setup: cannot delete {}: {err}", file.display());
    }
    eprintln!("affiche: setup: refused, {url} can be downloaded");
    Some(place.words().t_with(
        "setup-private-served",
        &[
            ("url", url.into()),
            ("sibling", place.sibling().display().to_string().into()),
        ],
    ))
}

/// `SERVER_ADDR` and `SERVER_PORT` as a socket address (IPv6 in brackets
/// or not).
fn server_socket(addr: &str, port: &str) -> Option<std::net::SocketAddr> {
    let ip: std::net::IpAddr = addr.trim_matches(['[', ']']).parse().ok()?;
    Some(std::net::SocketAddr::new(ip, port.parse().ok()?))
}

/// Whether a GET of `url`, sent to `socket` (this very server, whatever
/// the name resolves to: a forged Host header cannot send the check
/// elsewhere), answers with the secret (`secret` as [`normalize`] makes it). Certificates are not checked: the
/// question is what this server serves, not who it is. Any failure to ask
/// counts as "not served": a host that cannot call itself must still be
/// able to install.
fn serves(socket: std::net::SocketAddr, url: &str, secret: &str) -> bool {
    let tls = ureq::tls::TlsConfig::builder()
        .disable_verification(true)
        .build();
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .https_only(false)
        .proxy(None)
        .tls_config(tls)
        .timeout_global(Some(std::time::Duration::from_secs(5)))
        .build();
    let agent = ureq::Agent::with_parts(
        config,
        ureq::unversioned::transport::DefaultConnector::default(),
        Pinned(socket),
    );
    let Ok(mut response) = agent.get(url).call() else {
        return false;
    };
    response.status() == StatusCode::OK
        && response
            .body_mut()
            .with_config()
            .limit(4096)
            .read_to_string()
            .is_ok_and(|text| normalize(&text) == *secret)
}

/// Resolves every name to one address.
#[derive(Debug)]
struct Pinned(std::net::SocketAddr);

impl ureq::unversioned::resolver::Resolver for Pinned {
    fn resolve(
        &self,
        _uri: &http::Uri,
        _config: &ureq::config::Config,
        _timeout: ureq::unversioned::transport::NextTimeout,
    ) -> Result<ureq::unversioned::resolver::ResolvedSocketAddrs, ureq::Error> {
        let mut addresses = self.empty();
        addresses.push(self.0);
        Ok(addresses)
    }
}

fn read_or_make_secret(path: &Path) -> Result<String> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let fresh = format!("{}-{}", crate::secrets::code()?, crate::secrets::code()?);
    // create_new: two first visitors at once get the same secret.
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o644)
        .open(path)
    {
        Ok(mut file) => {
            file.write_all(format!("{fresh}\n").as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))?;
            file.sync_all()?;
        }
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(err) => return Err(err).with_context(|| format!("cannot write {}", path.display())),
    }
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let secret = normalize(&text);
    if secret.is_empty() {
        bail!("{} is empty: delete it and reload the page", path.display());
    }
    Ok(secret)
}

/// A secret as typed or stored: letters and digits, upper case.
fn normalize(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    // Names ending in .html are escaped automatically.
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    crate::render::templates::add_messages(&mut env, Arc::new(I18n::new()));
    let _ = env.add_template("setup.html", SETUP_HTML);
    let _ = env.add_template("setup_done.html", DONE_HTML);
    env
}

/// Renders a setup page in the visitor's language (`ui_lang`).
fn render(place: &Place, name: &str, ctx: minijinja::Value) -> Result<String> {
    let env = environment();
    let template = env.get_template(name)?;
    let lang = Lang::pick(&[&place.lang]).code();
    Ok(template.render(context! { ui_lang => lang, ..ctx })?)
}

/// The values the form shows.
struct Fields {
    title: String,
    language: String,
    base_url: String,
    handle: String,
}

fn form_page(
    place: &Place,
    status: StatusCode,
    fields: &Fields,
    csrf: &str,
    errors: &[String],
    found: Option<&(PathBuf, bool, String)>,
) -> Result<Response<Vec<u8>>> {
    let (private_dir, inside, secret_file) = match found {
        Some((dir, inside, _)) => (
            Some(dir.display().to_string()),
            *inside,
            dir.join(SECRET_FILE).display().to_string(),
        ),
        None => (None, false, String::new()),
    };
    let body = render(
        place,
        "setup.html",
        context! {
            errors => errors,
            // Errors without a private folder: the folder was found served
            // by the web and given up; the errors say why.
            given_up => found.is_none() && !errors.is_empty(),
            private_dir => private_dir,
            inside => inside,
            secret_file => secret_file,
            secret_file_name => SECRET_FILE,
            sibling_dir => place.sibling().display().to_string(),
            inside_dir => place.inside().display().to_string(),
            action => format!("{}/setup", place.script_name),
            user => running_user(),
            csrf => csrf,
            title => fields.title,
            language => fields.language,
            base_url => fields.base_url,
            handle => fields.handle,
            languages => LANGUAGES,
        },
    )?;
    let mut response = forms::html(status, body);
    let jar = CookieJar::new(place.script_dir(), place.https);
    jar.set(&mut response, CSRF_COOKIE, csrf, 3 * 3600);
    Ok(response)
}

fn csrf_cookie(request: &Request<Vec<u8>>) -> Option<String> {
    forms::cookie(request, CSRF_COOKIE).filter(|v| {
        v.len() >= 32
            && v.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

fn show(place: &Place, request: &Request<Vec<u8>>) -> Result<Response<Vec<u8>>> {
    let csrf = match csrf_cookie(request) {
        Some(token) => token,
        None => crate::secrets::token()?,
    };
    let found = prepare(place);
    // The visitor's language is the likely one for the site.
    let fields = Fields {
        title: place.words().t("setup-default-title"),
        language: Lang::pick(&[&place.lang]).code().to_string(),
        base_url: place.base_url.clone(),
        handle: String::new(),
    };
    if let Some(found) = &found
        && let Some(error) = exposed(place, found)
    {
        return form_page(
            place,
            StatusCode::SERVICE_UNAVAILABLE,
            &fields,
            &csrf,
            &[error],
            None,
        );
    }
    // Without a private folder nothing can be set up until the owner fixes
    // permissions: a page that says how, not a 200 that looks like a form.
    let status = if found.is_some() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    form_page(place, status, &fields, &csrf, &[], found.as_ref())
}

fn refused(place: &Place, status: StatusCode, message: &str) -> Response<Vec<u8>> {
    let words = place.words();
    let title = words.t("setup-refused");
    let body = format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><main><h1>{title}</h1><p id=\"setup-refused\">{}</p><p>{}</p></main></body></html>",
        words.lang().code(),
        minijinja::HtmlEscape(message),
        words.t("nothing-changed"),
    );
    forms::html(status, body)
}

fn submit(place: &Place, request: &Request<Vec<u8>>) -> Result<Response<Vec<u8>>> {
    let form = match Form::parse(request) {
        Ok(form) => form,
        Err(why) => return Ok(refused(place, StatusCode::UNSUPPORTED_MEDIA_TYPE, &why)),
    };
    let sent = form.text("csrf");
    let csrf_ok = csrf_cookie(request)
        .is_some_and(|cookie| crate::secrets::hash(&cookie) == crate::secrets::hash(&sent));
    if !csrf_ok {
        return Ok(refused(
            place,
            StatusCode::FORBIDDEN,
            &place.words().t("setup-csrf"),
        ));
    }
    let Some(found) = existing(place) else {
        return Ok(refused(
            place,
            StatusCode::FORBIDDEN,
            &place.words().t("setup-no-secret"),
        ));
    };
    let fields = Fields {
        title: form.text("title").trim().to_string(),
        language: form.text("language").trim().to_string(),
        base_url: form.text("base_url").trim().to_string(),
        handle: form.text("handle").trim().to_string(),
    };
    let typed = normalize(&form.text("secret"));
    if typed.is_empty() || crate::secrets::hash(&typed) != crate::secrets::hash(&found.2) {
        let file = found.0.join(SECRET_FILE).display().to_string();
        let error = place
            .words()
            .t_with("setup-wrong-secret", &[("file", file.into())]);
        return form_page(
            place,
            StatusCode::FORBIDDEN,
            &fields,
            &sent,
            &[error],
            Some(&found),
        );
    }
    // Checked again here: whoever could download the secret must not be
    // able to use it.
    if let Some(error) = exposed(place, &found) {
        return form_page(
            place,
            StatusCode::SERVICE_UNAVAILABLE,
            &fields,
            &sent,
            &[error],
            None,
        );
    }
    let (private, inside, _) = &found;
    match create(place, private, *inside, &fields, &place.words()) {
        Ok(config_path) => {
            let root = place.script_dir();
            let body = render(
                place,
                "setup_done.html",
                context! {
                    title => fields.title,
                    config_path => config_path.display().to_string(),
                    handle => format!("@{}", crate::import::parse_handle(&fields.handle).unwrap_or_default()),
                    login_url => format!("{root}/login"),
                    home_url => format!("{root}/"),
                },
            )?;
            let mut response = forms::html(StatusCode::OK, body);
            CookieJar::new(root, place.https).clear(&mut response, CSRF_COOKIE);
            Ok(response)
        }
        Err((status, errors)) => form_page(place, status, &fields, &sent, &errors, Some(&found)),
    }
}

/// The config text for these fields, checked as `Config::load` would;
/// the errors are in `words`' language.
pub fn config_text(
    words: &Messages,
    fields_title: &str,
    language: &str,
    base_url: &str,
    handle: &str,
    docroot_key: &str,
    private: &Path,
) -> std::result::Result<(String, Config), Vec<String>> {
    let mut errors = Vec::new();
    if fields_title.is_empty() {
        errors.push(words.t("setup-error-title"));
    }
    if !is_language_tag(language) {
        errors.push(words.t_with("setup-error-language", &[("language", language.into())]));
    }
    let base = match parse_base_url(base_url, false) {
        Ok(url) => url.base,
        Err(why) => {
            errors.push(words.t_with("setup-error-address", &[("why", why.to_string().into())]));
            String::new()
        }
    };
    let handle = match crate::import::parse_handle(handle) {
        Ok(handle) => format!("@{handle}"),
        Err(why) => {
            errors.push(words.t_with("setup-error-handle", &[("why", why.to_string().into())]));
            String::new()
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let quote = |s: &str| toml::Value::String(s.to_string()).to_string();
    let mut text = Config::template(fields_title, &base, docroot_key).replacen(
        "\nlanguage = \"en\"\n",
        &format!("\nlanguage = {}\n", quote(language)),
        1,
    );
    // The last `handles = []` is the [admin] table's.
    let Some(at) = text.rfind("handles = []") else {
        return Err(vec![
            "internal: the config template has no [admin] handles".into(),
        ]);
    };
    text.replace_range(
        at..at + "handles = []".len(),
        &format!("handles = [{}]", quote(&handle)),
    );
    match Config::parse(&text, "the setup form", private) {
        Ok(config) => Ok((text, config)),
        Err(err) => Err(vec![format!("{err:#}")]),
    }
}

/// Who the web server runs this program as, for advice about permissions:
/// `name (uid N)`, or `uid N` when /etc/passwd does not say.
fn running_user() -> String {
    let uid = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("Uid:"))
                .and_then(|ids| ids.split_whitespace().nth(1).map(str::to_string))
        });
    let Some(uid) = uid else {
        return "?".to_string();
    };
    let name = std::fs::read_to_string("/etc/passwd")
        .ok()
        .and_then(|passwd| {
            passwd.lines().find_map(|line| {
                let mut fields = line.split(':');
                let name = fields.next()?;
                (fields.nth(1)? == uid).then(|| name.to_string())
            })
        });
    match name {
        Some(name) => format!("{name} (uid {uid})"),
        None => format!("uid {uid}"),
    }
}

/// Every path under `root`, links not followed: what existed before a
/// setup attempt, so that a failed one can take back what it made.
fn paths_under(root: &Path) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(path.clone());
            }
            out.insert(path);
        }
    }
    out
}

/// Removes every path under `root` that is not in `before`. A half-made
/// site must not stay: an `index.html` left in the docroot would hide the
/// setup page (the `.htaccess` serves it first) behind a site that has no
/// config.
fn undo(root: &Path, before: &BTreeSet<PathBuf>) {
    let made: Vec<PathBuf> = paths_under(root).difference(before).cloned().collect();
    // Sorted paths list a folder before its contents: reversed, contents first.
    for path in made.iter().rev() {
        let is_dir = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir());
        let removed = if is_dir {
            std::fs::remove_dir(path)
        } else {
            std::fs::remove_file(path)
        };
        if let Err(err) = removed {
            eprintln!(
                "affiche: setup: cannot remove {} after the failure: {err}",
                path.display()
            );
        }
    }
}

/// Held while one request creates the site: a second submit (a double
/// click) is refused instead of racing the first, whose files its clean-up
/// would remove. A lock left by a killed request expires.
struct SetupLock(PathBuf);

/// The lock's file, in the private folder (a dot file: never served).
pub const LOCK_FILE: &str = ".setup.lock";
/// Far longer than a setup takes (an empty site renders in a second) or
/// than hosts let a CGI request run.
const LOCK_STALE: std::time::Duration = std::time::Duration::from_secs(600);

impl SetupLock {
    /// The lock, or `None` while another request holds it.
    fn take(private: &Path) -> Result<Option<SetupLock>> {
        let path = private.join(LOCK_FILE);
        for _ in 0..3 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(_) => return Ok(Some(SetupLock(path))),
                Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
                    let age = std::fs::metadata(&path)
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|at| at.elapsed().ok());
                    // Gone meanwhile (no age) or stale: try again.
                    if age.is_some_and(|age| age < LOCK_STALE) {
                        return Ok(None);
                    }
                    let _ = std::fs::remove_file(&path);
                }
                Err(err) => {
                    return Err(err).with_context(|| {
                        format!("cannot write into the private folder {}", private.display())
                    });
                }
            }
        }
        Ok(None)
    }
}

impl Drop for SetupLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The errors shown when the site could not be created.
fn failure(words: &Messages, err: &anyhow::Error) -> (StatusCode, Vec<String>) {
    eprintln!("affiche: setup: {err:#}");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        vec![words.t_with(
            "setup-create-failed",
            &[
                ("reason", format!("{err:#}").into()),
                ("user", running_user().into()),
            ],
        )],
    )
}

/// Creates the site. The config is written first under a temporary name
/// (a private folder that takes no file fails before anything is made) and
/// renamed last: until then the CGI finds no config and the setup page
/// stays. On failure everything this attempt made is removed again.
/// Returns the config's path, or the status and errors to show.
fn create(
    place: &Place,
    private: &Path,
    inside: bool,
    fields: &Fields,
    words: &Messages,
) -> std::result::Result<PathBuf, (StatusCode, Vec<String>)> {
    let (text, config) = config_text(
        words,
        &fields.title,
        &fields.language,
        &fields.base_url,
        &fields.handle,
        &place.docroot_key(inside),
        private,
    )
    .map_err(|errors| (StatusCode::UNPROCESSABLE_ENTITY, errors))?;
    let _lock = match SetupLock::take(private) {
        Ok(Some(lock)) => lock,
        Ok(None) => return Err((StatusCode::CONFLICT, vec![words.t("setup-busy")])),
        Err(err) => return Err(failure(words, &err)),
    };
    let config_path = private.join("affiche.toml");
    // Ends in .tmp and starts with a dot: the .htaccess serves neither.
    let pending = private.join(".affiche.toml.setup.tmp");
    let docroot = config.docroot_path();
    // The private folder inside the docroot is walked with it.
    let mut roots = vec![docroot.clone()];
    if !private.starts_with(&docroot) {
        roots.push(private.to_path_buf());
    }
    // What existed before this attempt: a failure removes everything else
    // under these folders.
    let before: Vec<BTreeSet<PathBuf>> = roots.iter().map(|root| paths_under(root)).collect();
    let written = (|| -> Result<()> {
        if config_path.exists() {
            bail!("{} already exists", config_path.display());
        }
        {
            let mut file = std::fs::File::create(&pending).with_context(|| {
                format!(
                    "cannot write the config into the private folder {}",
                    private.display()
                )
            })?;
            file.write_all(text.as_bytes())
                .and_then(|()| file.sync_all())
                .with_context(|| format!("cannot write {}", pending.display()))?;
        }
        atomic::check_writable(&docroot)?;
        let store = Store::open(&config.database_path(), true)?;
        store.set_site_key_once(&crate::keys::generate(jiff::Timestamp::now().as_second())?)?;
        drop(store);
        let htaccess = docroot.join(".htaccess");
        if !htaccess.exists() {
            atomic::write(&htaccess, crate::cli::HTACCESS.as_bytes())?;
        }
        let renderer = Renderer::new(&config)?;
        render::rebuild(&config, &renderer, crate::parallel::cores(), false)?;
        std::fs::rename(&pending, &config_path).with_context(|| {
            format!(
                "cannot rename {} to {}",
                pending.display(),
                config_path.display()
            )
        })?;
        Ok(())
    })();
    match written {
        Ok(()) => {
            // Under the lock still: a submit arriving next finds no secret.
            let _ = std::fs::remove_file(private.join(SECRET_FILE));
            Ok(config_path)
        }
        Err(err) => {
            let failed = failure(words, &err);
            for (root, before) in roots.iter().zip(&before) {
                undo(root, before);
            }
            let _ = std::fs::remove_file(&pending);
            Err(failed)
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// A one-request server answering `status` and `body`.
    fn answer_once(status: u16, body: &'static str) -> std::net::SocketAddr {
        let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
        let address = server.server_addr().to_ip().unwrap();
        std::thread::spawn(move || {
            if let Ok(request) = server.recv() {
                let _ = request
                    .respond(tiny_http::Response::from_string(body).with_status_code(status));
            }
        });
        address
    }

    #[test]
    fn the_check_asks_this_server_whatever_the_host_name_says() {
        let secret = &normalize("ABCD-EFGH-JKLM-NPQR");
        // The name does not resolve: the request goes to the socket anyway.
        let url = "http://forged.invalid/.affiche/setup-secret.txt";
        assert!(serves(
            answer_once(200, "ABCD-EFGH-JKLM-NPQR\n"),
            url,
            secret
        ));
        assert!(!serves(
            answer_once(404, "ABCD-EFGH-JKLM-NPQR"),
            url,
            secret
        ));
        assert!(!serves(
            answer_once(200, "<html>a page</html>"),
            url,
            secret
        ));
        let closed = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        assert!(!serves(closed, url, secret));
        assert_eq!(
            server_socket("::1", "8443"),
            Some("[::1]:8443".parse().unwrap())
        );
        assert_eq!(server_socket("example.org", "80"), None);
        assert_eq!(server_socket("127.0.0.1", "http"), None);
    }

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_base_url_comes_from_the_request() {
        let dir = tempfile::tempdir().unwrap();
        let docroot = dir.path().join("public_html");
        let place = Place::detect(
            &env(&[
                ("HTTP_HOST", "Example.org"),
                ("SCRIPT_NAME", "/blog/affiche.cgi"),
                ("DOCUMENT_ROOT", dir.path().to_str().unwrap()),
            ]),
            &docroot.join("blog"),
        );
        assert_eq!(place.base_url, "https://example.org/blog");
        // ../affiche would be served: the data goes inside, in a dot folder.
        assert!(!place.sibling_allowed);
        let place = Place::detect(
            &env(&[
                ("HTTP_HOST", "127.0.0.1:8080"),
                ("SCRIPT_NAME", "/affiche.cgi"),
                ("DOCUMENT_ROOT", docroot.to_str().unwrap()),
            ]),
            &docroot,
        );
        assert_eq!(place.base_url, "http://127.0.0.1:8080");
        assert!(place.sibling_allowed);
        assert_eq!(place.docroot_key(false), "../public_html");
    }

    #[test]
    fn the_config_has_the_owner_as_admin_and_refuses_bad_fields() {
        let dir = tempfile::tempdir().unwrap();
        let words = Messages::for_tag(Arc::new(I18n::new()), "en", "en");
        let (text, config) = config_text(
            &words,
            "Mon site",
            "fr",
            "https://example.org/blog/",
            "owner@example.social",
            "../public_html",
            dir.path(),
        )
        .unwrap();
        assert!(
            text.contains("handles = [\"@owner@example.social\"]"),
            "{text}"
        );
        assert_eq!(config.language, "fr");
        assert_eq!(config.base_url, "https://example.org/blog");
        assert!(config.admin.is_admin("@owner@example.social"));
        assert!(config.authors.handles.is_empty());
        let errors = config_text(
            &words,
            "",
            "français",
            "http://example.org",
            "nobody",
            "..",
            dir.path(),
        )
        .unwrap_err();
        assert_eq!(errors.len(), 4, "{errors:?}");
    }

    #[test]
    fn secrets_are_compared_as_typed() {
        assert_eq!(normalize("abcd-efgh jkmn-PQRS\n"), "ABCDEFGHJKMNPQRS");
    }
}
