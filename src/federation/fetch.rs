//! Remote fetches (actors, objects, WebFinger) under a URL policy.
//!
//! Everything we GET from the fediverse goes through a [`Fetcher`]: a URL is
//! fetched only if [`UrlPolicy`] accepts it (https, a public host) and only
//! from addresses the policy vetted, with timeouts, a body cap and a limit on
//! the number of fetches per run. An ActivityPub document is returned only if
//! its `Content-Type` is ActivityStreams and its `id` is the URL it came from
//! (FEDERATION.md §2, §9): anything else lets one server pass off documents
//! as another's.
//!
//! The address check and the connection use the same DNS answer: ureq asks
//! our [`ureq::unversioned::resolver::Resolver`] for addresses, which resolves,
//! refuses the whole host if any address is not public, and hands ureq only
//! the vetted addresses. A host cannot answer "public" to the check and
//! "loopback" to the connect (DNS rebinding).

use std::fmt;
use std::io::{self, Read as _};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs as _};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;
use ureq::http::{HeaderName, HeaderValue, Uri};
use ureq::unversioned::resolver::{ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

use crate::config::Config;

/// What we accept for ActivityPub documents (ActivityPub §3.2).
pub const ACTIVITY_ACCEPT: &str = "application/activity+json, application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"";
/// What Mastodon sends for WebFinger, so picky servers answer us as they answer it.
pub const WEBFINGER_ACCEPT: &str = "application/jrd+json, application/json";
/// Mastodon refuses bodies over 1 MB; nothing legitimate we fetch is larger.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 1024 * 1024;
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
pub const DEFAULT_TOTAL_TIMEOUT: Duration = Duration::from_secs(10);
pub const DEFAULT_MAX_REDIRECTS: u32 = 3;
/// One inbox delivery or admin action may fetch an actor, its key, a replied-to
/// object...; twenty is plenty, and it stops a chain of objects pointing at
/// each other from keeping a CGI run busy.
pub const DEFAULT_MAX_FETCHES: u32 = 20;

const AS_PROFILE: &str = "https://www.w3.org/ns/activitystreams";
/// Longer URLs are refused before parsing; no actor id needs this much.
const MAX_URL_LEN: usize = 4096;
const MAX_HANDLE_LEN: usize = 512;
/// Error messages quote remote input; keep log lines readable.
const MAX_QUOTED_LEN: usize = 200;
/// Names that resolve to the local machine or a private network whatever
/// public DNS says (or never reach public DNS at all).
const LOCAL_NAME_SUFFIXES: [&str; 6] = [
    "localhost",
    "localdomain",
    "local",
    "internal",
    "home.arpa",
    "onion",
];

// ---------------------------------------------------------------------------
// Errors

/// A failed fetch: what was fetched and why it failed, in words fit for the
/// log and the admin's "last errors".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchError {
    target: String,
    kind: FetchErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchErrorKind {
    /// Not a URL we can fetch at all (syntax, scheme, userinfo, port).
    BadUrl(String),
    /// A well-formed URL whose host is not public.
    Refused(String),
    BadHandle(String),
    TooManyFetches(u32),
    TooManyRedirects(u32),
    Timeout,
    Network(String),
    /// Any answer other than 200 (or a redirect we follow).
    Status(u16),
    /// Not an ActivityStreams content type; holds what was received.
    ContentType(String),
    TooLarge(u64),
    /// Not JSON, not an object, or no usable `id`.
    BadDocument(String),
    /// The document's `id` is not the URL it was fetched from.
    IdMismatch(String),
    NoActorLink,
    Signing(String),
}

impl FetchError {
    fn new(target: &str, kind: FetchErrorKind) -> FetchError {
        FetchError {
            target: target.to_string(),
            kind,
        }
    }

    /// The URL or handle that was being fetched.
    pub fn target(&self) -> &str {
        &self.target
    }

    pub fn kind(&self) -> &FetchErrorKind {
        &self.kind
    }
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", quoted(&self.target), self.kind)
    }
}

impl std::error::Error for FetchError {}

impl fmt::Display for FetchErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchErrorKind::BadUrl(why) => write!(f, "not a URL we fetch: {why}"),
            FetchErrorKind::Refused(why) => write!(f, "refused: {why}"),
            FetchErrorKind::BadHandle(why) => write!(f, "not a handle: {why}"),
            FetchErrorKind::TooManyFetches(limit) => {
                write!(f, "more than {limit} remote fetches in one run")
            }
            FetchErrorKind::TooManyRedirects(limit) => write!(f, "more than {limit} redirects"),
            FetchErrorKind::Timeout => write!(f, "timed out"),
            FetchErrorKind::Network(why) => write!(f, "network error: {why}"),
            FetchErrorKind::Status(status) => {
                let reason = ureq::http::StatusCode::from_u16(*status)
                    .ok()
                    .and_then(|code| code.canonical_reason())
                    .unwrap_or("");
                if reason.is_empty() {
                    write!(f, "the server answered {status}")
                } else {
                    write!(f, "the server answered {status} {reason}")
                }
            }
            FetchErrorKind::ContentType(got) => write!(
                f,
                "expected an ActivityStreams content type, got {}",
                quoted(got)
            ),
            FetchErrorKind::TooLarge(limit) => {
                write!(f, "the response is larger than {limit} bytes")
            }
            FetchErrorKind::BadDocument(why) => write!(f, "unusable document: {why}"),
            FetchErrorKind::IdMismatch(id) => write!(
                f,
                "the document's id {} is not the URL it was fetched from",
                quoted(id)
            ),
            FetchErrorKind::NoActorLink => write!(
                f,
                "the WebFinger answer has no 'self' link of ActivityStreams type"
            ),
            FetchErrorKind::Signing(why) => write!(f, "could not sign the request: {why}"),
        }
    }
}

/// Remote text in quotes, cut short: it may be anything, of any length.
fn quoted(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars
        .by_ref()
        .take(MAX_QUOTED_LEN)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if chars.next().is_some() {
        format!("'{head}...'")
    } else {
        format!("'{head}'")
    }
}

// ---------------------------------------------------------------------------
// URL policy

/// Which URLs may be fetched: https to public hosts, and nothing else unless
/// the configuration's `federation.allow_private_addresses_for_testing` is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UrlPolicy {
    /// DANGER: lets requests reach loopback and private networks, over plain
    /// http and on any port. A site with this on can be made to probe the
    /// host's own network. Only the test suite turns it on.
    allow_private_addresses_for_testing: bool,
}

impl UrlPolicy {
    /// The production policy: https, default port, public addresses only.
    pub const fn public_https_only() -> UrlPolicy {
        UrlPolicy {
            allow_private_addresses_for_testing: false,
        }
    }

    /// DANGER, tests only: plain http, any port, loopback and private
    /// addresses, `localhost`. Never for a public site.
    pub const fn dangerously_allowing_private_addresses_for_testing() -> UrlPolicy {
        UrlPolicy {
            allow_private_addresses_for_testing: true,
        }
    }

