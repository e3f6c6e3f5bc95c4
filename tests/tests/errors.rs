//! Bad input gets a clear error naming what is wrong and where; each message is pinned by a snapshot. None of these
//! may panic, and a failed run writes nothing.

use codegen::Selection;
use project_tests::generate_text;
use serde_json::{json, Value};

/// A valid one-operation model to break in small ways.
fn base() -> Value {
    json!({
        "smithy": "2.0",
        "shapes": {
            "example.err#Svc": {
                "type": "service",
                "version": "1",
                "operations": [{ "target": "example.err#Op" }],
                "traits": { "aws.protocols#awsJson1_1": {} }
            },
            "example.err#Op": {
                "type": "operation",
                "input": { "target": "example.err#OpInput" }
            },
            "example.err#OpInput": {
                "type": "structure",
                "members": { "Name": { "target": "smithy.api#String" } }
            }
        }
    })
}

fn error_of(model: &Value, selection: &Selection) -> String {
    match generate_text(&model.to_string(), selection) {
        Ok(_) => panic!("expected an error for {model}"),
        Err(e) => e.to_string(),
    }
}

fn error_all(model: &Value) -> String {
    error_of(model, &Selection::All)
}

#[test]
fn the_base_model_is_valid() {
    assert!(generate_text(&base().to_string(), &Selection::All).is_ok());
}

#[test]
fn malformed_json_reports_line_and_column() {
    let err = generate_text("{\n  \"smithy\": \"2.0\",\n  \"shapes\": {,}\n}", &Selection::All).unwrap_err();
    insta::assert_snapshot!("malformed_json", err.to_string());
}

#[test]
fn not_a_smithy_model() {
    insta::assert_snapshot!("not_smithy", error_all(&json!({"shapes": {}})));
    insta::assert_snapshot!("not_an_object", error_all(&json!([1, 2])));
}

#[test]
fn missing_target() {
    let mut m = base();
    m["shapes"]["example.err#OpInput"]["members"]["Name"]["target"] = json!("example.err#Nowhere");
    insta::assert_snapshot!("missing_target", error_all(&m));
}

#[test]
fn unsupported_shape_type() {
    let mut m = base();
    m["shapes"]["example.err#Weird"] = json!({"type": "tuple"});
    insta::assert_snapshot!("unsupported_shape_type", error_all(&m));
}

#[test]
fn malformed_member_names_its_json_path() {
    let mut m = base();
    m["shapes"]["example.err#OpInput"]["members"]["Name"] = json!({"targte": "smithy.api#String"});
    insta::assert_snapshot!("malformed_member", error_all(&m));
}

#[test]
fn invalid_shape_id() {
    let mut m = base();
    m["shapes"]["no-namespace"] = json!({"type": "string"});
    insta::assert_snapshot!("invalid_shape_id", error_all(&m));
}

#[test]
fn selected_operation_not_in_service() {
    let err = error_of(&base(), &Selection::Named(vec!["DeleteEverything".into()]));
    insta::assert_snapshot!("operation_not_in_service", err);
    let err = error_of(&base(), &Selection::Named(vec!["op".into()]));
    assert!(err.contains("did you mean: Op?"), "{err}");
}

#[test]
fn member_name_collision() {
    let mut m = base();
    m["shapes"]["example.err#OpInput"]["members"]["FooBar"] = json!({"target": "smithy.api#String"});
    m["shapes"]["example.err#OpInput"]["members"]["foo_bar"] = json!({"target": "smithy.api#String"});
    insta::assert_snapshot!("member_collision", error_all(&m));
}

#[test]
fn setter_collision_with_another_member() {
    let mut m = base();
    m["shapes"]["example.err#OpInput"]["members"]["SetName"] = json!({"target": "smithy.api#String"});
    insta::assert_snapshot!("setter_collision", error_all(&m));
}

#[test]
fn type_name_collision() {
    let mut m = base();
    m["shapes"]["example.err#OpInput"]["members"]["A"] = json!({"target": "example.err#Thing"});
    m["shapes"]["example.err#OpInput"]["members"]["B"] = json!({"target": "example.other#Thing"});
    m["shapes"]["example.err#Thing"] = json!({"type": "structure", "members": {}});
    m["shapes"]["example.other#Thing"] = json!({"type": "structure", "members": {}});
    insta::assert_snapshot!("type_collision", error_all(&m));
}

#[test]
fn enum_variant_collision() {
    let mut m = base();
    m["shapes"]["example.err#OpInput"]["members"]["E"] = json!({"target": "example.err#E"});
    m["shapes"]["example.err#E"] = json!({"type": "enum", "members": {
        "FOO_BAR": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "x"}},
        "FooBar": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "y"}}
    }});
    insta::assert_snapshot!("enum_collision", error_all(&m));
}

