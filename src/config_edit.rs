//! Changing `affiche.toml` in place from the admin pages: set scalar keys,
//! add or remove values of list keys, keeping the owner's comments and
//! layout (`toml_edit`). Every value is checked, then the whole resulting
//! text goes through [`Config::parse`]; only then is the file replaced,
//! atomically (a temp file in the same folder, renamed over it, with the
//! same permissions), the previous version kept as `affiche.toml.bak`.

use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow};
use toml_edit::{Array, DocumentMut, Item, Table, Value};

use crate::config::Config;
use crate::i18n::{I18n, Lang, Messages};

/// One change to the config. Keys are dotted paths: `"authors.policy"`,
/// `"federation.blocked_domains"`, `"language"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// Sets a string key (`authors.policy = "review"`).
    Set { key: String, value: String },
    /// Replaces a whole list.
    SetList { key: String, values: Vec<String> },
    /// Adds a value to a list unless it is there already (same value, case
    /// and a leading `@` or `.` aside).
    Add { key: String, value: String },
    /// Removes a value from a list (compared the same way); absent is fine.
    Remove { key: String, value: String },
}

impl Edit {
    pub fn set(key: &str, value: &str) -> Edit {
        Edit::Set {
            key: key.into(),
            value: value.into(),
        }
    }
    pub fn set_list(key: &str, values: Vec<String>) -> Edit {
        Edit::SetList {
            key: key.into(),
            values,
        }
    }
    pub fn add(key: &str, value: &str) -> Edit {
        Edit::Add {
            key: key.into(),
            value: value.into(),
        }
    }
    pub fn remove(key: &str, value: &str) -> Edit {
        Edit::Remove {
            key: key.into(),
            value: value.into(),
        }
    }

    fn key(&self) -> &str {
        match self {
            Edit::Set { key, .. }
            | Edit::SetList { key, .. }
            | Edit::Add { key, .. }
            | Edit::Remove { key, .. } => key,
        }
    }
}

/// What one key was and became, for the server log ("who changed what").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub key: String,
    pub before: String,
    pub after: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} -> {}", self.key, self.before, self.after)
    }
}

/// One problem to show the admin: a `settings-problem-` message of the
/// catalogs and its variables (the key, the bad value...), so the page
/// says it in the admin's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub id: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Problem {
    fn new(id: &'static str, args: &[(&'static str, &str)]) -> Problem {
        Problem {
            id,
            args: args
                .iter()
                .map(|(name, value)| (*name, value.to_string()))
                .collect(),
        }
    }

    /// The same problem told about another value (a domain checked
    /// without its port is shown with it).
    fn about(mut self, value: &str) -> Problem {
        for (name, shown) in &mut self.args {
            if *name == "value" {
                *shown = value.to_string();
            }
        }
        self
    }

    /// The problem in the language of `words`.
    pub fn text(&self, words: &Messages) -> String {
        let args: Vec<(&str, crate::i18n::Arg<'_>)> = self
            .args
            .iter()
            .map(|(name, value)| (*name, value.as_str().into()))
            .collect();
        words.t_with(self.id, &args)
    }
}

/// In English, for callers without a visitor (the CLI, the server log).
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let english = Messages::new(std::sync::Arc::new(I18n::new()), Lang::ENGLISH);
        write!(f, "{}", self.text(&english))
    }
}

/// Why nothing was written.
#[derive(Debug)]
pub enum EditError {
    /// Bad values: one problem each, all of them, to show at once.
    Invalid(Vec<Problem>),
    /// The file or its folder cannot be written (read-only): the problem
    /// says which and what to do.
    NotWritable(Problem),
    /// Anything else (the file cannot be read, the disk is full...).
    Failed(anyhow::Error),
}

impl EditError {
    /// What to show the admin, in the language of `words`; `Failed` is
    /// not for her eyes and says nothing here.
    pub fn problems(&self, words: &Messages) -> Vec<String> {
        match self {
            EditError::Invalid(problems) => problems.iter().map(|p| p.text(words)).collect(),
            EditError::NotWritable(why) => vec![why.text(words)],
            EditError::Failed(_) => Vec::new(),
        }
    }
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::Invalid(problems) => {
                let texts: Vec<String> = problems.iter().map(Problem::to_string).collect();
                write!(f, "{}", texts.join("; "))
            }
            EditError::NotWritable(why) => write!(f, "{why}"),
            EditError::Failed(err) => write!(f, "{err:#}"),
        }
    }
}

