//! The writer: only changed files are written, stale generated files are removed, hand-written files are kept,
//! `check` names every difference, and a failed generation leaves the output as it was.

use std::collections::BTreeMap;
use std::path::PathBuf;

use codegen::write::{check, write, Stale};

struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("codegen-write-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn files(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(p, t)| (p.to_string(), format!("// @generated test\n{t}"))).collect()
}

#[test]
fn writes_only_what_changed_and_removes_what_is_gone() {
    let dir = TempDir::new("changes");
    let first = files(&[("src/a.rs", "a"), ("src/b.rs", "b"), ("src/gone.rs", "x")]);
    let r = write(&dir.0, &first).unwrap();
    assert_eq!(r.written.len(), 3);
    std::fs::write(dir.0.join("src/hand_written.rs"), "// mine\n").unwrap();
    let before = std::fs::metadata(dir.0.join("src/a.rs")).unwrap().modified().unwrap();

    let second = files(&[("src/a.rs", "a"), ("src/b.rs", "b2"), ("src/new.rs", "n")]);
    assert_eq!(
        check(&dir.0, &second).unwrap(),
        vec![
            Stale::Changed("src/b.rs".into()),
            Stale::Missing("src/new.rs".into()),
            Stale::Extra("src/gone.rs".into()),
        ]
    );
    let r = write(&dir.0, &second).unwrap();
    assert_eq!(r.written, vec!["src/b.rs".to_string(), "src/new.rs".to_string()]);
    assert_eq!(r.unchanged, 1);
    assert_eq!(r.removed, vec!["src/gone.rs".to_string()]);
    let after = std::fs::metadata(dir.0.join("src/a.rs")).unwrap().modified().unwrap();
    assert_eq!(before, after, "an unchanged file is not rewritten");
    assert!(dir.0.join("src/hand_written.rs").exists(), "files without the marker are never removed");
    assert!(check(&dir.0, &second).unwrap().is_empty());
    let leftovers: Vec<_> = std::fs::read_dir(dir.0.join("src"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("codegen-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files remain");
}

#[test]
fn a_failed_generation_leaves_the_previous_output_intact() {
    let dir = TempDir::new("atomic");
    let root = project_tests::root();
    let good = project_tests::generate_fixture("shapes").unwrap();
    write(&dir.0, &good).unwrap();
    let snapshot: Vec<(PathBuf, Vec<u8>)> = walk(&dir.0);

    // A broken model fails before anything is written: generation happens wholly in memory.
    let bad = codegen::generate(
        &root.join("tests/fixtures/shapes.json.missing"),
        &codegen::Request {
            service: None,
            selection: &codegen::Selection::All,
            crate_name: "x",
            crate_version: "0",
            model_source: "x",
            partitions: None,
            examples: None,
            modules: None,
            definitions: None,
        },
    );
    assert!(bad.is_err());
    let broken =
        project_tests::generate_text("{\"smithy\": \"2.0\", \"shapes\": {\"a#B\": 1}}", &codegen::Selection::All);
    assert!(broken.is_err());
    assert_eq!(walk(&dir.0), snapshot);

    // A write that cannot complete (a directory stands where a file must go) leaves the other files untouched.
    let mut blocked = good.clone();
    blocked.insert("src/lib.rs/impossible.rs".into(), "// @generated\n".into());
    for text in blocked.values_mut() {
        text.push_str("// changed\n");
    }
    assert!(write(&dir.0, &blocked).is_err());
    assert_eq!(walk(&dir.0), snapshot, "a failed write changes nothing");
}

fn walk(dir: &std::path::Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}