#[test]
fn unsupported_protocol() {
    let mut m = base();
    m["shapes"]["example.err#Svc"]["traits"] = json!({"aws.protocols#restJson1": {}});
    insta::assert_snapshot!("unsupported_protocol", error_all(&m));
}

#[test]
fn bad_constraint_trait() {
    let mut m = base();
    m["shapes"]["example.err#OpInput"]["members"]["Name"]["target"] = json!("example.err#Name");
    m["shapes"]["example.err#Name"] = json!({"type": "string", "traits": {"smithy.api#length": {"min": "one"}}});
    insta::assert_snapshot!("bad_length", error_all(&m));
}

#[test]
fn default_outside_the_enum() {
    let mut m = base();
    m["shapes"]["example.err#Op"]["output"] = json!({"target": "example.err#OpOutput"});
    m["shapes"]["example.err#OpOutput"] = json!({"type": "structure", "members": {
        "E": {"target": "example.err#E", "traits": {"smithy.api#default": "nope"}}
    }});
    m["shapes"]["example.err#E"] = json!({"type": "enum", "members": {
        "A": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "a"}}
    }});
    insta::assert_snapshot!("bad_default", error_all(&m));
}

#[test]
fn mixin_cycle() {
    let mut m = base();
    m["shapes"]["example.err#OpInput"]["mixins"] = json!([{"target": "example.err#M1"}]);
    m["shapes"]["example.err#M1"] = json!({"type": "structure", "members": {}, "mixins": [{"target": "example.err#M2"}], "traits": {"smithy.api#mixin": {}}});
    m["shapes"]["example.err#M2"] = json!({"type": "structure", "members": {}, "mixins": [{"target": "example.err#M1"}], "traits": {"smithy.api#mixin": {}}});
    insta::assert_snapshot!("mixin_cycle", error_all(&m));
}

#[test]
fn operation_input_must_be_a_structure() {
    let mut m = base();
    m["shapes"]["example.err#Op"]["input"] = json!({"target": "smithy.api#String"});
    insta::assert_snapshot!("input_not_structure", error_all(&m));
}