impl std::error::Error for EditError {}

/// The file written and the config it now holds.
#[derive(Debug)]
pub struct Edited {
    pub config: Config,
    pub changes: Vec<Change>,
}

/// Applies `edits` to the config file at `path` and writes it, or changes
/// nothing and says why. No change at all writes nothing (and no backup).
pub fn edit_file(path: &Path, edits: &[Edit]) -> Result<Edited, EditError> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the config file {}", path.display()))
        .map_err(EditError::Failed)?;
    // The bad values, then what the good ones would make of the whole file
    // (an empty instance list...): every problem in one answer.
    let mut problems: Vec<Problem> = edits.iter().flat_map(check_values).collect();
    let good: Vec<Edit> = edits.iter().filter_map(without_bad_values).collect();
    let (new_text, changes) = apply_checked(&text, &good)?;
    let config = match check(&new_text, path) {
        Ok(config) if problems.is_empty() => config,
        Ok(_) => return Err(EditError::Invalid(problems)),
        Err(EditError::Invalid(more)) => {
            problems.extend(more);
            return Err(EditError::Invalid(problems));
        }
        Err(other) => return Err(other),
    };
    if changes.is_empty() {
        return Ok(Edited { config, changes });
    }
    write_atomically(path, &text, &new_text)?;
    Ok(Edited { config, changes })
}

/// Applies `edits` to config text: the new text and what changed, or every
/// problem found. Pure, so it is tested without files.
pub fn apply(text: &str, edits: &[Edit]) -> Result<(String, Vec<Change>), EditError> {
    let problems: Vec<Problem> = edits.iter().flat_map(check_values).collect();
    if !problems.is_empty() {
        return Err(EditError::Invalid(problems));
    }
    apply_checked(text, edits)
}

/// An edit without the values [`check_value`] refuses; `None` when nothing
/// is left of it.
fn without_bad_values(edit: &Edit) -> Option<Edit> {
    let key = edit.key();
    match edit {
        Edit::Set { value, .. } | Edit::Add { value, .. } => {
            check_value(key, value).is_ok().then(|| edit.clone())
        }
        Edit::SetList { values, .. } => Some(Edit::set_list(
            key,
            values
                .iter()
                .filter(|v| check_value(key, v).is_ok())
                .cloned()
                .collect(),
        )),
        Edit::Remove { .. } => Some(edit.clone()),
    }
}

/// [`apply`] for values already checked.
fn apply_checked(text: &str, edits: &[Edit]) -> Result<(String, Vec<Change>), EditError> {
    let mut doc: DocumentMut = text.parse().map_err(|err: toml_edit::TomlError| {
        EditError::Invalid(vec![Problem::new(
            "settings-problem-not-toml",
            &[("error", err.to_string().trim_end())],
        )])
    })?;
    let mut changes = Vec::new();
    for edit in edits {
        let (table, leaf) = table_for(&mut doc, edit.key())?;
        let before = table.get(leaf).map(show).unwrap_or_else(|| "unset".into());
        match edit {
            Edit::Set { value, .. } => set_scalar(table, leaf, value),
            Edit::SetList { values, .. } => {
                let wanted: Vec<String> = dedup(values)
                    .iter()
                    .map(|v| normalize(edit.key(), v))
                    .collect();
                // The same values keep the owner's layout of the list.
                let current = table.get(leaf).and_then(Item::as_array).map(|list| {
                    list.iter()
                        .map(|v| v.as_str().unwrap_or_default().to_string())
                        .collect::<Vec<_>>()
                });
                if current.as_ref() != Some(&wanted) {
                    let mut list = Array::new();
                    for value in wanted {
                        list.push(value);
                    }
                    set_array(table, leaf, list);
                }
            }
            Edit::Add { value, .. } => {
                let mut list = current_list(table, leaf, edit.key())?;
                let value = normalize(edit.key(), value);
                if !list
                    .iter()
                    .any(|v| v.as_str().is_some_and(|v| same(v, &value)))
                {
                    list.push(value);
                }
                set_array(table, leaf, list);
            }
            Edit::Remove { value, .. } => {
                let mut list = current_list(table, leaf, edit.key())?;
                list.retain(|v| !v.as_str().is_some_and(|v| same(v, value)));
                set_array(table, leaf, list);
            }
        }
        let after = table.get(leaf).map(show).unwrap_or_else(|| "unset".into());
        if before != after {
            changes.push(Change {
                key: edit.key().to_string(),
                before,
                after,
            });
        }
    }
    Ok((doc.to_string(), changes))
}

