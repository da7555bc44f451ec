//! fedbench: the remote side of `benches/federation.sh`.
//!
//! ```text
//! fedbench sender --site 127.0.0.1:PORT [--body-bytes 1000]
//!     then on stdin: `sign COUNT FILE` (any number of times), `stop`
//! fedbench sample --site 127.0.0.1:PORT --out FILE [--body-out FILE] [--body-bytes 1000]
//! fedbench fanout --bin AFFICHE --config CFG [--hosts 1000] [--followers 10000]
//!                 [--inboxes shared|personal] [--delay-ms 0] [--slow-hosts 0 --slow-ms 5000]
//!                 [--budget 120]
//! fedbench replies --site 127.0.0.1:PORT --article URL --probe-article URL
//!                  [--count 1000] [--connections 10] [--probes 5]
//! ```
//!
//! `replies` is the remote side of `benches/comments.sh` (see src/replies.rs).
//!
//! `sender` plays a fediverse account: it serves its actor document (with
//! its RSA key) on loopback, sends the site two signed activities (the first
//! makes the site fetch and cache the key, the second must not fetch it
//! again) and prints `ready ...`. Then each `sign COUNT FILE` writes COUNT
//! more signed POSTs, every one with its own activity id, as raw HTTP
//! requests (`<length>\n<bytes>` each) for `wrk` and `replay.lua`, and
//! prints `signed ...`; `stop` (or the end of stdin) prints how many times
//! the site fetched the actor, and exits.
//!
//! `sample` writes one request of the same shape, signed by a throwaway key,
//! for the baselines (same headers and body; nothing checks them).
//!
//! `fanout` plays many receiving servers: it listens on HOSTS loopback ports,
//! records the followers (spread over the hosts, with a shared inbox each or
//! only personal inboxes) in the site's database through the library,
//! enqueues one activity for `Store::follower_inboxes()`, runs `affiche queue
//! run` once and times it, and checks that every inbox got the activity
//! exactly once, with a signature that verifies against the site's key.
//! Results are `key=value` lines on stdout; a failed check also prints
//! `FAIL: ...` on stderr and exits with status 2.

use std::collections::HashMap;
use std::io::{BufRead as _, BufWriter, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use affiche::federation::signatures::{self, SigningKey};
use affiche::store::{RemoteActor, Store};
use anyhow::{Context as _, Result, bail, ensure};
use http::Method;
use serde_json::{Value, json};

mod replies;

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("sender") => Args::parse(&args[1..]).and_then(|a| sender(&a)),
        Some("sample") => Args::parse(&args[1..]).and_then(|a| sample(&a)),
        Some("fanout") => Args::parse(&args[1..]).and_then(|a| fanout(&a)),
        Some("replies") => Args::parse(&args[1..]).and_then(|a| replies::replies(&a)),
        _ => Err(anyhow::anyhow!(
            "usage: fedbench sender ... | fedbench sample ... | fedbench fanout ... | fedbench replies ... (see the top of benches/fedbench/src/main.rs)"
        )),
    };
    match result {
        Ok(true) => {}
        Ok(false) => std::process::exit(2),
        Err(err) => {
            eprintln!("fedbench: error: {err:#}");
            std::process::exit(1);
        }
    }
}

/// `--key value` pairs.
struct Args(HashMap<String, String>);

impl Args {
    fn parse(list: &[String]) -> Result<Args> {
        let mut map = HashMap::new();
        let mut it = list.iter();
        while let Some(key) = it.next() {
            let name = key
                .strip_prefix("--")
                .with_context(|| format!("expected --option, got {key:?}"))?;
            let value = it.next().with_context(|| format!("{key} needs a value"))?;
            map.insert(name.to_string(), value.clone());
        }
        Ok(Args(map))
    }

    fn text(&self, key: &str) -> Result<String> {
        self.0
            .get(key)
            .cloned()
            .with_context(|| format!("--{key} is required"))
    }

    fn text_or(&self, key: &str, default: &str) -> String {
        self.0
            .get(key)
            .cloned()
            .unwrap_or_else(|| default.to_string())
    }

