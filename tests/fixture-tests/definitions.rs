//! Behaviour of the `definitions` fixture crate: `PipelineDefinition::check` walks the generated tables of its `Job`
//! step kind (every kind of shape and constraint), and the feature adds nothing to the crate without it.

use fixture_definitions::definition::PipelineDefinition;

/// A definition with one `Job` step named `A` with `arguments`, and a second step `B` reading `A`'s properties.
fn definition(arguments: &str, b_uri: &str) -> String {
    format!(
        r#"{{"Version": "2020-12-01", "Parameters": [{{"Name": "N", "Type": "Integer", "DefaultValue": 5}}],
        "Steps": [{{"Name": "A", "Type": "Job", "Arguments": {arguments}}},
                  {{"Name": "B", "Type": "Job", "Arguments": {{"Role": "arn:aws:role/b", "Bucket": {b_uri}}}}}]}}"#
    )
}

fn issues(text: &str) -> Vec<String> {
    match PipelineDefinition::from_json(text).unwrap().check() {
        Ok(()) => Vec::new(),
        Err(e) => e.issues().iter().map(|i| i.to_string()).collect(),
    }
}

const VALID: &str = r#"{"Role": "arn:aws:role/job", "Bucket": "my.bucket", "Echo": "aabaa", "Size": {"Get": "Parameters.N"},
    "Mode": "Fast", "Level": 9, "Tags": [{"Key": "k"}, {"Key": "k", "Value": "v"}], "Env": {"HOME_DIR": "/"},
    "Secret": "abcd", "Ratio": 0.5, "Start": "2026-01-01T00:00:00Z", "Payload": "AQID", "Source": {"Uri": "u"},
    "Extra": {"any": [null]}, "Holes": ["a", null], "Count": 1}"#;

#[test]
fn valid_arguments_and_references_pass() {
    let b = r#"{"Std:Join": {"On": "/", "Values": [{"Get": "Steps.A.Output.Parts[0].Name"}, {"Get": "Steps.A.Output.Labels['x']"}]}}"#;
    assert_eq!(issues(&definition(VALID, b)), Vec::<String>::new());
}

#[test]
fn rules_across_members_are_checked_with_their_paths() {
    // The fixture's `Job` takes exactly one of `Bucket` and `Name`, and `Echo` only with `Bucket`.
    let neither = r#"{"Role": "arn:aws:role/job", "Echo": "aabaa"}"#;
    assert_eq!(
        issues(&definition(neither, r#""bucket""#)),
        [
            "$.Steps[0].Arguments: exactly one of `Bucket` and `Name` must be set, and none is",
            "$.Steps[0].Arguments.Echo: `Echo` is accepted only with `Bucket`, which is not set",
        ]
    );
    let by_name = r#"{"Role": "arn:aws:role/job", "Name": "job"}"#;
    assert_eq!(issues(&definition(by_name, r#""bucket""#)), Vec::<String>::new());
    // Through the `Tags` list, for each tag: `Step` only with `Value`, and a `Step` names a step of the pipeline.
    let tags = r#"{"Role": "arn:aws:role/job", "Name": "job",
        "Tags": [{"Key": "a", "Value": "v", "Step": "B"}, {"Key": "b", "Step": "A"}, {"Key": "c", "Value": "v", "Step": "C"}]}"#;
    assert_eq!(
        issues(&definition(tags, r#""bucket""#)),
        [
            "$.Steps[0].Arguments.Tags[1].Step: `Step` is accepted only with `Value`, which is not set",
            "$.Steps[0].Arguments.Tags[2].Step: no step is named `C`",
        ]
    );
}

#[test]
fn every_constraint_of_the_tables_is_checked_with_its_path() {
    let wrong = r#"{"Role": "arn:aws:role/Job1", "Bucket": "-bucket", "Echo": "aaba", "Size": 0, "Mode": "fast",
        "Level": 2, "Tags": [{"Key": "k"}, {"Key": "k"}, {"Key": "l"}, {"Value": "v"}], "Env": {"home": "/"},
        "Secret": "too long", "Ratio": 1.5, "Start": "yesterday", "Payload": "AQIDBAU=", "Source": {},
        "Extra": 1, "Holes": [null], "Legacy": true, "Count": 0, "Name": "much too long", "Nme": "x"}"#;
    let found = issues(&definition(wrong, r#"{"Get": "Steps.A.Output.Parts.Name"}"#));
    let expected = [
        "$.Steps[0].Arguments.Role: \"arn:aws:role/Job1\" does not match the pattern ^arn:[a-z]+:role/[a-z]+$",
        "$.Steps[0].Arguments.Bucket: \"-bucket\" does not match the pattern ^[a-z0-9][a-z0-9.-]*$",
        "$.Steps[0].Arguments.Echo: \"aaba\" does not match the pattern ^(a+)b\\1$",
        "$.Steps[0].Arguments.Size: must be between 1 and 100, but is 0",
        "$.Steps[0].Arguments.Mode: \"fast\" is not a value of Mode (did you mean \"Fast\"?)",
        "$.Steps[0].Arguments.Level: 2 is not a value of Level",
        "$.Steps[0].Arguments.Tags: length must be at most 3 items, but is 4",
        "$.Steps[0].Arguments.Tags: items must be unique, but item 1 repeats item 0",
        "$.Steps[0].Arguments.Tags[3].Key: is required but was not set",
        "$.Steps[0].Arguments.Env['home']: \"home\" does not match the pattern ^[A-Z_]+$",
        "$.Steps[0].Arguments.Secret: length must be at most 4 characters, but is 8",
        "$.Steps[0].Arguments.Ratio: must be between 0 and 1, but is 1.5",
        "$.Steps[0].Arguments.Start: invalid timestamp `yesterday`: invalid date-time: incorrectly shaped string",
        "$.Steps[0].Arguments.Payload: length must be at most 4 bytes, but is 5",
        "$.Steps[0].Arguments.Source: Source needs exactly one member set, and has none",
        "$.Steps[0].Arguments.Legacy: `Legacy` is not accepted here: SageMaker Pipelines refuses it in a step's arguments",
        "$.Steps[0].Arguments.Count: must be at least 1, but is 0",
        "$.Steps[0].Arguments.Name: length must be between 1 and 8 characters, but is 13",
        "$.Steps[0].Arguments.Nme: `Nme` is not a member of CreateJobRequest (did you mean `Name`?)",
        "$.Steps[0].Arguments.Name: exactly one of `Bucket` and `Name` must be set, and 2 are",
        "$.Steps[1].Arguments.Bucket.Get: `Steps.A.Output.Parts.Name` does not fit the property's shape: Parts is a list (take an item: `[0]`, or `['name']`)",
    ];
    assert_eq!(found, expected, "{found:#?}");
}