/// Parses the whole new text as the site would, plus the checks that span
/// keys; every problem found is listed.
fn check(text: &str, path: &Path) -> Result<Config, EditError> {
    let base_dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut config = Config::parse(text, &path.display().to_string(), &base_dir)
        // The whole-file checks of `Config::parse` speak English only.
        .map_err(|err| {
            EditError::Invalid(vec![Problem::new(
                "settings-problem-config",
                &[("error", &format!("{err:#}"))],
            )])
        })?;
    config.path = path.to_path_buf();
    let mut problems = Vec::new();
    if config.authors.policy == crate::config::AuthorPolicy::Instances
        && config.authors.instances.is_empty()
    {
        problems.push(Problem::new("settings-problem-instances-empty", &[]));
    }
    if config.authors.policy == crate::config::AuthorPolicy::Handles
        && config.authors.handles.is_empty()
    {
        problems.push(Problem::new("settings-problem-handles-empty", &[]));
    }
    for handle in &config.authors.blocked {
        if config.admin.is_admin(handle) {
            problems.push(Problem::new(
                "settings-problem-admin-blocked",
                &[("handle", handle)],
            ));
        }
    }
    // An admin logs in through her server (look-up and DM): blocking it,
    // or her account, would lock her out.
    let federation = &config.federation;
    for handle in &config.admin.handles {
        let bare = handle.trim().trim_start_matches('@');
        let server = bare.rsplit_once('@').map(|(_, host)| host).unwrap_or("");
        if federation.blocks_host(server) {
            problems.push(Problem::new(
                "settings-problem-admin-server-blocked",
                &[("server", server), ("handle", bare)],
            ));
        } else if federation.blocks("", bare) {
            problems.push(Problem::new(
                "settings-problem-admin-actor-blocked",
                &[("handle", bare)],
            ));
        }
    }
    if problems.is_empty() {
        Ok(config)
    } else {
        Err(EditError::Invalid(problems))
    }
}

/// The checks of single values, by key, with messages that name the key
/// and the bad value. Keys not listed here are checked by `Config::parse`.
fn check_values(edit: &Edit) -> Vec<Problem> {
    let key = edit.key();
    let values: Vec<&str> = match edit {
        Edit::Set { value, .. } | Edit::Add { value, .. } => vec![value.as_str()],
        Edit::SetList { values, .. } => values
            .iter()
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
            .collect(),
        Edit::Remove { .. } => return Vec::new(),
    };
    values
        .into_iter()
        .filter_map(|value| check_value(key, value).err())
        .collect()
}

/// One value of one key; the problem names both.
pub fn check_value(key: &str, value: &str) -> Result<(), Problem> {
    let value = value.trim();
    let one_of = |allowed: &[&str]| {
        if allowed.contains(&value) {
            Ok(())
        } else {
            let expected = allowed
                .iter()
                .map(|a| format!("\"{a}\""))
                .collect::<Vec<_>>()
                .join(", ");
            Err(Problem::new(
                "settings-problem-one-of",
                &[("key", key), ("value", value), ("expected", &expected)],
            ))
        }
    };
    match key {
        "authors.policy" => one_of(&["open", "instances", "handles", "closed"]),
        "authors.workflow" => one_of(&["direct", "review"]),
        "comments.moderation" => one_of(&["open", "held", "closed"]),
        "authors.languages" | "language" => {
            if crate::languages::is_known(value) {
                Ok(())
            } else {
                Err(Problem::new(
                    "settings-problem-language",
                    &[("key", key), ("value", value)],
                ))
            }
        }
        // Logins compare the handle's host, port included (a test setup).
        "authors.instances" => match value.rsplit_once(':') {
            Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => {
                check_domain(key, host).map_err(|why| why.about(value))
            }
            _ => check_domain(key, value),
        },
        "federation.blocked_domains" => check_domain(key, value),
        "authors.handles" | "authors.blocked" | "admin.handles" => check_handle(key, value),
        "federation.blocked_actors" => {
            if value.starts_with("https://") {
                check_actor_url(key, value)
            } else {
                check_handle(key, value)
            }
        }
        _ => Ok(()),
    }
}