    fn num(&self, key: &str, default: Option<u64>) -> Result<u64> {
        match (self.0.get(key), default) {
            (Some(v), _) => v
                .parse()
                .with_context(|| format!("--{key} must be a number, got {v:?}")),
            (None, Some(d)) => Ok(d),
            (None, None) => bail!("--{key} is required"),
        }
    }
}

/// Something unique enough per run: ids must not collide with an earlier run.
fn nonce() -> String {
    format!(
        "{:x}{:x}",
        jiff::Timestamp::now().as_nanosecond(),
        std::process::id()
    )
}

fn filler(bytes: usize) -> String {
    const WORDS: &str = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. ";
    WORDS.chars().cycle().take(bytes).collect()
}

// ---------------------------------------------------------------------------
// inbox-prep

/// An activity type nobody handles: the site checks, stores and ignores it.
fn dance(actor_id: &str, id: &str, body_bytes: usize) -> String {
    let mut activity = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{actor_id}/dances/{id}"),
        "type": "Dance",
        "actor": actor_id,
        "to": [PUBLIC],
        "cc": [format!("{actor_id}/followers")],
        "object": {"type": "Note", "attributedTo": actor_id, "content": ""},
    });
    let size = activity.to_string().len();
    activity["object"]["content"] = json!(format!(
        "<p>{}</p>",
        filler(body_bytes.saturating_sub(size + 7))
    ));
    activity.to_string()
}

/// A signed POST as raw HTTP/1.1 bytes, `Host` as signed.
fn signed_request(site: &str, path: &str, key: &SigningKey, body: &str) -> Result<Vec<u8>> {
    let url = format!("http://{site}{path}");
    let headers = signatures::sign(
        key,
        &Method::POST,
        &url,
        Some(body.as_bytes()),
        jiff::Timestamp::now(),
    )?;
    let mut head = format!("POST {path} HTTP/1.1\r\n");
    for (name, value) in &headers {
        head.push_str(&format!(
            "{}: {}\r\n",
            name.as_str(),
            value.to_str().context("a signed header is not text")?
        ));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body.as_bytes());
    Ok(bytes)
}

/// Sends one request on its own connection; returns the status and the response.
fn send_once(site: &str, request: &[u8]) -> Result<(u16, String)> {
    let mut stream =
        TcpStream::connect(site).with_context(|| format!("cannot connect to {site}"))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    // HTTP/1.0 semantics for this one: ask the server to close.
    let text = String::from_utf8_lossy(request).replacen("\r\n", "\r\nConnection: close\r\n", 1);
    stream.write_all(text.as_bytes())?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .with_context(|| format!("not an HTTP response: {response:?}"))?;
    Ok((status, response))
}

/// Writes requests in the `<length>\n<bytes>` form `replay.lua` reads.
fn write_requests(path: &std::path::Path, requests: &[Vec<u8>]) -> Result<()> {
    let mut file = BufWriter::new(
        std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?,
    );
    for request in requests {
        writeln!(file, "{}", request.len())?;
        file.write_all(request)?;
    }
    file.flush()?;
    Ok(())
}

fn sample(args: &Args) -> Result<bool> {
    let site = args.text("site")?;
    let out = PathBuf::from(args.text("out")?);
    let body_bytes = usize::try_from(args.num("body-bytes", Some(1000))?)?;
    let actor_id = "http://127.0.0.1:9/users/sample";
    let pair = affiche::keys::generate(0)?;
    let key = SigningKey::from_pem(&format!("{actor_id}#main-key"), &pair.private_pem)?;
    let body = dance(actor_id, &nonce(), body_bytes);
    let request = signed_request(&site, "/inbox", &key, &body)?;
    write_requests(&out, &[request])?;
    if let Some(path) = args.0.get("body-out") {
        std::fs::write(path, &body).with_context(|| format!("cannot write {path}"))?;
    }
    Ok(true)
}

/// Signs `count` distinct activities, numbered from `first`, on every core
/// (a signature costs about a millisecond).
fn sign_many(
    site: &str,
    key: &SigningKey,
    actor_id: &str,
    run: &str,
    first: usize,
    count: usize,
    body_bytes: usize,
) -> Result<Vec<Vec<u8>>> {
    let threads = std::thread::available_parallelism().map_or(2, usize::from);
    let chunk = count.div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..count)
            .step_by(chunk)
            .map(|start| {
                scope.spawn(move || {
                    (start..(start + chunk).min(count))
                        .map(|i| {
                            signed_request(
                                site,
                                "/inbox",
                                key,
                                &dance(actor_id, &format!("{run}-{}", first + i), body_bytes),
                            )
                        })
                        .collect::<Result<Vec<_>>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .map_err(|_| anyhow::anyhow!("a signing thread panicked"))?
            })
            .collect::<Result<Vec<Vec<_>>>>()
            .map(|parts| parts.into_iter().flatten().collect())
    })
}