    /// The policy the site's configuration asks for.
    pub fn from_config(config: &Config) -> UrlPolicy {
        if config.federation.allow_private_addresses_for_testing {
            UrlPolicy::dangerously_allowing_private_addresses_for_testing()
        } else {
            UrlPolicy::public_https_only()
        }
    }

    pub fn allows_private_addresses_for_testing(&self) -> bool {
        self.allow_private_addresses_for_testing
    }

    /// Checks what can be checked without DNS: scheme, userinfo, host, port,
    /// local names and literal addresses. Returns the URL normalized (host in
    /// lower case without a trailing dot, default port and fragment dropped),
    /// which is what gets requested and compared with document ids.
    pub fn check_url(&self, url: &str) -> Result<CheckedUrl, FetchError> {
        let bad = |why: &str| FetchError::new(url, FetchErrorKind::BadUrl(why.to_string()));
        if url.len() > MAX_URL_LEN {
            return Err(bad("longer than 4096 bytes"));
        }
        if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad("contains spaces or control characters"));
        }
        let uri: Uri = url.parse().map_err(|_| bad("does not parse"))?;
        let scheme = match uri.scheme_str().map(str::to_ascii_lowercase).as_deref() {
            Some("https") => Scheme::Https,
            Some("http") if self.allow_private_addresses_for_testing => Scheme::Http,
            Some("http") => return Err(bad("plain http; only https is fetched")),
            Some(other) => return Err(bad(&format!("scheme {}; only https", quoted(other)))),
            None => return Err(bad("not an absolute URL")),
        };
        let authority = uri.authority().ok_or_else(|| bad("no host"))?;
        // Credentials in a URL are never ours to send, and `a@b` tricks
        // readers into seeing the wrong host.
        if authority.as_str().contains('@') {
            return Err(bad("user name or password in the URL"));
        }
        let host = Host::parse(authority.host()).map_err(|why| bad(&why))?;
        // Read the port ourselves: `Authority::port` hides one that does
        // not fit in 16 bits, which would then silently become the default.
        let port_text = authority
            .as_str()
            .strip_prefix(authority.host())
            .ok_or_else(|| bad("unreadable host"))?;
        let port = match port_text.strip_prefix(':') {
            None if port_text.is_empty() => scheme.default_port(),
            Some("") => scheme.default_port(),
            Some(digits) if digits.bytes().all(|b| b.is_ascii_digit()) => digits
                .parse::<u16>()
                .ok()
                .filter(|port| *port != 0)
                .ok_or_else(|| bad("bad port"))?,
            _ => return Err(bad("bad port")),
        };
        // LEMMY refuses explicit ports: a public host's other ports are
        // often services that were never meant to face the internet.
        if port != scheme.default_port() && !self.allow_private_addresses_for_testing {
            return Err(bad(&format!("port {port}; only the default port")));
        }
        self.check_host(&host)
            .map_err(|why| FetchError::new(url, FetchErrorKind::Refused(why)))?;
        let path_and_query = match uri.path_and_query().map(|p| p.as_str()) {
            None | Some("") => "/".to_string(),
            Some(p) if p.starts_with('?') => format!("/{p}"),
            Some(p) => p.to_string(),
        };
        Ok(CheckedUrl::new(scheme, host, port, path_and_query))
    }

    /// Where a redirect from `from` to `location` (absolute, `//host/...`,
    /// `/path` or `path`) leads, checked like any other URL: a public server must
    /// not be able to bounce us to a private one.
    pub fn check_redirect(
        &self,
        from: &CheckedUrl,
        location: &str,
    ) -> Result<CheckedUrl, FetchError> {
        let target = if has_scheme(location) {
            location.to_string()
        } else if let Some(rest) = location.strip_prefix("//") {
            format!("{}://{rest}", from.scheme.as_str())
        } else if location.starts_with('/') {
            format!("{}{location}", from.origin())
        } else {
            // A bare relative reference: resolve against the current folder.
            let path = from.path_and_query.split('?').next().unwrap_or("/");
            let folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
            format!("{}{folder}/{location}", from.origin())
        };
        self.check_url(&target)
    }

    /// Resolves the URL's host and vets every address. Refuses the host if
    /// any address is not public: an attacker's name may mix a public
    /// address with a private one and hope we try the second.
    pub fn resolve(&self, url: &CheckedUrl) -> Result<Vec<SocketAddr>, FetchError> {
        let addresses: Vec<SocketAddr> = match &url.host {
            Host::Ip(ip) => vec![SocketAddr::new(*ip, url.port)],
            Host::Name(name) => (name.as_str(), url.port)
                .to_socket_addrs()
                .map_err(|e| {
                    FetchError::new(
                        url.as_str(),
                        FetchErrorKind::Network(format!("cannot resolve {name}: {e}")),
                    )
                })?
                .collect(),
        };
        self.vet_addresses(url, addresses)
    }

    /// All of a host's addresses, or a refusal naming the first bad one.
    fn vet_addresses(
        &self,
        url: &CheckedUrl,
        addresses: Vec<SocketAddr>,
    ) -> Result<Vec<SocketAddr>, FetchError> {
        if addresses.is_empty() {
            return Err(FetchError::new(
                url.as_str(),
                FetchErrorKind::Network(format!("{} has no address", url.host)),
            ));
        }
        for address in &addresses {
            self.check_address(address.ip()).map_err(|why| {
                FetchError::new(
                    url.as_str(),
                    FetchErrorKind::Refused(format!("{} resolves to {why}", url.host)),
                )
            })?;
        }
        Ok(addresses)
    }

    /// Whether an address may be connected to; the error names its kind.
    pub fn check_address(&self, ip: IpAddr) -> Result<(), String> {
        if self.allow_private_addresses_for_testing {
            return Ok(());
        }
        match non_public_reason(ip) {
            None => Ok(()),
            Some(reason) => Err(format!("{ip}, {reason}")),
        }
    }

    fn check_host(&self, host: &Host) -> Result<(), String> {
        if self.allow_private_addresses_for_testing {
            return Ok(());
        }
        match host {
            Host::Ip(ip) => self.check_address(*ip),
            Host::Name(name) => {
                if !name.contains('.') {
                    return Err(format!("{name} is not a public host name (no dot)"));
                }
                let local = LOCAL_NAME_SUFFIXES.iter().any(|suffix| {
                    name == suffix
                        || name
                            .strip_suffix(suffix)
                            .is_some_and(|rest| rest.ends_with('.'))
                });
                if local {
                    return Err(format!("{name} is a local name"));
                }
                Ok(())
            }
        }
    }
}

/// Whether a URL reference starts with a scheme (`https:`, `ftp:`...),
/// as opposed to a path that may hold a colon further on.
fn has_scheme(reference: &str) -> bool {
    reference.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    })
}

/// Why an address is not on the public internet, or `None` if it is.
pub fn non_public_reason(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => v4_reason(v4),
        IpAddr::V6(v6) => v6_reason(v6),
    }
}