/// A bare domain name: `example.org`, no scheme, path, port or user.
fn check_domain(key: &str, value: &str) -> Result<(), Problem> {
    let expected = |id| Err(Problem::new(id, &[("key", key), ("value", value)]));
    if value.is_empty() {
        return expected("settings-problem-domain-empty");
    }
    if value.contains("://") {
        return expected("settings-problem-domain-scheme");
    }
    if value.contains('/') {
        return expected("settings-problem-domain-path");
    }
    if value.contains('@') {
        return expected("settings-problem-domain-account");
    }
    let name = value.trim_start_matches('.');
    let labels_ok = name.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    });
    if !labels_ok || !name.contains('.') && name != "localhost" {
        return expected("settings-problem-domain-letters");
    }
    Ok(())
}

/// A fediverse handle with its host: `@user@host`.
fn check_handle(key: &str, value: &str) -> Result<(), Problem> {
    let parsed = crate::federation::fetch::Handle::parse(value);
    if value.contains("://") || value.contains('/') || parsed.is_err() {
        return Err(Problem::new(
            "settings-problem-handle",
            &[("key", key), ("value", value)],
        ));
    }
    Ok(())
}

/// An actor id: an https URL with a host and a path.
fn check_actor_url(key: &str, value: &str) -> Result<(), Problem> {
    let ok = value
        .parse::<http::Uri>()
        .ok()
        .is_some_and(|uri| uri.host().is_some_and(|h| !h.is_empty()) && uri.path().len() > 1);
    if ok {
        Ok(())
    } else {
        Err(Problem::new(
            "settings-problem-actor",
            &[("key", key), ("value", value)],
        ))
    }
}

/// The form a value is stored in: trimmed; domains lowercased without a
/// leading dot; handles lowercased with their leading `@`.
fn normalize(key: &str, value: &str) -> String {
    let value = value.trim();
    match key {
        "authors.instances" | "federation.blocked_domains" => {
            value.trim_start_matches('.').to_ascii_lowercase()
        }
        "authors.handles" | "authors.blocked" | "admin.handles" => {
            format!("@{}", value.trim_start_matches('@').to_ascii_lowercase())
        }
        "federation.blocked_actors" if !value.starts_with("https://") => {
            format!("@{}", value.trim_start_matches('@').to_ascii_lowercase())
        }
        _ => value.to_string(),
    }
}

/// Two list values are the same one, case and a leading `@` or `.` aside.
fn same(a: &str, b: &str) -> bool {
    let bare = |s: &str| s.trim().trim_start_matches(['@', '.']).to_ascii_lowercase();
    bare(a) == bare(b)
}

fn dedup(values: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for value in values {
        if !value.trim().is_empty() && !out.iter().any(|v| same(v, value)) {
            out.push(value.clone());
        }
    }
    out
}

/// The table that holds a dotted key and the key's last part; tables that
/// do not exist yet are added (`[authors]` at the end of the file).
fn table_for<'a>(
    doc: &'a mut DocumentMut,
    key: &'a str,
) -> Result<(&'a mut Table, &'a str), EditError> {
    let mut parts: Vec<&str> = key.split('.').collect();
    let leaf = parts
        .pop()
        .filter(|l| !l.is_empty())
        .ok_or_else(|| EditError::Failed(anyhow!("config key '{key}' is empty")))?;
    let mut table = doc.as_table_mut();
    for part in parts {
        let item = table
            .entry(part)
            .or_insert_with(|| Item::Table(Table::new()));
        table = item.as_table_mut().ok_or_else(|| {
            EditError::Invalid(vec![Problem::new(
                "settings-problem-not-table",
                &[("key", key), ("part", part)],
            )])
        })?;
    }
    Ok((table, leaf))
}

