//! Each fixture model under `tests/fixtures/` exercises one feature; its generated crate (minus the static runtime)
//! is pinned by an insta snapshot. `fixture_crates_compile_and_behave` builds every one of them.

use project_tests::{generate_fixture, render};

fn snapshot(name: &str) {
    let files = generate_fixture(name).unwrap_or_else(|e| panic!("fixture {name} failed to generate: {e}"));
    insta::assert_snapshot!(name, render(&files));
}

#[test]
fn every_shape_kind() {
    snapshot("shapes");
}

#[test]
fn keywords_and_reserved_names() {
    snapshot("keywords");
}

#[test]
fn recursive_shapes_are_boxed_only_where_needed() {
    snapshot("recursion");
}

#[test]
fn sparse_collections() {
    snapshot("sparse");
}

#[test]
fn documentation_rendering() {
    snapshot("docs");
}

#[test]
fn mixins_resources_and_apply() {
    snapshot("mixins");
}

#[test]
fn patterns_on_both_engines() {
    snapshot("patterns");
}

#[test]
fn the_ecmascript_engine_comes_only_with_a_pattern_that_needs_it() {
    for name in project_tests::fixtures() {
        let files = generate_fixture(&name).unwrap();
        // `definitions` has one in its pipeline-definition tables only.
        let needs = name == "patterns" || name == "definitions";
        assert_eq!(files.contains_key("src/ecma.rs"), needs, "{name}");
        assert_eq!(files["Cargo.toml"].contains("\nregress = "), needs, "{name}");
        assert_eq!(files["src/lib.rs"].contains("pub mod ecma;"), needs, "{name}");
    }
}

#[test]
fn every_fixture_has_a_snapshot_test() {
    let covered = [
        "definitions",
        "docs",
        "endpoint_bdd",
        "endpoint_context",
        "endpoint_rules",
        "keywords",
        "mixins",
        "pagination",
        "patterns",
        "recursion",
        "shapes",
        "sparse",
        "start_keys",
        "waiters",
    ];
    assert_eq!(project_tests::fixtures(), covered, "add a snapshot test for each new fixture");
}

#[test]
fn output_is_deterministic() {
    for name in project_tests::fixtures() {
        let a = generate_fixture(&name).unwrap();
        let b = generate_fixture(&name).unwrap();
        assert_eq!(a, b, "fixture {name} generated different output on a second run");
    }
}

#[test]
fn endpoint_rules_calling_every_function() {
    snapshot("endpoint_rules");
}

#[test]
fn endpoint_rules_as_a_decision_diagram() {
    snapshot("endpoint_bdd");
}

/// Parameters bound per call (`contextParam`, `staticContextParams`, `operationContextParams`) and the account-id
/// built-ins: the operations resolve their endpoint per call, and the model's `operationInputs` become tests sent
/// through the operations.
#[test]
fn endpoint_parameters_bound_per_call() {
    snapshot("endpoint_context");
}

/// The runtime's rule-set functions come only with a rule set that calls one, and each model endpoint test of the
/// three endpoint fixtures holds by the generator's evaluator (none is emitted as ignored).
#[test]
fn endpoint_functions_come_only_with_rules_that_call_them() {
    for name in project_tests::fixtures() {
        let files = generate_fixture(&name).unwrap();
        let needs = name == "endpoint_rules" || name == "endpoint_bdd" || name == "endpoint_context";
        assert_eq!(files.contains_key("src/endpoint_functions.rs"), needs, "{name}");
        assert_eq!(files["src/lib.rs"].contains("mod endpoint_functions;"), needs, "{name}");
        if needs {
            let endpoint = &files["src/endpoint.rs"];
            assert!(endpoint.contains("fn case_007()"), "{name}");
            assert!(!endpoint.contains("#[ignore"), "{name}: an endpoint test is contradicted:\n{endpoint}");
        }
    }
}

#[test]
fn paginators_with_nested_tokens_and_items() {
    snapshot("pagination");
}

#[test]
fn paginators_with_map_tokens_and_no_items() {
    snapshot("start_keys");
}

#[test]
fn waiters_with_every_matcher_and_comparator() {
    snapshot("waiters");
}

#[test]
fn pipeline_definition_tables_of_every_shape_kind_and_constraint() {
    snapshot("definitions");
}
