//! `cargo xtask diff`: each kind of change on a small fixture pair, classified and with the implied semver bump, and
//! the real SageMaker update (2025-07-03 to 2025-08-08) pinned as a snapshot of the changelog.

use codegen::diff::{diff, markdown, Class, Report};
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
            "length tightened",
            Box::new(|m| {
                m[S]["example.diff#Name"]["traits"]["smithy.api#length"] = json!({"min": 1, "max": 5});
            }),
            "length changed",
        ),
        (
            "range tightened",
            Box::new(|m| {
                m[S]["example.diff#Limit"]["traits"]["smithy.api#range"] = json!({"min": 5, "max": 100});
            }),
            "range changed",
        ),
        (
            "pattern changed",
            Box::new(|m| {
                m[S]["example.diff#Name"]["traits"]["smithy.api#pattern"] = json!("^[a-z0-9]+$");
            }),
            "pattern changed",
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
            "length loosened",
            Box::new(|m| {
                m[S]["example.diff#Name"]["traits"]["smithy.api#length"] = json!({"min": 1, "max": 20});
            }),
            "length changed",
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
