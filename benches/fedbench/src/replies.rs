//! `fedbench replies`: the remote side of `benches/comments.sh`.
//!
//! ```text
//! fedbench replies --site 127.0.0.1:PORT --article URL --probe-article URL
//!                  [--count 1000] [--connections 10] [--probes 5]
//! ```
//!
//! Plays one fediverse account (its actor and RSA key served on loopback)
//! that replies to the site's articles with signed `Create`s of Mastodon's
//! shape (a reply captured from mastodon.madrid, moved to loopback):
//!
//! 1. the first reply, to the probe article, makes the site fetch the key;
//! 2. per-reply latency (verify, store, re-render the page) with about 1,
//!    then about 100 comments on the probe article: PROBES replies sent one
//!    after the other, the median and the slowest;
//! 3. the burst: COUNT replies to the main article, signed beforehand, sent
//!    over CONNECTIONS concurrent connections (a new connection per
//!    request); req/s, p50, p99, max, and any answer that is not 202;
//! 4. the main article's page: how many comments it shows;
//! 5. per-reply latency again with COUNT comments on the main article.
//!
//! Results are `key=value` lines on stdout.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use affiche::federation::signatures::SigningKey;
use anyhow::{Context as _, Result, ensure};
use serde_json::json;

use crate::{Args, nonce, send_once, signed_request};

