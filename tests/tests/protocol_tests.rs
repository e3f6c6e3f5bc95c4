//! The official Smithy AWS protocol compliance suite (`../shared/models/smithy-aws-protocol-tests.json`): every case
//! that applies to clients of the awsJson test services becomes a generated test, except the ones listed here with
//! their reason. This test counts the cases in the model itself, so no case can disappear silently; `cargo xtask
//! test` then builds the generated crates and runs their tests.

use codegen::{Request, Selection};

const MODEL: &str = "models/smithy-aws-protocol-tests.json";

/// The services, and the cases each leaves out, with why.
const SERVICES: &[(&str, &[&str])] = &[
    ("aws.protocoltests.json#JsonProtocol", &[]),
    ("aws.protocoltests.json10#JsonRpc10", &[]),
    ("aws.protocoltests.json10#QueryCompatibleJsonRpc10", &[]),
];

/// The ids of the client cases (a request and a response case may share an id) of a service's operations and their errors, read straight from the model.
fn client_cases(model: &serde_json::Value, service: &str) -> Vec<String> {
    let shapes = &model["shapes"];
    let protocol = if shapes[service]["traits"].get("aws.protocols#awsJson1_1").is_some() {
        "aws.protocols#awsJson1_1"
    } else {
        "aws.protocols#awsJson1_0"
    };
    let mut ids = Vec::new();
    let mut owners = Vec::new();
    for op in shapes[service]["operations"].as_array().unwrap() {
        let id = op["target"].as_str().unwrap();
        owners.push(id.to_owned());
        for e in shapes[id]["errors"].as_array().into_iter().flatten() {
            owners.push(e["target"].as_str().unwrap().to_owned());
        }
    }
    for owner in owners {
        for key in ["smithy.test#httpRequestTests", "smithy.test#httpResponseTests"] {
            for case in shapes[&owner]["traits"][key].as_array().into_iter().flatten() {
                if case["protocol"] == protocol && case["appliesTo"] != "server" {
                    ids.push(case["id"].as_str().unwrap().to_owned());
                }
            }
        }
    }
    ids
}

#[test]
fn every_client_case_is_generated_or_listed_with_its_reason() {
    let Some(shared) = project_tests::shared() else { return };
    let path = shared.join(MODEL);
    let model: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut total = 0;
    let mut left_out = 0;
    for (service, expected_left_out) in SERVICES {
        let generated = codegen::generate_report(
            &path,
            &Request {
                service: Some(service),
                selection: &Selection::All,
                crate_name: "protocol-tests",
                crate_version: "0.0.0",
                model_source: MODEL,
                partitions: None,
                examples: None,
                modules: None,
                definitions: None,
            },
        )
        .unwrap();
        let report: Vec<&str> =
            generated.report.iter().map(String::as_str).filter(|l| l.starts_with("protocol test ")).collect();
        assert_eq!(report, *expected_left_out, "{service}");
        let cases = client_cases(&model, service);
        let file = &generated.files["src/protocol_tests.rs"];
        let tests = file.matches("#[::tokio::test]").count();
        assert_eq!(tests + expected_left_out.len(), cases.len(), "{service}: every case is a test or left out");
        for id in &cases {
            assert!(file.contains(&format!("`{id}`")), "{service}: case {id} is neither a test nor listed");
        }
        total += cases.len();
        left_out += expected_left_out.len();
    }
    assert_eq!((total, left_out), (188, 0));
}
