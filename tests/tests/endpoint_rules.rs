//! The endpoint resolver generated as Rust code against the rule-set evaluator of the generator, on every test case
//! of the model and on every region of the partition table with each FIPS and dual-stack setting; and the model's
//! endpoint tests against the partition table the crate carries.

use codegen::rules::{evaluate, parse, parse_bdd, Outcome};
use sagemaker_pipelines::endpoint::{resolve_endpoint, Params};
use serde_json::{json, Map, Value};

fn service_traits() -> Value {
    let text = std::fs::read_to_string(project_tests::root().join("models/sagemaker-pipelines.json")).unwrap();
    let model: Value = serde_json::from_str(&text).unwrap();
    model["shapes"]["com.amazonaws.sagemaker#SageMaker"]["traits"].clone()
}

fn partitions() -> Value {
    serde_json::from_str(&std::fs::read_to_string(project_tests::root().join("models/partitions.json")).unwrap())
        .unwrap()
}

fn generated(params: &Map<String, Value>) -> Outcome {
    let mut p = Params::default();
    p.region = params.get("Region").and_then(Value::as_str).map(str::to_owned);
    p.endpoint = params.get("Endpoint").and_then(Value::as_str).map(str::to_owned);
    p.use_fips = params.get("UseFIPS").and_then(Value::as_bool).unwrap_or(false);
    p.use_dual_stack = params.get("UseDualStack").and_then(Value::as_bool).unwrap_or(false);
    match resolve_endpoint(&p) {
        Ok(e) => Outcome::Endpoint(e.url().to_owned()),
        Err(e) => Outcome::Error(e.message().to_owned()),
    }
}

#[test]
fn generated_resolver_matches_the_rule_evaluator_everywhere() {
    let traits = service_traits();
    let rules = &parse(&traits["smithy.rules#endpointRuleSet"]).unwrap();
    let table = partitions();
    let mut cases: Vec<Map<String, Value>> = traits["smithy.rules#endpointTests"]["testCases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["params"].as_object().cloned().unwrap_or_default())
        .collect();
    for p in table["partitions"].as_array().unwrap() {
        let mut regions: Vec<String> = p["regions"].as_object().unwrap().keys().cloned().collect();
        regions.push("xx-unknown-9".into());
        for region in regions {
            for (fips, dual) in [(false, false), (true, false), (false, true), (true, true)] {
                let v = json!({"Region": region, "UseFIPS": fips, "UseDualStack": dual});
                cases.push(v.as_object().unwrap().clone());
            }
        }
    }
    assert!(cases.len() > 200, "{} cases", cases.len());
    for params in &cases {
        let want = evaluate(rules, params, Some(&table)).unwrap();
        assert_eq!(generated(params), want, "params {params:?}");
    }
}

#[test]
fn model_endpoint_tests_agree_with_the_carried_partition_table() {
    let traits = service_traits();
    let rules = &parse(&traits["smithy.rules#endpointRuleSet"]).unwrap();
    let table = partitions();
    let cases = traits["smithy.rules#endpointTests"]["testCases"].as_array().unwrap();
    assert_eq!(cases.len(), 47);
    let mut contradicted = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let params = case["params"].as_object().cloned().unwrap_or_default();
        let expected = match (case["expect"]["endpoint"]["url"].as_str(), case["expect"]["error"].as_str()) {
            (Some(u), _) => Outcome::Endpoint(u.into()),
            (None, Some(m)) => Outcome::Error(m.into()),
            _ => unreachable!(),
        };
        if evaluate(rules, &params, Some(&table)).unwrap() != expected {
            contradicted.push((i + 1, params["Region"].as_str().unwrap_or_default().to_owned()));
        }
    }
    // The 2025-08-08 model had four dual-stack cases in the ISO partitions that the partition table contradicts;
    // upstream removed them in the 2026-07-16 model, so every case holds and none is generated as ignored.
    assert!(contradicted.is_empty(), "{contradicted:?}");
    let generated_tests = std::fs::read_to_string(project_tests::root().join("generated/src/endpoint.rs")).unwrap();
    assert_eq!(generated_tests.matches("#[test]").count(), 47);
    assert_eq!(generated_tests.matches("#[ignore").count(), 0);
}

/// The model's decision diagram (`smithy.rules#endpointBdd`, which the generator reads when a model has no rule tree)
/// resolves as its rule tree does: on every test case and on every region of every partition with each FIPS and
/// dual-stack setting, by the generator's evaluator.
#[test]
fn the_decision_diagram_agrees_with_the_rule_tree() {
    let traits = service_traits();
    let tree = parse(&traits["smithy.rules#endpointRuleSet"]).unwrap();
    let bdd = parse_bdd(&traits["smithy.rules#endpointBdd"]).unwrap();
    assert!(bdd.bdd.as_ref().is_some_and(|b| b.nodes.len() > 10));
    let table = partitions();
    let mut cases: Vec<Map<String, Value>> = traits["smithy.rules#endpointTests"]["testCases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["params"].as_object().cloned().unwrap_or_default())
        .collect();
    for p in table["partitions"].as_array().unwrap() {
        let mut regions: Vec<String> = p["regions"].as_object().unwrap().keys().cloned().collect();
        regions.push("xx-unknown-9".into());
        for region in regions {
            for (fips, dual) in [(false, false), (true, false), (false, true), (true, true)] {
                for endpoint in [None, Some("https://example.com")] {
                    let mut v = json!({"Region": region, "UseFIPS": fips, "UseDualStack": dual});
                    if let Some(e) = endpoint {
                        v["Endpoint"] = json!(e);
                    }
                    cases.push(v.as_object().unwrap().clone());
                }
            }
        }
    }
    let mut errors = 0;
    for params in &cases {
        let want = evaluate(&tree, params, Some(&table)).unwrap();
        errors += usize::from(matches!(want, Outcome::Error(_)));
        assert_eq!(evaluate(&bdd, params, Some(&table)).unwrap(), want, "params {params:?}");
    }
    assert!(errors > 10 && errors < cases.len(), "both endpoints and errors are compared ({errors} errors)");
}

/// A damaged diagram is refused with the reason, never evaluated.
#[test]
fn a_damaged_decision_diagram_is_refused() {
    let traits = service_traits();
    let good = &traits["smithy.rules#endpointBdd"];
    let with = |key: &str, value: Value| {
        let mut v = good.clone();
        v[key] = value;
        parse_bdd(&v).unwrap_err()
    };
    assert_eq!(with("nodes", json!("!!!!")), "the diagram's `nodes` is not Base64");
    assert!(with("nodeCount", json!(3)).contains("not 12 per node for 3 nodes"));
    assert_eq!(with("root", json!(-2)), "the diagram's root is a complement");
    assert!(with("root", json!(999)).contains("node reference 999 beyond"));
    assert!(with("root", json!(100_000_999)).contains("result reference 100000999 beyond"));
    // A node pointing back at itself: node 1 (reference 2) high to reference 2.
    let cyclic = base64_of(&[[-1, 1, -1], [0, 2, -1]]);
    let mut v = good.clone();
    v["nodes"] = json!(cyclic);
    v["nodeCount"] = json!(2);
    v["root"] = json!(2);
    assert_eq!(parse_bdd(&v).unwrap_err(), "the diagram has a cycle through node 1");
}

fn base64_of(nodes: &[[i32; 3]]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes: Vec<u8> = nodes.iter().flatten().flat_map(|n| n.to_be_bytes()).collect();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