fn sender(args: &Args) -> Result<bool> {
    let site = args.text("site")?;
    let body_bytes = usize::try_from(args.num("body-bytes", Some(1000))?)?;

    let server = Arc::new(
        tiny_http::Server::http("127.0.0.1:0")
            .map_err(|e| anyhow::anyhow!("cannot start the actor server: {e}"))?,
    );
    let port = server
        .server_addr()
        .to_ip()
        .context("the actor server has no IP address")?
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let actor_id = format!("{base}/users/bench");
    let pair = affiche::keys::generate(0)?;
    let key = SigningKey::from_pem(&format!("{actor_id}#main-key"), &pair.private_pem)?;
    let document = json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": actor_id, "type": "Person", "preferredUsername": "bench", "name": "Bench",
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
    let prime = |n: u32| -> Result<f64> {
        let request = signed_request(
            &site,
            "/inbox",
            &key,
            &dance(&actor_id, &format!("{run}-prime-{n}"), body_bytes),
        )?;
        let started = Instant::now();
        let (status, response) = send_once(&site, &request)?;
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        ensure!(
            status == 202,
            "the site answered {status} to a signed activity, not 202:\n{response}"
        );
        Ok(ms)
    };
    let first_ms = prime(1)?;
    ensure!(
        fetches.load(Ordering::SeqCst) == 1,
        "the first activity should have made the site fetch the sender's actor once; it fetched it {} times",
        fetches.load(Ordering::SeqCst)
    );
    let cached_ms = prime(2)?;
    ensure!(
        fetches.load(Ordering::SeqCst) == 1,
        "the sender's key was not cached: the site fetched the actor again for the second activity"
    );
    let body_len = dance(&actor_id, &format!("{run}-0"), body_bytes).len();
    println!(
        "ready actor={actor_id} body_bytes={body_len} first_ms={first_ms:.1} cached_ms={cached_ms:.1}"
    );

    // Commands until stdin closes; the actor stays served (a fetch would
    // show a broken key cache).
    let stdin = std::io::stdin();
    let mut line = String::new();
    let mut next = 0;
    loop {
        line.clear();
        if stdin.lock().read_line(&mut line)? == 0 {
            break;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["sign", count, file] => {
                let count: usize = count
                    .parse()
                    .context("sign COUNT FILE: COUNT must be a number")?;
                let started = Instant::now();
                let requests = sign_many(&site, &key, &actor_id, &run, next, count, body_bytes)?;
                next += count;
                write_requests(std::path::Path::new(file), &requests)?;
                println!(
                    "signed n={count} seconds={:.1} request_bytes={}",
                    started.elapsed().as_secs_f64(),
                    requests.first().map_or(0, Vec::len)
                );
            }
            ["stop"] => break,
            _ => bail!("unknown command {:?} (sign COUNT FILE | stop)", line.trim()),
        }
    }
    println!("actor_fetches={}", fetches.load(Ordering::SeqCst));
    Ok(true)
}

// ---------------------------------------------------------------------------
// fanout

/// One POST a fake inbox received.
struct Hit {
    host: usize,
    path: String,
    activity_id: String,
    verified: Result<(), String>,
    at: Instant,
}

struct Inboxes {
    hits: Mutex<Vec<Hit>>,
    public_pem: String,
    delay: Duration,
    slow_delay: Duration,
    slow_every: usize,
}

impl Inboxes {
    fn is_slow(&self, host: usize) -> bool {
        self.slow_every > 0 && host.is_multiple_of(self.slow_every)
    }
}

