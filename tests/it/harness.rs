//! A small harness: each test gets its own site in a temp dir and runs the
//! real binary with a cleaned environment.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_affiche");

/// A command for the binary with nothing inherited but PATH.
pub fn command() -> Command {
    let mut command = Command::new(BIN);
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default());
    command
}

pub fn text(output: &Output) -> String {
    format!(
        "status: {}\nstdout:\n{}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

pub struct Site {
    pub dir: tempfile::TempDir,
    pub config: PathBuf,
    pub docroot: PathBuf,
}

impl Site {
    pub fn new() -> Site {
        Site::with_base_url("https://example.org")
    }

    pub fn with_base_url(base_url: &str) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let output = command()
            .args([
                "init",
                root.to_str().unwrap(),
                "--title",
                "Test site",
                "--base-url",
                base_url,
            ])
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", text(&output));
        Site {
            config: root.join("affiche.toml"),
            docroot: root.join("public_html"),
            dir,
        }
    }

    pub fn root(&self) -> PathBuf {
        self.config.parent().unwrap().to_path_buf()
    }

    /// Runs `affiche --config <site> ARGS`.
    pub fn run(&self, args: &[&str]) -> Output {
        command()
            .arg("--config")
            .arg(&self.config)
            .args(args)
            .output()
            .unwrap()
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(output.status.success(), "{}", text(&output));
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Writes a Markdown file with front matter into the site's scratch folder.
    pub fn article(&self, name: &str, front: &str, body: &str) -> PathBuf {
        let dir = self.dir.path().join("md");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.md"));
        std::fs::write(&path, format!("+++\n{front}\n+++\n{body}\n")).unwrap();
        path
    }

    pub fn import(&self, files: &[PathBuf]) -> Output {
        let mut args = vec!["article".to_string(), "import".to_string()];
        args.extend(files.iter().map(|f| f.display().to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        self.run(&args)
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.docroot.join(relative))
            .unwrap_or_else(|err| panic!("{relative}: {err}"))
    }

    pub fn exists(&self, relative: &str) -> bool {
        self.docroot.join(relative).exists()
    }

    /// Every file of the docroot with its inode and content: a rename-based
    /// write shows as a new inode even when the content is the same.
    pub fn snapshot(&self) -> BTreeMap<String, (u64, Vec<u8>)> {
        snapshot(&self.docroot)
    }

    /// The number of rows in the articles table, read by sqlite through the CLI.
    pub fn article_slugs(&self) -> Vec<String> {
        let out = self.ok(&["article", "list"]);
        out.lines()
            .map(|l| l.split('\t').next().unwrap().to_string())
            .collect()
    }
}

pub fn snapshot(root: &Path) -> BTreeMap<String, (u64, Vec<u8>)> {
    let mut files = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(root).unwrap().display().to_string();
                let meta = entry.metadata().unwrap();
                files.insert(relative, (meta.ino(), std::fs::read(&path).unwrap()));
            }
        }
    }
    files
}

/// Files added, removed or rewritten between two snapshots.
pub fn changed(
    before: &BTreeMap<String, (u64, Vec<u8>)>,
    after: &BTreeMap<String, (u64, Vec<u8>)>,
) -> Vec<String> {
    let mut names: Vec<String> = before
        .keys()
        .chain(after.keys())
        .filter(|k| before.get(*k).map(|v| v.0) != after.get(*k).map(|v| v.0))
        .cloned()
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Runs the binary as a CGI program with `env` and `stdin`.
pub fn cgi(env: &[(&str, &str)], stdin: &[u8]) -> Output {
    let mut command = command();
    command
        .env("GATEWAY_INTERFACE", "CGI/1.1")
        .env("SERVER_PROTOCOL", "HTTP/1.1");
    for (k, v) in env {
        command.env(k, v);
    }
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    // The child may answer without reading (413): a broken pipe is fine.
    let _ = pipe.write_all(stdin);
    drop(pipe);
    child.wait_with_output().unwrap()
}

/// The status code of a CGI response (`Status: NNN ...` first line).
pub fn cgi_status(output: &Output) -> u16 {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let first = stdout.lines().next().unwrap_or_default();
    first
        .strip_prefix("Status: ")
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no Status line in CGI output:\n{}", text(output)))
}

/// One raw HTTP/1.0 exchange with `address`: returns (status, whole response).
pub fn http(address: &str, head: &str, body: &[u8]) -> (u16, String) {
    use std::io::Read as _;
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream.write_all(head.as_bytes()).unwrap();
    // The server may answer (413) and close before the body is sent.
    let _ = stream.write_all(body);
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, response)
}

/// `affiche serve --port 0` on a site, stopped when dropped.
pub struct Server {
    child: std::process::Child,
    pub address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Site {
    /// Starts `affiche serve` on a free port and waits for its address line.
    pub fn serve(&self) -> Server {
        use std::io::BufRead as _;
        let mut child = command()
            .arg("--config")
            .arg(&self.config)
            .args(["serve", "--port", "0"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let address = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_string();
        Server { child, address }
    }
}

/// Gives the files this process made in the site back to the user Apache
/// runs the CGI as (when the tests run as root).
pub fn give_to_apache(site: &Site) {
    if !is_root() {
        return;
    }
    // A worker may be renaming files meanwhile (a background re-render):
    // chown -R then fails on a temp file gone; a new walk is enough.
    let chowned = (0..5).any(|_| {
        Command::new("chown")
            .args(["-R", "www-data:www-data"])
            .arg(site.root())
            .stderr(Stdio::null())
            .status()
            .unwrap()
            .success()
    });
    assert!(
        chowned,
        "chown -R {} failed five times",
        site.root().display()
    );
}

/// Whether the tests run as root (then Apache's children run as www-data,
/// and file permissions do not stop this process).
pub fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .map(|s| {
            s.lines()
                .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}
