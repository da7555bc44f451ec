//! Writing into a live docroot: every file is written to a temporary name in
//! its own folder, then renamed over the old one, so a reader sees the old
//! page or the new one, never half of one.

use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context as _, Result, bail};

/// Refuses anything but a plain relative path below the docroot.
pub fn resolve(docroot: &Path, relative: &Path) -> Result<PathBuf> {
    let plain = relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    if !plain || relative.as_os_str().is_empty() {
        bail!(
            "refusing to write outside the docroot: {}",
            relative.display()
        );
    }
    Ok(docroot.join(relative))
}

/// Replaces `path` with `bytes` atomically.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .with_context(|| format!("{} has no parent folder", path.display()))?;
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut suffix = [0u8; 6];
    getrandom::fill(&mut suffix)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("no randomness for a temporary file name")?;
    let temp = dir.join(format!(
        ".{name}.{}.{}.tmp",
        std::process::id(),
        suffix
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    ));
    let result = (|| -> Result<()> {
        let mut file = std::fs::File::create(&temp).with_context(|| {
            format!(
                "cannot write in {} (is the docroot writable?)",
                dir.display()
            )
        })?;
        file.write_all(bytes)
            .with_context(|| format!("cannot write {} (disk full?)", temp.display()))?;
        std::fs::rename(&temp, path)
            .with_context(|| format!("cannot move {} into place", path.display()))?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// Removes a file that should no longer exist, and its folder when empty.
pub fn remove(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(err) => return Err(err).with_context(|| format!("cannot remove {}", path.display())),
    }
    if let Some(dir) = path.parent() {
        // Only succeeds when empty, which is exactly when it should go.
        let _ = std::fs::remove_dir(dir);
    }
    Ok(())
}

/// Checks that the docroot can be written before anything else is changed.
pub fn check_writable(docroot: &Path) -> Result<()> {
    if !docroot.is_dir() {
        bail!(
            "the docroot {} does not exist; create it, or fix `docroot` in the config",
            docroot.display()
        );
    }
    let probe = docroot.join(".affiche-write-check");
    write(&probe, b"ok").with_context(|| {
        format!(
            "the docroot {} is not writable by this user; fix its permissions (chmod u+w) so pages can be written",
            docroot.display()
        )
    })?;
    let _ = std::fs::remove_file(probe);
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn paths_outside_the_docroot_are_refused() {
        let root = Path::new("/srv/www");
        assert!(resolve(root, Path::new("../etc/passwd")).is_err());
        assert!(resolve(root, Path::new("/etc/passwd")).is_err());
        assert!(resolve(root, Path::new("a/./b")).is_ok());
        assert_eq!(
            resolve(root, Path::new("articles/x/index.html")).unwrap(),
            Path::new("/srv/www/articles/x/index.html")
        );
    }

    #[test]
    fn a_reader_sees_the_old_file_or_the_new_one_never_a_part() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.html");
        let old = vec![b'a'; 1 << 20];
        let new = vec![b'b'; 1 << 20];
        write(&path, &old).unwrap();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let reader = {
            let (path, stop) = (path.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut reads = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let bytes = std::fs::read(&path).unwrap();
                    assert_eq!(bytes.len(), 1 << 20, "a partial file was seen");
                    assert!(
                        bytes.iter().all(|b| *b == bytes[0]),
                        "a mixed file was seen"
                    );
                    reads += 1;
                }
                reads
            })
        };
        for i in 0..200 {
            write(&path, if i % 2 == 0 { &new } else { &old }).unwrap();
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        assert!(reader.join().unwrap() > 0);
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "temporary files were left behind");
    }

    #[test]
    fn removing_drops_empty_folders() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tags/x/index.html");
        write(&path, b"x").unwrap();
        remove(&path).unwrap();
        assert!(!dir.path().join("tags/x").exists());
        remove(&path).unwrap();
    }
}