#[test]
fn error_names_the_file() {
    let dir = std::env::temp_dir().join(format!("codegen-err-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("broken.json");
    std::fs::write(&path, "{\"smithy\": \"2.0\", \"shapes\": {\"a#B\": {\"type\": \"nope\"}}}").unwrap();
    let req = codegen::Request {
        service: None,
        selection: &Selection::All,
        crate_name: "x",
        crate_version: "0.0.0",
        model_source: "broken.json",
        partitions: None,
        examples: None,
        modules: None,
        definitions: None,
    };
    let err = codegen::generate(&path, &req).unwrap_err();
    assert_eq!(err.file.as_deref(), Some(path.as_path()));
    assert!(err.to_string().starts_with(&path.display().to_string()), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_constraint_on_a_type_that_cannot_carry_it_is_refused_with_its_place() {
    let cases = [
        (
            "smithy.api#Integer",
            json!({"smithy.api#length": {"max": 3}}),
            "`@length` applies to strings, blobs, lists and maps, not to an integer",
        ),
        ("smithy.api#String", json!({"smithy.api#range": {"max": 3}}), "`@range` applies to numbers, not to a string"),
        ("smithy.api#Boolean", json!({"smithy.api#pattern": "^a$"}), "`@pattern` applies to strings, not to a boolean"),
        (
            "smithy.api#String",
            json!({"smithy.api#uniqueItems": {}}),
            "`@uniqueItems` applies to lists, not to a string",
        ),
    ];
    for (target, traits, message) in cases {
        let mut m = base();
        m["shapes"]["example.err#OpInput"]["members"]["Name"] = json!({"target": target, "traits": traits});
        let err = error_all(&m);
        assert!(err.contains(message), "{err}");
        assert!(err.contains("example.err#OpInput$Name") || err.contains("OpInput"), "names the member: {err}");
    }
}

#[test]
fn patterns_no_engine_can_check_are_refused() {
    let cases = [
        // Invalid under `u` (an unknown property), and a Java Unicode block, which the generator has no table of.
        (r"^\p{InGreek}+$", "`\\p{InGreek}` names a Unicode block, which is not supported"),
        // A named backreference to a group the pattern does not have: invalid under `u` and in Java.
        (r"(?<n>a)\k<m>", "backreference `\\k<m>` to a group that does not exist"),
        // (Java patterns that need backtracking are written for the ECMAScript engine from their syntax tree, property
        // classes and backreferences to missing groups included: `^[a\_]+(?=\p{Alnum})` and `(a)\2` are accepted.)
    ];
    for (pattern, message) in cases {
        let mut m = base();
        m["shapes"]["example.err#Checked"] =
            json!({"type": "string", "traits": {"smithy.api#pattern": pattern, "smithy.api#length": {"max": 8}}});
        m["shapes"]["example.err#OpInput"]["members"]["Name"] = json!({"target": "example.err#Checked"});
        let err = error_all(&m);
        assert!(err.contains(message), "{err}");
        assert!(err.contains("example.err#Checked") && err.contains("smithy.api#pattern"), "names the shape: {err}");
    }
}

#[test]
fn defaults_that_do_not_fit_their_type_are_refused() {
    // A float default beyond `f32` was found by the sweep: it became an infinite `f32` literal, which panicked the
    // emitter.
    for (target, default) in [
        ("smithy.api#Byte", json!(300)),
        ("smithy.api#Blob", json!("not base64!")),
        ("smithy.api#Boolean", json!(1)),
        ("smithy.api#Float", json!(1e300)),
    ] {
        let mut m = base();
        m["shapes"]["example.err#Op"]["output"] = json!({"target": "example.err#OpOutput"});
        m["shapes"]["example.err#OpOutput"] = json!({"type": "structure", "members": {"D": {"target": target, "traits": {"smithy.api#default": default}}}});
        let err = error_all(&m);
        assert!(err.contains("smithy.api#default") && err.contains("default value"), "{target}: {err}");
    }
}

#[test]
fn paginated_paths_must_reach_strings_through_structures() {
    let paged = |output_token: &str, token_target: &str| {
        let mut m = base();
        m["shapes"]["example.err#Op"]["output"] = json!({"target": "example.err#OpOutput"});
        m["shapes"]["example.err#Op"]["traits"] =
            json!({"smithy.api#paginated": {"inputToken": "Name", "outputToken": output_token}});
        m["shapes"]["example.err#OpOutput"] = json!({"type": "structure", "members": {"Next": {"target": token_target}, "Count": {"target": "smithy.api#Integer"}}});
        m
    };
    assert!(generate_text(&paged("Next", "smithy.api#String").to_string(), &Selection::All).is_ok());
    let err = error_all(&paged("Count", "smithy.api#String"));
    assert!(err.contains("outputToken `Count` is not a string"), "{err}");
    let err = error_all(&paged("Count.Next", "smithy.api#String"));
    assert!(err.contains("outputToken `Count.Next`: `Count` is not a structure"), "{err}");
    let err = error_all(&paged("Missing", "smithy.api#String"));
    assert!(err.contains("`Missing` is not a member of `example.err#OpOutput`"), "{err}");
}

#[test]
fn a_paginated_token_is_a_string_or_a_map_of_one_type_in_input_and_output() {
    let paged = |input_target: &str, output_target: &str| {
        let mut m = base();
        m["shapes"]["example.err#Op"]["input"] = json!({"target": "example.err#PagedInput"});
        m["shapes"]["example.err#Op"]["output"] = json!({"target": "example.err#OpOutput"});
        m["shapes"]["example.err#Op"]["traits"] =
            json!({"smithy.api#paginated": {"inputToken": "Start", "outputToken": "Next"}});
        m["shapes"]["example.err#PagedInput"] =
            json!({"type": "structure", "members": {"Start": {"target": input_target}}});
        m["shapes"]["example.err#OpOutput"] =
            json!({"type": "structure", "members": {"Next": {"target": output_target}}});
        m["shapes"]["example.err#Key"] =
            json!({"type": "map", "key": {"target": "smithy.api#String"}, "value": {"target": "smithy.api#Integer"}});
        m
    };
    // DynamoDB's start keys: a map in both.
    assert!(generate_text(&paged("example.err#Key", "example.err#Key").to_string(), &Selection::All).is_ok());
    let err = error_all(&paged("smithy.api#Integer", "smithy.api#Integer"));
    assert!(err.contains("inputToken `Start` is neither a string nor a map"), "{err}");
    let err = error_all(&paged("example.err#Key", "smithy.api#String"));
    assert!(err.contains("outputToken `Next` is not a map of the inputToken's type"), "{err}");
    let err = error_all(&paged("smithy.api#String", "example.err#Key"));
    assert!(err.contains("outputToken `Next` is not a string"), "{err}");
}

#[test]
fn an_error_whose_message_is_required_still_reports_it_through_the_operation_error() {
    // ssm's AccessDeniedException: `Message` is `@required`, so the field's own accessor is `message() -> &str`.
    let mut m = base();
    m["shapes"]["example.err#Op"]["errors"] = json!([{"target": "example.err#Denied"}]);
    m["shapes"]["example.err#Denied"] = json!({
        "type": "structure",
        "members": {"Message": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}}},
        "traits": {"smithy.api#error": "client"}
    });
    let files = generate_text(&m.to_string(), &Selection::All).unwrap();
    let op = &files["src/operation/op.rs"];
    // The member (whose accessor returns `&str`) is the message when the metadata has none.
    assert!(op.contains("message: ::std::option::Option::Some(e.message())"), "{op}");
    let error = &files["src/types/error/denied.rs"];
    assert!(error.contains("match ::std::option::Option::Some(self.message.as_str())"), "{error}");
}

/// Found by `fuzz_model.rs`: a structure member targeting `smithy.api#Unit` made the IR look up a type path that Unit
/// never has, and panic.
#[test]
fn a_structure_member_targeting_unit_is_refused() {
    let mut m = base();
    m["shapes"]["example.err#OpInput"]["members"]["Name"]["target"] = json!("smithy.api#Unit");
    assert_eq!(
        error_all(&m),
        "$.shapes[\"example.err#OpInput\"].members.Name.target: member `example.err#OpInput$Name` targets \
         `smithy.api#Unit`, a structure, but only union members, enum members and operations may target \
         smithy.api#Unit"
    );
    m["shapes"]["example.err#OpInput"]["members"]["Name"]["target"] = json!("example.err#Units");
    m["shapes"]["example.err#Units"] = json!({"type": "list", "member": {"target": "smithy.api#Unit"}});
    let err = error_all(&m);
    assert!(err.contains("member `example.err#Units$member` targets `smithy.api#Unit`"), "{err}");
}

/// Found by `fuzz_model.rs`: a list of itself (or a map whose values are lists of the map) made the IR's type
/// lowering recurse without end and overflow the stack.
#[test]
fn a_collection_that_contains_itself_without_a_structure_between_is_refused() {
    let mut m = base();
    m["shapes"]["example.err#OpInput"]["members"]["Name"]["target"] = json!("example.err#Nested");
    m["shapes"]["example.err#Nested"] = json!({"type": "list", "member": {"target": "example.err#Nested"}});
    assert_eq!(
        error_all(&m),
        "$.shapes[\"example.err#Nested\"]: `example.err#Nested` contains itself through lists and maps alone, with no \
         structure or union between, so it has no finite value"
    );
    m["shapes"]["example.err#Nested"] = json!({"type": "list", "member": {"target": "example.err#ByName"}});
    m["shapes"]["example.err#ByName"] = json!({
        "type": "map", "key": {"target": "smithy.api#String"}, "value": {"target": "example.err#Nested"}
    });
    let err = error_all(&m);
    assert!(err.contains("contains itself through lists and maps alone"), "{err}");
    // Through a structure, recursion is fine.
    m["shapes"]["example.err#ByName"]["value"]["target"] = json!("example.err#OpInput");
    assert!(generate_text(&m.to_string(), &Selection::All).is_ok());
}

/// The model with a waiter on `Op` whose one success acceptor matches `matcher`.
fn with_waiter(matcher: Value) -> Value {
    let mut m = base();
    m["shapes"]["example.err#Op"]["output"] = json!({ "target": "example.err#OpOutput" });
    m["shapes"]["example.err#OpOutput"] = json!({
        "type": "structure",
        "members": {
            "Status": { "target": "smithy.api#String" },
            "Count": { "target": "smithy.api#Integer" },
            "Tags": { "target": "example.err#Tags" }
        }
    });
    m["shapes"]["example.err#Tags"] =
        json!({ "type": "map", "key": { "target": "smithy.api#String" }, "value": { "target": "smithy.api#String" } });
    m["shapes"]["example.err#Op"]["traits"] = json!({
        "smithy.waiters#waitable": { "Done": { "acceptors": [ { "state": "success", "matcher": matcher } ] } }
    });
    m
}

#[test]
fn waiter_paths_that_cannot_be_typed_name_the_operation_waiter_and_acceptor() {
    let path = |path: &str, comparator: &str, expected: &str| {
        error_all(&with_waiter(json!({ "output": { "path": path, "comparator": comparator, "expected": expected } })))
    };
    let errors = [
        path("Stat", "stringEquals", "x"),
        path("Count", "stringEquals", "1"),
        path("Status", "allStringEquals", "x"),
        path("Status == `1`", "booleanEquals", "true"),
        path("Tags.a", "stringEquals", "x"),
        path("sort(Status)", "stringEquals", "x"),
        path("Status.*", "stringEquals", "x"),
        path("Status == 'a'", "booleanEquals", "yes"),
        path("Status", "stringContains", "x"),
        error_all(&with_waiter(
            json!({ "inputOutput": { "path": "Status", "comparator": "stringEquals", "expected": "x" } }),
        )),
        error_all(&with_waiter(json!({ "success": true, "errorType": "X" }))),
    ];
    for e in &errors {
        assert!(e.contains("operation `Op`, waiter `Done`, acceptor 0") || e.contains("exactly one"), "{e}");
    }
    insta::assert_snapshot!("waiter_paths", errors.join("\n"));
}

/// Found by `cargo xtask fuzz` (fresh seeds): an operation whose input is one of its own `@error` structures made the
/// IR look up a shared type path the structure never got (it was the operation's input only), and panic. Smithy's
/// validator refuses such a model (`TargetValidator`: an operation input or output may not target an `@error`
/// structure), so the generator refuses it too, naming the operation, the binding and the structure.
#[test]
fn an_operation_input_or_output_that_is_an_error_structure_is_refused() {
    let mut m = base();
    m["shapes"]["example.err#Op"]["errors"] = json!([{"target": "example.err#NotFound"}]);
    m["shapes"]["example.err#NotFound"] = json!({
        "type": "structure",
        "members": {"Message": {"target": "smithy.api#String"}},
        "traits": {"smithy.api#error": "client"}
    });
    assert!(generate_text(&m.to_string(), &Selection::All).is_ok());
    m["shapes"]["example.err#Op"]["input"] = json!({"target": "example.err#NotFound"});
    let err = error_all(&m);
    insta::assert_snapshot!("input_is_an_error", err);
    // Not one of the operation's errors: the same refusal.
    m["shapes"]["example.err#Op"]["errors"] = json!([]);
    assert_eq!(error_all(&m), err);
    m["shapes"]["example.err#Op"]["input"] = json!({"target": "example.err#OpInput"});
    m["shapes"]["example.err#Op"]["output"] = json!({"target": "example.err#NotFound"});
    let err = error_all(&m);
    assert!(err.starts_with("$.shapes[\"example.err#Op\"].output: operation `example.err#Op` output"), "{err}");
    assert!(err.contains("`example.err#NotFound`") && err.contains("@error"), "{err}");
}

/// Found by the sweep of the IR after the fuzzer's finding above: the service's own `errors` were not checked, so a
/// dangling one made `resolve` panic, and one that is no `@error` structure reached the IR's type lookups. Smithy
/// requires each to be a structure with `@error`, as an operation's errors are.
#[test]
fn service_errors_must_be_error_structures_in_the_model() {
    let mut m = base();
    m["shapes"]["example.err#Svc"]["errors"] = json!([{"target": "example.err#Nowhere"}]);
    insta::assert_snapshot!("service_error_missing", error_all(&m));
    // The operation's own input, which has no type outside the operation.
    m["shapes"]["example.err#Svc"]["errors"] = json!([{"target": "example.err#OpInput"}]);
    insta::assert_snapshot!("service_error_not_an_error", error_all(&m));
    m["shapes"]["example.err#Svc"]["errors"] = json!([{"target": "smithy.api#String"}]);
    let err = error_all(&m);
    assert!(err.starts_with("$.shapes[\"example.err#Svc\"].errors[0]: error `smithy.api#String`"), "{err}");
    m["shapes"]["example.err#Svc"]["errors"] = json!([{"target": "example.err#Throttled"}]);
    m["shapes"]["example.err#Throttled"] =
        json!({"type": "structure", "members": {}, "traits": {"smithy.api#error": "server"}});
    let files = generate_text(&m.to_string(), &Selection::All).unwrap();
    assert!(files["src/operation/op.rs"].contains("Throttled("), "the service error is a variant of the operation's");
}

/// Found by the sweep: member names and the service's `rename` values went into Rust identifiers unchecked, and a
/// letter or digit that Rust does not allow in an identifier (`²`, `٣`) panicked the emitter. Smithy requires both to
/// be identifiers (ASCII letters, digits and `_`).
#[test]
fn member_names_and_renames_must_be_smithy_identifiers() {
    let mut m = base();
    m["shapes"]["example.err#OpInput"]["members"]["x²"] = json!({"target": "smithy.api#String"});
    insta::assert_snapshot!("member_name_not_an_identifier", error_all(&m));
    for name in ["", "a b", "Ünïcödé", "٣", "1abc", "😀"] {
        let mut m = base();
        m["shapes"]["example.err#OpInput"]["members"][name] = json!({"target": "smithy.api#String"});
        let err = error_all(&m);
        assert!(err.contains("is not a Smithy identifier"), "{name:?}: {err}");
    }
    let mut m = base();
    m["shapes"]["example.err#Svc"]["rename"] = json!({"example.err#OpInput": "٣Input"});
    insta::assert_snapshot!("rename_not_an_identifier", error_all(&m));
    // A valid rename is used.
    m["shapes"]["example.err#Svc"]["rename"] = json!({"example.err#E": "Colour"});
    m["shapes"]["example.err#OpInput"]["members"]["E"] = json!({"target": "example.err#E"});
    m["shapes"]["example.err#E"] = json!({"type": "enum", "members": {"A": {"target": "smithy.api#Unit"}}});
    let files = generate_text(&m.to_string(), &Selection::All).unwrap();
    assert!(files.contains_key("src/types/colour.rs"), "{:?}", files.keys().collect::<Vec<_>>());
}

/// Found by the sweep: the model could redefine a prelude shape (`smithy.api#Unit` as an enum or union, or with
/// `@error`) or `apply` traits to one, and the IR, which gives Unit no type, panicked looking for it. Smithy's prelude
/// is immutable: a model may repeat a prelude shape only as the prelude defines it.
#[test]
fn prelude_shapes_cannot_be_redefined_or_changed() {
    let mut m = base();
    m["shapes"]["example.err#OpInput"]["members"]["U"] = json!({"target": "example.err#Choice"});
    m["shapes"]["example.err#Choice"] = json!({"type": "union", "members": {"Nothing": {"target": "smithy.api#Unit"}, "Name": {"target": "smithy.api#String"}}});
    assert!(generate_text(&m.to_string(), &Selection::All).is_ok());
    // Repeating a prelude shape as the prelude has it is fine.
    m["shapes"]["smithy.api#Unit"] = json!({"type": "structure", "members": {}, "traits": {"smithy.api#unitType": {}}});
    m["shapes"]["smithy.api#String"] = json!({"type": "string"});
    assert!(generate_text(&m.to_string(), &Selection::All).is_ok());
    // Reached through `Choice$Nothing`, a union of its own would have been looked up as a type.
    m["shapes"]["smithy.api#Unit"] = json!({"type": "union", "members": {"A": {"target": "smithy.api#String"}}});
    insta::assert_snapshot!("prelude_redefined", error_all(&m));
    m["shapes"]["smithy.api#Unit"] = json!({"type": "apply", "traits": {"smithy.api#error": "client"}});
    m["shapes"]["example.err#Op"]["errors"] = json!([{"target": "smithy.api#Unit"}]);
    insta::assert_snapshot!("prelude_applied", error_all(&m));
    let mut m = base();
    m["shapes"]["smithy.api#Unit"] = json!({"type": "structure", "members": {}, "traits": {"smithy.api#unitType": {}, "smithy.api#error": "client"}});
    m["shapes"]["example.err#Op"]["errors"] = json!([{"target": "smithy.api#Unit"}]);
    let err = error_all(&m);
    assert!(err.starts_with("$.shapes[\"smithy.api#Unit\"]: "), "{err}");
}

/// The base model with an endpoint rule set: a `Region` parameter (named `region`), and one endpoint from the
/// partition's DNS suffix, bound to `assign`.
fn with_rules(region: &str, assign: &str) -> Value {
    let mut m = base();
    m["shapes"]["example.err#Svc"]["traits"]["smithy.rules#endpointRuleSet"] = json!({
        "version": "1.0",
        "parameters": {region: {"type": "String", "builtIn": "AWS::Region", "required": true}},
        "rules": [{
            "conditions": [
                {"fn": "isSet", "argv": [{"ref": region}]},
                {"fn": "aws.partition", "argv": [{"ref": region}], "assign": assign}
            ],
            "type": "endpoint",
            "endpoint": {"url": format!("https://example.{{{assign}#dnsSuffix}}")}
        }]
    });
    m
}

/// Generate with a partition table given as JSON.
fn with_partitions(model: &Value, partitions: &Value) -> codegen::Result<()> {
    let dir = std::env::temp_dir().join(format!(
        "codegen-partitions-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("partitions.json");
    std::fs::write(&path, partitions.to_string()).unwrap();
    let req = codegen::Request {
        service: None,
        selection: &Selection::All,
        crate_name: "x",
        crate_version: "0.0.0",
        model_source: "inline",
        partitions: Some(&path),
        examples: None,
        modules: None,
        definitions: None,
    };
    let result = codegen::generate_from_model(&codegen::model::parse(&model.to_string())?, &req).map(|_| ());
    std::fs::remove_dir_all(&dir).unwrap();
    result
}

/// Found by the sweep: endpoint rule-set parameters and `assign` names, and partition ids, became Rust identifiers
/// unchecked, and a letter or digit Rust does not allow in one (`²`) panicked the emitter. The rules-engine
/// specification makes parameters and assigned names identifiers; AWS's partition ids are letters, digits and `-`.
#[test]
fn endpoint_names_that_cannot_be_rust_names_are_refused() {
    let table = json!({"partitions": [{"id": "aws", "regionRegex": "^us\\-\\w+$", "outputs": {"dnsSuffix": "amazonaws.com"}, "regions": {}}]});
    with_partitions(&with_rules("Region", "Partition_1"), &table).unwrap();
    let err = with_partitions(&with_rules("Region²", "P"), &table).unwrap_err().to_string();
    assert_eq!(
        err,
        "$.shapes[\"example.err#Svc\"].traits[\"smithy.rules#endpointRuleSet\"]: parameter \"Region²\" is not a \
         rule-set identifier (ASCII letters, digits and `_`, starting with a letter)"
    );
    let err = with_partitions(&with_rules("Region", "P²"), &table).unwrap_err().to_string();
    assert!(
        err.ends_with(
            "`assign` name \"P²\" is not a rule-set identifier (ASCII letters, digits and `_`, starting with a letter)"
        ),
        "{err}"
    );
    let mut bad = table.clone();
    bad["partitions"][0]["id"] = json!("aws²");
    let err = with_partitions(&with_rules("Region", "P"), &bad).unwrap_err().to_string();
    assert_eq!(err, "partitions[0].id: partition id \"aws²\" is not ASCII letters, digits and `-`");
}

/// Found by the sweep: a protocol test's id became the name of a Rust test unchecked (a `²` in it panicked the
/// emitter), and its integer and float values were cast to the member's type unchecked (`300` for a byte became
/// `44i8`, and `1e300` for a float an infinite `f32` literal, which panicked the emitter). Such cases are left out,
/// with the reason in the module's documentation, as other cases the generator cannot type are.
#[test]
fn protocol_tests_with_bad_ids_or_values_out_of_range_are_left_out_with_the_reason() {
    let mut m = base();
    m["shapes"]["example.err#Op"]["output"] = json!({"target": "example.err#OpOutput"});
    m["shapes"]["example.err#OpOutput"] = json!({"type": "structure", "members": {
        "B": {"target": "smithy.api#Byte"},
        "F": {"target": "smithy.api#Float"}
    }});
    let case = |id: &str, params: Value| json!({"id": id, "protocol": "aws.protocols#awsJson1_1", "code": 200, "body": "{}", "params": params});
    m["shapes"]["example.err#Op"]["traits"] = json!({"smithy.test#httpResponseTests": [
        case("Fits", json!({"B": -128, "F": 3.0e38})),
        case("Bad²Id", json!({})),
        case("ByteTooBig", json!({"B": 128})),
        case("FloatTooBig", json!({"F": 1e300})),
    ]});
    let files = generate_text(&m.to_string(), &Selection::All).unwrap();
    let tests = &files["src/protocol_tests.rs"];
    assert!(tests.contains("fn fits()"), "{tests}");
    // The extremes that fit are kept.
    assert!(
        tests.contains("Some(-128i8)") && tests.contains("Some(300000000000000000000000000000000000000f32)"),
        "{tests}"
    );
    for left_out in [
        "//! - `Bad²Id`: the id is not a Smithy identifier",
        "//! - `ByteTooBig`: value 128 does not fit a smithy.api#Byte",
        "//! - `FloatTooBig`: value 1e+300 does not fit a smithy.api#Float",
    ] {
        assert!(tests.contains(left_out), "{left_out}\n{tests}");
    }
}

/// The base model with `OpInput$Name` a list of lists … `lists` deep.
fn nested_lists(lists: usize) -> Value {
    let mut m = base();
    m["shapes"]["example.err#OpInput"]["members"]["Name"]["target"] = json!("example.err#L0");
    for i in 0..lists {
        let next = if i + 1 == lists { "smithy.api#String".to_owned() } else { format!("example.err#L{}", i + 1) };
        m["shapes"][format!("example.err#L{i}")] = json!({"type": "list", "member": {"target": next}});
    }
    m
}

/// Found by the sweep: every stage walks a type's lists and maps recursively, so a chain of 2,000 lists of lists
/// overflowed a test thread's stack and aborted the process. Nesting is bounded (AWS models nest at most three).
#[test]
fn lists_and_maps_nested_deeper_than_the_bound_are_refused() {
    let files =
        generate_text(&nested_lists(codegen::resolve::MAX_COLLECTION_NESTING).to_string(), &Selection::All).unwrap();
    assert!(files["src/operation/op.rs"].contains("Vec<::std::vec::Vec<"), "the nested type is generated");
    assert_eq!(
        error_all(&nested_lists(65)),
        "$.shapes[\"example.err#L0\"]: `example.err#L0` nests lists and maps more than 64 deep with no structure or \
         union between; the generator supports at most 64"
    );
    let err = error_all(&nested_lists(20_000));
    assert!(err.contains("nests lists and maps more than 64 deep"), "{err}");
}

/// The base model with `OpInput` using the mixin `L0`, which uses `L1`, … `L<mixins>`, which has a member.
fn nested_mixins(mixins: usize) -> Value {
    let mut m = base();
    m["shapes"]["example.err#OpInput"]["mixins"] = json!([{"target": "example.err#L0"}]);
    for i in 0..mixins {
        m["shapes"][format!("example.err#L{i}")] = json!({
            "type": "structure", "members": {}, "mixins": [{"target": format!("example.err#L{}", i + 1)}],
            "traits": {"smithy.api#mixin": {}}
        });
    }
    m["shapes"][format!("example.err#L{mixins}")] = json!({
        "type": "structure", "members": {"Deep": {"target": "smithy.api#String"}}, "traits": {"smithy.api#mixin": {}}
    });
    m
}

/// Found by the sweep: flattening mixins recurses along a chain of mixins of mixins, and a chain of 3,000 overflowed a
/// test thread's stack and aborted the process.
#[test]
fn mixins_nested_deeper_than_the_bound_are_refused() {
    let files =
        generate_text(&nested_mixins(codegen::resolve::MAX_MIXIN_NESTING).to_string(), &Selection::All).unwrap();
    assert!(files["src/operation/op.rs"].contains("pub deep:"), "the deepest mixin's member is inherited");
    assert_eq!(
        error_all(&nested_mixins(65)),
        "$.shapes[\"example.err#L64\"].mixins: mixins nest more than 64 deep: example.err#L0 -> example.err#L64 -> …"
    );
    let err = error_all(&nested_mixins(3_000));
    assert!(err.contains("mixins nest more than 64 deep"), "{err}");
}

/// The base model with endpoint rules taking `ResourceArn` (a string) and `ResourceArnList` (a list of strings).
fn with_binding_rules() -> Value {
    let mut m = base();
    m["shapes"]["example.err#Svc"]["traits"]["smithy.rules#endpointRuleSet"] = json!({
        "version": "1.0",
        "parameters": {
            "ResourceArn": { "type": "String" },
            "ResourceArnList": { "type": "stringArray" }
        },
        "rules": [{ "conditions": [], "type": "error", "error": "no endpoint" }]
    });
    m
}

#[test]
fn endpoint_bindings_name_what_is_wrong_and_where() {
    let mut m = with_binding_rules();
    m["shapes"]["example.err#OpInput"]["members"]["Name"]["traits"] =
        json!({ "smithy.rules#contextParam": { "name": "Nope" } });
    assert_eq!(
        error_all(&m),
        "$.shapes[\"example.err#OpInput\"].members.Name.traits[\"smithy.rules#contextParam\"]: `Nope` is not a parameter of the service's endpoint rules"
    );

    let mut m = with_binding_rules();
    m["shapes"]["example.err#Op"]["traits"] =
        json!({ "smithy.rules#operationContextParams": { "ResourceArnList": { "path": "[Name, Name]" } } });
    assert_eq!(
        error_all(&m),
        "$.shapes[\"example.err#Op\"].traits[\"smithy.rules#operationContextParams\"].ResourceArnList: path `[Name, Name]`: multi-select lists (`[a, b]`) are not supported"
    );

    let mut m = with_binding_rules();
    m["shapes"]["example.err#Op"]["traits"] =
        json!({ "smithy.rules#operationContextParams": { "ResourceArnList": { "path": "Name" } } });
    assert_eq!(
        error_all(&m),
        "$.shapes[\"example.err#Op\"].traits[\"smithy.rules#operationContextParams\"].ResourceArnList: path `Name` gives a String, but parameter `ResourceArnList` is a stringArray"
    );

    let mut m = with_binding_rules();
    m["shapes"]["example.err#Op"]["traits"] =
        json!({ "smithy.rules#operationContextParams": { "ResourceArn": { "path": "Name.Deeper" } } });
    assert_eq!(
        error_all(&m),
        "$.shapes[\"example.err#Op\"].traits[\"smithy.rules#operationContextParams\"].ResourceArn: path `Name.Deeper`: `Deeper` is read from something that is not a structure"
    );

    let mut m = with_binding_rules();
    m["shapes"]["example.err#Op"]["traits"] =
        json!({ "smithy.rules#staticContextParams": { "ResourceArn": { "value": 3 } } });
    assert_eq!(
        error_all(&m),
        "$.shapes[\"example.err#Op\"].traits[\"smithy.rules#staticContextParams\"].ResourceArn: the value 3 does not fit parameter `ResourceArn`, a String"
    );
}