/// Starts `hosts` listeners on loopback; returns their ports.
fn start_hosts(hosts: usize, inboxes: &Arc<Inboxes>) -> Result<Vec<u16>> {
    let mut ports = Vec::with_capacity(hosts);
    for host in 0..hosts {
        let listener = TcpListener::bind("127.0.0.1:0")
            .context("cannot open a loopback listener (too many open files? raise `ulimit -n`)")?;
        ports.push(listener.local_addr()?.port());
        let inboxes = Arc::clone(inboxes);
        std::thread::Builder::new()
            .stack_size(64 * 1024)
            .spawn(move || {
                for stream in listener.incoming().flatten() {
                    let inboxes = Arc::clone(&inboxes);
                    let _ = std::thread::Builder::new()
                        .stack_size(512 * 1024)
                        .spawn(move || serve_connection(stream, host, &inboxes));
                }
            })
            .context("cannot start a listener thread")?;
    }
    Ok(ports)
}

/// HTTP/1.1 with keep-alive, just enough for deliveries.
fn serve_connection(mut stream: TcpStream, host: usize, inboxes: &Inboxes) {
    let _ = stream.set_nodelay(true);
    let mut buf: Vec<u8> = Vec::with_capacity(8192);
    let mut chunk = [0u8; 8192];
    loop {
        let parsed = loop {
            let mut headers = [httparse::EMPTY_HEADER; 48];
            let mut request = httparse::Request::new(&mut headers);
            match request.parse(&buf) {
                Ok(httparse::Status::Complete(head)) => {
                    let method = request.method.unwrap_or("").to_string();
                    let path = request.path.unwrap_or("").to_string();
                    let headers: Vec<(String, Vec<u8>)> = request
                        .headers
                        .iter()
                        .map(|h| (h.name.to_ascii_lowercase(), h.value.to_vec()))
                        .collect();
                    break Some((head, method, path, headers));
                }
                Ok(httparse::Status::Partial) => match stream.read(&mut chunk) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                },
                Err(_) => break None,
            }
        };
        let Some((head, method, path, headers)) = parsed else {
            let _ = stream.write_all(
                b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
            return;
        };
        let length: usize = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .and_then(|(_, v)| std::str::from_utf8(v).ok()?.trim().parse().ok())
            .unwrap_or(0);
        while buf.len() < head + length {
            match stream.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        let body = buf[head..head + length].to_vec();
        buf.drain(..head + length);

        if method != "POST" {
            let _ = stream.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
            continue;
        }
        let mut builder = http::Request::post(path.as_str());
        for (name, value) in &headers {
            builder = builder.header(name.as_str(), value.as_slice());
        }
        let verified = builder
            .body(body.clone())
            .map_err(|e| format!("unreadable request: {e}"))
            .and_then(|request| {
                signatures::check(&request, &path, jiff::Timestamp::now())
                    .and_then(|signed| signed.verify(&inboxes.public_pem))
                    .map_err(|e| e.to_string())
            });
        let activity_id = serde_json::from_slice::<Value>(&body)
            .ok()
            .and_then(|v| v["id"].as_str().map(str::to_string))
            .unwrap_or_default();
        let at = Instant::now();
        if let Ok(mut hits) = inboxes.hits.lock() {
            hits.push(Hit {
                host,
                path,
                activity_id,
                verified,
                at,
            });
        }
        let delay = if inboxes.is_slow(host) {
            inboxes.slow_delay
        } else {
            inboxes.delay
        };
        if !delay.is_zero() {
            std::thread::sleep(delay);
        }
        if stream
            .write_all(b"HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n")
            .is_err()
        {
            return;
        }
    }
}

fn fanout(args: &Args) -> Result<bool> {
    let bin = args.text("bin")?;
    let config_path = PathBuf::from(args.text("config")?);
    let hosts = usize::try_from(args.num("hosts", Some(1000))?)?;
    let followers = usize::try_from(args.num("followers", Some(10_000))?)?;
    let mode = args.text_or("inboxes", "shared");
    let shared = match mode.as_str() {
        "shared" => true,
        "personal" => false,
        other => bail!("--inboxes must be shared or personal, got {other:?}"),
    };
    let delay = Duration::from_millis(args.num("delay-ms", Some(0))?);
    let slow_hosts = usize::try_from(args.num("slow-hosts", Some(0))?)?;
    let slow_delay = Duration::from_millis(args.num("slow-ms", Some(5000))?);
    let budget = args.num("budget", Some(120))?;
    ensure!(
        hosts > 0 && followers >= hosts,
        "need hosts > 0 and followers >= hosts"
    );
    ensure!(slow_hosts <= hosts, "--slow-hosts cannot exceed --hosts");

    let config = affiche::config::Config::load(&config_path)?;
    ensure!(
        config.federation.allow_private_addresses_for_testing,
        "{}: set federation.allow_private_addresses_for_testing = true, or the worker refuses loopback inboxes",
        config_path.display()
    );
    let store = Store::open(&config.database_path(), false)?;
    let public_pem = store
        .site_key()?
        .context("the site has no key: was it made by `affiche init`?")?
        .public_pem;

    let inboxes = Arc::new(Inboxes {
        hits: Mutex::new(Vec::with_capacity(followers)),
        public_pem,
        delay,
        slow_delay,
        slow_every: hosts.checked_div(slow_hosts).unwrap_or(0),
    });
    let ports = start_hosts(hosts, &inboxes)?;
    let base = |host: usize| format!("http://127.0.0.1:{}", ports[host]);
    let actor_of = |k: usize| format!("{}/users/u{}", base(k % hosts), k / hosts);

    // The followers, as the inbox would have recorded them after their Follow.
    let now = jiff::Timestamp::now().as_second();
    let setup = Instant::now();
    store.transaction(|store| {
        for k in 0..followers {
            let host = k % hosts;
            let id = actor_of(k);
            store.save_remote_actor(&RemoteActor {
                id: id.clone(),
                key_id: format!("{id}#main-key"),
                inbox: format!("{id}/inbox"),
                shared_inbox: if shared {
                    format!("{}/inbox", base(host))
                } else {
                    String::new()
                },
                handle: format!("u{}@127.0.0.1:{}", k / hosts, ports[host]),
                fetched_at: now,
                ..RemoteActor::default()
            })?;
            store.add_follower(&id, &format!("{id}/follows/site"), now)?;
        }
        Ok(())
    })?;
    let targets = store.follower_inboxes()?;
    let expected = if shared { hosts } else { followers };
    ensure!(
        targets.len() == expected,
        "Store::follower_inboxes() gave {} inboxes for {followers} followers on {hosts} hosts ({mode} inboxes); expected {expected}",
        targets.len()
    );
    let run = nonce();
    let activity_id = format!("{}/articles/fanout-{run}/#create", config.base_url);
    let note_id = format!("{}/articles/fanout-{run}/", config.base_url);
    let actor = format!("{}/actor", config.base_url);
    let mut body = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": activity_id, "type": "Create", "actor": actor,
        "published": jiff::Timestamp::now().to_string(),
        "to": [PUBLIC], "cc": [format!("{actor}/followers")],
        "object": {
            "id": note_id, "type": "Note", "attributedTo": actor, "url": note_id,
            "to": [PUBLIC], "cc": [format!("{actor}/followers")],
            "content": format!("<p>{}</p>", filler(1200)),
        },
    })
    .to_string();
    body.shrink_to_fit();
    let queued = store.enqueue(&activity_id, &body, &targets, now)?;
    ensure!(
        queued == expected,
        "enqueue queued {queued} deliveries, expected {expected}"
    );
    let setup_ms = setup.elapsed().as_secs_f64() * 1000.0;

    // The worker, as cron would run it.
    let started = Instant::now();
    let output = Command::new(&bin)
        .arg("--config")
        .arg(&config_path)
        .args(["queue", "run", "--budget", &budget.to_string()])
        .env_remove("GATEWAY_INTERFACE")
        .output()
        .with_context(|| format!("cannot run {bin}"))?;
    let elapsed = started.elapsed();
    let worker_out = String::from_utf8_lossy(&output.stdout)
        .trim()
        .replace('\n', " | ");
    let worker_err = String::from_utf8_lossy(&output.stderr)
        .trim()
        .replace('\n', " | ");

    let status = store.queue_status(jiff::Timestamp::now().as_second())?;
    let hits = std::mem::take(
        &mut *inboxes
            .hits
            .lock()
            .map_err(|_| anyhow::anyhow!("poisoned"))?,
    );

    // Checks: every inbox exactly once, the right activity, signed by the site.
    let mut per_inbox: HashMap<(usize, String), usize> = HashMap::new();
    for hit in &hits {
        *per_inbox.entry((hit.host, hit.path.clone())).or_default() += 1;
    }
    let wanted: Vec<(usize, String)> = if shared {
        (0..hosts).map(|h| (h, "/inbox".to_string())).collect()
    } else {
        (0..followers)
            .map(|k| (k % hosts, format!("/users/u{}/inbox", k / hosts)))
            .collect()
    };
    let missed = wanted
        .iter()
        .filter(|w| !per_inbox.contains_key(*w))
        .count();
    let repeated = per_inbox.values().filter(|&&n| n > 1).count();
    let wanted_set: std::collections::HashSet<&(usize, String)> = wanted.iter().collect();
    let unexpected = per_inbox.keys().filter(|k| !wanted_set.contains(k)).count();
    let bad_signatures: Vec<&String> = hits
        .iter()
        .filter_map(|h| h.verified.as_ref().err())
        .collect();
    let wrong_body = hits.iter().filter(|h| h.activity_id != activity_id).count();
    let hosts_reached = {
        let mut seen = vec![false; hosts];
        for hit in &hits {
            seen[hit.host] = true;
        }
        seen.iter().filter(|s| **s).count()
    };
    // A follower is covered when the inbox it is reached through got the activity.
    let covered = (0..followers)
        .filter(|&k| {
            let path = if shared {
                "/inbox".to_string()
            } else {
                format!("/users/u{}/inbox", k / hosts)
            };
            per_inbox.contains_key(&(k % hosts, path))
        })
        .count();
    let first = hits.iter().map(|h| h.at).min();
    let last = hits.iter().map(|h| h.at).max();
    let ms = |t: Option<Instant>| t.map_or(0.0, |t| (t - started).as_secs_f64() * 1000.0);

    let seconds = elapsed.as_secs_f64();
    println!("mode={mode}");
    println!("hosts={hosts}");
    println!("followers={followers}");
    println!("inboxes={expected}");
    println!("body_bytes={}", body.len());
    println!("setup_ms={setup_ms:.0}");
    println!("total_s={seconds:.3}");
    println!("deliveries_per_s={:.1}", status.done as f64 / seconds);
    println!("first_delivery_ms={:.1}", ms(first));
    println!("last_delivery_ms={:.1}", ms(last));
    println!("posts_received={}", hits.len());
    println!("hosts_reached={hosts_reached}");
    println!("followers_covered={covered}");
    println!("missed={missed}");
    println!("repeated={repeated}");
    println!("unexpected={unexpected}");
    println!("bad_signatures={}", bad_signatures.len());
    println!("wrong_body={wrong_body}");
    println!(
        "queue_done={} queue_pending={} queue_dropped={}",
        status.done, status.pending, status.dropped
    );
    println!("worker_exit={}", output.status.code().unwrap_or(-1));
    println!("worker_stdout={worker_out}");
    if !worker_err.is_empty() {
        println!("worker_stderr={worker_err}");
    }

    let mut problems = Vec::new();
    if !output.status.success() {
        problems.push(format!(
            "`affiche queue run` failed ({}): {worker_err}",
            output.status
        ));
    }
    if missed > 0 {
        problems.push(format!("{missed} of {expected} inboxes got nothing"));
    }
    if repeated > 0 {
        problems.push(format!(
            "{repeated} inboxes got the activity more than once"
        ));
    }
    if unexpected > 0 {
        problems.push(format!(
            "{unexpected} POSTs went to inboxes nobody follows from"
        ));
    }
    if let Some(first) = bad_signatures.first() {
        problems.push(format!(
            "{} POSTs had a signature that does not verify, e.g.: {first}",
            bad_signatures.len()
        ));
    }
    if wrong_body > 0 {
        problems.push(format!("{wrong_body} POSTs carried another activity"));
    }
    if status.pending > 0 || status.dropped > 0 || status.done != expected {
        problems.push(format!(
            "the queue is not drained: done {}, pending {}, dropped {} (of {expected}); last errors: {:?}",
            status.done,
            status.pending,
            status.dropped,
            status.recent_errors.iter().take(3).collect::<Vec<_>>()
        ));
    }
    for problem in &problems {
        eprintln!("FAIL: {problem}");
    }
    Ok(problems.is_empty())
}
