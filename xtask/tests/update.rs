//! `cargo xtask import --from DIR` and `cargo xtask update` on a fake `aws/api-models-aws` checkout made here: a
//! copy of the project's settings and model in a temporary workspace (a git repository whose first commit is the
//! release), and a checkout holding the current SageMaker model of `../shared` with one new request member. Needs
//! `../shared` and git; says why it skips without them.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("GIT_AUTHOR_DATE", "2026-08-01T12:00:00+02:00")
        .env("GIT_COMMITTER_DATE", "2026-08-01T12:00:00+02:00")
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn update_from_a_checkout_records_its_commit_and_stops_with_the_entry() {
    let shared = root().join("../shared/models/sagemaker-2017-07-24.2026-07-16.json");
    if !shared.exists() || Command::new("git").arg("--version").output().is_err() {
        eprintln!("skipped: needs ../shared and git");
        return;
    }
    let tmp = std::env::temp_dir().join(format!("xtask-update-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let (ws, checkout) = (tmp.join("ws"), tmp.join("api-models-aws"));
    // The workspace: settings, model, overlay, examples, modules and the changelog, released in its first commit.
    copy_dir(&root().join("models"), &ws.join("models"));
    std::fs::create_dir_all(ws.join("generated")).unwrap();
    std::fs::copy(root().join("generated/CHANGELOG.md"), ws.join("generated/CHANGELOG.md")).unwrap();
    std::fs::create_dir_all(ws.join("xtask")).unwrap();
    git(&ws, &["init", "-q"]);
    git(&ws, &["add", "-A"]);
    git(&ws, &["commit", "-qm", "release"]);
    // The checkout: the current model with a new optional member of StartPipelineExecution's request.
    let mut model: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&shared).unwrap()).unwrap();
    model["shapes"]["com.amazonaws.sagemaker#StartPipelineExecutionRequest"]["members"]["RunLabel"] =
        serde_json::json!({"target": "com.amazonaws.sagemaker#String256"});
    let dir = checkout.join("models/sagemaker/service/2017-07-24");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("sagemaker-2017-07-24.json"), model.to_string()).unwrap();
    git(&checkout, &["init", "-q"]);
    git(&checkout, &["add", "-A"]);
    git(&checkout, &["commit", "-qm", "model"]);
    let commit = git(&checkout, &["rev-parse", "HEAD"]).trim().to_owned();

    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["update", "--skip-tests", "--summary", "summary.md", "--from"])
        .arg(&checkout)
        // The workspace root is the parent of the manifest directory, as under `cargo xtask`.
        .env("CARGO_MANIFEST_DIR", ws.join("xtask"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));

    let settings = std::fs::read_to_string(ws.join("models/codegen.toml")).unwrap();
    assert!(settings.contains(&format!("upstream_commit = \"{commit}\"\n")), "{settings}");
    assert!(settings.contains("upstream_date = \"2026-08-01T12:00:00+02:00\"\n"), "{settings}");
    assert!(settings.contains("version = \"0.2.1\""), "{settings}");
    let changelog = std::fs::read_to_string(ws.join("generated/CHANGELOG.md")).unwrap();
    let entry_line = "- request member `RunLabel`: new member `RunLabel` (additive)";
    assert!(changelog.contains("## 0.2.1 - 1 updated api method\n"), "{changelog}");
    assert!(changelog.contains(entry_line), "{changelog}");
    // Codegen ran with the new version.
    let manifest = std::fs::read_to_string(ws.join("generated/Cargo.toml")).unwrap();
    assert!(manifest.contains("version = \"0.2.1\""), "{manifest}");
    // The verdict and the entry, printed and written for the pull request.
    let summary = std::fs::read_to_string(ws.join("summary.md")).unwrap();
    assert!(summary.starts_with(&format!("Model update from aws/api-models-aws commit {commit} of 2026-08-01T12:00:00+02:00.\n\nRelease 0.2.1 (0.2.0 before). Semver: **patch** (0.2.0 -> 0.2.1).")), "{summary}");
    assert!(summary.contains(entry_line), "{summary}");
    assert!(stdout.contains(&summary), "{stdout}");
    // Nothing was committed: the tree is left for review.
    assert_eq!(git(&ws, &["rev-list", "--count", "HEAD"]).trim(), "1");

    // Imported from a plain file, the checkout's commit is no longer claimed.
    let file = dir.join("sagemaker-2017-07-24.json");
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["import", "--from"])
        .arg(&file)
        .env("CARGO_MANIFEST_DIR", ws.join("xtask"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let settings = std::fs::read_to_string(ws.join("models/codegen.toml")).unwrap();
    assert!(!settings.contains("upstream_commit") && !settings.contains("upstream_date"), "{settings}");
    // A directory that is no checkout of the repository is refused, naming the layout it lacks.
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["import", "--from"])
        .arg(&ws)
        .env("CARGO_MANIFEST_DIR", ws.join("xtask"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("no models/sagemaker/service/<version>/sagemaker-<version>.json in"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&tmp);
}