fn v4_reason(ip: Ipv4Addr) -> Option<&'static str> {
    match ip.octets() {
        [0, ..] => Some("an unspecified address (0.0.0.0/8)"),
        [127, ..] => Some("a loopback address"),
        [10, ..] => Some("a private address (10.0.0.0/8)"),
        [172, b, ..] if (16..=31).contains(&b) => Some("a private address (172.16.0.0/12)"),
        [192, 168, ..] => Some("a private address (192.168.0.0/16)"),
        [169, 254, ..] => Some("a link-local address"),
        [100, b, ..] if (64..=127).contains(&b) => Some("a carrier-grade NAT address"),
        [192, 0, 0, _] => Some("an IETF protocol address (192.0.0.0/24)"),
        [192, 0, 2, _] | [198, 51, 100, _] | [203, 0, 113, _] => Some("a documentation address"),
        [198, 18 | 19, ..] => Some("a benchmarking address"),
        [255, 255, 255, 255] => Some("the broadcast address"),
        [224..=239, ..] => Some("a multicast address"),
        [240..=255, ..] => Some("a reserved address (240.0.0.0/4)"),
        _ => None,
    }
}

fn v6_reason(ip: Ipv6Addr) -> Option<&'static str> {
    // Forms that stand for an IPv4 address are judged by that address.
    if let Some(v4) = ip.to_ipv4_mapped() {
        return v4_reason(v4);
    }
    let s = ip.segments();
    let embedded = |high: u16, low: u16| {
        let [a, b] = high.to_be_bytes();
        let [c, d] = low.to_be_bytes();
        Ipv4Addr::new(a, b, c, d)
    };
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        // NAT64: 64:ff9b::7f00:1 reaches 127.0.0.1 on a NAT64 network.
        return v4_reason(embedded(s[6], s[7]));
    }
    if s[0] == 0x2002 {
        // 6to4: the IPv4 address is in the next 32 bits.
        return v4_reason(embedded(s[1], s[2]));
    }
    if ip.is_unspecified() {
        return Some("the unspecified address");
    }
    if ip.is_loopback() {
        return Some("a loopback address");
    }
    match s[0] {
        x if x & 0xfe00 == 0xfc00 => return Some("a unique-local address (fc00::/7)"),
        x if x & 0xffc0 == 0xfe80 => return Some("a link-local address (fe80::/10)"),
        x if x & 0xffc0 == 0xfec0 => return Some("a site-local address (fec0::/10)"),
        x if x & 0xff00 == 0xff00 => return Some("a multicast address"),
        _ => {}
    }
    if (s[0] == 0x2001 && s[1] == 0x0db8) || s[0] & 0xfff0 == 0x3ff0 {
        return Some("a documentation address");
    }
    if s[0] == 0x2001 && s[1] < 0x0200 {
        // Teredo, benchmarking, ORCHID...: nothing we fetch lives there.
        return Some("an IETF protocol address (2001::/23)");
    }
    // Only 2000::/3 is global unicast; the rest (NAT64 local use, the
    // discard prefix, IPv4-compatible addresses...) is not the internet.
    if s[0] & 0xe000 != 0x2000 {
        return Some("not a global unicast address");
    }
    None
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    Https,
    Http,
}

impl Scheme {
    fn as_str(self) -> &'static str {
        match self {
            Scheme::Https => "https",
            Scheme::Http => "http",
        }
    }

    fn default_port(self) -> u16 {
        match self {
            Scheme::Https => 443,
            Scheme::Http => 80,
        }
    }
}

/// A host as written in a URL or handle, normalized.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Host {
    /// Lower case, no trailing dot.
    Name(String),
    Ip(IpAddr),
}

impl Host {
    /// Syntax only; whether the host may be reached is the policy's call.
    fn parse(text: &str) -> Result<Host, String> {
        if let Some(inner) = text.strip_prefix('[') {
            let inner = inner.strip_suffix(']').ok_or("unclosed [ in the host")?;
            return inner
                .parse::<Ipv6Addr>()
                .map(|ip| Host::Ip(IpAddr::V6(ip)))
                .map_err(|_| format!("{} is not an IPv6 address", quoted(inner)));
        }
        let name = text.strip_suffix('.').unwrap_or(text).to_ascii_lowercase();
        if name.is_empty() {
            return Err("no host".into());
        }
        if name.len() > 253 {
            return Err("host name longer than 253 bytes".into());
        }
        if let Ok(ip) = name.parse::<Ipv4Addr>() {
            return Ok(Host::Ip(IpAddr::V4(ip)));
        }
        for label in name.split('.') {
            let fine = !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if !fine {
                return Err(format!("{} is not a host name", quoted(text)));
            }
        }
        // `2130706433`, `0x7f.1` or `127.1` are IPv4 addresses to the system
        // resolver; no real top-level domain is numeric, so refuse them rather
        // than guess what the resolver makes of them.
        let last = name.rsplit('.').next().unwrap_or("");
        if last.bytes().all(|b| b.is_ascii_digit()) || last.starts_with("0x") {
            return Err(format!(
                "{} is a numeric host but not a plain IPv4 address",
                quoted(text)
            ));
        }
        Ok(Host::Name(name))
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Name(name) => f.write_str(name),
            Host::Ip(IpAddr::V4(ip)) => write!(f, "{ip}"),
            Host::Ip(IpAddr::V6(ip)) => write!(f, "[{ip}]"),
        }
    }
}

/// A URL the policy accepted, normalized; `as_str` is what gets requested.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedUrl {
    scheme: Scheme,
    host: Host,
    port: u16,
    path_and_query: String,
    text: String,
}

