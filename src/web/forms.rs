//! The plumbing of HTML forms: bodies, cookies, redirects, HTML answers.

use cookie::{Cookie, SameSite};
use http::{HeaderValue, Request, Response, StatusCode, header};

/// The client's network address (CGI `REMOTE_ADDR`), for rate limits.
#[derive(Debug, Clone, Default)]
pub struct ClientAddress(pub String);

/// The network a request came from, as the rate limits count it: an IPv4
/// address as it is, an IPv6 one as its /64, what one subscriber is
/// usually given (each of its addresses would otherwise get an allowance
/// of its own). Only the server's `REMOTE_ADDR`: a header such as
/// `X-Forwarded-For` is the client's to write. Empty when unknown.
pub fn client_network(request: &Request<Vec<u8>>) -> String {
    let address = request
        .extensions()
        .get::<ClientAddress>()
        .map(|a| a.0.trim())
        .unwrap_or_default();
    match address.parse::<std::net::Ipv6Addr>() {
        Ok(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        Err(_) => address.to_string(),
    }
}

/// A decoded `application/x-www-form-urlencoded` body.
#[derive(Debug, Default)]
pub struct Form(Vec<(String, String)>);

impl Form {
    /// Reads a form body; a body of another type is an error to show.
    pub fn parse(request: &Request<Vec<u8>>) -> Result<Form, String> {
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let essence = content_type.split(';').next().unwrap_or("").trim();
        if !essence.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
            return Err(format!(
                "this address takes a form (application/x-www-form-urlencoded), not '{content_type}'"
            ));
        }
        Ok(Form(
            form_urlencoded::parse(request.body())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        ))
    }

    pub fn from_pairs(pairs: Vec<(String, String)>) -> Form {
        Form(pairs)
    }

    /// The first value of a field, trimmed of nothing: what was sent.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or_default().to_string()
    }
}

/// The value of a cookie the browser sent.
pub fn cookie(request: &Request<Vec<u8>>, name: &str) -> Option<String> {
    request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
        .filter(|v| !v.is_empty())
}

/// How the site's cookies are set: for the whole site (its root path),
/// never readable by scripts, Secure on https, and not sent with
/// cross-site POSTs.
#[derive(Debug, Clone)]
pub struct CookieJar {
    pub path: String,
    pub secure: bool,
}

impl CookieJar {
    pub fn new(root: &str, secure: bool) -> CookieJar {
        CookieJar {
            path: if root.is_empty() {
                "/".to_string()
            } else {
                format!("{root}/")
            },
            secure,
        }
    }

    fn build(&self, name: &str, value: &str, max_age: i64) -> Option<HeaderValue> {
        let cookie = Cookie::build((name.to_string(), value.to_string()))
            .path(self.path.clone())
            .http_only(true)
            .secure(self.secure)
            .same_site(SameSite::Lax)
            .max_age(cookie::time::Duration::seconds(max_age))
            .build();
        HeaderValue::from_str(&cookie.to_string()).ok()
    }

    pub fn set(&self, response: &mut Response<Vec<u8>>, name: &str, value: &str, max_age: i64) {
        if let Some(value) = self.build(name, value, max_age) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }

    pub fn clear(&self, response: &mut Response<Vec<u8>>, name: &str) {
        if let Some(value) = self.build(name, "", 0) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
}

/// An HTML page the program made; never cached, never framed.
pub fn html(status: StatusCode, body: String) -> Response<Vec<u8>> {
    let mut response = Response::new(body.into_bytes());
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// 303 See Other: after a POST, the browser GETs the next page.
pub fn redirect(location: &str) -> Response<Vec<u8>> {
    let mut response = Response::new(Vec::new());
    *response.status_mut() = StatusCode::SEE_OTHER;
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn rate_limits_count_an_ipv6_network_as_one_client() {
        let from = |address: Option<&str>| {
            let mut request = Request::get("/")
                .header("x-forwarded-for", "203.0.113.9")
                .body(Vec::new())
                .unwrap();
            if let Some(address) = address {
                request
                    .extensions_mut()
                    .insert(ClientAddress(address.into()));
            }
            client_network(&request)
        };
        assert_eq!(from(Some("192.0.2.7")), "192.0.2.7");
        assert_eq!(from(Some("::ffff:192.0.2.7")), "192.0.2.7");
        assert_eq!(from(Some("2001:db8:1:2::1")), "2001:db8:1:2::/64");
        assert_eq!(
            from(Some("2001:db8:1:2:ffff:eeee:dddd:cccc")),
            from(Some("2001:db8:1:2::1"))
        );
        assert_ne!(from(Some("2001:db8:1:3::1")), from(Some("2001:db8:1:2::1")));
        assert_eq!(from(None), "");
    }

    #[test]
    fn cookies_are_read_among_others() {
        let request = Request::get("/")
            .header("cookie", "a=1; affiche_session=xyz; b=2")
            .header("cookie", "c=3")
            .body(Vec::new())
            .unwrap();
        assert_eq!(cookie(&request, "affiche_session").as_deref(), Some("xyz"));
        assert_eq!(cookie(&request, "c").as_deref(), Some("3"));
        assert_eq!(cookie(&request, "d"), None);
        let garbage = Request::get("/")
            .header("cookie", ";;=;x;=y; x")
            .body(Vec::new())
            .unwrap();
        assert_eq!(cookie(&garbage, "x"), None);
    }

    #[test]
    fn cookies_are_set_for_the_site_and_hidden_from_scripts() {
        let jar = CookieJar::new("/blog", true);
        let mut response = Response::new(Vec::new());
        jar.set(&mut response, "affiche_session", "v", 60);
        let set = response.headers()["set-cookie"].to_str().unwrap();
        for part in [
            "affiche_session=v",
            "HttpOnly",
            "Secure",
            "SameSite=Lax",
            "Path=/blog/",
            "Max-Age=60",
        ] {
            assert!(set.contains(part), "{part} in {set}");
        }
        let plain = CookieJar::new("", false);
        let mut response = Response::new(Vec::new());
        plain.clear(&mut response, "x");
        let set = response.headers()["set-cookie"].to_str().unwrap();
        assert!(set.contains("Path=/;") || set.ends_with("Path=/"), "{set}");
        assert!(!set.contains("Secure"));
        assert!(set.contains("Max-Age=0"));
    }

    #[test]
    fn forms_must_be_forms() {
        let request = Request::post("/")
            .header(
                "content-type",
                "application/x-www-form-urlencoded; charset=UTF-8",
            )
            .body(b"handle=%40alice%40example.social&x=1&x=2".to_vec())
            .unwrap();
        let form = Form::parse(&request).unwrap();
        assert_eq!(form.get("handle"), Some("@alice@example.social"));
        assert_eq!(form.get("x"), Some("1"));
        let json = Request::post("/")
            .header("content-type", "application/json")
            .body(b"{}".to_vec())
            .unwrap();
        assert!(Form::parse(&json).unwrap_err().contains("application/json"));
    }
}
