//! `cargo xtask scale` on a fake `aws/api-models-aws` checkout made by the test (generation only: the type-check
//! is what `cargo xtask test` already does for crates like these): the latest version of each service is taken,
//! an awsJson model is generated with every operation, another protocol is skipped with the error it gets, a
//! refused awsJson model fails the run with its error in the table, and `--only` names what it cannot find.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn put(checkout: &Path, service: &str, version: &str, text: &str) {
    let dir = checkout.join("models").join(service).join("service").join(version);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{service}-{version}.json")), text).unwrap();
}

fn scale(tmp: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["scale", "--generate-only", "--source", "a fake checkout", "--models"])
        .arg(tmp.join("checkout"))
        .arg("--dir")
        .arg(tmp.join("out"))
        .arg("--table")
        .arg(tmp.join("table.md"))
        .args(extra)
        .current_dir(root())
        .output()
        .unwrap()
}

#[test]
fn scale_generates_awsjson_models_and_lists_the_others_with_their_error() {
    let tmp = std::env::temp_dir().join(format!("xtask-scale-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let checkout = tmp.join("checkout");
    let keys = std::fs::read_to_string(root().join("tests/fixtures/start_keys.json")).unwrap();
    put(&checkout, "keys", "2020-01-01", "not the latest version, and not JSON");
    put(&checkout, "keys", "2024-01-01", &keys);
    put(
        &checkout,
        "rest",
        "2024-01-01",
        r#"{"smithy": "2.0", "shapes": {"example.rest#Rest": {"type": "service", "version": "1",
            "operations": [{"target": "example.rest#Get"}], "traits": {"aws.protocols#restJson1": {}}},
            "example.rest#Get": {"type": "operation"}}}"#,
    );

    let out = scale(&tmp, &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let table = std::fs::read_to_string(tmp.join("table.md")).unwrap();
    assert!(table.starts_with("Scale check over a fake checkout:"), "{table}");
    // One operation; its closure: the operation, input, output, the list, the map, the union, and the prelude's
    // String and Integer.
    assert!(table.contains("| keys | awsJson1_0 | 1 | 8 | "), "{table}");
    assert!(table.contains(" | - | generated |"), "{table}");
    assert!(
        table.contains("Totals: 1 awsJson services, 1 generated, - type-checked ok (generation only); 1 operations")
    );
    assert!(table.contains("Skipped (another protocol): 1 models."), "{table}");
    assert!(
        table.contains("| restJson1 | 1 | skipped: ")
            && table.contains("uses no supported protocol (supported: aws.protocols#awsJson1_0, aws.protocols#awsJson1_1; found: aws.protocols#restJson1) (`rest`) |"),
        "{table}"
    );
    // Without --keep, the crates go.
    assert!(!tmp.join("out").exists());

    // A model the generator refuses fails the run, with its error.
    put(&checkout, "keys", "2025-01-01", &keys.replace(r#""pageSize": "Limit""#, r#""pageSize": "Missing""#));
    let out = scale(&tmp, &["--only", "keys"]);
    assert!(!out.status.success());
    let table = std::fs::read_to_string(tmp.join("table.md")).unwrap();
    assert!(table.contains("| keys | awsJson1_0 | 0 | 0 | "), "{table}");
    assert!(
        table.contains("refused: ") && table.contains("pageSize `Missing` is not a member of the input"),
        "{table}"
    );
    assert!(table.contains("Skipped (another protocol): 0 models."), "{table}");

    let out = scale(&tmp, &["--only", "keys,nosuch"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--only: no model of `nosuch` in"), "{stderr}");
    std::fs::remove_dir_all(&tmp).unwrap();
}
