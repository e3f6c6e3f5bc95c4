//! `cargo xtask diff`: each kind of change on a small fixture pair, classified and with the implied semver bump;
//! constraint verdicts (relaxed, tightened, incomparable, equivalent, undecided) on pairs of patterns, lengths and
//! ranges, in requests and in responses; and the real SageMaker updates (2025-07-03 to 2025-08-08, and 2025-08-08 to
//! 2026-07-16, the 0.1.1 release, read line by line) pinned as snapshots of the changelog.

use codegen::diff::{diff, markdown, Class, Report, Verdict};
use codegen::model::{self, Model};
use codegen::Selection;
use serde_json::{json, Value};

fn base() -> Value {
    let text = std::fs::read_to_string(project_tests::root().join("tests/fixtures/diff/base.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn parse(v: &Value) -> Model {
    model::parse(&v.to_string()).unwrap()
}

fn compare(change: impl FnOnce(&mut Value)) -> Report {
    let old = base();
    let mut new = old.clone();
    change(&mut new);
    diff(&parse(&old), &parse(&new), None, &Selection::All, "1.4.2").unwrap()
}

/// The one non-documentation change (reported once per operation that reaches it), as (class, detail).
fn only(report: &Report) -> (Class, String) {
    let distinct: std::collections::BTreeSet<(Class, String)> = report
        .changes
        .iter()
        .filter(|c| c.class != Class::Documentation)
        .map(|c| (c.class, c.detail.clone()))
        .collect();
    assert_eq!(distinct.len(), 1, "{:#?}", report.changes);
    distinct.into_iter().next().unwrap()
}

const S: &str = "shapes";

/// A named change to the base model and a phrase its report must contain.
type Case = (&'static str, Box<dyn FnOnce(&mut Value)>, &'static str);

#[test]
fn no_change_means_no_bump() {
    let r = compare(|_| {});
    assert!(r.changes.is_empty());
    assert_eq!(r.semver.bump, "none");
}

#[test]
fn breaking_changes() {
    let cases: Vec<Case> = vec![
        (
            "member removed from a request",
            Box::new(|m| {
                m[S]["example.diff#GetInput"]["members"].as_object_mut().unwrap().remove("Mode");
            }),
            "member `Mode` removed",
        ),
        (
            "member removed from a response",
            Box::new(|m| {
                m[S]["example.diff#Item"]["members"].as_object_mut().unwrap().remove("Id");
            }),
            "member `Id` removed",
        ),
        (
            "request member became required",
            Box::new(|m| {
                m[S]["example.diff#GetInput"]["members"]["Mode"]["traits"] = json!({"smithy.api#required": {}});
            }),
            "became required",
        ),
        (
            "new required request member",
            Box::new(|m| {
                m[S]["example.diff#GetInput"]["members"]["Owner"] =
                    json!({"target": "smithy.api#String", "traits": {"smithy.api#required": {}}});
            }),
            "new required member `Owner`",
        ),
        (
            "length narrowed",
            Box::new(|m| {
                m[S]["example.diff#Name"]["traits"]["smithy.api#length"] = json!({"min": 1, "max": 5});
            }),
            "length narrowed from 1..=10 to 1..=5 characters",
        ),
        (
            "range narrowed",
            Box::new(|m| {
                m[S]["example.diff#Limit"]["traits"]["smithy.api#range"] = json!({"min": 5, "max": 100});
            }),
            "range narrowed from 1..=100 to 5..=100",
        ),
        (
            "pattern tightened",
            Box::new(|m| {
                m[S]["example.diff#Name"]["traits"]["smithy.api#pattern"] = json!("^[a-z]{2,}$");
            }),
            "pattern tightened from `^[a-z]+$` to `^[a-z]{2,}$`",
        ),
        (
            "enum value removed",
            Box::new(|m| {
                m[S]["example.diff#Mode"]["members"].as_object_mut().unwrap().remove("SLOW");
            }),
            "enum value `slow` removed",
        ),
        (
            "error removed",
            Box::new(|m| {
                m[S]["example.diff#Get"]["errors"] = json!([]);
            }),
            "error `NotFound` removed",
        ),
        (
            "paginator removed",
            Box::new(|m| {
                m[S]["example.diff#List"]["traits"] = json!({});
            }),
            "no longer paginated",
        ),
        (
            "member type changed",
            Box::new(|m| {
                m[S]["example.diff#GetOutput"]["members"]["Value"]["target"] = json!("example.diff#Limit");
            }),
            "type changed from string to integer",
        ),
    ];
    for (what, change, detail) in cases {
        let r = compare(change);
        let (class, got) = only(&r);
        assert_eq!(class, Class::Breaking, "{what}: {got}");
        assert!(got.contains(detail), "{what}: {got}");
        assert_eq!((r.semver.bump.as_str(), r.semver.to_version.as_str()), ("major", "2.0.0"), "{what}");
    }
    let r = compare(|m| {
        m[S]["example.diff#Api"]["operations"] = json!([{"target": "example.diff#Get"}]);
    });
    assert_eq!(r.removed_operations, ["List"]);
    assert_eq!(r.semver.bump, "major");
}

#[test]
fn additive_changes() {
    let cases: Vec<Case> = vec![
        (
            "new optional request member",
            Box::new(|m| {
                m[S]["example.diff#GetInput"]["members"]["Tag"] = json!({"target": "smithy.api#String"});
            }),
            "new member `Tag`",
        ),
        (
            "new response member",
            Box::new(|m| {
                m[S]["example.diff#Item"]["members"]["Size"] = json!({"target": "example.diff#Limit"});
            }),
            "new member `Size`",
        ),
        (
            "new enum value",
            Box::new(|m| {
                m[S]["example.diff#Mode"]["members"]["MEDIUM"] =
                    json!({"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "medium"}});
            }),
            "new enum value `medium`",
        ),
        (
            "length widened",
            Box::new(|m| {
                m[S]["example.diff#Name"]["traits"]["smithy.api#length"] = json!({"min": 1, "max": 20});
            }),
            "length widened from 1..=10 to 1..=20 characters",
        ),
        (
            "new error",
            Box::new(|m| {
                m[S]["example.diff#Get"]["errors"] =
                    json!([{"target": "example.diff#NotFound"}, {"target": "example.diff#Busy"}]);
                m[S]["example.diff#Busy"] =
                    json!({"type": "structure", "members": {}, "traits": {"smithy.api#error": "server"}});
            }),
            "new error `Busy`",
        ),
    ];
    for (what, change, detail) in cases {
        let r = compare(change);
        let (class, got) = only(&r);
        assert_eq!(class, Class::Additive, "{what}: {got}");
        assert!(got.contains(detail), "{what}: {got}");
        assert_eq!(r.semver.to_version, "1.5.0", "{what}");
    }
    let r = compare(|m| {
        m[S]["example.diff#Api"]["operations"].as_array_mut().unwrap().push(json!({"target": "example.diff#Put"}));
        m[S]["example.diff#Put"] = json!({"type": "operation"});
    });
    assert_eq!(r.added_operations, ["Put"]);
    assert_eq!(r.semver.to_version, "1.5.0");
}

#[test]
fn documentation_changes_are_counted_apart() {
    let r = compare(|m| {
        m[S]["example.diff#Get"]["traits"]["smithy.api#documentation"] = json!("Fetches a thing.");
        m[S]["example.diff#Item"]["members"]["Id"]["traits"] = json!({"smithy.api#documentation": "The id."});
    });
    assert!(r.changes.iter().all(|c| c.class == Class::Documentation));
    // The operation's docs, and `Item.Id` under each of the two operations that return it.
    assert_eq!(r.changes.len(), 3);
    assert_eq!(r.semver.to_version, "1.4.3");
    let md = markdown(&r, "Example");
    assert!(md.contains("3 documentation changes in: `Get`, `List`."), "{md}");
    assert!(md.starts_with("## Example - no api changes"), "{md}");
}

#[test]
fn nested_additions_show_the_request_fragment() {
    let r = compare(|m| {
        m[S]["example.diff#Item"]["members"]["Tags"] = json!({"target": "example.diff#ItemList"});
    });
    // `Item` is reached from both operations: the change is reported under each, with its own path.
    let get = r.changes.iter().find(|c| c.operation == "Get").unwrap();
    assert_eq!(get.path, "Item.Tags");
    assert!(get.fragment.as_deref().unwrap().starts_with("{'Item': {'Tags': [{'Id': 'string'"), "{:?}", get.fragment);
    let list = r.changes.iter().find(|c| c.operation == "List").unwrap();
    assert_eq!(list.path, "Items[].Tags");
    assert!(
        list.fragment.as_deref().unwrap().starts_with("{'Items': [{'Tags': [{'Id': 'string'"),
        "{:?}",
        list.fragment
    );
}

/// A constraint before and after, on one shape of the base model, and what the diff must conclude.
struct Pair {
    what: &'static str,
    shape: &'static str,
    key: &'static str,
    old: Value,
    new: Value,
    verdict: Verdict,
    refused: Option<&'static str>,
    accepted: Option<&'static str>,
}

fn pair(
    what: &'static str,
    shape: &'static str,
    key: &'static str,
    old: Value,
    new: Value,
    verdict: Verdict,
    examples: (Option<&'static str>, Option<&'static str>),
) -> Pair {
    Pair { what, shape, key, old, new, verdict, refused: examples.0, accepted: examples.1 }
}

/// Apply `value` (or remove the trait, for `null`) to `shape` in a copy of the base model.
fn with_trait(shape: &str, key: &str, value: &Value) -> Value {
    let mut m = base();
    if m[S][shape]["traits"].is_null() {
        m[S][shape]["traits"] = json!({});
    }
    let traits = m[S][shape]["traits"].as_object_mut().unwrap();
    if value.is_null() {
        traits.remove(key);
    } else {
        traits.insert(key.to_owned(), value.clone());
    }
    m
}

/// The examples a pattern verdict gives, checked against the validators the generated crates run.
fn pattern_accepts(pattern: Option<&str>, value: &str) -> bool {
    let Some(p) = pattern else { return true };
    let plan = codegen::pattern::plan(p).unwrap();
    let n = value.chars().count() as u32;
    plan.chars.is_none_or(|(min, max)| n >= min && max.is_none_or(|m| n <= m))
        && plan.checks.iter().all(|c| regex::Regex::new(&c.regex).unwrap().is_match(value) == c.expect)
}

#[test]
fn constraint_verdicts_on_requests_and_responses() {
    use Verdict::*;
    let p = |s: &str| json!(s);
    let (id, name, limit, ratio, items) = (
        "example.diff#ItemId",
        "example.diff#Name",
        "example.diff#Limit",
        "example.diff#Ratio",
        "example.diff#ItemList",
    );
    let (pattern, length, range) = ("smithy.api#pattern", "smithy.api#length", "smithy.api#range");
    let hex8 = "^i-[0-9a-f]{8}$";
    let cases = vec![
        // Patterns. `ItemId` is in the `Get` request (`ItemId`) and in both responses (`Item.Id`, `Items[].Id`).
        pair(
            "pattern relaxed (ids grew, as EC2's did)",
            id,
            pattern,
            p(hex8),
            p("^i-[0-9a-f]{8}([0-9a-f]{9})?$"),
            Relaxed,
            (None, Some("i-aaaaaaaaaaaaaaaaa")),
        ),
        pair(
            "pattern tightened",
            id,
            pattern,
            p(hex8),
            p("^i-[0-9a][0-9a-f]{7}$"),
            Tightened,
            (Some("i-baaaaaaa"), None),
        ),
        pair(
            "pattern incomparable",
            id,
            pattern,
            p(hex8),
            p("^i-[0-9a-f]{17}$"),
            Incomparable,
            (Some("i-aaaaaaaa"), Some("i-aaaaaaaaaaaaaaaaa")),
        ),
        pair("pattern rewritten", id, pattern, p(hex8), p("^i-[a-f0-9]{8}$"), Equivalent, (None, None)),
        pair("pattern removed", id, pattern, p(hex8), Value::Null, Relaxed, (None, Some(""))),
        pair("pattern added", limit, pattern, Value::Null, p("^[0-9]+$"), Tightened, (Some(""), None)),
        pair("pattern not decided", id, pattern, p(hex8), p(r"^(i)-\1$"), Undecided, (None, None)),
        // Lengths, in the unit of the target.
        pair(
            "length widened",
            id,
            length,
            json!({"min": 10, "max": 10}),
            json!({"min": 10, "max": 19}),
            Relaxed,
            (None, Some("19 characters")),
        ),
        pair(
            "length narrowed",
            id,
            length,
            json!({"min": 10, "max": 10}),
            json!({"min": 11}),
            Incomparable,
            (Some("10 characters"), Some("11 characters")),
        ),
        pair(
            "length narrowed on one side",
            name,
            length,
            json!({"min": 1, "max": 10}),
            json!({"min": 2, "max": 10}),
            Tightened,
            (Some("1 characters"), None),
        ),
        pair(
            "length rewritten",
            name,
            length,
            json!({"min": 0, "max": 10}),
            json!({"max": 10}),
            Equivalent,
            (None, None),
        ),
        pair("length of a list", items, length, Value::Null, json!({"max": 3}), Tightened, (Some("4 items"), None)),
        // Integer and real ranges.
        pair(
            "range widened",
            limit,
            range,
            json!({"min": 1, "max": 100}),
            json!({"min": 0, "max": 100}),
            Relaxed,
            (None, Some("0")),
        ),
        pair(
            "range narrowed",
            limit,
            range,
            json!({"min": 1, "max": 100}),
            json!({"min": 1, "max": 50}),
            Tightened,
            (Some("100"), None),
        ),
        pair(
            "range moved",
            limit,
            range,
            json!({"min": 1, "max": 100}),
            json!({"min": 5, "max": 200}),
            Incomparable,
            (Some("1"), Some("200")),
        ),
        pair(
            "integer range rewritten",
            limit,
            range,
            json!({"min": 1, "max": 100}),
            json!({"min": 0.5, "max": 100.9}),
            Equivalent,
            (None, None),
        ),
        pair(
            "real range widened",
            ratio,
            range,
            json!({"min": 0, "max": 1}),
            json!({"min": 0, "max": 1.5}),
            Relaxed,
            (None, Some("1.5")),
        ),
        pair(
            "real range narrowed",
            ratio,
            range,
            json!({"min": 0, "max": 1}),
            json!({"min": 0.25, "max": 1}),
            Tightened,
            (Some("0"), None),
        ),
    ];
    for case in cases {
        let old = with_trait(case.shape, case.key, &case.old);
        let new = with_trait(case.shape, case.key, &case.new);
        let r = diff(&parse(&old), &parse(&new), None, &Selection::All, "1.4.2").unwrap();
        let what = case.what;
        assert!(!r.changes.is_empty(), "{what}: no change reported");
        for c in &r.changes {
            assert_eq!(c.verdict, Some(case.verdict), "{what}: {c:?}");
            assert_eq!((c.refused.as_deref(), c.accepted.as_deref()), (case.refused, case.accepted), "{what}: {c:?}");
            // Requests are validated: a relaxation is additive, a rewrite documentation, the rest breaking.
            // Responses are not validated: documentation, whatever the verdict.
            let want = match (c.side.as_str(), case.verdict) {
                ("request", Relaxed) => Class::Additive,
                ("request", Equivalent) | ("response", _) => Class::Documentation,
                _ => Class::Breaking,
            };
            assert_eq!(c.class, want, "{what}: {c:?}");
        }
        if case.key == pattern {
            let (old, new) = (case.old.as_str(), case.new.as_str());
            if let Some(v) = case.refused {
                assert!(pattern_accepts(old, v) && !pattern_accepts(new, v), "{what}: {v:?}");
            }
            if let Some(v) = case.accepted {
                assert!(!pattern_accepts(old, v) && pattern_accepts(new, v), "{what}: {v:?}");
            }
        }
        // `ItemId` and `Ratio` are in requests and responses: one change of each side.
        if [id, ratio].contains(&case.shape) {
            let sides: std::collections::BTreeSet<&str> = r.changes.iter().map(|c| c.side.as_str()).collect();
            assert_eq!(sides.into_iter().collect::<Vec<_>>(), ["request", "response"], "{what}");
        }
    }
}

#[test]
fn an_undecided_pattern_says_why_and_is_breaking() {
    let old = with_trait("example.diff#ItemId", "smithy.api#pattern", &json!("^i-[0-9a-f]{8}$"));
    let new = with_trait("example.diff#ItemId", "smithy.api#pattern", &json!(r"^(i)-\1$"));
    let r = diff(&parse(&old), &parse(&new), None, &Selection::All, "0.3.0").unwrap();
    let c = r.changes.iter().find(|c| c.side == "request").unwrap();
    assert!(c.detail.contains("undecided") && c.detail.contains("cannot be translated"), "{}", c.detail);
    assert_eq!(r.semver.to_version, "0.4.0");
}

#[test]
fn required_changes_and_rust_optionality() {
    // A request input's members are `Option`s in Rust whatever `@required` says: only validation changes.
    let r = compare(|m| {
        m[S]["example.diff#GetInput"]["members"]["Name"]["traits"] = json!({});
    });
    let (class, detail) = only(&r);
    assert_eq!((class, detail.as_str()), (Class::Additive, "became optional: requests without it are now accepted"));
    assert_eq!(r.changes[0].verdict, Some(Verdict::Relaxed));
    // In a nested structure the field's Rust type changes too: breaking, whichever side.
    let r = compare(|m| {
        m[S]["example.diff#Item"]["members"]["Id"]["traits"] = json!({"smithy.api#required": {}});
    });
    let (class, detail) = only(&r);
    assert_eq!(class, Class::Breaking);
    assert_eq!(detail, "became required: responses always hold it; its Rust field is no longer an `Option`");
    // With `@clientOptional` the field stays an `Option`: in a response that is documentation.
    let r = compare(|m| {
        m[S]["example.diff#Item"]["members"]["Id"]["traits"] =
            json!({"smithy.api#required": {}, "smithy.api#clientOptional": {}});
    });
    assert!(r.changes.iter().all(|c| c.class == Class::Documentation), "{:#?}", r.changes);
    assert_eq!(r.semver.bump, "patch");
    // A new required member of a structure whose builder could not fail makes `build()` fallible.
    let r = compare(|m| {
        m[S]["example.diff#Item"]["members"]["Kind"] =
            json!({"target": "smithy.api#String", "traits": {"smithy.api#required": {}}});
    });
    let (class, detail) = only(&r);
    assert_eq!(
        (class, detail.as_str()),
        (Class::Breaking, "new required member `Kind`: the builder's `build()` now returns a `Result`")
    );
}

#[test]
fn relaxations_are_listed_first_as_validation_fixes() {
    let old = base();
    let new = with_trait("example.diff#ItemId", "smithy.api#pattern", &json!("^i-[0-9a-f]{8}([0-9a-f]{9})?$"));
    let r = diff(&parse(&old), &parse(&new), None, &Selection::All, "0.3.1").unwrap();
    let md = markdown(&r, "Example");
    let fixes = md.find("### Validation fixes").expect("a fixes section");
    assert!(fixes < md.find("### `Get`").unwrap(), "{md}");
    assert!(md.contains("inputs that 0.3.1 refused before sending them"), "{md}");
    assert!(
        md.contains(
            "- `Get` request `ItemId`: pattern relaxed\n  refused by 0.3.1, accepted now: `\"i-aaaaaaaaaaaaaaaaa\"`"
        ),
        "{md}"
    );
    // The response side is documentation, listed under its operation and not among the fixes.
    assert!(md.contains("- response member `Items[].Id`: pattern relaxed from `^i-[0-9a-f]{8}$` to `^i-[0-9a-f]{8}([0-9a-f]{9})?$` (documentation: responses are not validated)"), "{md}");
    assert_eq!(md.matches("request `").count(), 1, "{md}");
}

#[test]
fn the_real_sagemaker_update() {
    let Some(dir) = project_tests::shared() else { return };
    let old = model::load(&dir.join("models/sagemaker-2017-07-24.2025-07-03.json")).unwrap();
    let new = model::load(&dir.join("models/sagemaker-2017-07-24.json")).unwrap();
    let cfg = codegen::config::load(&project_tests::root().join("models/codegen.toml")).unwrap();
    let report = diff(&old, &new, cfg.service.as_deref(), &cfg.selection, "0.1.0").unwrap();
    assert_eq!(report.added_operations, ["ListPipelineVersions", "UpdatePipelineVersion"]);
    assert!(report.changes.iter().any(|c| c.operation == "StartPipelineExecution" && c.path == "PipelineVersionId"));
    insta::assert_snapshot!(
        "sagemaker_2025_07_03_to_2025_08_08",
        markdown(&report, "Amazon SageMaker Service (pipelines)")
    );
}

/// The release this crate made from the 2026-07-16 model: every line of the changelog's body, read one by one.
#[test]
fn the_2026_sagemaker_update_line_by_line() {
    let Some(dir) = project_tests::shared() else { return };
    let old = model::load(&dir.join("models/sagemaker-2017-07-24.json")).unwrap();
    let new = model::load(&dir.join("models/sagemaker-2017-07-24.2026-07-16.json")).unwrap();
    let cfg = codegen::config::load(&project_tests::root().join("models/codegen.toml")).unwrap();
    let report = diff(&old, &new, cfg.service.as_deref(), &cfg.selection, "0.1.0").unwrap();
    // Nothing breaks: the request patterns only accept more, and the stricter patterns are in responses.
    assert_eq!((report.semver.bump.as_str(), report.semver.to_version.as_str()), ("patch", "0.1.1"));
    assert!(report.added_operations.is_empty() && report.removed_operations.is_empty());
    assert!(report.changes.iter().all(|c| c.class != Class::Breaking), "{:#?}", report.changes);
    let md = markdown(&report, "0.1.1");

    let arn = |account: &str| format!(r"^arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]*:{account}:pipeline/");
    let name = |account: &str| {
        format!(
            r"^(arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]*:{account}:pipeline/.*)?([a-zA-Z0-9](-*[a-zA-Z0-9]){{0,255}})$"
        )
    };
    let job = |kind: &str, tail: &str| format!(r"^arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]*:[0-9]{{12}}:{kind}-job/{tail}");
    let (old_id, new_id) = ("[0-9]{12}", "([0-9]{12}|aws)");
    let name_relaxed = format!(
        "pattern relaxed from `{}` to `{}` (additive)\n  refused by 0.1.0, accepted now: `\"arn:aws:sagemaker::aws:pipeline/a\"`",
        name(old_id),
        name(new_id)
    );
    let arn_change = format!("pattern relaxed from `{}` to `{}`", arn(old_id), arn(new_id));
    let arn_example = "refused by 0.1.0, accepted now: `\"arn:aws:sagemaker::aws:pipeline/\"`";
    let arn_response = format!(
        "- response member `PipelineArn`: {arn_change} (documentation: responses are not validated)\n  {arn_example}"
    );
    let tightened = |kind: &str| {
        format!(
            "- response member `PipelineExecutionSteps[].Metadata.{}Job.Arn`: pattern tightened from `{}` to `{}` \
(documentation: responses are not validated)\n  accepted by 0.1.0, refused now: \
`\"arn:aws:sagemaker::000000000000:{kind}-job/\"`",
            if kind == "processing" { "Processing" } else { "Training" },
            job(kind, ""),
            job(kind, "[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")
        )
    };
    let step = |member: &str, skeleton: &str| {
        format!(
            "- response member `PipelineExecutionSteps[].Metadata.{member}`: new member `{member}` (additive)\n  \
`{{'PipelineExecutionSteps': [{{'Metadata': {{'{member}': {skeleton}}}}}]}}`"
        )
    };
    let arn_only = "{'Arn': 'string'}";
    let lineage = "{'ActionArns': {'string': 'string'}, 'ArtifactArns': {'string': 'string'}, 'Associations': \
[{'DestinationArn': 'string', 'SourceArn': 'string'}], 'ContextArns': {'string': 'string'}}";
    let fix = |op: &str, member: &str, example: &str| {
        format!("- `{op}` request `{member}`: pattern relaxed\n  refused by 0.1.0, accepted now: `\"{example}\"`")
    };
    let expected: Vec<String> = vec![
        "## 0.1.1 - 7 updated api methods".into(),
        "Semver: **patch** (0.1.0 -> 0.1.1).".into(),
        "0 breaking, 14 additive, 12 documentation-only changes.".into(),
        "### Validation fixes".into(),
        "The model now allows inputs that 0.1.0 refused before sending them: this release accepts them. Until you \
upgrade, a request that needs one of them can skip the check (for one request with the request builder's \
`config_override`, where the crate has it, or for the whole client with `validate_inputs(false)` on the configuration builder)."
            .into(),
        fix("DescribePipeline", "PipelineName", "arn:aws:sagemaker::aws:pipeline/a"),
        fix("ListPipelineExecutions", "PipelineName", "arn:aws:sagemaker::aws:pipeline/a"),
        fix("ListPipelineVersions", "PipelineName", "arn:aws:sagemaker::aws:pipeline/a"),
        fix("StartPipelineExecution", "PipelineName", "arn:aws:sagemaker::aws:pipeline/a"),
        fix("UpdatePipelineVersion", "PipelineArn", "arn:aws:sagemaker::aws:pipeline/"),
        // The same rules (parameter types now written in lower case, which is no change), compiled to a decision
        // diagram beside them, and the four dual-stack tests the partition table contradicts gone.
        "### Endpoint rules".into(),
        "- the compiled rules (`endpointBdd`) added (documentation)".into(),
        "- endpoint tests: 0 added, 4 removed (51 before, 47 now); the generated endpoint tests change (documentation)"
            .into(),
        "### `CreatePipeline`".into(),
        arn_response.clone(),
        "### `DeletePipeline`".into(),
        arn_response.clone(),
        "### `DescribePipeline`".into(),
        format!("- request member `PipelineName`: {name_relaxed}"),
        arn_response.clone(),
        "### `DescribePipelineExecution`".into(),
        "- response member `MLflowConfig`: new member `MLflowConfig` (additive)\n  \
`{'MLflowConfig': {'MlflowExperimentName': 'string', 'MlflowResourceArn': 'string'}}`"
            .into(),
        arn_response.clone(),
        "### `ListPipelineExecutionSteps`".into(),
        step("BedrockCustomModel", arn_only),
        step("BedrockCustomModelDeployment", arn_only),
        step("BedrockModelImport", arn_only),
        step("BedrockProvisionedModelThroughput", arn_only),
        step("InferenceComponent", arn_only),
        step("Job", arn_only),
        step("Lineage", lineage),
        tightened("processing"),
        tightened("training"),
        "### `ListPipelineExecutions`".into(),
        format!("- request member `PipelineName`: {name_relaxed}"),
        "### `ListPipelineVersions`".into(),
        format!("- request member `PipelineName`: {name_relaxed}"),
        arn_response.replace("`PipelineArn`", "`PipelineVersionSummaries[].PipelineArn`"),
        "### `ListPipelines`".into(),
        arn_response.replace("`PipelineArn`", "`PipelineSummaries[].PipelineArn`"),
        "### `StartPipelineExecution`".into(),
        "- request member `MlflowExperimentName`: new member `MlflowExperimentName` (additive)\n  \
`{'MlflowExperimentName': 'string'}`"
            .into(),
        format!("- request member `PipelineName`: {name_relaxed}"),
        "### `UpdatePipeline`".into(),
        arn_response.clone(),
        "### `UpdatePipelineVersion`".into(),
        format!("- request member `PipelineArn`: {arn_change} (additive)\n  {arn_example}"),
        arn_response.clone(),
    ];
    // The changelog's blocks (paragraphs, and list items with their indented lines), in order.
    let mut blocks: Vec<String> = Vec::new();
    for line in md.lines().filter(|l| !l.is_empty()) {
        match blocks.last_mut() {
            Some(last) if line.starts_with("  ") => {
                last.push('\n');
                last.push_str(line);
            }
            _ => blocks.push(line.to_owned()),
        }
    }
    for (i, (got, want)) in blocks.iter().zip(&expected).enumerate() {
        assert_eq!(got, want, "block {i} of the changelog");
    }
    assert_eq!(blocks.len(), expected.len(), "{md}");
    // The pattern examples hold for the validators the two crates generate.
    for c in report.changes.iter().filter(|c| c.detail.starts_with("pattern")) {
        let (x, y) = (c.detail.split('`').nth(1), c.detail.split('`').nth(3));
        if let Some(v) = &c.accepted {
            assert!(!pattern_accepts(x, v) && pattern_accepts(y, v), "{c:?}");
        }
        if let Some(v) = &c.refused {
            assert!(pattern_accepts(x, v) && !pattern_accepts(y, v), "{c:?}");
        }
    }
    insta::assert_snapshot!("sagemaker_2025_08_08_to_2026_07_16", md);
    // The committed changelog's entry is this one (with the line naming the upstream file), as the diff made it
    // before it summarised the endpoint rules: without that section and its two documentation changes.
    let committed = std::fs::read_to_string(project_tests::root().join("generated/CHANGELOG.md")).unwrap();
    let mut before_rules = report.clone();
    before_rules.changes.retain(|c| !c.operation.is_empty());
    let entry = markdown(&before_rules, "0.1.1").replacen(
        "\n\n",
        "\n\nGenerated from the upstream model `sagemaker-2017-07-24.2026-07-16.json`.\n\n",
        1,
    );
    assert!(committed.contains(&entry), "generated/CHANGELOG.md lacks the 0.1.1 entry as `cargo xtask diff` makes it");
}

/// Compare two edits of the base model.
fn compare_pair(before: impl FnOnce(&mut Value), after: impl FnOnce(&mut Value)) -> Report {
    let (mut old, mut new) = (base(), base());
    before(&mut old);
    after(&mut new);
    diff(&parse(&old), &parse(&new), None, &Selection::All, "1.4.2").unwrap()
}

/// The changelog's list items (with their indented lines), in order.
fn items(report: &Report) -> Vec<String> {
    markdown(report, "1.x").lines().filter(|l| l.starts_with("- ")).map(str::to_owned).collect()
}

fn waiter(acceptors: Value) -> Value {
    json!({ "Ready": { "minDelay": 5, "acceptors": acceptors } })
}

fn ready() -> Value {
    json!([
        {"state": "success", "matcher": {"output": {"path": "Value", "comparator": "stringEquals", "expected": "done"}}},
        {"state": "retry", "matcher": {"output": {"path": "Value", "comparator": "stringEquals", "expected": "busy"}}},
        {"state": "failure", "matcher": {"errorType": "NotFound"}}
    ])
}

fn set_waiters(m: &mut Value, w: Value) {
    m[S]["example.diff#Get"]["traits"]["smithy.waiters#waitable"] = w;
}

#[test]
fn waiters_added_and_removed() {
    let r = compare_pair(|_| {}, |m| set_waiters(m, waiter(ready())));
    assert_eq!(items(&r), ["- waiter `Ready`: new waiter `Ready` (`wait_until_ready`) (additive)"]);
    assert_eq!((r.semver.bump.as_str(), r.semver.to_version.as_str()), ("minor", "1.5.0"));
    let r = compare_pair(|m| set_waiters(m, waiter(ready())), |_| {});
    assert_eq!(items(&r), ["- waiter `Ready`: waiter `Ready` removed (`wait_until_ready` is gone) (breaking)"]);
    assert_eq!(r.semver.to_version, "2.0.0");
    assert!(markdown(&r, "2.0.0").contains("### `Get`\n\n- waiter `Ready`"), "{}", markdown(&r, "2.0.0"));
}

#[test]
fn acceptor_changes_are_behaviour_and_name_what_moved() {
    let edit = |f: Box<dyn Fn(&mut Value)>| {
        let r = compare_pair(
            |m| set_waiters(m, waiter(ready())),
            |m| {
                let mut a = ready();
                f(&mut a);
                set_waiters(m, waiter(a));
            },
        );
        // Behaviour changes bump the patch version, even at 1.x.
        assert_eq!(r.semver.to_version, "1.4.3", "{:#?}", r.changes);
        assert!(r.changes.iter().all(|c| c.class == Class::Behavior));
        items(&r)
    };
    let done = r#"`success` when output `Value` stringEquals `"done"`"#;
    let busy = r#"`retry` when output `Value` stringEquals `"busy"`"#;
    assert_eq!(
        edit(Box::new(|a| a[1]["state"] = json!("failure"))),
        [format!(
            "- waiter `Ready`: acceptor 1 changed (state) from {busy} to {} (behaviour)",
            busy.replace("`retry`", "`failure`")
        )]
    );
    assert_eq!(
        edit(Box::new(|a| a[0]["matcher"]["output"]["expected"] = json!("finished"))),
        [format!(
            "- waiter `Ready`: acceptor 0 changed (expected) from {done} to {} (behaviour)",
            done.replace("done", "finished")
        )]
    );
    assert_eq!(
        edit(Box::new(|a| a[0]["matcher"]["output"]["path"] = json!("Item.Id"))),
        [format!(
            "- waiter `Ready`: acceptor 0 changed (path) from {done} to {} (behaviour)",
            done.replace("`Value`", "`Item.Id`")
        )]
    );
    assert_eq!(
        edit(Box::new(|a| a[2]["matcher"] = json!({"success": false}))),
        ["- waiter `Ready`: acceptor 2 changed (matcher) from `failure` on error `NotFound` to `failure` when the call fails (behaviour)"]
    );
    assert_eq!(
        edit(Box::new(|a| {
            a.as_array_mut().unwrap().remove(1);
        })),
        [format!("- waiter `Ready`: acceptor 1 removed: {busy} (behaviour)")]
    );
    assert_eq!(
        edit(Box::new(|a| a.as_array_mut().unwrap().push(json!({"state": "success", "matcher": {"success": true}})))),
        ["- waiter `Ready`: new acceptor 3: `success` when the call succeeds (behaviour)"]
    );
    assert_eq!(
        edit(Box::new(|a| a.as_array_mut().unwrap().swap(0, 1))),
        ["- waiter `Ready`: acceptors reordered (the first that matches decides) (behaviour)"]
    );
    // Delays, against their defaults (2 and 120).
    let r = compare_pair(
        |m| set_waiters(m, waiter(ready())),
        |m| {
            let mut w = waiter(ready());
            w["Ready"]["minDelay"] = json!(2);
            w["Ready"]["maxDelay"] = json!(600);
            set_waiters(m, w);
        },
    );
    assert_eq!(
        items(&r),
        [
            "- waiter `Ready`: minDelay changed from 5 s to 2 s (behaviour)",
            "- waiter `Ready`: maxDelay changed from 120 s to 600 s (behaviour)"
        ]
    );
    assert!(markdown(&r, "1.4.3").contains("0 breaking, 0 additive, 2 behaviour, 0 documentation-only changes."));
}

#[test]
fn deprecations_on_operations_shapes_and_members() {
    let r = compare(|m| {
        m[S]["example.diff#Get"]["traits"]["smithy.api#deprecated"] =
            json!({"message": "Use List.", "since": "2026-01"});
        m[S]["example.diff#GetInput"]["members"]["Mode"]["traits"] = json!({"smithy.api#deprecated": {}});
        m[S]["example.diff#Item"]["traits"] = json!({"smithy.api#deprecated": {}});
    });
    assert_eq!(
        items(&r),
        [
            "- operation: deprecated since 2026-01: Use List. (additive)",
            "- request member `Mode`: deprecated (additive)",
            "- response member `Item`: deprecated (additive)",
            "- response member `Items[]`: deprecated (additive)",
        ]
    );
    assert_eq!(r.semver.to_version, "1.5.0");
    // Cleared, it is documentation: counted, not listed.
    let r = compare_pair(
        |m| m[S]["example.diff#GetInput"]["members"]["Mode"]["traits"] = json!({"smithy.api#deprecated": {}}),
        |_| {},
    );
    assert_eq!(only_change(&r), (Class::Documentation, "no longer deprecated".to_owned()));
}

fn only_change(r: &Report) -> (Class, String) {
    assert_eq!(r.changes.len(), 1, "{:#?}", r.changes);
    (r.changes[0].class, r.changes[0].detail.clone())
}

/// An edit of the rule set and the endpoint tests.
type RulesEdit = Box<dyn Fn(&mut Value, &mut Value)>;

fn rules() -> Value {
    json!({
        "version": "1.0",
        "parameters": {
            "Region": {"type": "string", "builtIn": "AWS::Region", "required": false},
            "UseFIPS": {"type": "boolean", "builtIn": "AWS::UseFIPS", "required": true, "default": false}
        },
        "rules": [
            {"type": "tree", "conditions": [], "rules": [
                {"type": "endpoint", "conditions": [], "endpoint": {"url": "https://example.com"}},
                {"type": "error", "conditions": [], "error": "no"}
            ]}
        ]
    })
}

fn tests_trait(n: usize) -> Value {
    let cases: Vec<Value> = (0..n)
        .map(|i| json!({"params": {"Region": format!("r{i}")}, "expect": {"endpoint": {"url": "https://example.com"}}}))
        .collect();
    json!({"version": "1.0", "testCases": cases})
}

fn set_rules(m: &mut Value, rules: Value, tests: Value) {
    m[S]["example.diff#Api"]["traits"]["smithy.rules#endpointRuleSet"] = rules;
    m[S]["example.diff#Api"]["traits"]["smithy.rules#endpointTests"] = tests;
}

#[test]
fn endpoint_rule_set_changes_are_summarised() {
    let case = |f: RulesEdit| {
        compare_pair(
            |m| set_rules(m, rules(), tests_trait(3)),
            |m| {
                let (mut r, mut t) = (rules(), tests_trait(3));
                f(&mut r, &mut t);
                set_rules(m, r, t);
            },
        )
    };
    let r = case(Box::new(|r, _| {
        r["parameters"]["AccountId"] = json!({"type": "string", "builtIn": "AWS::Auth::AccountId"});
    }));
    assert_eq!(
        items(&r),
        ["- new parameter `AccountId` (string, optional, built-in `AWS::Auth::AccountId`) (additive)"]
    );
    assert!(markdown(&r, "1.5.0").contains("### Endpoint rules\n\n- new parameter"));
    // A service change names no operation.
    assert!(r.updated_operations().is_empty() && r.semver.to_version == "1.5.0");
    let r = case(Box::new(|r, _| {
        r["parameters"].as_object_mut().unwrap().remove("Region");
    }));
    assert_eq!(items(&r), ["- parameter `Region` removed (was string, optional, built-in `AWS::Region`) (breaking)"]);
    let r = case(Box::new(|r, _| {
        r["parameters"]["Region"]["type"] = json!("stringArray");
        r["parameters"]["UseFIPS"]["default"] = json!(true);
        r["parameters"]["UseFIPS"]["builtIn"] = json!("AWS::UseFIPSEndpoint");
    }));
    assert_eq!(
        items(&r),
        [
            "- parameter `Region`: type changed from string to stringarray (breaking)",
            "- parameter `UseFIPS`: default changed from `false` to `true` (behaviour)",
            "- parameter `UseFIPS`: built-in changed from `AWS::UseFIPS` to `AWS::UseFIPSEndpoint` (behaviour)",
        ]
    );
    // The type's case is no change (AWS's models moved from `String` to `string`).
    let r = case(Box::new(|r, _| r["parameters"]["Region"]["type"] = json!("String")));
    assert!(r.changes.is_empty(), "{:#?}", r.changes);
    let r = case(Box::new(|r, _| {
        r["parameters"]["UseFIPS"]["required"] = json!(false);
    }));
    assert_eq!(
        items(&r),
        ["- parameter `UseFIPS`: now optional (its `endpoint::Params` field changes type) (breaking)"]
    );
    let r = case(Box::new(|r, _| {
        r["rules"][0]["rules"]
            .as_array_mut()
            .unwrap()
            .insert(0, json!({"type": "endpoint", "conditions": [], "endpoint": {"url": "https://b"}}));
    }));
    assert_eq!(items(&r), ["- rules changed: 1/1/1 before, 2/1/1 now (endpoint, error and tree rules) (behaviour)"]);
    assert_eq!(r.semver.to_version, "1.4.3");
    let r = case(Box::new(|_, t| {
        t["testCases"].as_array_mut().unwrap().remove(0);
        t["testCases"][0]["documentation"] = json!("prose is no change");
    }));
    assert_eq!(
        items(&r),
        ["- endpoint tests: 0 added, 1 removed (3 before, 2 now); the generated endpoint tests change (documentation)"]
    );
    let r = case(Box::new(|_, _| {}));
    assert!(r.changes.is_empty());
}

#[test]
fn paginator_changes_by_field() {
    let paginated = |m: &mut Value, p: Value| m[S]["example.diff#List"]["traits"]["smithy.api#paginated"] = p;
    let r = compare(|m| paginated(m, json!({"inputToken": "NextToken", "outputToken": "NextToken", "items": "Other"})));
    assert_eq!(only_change(&r), (Class::Breaking, "paginator `items` changed from `Items` to `Other`".to_owned()));
    let r = compare(|m| {
        paginated(
            m,
            json!({"inputToken": "NextToken", "outputToken": "NextToken", "items": "Items", "pageSize": "Limit"}),
        )
    });
    assert_eq!(only_change(&r), (Class::Additive, "paginator `pageSize` changed from none to `Limit`".to_owned()));
    let r = compare(|m| paginated(m, json!({"inputToken": "NextToken", "outputToken": "Next", "items": "Items"})));
    assert_eq!(
        only_change(&r),
        (Class::Behavior, "paginator `outputToken` changed from `NextToken` to `Next`".to_owned())
    );
    // The tokens moved to the service's defaults: the same paginator.
    let r = compare(|m| {
        paginated(m, json!({"items": "Items"}));
        m[S]["example.diff#Api"]["traits"]["smithy.api#paginated"] =
            json!({"inputToken": "NextToken", "outputToken": "NextToken"});
    });
    assert!(r.changes.is_empty(), "{:#?}", r.changes);
}

/// No two SageMaker snapshots in `../shared` differ in a waiter (their 13 waiters are equal in all three), so the
/// newer one gets a realistic edit: a stricter `TrainingJobCompleted` waiter beside `TrainingJobCompletedOrStopped`,
/// and a longer `maxDelay` for `EndpointInService`.
#[test]
fn two_real_sagemaker_models_that_differ_in_a_waiter() {
    let Some(dir) = project_tests::shared() else { return };
    let read = |f: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join("models").join(f)).unwrap()).unwrap()
    };
    let old = read("sagemaker-2017-07-24.json");
    let mut new = read("sagemaker-2017-07-24.2026-07-16.json");
    let ops = Selection::Named(vec!["DescribeTrainingJob".into(), "DescribeEndpoint".into()]);
    let service = Some("com.amazonaws.sagemaker#SageMaker");
    let as_is = diff(&parse(&old), &parse(&new), service, &ops, "0.2.0").unwrap();
    assert!(as_is.changes.iter().all(|c| c.side != "waiter"), "{:#?}", as_is.changes);
    let training = &mut new[S]["com.amazonaws.sagemaker#DescribeTrainingJob"]["traits"]["smithy.waiters#waitable"];
    let mut completed = training["TrainingJobCompletedOrStopped"].clone();
    completed["acceptors"][1]["state"] = json!("failure");
    training["TrainingJobCompleted"] = completed;
    new[S]["com.amazonaws.sagemaker#DescribeEndpoint"]["traits"]["smithy.waiters#waitable"]["EndpointInService"]
        ["maxDelay"] = json!(7200);
    let r = diff(&parse(&old), &parse(&new), service, &ops, "0.2.0").unwrap();
    let waiters: Vec<String> = items(&r).into_iter().filter(|l| l.starts_with("- waiter")).collect();
    assert_eq!(
        waiters,
        [
            "- waiter `EndpointInService`: maxDelay changed from 3600 s to 7200 s (behaviour)",
            "- waiter `TrainingJobCompleted`: new waiter `TrainingJobCompleted` (`wait_until_training_job_completed`) (additive)",
        ]
    );
}

/// The pipeline-definition tables (`diff_definitions`): two small models whose step request and output shapes are
/// bound to no operation (as the SageMaker model's `CreateTrainingJobRequest` is to none of the crate's), compared
/// through the definitions settings, and listed under their own heading with the semver bump they imply.
#[test]
fn definitions_tables_are_compared_through_the_settings() {
    let load = |name: &str| model::load(&project_tests::root().join("tests/fixtures/diff").join(name)).unwrap();
    let (old, new) = (load("steps-old.json"), load("steps-new.json"));
    let settings = codegen::config::Definitions::parse(
        "[steps.Job]\narguments = \"CreateJobRequest\"\noptional = [\"Name\"]\nproperties = [\"DescribeJobResponse\"]\n",
    )
    .unwrap();
    // The operations alone see nothing: the shapes are no operation's.
    let mut report = diff(&old, &new, None, &Selection::All, "0.3.1").unwrap();
    assert!(report.changes.is_empty(), "{:#?}", report.changes);
    assert_eq!(report.semver.bump, "none");
    codegen::diff::diff_definitions(&old, &new, &settings, "0.3.1", &mut report);
    let found: Vec<(String, Class, String, String, String)> = report
        .changes
        .iter()
        .map(|c| (c.operation.clone(), c.class, c.side.clone(), c.path.clone(), c.detail.clone()))
        .collect();
    let job = "Job step (pipeline definitions)".to_owned();
    let row =
        |class, side: &str, path: &str, detail: &str| (job.clone(), class, side.into(), path.into(), detail.into());
    assert_eq!(
        found,
        [
            row(Class::Breaking, "request", "Count", "range narrowed from 1..=100 to 1..=50"),
            row(Class::Breaking, "request", "Legacy", "member `Legacy` removed"),
            row(Class::Breaking, "response", "Artifacts.Uri", "member `Uri` removed"),
            row(Class::Additive, "request", "Mode", "new enum value `auto`"),
            row(Class::Additive, "request", "Tags", "new member `Tags`"),
            row(Class::Additive, "response", "Artifacts.S3Uri", "new member `S3Uri`"),
        ]
    );
    // Breaking on a 0.x crate: a minor bump.
    assert_eq!((report.semver.bump.as_str(), report.semver.to_version.as_str()), ("minor", "0.4.0"));
    // No api method is updated; the changes are listed under their own heading, arguments and properties apart.
    assert!(report.updated_operations().is_empty());
    let md = markdown(&report, "Example");
    assert!(md.starts_with("## Example - no api changes\n"), "{md}");
    let section = &md[md.find("### Pipeline definitions\n").expect(&md)..];
    assert!(
        section.starts_with("### Pipeline definitions\n\n#### `Job` step\n\n- arguments member `Count`: range"),
        "{md}"
    );
    for line in [
        "- arguments member `Legacy`: member `Legacy` removed (breaking)",
        "- properties member `Artifacts.Uri`: member `Uri` removed (breaking)",
        "- properties member `Artifacts.S3Uri`: new member `S3Uri` (additive)",
    ] {
        assert!(section.contains(line), "{line}\n{md}");
    }
}

/// Step arguments that are the project's own structure made of another model's shapes (the EMR step's): the tables
/// are compared through them, by namespace-qualified ids, and a shape of the other model named as one of the
/// service's (`Tag`) is that model's.
#[test]
fn definitions_tables_are_compared_through_other_models_shapes() {
    let model = |step_members: &str| {
        model::parse(&format!(
            r#"{{"smithy": "2.0", "shapes": {{
            "svc#Tag": {{"type": "structure", "members": {{"Key": {{"target": "smithy.api#String"}}}}}},
            "own#Args": {{"type": "structure", "members": {{"Step": {{"target": "other#Step"}}}}}},
            "other#Tag": {{"type": "structure", "members": {{"Value": {{"target": "smithy.api#String"}}}}}},
            "other#Step": {{"type": "structure", "members": {{{step_members}}}}}}}}}"#
        ))
        .unwrap()
    };
    let old = model(r#""Name": {"target": "smithy.api#String"}, "Tags": {"target": "other#Tag"}"#);
    let new = model(r#""Name": {"target": "smithy.api#String"}, "Mode": {"target": "smithy.api#String"}"#);
    let settings = codegen::config::Definitions::parse("[steps.Emr]\narguments = \"own#Args\"\n").unwrap();
    let mut report = codegen::diff::Report::default();
    codegen::diff::diff_definitions(&old, &new, &settings, "0.3.1", &mut report);
    let found: Vec<(Class, String, String)> =
        report.changes.iter().map(|c| (c.class, c.path.clone(), c.detail.clone())).collect();
    assert_eq!(
        found,
        [
            (Class::Breaking, "Step.Tags".to_owned(), "member `Tags` removed".to_owned()),
            (Class::Additive, "Step.Mode".to_owned(), "new member `Mode`".to_owned()),
        ]
    );
}
