//! `affiche demo`: a fediverse account of its own, on loopback, so that a
//! newcomer can try the whole author flow (log in, write, publish) with no
//! network and no instance. It answers WebFinger and serves its actor; the
//! site's messages to it are accepted and dropped (the login link is
//! printed on the console by the `console` transport).

use std::sync::Arc;

use anyhow::{Context as _, Result};
use serde_json::json;

/// The account the demo offers: `@demo@127.0.0.1:<port>`.
pub struct DemoAccount {
    pub handle: String,
    _server: Arc<tiny_http::Server>,
}

/// Starts the account's server on loopback, `port` (0: any free one).
pub fn start(port: u16) -> Result<DemoAccount> {
    let server = Arc::new(
        tiny_http::Server::http(("127.0.0.1", port)).map_err(|e| {
            anyhow::anyhow!(
                "cannot start the demo's fediverse account on 127.0.0.1:{port} ({e}); choose another --port"
            )
        })?,
    );
    let port = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .context("the demo account's server has no port")?;
    let base = format!("http://127.0.0.1:{port}");
    let actor = format!("{base}/users/demo");
    let handle = format!("demo@127.0.0.1:{port}");
    // Only its public half is ever shown; the demo account signs nothing.
    let key = crate::keys::generate(0)?;
    let document = json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": actor,
        "type": "Person",
        "preferredUsername": "demo",
        "name": "Demo Author",
        "summary": "An account that exists only while `affiche demo` runs.",
        "url": actor,
        "inbox": format!("{actor}/inbox"),
        "publicKey": { "id": format!("{actor}#main-key"), "owner": actor, "publicKeyPem": key.public_pem },
    })
    .to_string();
    let jrd = json!({
        "subject": format!("acct:{handle}"),
        "links": [{ "rel": "self", "type": "application/activity+json", "href": actor }],
    })
    .to_string();
    let incoming = Arc::clone(&server);
    std::thread::spawn(move || {
        for request in incoming.incoming_requests() {
            let url = request.url().to_string();
            let (body, kind, status) = if url.starts_with("/.well-known/webfinger") {
                (jrd.clone(), "application/jrd+json", 200)
            } else if url == "/users/demo" {
                (document.clone(), "application/activity+json", 200)
            } else if url.ends_with("/inbox") {
                (String::new(), "text/plain", 202)
            } else {
                ("Not found\n".to_string(), "text/plain", 404)
            };
            let mut response = tiny_http::Response::from_string(body).with_status_code(status);
            if let Ok(header) = tiny_http::Header::from_bytes("Content-Type", kind) {
                response.add_header(header);
            }
            let _ = request.respond(response);
        }
    });
    Ok(DemoAccount {
        handle,
        _server: server,
    })
}