/// A reply in the shape Mastodon sends (tests/fixtures/activities/
/// mastodon-create-note-reply.json, ids moved to the bench's actor).
fn reply(actor_id: &str, n: &str, in_reply_to: &str) -> String {
    let id = format!("{actor_id}/statuses/{n}");
    let text = format!(
        "<p><span class=\"h-card\"><a href=\"{actor_id}\" class=\"u-url mention\">@<span>site</span></a></span> \
         Reply {n}: i have never been disappointed by a thinkpad. if you want to save money, get a model \
         from a few years ago, there isnt a huge difference anyway.</p>"
    );
    json!({
        "@context": ["https://www.w3.org/ns/activitystreams", {"ostatus": "http://ostatus.org#", "atomUri": "ostatus:atomUri"}],
        "id": format!("{id}/activity"),
        "type": "Create",
        "actor": actor_id,
        "published": "2026-11-05T11:46:50Z",
        "to": [format!("{actor_id}/followers")],
        "cc": ["https://www.w3.org/ns/activitystreams#Public", "https://example.org/actor"],
        "object": {
            "id": id,
            "type": "Note",
            "summary": null,
            "inReplyTo": in_reply_to,
            "published": "2026-11-05T11:46:50Z",
            "url": format!("{actor_id}/@bench/{n}"),
            "attributedTo": actor_id,
            "to": [format!("{actor_id}/followers")],
            "cc": ["https://www.w3.org/ns/activitystreams#Public", "https://example.org/actor"],
            "sensitive": false,
            "atomUri": id,
            "content": text,
            "contentMap": {"en": text},
            "attachment": [],
            "tag": [{"type": "Mention", "href": "https://example.org/actor", "name": "@site@example.org"}],
            "replies": {
                "id": format!("{id}/replies"),
                "type": "Collection",
                "first": {"type": "CollectionPage", "next": format!("{id}/replies?only_other_accounts=true&page=true"), "partOf": format!("{id}/replies"), "items": []}
            }
        }
    })
    .to_string()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// The page's comments: the count its title shows and the entries in it.
fn page_comments(site: &str, path: &str) -> Result<(usize, usize)> {
    let mut stream = TcpStream::connect(site)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    stream.write_all(format!("GET {path} HTTP/1.0\r\nHost: {site}\r\n\r\n").as_bytes())?;
    let mut body = Vec::new();
    stream.read_to_end(&mut body)?;
    let page = String::from_utf8_lossy(&body);
    ensure!(
        page.starts_with("HTTP/1.1 200"),
        "GET {path}: {}",
        page.lines().next().unwrap_or("")
    );
    let shown = page
        .split_once("comments__count\">(")
        .and_then(|(_, rest)| rest.split_once(')'))
        .and_then(|(n, _)| n.parse().ok())
        .unwrap_or(0);
    let entries = page.matches("<li class=\"comment comment--depth-").count();
    Ok((shown, entries))
}

pub fn replies(args: &Args) -> Result<bool> {
    let site = args.text("site")?;
    let article = args.text("article")?;
    let probe_article = args.text("probe-article")?;
    let count = usize::try_from(args.num("count", Some(1000))?)?;
    let connections = usize::try_from(args.num("connections", Some(10))?)?.max(1);
    let probes = usize::try_from(args.num("probes", Some(5))?)?.max(1);
    let path_of = |url: &str| -> Result<String> {
        let rest = url
            .split_once("://")
            .map(|(_, r)| r)
            .context("an article URL")?;
        Ok(format!("/{}", rest.split_once('/').map_or("", |(_, p)| p)))
    };
    let main_path = path_of(&article)?;

    let server = Arc::new(
        tiny_http::Server::http("127.0.0.1:0")
            .map_err(|e| anyhow::anyhow!("cannot start the actor server: {e}"))?,
    );
    let port = server
        .server_addr()
        .to_ip()
        .context("no IP address")?
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let actor_id = format!("{base}/users/bench");
    let pair = affiche::keys::generate(0)?;
    let key = SigningKey::from_pem(&format!("{actor_id}#main-key"), &pair.private_pem)?;
    let document = json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": actor_id, "type": "Person", "preferredUsername": "bench", "name": "Bench",
        "url": format!("{base}/@bench"),
        "inbox": format!("{actor_id}/inbox"),
        "endpoints": { "sharedInbox": format!("{base}/inbox") },
        "publicKey": { "id": format!("{actor_id}#main-key"), "owner": actor_id, "publicKeyPem": pair.public_pem },
    })
    .to_string();
    let fetches = Arc::new(AtomicUsize::new(0));
    {
        let (server, fetches) = (Arc::clone(&server), Arc::clone(&fetches));
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                if request.method() == &tiny_http::Method::Get && request.url() == "/users/bench" {
                    fetches.fetch_add(1, Ordering::SeqCst);
                    let mut response = tiny_http::Response::from_string(document.clone());
                    if let Ok(h) =
                        tiny_http::Header::from_bytes("Content-Type", "application/activity+json")
                    {
                        response.add_header(h);
                    }
                    let _ = request.respond(response);
                } else {
                    let _ = request.respond(tiny_http::Response::empty(404));
                }
            }
        });
    }
    let run = nonce();
    let sign = |n: &str, to: &str| signed_request(&site, "/inbox", &key, &reply(&actor_id, n, to));
    let send = |request: &[u8]| -> Result<f64> {
        let started = Instant::now();
        let (status, response) = send_once(&site, request)?;
        ensure!(status == 202, "answered {status}, not 202:\n{response}");
        Ok(started.elapsed().as_secs_f64() * 1000.0)
    };
    // Sequential replies: (median, max) in ms.
    let probe = |label: &str, to: &str| -> Result<(f64, f64)> {
        let mut times = Vec::new();
        for i in 0..probes {
            times.push(send(&sign(&format!("{run}-{label}-{i}"), to)?)?);
        }
        times.sort_by(f64::total_cmp);
        Ok((percentile(&times, 50.0), times[times.len() - 1]))
    };
    // Concurrent sends of pre-signed requests: latencies in ms, failures.
    let burst = |requests: Vec<Vec<u8>>| -> (Vec<f64>, Vec<String>, f64) {
        let next = AtomicUsize::new(0);
        let times = Mutex::new(Vec::with_capacity(requests.len()));
        let failures = Mutex::new(Vec::new());
        let started = Instant::now();
        std::thread::scope(|scope| {
            for _ in 0..connections {
                scope.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::SeqCst);
                        let Some(request) = requests.get(i) else {
                            return;
                        };
                        match send(request) {
                            Ok(ms) => times.lock().unwrap_or_else(|e| e.into_inner()).push(ms),
                            Err(err) => failures
                                .lock()
                                .unwrap_or_else(|e| e.into_inner())
                                .push(format!("{err:#}")),
                        }
                    }
                });
            }
        });
        let wall = started.elapsed().as_secs_f64();
        let mut times = times.into_inner().unwrap_or_else(|e| e.into_inner());
        times.sort_by(f64::total_cmp);
        (
            times,
            failures.into_inner().unwrap_or_else(|e| e.into_inner()),
            wall,
        )
    };

    let first_ms = send(&sign(&format!("{run}-first"), &probe_article)?)?;
    ensure!(
        fetches.load(Ordering::SeqCst) == 1,
        "the site fetched the actor {} times for the first reply",
        fetches.load(Ordering::SeqCst)
    );
    println!("first_reply_ms={first_ms:.1}");
    let (median, max) = probe("at1", &probe_article)?;
    println!("at_1_median_ms={median:.1} at_1_max_ms={max:.1}");
    let fill: Vec<Vec<u8>> = (0..100usize.saturating_sub(1 + probes))
        .map(|i| sign(&format!("{run}-fill-{i}"), &probe_article))
        .collect::<Result<_>>()?;
    let (_, failures, _) = burst(fill);
    ensure!(failures.is_empty(), "filling: {}", failures.join("\n"));
    let (median, max) = probe("at100", &probe_article)?;
    println!("at_100_median_ms={median:.1} at_100_max_ms={max:.1}");

    let started = Instant::now();
    let requests: Vec<Vec<u8>> = (0..count)
        .map(|i| sign(&format!("{run}-burst-{i}"), &article))
        .collect::<Result<_>>()?;
    println!(
        "signed={count} sign_seconds={:.1}",
        started.elapsed().as_secs_f64()
    );
    let (times, failures, wall) = burst(requests);
    println!(
        "burst_ok={} burst_failed={} burst_seconds={wall:.2} rps={:.1} p50_ms={:.1} p99_ms={:.1} max_ms={:.1}",
        times.len(),
        failures.len(),
        times.len() as f64 / wall,
        percentile(&times, 50.0),
        percentile(&times, 99.0),
        percentile(&times, 100.0),
    );
    for failure in failures.iter().take(3) {
        eprintln!("fedbench: a reply failed: {failure}");
    }
    let (shown, entries) = page_comments(&site, &main_path)?;
    println!("page_count_shown={shown} page_entries={entries}");
    let (median, max) = probe(&format!("at{count}"), &article)?;
    println!("at_{count}_median_ms={median:.1} at_{count}_max_ms={max:.1}");
    println!("actor_fetches={}", fetches.load(Ordering::SeqCst));
    Ok(failures.is_empty() && shown == count && entries == count)
}
