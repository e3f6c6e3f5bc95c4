//! Stage 6: writing. The whole file set is produced in memory first; only then is anything written, each changed file
//! through a temporary file and a rename, so a failed run leaves the previous output as it was. Unchanged files are
//! not touched (their timestamps stay, so nothing rebuilds). Generated files that are no longer produced are removed;
//! files without the `@generated` marker are never touched.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::format::MARKER;

/// What a write did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// Files written because they were new or changed.
    pub written: Vec<String>,
    /// Files left alone because they were already up to date.
    pub unchanged: usize,
    /// Generated files removed because the generator no longer produces them.
    pub removed: Vec<String>,
}

/// One difference between the output directory and what the generator makes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stale {
    /// The file differs.
    Changed(String),
    /// The file should exist and does not.
    Missing(String),
    /// A generated file that should no longer exist.
    Extra(String),
}

impl std::fmt::Display for Stale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stale::Changed(p) => write!(f, "changed: {p}"),
            Stale::Missing(p) => write!(f, "missing: {p}"),
            Stale::Extra(p) => write!(f, "no longer generated: {p}"),
        }
    }
}

/// Compare `files` with what is in `out` without writing anything.
pub fn check(out: &Path, files: &BTreeMap<String, String>) -> Result<Vec<Stale>> {
    let mut stale = Vec::new();
    for (rel, text) in files {
        match fs::read(out.join(rel)) {
            Ok(existing) if existing == text.as_bytes() => {}
            Ok(_) => stale.push(Stale::Changed(rel.clone())),
            Err(_) => stale.push(Stale::Missing(rel.clone())),
        }
    }
    for rel in existing_generated(out)? {
        if !files.contains_key(&rel) {
            stale.push(Stale::Extra(rel));
        }
    }
    stale.sort();
    Ok(stale)
}

/// Bring `out` up to date with `files`.
pub fn write(out: &Path, files: &BTreeMap<String, String>) -> Result<Report> {
    let mut report = Report::default();
    let mut pending: Vec<(PathBuf, PathBuf, String)> = Vec::new();
    let io = |p: &Path, what: &str, e: std::io::Error| Error::new(format!("cannot {what}: {e}")).in_file(p);
    let cleanup = |pending: &[(PathBuf, PathBuf, String)]| {
        for (tmp, _, _) in pending {
            let _ = fs::remove_file(tmp);
        }
    };
    // Phase 1: every changed file goes to a temporary sibling.
    for (rel, text) in files {
        let dest = out.join(rel);
        if fs::read(&dest).is_ok_and(|existing| existing == text.as_bytes()) {
            report.unchanged += 1;
            continue;
        }
        let dir = dest.parent().unwrap_or(out);
        if let Err(e) = fs::create_dir_all(dir) {
            cleanup(&pending);
            return Err(io(dir, "create directory", e));
        }
        let name = dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let tmp = dir.join(format!(".{name}.codegen-tmp"));
        if let Err(e) = fs::write(&tmp, text) {
            cleanup(&pending);
            return Err(io(&tmp, "write", e));
        }
        pending.push((tmp, dest, rel.clone()));
    }
    // Phase 2: rename into place.
    for (tmp, dest, rel) in &pending {
        fs::rename(tmp, dest).map_err(|e| io(dest, "replace", e))?;
        report.written.push(rel.clone());
    }
    // Phase 3: remove generated files that are no longer produced.
    for rel in existing_generated(out)? {
        if !files.contains_key(&rel) {
            let p = out.join(&rel);
            fs::remove_file(&p).map_err(|e| io(&p, "remove", e))?;
            report.removed.push(rel);
        }
    }
    Ok(report)
}

/// Relative paths of files under `out` whose first line carries the generated marker (`target/` is skipped).
fn existing_generated(out: &Path) -> Result<Vec<String>> {
    let mut found = Vec::new();
    if !out.exists() {
        return Ok(found);
    }
    let mut stack = vec![out.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries =
            fs::read_dir(&dir).map_err(|e| Error::new(format!("cannot list directory: {e}")).in_file(&dir))?;
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if name == "target" || name.to_string_lossy().starts_with('.') {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else if first_line_has_marker(&path) {
                if let Ok(rel) = path.strip_prefix(out) {
                    found.push(rel.to_string_lossy().replace('\\', "/"));
                }
            }
        }
    }
    found.sort();
    Ok(found)
}

fn first_line_has_marker(path: &Path) -> bool {
    use std::io::{BufRead, BufReader, Read};
    let Ok(f) = fs::File::open(path) else { return false };
    let mut line = String::new();
    BufReader::new(f.take(512)).read_line(&mut line).is_ok() && line.contains(MARKER)
}