impl CheckedUrl {
    fn new(scheme: Scheme, host: Host, port: u16, path_and_query: String) -> CheckedUrl {
        let mut url = CheckedUrl {
            scheme,
            host,
            port,
            path_and_query,
            text: String::new(),
        };
        url.text = format!("{}{}", url.origin(), url.path_and_query);
        url
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The host as written in the URL: lower case, IPv6 in brackets.
    pub fn host(&self) -> String {
        self.host.to_string()
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `scheme://host[:port]`, the port only when not the default.
    pub fn origin(&self) -> String {
        if self.port == self.scheme.default_port() {
            format!("{}://{}", self.scheme.as_str(), self.host)
        } else {
            format!("{}://{}:{}", self.scheme.as_str(), self.host, self.port)
        }
    }

    fn same_origin(&self, other: &CheckedUrl) -> bool {
        self.scheme == other.scheme && self.host == other.host && self.port == other.port
    }
}

impl fmt::Display for CheckedUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Whether a `Content-Type` (or a WebFinger link `type`) names an
/// ActivityStreams document: `application/activity+json`, or
/// `application/ld+json` with the ActivityStreams profile. Case and other
/// parameters are tolerated.
pub fn is_activity_streams_type(content_type: &str) -> bool {
    let mut parts = content_type.split(';');
    let essence = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    match essence.as_str() {
        "application/activity+json" => true,
        "application/ld+json" => parts.any(|parameter| {
            let Some((name, value)) = parameter.split_once('=') else {
                return false;
            };
            let value = value.trim();
            let value = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(value);
            // A profile parameter may list several profiles.
            name.trim().eq_ignore_ascii_case("profile")
                && value
                    .split_whitespace()
                    .any(|profile| profile.eq_ignore_ascii_case(AS_PROFILE))
        }),
        _ => false,
    }
}

// ---------------------------------------------------------------------------
// Handles

/// Someone to look up: an account `user@host`, or a profile page's URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Handle {
    /// `host` may carry a `:port` (refused later by the production policy).
    Account {
        user: String,
        host: String,
    },
    ProfileUrl(String),
}

impl Handle {
    /// Reads `@user@host`, `user@host`, `acct:user@host` or a profile URL
    /// `https://host/@user`. Never panics, whatever the input.
    pub fn parse(input: &str) -> Result<Handle, FetchError> {
        let bad = |why: &str| FetchError::new(input, FetchErrorKind::BadHandle(why.to_string()));
        let text = input.trim();
        if text.is_empty() {
            return Err(bad("empty"));
        }
        if text.len() > MAX_HANDLE_LEN {
            return Err(bad("longer than 512 bytes"));
        }
        if starts_with_ignore_case(text, "https://") || starts_with_ignore_case(text, "http://") {
            return Ok(Handle::ProfileUrl(text.to_string()));
        }
        let text = if starts_with_ignore_case(text, "acct:") {
            text.get("acct:".len()..).unwrap_or("")
        } else {
            text
        };
        let text = text.strip_prefix('@').unwrap_or(text);
        let (user, host) = text
            .split_once('@')
            .ok_or_else(|| bad("expected user@host"))?;
        // Unreserved URL characters only: the user goes into the WebFinger
        // query unencoded, as Mastodon sends it.
        let user_ok = !user.is_empty()
            && user.len() <= 128
            && user
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'~'));
        if !user_ok {
            return Err(bad(
                "the user name may hold only letters, digits and _ - . ~",
            ));
        }
        let (host, port) = split_port(host).map_err(|why| bad(&why))?;
        let host = Host::parse(host).map_err(|why| bad(&why))?;
        let host = match port {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        };
        Ok(Handle::Account {
            user: user.to_string(),
            host,
        })
    }
}

impl fmt::Display for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Handle::Account { user, host } => write!(f, "{user}@{host}"),
            Handle::ProfileUrl(url) => f.write_str(url),
        }
    }
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// `host`, `host:port`, `[v6]` or `[v6]:port`.
fn split_port(text: &str) -> Result<(&str, Option<u16>), String> {
    let (host, port) = if text.starts_with('[') {
        match text.split_once(']') {
            Some((_, "")) => (text, None),
            Some((v6, rest)) => {
                let port = rest.strip_prefix(':').ok_or("junk after ]")?;
                (text.get(..v6.len() + 1).unwrap_or(text), Some(port))
            }
            None => return Err("unclosed [ in the host".into()),
        }
    } else {
        match text.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (text, None),
        }
    };
    let port = match port {
        None => None,
        Some(port) => Some(
            port.parse::<u16>()
                .ok()
                .filter(|p| *p != 0 && port.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| format!("bad port {}", quoted(port)))?,
        ),
    };
    Ok((host, port))
}

// ---------------------------------------------------------------------------
// Signing hook

/// Adds headers to a request before it is sent; HTTP signatures (Mastodon's
/// authorized fetch) plug in here. Called once per request actually sent,
/// redirects included, with the URL of that request. The headers returned
/// are sent as they are: a signature covering `host` should sign the URL's
/// host (with `:port` when not the default), which is what we send.
pub trait SignRequest {
    fn sign(&self, method: &str, url: &str) -> anyhow::Result<Vec<(String, String)>>;
}

/// No signature: for public documents and WebFinger.
#[derive(Debug, Clone, Copy, Default)]
pub struct Unsigned;

impl SignRequest for Unsigned {
    fn sign(&self, _method: &str, _url: &str) -> anyhow::Result<Vec<(String, String)>> {
        Ok(Vec::new())
    }
}

impl<F> SignRequest for F
where
    F: Fn(&str, &str) -> anyhow::Result<Vec<(String, String)>>,
{
    fn sign(&self, method: &str, url: &str) -> anyhow::Result<Vec<(String, String)>> {
        self(method, url)
    }
}

// ---------------------------------------------------------------------------
// Fetcher

/// `Affiche/<version> (+<site url>)`: tells remote admins who is fetching
/// and where to look.
pub fn user_agent(site_url: &str) -> String {
    format!("Affiche/{} (+{site_url})", crate::VERSION)
}

/// How a [`Fetcher`] behaves; [`FetchOptions::new`] gives the defaults.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    pub user_agent: String,
    pub policy: UrlPolicy,
    pub connect_timeout: Duration,
    /// Bounds one `fetch_object` or `webfinger` call, redirects and the
    /// refetch by id included.
    pub total_timeout: Duration,
    pub max_body_bytes: u64,
    pub max_redirects: u32,
    /// Requests sent over the fetcher's life, redirects included.
    pub max_fetches: u32,
    /// Domains never fetched from (the site's `blocked_domains`), redirects
    /// included: a blocked server learns nothing from us.
    pub blocked_domains: Vec<String>,
}

impl FetchOptions {
    pub fn new(user_agent: String, policy: UrlPolicy) -> FetchOptions {
        FetchOptions {
            user_agent,
            policy,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            total_timeout: DEFAULT_TOTAL_TIMEOUT,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            max_redirects: DEFAULT_MAX_REDIRECTS,
            max_fetches: DEFAULT_MAX_FETCHES,
            blocked_domains: Vec::new(),
        }
    }

    /// The site's user agent and URL policy, default limits.
    pub fn for_site(config: &Config) -> FetchOptions {
        FetchOptions {
            blocked_domains: config.federation.blocked_domains.clone(),
            ..FetchOptions::new(
                user_agent(&config.site_url().base),
                UrlPolicy::from_config(config),
            )
        }
    }
}

/// Fetches remote documents under a [`UrlPolicy`]. Make one per run (one
/// CGI request, one queue pass): it counts the requests it sends.
pub struct Fetcher {
    options: FetchOptions,
    agent: ureq::Agent,
    fetches: AtomicU32,
}

impl fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fetcher")
            .field("options", &self.options)
            .field("fetches", &self.fetches)
            .finish_non_exhaustive()
    }
}

/// A 200 answer, read within limits.
struct Fetched {
    url: CheckedUrl,
    content_type: Option<String>,
    body: Vec<u8>,
}

impl Fetcher {
    pub fn new(options: FetchOptions) -> Fetcher {
        let config = ureq::Agent::config_builder()
            // Redirects are followed by hand so that each target meets the
            // policy before anything is sent to it.
            .max_redirects(0)
            // Statuses are ours to judge; a 404 is an answer, not a failure
            // of the transport.
            .http_status_as_error(false)
            // The policy decides about http; ureq must not refuse it first.
            .https_only(false)
            .user_agent(options.user_agent.as_str())
            .timeout_connect(Some(options.connect_timeout));
        let agent = vetting_agent(options.policy, config);
        Fetcher {
            options,
            agent,
            fetches: AtomicU32::new(0),
        }
    }

    pub fn options(&self) -> &FetchOptions {
        &self.options
    }

    /// Requests sent so far, redirects included.
    pub fn fetches_made(&self) -> u32 {
        self.fetches.load(Ordering::Relaxed)
    }

