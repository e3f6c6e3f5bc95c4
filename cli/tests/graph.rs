//! `sagemaker-pipelines graph` on the corpus: Mermaid and dot snapshots, the same output on every run.

use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sagemaker-pipelines"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap())
        .output()
        .unwrap()
}

const FILES: &[&str] = &[
    "tests/definitions/corpus/sdk3/training_processing.json",
    "tests/definitions/corpus/sdk3/conditions_lambda_emr.json",
    "tests/definitions/corpus/sdk2/model_tuning_automl.json",
];

#[test]
fn corpus_graphs() {
    for file in FILES {
        let stem = Path::new(file).file_stem().unwrap().to_string_lossy().into_owned();
        let sdk = if file.contains("sdk2") { "sdk2" } else { "sdk3" };
        for format in ["mermaid", "dot"] {
            let o = run(&["graph", file, "--format", format]);
            assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
            let text = String::from_utf8(o.stdout).unwrap();
            // Deterministic: a second run prints the same.
            assert_eq!(run(&["graph", file, "--format", format]).stdout, text.as_bytes());
            insta::assert_snapshot!(format!("{sdk}_{stem}_{format}"), text);
        }
    }
}

#[test]
fn mermaid_is_the_default_and_bad_input_exits_non_zero() {
    let o = run(&["graph", FILES[0]]);
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("flowchart TD\n"));
    let o = run(&["graph", "tests/definitions/no_such_file.json"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["graph", "tests/definitions/README.md"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("error: not JSON") && err.contains("--> tests/definitions/README.md:1:1"), "{err}");
}