/// The list at `leaf`, empty when unset; not a list is a problem to show.
fn current_list(table: &Table, leaf: &str, key: &str) -> Result<Array, EditError> {
    match table.get(leaf) {
        None => Ok(Array::new()),
        Some(item) => item.as_array().cloned().ok_or_else(|| {
            EditError::Invalid(vec![Problem::new(
                "settings-problem-not-list",
                &[("key", key)],
            )])
        }),
    }
}

/// Replaces a value, keeping the comment around it (`key = "x" # why`).
fn set_scalar(table: &mut Table, leaf: &str, value: &str) {
    replace(table, leaf, Value::from(value.trim()));
}

fn set_array(table: &mut Table, leaf: &str, list: Array) {
    replace(table, leaf, Value::Array(list));
}

/// Puts `new` in place of the key's value: the key itself (and the
/// comment lines above it, which belong to it) stays; the value's own
/// spacing and trailing comment move over.
fn replace(table: &mut Table, leaf: &str, mut new: Value) {
    match table.get_mut(leaf) {
        Some(item) => {
            if let Some(old) = item.as_value() {
                *new.decor_mut() = old.decor().clone();
            }
            *item = Item::Value(new);
        }
        None => {
            table.insert(leaf, Item::Value(new));
        }
    }
}

/// A value as the log shows it: its TOML text, without comments.
fn show(item: &Item) -> String {
    match item.as_value() {
        Some(value) => {
            let mut value = value.clone();
            value.decor_mut().clear();
            value.to_string().trim().to_string()
        }
        None => item.to_string().trim().to_string(),
    }
}

/// Writes `new_text` over `path`: refused when the file or its folder is
/// read-only; the old text kept in `<file>.bak`; a temp file in the same
/// folder, flushed, given the file's permissions, then renamed over it, so
/// a reader sees the old file or the new one, never half of one.
fn write_atomically(path: &Path, old_text: &str, new_text: &str) -> Result<(), EditError> {
    let metadata = std::fs::metadata(path)
        .with_context(|| format!("cannot read the config file {}", path.display()))
        .map_err(EditError::Failed)?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    // The permission bits say what the owner wants even where the process
    // could write anyway (root, or a folder that allows a rename over a
    // read-only file): a read-only config is the owner's way to lock it.
    if metadata.permissions().readonly() {
        return Err(EditError::NotWritable(Problem::new(
            "settings-problem-file-read-only",
            &[("file", &path.display().to_string())],
        )));
    }
    let dir_readonly = std::fs::metadata(&dir)
        .map(|m| m.permissions().readonly())
        .unwrap_or(true);
    if dir_readonly {
        return Err(EditError::NotWritable(Problem::new(
            "settings-problem-folder-read-only",
            &[("folder", &dir.display().to_string())],
        )));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "affiche.toml".into());
    let nonce = crate::secrets::token().map_err(EditError::Failed)?;
    let temp = dir.join(format!(".{name}.{}.tmp", &nonce[..12]));
    let backup = dir.join(format!("{name}.bak"));
    let not_writable = |err: std::io::Error, what: &Path| {
        if err.kind() == std::io::ErrorKind::PermissionDenied {
            EditError::NotWritable(Problem::new(
                "settings-problem-cannot-write",
                &[
                    ("file", &what.display().to_string()),
                    ("error", &err.to_string()),
                    ("folder", &dir.display().to_string()),
                ],
            ))
        } else {
            EditError::Failed(anyhow!("cannot write {}: {err}", what.display()))
        }
    };
    let written = (|| -> std::io::Result<()> {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(new_text.as_bytes())?;
        file.set_permissions(metadata.permissions())?;
        file.sync_all()
    })();
    if let Err(err) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(not_writable(err, &temp));
    }
    if let Err(err) = write_backup(&backup, old_text, &metadata) {
        let _ = std::fs::remove_file(&temp);
        return Err(not_writable(err, &backup));
    }
    if let Err(err) = std::fs::rename(&temp, path) {
        let _ = std::fs::remove_file(&temp);
        return Err(not_writable(err, path));
    }
    Ok(())
}