    /// Fetches an ActivityPub document. It must come with an ActivityStreams
    /// content type and carry an `id` equal to the URL it was finally
    /// fetched from (after redirects; fragments do not count, so a key id
    /// `actor#main-key` fetches the actor). When the `id` is another URL on
    /// the same origin (a profile page's URL, say), the document is fetched
    /// once more by its `id`, which must then match.
    pub fn fetch_object(&self, url: &str, signer: &dyn SignRequest) -> Result<Value, FetchError> {
        let deadline = Instant::now() + self.options.total_timeout;
        let url = self.options.policy.check_url(url)?;
        self.fetch_object_at(&url, signer, deadline, true)
    }

    fn fetch_object_at(
        &self,
        url: &CheckedUrl,
        signer: &dyn SignRequest,
        deadline: Instant,
        may_refetch: bool,
    ) -> Result<Value, FetchError> {
        let fetched = self.get(url, ACTIVITY_ACCEPT, signer, deadline)?;
        let final_url = fetched.url.as_str();
        let fail = |kind| Err(FetchError::new(final_url, kind));
        let content_type = fetched.content_type.as_deref().unwrap_or("");
        if !is_activity_streams_type(content_type) {
            let got = if content_type.is_empty() {
                "none"
            } else {
                content_type
            };
            return fail(FetchErrorKind::ContentType(got.to_string()));
        }
        let document: Value = match serde_json::from_slice(&fetched.body) {
            Ok(document) => document,
            Err(e) => return fail(FetchErrorKind::BadDocument(format!("not JSON ({e})"))),
        };
        let Some(id) = document.get("id").and_then(Value::as_str) else {
            return fail(FetchErrorKind::BadDocument(
                "no 'id' string at the top level".into(),
            ));
        };
        let id_url = match self.options.policy.check_url(id) {
            Ok(id_url) => id_url,
            Err(e) => {
                return fail(FetchErrorKind::BadDocument(format!(
                    "its id is not a URL we fetch ({})",
                    e.kind
                )));
            }
        };
        if id_url == fetched.url {
            return Ok(document);
        }
        if may_refetch && id_url.same_origin(&fetched.url) {
            // Fetched by a non-canonical URL of the same server: ask for the
            // canonical one, once (LEMMY does the same).
            return self.fetch_object_at(&id_url, signer, deadline, false);
        }
        fail(FetchErrorKind::IdMismatch(id.to_string()))
    }

    /// GETs an image (an avatar to copy) under the same URL policy, size
    /// cap and timeouts as every other fetch; what it is, is for the
    /// media module to decide from the bytes.
    pub fn fetch_image(&self, url: &str) -> Result<Vec<u8>, FetchError> {
        let checked = self.options.policy.check_url(url)?;
        let deadline = Instant::now() + self.options.total_timeout;
        let fetched = self.get(
            &checked,
            "image/avif, image/webp, image/png, image/jpeg, image/gif;q=0.8",
            &Unsigned,
            deadline,
        )?;
        Ok(fetched.body)
    }

    /// Finds the actor id of `@user@host`, `user@host`, `acct:user@host` or
    /// of a profile URL (fetched as ActivityStreams; its `id` is the actor).
    /// The signer is used only for that profile fetch: WebFinger is public.
    pub fn webfinger(&self, handle: &str, signer: &dyn SignRequest) -> Result<String, FetchError> {
        let (user, host) = match Handle::parse(handle)? {
            Handle::ProfileUrl(url) => {
                let document = self.fetch_object(&url, signer)?;
                // fetch_object returns only documents whose id is a string.
                let id = document.get("id").and_then(Value::as_str).unwrap_or("");
                return Ok(id.to_string());
            }
            Handle::Account { user, host } => (user, host),
        };
        let deadline = Instant::now() + self.options.total_timeout;
        // Plain http exists only for the loopback servers of the test suite.
        let scheme = if self.options.policy.allows_private_addresses_for_testing() {
            "http"
        } else {
            "https"
        };
        let query = format!("{scheme}://{host}/.well-known/webfinger?resource=acct:{user}@{host}");
        let url = self.options.policy.check_url(&query)?;
        let fetched = self.get(&url, WEBFINGER_ACCEPT, &Unsigned, deadline)?;
        let fail = |kind| Err(FetchError::new(fetched.url.as_str(), kind));
        let jrd: Value = match serde_json::from_slice(&fetched.body) {
            Ok(jrd) => jrd,
            Err(e) => return fail(FetchErrorKind::BadDocument(format!("not JSON ({e})"))),
        };
        let links = jrd.get("links").and_then(Value::as_array);
        let actor = links.into_iter().flatten().find_map(|link| {
            let rel = link.get("rel").and_then(Value::as_str)?;
            let kind = link.get("type").and_then(Value::as_str)?;
            let href = link.get("href").and_then(Value::as_str)?;
            (rel == "self" && is_activity_streams_type(kind)).then_some(href)
        });
        let Some(actor) = actor else {
            return fail(FetchErrorKind::NoActorLink);
        };
        // The href must be fetchable before anyone stores it as an actor id;
        // it is returned as written, since ids compare exactly.
        self.options.policy.check_url(actor)?;
        Ok(actor.to_string())
    }

    /// GETs `url`, following up to `max_redirects` redirects (each checked
    /// by the policy), and reads a 200 answer's body within the size cap.
    fn get(
        &self,
        url: &CheckedUrl,
        accept: &str,
        signer: &dyn SignRequest,
        deadline: Instant,
    ) -> Result<Fetched, FetchError> {
        let mut current = url.clone();
        let mut redirects = 0;
        loop {
            let target = current.as_str();
            let fail = |kind| FetchError::new(target, kind);
            if crate::config::host_in_domains(&self.options.blocked_domains, &current.host()) {
                return Err(fail(FetchErrorKind::BadUrl(format!(
                    "{} is a domain this site blocks",
                    current.host()
                ))));
            }
            let made = self.fetches.fetch_add(1, Ordering::Relaxed);
            if made >= self.options.max_fetches {
                return Err(fail(FetchErrorKind::TooManyFetches(
                    self.options.max_fetches,
                )));
            }
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(fail(FetchErrorKind::Timeout));
            }
            let mut request = self.agent.get(target).header("Accept", accept);
            let headers = signer
                .sign("GET", target)
                .map_err(|e| fail(FetchErrorKind::Signing(format!("{e:#}"))))?;
            for (name, value) in headers {
                let bad_header = || {
                    fail(FetchErrorKind::Signing(format!(
                        "the signer returned an invalid header {}",
                        quoted(&name)
                    )))
                };
                let name_ok = HeaderName::from_bytes(name.as_bytes()).is_ok();
                let value_ok = HeaderValue::from_str(&value).is_ok();
                if !name_ok || !value_ok {
                    return Err(bad_header());
                }
                request = request.header(name.as_str(), value.as_str());
            }
            let mut response = request
                .config()
                .timeout_global(Some(remaining))
                .build()
                .call()
                .map_err(|e| from_ureq(target, e))?;
            let status = response.status().as_u16();
            if matches!(status, 301 | 302 | 303 | 307 | 308) {
                if redirects >= self.options.max_redirects {
                    return Err(fail(FetchErrorKind::TooManyRedirects(
                        self.options.max_redirects,
                    )));
                }
                redirects += 1;
                let location = response
                    .headers()
                    .get("location")
                    .and_then(|value| value.to_str().ok())
                    .ok_or_else(|| {
                        fail(FetchErrorKind::Network(format!(
                            "redirect {status} without a readable Location"
                        )))
                    })?;
                current = self.options.policy.check_redirect(&current, location)?;
                continue;
            }
            if status != 200 {
                return Err(fail(FetchErrorKind::Status(status)));
            }
            let limit = self.options.max_body_bytes;
            let too_large = || fail(FetchErrorKind::TooLarge(limit));
            let announced = response
                .headers()
                .get("content-length")
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.trim().parse::<u64>().ok());
            if announced.is_some_and(|length| length > limit) {
                return Err(too_large());
            }
            let content_type = response
                .headers()
                .get("content-type")
                .and_then(|value| value.to_str().ok())
                .map(str::to_string);
            // One byte past the cap tells "too large" from "exactly the cap";
            // the cap counts decompressed bytes, so a gzip bomb stops too.
            let mut body = Vec::new();
            response
                .body_mut()
                .as_reader()
                .take(limit.saturating_add(1))
                .read_to_end(&mut body)
                .map_err(|e| from_io(target, e))?;
            if body.len() as u64 > limit {
                return Err(too_large());
            }
            return Ok(Fetched {
                url: current,
                content_type,
                body,
            });
        }
    }
}

