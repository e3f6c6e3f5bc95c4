//! Every fixture's generated crate must compile without warnings, pass clippy, and pass its behaviour tests
//! (`tests/fixture-tests/<name>.rs`, copied into the crate). The crates are written under `target/fixture-crates/`
//! as one workspace that reuses this workspace's lock file, so dependencies build once and offline.

use std::path::Path;
use std::process::Command;

use project_tests::{fixture_crate_name, fixtures, generate_fixture, root};

fn cargo(dir: &Path, args: &[&str]) {
    let target = dir.join("target");
    let out = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTFLAGS", "-D warnings")
        .env_remove("RUSTC_WRAPPER")
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "`cargo {}` failed in {}:\n{}\n{}",
        args.join(" "),
        dir.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn fixture_crates_compile_and_behave() {
    let dir = root().join("target/fixture-crates");
    std::fs::create_dir_all(&dir).unwrap();
    let mut members = Vec::new();
    for name in fixtures() {
        let files = generate_fixture(&name).unwrap_or_else(|e| panic!("{name}: {e}"));
        let crate_dir = dir.join(&name);
        codegen::write::write(&crate_dir, &files).unwrap();
        let behaviour = root().join("tests/fixture-tests").join(format!("{name}.rs"));
        let dest = crate_dir.join("tests/behaviour.rs");
        if behaviour.exists() {
            // The behaviour tests use serde_json directly.
            let manifest = crate_dir.join("Cargo.toml");
            let text = std::fs::read_to_string(&manifest).unwrap();
            let text = text.replacen("[dev-dependencies]\n", "[dev-dependencies]\nserde_json = \"1\"\n", 1);
            // And tokio's paused clock.
            let text = text.replacen("\"rt-multi-thread\"] }", "\"rt-multi-thread\", \"test-util\"] }", 1);
            std::fs::write(&manifest, text).unwrap();
            std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
            std::fs::copy(&behaviour, &dest).unwrap();
            // The in-memory transport the behaviour files share, for those that use it.
            let support = crate_dir.join("tests/support/mod.rs");
            std::fs::create_dir_all(support.parent().unwrap()).unwrap();
            std::fs::copy(root().join("tests/fixture-tests/support.rs"), &support).unwrap();
        } else {
            let _ = std::fs::remove_file(&dest);
        }
        members.push(format!("\"{name}\""));
        assert_eq!(fixture_crate_name(&name), format!("fixture-{name}"));
    }
    let workspace = format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", "));
    std::fs::write(dir.join("Cargo.toml"), workspace).unwrap();
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    // All features: the test doubles' codecs (feature `test-util`) compile and pass clippy for every fixture too.
    cargo(
        &dir,
        &["clippy", "--offline", "--workspace", "--all-targets", "--all-features", "--quiet", "--", "-D", "warnings"],
    );
    cargo(&dir, &["test", "--offline", "--workspace", "--all-features", "--quiet"]);
}
