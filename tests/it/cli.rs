//! Bad input on the command line: one clear message, a failing exit code,
//! and the site and database left as they were.

use crate::harness::{Site, changed, command, is_root, snapshot, text};

fn stderr_of(output: &std::process::Output) -> String {
    assert!(
        !output.status.success(),
        "expected a failure:\n{}",
        text(output)
    );
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_config_typo_names_the_file_and_the_key() {
    let site = Site::new();
    let config = std::fs::read_to_string(&site.config).unwrap();
    std::fs::write(
        &site.config,
        config.replace("page_size = 20", "page_sise = 20"),
    )
    .unwrap();
    let stderr = stderr_of(&site.run(&["rebuild"]));
    assert!(stderr.contains("affiche.toml"), "{stderr}");
    assert!(stderr.contains("page_sise"), "{stderr}");
    std::fs::write(
        &site.config,
        config.replace(
            "base_url = \"https://example.org\"",
            "base_url = \"example.org\"",
        ),
    )
    .unwrap();
    let stderr = stderr_of(&site.run(&["rebuild"]));
    assert!(
        stderr.contains("base_url: expected an absolute https:// URL"),
        "{stderr}"
    );
    assert!(stderr.contains("got 'example.org'"), "{stderr}");
}

#[test]
fn a_missing_config_says_how_to_make_one() {
    let dir = tempfile::tempdir().unwrap();
    let output = command()
        .current_dir(dir.path())
        .arg("rebuild")
        .output()
        .unwrap();
    let stderr = stderr_of(&output);
    assert!(stderr.contains("affiche.toml"), "{stderr}");
    assert!(stderr.contains("affiche init"), "{stderr}");
}

#[test]
fn init_refuses_a_bad_url_and_an_existing_site() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("s");
    let output = command()
        .args([
            "init",
            target.to_str().unwrap(),
            "--base-url",
            "ftp://x.org",
        ])
        .output()
        .unwrap();
    assert!(stderr_of(&output).contains("base_url"));
    assert!(!target.exists(), "a refused init must leave nothing behind");
    let site = Site::new();
    let output = command()
        .args(["init", site.root().to_str().unwrap()])
        .output()
        .unwrap();
    assert!(stderr_of(&output).contains("already holds a site"));
}

#[test]
fn bad_front_matter_imports_nothing() {
    let site = Site::new();
    let good = site.article("good", "title = \"Good\"", "ok");
    let bad_date = site.article("bad", "title = \"Bad\"\ndate = \"next tuesday\"", "x");
    let before = snapshot(&site.docroot);
    let stderr = stderr_of(&site.import(&[good.clone(), bad_date.clone()]));
    assert!(
        stderr.contains("bad.md: front matter: date: expected a date"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was imported"), "{stderr}");
    assert!(changed(&before, &snapshot(&site.docroot)).is_empty());
    assert!(site.article_slugs().is_empty());

    let twin = site.article("twin", "title = \"Good\"", "same slug");
    let stderr = stderr_of(&site.import(&[good.clone(), twin]));
    assert!(
        stderr.contains("the slug 'good' is also used by"),
        "{stderr}"
    );
    assert!(site.article_slugs().is_empty());

    assert!(site.import(&[good]).status.success());
    let again = site.article("again", "title = \"Good\"", "again");
    let before = snapshot(&site.docroot);
    let stderr = stderr_of(&site.import(&[again]));
    assert!(stderr.contains("'good' already exists"), "{stderr}");
    assert!(changed(&before, &snapshot(&site.docroot)).is_empty());
    assert_eq!(site.article_slugs(), ["good"]);
}

#[test]
fn a_corrupt_database_is_named_and_kept() {
    let site = Site::new();
    let db = site.root().join("affiche.sqlite");
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(site.root().join(format!("affiche.sqlite{suffix}")));
    }
    std::fs::write(&db, b"this is not a database at all, sorry".repeat(200)).unwrap();
    let before = std::fs::read(&db).unwrap();
    let stderr = stderr_of(&site.run(&["rebuild"]));
    assert!(stderr.contains("affiche.sqlite"), "{stderr}");
    assert!(stderr.contains("not a usable Affiche database"), "{stderr}");
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn an_unwritable_docroot_is_reported_before_anything_changes() {
    let site = Site::new();
    let file = site.article("x", "title = \"X\"", "x");
    // Root writes anywhere, so point the docroot at a file instead.
    let config = std::fs::read_to_string(&site.config).unwrap();
    std::fs::write(site.root().join("not-a-folder"), "x").unwrap();
    std::fs::write(
        &site.config,
        config.replace("docroot = \"public_html\"", "docroot = \"not-a-folder\""),
    )
    .unwrap();
    let stderr = stderr_of(&site.import(&[file]));
    assert!(stderr.contains("not-a-folder"), "{stderr}");
    assert!(stderr.contains("docroot"), "{stderr}");
    std::fs::write(&site.config, &config).unwrap();
    assert!(
        site.article_slugs().is_empty(),
        "the refused import reached the database"
    );
    if is_root() {
        // As an unprivileged user, permissions apply: run as nobody.
        let output = std::process::Command::new("setpriv")
            .args([
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                crate::harness::BIN,
                "--config",
            ])
            .arg(&site.config)
            .arg("rebuild")
            .env_clear()
            .output();
        if let Ok(output) = output {
            let stderr = stderr_of(&output);
            assert!(
                stderr.contains("Permission denied")
                    || stderr.contains("not writable")
                    || stderr.contains("cannot"),
                "{stderr}"
            );
        }
    }
}

#[test]
fn unknown_commands_and_arguments_fail_with_usage() {
    let output = command().arg("publish-everything").output().unwrap();
    assert!(stderr_of(&output).contains("Usage"));
    let output = command()
        .args(["serve", "--port", "banana"])
        .output()
        .unwrap();
    assert!(stderr_of(&output).contains("banana"));
}