/// A ureq agent that connects only to addresses `policy` vetted, from the
/// same DNS answer it connects with: for outgoing requests that are not
/// fetches (deliveries), which would otherwise check one DNS answer and
/// connect to another. A refusal comes back as `ureq::Error::Io` holding the
/// [`FetchError`], which reads well as it is.
pub fn vetting_agent(
    policy: UrlPolicy,
    config: ureq::config::ConfigBuilder<ureq::typestate::AgentScope>,
) -> ureq::Agent {
    // A proxy, from the config or the environment, would resolve names
    // itself, around the vetting resolver.
    let config = config.proxy(None).build();
    ureq::Agent::with_parts(
        config,
        DefaultConnector::default(),
        VettingResolver { policy },
    )
}

/// A ureq error in our words; a refusal from [`VettingResolver`] comes
/// back as the `FetchError` it was.
fn from_ureq(target: &str, error: ureq::Error) -> FetchError {
    match error {
        ureq::Error::Timeout(_) => FetchError::new(target, FetchErrorKind::Timeout),
        ureq::Error::Io(e) => from_io(target, e),
        other => FetchError::new(target, FetchErrorKind::Network(other.to_string())),
    }
}

/// Body reads report ureq errors, and the resolver its refusals, wrapped
/// in `io::Error`: unwrap them so a timeout reads as a timeout.
fn from_io(target: &str, error: io::Error) -> FetchError {
    if error.kind() == io::ErrorKind::TimedOut {
        return FetchError::new(target, FetchErrorKind::Timeout);
    }
    let wrapped = error
        .get_ref()
        .is_some_and(|inner| inner.is::<FetchError>() || inner.is::<ureq::Error>());
    if !wrapped {
        return FetchError::new(target, FetchErrorKind::Network(error.to_string()));
    }
    match error
        .into_inner()
        .map(|inner| inner.downcast::<FetchError>())
    {
        Some(Ok(ours)) => *ours,
        Some(Err(inner)) => match inner.downcast::<ureq::Error>() {
            Ok(e) => from_ureq(target, *e),
            Err(other) => FetchError::new(target, FetchErrorKind::Network(other.to_string())),
        },
        None => FetchError::new(target, FetchErrorKind::Network("I/O error".into())),
    }
}

/// ureq's name resolver, replaced: resolves, vets every address with the
/// policy and gives ureq only vetted addresses to connect to, so the check
/// and the connection see the same DNS answer.
#[derive(Debug)]
struct VettingResolver {
    policy: UrlPolicy,
}

impl Resolver for VettingResolver {
    fn resolve(
        &self,
        uri: &Uri,
        _config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let refused =
            |e: FetchError| ureq::Error::Io(io::Error::new(io::ErrorKind::PermissionDenied, e));
        let url = self.policy.check_url(&uri.to_string()).map_err(refused)?;
        let policy = self.policy;
        // The system resolver cannot be interrupted; a thread lets the
        // request's deadline apply to it anyway (ureq's own resolver does
        // the same).
        let (sender, receiver) = mpsc::sync_channel(1);
        std::thread::spawn(move || {
            // The receiver is gone only if we gave up waiting.
            let _ = sender.send(policy.resolve(&url));
        });
        let answer = if timeout.after.is_not_happening() {
            receiver.recv().map_err(|_| ureq::Error::HostNotFound)?
        } else {
            receiver.recv_timeout(*timeout.after).map_err(|e| match e {
                mpsc::RecvTimeoutError::Timeout => ureq::Error::Timeout(timeout.reason),
                mpsc::RecvTimeoutError::Disconnected => ureq::Error::HostNotFound,
            })?
        };
        let mut addresses = self.empty();
        for address in answer.map_err(refused)? {
            // ureq keeps at most 16 addresses; the rest were vetted too.
            if addresses.try_push(address).is_err() {
                break;
            }
        }
        Ok(addresses)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const PUBLIC: UrlPolicy = UrlPolicy::public_https_only();
    const TESTING: UrlPolicy = UrlPolicy::dangerously_allowing_private_addresses_for_testing();

    fn refused(policy: UrlPolicy, url: &str) -> FetchErrorKind {
        match policy.check_url(url) {
            Ok(checked) => panic!("{url} was accepted as {checked}"),
            Err(e) => e.kind,
        }
    }

    #[test]
    fn every_non_public_address_class_is_refused() {
        let classes = [
            "0.0.0.0",
            "0.1.2.3",
            "127.0.0.1",
            "127.255.0.9",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.254",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.254",
            "192.0.0.8",
            "192.0.2.1",
            "198.51.100.7",
            "203.0.113.9",
            "198.18.0.1",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "fe80::1",
            "febf::1",
            "fc00::1",
            "fd12:3456::1",
            "fec0::1",
            "ff02::1",
            "2001:db8::1",
            "3fff::1",
            "2001::1",
            "100::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "::127.0.0.1",
            "64:ff9b::7f00:1",
            "64:ff9b:1::1",
            "2002:7f00:1::1",
            "2002:c0a8:101::1",
        ];
        for text in classes {
            let ip: IpAddr = text.parse().unwrap();
            assert!(PUBLIC.check_address(ip).is_err(), "{ip} was accepted");
            assert!(TESTING.check_address(ip).is_ok(), "{ip} refused for tests");
            let host = match ip {
                IpAddr::V4(_) => text.to_string(),
                IpAddr::V6(_) => format!("[{text}]"),
            };
            let url = format!("https://{host}/actor");
            assert!(
                matches!(refused(PUBLIC, &url), FetchErrorKind::Refused(_)),
                "{url}"
            );
            assert!(TESTING.check_url(&url).is_ok(), "{url} refused for tests");
        }
    }

    #[test]
    fn public_addresses_pass() {
        for text in [
            "1.1.1.1",
            "8.8.8.8",
            "172.15.255.255",
            "172.32.0.1",
            "100.63.255.255",
            "100.128.0.1",
            "192.169.0.1",
            "2606:4700:4700::1111",
            "2a01:4f8::1",
            "::ffff:1.1.1.1",
            "64:ff9b::808:808",
            "2002:808:808::1",
        ] {
            let ip: IpAddr = text.parse().unwrap();
            assert_eq!(PUBLIC.check_address(ip), Ok(()), "{ip}");
        }
        let url = PUBLIC.check_url("https://1.1.1.1/x").unwrap();
        assert_eq!(url.as_str(), "https://1.1.1.1/x");
        let url = PUBLIC.check_url("https://[2606:4700::1]/x").unwrap();
        assert_eq!(url.as_str(), "https://[2606:4700::1]/x");
    }

    #[test]
    fn the_refusal_names_the_address_and_why() {
        let e = PUBLIC
            .check_url("https://169.254.169.254/latest")
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "'https://169.254.169.254/latest': refused: 169.254.169.254, a link-local address"
        );
    }