/// The previous config, with the same permissions as the config (it may
/// hold the same secrets one day).
fn write_backup(
    backup: &Path,
    old_text: &str,
    metadata: &std::fs::Metadata,
) -> std::io::Result<()> {
    std::fs::write(backup, old_text)?;
    std::fs::set_permissions(backup, metadata.permissions())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const TEXT: &str = "# My site\ntitle = \"T\" # the name\nbase_url = \"https://example.org\"\n\n[authors]\n# who may publish\npolicy = \"open\" # for now\ninstances = []\n\n[federation]\n# spam\nblocked_domains = [\"spam.example\"]\n";

    fn invalid(result: Result<(String, Vec<Change>), EditError>) -> Vec<String> {
        match result {
            Err(EditError::Invalid(problems)) => problems.iter().map(Problem::to_string).collect(),
            other => panic!("expected problems, got {other:?}"),
        }
    }

    #[test]
    fn edits_keep_comments_and_layout() {
        let (text, changes) = apply(
            TEXT,
            &[
                Edit::set("authors.policy", "instances"),
                Edit::add("authors.instances", "Social.Example"),
                Edit::add("federation.blocked_domains", "bad.example"),
                Edit::add("federation.blocked_domains", "SPAM.example"),
                Edit::set("comments.moderation", "held"),
            ],
        )
        .unwrap();
        assert!(
            text.starts_with("# My site\ntitle = \"T\" # the name\n"),
            "{text}"
        );
        assert!(
            text.contains("# who may publish\npolicy = \"instances\" # for now\n"),
            "{text}"
        );
        assert!(
            text.contains("instances = [\"social.example\"]\n"),
            "{text}"
        );
        assert!(
            text.contains("# spam\nblocked_domains = [\"spam.example\", \"bad.example\"]\n"),
            "{text}"
        );
        assert!(
            text.contains("[comments]\nmoderation = \"held\"\n"),
            "{text}"
        );
        let keys: Vec<&str> = changes.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "authors.policy",
                "authors.instances",
                "federation.blocked_domains",
                "comments.moderation"
            ]
        );
        assert_eq!(
            changes[0].to_string(),
            "authors.policy: \"open\" -> \"instances\""
        );
        let config = Config::parse(&text, "t", Path::new("/")).unwrap();
        assert_eq!(config.federation.blocked_domains.len(), 2);
    }

    /// A value is data: quotes, newlines and brackets in it are escaped by
    /// toml_edit, so they cannot close the string and add a key or a table.
    #[test]
    fn quotes_and_newlines_in_a_value_stay_in_the_value() {
        let sneaky = "x\"\n[admin]\nhandles = [\"@mallory@evil.example\"]\n#";
        // The checked keys refuse such values outright; the others keep
        // them whole, as strings.
        assert!(!invalid(apply(TEXT, &[Edit::add("authors.handles", sneaky)])).is_empty());
        assert!(!invalid(apply(TEXT, &[Edit::set("authors.policy", sneaky)])).is_empty());
        let (text, _) = apply(TEXT, &[Edit::set("description", sneaky)]).unwrap();
        let config = Config::parse(&text, "t", Path::new("/")).unwrap();
        assert_eq!(config.description, sneaky.trim());
        assert!(config.admin.handles.is_empty(), "{text}");
        let table: toml::Table = text.parse().unwrap();
        assert!(table.get("admin").is_none(), "{text}");
    }

    #[test]
    fn remove_and_set_list() {
        let (text, _) = apply(
            TEXT,
            &[
                Edit::remove("federation.blocked_domains", ".Spam.Example"),
                Edit::set_list(
                    "authors.blocked",
                    vec![
                        "bob@example.org".into(),
                        "@BOB@example.org".into(),
                        " ".into(),
                    ],
                ),
            ],
        )
        .unwrap();
        assert!(text.contains("# spam\nblocked_domains = []\n"), "{text}");
        assert!(text.contains("blocked = [\"@bob@example.org\"]"), "{text}");
        let (same_text, changes) =
            apply(&text, &[Edit::remove("authors.blocked", "@x@y.org")]).unwrap();
        assert_eq!(same_text, text);
        assert!(changes.is_empty());
    }

    #[test]
    fn every_bad_value_is_listed() {
        let problems = invalid(apply(
            TEXT,
            &[
                Edit::set_list(
                    "authors.languages",
                    vec!["en".into(), "xx".into(), "klingon".into()],
                ),
                Edit::add("federation.blocked_domains", "https://bad.example"),
                Edit::add("federation.blocked_domains", "bad.example/path"),
                Edit::add("authors.blocked", "bob"),
                Edit::set("authors.workflow", "sometimes"),
            ],
        ));
        assert_eq!(problems.len(), 6, "{problems:?}");
        assert!(
            problems[0].contains("unknown language code 'xx'"),
            "{problems:?}"
        );
        assert!(problems[1].contains("'klingon'"));
        assert!(problems[2].contains("no scheme"));
        assert!(problems[3].contains("no path"));
        assert!(problems[4].starts_with("authors.blocked: expected a handle with its server"));
        assert!(problems[5].contains("\"direct\", \"review\""));
    }

    /// The page shows the admin's language; the CLI and the log English,
    /// in the same words as before the catalogs.
    #[test]
    fn problems_are_told_in_the_admins_language() {
        let problems = match apply(TEXT, &[Edit::add("authors.blocked", "bob")]) {
            Err(EditError::Invalid(problems)) => problems,
            other => panic!("expected problems, got {other:?}"),
        };
        let french = Messages::new(std::sync::Arc::new(I18n::new()), Lang::find("fr").unwrap());
        let text = problems[0].text(&french);
        assert!(
            text.starts_with("authors.blocked\u{a0}: un identifiant avec son serveur"),
            "{text}"
        );
        assert!(text.contains("«\u{a0}bob\u{a0}»"), "{text}");
        assert_eq!(
            problems[0].to_string(),
            "authors.blocked: expected a handle with its server such as \"@alice@example.social\", got 'bob'"
        );
        // A domain checked without its port is shown with it.
        let problems = invalid(apply(
            TEXT,
            &[Edit::add("authors.instances", "bad_host:8080")],
        ));
        assert!(problems[0].ends_with("got 'bad_host:8080'"), "{problems:?}");
    }

    #[test]
    fn bad_values_and_a_bad_whole_are_listed_together() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("affiche.toml");
        std::fs::write(&path, TEXT).unwrap();
        let edits = [
            Edit::set("authors.policy", "instances"),
            Edit::set_list("authors.instances", vec!["https://x.example".into()]),
            Edit::set_list("authors.languages", vec!["zz".into()]),
        ];
        match edit_file(&path, &edits) {
            Err(EditError::Invalid(problems)) => {
                let problems: Vec<String> = problems.iter().map(Problem::to_string).collect();
                assert_eq!(problems.len(), 3, "{problems:?}");
                assert!(problems[0].starts_with("authors.instances: expected a domain"));
                assert!(problems[1].contains("'zz'"));
                assert!(problems[2].contains("needs at least one instance"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(std::fs::read_to_string(&path).unwrap(), TEXT);
    }

    #[test]
    fn the_whole_result_is_checked_and_nothing_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("affiche.toml");
        std::fs::write(&path, TEXT).unwrap();
        match edit_file(&path, &[Edit::set("authors.policy", "instances")]) {
            Err(EditError::Invalid(problems)) => {
                assert!(
                    problems[0]
                        .to_string()
                        .starts_with("authors.instances: the policy \"instances\" needs")
                )
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(std::fs::read_to_string(&path).unwrap(), TEXT);
        assert!(!dir.path().join("affiche.toml.bak").exists());
    }

    #[test]
    fn written_atomically_with_a_backup_and_the_same_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("affiche.toml");
        std::fs::write(&path, TEXT).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        let edited = edit_file(&path, &[Edit::add("authors.blocked", "@bob@example.org")]).unwrap();
        assert_eq!(edited.config.authors.blocked, ["@bob@example.org"]);
        assert_eq!(edited.config.path, path);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("affiche.toml.bak")).unwrap(),
            TEXT
        );
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[test]
    fn a_read_only_config_is_not_touched() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("affiche.toml");
        std::fs::write(&path, TEXT).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
        match edit_file(&path, &[Edit::set("comments.moderation", "closed")]) {
            Err(EditError::NotWritable(why)) => {
                assert!(why.to_string().contains("read-only"), "{why}")
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(std::fs::read_to_string(&path).unwrap(), TEXT);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
        let result = edit_file(&path, &[Edit::set("comments.moderation", "closed")]);
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        match result {
            Err(EditError::NotWritable(why)) => {
                assert!(why.to_string().contains("folder"), "{why}")
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(std::fs::read_to_string(&path).unwrap(), TEXT);
    }
}