    #[test]
    fn https_only_unless_testing() {
        assert!(matches!(
            refused(PUBLIC, "http://example.com/actor"),
            FetchErrorKind::BadUrl(_)
        ));
        assert_eq!(
            TESTING
                .check_url("http://example.com/actor")
                .unwrap()
                .as_str(),
            "http://example.com/actor"
        );
        for url in [
            "ftp://example.com/a",
            "file:///etc/passwd",
            "gopher://example.com/",
            "javascript:alert(1)",
            "data:application/activity+json,{}",
        ] {
            assert!(
                matches!(refused(TESTING, url), FetchErrorKind::BadUrl(_)),
                "{url}"
            );
        }
    }

    #[test]
    fn userinfo_is_refused_even_for_tests() {
        for url in [
            "https://user@example.com/",
            "https://user:pw@example.com/",
            "https://example.com@evil.example/",
            "https://@example.com/",
        ] {
            assert!(
                matches!(refused(PUBLIC, url), FetchErrorKind::BadUrl(_)),
                "{url}"
            );
            assert!(
                matches!(refused(TESTING, url), FetchErrorKind::BadUrl(_)),
                "{url}"
            );
        }
    }

    #[test]
    fn a_trailing_dot_is_stripped_before_the_checks() {
        let url = PUBLIC.check_url("https://Example.COM./users/a").unwrap();
        assert_eq!(url.as_str(), "https://example.com/users/a");
        assert_eq!(url.host(), "example.com");
        assert!(matches!(
            refused(PUBLIC, "https://localhost./"),
            FetchErrorKind::Refused(_)
        ));
        assert!(matches!(
            refused(PUBLIC, "https://127.0.0.1./"),
            FetchErrorKind::Refused(_)
        ));
    }

    #[test]
    fn local_names_are_refused_unless_testing() {
        for url in [
            "https://localhost/",
            "https://LOCALHOST/",
            "https://api.localhost/",
            "https://printer.local/",
            "https://db.internal/",
            "https://router.home.arpa/",
            "https://xyz.onion/",
            "https://intranet/",
        ] {
            assert!(
                matches!(refused(PUBLIC, url), FetchErrorKind::Refused(_)),
                "{url}"
            );
            assert!(TESTING.check_url(url).is_ok(), "{url}");
        }
        // Only whole labels count.
        assert!(PUBLIC.check_url("https://notlocalhost.com/").is_ok());
        assert!(PUBLIC.check_url("https://local.example/").is_ok());
    }

    #[test]
    fn explicit_ports_only_for_tests_or_the_default() {
        assert!(matches!(
            refused(PUBLIC, "https://example.com:8443/"),
            FetchErrorKind::BadUrl(_)
        ));
        assert_eq!(
            PUBLIC
                .check_url("https://example.com:443/a")
                .unwrap()
                .as_str(),
            "https://example.com/a"
        );
        assert_eq!(
            TESTING
                .check_url("http://127.0.0.1:8080/a")
                .unwrap()
                .as_str(),
            "http://127.0.0.1:8080/a"
        );
    }

    #[test]
    fn weird_urls_are_refused_without_panicking() {
        let long = format!("https://example.com/{}", "a".repeat(5000));
        for url in [
            "",
            " ",
            "https://",
            "https:///path",
            "https://exa mple.com/",
            "https://example.com\n/",
            "https://exa\u{0}mple.com/",
            "https://ex%61mple.com/",
            "https://éxample.com/",
            "https://-example.com/",
            "https://example..com/",
            "https://.example.com/",
            "https://[::1/",
            "https://[fe80::1%25eth0]/",
            "https://example.com:99999/",
            "https://example.com:abc/",
            "https://2130706433/",
            "https://0x7f.1/",
            "https://127.1/",
            "https://017700000001/",
            "/relative/path",
            "example.com/actor",
            "https:example.com",
            "\\\\example.com\\share",
            long.as_str(),
        ] {
            let Err(e) = PUBLIC.check_url(url) else {
                panic!("{url:?} was accepted");
            };
            assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn the_url_is_normalized() {
        let url = PUBLIC
            .check_url("HTTPS://Mastodon.Example/users/Alice?page=1#main-key")
            .unwrap();
        assert_eq!(url.as_str(), "https://mastodon.example/users/Alice?page=1");
        assert_eq!(
            PUBLIC.check_url("https://example.com").unwrap().as_str(),
            "https://example.com/"
        );
    }

    #[test]
    fn redirect_targets_meet_the_policy() {
        let from = PUBLIC.check_url("https://social.example/users/a").unwrap();
        let to = |location: &str| PUBLIC.check_redirect(&from, location);
        assert_eq!(
            to("/users/b").unwrap().as_str(),
            "https://social.example/users/b"
        );
        assert_eq!(
            to("//other.example/x").unwrap().as_str(),
            "https://other.example/x"
        );
        assert_eq!(to("b").unwrap().as_str(), "https://social.example/users/b");
        assert_eq!(
            to("/login?next=https://elsewhere.example/")
                .unwrap()
                .as_str(),
            "https://social.example/login?next=https://elsewhere.example/"
        );
        assert!(matches!(
            to("file:///etc/passwd").unwrap_err().kind,
            FetchErrorKind::BadUrl(_)
        ));
        assert!(matches!(
            to("https://10.0.0.1/x").unwrap_err().kind,
            FetchErrorKind::Refused(_)
        ));
        assert!(matches!(
            to("https://[::ffff:169.254.169.254]/latest")
                .unwrap_err()
                .kind,
            FetchErrorKind::Refused(_)
        ));
        assert!(matches!(
            to("https://localhost/").unwrap_err().kind,
            FetchErrorKind::Refused(_)
        ));
        assert!(matches!(
            to("http://social.example/x").unwrap_err().kind,
            FetchErrorKind::BadUrl(_)
        ));
        assert!(matches!(
            to("//user@social.example/x").unwrap_err().kind,
            FetchErrorKind::BadUrl(_)
        ));
    }

    #[test]
    fn resolving_a_literal_address_vets_it() {
        let url = TESTING.check_url("http://127.0.0.1:9/").unwrap();
        assert!(matches!(
            PUBLIC.resolve(&url).unwrap_err().kind,
            FetchErrorKind::Refused(_)
        ));
        assert_eq!(
            TESTING.resolve(&url).unwrap(),
            vec!["127.0.0.1:9".parse::<SocketAddr>().unwrap()]
        );
    }

    #[test]
    fn one_private_address_among_public_ones_refuses_the_host() {
        let url = PUBLIC.check_url("https://mixed.example/").unwrap();
        let public: SocketAddr = "93.184.215.14:443".parse().unwrap();
        let private: SocketAddr = "[fd00::1]:443".parse().unwrap();
        assert_eq!(
            PUBLIC.vet_addresses(&url, vec![public]).unwrap(),
            vec![public]
        );
        let e = PUBLIC
            .vet_addresses(&url, vec![public, private])
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "'https://mixed.example/': refused: mixed.example resolves to fd00::1, \
             a unique-local address (fc00::/7)"
        );
        assert!(PUBLIC.vet_addresses(&url, Vec::new()).is_err());
    }

    #[test]
    fn ureq_connects_only_through_the_vetting_resolver() {
        // Were ureq to resolve by itself, this would try 127.0.0.1:443 and
        // fail to connect; the refusal shows our resolver was asked first.
        let fetcher = Fetcher::new(FetchOptions::new("test".into(), PUBLIC));
        let error = fetcher.agent.get("https://127.0.0.1/").call().unwrap_err();
        let e = from_ureq("https://127.0.0.1/", error);
        assert!(matches!(e.kind, FetchErrorKind::Refused(_)), "{e}");
    }

    #[test]
    fn a_vetting_agent_refuses_private_addresses_for_any_method() {
        let agent = vetting_agent(PUBLIC, ureq::Agent::config_builder());
        let error = agent.post("https://10.0.0.1/inbox").send("{}").unwrap_err();
        assert!(
            error.to_string().contains("10.0.0.1, a private address"),
            "{error}"
        );
    }

    #[test]
    fn the_policy_follows_the_config_switch() {
        let dir = std::env::temp_dir();
        let mut config = Config::default_for_test(&dir);
        assert_eq!(UrlPolicy::from_config(&config), PUBLIC);
        let options = FetchOptions::for_site(&config);
        assert_eq!(
            options.user_agent,
            format!("Affiche/{} (+https://example.org)", crate::VERSION)
        );
        config.federation.allow_private_addresses_for_testing = true;
        assert_eq!(UrlPolicy::from_config(&config), TESTING);
    }

    #[test]
    fn activity_streams_content_types() {
        for good in [
            "application/activity+json",
            "application/activity+json; charset=utf-8",
            "Application/Activity+JSON",
            "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"",
            "application/ld+json;profile=https://www.w3.org/ns/activitystreams",
            "application/ld+json; charset=utf-8; PROFILE=\"https://www.w3.org/ns/activitystreams\"",
            "application/ld+json; profile=\"https://example.org/p https://www.w3.org/ns/activitystreams\"",
        ] {
            assert!(is_activity_streams_type(good), "{good}");
        }
        for bad in [
            "",
            "application/json",
            "application/ld+json",
            "application/ld+json; profile=\"https://example.org/other\"",
            "text/html",
            "application/activity+jsonx",
            "application/jrd+json",
        ] {
            assert!(!is_activity_streams_type(bad), "{bad}");
        }
    }

    fn account(user: &str, host: &str) -> Handle {
        Handle::Account {
            user: user.into(),
            host: host.into(),
        }
    }

    #[test]
    fn handles_in_every_spelling() {
        for text in [
            "@alice@social.example",
            "alice@social.example",
            "acct:alice@social.example",
            "ACCT:alice@social.example",
            "acct:@alice@social.example",
            "  @alice@Social.Example.  ",
        ] {
            assert_eq!(
                Handle::parse(text).unwrap(),
                account("alice", "social.example"),
                "{text}"
            );
        }
        assert_eq!(
            Handle::parse("bob_1.x-y@127.0.0.1:8080").unwrap(),
            account("bob_1.x-y", "127.0.0.1:8080")
        );
        assert_eq!(
            Handle::parse("bob@[::1]:8080").unwrap(),
            account("bob", "[::1]:8080")
        );
        assert_eq!(
            Handle::parse("https://social.example/@alice").unwrap(),
            Handle::ProfileUrl("https://social.example/@alice".into())
        );
        assert_eq!(
            account("alice", "social.example").to_string(),
            "alice@social.example"
        );
    }

    #[test]
    fn garbage_handles_are_errors() {
        let long = format!("{}@example.com", "a".repeat(600));
        for text in [
            "",
            "   ",
            "@",
            "@@",
            "alice",
            "@alice",
            "alice@",
            "@alice@",
            "a@b@c",
            "al ice@example.com",
            "al%69ce@example.com",
            "alice@exa mple.com",
            "alice@example.com/path",
            "alice@example.com?x=1",
            "alice@example.com:",
            "alice@example.com:0",
            "alice@example.com:+80",
            "alice@example.com:65536",
            "alice@[::1",
            "alice@[::1]x",
            "alice@[nope]",
            "alice@-example.com",
            "alice@127.1",
            "acct:",
            "acct",
            "\u{0}@\u{0}",
            "ü@é",
            "é",
            "acct\u{e9}",
            long.as_str(),
        ] {
            match Handle::parse(text) {
                Err(e) => assert!(matches!(e.kind, FetchErrorKind::BadHandle(_)), "{text:?}"),
                Ok(handle) => panic!("{text:?} parsed as {handle:?}"),
            }
        }
    }

    #[test]
    fn handle_parsing_survives_every_short_byte_string() {
        // A cheap stand-in for the fuzzer: all strings of up to three
        // characters from an alphabet of troublemakers.
        let alphabet = ['@', ':', '[', ']', 'a', '.', '1', 'é', ' ', '/', '%'];
        let mut inputs = vec![String::new()];
        for _ in 0..3 {
            let mut next = Vec::new();
            for input in &inputs {
                for c in alphabet {
                    next.push(format!("{input}{c}"));
                }
            }
            inputs.extend(next);
        }
        for input in &inputs {
            let _ = Handle::parse(input);
            let _ = Handle::parse(&format!("acct:{input}@{input}"));
            let _ = PUBLIC.check_url(&format!("https://{input}/"));
        }
    }

    #[test]
    fn errors_quote_remote_text_short_and_clean() {
        let e = Handle::parse(&format!("x\n{}", "y".repeat(1000))).unwrap_err();
        let text = e.to_string();
        assert!(text.len() < 400, "{text}");
        assert!(!text.contains('\n'), "{text}");
    }

    #[test]
    fn the_user_agent_names_the_site() {
        assert_eq!(
            user_agent("https://example.org"),
            format!("Affiche/{} (+https://example.org)", crate::VERSION)
        );
    }
}
