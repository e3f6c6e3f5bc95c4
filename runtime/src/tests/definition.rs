//! Pipeline definitions on hand-written schema tables: the JSON value, the walker's problems, the envelope's rules,
//! references and cycles. The generated tables are tested through the generated crate (`tests/tests/definitions.rs`).

use crate::automaton::{Automaton, Dfa};
use crate::definition::{Arguments, Condition, DependsOn, ParameterType, PipelineDefinition, Value};
use crate::definition_check::{check, StepKind, Tables};
use crate::json::{self, MAX_DEPTH};
use crate::schema::{self, Checks, Kind, Member, Range, Schema, Shape, REQUIRED, SENSITIVE};
use crate::validation::Pattern;

// ---------------------------------------------------------------------------------------------------------------
// Tables: a `Job` request (`Train` steps) and its `DescribeJob` output.

/// `^s3://`: a DFA over bytes, written by hand (states: dead, matched, start, `s`, `s3`, `s3:`, `s3:/`).
static S3_CLASSES: [u8; 256] =
    crate::automaton::byte_classes(&[0x00, 0, 0x2F, 1, 0x30, 0, 0x33, 2, 0x34, 0, 0x3A, 3, 0x3B, 0, 0x73, 4, 0x74, 0]);
static S3_NEXT: [u16; 42] =
    crate::automaton::rows("0*6, 1*6, 0 0 0 0 3 0, 0 0 4 0 0 0, 0 0 0 5 0 0, 0 6 0 0 0 0, 0 1 0 0 0 0", 6);
static S3: Pattern = Pattern::new(
    "^s3://",
    &[(Automaton::Dfa(Dfa { classes: &S3_CLASSES, stride: 6, start: 2, next: &S3_NEXT }), true)],
    None,
);

const STRING: u16 = 0;
const INTEGER: u16 = 1;
const MODE: u16 = 2;
const RESOURCES: u16 = 3;
const JOB: u16 = 4;
const INPUTS: u16 = 5;
const INPUT: u16 = 6;
const ENV: u16 = 7;
const DESCRIBE: u16 = 8;
const ARTIFACTS: u16 = 9;
const FLOAT: u16 = 10;
const SOURCE: u16 = 11;

static SHAPES: [Shape; 12] = [
    Shape { name: "String", kind: Kind::String, members: &[], values: &[] },
    Shape { name: "Integer", kind: Kind::Integer, members: &[], values: &[] },
    Shape { name: "Mode", kind: Kind::Enum, members: &[], values: &["fast", "slow"] },
    Shape {
        name: "Resources",
        kind: Kind::Structure,
        members: &[Member::new("Count", INTEGER, 1, REQUIRED), Member::new("Rate", FLOAT, 4, 0)],
        values: &[],
    },
    Shape {
        name: "JobRequest",
        kind: Kind::Structure,
        members: &[
            Member::new("Env", ENV, 0, 0),
            Member::new("Inputs", INPUTS, 2, 0),
            Member::new("JobName", STRING, 3, REQUIRED),
            Member::new("Mode", MODE, 0, 0),
            Member::new("Password", STRING, 3, SENSITIVE),
            Member::new("Resources", RESOURCES, 0, REQUIRED),
            Member::new("Source", SOURCE, 0, 0),
            Member::new("Uri", STRING, 5, 0),
            Member::new("Weird", STRING, 0, 0),
        ],
        values: &[],
    },
    Shape {
        name: "Inputs",
        kind: Kind::List { sparse: false },
        members: &[Member::new("member", INPUT, 0, 0)],
        values: &[],
    },
    Shape {
        name: "Input",
        kind: Kind::Structure,
        members: &[Member::new("Name", STRING, 3, REQUIRED), Member::new("Uri", STRING, 0, 0)],
        values: &[],
    },
    Shape {
        name: "Env",
        kind: Kind::Map { sparse: false },
        members: &[Member::new("key", STRING, 3, 0), Member::new("value", STRING, 0, 0)],
        values: &[],
    },
    Shape {
        name: "DescribeJobResponse",
        kind: Kind::Structure,
        members: &[
            Member::new("Artifacts", ARTIFACTS, 0, 0),
            Member::new("Count", INTEGER, 0, 0),
            Member::new("Inputs", INPUTS, 0, 0),
        ],
        values: &[],
    },
    Shape { name: "Artifacts", kind: Kind::Structure, members: &[Member::new("Uri", STRING, 0, 0)], values: &[] },
    Shape { name: "Float", kind: Kind::Double, members: &[], values: &[] },
    Shape {
        name: "Source",
        kind: Kind::Union,
        members: &[Member::new("Bucket", STRING, 0, 0), Member::new("Path", STRING, 0, 0)],
        values: &[],
    },
];

static CHECKS: [Checks; 6] = [
    Checks::NONE,
    Checks { length: None, range: Range::Int(Some(1), Some(10)), pattern: None, unique: false },
    Checks { length: Some((Some(1), Some(2))), range: Range::None, pattern: None, unique: true },
    Checks { length: Some((Some(1), Some(8))), range: Range::None, pattern: None, unique: false },
    Checks { length: None, range: Range::Float(Some(0.0), Some(1.0)), pattern: None, unique: false },
    Checks { length: Some((None, Some(64))), range: Range::None, pattern: Some(&S3), unique: false },
];

static SCHEMA: Schema = Schema { shapes: &SHAPES, checks: &CHECKS };

static KINDS: [StepKind; 4] = [
    // A kind whose properties are strings of no output shape, as a check step's baselines.
    StepKind {
        name: "Check",
        arguments: JOB,
        optional: &["JobName"],
        unsupported: &[],
        exactly_one: &[],
        only_with: &[],
        step_names: &[],
        properties: &[],
        string_properties: &["Baseline", "Report"],
    },
    // A kind whose inputs name steps of the pipeline, as a Cleanup step's sources.
    StepKind {
        name: "Clean",
        arguments: JOB,
        optional: &["JobName"],
        unsupported: &[],
        exactly_one: &[],
        only_with: &[],
        step_names: &["Inputs.Name", "Weird"],
        properties: &[],
        string_properties: &[],
    },
    // A kind with both.
    StepKind {
        name: "Mixed",
        arguments: JOB,
        optional: &["JobName"],
        unsupported: &[],
        exactly_one: &[],
        only_with: &[],
        step_names: &[],
        properties: &[DESCRIBE],
        string_properties: &["Report"],
    },
    StepKind {
        name: "Train",
        arguments: JOB,
        optional: &["JobName"],
        unsupported: &["Weird"],
        exactly_one: &[],
        only_with: &[],
        step_names: &[],
        properties: &[DESCRIBE],
        string_properties: &[],
    },
];

static TABLES: Tables = Tables { schema: &SCHEMA, kinds: &KINDS, max_length: None };

/// The same, with a bound on the definition's size.
static SIZED: Tables = Tables { schema: &SCHEMA, kinds: &KINDS, max_length: Some(4096) };

/// The issues `check` finds, as `path: message` lines.
fn issues(text: &str) -> Vec<String> {
    let d = PipelineDefinition::from_json(text).expect("reads");
    match check(&d, &TABLES) {
        Ok(()) => Vec::new(),
        Err(e) => e.issues().iter().map(|i| i.to_string()).collect(),
    }
}

/// A definition with `steps` and `parameters`, as JSON text.
fn definition(parameters: &str, steps: &str) -> String {
    format!(r#"{{"Version": "2020-12-01", "Metadata": {{}}, "Parameters": [{parameters}], "Steps": [{steps}]}}"#)
}

/// A `Train` step with the given name and arguments.
fn train(name: &str, arguments: &str) -> String {
    format!(r#"{{"Name": "{name}", "Type": "Train", "Arguments": {arguments}}}"#)
}

const GOOD: &str = r#"{"Resources": {"Count": 2, "Rate": 0.5}, "Uri": "s3://b/k", "Mode": "fast",
    "Inputs": [{"Name": "a"}], "Env": {"K": "v"}, "Source": {"Bucket": "b"}}"#;

fn only(found: Vec<String>, expected: &str) {
    assert_eq!(found, [expected.to_owned()], "found: {found:#?}");
}

// ---------------------------------------------------------------------------------------------------------------
// The JSON value

#[test]
fn json_keeps_order_repeats_and_numbers() {
    let text = r#"{"b":1,"a":[true,null,-2,1.5,"x\"y"],"b":{"c":18446744073709551615}}"#;
    let v = json::parse(text).unwrap();
    assert_eq!(v.to_json(), text);
    assert_eq!(v.get("b"), Some(&Value::from(1)));
    assert_eq!(v.get("a").and_then(Value::as_array).map(<[Value]>::len), Some(5));
    assert_eq!(json::parse(" [ ] ").unwrap(), Value::Array(Vec::new()));
    assert_eq!(Value::from("é\n").to_json(), "\"é\\n\"");
}

#[test]
fn json_numbers_beyond_a_float_are_written_back_as_numbers() {
    // Read as infinite floats; awsJson's writer would give the strings "Infinity" and "-Infinity", which read back as
    // strings (a found by the definitions fuzz target: the check of the text written back differed).
    let text = r#"{"a":1e400,"b":[-1e400]}"#;
    let v = json::parse(text).unwrap();
    assert_eq!(v.to_json(), text);
    assert_eq!(json::parse(&v.to_json()).unwrap(), v);
}

#[test]
fn rendered_paths_are_bounded_whatever_the_names() {
    let long = "k".repeat(1000);
    let root = schema::Path::Text("$.Steps[0].Arguments");
    let member = schema::Path::Member(&root, &long);
    let shown = member.render();
    // Shortened, it is no longer the name: written as a key, ending in `…`.
    assert_eq!(shown, format!("$.Steps[0].Arguments['{}…']", "k".repeat(schema::PATH_NAME_MAX)));
    let key = schema::Path::Key(&root, "it's");
    assert_eq!(key.render(), "$.Steps[0].Arguments['it\\'s']");
    // 100 levels under 64-character names: the start and the end, with `…` between.
    let name = "n".repeat(64);
    let mut levels = vec![root];
    for _ in 0..100 {
        let parent: &schema::Path<'_> = Box::leak(Box::new(*levels.last().unwrap()));
        levels.push(schema::Path::Member(parent, &name));
    }
    let leaf = schema::Path::Index(levels.last().unwrap(), 7);
    let shown = leaf.render();
    assert!(shown.len() <= schema::PATH_MAX + 80, "{} bytes", shown.len());
    assert!(shown.starts_with("$.Steps[0].Arguments.nnn"), "{shown}");
    assert!(shown.ends_with(&format!(".{name}[7]")), "{shown}");
    assert_eq!(shown.matches('…').count(), 1, "{shown}");
    // A short path is rendered whole.
    let short = schema::Path::Index(&member, 3);
    assert!(short.render().ends_with("…'][3]"));
}

#[test]
fn json_errors_name_the_path() {
    let e = json::parse(r#"{"Steps": [{"Name": "a"}, {"Name": tru}]}"#).unwrap_err();
    assert_eq!(e.path(), "$.Steps[1].Name", "{e}");
    let e = json::parse(r#"{"a": 1} 2"#).unwrap_err();
    assert!(e.to_string().contains("after the JSON value"), "{e}");
    let e = json::parse(r#"{"a": [1, 2"#).unwrap_err();
    assert_eq!(e.path(), "$.a[2]", "{e}");
    assert!(json::parse("").is_err());
}

#[test]
fn json_nesting_is_bounded_without_recursion() {
    let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    assert_eq!(json::parse(&ok).unwrap().to_json(), ok);
    // A million levels: refused at the bound, on a small stack (no recursion while reading).
    let deep = "[".repeat(1_000_000);
    let e = std::thread::Builder::new()
        .stack_size(64 * 1024)
        .spawn(move || json::parse(&deep).unwrap_err().to_string())
        .unwrap()
        .join()
        .unwrap();
    assert!(e.contains(&format!("deeper than {MAX_DEPTH} levels")), "{e}");
}

// ---------------------------------------------------------------------------------------------------------------
// Reading and writing definitions

#[test]
fn the_envelope_is_typed() {
    let text = r#"{"Version": "2020-12-01", "Metadata": {}, "Parameters": [{"Name": "N", "Type": "Integer",
        "DefaultValue": 3}, {"Name": "S", "EnumValues": ["a", "b"], "DefaultValue": "a"}],
        "PipelineExperimentConfig": {"ExperimentName": "e"},
        "Steps": [{"Name": "C", "Type": "Condition", "Arguments": {"Conditions": [
            {"Type": "Equals", "LeftValue": 1, "RightValue": {"Get": "Parameters.N"}},
            {"Type": "In", "QueryValue": "a", "Values": ["a", "b"]},
            {"Type": "Not", "Condition": {"Type": "Or", "Conditions": []}}],
          "IfSteps": [{"Name": "T", "Type": "Train", "Arguments": {}, "DependsOn": ["X", {"Step": "X", "Trigger": "Any"}],
            "RetryPolicies": [{"ExceptionType": ["Step.THROTTLING"], "IntervalSeconds": 1, "BackoffRate": 2.0,
              "MaxAttempts": 3}], "CacheConfig": {"Enabled": true, "ExpireAfter": "PT1H"}}],
          "ElseSteps": []}}]}"#;
    let d = PipelineDefinition::from_json(text).unwrap();
    assert_eq!(d.version.as_deref(), Some("2020-12-01"));
    let params = d.parameters.as_ref().unwrap();
    assert_eq!(params[0].parameter_type, Some(ParameterType::Integer));
    assert_eq!(params[1].parameter_type, None);
    assert_eq!(params[1].enum_values.as_ref().map(Vec::len), Some(2));
    let steps = d.steps.as_ref().unwrap();
    let Some(Arguments::Condition(c)) = &steps[0].arguments else { panic!("a condition's arguments") };
    let conditions = c.conditions.as_ref().unwrap();
    assert!(matches!(&conditions[0], Condition::Comparison { comparison, .. } if comparison == "Equals"));
    assert!(matches!(&conditions[1], Condition::In { values, .. } if values.len() == 2));
    assert!(matches!(&conditions[2], Condition::Not(inner) if matches!(**inner, Condition::Or(_))));
    let t = &c.if_steps.as_ref().unwrap()[0];
    assert_eq!(t.depends_on.as_ref().unwrap()[0], DependsOn::Step("X".into()));
    assert!(matches!(t.depends_on.as_ref().unwrap()[1], DependsOn::Other(_)));
    let policy = &t.retry_policies.as_ref().unwrap()[0];
    assert_eq!((policy.interval_seconds, policy.backoff_rate, policy.max_attempts), (Some(1), Some(2.0), Some(3)));
    assert_eq!(t.cache_config.as_ref().unwrap().enabled, Some(true));
    assert_same(text, &d.to_json());
}

/// Two JSON texts are equal as values (objects compared as sets of members).
fn assert_same(a: &str, b: &str) {
    fn sorted(v: Value) -> Value {
        match v {
            Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
            Value::Object(members) => {
                let mut members: Vec<(String, Value)> = members.into_iter().map(|(n, v)| (n, sorted(v))).collect();
                members.sort_by(|x, y| x.0.cmp(&y.0));
                Value::Object(members)
            }
            other => other,
        }
    }
    assert_eq!(sorted(json::parse(a).unwrap()), sorted(json::parse(b).unwrap()), "\n{a}\n{b}");
}

#[test]
fn each_problem_is_one_line_whatever_the_names() {
    // Found by the definitions fuzz target: a member name with a line break made a problem two lines.
    let text = definition(
        "",
        r#"{"Name": "L", "Type": "Lambda", "FunctionArn": "arn", "two\nlines": 1, "Arguments": {"x\u001b": {"Get": "Parameters.a\rb"}}}"#,
    );
    let d = PipelineDefinition::from_json(&text).unwrap();
    let e = check(&d, &TABLES).unwrap_err();
    assert_eq!(
        e.to_string(),
        "2 problems in the pipeline definition:\n\
         $.Steps[0]['two\\nlines']: `two\\nlines` is not a member here\n\
         $.Steps[0].Arguments['x\\u{1b}'].Get: no parameter `a\\rb` is declared"
    );
    assert_eq!(e.issues()[0].path(), "$.Steps[0]['two\\nlines']");
}

#[test]
fn string_properties_resolve_to_strings_and_nothing_below() {
    let check =
        |name: &str| format!(r#"{{"Name": "{name}", "Type": "Check", "Arguments": {{"Resources": {{"Count": 1}}}}}}"#);
    let mixed = r#"{"Name": "M", "Type": "Mixed", "Arguments": {"Resources": {"Count": 1}}}"#;
    let reader = |name: &str, uri: &str, count: &str| {
        train(name, &format!(r#"{{"Resources": {{"Count": {count}}}, "Uri": {uri}}}"#))
    };
    let ok = definition(
        "",
        &[
            check("C"),
            mixed.to_owned(),
            reader("T1", r#"{"Get": "Steps.C.Baseline"}"#, "1"),
            reader("T2", r#"{"Get": "Steps.M.Report"}"#, r#"{"Get": "Steps.M.Count"}"#),
        ]
        .join(", "),
    );
    assert_eq!(issues(&ok), Vec::<String>::new());
    let found = issues(&definition(
        "",
        &[
            check("C"),
            mixed.to_owned(),
            reader("T1", r#"{"Get": "Steps.C.Baselin"}"#, r#"{"Get": "Steps.C.Report"}"#),
            reader("T2", r#"{"Get": "Steps.C.Report.Uri"}"#, "1"),
            reader("T3", r#"{"Get": "Steps.M.Reprt"}"#, "1"),
        ]
        .join(", "),
    ));
    assert_eq!(
        found,
        [
            "$.Steps[2].Arguments.Resources.Count: `Steps.C.Report` is String, which cannot be assigned to an argument \
             of type Integer",
            "$.Steps[2].Arguments.Uri.Get: `Baselin` is not a property of a Check step (did you mean `Baseline`?)",
            "$.Steps[3].Arguments.Uri.Get: `Steps.C.Report.Uri` does not fit the property's shape: `Report` is a string",
            "$.Steps[4].Arguments.Uri.Get: `Reprt` is not a property of a Mixed step (did you mean `Report`?)",
        ]
    );
}

#[test]
fn for_each_steps_check_their_items_body_selector_and_properties() {
    // As the Python SDK 3.x's `ForEachStep` writes it (the corpus's `sdk3/for_each.json`, cut down).
    let body = r#"{"Name": "Score", "Type": "Lambda", "FunctionArn": "arn", "Arguments": {"c": {"Get": "ForEach.CurrentItem.name"}, "w": {"Get": "ForEach.CurrentItem"}},
        "OutputParameters": [{"OutputName": "Score", "OutputType": "Float"}]}"#;
    let for_each = |arguments: &str| format!(r#"{{"Name": "F", "Type": "ForEach", "Arguments": {arguments}}}"#);
    let good = format!(
        r#"{{"IterableItems": ["a", 1, {{"Get": "Execution.PipelineExecutionId"}}], "MaxConcurrency": 2,
            "Selector": {{"Pick": "MaxBy", "Field": {{"Get": "IterationOutput.Score.OutputParameters['Score']"}}}},
            "ForEachBody": [{body}]}}"#
    );
    let reader = train(
        "T",
        r#"{"Resources": {"Count": {"Get": "Steps.F.FailedStepCount"},
                          "Rate": {"Get": "Steps.F.IterationOutputs[1].Score.OutputParameters['Score']"}},
            "Uri": {"Get": "Steps.F.Status"}, "Env": {"a": {"Get": "Steps.F.Selected.OutputParameters['Score']"}}}"#,
    );
    assert_eq!(issues(&definition("", &[for_each(&good), reader].join(","))), Vec::<String>::new());
    // Each rule broken once.
    let bad = format!(
        r#"{{"IterableItems": [], "MaxConcurrency": 0,
            "Selector": {{"Pick": "maxBy", "Field": {{"Get": "IterationOutput.Scor.Value"}}}},
            "ForEachBody": [{body}, {{"Name": "C", "Type": "Condition", "Arguments": {{}}}}], "Extra": 1}}"#
    );
    let outside = train(
        "T",
        r#"{"Resources": {"Count": {"Get": "Steps.F.Statu"}}, "Uri": {"Get": "ForEach.CurrentItem"},
            "Env": {"a": {"Get": "IterationOutput.Score.X"}, "b": {"Get": "Steps.F.IterationOutputs[0].Scre.X"},
                    "c": {"Get": "Steps.F.Selected"}, "d": {"Get": "ForEach.Item"}}}"#,
    );
    assert_eq!(
        issues(&definition("", &[for_each(&bad), outside].join(","))),
        [
            "$.Steps[0].Arguments.IterableItems: has 0 items; it takes 1 to 100",
            "$.Steps[0].Arguments.MaxConcurrency: 0 is not from 1 to 50",
            "$.Steps[0].Arguments.Selector.Pick: expected \"MaxBy\" or \"MinBy\", found \"maxBy\" (did you mean `MaxBy`?)",
            "$.Steps[0].Arguments.Selector.Field.Get: `Scor` is not a step of this ForEach step's body (did you mean \
             `Score`?)",
            "$.Steps[0].Arguments.ForEachBody[1].Type: a Condition step cannot be in a ForEach step's body",
            "$.Steps[0].Arguments.Extra: `Extra` is not a member of a ForEach step's arguments",
            "$.Steps[1].Arguments.Resources.Count.Get: `Statu` is not a property of a ForEach step (did you mean \
             `Status`?)",
            "$.Steps[1].Arguments.Uri.Get: `ForEach.CurrentItem` is read only in the steps of a ForEach step's \
             `ForEachBody`",
            "$.Steps[1].Arguments.Env['a'].Get: `IterationOutput` is read only in a ForEach step's `Selector.Field`",
            "$.Steps[1].Arguments.Env['b'].Get: `Scre` is not a step of the ForEach step's body (did you mean `Score`?)",
            "$.Steps[1].Arguments.Env['c'].Get: `Steps.F.Selected` does not fit the property: it is read as \
             `Selected.<member>`",
            "$.Steps[1].Arguments.Env['d'].Get: `ForEach.Item` is not a reference: a ForEach step's body reads \
             `ForEach.CurrentItem`",
        ]
    );
}

#[test]
fn for_each_body_steps_are_checked_as_steps_in_their_scope() {
    let for_each = |name: &str, body: &str| {
        format!(
            r#"{{"Name": "{name}", "Type": "ForEach", "Arguments": {{"IterableItems": ["a"], "MaxConcurrency": 1,
                "ForEachBody": [{body}]}}}}"#
        )
    };
    // Two body steps of a kind of the tables, the second reading the first (the same iteration's) and an outside
    // step, both reading the current item; outside, a step reads the ForEach step.
    let prepare = train("Prep", r#"{"Resources": {"Count": 1}, "Uri": {"Get": "ForEach.CurrentItem"}}"#);
    let fit = train(
        "Fit",
        r#"{"Resources": {"Count": {"Get": "Steps.Prep.Count"}}, "Env": {"k": {"Get": "Steps.Before.Artifacts.Uri"},
            "item": {"Get": "ForEach.CurrentItem.name"}}}"#,
    );
    let before = train("Before", GOOD);
    let after = r#"{"Name": "After", "Type": "Train", "DependsOn": ["F"], "Arguments": {"Resources": {"Count": 1},
        "Uri": {"Get": "Steps.F.IterationOutputs[0].Fit.Artifacts.Uri"}}}"#;
    let good = [before.clone(), for_each("F", &format!("{prepare}, {fit}")), after.to_owned()].join(",");
    assert_eq!(issues(&definition("", &good)), Vec::<String>::new());
    // What an iteration's output reads is a property of the body step, of its kind and type.
    let wrong = after.replace("Artifacts.Uri", "Artifacts.Url").replace(
        r#""Count": 1"#,
        r#""Count": {"Get":
        "Steps.F.IterationOutputs[0].Prep.Artifacts.Uri"}"#,
    );
    let good = [before.clone(), for_each("F", &format!("{prepare}, {fit}")), wrong].join(",");
    assert_eq!(
        issues(&definition("", &good)),
        [
            "$.Steps[2].Arguments.Resources.Count: `Steps.F.IterationOutputs[0].Prep.Artifacts.Uri` is String, which \
             cannot be assigned to an argument of type Integer",
            "$.Steps[2].Arguments.Uri.Get: `Url` is not a member of Artifacts (did you mean `Uri`?) (in \
             `Steps.F.IterationOutputs[0].Fit.Artifacts.Url`)",
        ]
    );

    // A body step gets every check of a step: its arguments against its kind's request, its common fields, its
    // references.
    let bad_body = format!(
        "{}, {}",
        train("Prep", r#"{"Resources": {"Count": 0}, "Mode": "Fast", "Extra": 1}"#),
        r#"{"Name": "Fit", "Type": "Train", "DependsOn": ["Nowhere"], "RetryPolicies": [{"MaxAttempts": 1,
            "ExpireAfterMin": 1}], "Arguments": {"Resources": {"Count": {"Get": "Parameters.Missing"}}}}"#
    );
    let found = issues(&definition("", &for_each("F", &bad_body)));
    let body = "$.Steps[0].Arguments.ForEachBody";
    assert_eq!(
        found,
        [
            format!("{body}[0].Arguments.Resources.Count: must be between 1 and 10, but is 0"),
            format!("{body}[0].Arguments.Mode: \"Fast\" is not a value of Mode (did you mean \"fast\"?)"),
            format!("{body}[0].Arguments.Extra: `Extra` is not a member of JobRequest"),
            format!("{body}[1].DependsOn[0]: no step is named `Nowhere`"),
            format!("{body}[1].RetryPolicies[0]: a retry policy has `MaxAttempts` or `ExpireAfterMin`, not both"),
            format!("{body}[1].Arguments.Resources.Count.Get: no parameter `Missing` is declared"),
        ],
        "{found:#?}"
    );

    // Scope: a body step is read only in its body (outside, through the ForEach step); a body step may not read its
    // own ForEach step, which ends after it; names are shared with the whole definition, and `<body step>-<digits>`
    // is taken by the runs of the body's steps.
    let outside = train("Out", r#"{"Resources": {"Count": {"Get": "Steps.Prep.Count"}}}"#);
    let other =
        for_each("G", &train("Other", r#"{"Resources": {"Count": 1}, "Uri": {"Get": "Steps.Fit.Artifacts.Uri"}}"#));
    let selfish = train("Fit", r#"{"Resources": {"Count": {"Get": "Steps.F.InputItemCount"}}}"#);
    let text =
        [for_each("F", &format!("{prepare}, {selfish}")), outside, other, train("Prep-2", GOOD), train("Other", GOOD)]
            .join(",");
    let found = issues(&definition("", &text));
    let read_only_in_body = |name: &str| {
        format!(
            "`{name}` is a step of the body of the ForEach step `F`, run once per item, and is read only in that \
             body: outside it, depend on `F` and read `Steps.F.IterationOutputs[<index>].{name}.<member>` or \
             `Steps.F.Selected.<member>`"
        )
    };
    assert_eq!(
        found,
        [
            "$.Steps[2].Arguments.ForEachBody[0].Name: the step name `Other` is taken by $.Steps[4]".to_owned(),
            "$.Steps[3].Name: the step name `Prep-2` is how SageMaker names a run of the ForEach body's step `Prep` \
             ($.Steps[0].Arguments.ForEachBody[0]); no other step may have it"
                .to_owned(),
            format!("$.Steps[1].Arguments.Resources.Count.Get: {}", read_only_in_body("Prep")),
            // Another ForEach step's body is outside this one.
            format!("$.Steps[2].Arguments.ForEachBody[0].Arguments.Uri.Get: {}", read_only_in_body("Fit")),
            "$.Steps[0].Arguments.ForEachBody[1]: the steps `F`, `Fit` depend on each other in a cycle; here `F` \
             needs `Fit`"
                .to_owned(),
        ],
        "{found:#?}"
    );
}

#[test]
fn a_for_each_body_holds_steps() {
    let text = definition(
        "",
        r#"{"Name": "F", "Type": "ForEach", "Arguments": {"IterableItems": ["a"], "MaxConcurrency": 1,
            "ForEachBody": [3, {"Name": "B", "Type": "Fail", "Arguments": {"ErrorMessage": "x"}}]}}"#,
    );
    assert_eq!(
        issues(&text),
        [
            "$.Steps[0].Arguments.ForEachBody[0]: expected a step (an object), found a number",
            "$.Steps[0].Arguments.ForEachBody[1].Type: a Fail step cannot be in a ForEach step's body",
        ]
    );
}

#[test]
fn what_is_not_typed_is_kept_and_written_back() {
    let text = r#"{"Version": 5, "MlflowConfig": null, "Steps": [
        {"Name": "F", "Type": "FutureKind", "Arguments": {"Anything": [1, {"Std:Upper": "x"}]}, "NewField": {"a": 1}},
        {"Name": 7, "Type": "Condition", "Arguments": {"Conditions": [{"Type": "Equals", "LeftValue": 1}],
          "IfSteps": "not a list"}},
        {"Name": "D", "Type": "Train", "DisplayName": "x", "DisplayName": "y", "Arguments": {}}],
      "Parameters": [{"Name": "P", "Type": "Decimal", "Extra": true}, 3]}"#;
    let d = PipelineDefinition::from_json(text).unwrap();
    assert_eq!(d.version, None);
    assert_eq!(d.other.len(), 3, "{:?}", d.other);
    let steps = d.steps.as_ref().unwrap();
    assert_eq!(steps[0].other[0].0, "NewField");
    assert_eq!(steps[1].name, None);
    assert_eq!(steps[2].display_name, None);
    assert_same(text, &d.to_json());
    // Writing what was written reads back the same.
    let again = PipelineDefinition::from_json(&d.to_json()).unwrap();
    assert_eq!(again.to_json(), d.to_json());
}

#[test]
fn only_json_objects_are_definitions() {
    let e = PipelineDefinition::from_json("[1]").unwrap_err();
    assert_eq!(e.to_string(), "not a pipeline definition: expected an object, found an array (at $)");
    let e = PipelineDefinition::from_json("{\"Steps\": [}").unwrap_err();
    assert_eq!(e.path(), "$.Steps[0]");
}

// ---------------------------------------------------------------------------------------------------------------
// Arguments through the tables

#[test]
fn valid_arguments_pass() {
    assert_eq!(issues(&definition("", &train("A", GOOD))), Vec::<String>::new());
}

#[test]
fn a_string_that_breaks_its_length_is_not_also_run_through_its_pattern() {
    let long = GOOD.replace("s3://b/k", &format!("http://{}", "x".repeat(100)));
    only(
        issues(&definition("", &train("A", &long))),
        "$.Steps[0].Arguments.Uri: length must be at most 64 characters, but is 107",
    );
    let short = GOOD.replace("s3://b/k", "http://x");
    only(
        issues(&definition("", &train("A", &short))),
        "$.Steps[0].Arguments.Uri: \"http://x\" does not match the pattern ^s3://",
    );
}

#[test]
fn each_problem_of_an_argument_is_reported_at_its_path() {
    let arguments = r#"{"Resources": {"Count": 0, "Rate": 1.5, "Extra": 1}, "Uri": "http://x", "Mode": "Fast",
        "Inputs": [{"Name": "a"}, {"Name": "a"}, {}], "Env": {"": "v", "K": 1}, "Source": {"Bucket": "b", "Path": "p"},
        "Password": "much too long", "JobName": 5, "Weird": "x", "Uri": "s3://b/k"}"#;
    let found = issues(&definition("", &train("A", arguments)));
    let expected = [
        "$.Steps[0].Arguments.Resources.Count: must be between 1 and 10, but is 0",
        "$.Steps[0].Arguments.Resources.Rate: must be between 0 and 1, but is 1.5",
        "$.Steps[0].Arguments.Resources.Extra: `Extra` is not a member of Resources",
        "$.Steps[0].Arguments.Uri: \"http://x\" does not match the pattern ^s3://",
        "$.Steps[0].Arguments.Mode: \"Fast\" is not a value of Mode (did you mean \"fast\"?)",
        "$.Steps[0].Arguments.Inputs: length must be between 1 and 2 items, but is 3",
        "$.Steps[0].Arguments.Inputs: items must be unique, but item 1 repeats item 0",
        "$.Steps[0].Arguments.Inputs[2].Name: is required but was not set",
        "$.Steps[0].Arguments.Env['']: length must be between 1 and 8 characters, but is 0",
        "$.Steps[0].Arguments.Env['K']: expected a string, found a number",
        "$.Steps[0].Arguments.Source: Source needs exactly one member set, and has 2",
        "$.Steps[0].Arguments.Password: length must be between 1 and 8 characters, but is 13",
        "$.Steps[0].Arguments.JobName: expected a string, found a number",
        "$.Steps[0].Arguments.Weird: `Weird` is not accepted here: SageMaker Pipelines refuses it in a step's arguments",
        "$.Steps[0].Arguments.Uri: the member `Uri` appears more than once",
    ];
    assert_eq!(found, expected, "{found:#?}");
}

#[test]
fn required_members_and_json_kinds() {
    // `JobName` is required by the request, and a step may leave it out.
    only(issues(&definition("", &train("A", "{}"))), "$.Steps[0].Arguments.Resources: is required but was not set");
    only(issues(&definition("", &train("A", "[]"))), "$.Steps[0].Arguments: expected an object, found an array");
    only(
        issues(&definition("", &train("A", r#"{"Resources": {"Count": 1.5}}"#))),
        "$.Steps[0].Arguments.Resources.Count: expected a 32-bit integer, found 1.5",
    );
    only(
        issues(&definition("", &train("A", r#"{"Resources": {"Count": 2.0}, "Inputs": [null]}"#))),
        "$.Steps[0].Arguments.Inputs[0]: null is not allowed here",
    );
    // `null` is an absent member.
    only(
        issues(&definition("", &train("A", r#"{"Resources": null}"#))),
        "$.Steps[0].Arguments.Resources: is required but was not set",
    );
}

#[test]
fn sensitive_values_are_not_shown() {
    let found = issues(&definition("", &train("A", r#"{"Resources": {"Count": 1}, "Password": "hunter2hunter2"}"#)));
    assert!(found.iter().all(|f| !f.contains("hunter2")), "{found:?}");
}

// ---------------------------------------------------------------------------------------------------------------
// Expressions and references

#[test]
fn expressions_stand_for_values_and_their_references_resolve() {
    let params = r#"{"Name": "Count", "Type": "Integer", "DefaultValue": 2}, {"Name": "Uri", "DefaultValue": "s3://a"},
        {"Name": "Rate", "Type": "Float"}, {"Name": "On", "Type": "Boolean", "DefaultValue": false}"#;
    let a = train(
        "A",
        r#"{"Resources": {"Count": {"Get": "Parameters.Count"}, "Rate": {"Get": "Parameters.Rate"}},
        "Uri": {"Get": "Parameters.Uri"}, "Inputs": [{"Name": {"Std:Join": {"On": "-", "Values": ["x", {"Get": "Execution.PipelineExecutionId"}, 1]}}}],
        "Env": {"K": {"Get": "Steps.B.Artifacts.Uri"}, "L": {"Get": "Steps.B.Inputs[0].Name"}, "M": {"Get": "Steps.B.Inputs['x'].Name"}}}"#,
    );
    let b = train("B", &GOOD.replace("\"fast\"", "{\"Get\": \"PipelineExperimentConfig.TrialName\"}"));
    assert_eq!(issues(&definition(params, &format!("{a}, {b}"))), Vec::<String>::new());

    let wrong = train(
        "A",
        r#"{"Resources": {"Count": {"Get": "Parameters.Uri"}},
        "Uri": {"Get": "Parameters.Count"}, "Mode": {"Get": "Parameters.Nope"},
        "Env": {"A": {"Get": "Execution.Nope"}, "B": {"Get": "Steps.Z.Artifacts.Uri"}, "C": {"Get": "Steps.B.Artifact.Uri"},
                "D": {"Get": "Steps.B.Artifacts.Url"}, "E": {"Get": "Steps.B.Inputs.Name"}, "F": {"Get": 3},
                "G": {"Std:Upper": "x"}, "H": {"Get": "Elsewhere.X"}, "I": {"Get": "Steps.B.Count"},
                "J": {"Std:Join": {"Values": [[1]], "Of": ""}}}}"#,
    );
    let found = issues(&definition(params, &format!("{wrong}, {b}")));
    for e in [
        "$.Steps[0].Arguments.Resources.Count: `Parameters.Uri` is String, which cannot be assigned to an argument of type Integer",
        "$.Steps[0].Arguments.Uri: `Parameters.Count` is Integer, which cannot be assigned to an argument of type String",
        "$.Steps[0].Arguments.Mode.Get: no parameter `Nope` is declared",
        "$.Steps[0].Arguments.Env['A'].Get: `Nope` is not an execution variable",
        "$.Steps[0].Arguments.Env['B'].Get: no step is named `Z`",
        "$.Steps[0].Arguments.Env['C'].Get: `Artifact` is not a property of a Train step (did you mean `Artifacts`?)",
        "$.Steps[0].Arguments.Env['F'].Get: a `Get` takes a string, found a number",
        "$.Steps[0].Arguments.Env['G']['Std:Upper']: `Std:Upper` is not a function this crate knows",
        "$.Steps[0].Arguments.Env['I']: `Steps.B.Count` is Integer, which cannot be assigned to an argument of type String",
        "$.Steps[0].Arguments.Env['J']['Std:Join'].Values[0]: `Std:Join` joins literals and expressions, found an array",
    ] {
        assert!(found.iter().any(|f| f == e), "missing {e}\nfound: {found:#?}");
    }
    assert!(found
        .iter()
        .any(|f| f.starts_with("$.Steps[0].Arguments.Env['D'].Get: `Url` is not a member of Artifacts")));
    assert!(found
        .iter()
        .any(|f| f.starts_with("$.Steps[0].Arguments.Env['E'].Get: `Steps.B.Inputs.Name` does not fit")));
    assert!(found.iter().any(|f| f.starts_with("$.Steps[0].Arguments.Env['H'].Get: `Elsewhere.X` is not a reference")));
    assert!(found.iter().any(|f| f.starts_with("$.Steps[0].Arguments.Env['J']['Std:Join'].Of: `Of` is not a member")));
}

#[test]
fn a_parameter_default_fits_every_argument_it_stands_for() {
    let params = r#"{"Name": "Count", "Type": "Integer", "DefaultValue": 0}"#;
    let a = train("A", r#"{"Resources": {"Count": {"Get": "Parameters.Count"}}}"#);
    only(
        issues(&definition(params, &a)),
        "$.Parameters[0].DefaultValue: the default does not fit $.Steps[0].Arguments.Resources.Count, where the \
         parameter is used: must be between 1 and 10, but is 0",
    );
}

#[test]
fn parameters_are_checked() {
    let params = r#"{"Name": "A", "Type": "Integer", "DefaultValue": "3"}, {"Name": "A", "Type": "Decimal"},
        {"Name": "bad name", "EnumValues": ["x", 1], "DefaultValue": "y"}, {"Type": "Float", "DefaultValue": 2},
        {"Name": "B", "Type": "Boolean", "EnumValues": []}"#;
    let found = issues(&definition(params, ""));
    let expected = [
        "$.Parameters[0].DefaultValue: a Integer parameter's default must be one, found a string",
        "$.Parameters[1].Name: the parameter `A` is declared more than once",
        "$.Parameters[1].Type: \"Decimal\" is not a parameter type (String, Integer, Float or Boolean)",
        "$.Parameters[2].Name: \"bad name\" is not a parameter name: 1 to 64 letters, digits, `-` and `_` (the pattern `^[A-Za-z0-9\\-_]{1,64}$`)",
        "$.Parameters[2].EnumValues[1]: expected a string, found a number",
        "$.Parameters[2].DefaultValue: \"y\" is not one of the parameter's enum values",
        "$.Parameters[3].Name: is required but was not set",
        "$.Parameters[4].EnumValues: only a String parameter has enum values",
    ];
    assert_eq!(found, expected, "{found:#?}");
}

#[test]
fn step_names_kinds_and_dependencies() {
    let steps = [
        train("A", GOOD),
        train("A", GOOD),
        r#"{"Name": "C", "Type": "Trian", "Arguments": {}}"#.to_owned(),
        r#"{"Name": "D", "Type": "Train", "Arguments": {"Resources": {"Count": 1}}, "DependsOn": ["Q", {"Step": "A", "Trigger": "Sometimes"}], "Extra": 1, "DisplayName": 3}"#.to_owned(),
        r#"{"Name": "E", "Type": "Lambda", "FunctionArn": "arn", "OutputParameters": [{"OutputName": "o", "OutputType": "Text"}], "Arguments": {"x": {"Get": "Steps.E2.OutputParameters['p']"}}}"#.to_owned(),
        r#"{"Type": "Fail", "Arguments": {"ErrorMessage": {"Get": "Steps.F.Outcome"}, "Code": 1}}"#.to_owned(),
    ];
    let found = issues(&definition("", &steps.join(", ")));
    let expected = [
        "$.Steps[1].Name: the step name `A` is taken by $.Steps[0]",
        "$.Steps[2].Type: \"Trian\" is not a step type this crate knows (did you mean `Train`?); its arguments are not checked",
        "$.Steps[3].Extra: `Extra` is not a member here",
        "$.Steps[3].DisplayName: expected a string, found a number",
        "$.Steps[3].DependsOn[0]: no step is named `Q`",
        "$.Steps[3].DependsOn[1].Trigger: \"Sometimes\" is not a trigger (Completed, Failed, Stopped or Any)",
        "$.Steps[4].OutputParameters[0].OutputType: \"Text\" is not an output type (String, Integer, Float or Boolean)",
        "$.Steps[4].Arguments.x.Get: no step is named `E2`",
        "$.Steps[5].Name: is required but was not set",
        "$.Steps[5].Arguments.ErrorMessage.Get: no step is named `F`",
        "$.Steps[5].Arguments.Code: `Code` is not a member here",
    ];
    assert_eq!(found, expected, "{found:#?}");
}

#[test]
fn cycles_through_depends_on_and_references() {
    let a = r#"{"Name": "A", "Type": "Train", "Arguments": {"Resources": {"Count": {"Get": "Steps.B.Count"}}}}"#;
    let b = r#"{"Name": "B", "Type": "Train", "Arguments": {"Resources": {"Count": 1}}, "DependsOn": ["C"]}"#;
    let c = r#"{"Name": "C", "Type": "Train", "Arguments": {"Resources": {"Count": 1}}, "DependsOn": ["A", "C"]}"#;
    only(
        issues(&definition("", &format!("{a}, {b}, {c}"))),
        "$.Steps[0].Arguments.Resources.Count.Get: the steps `A`, `B`, `C` depend on each other in a cycle; here `A` needs `B`",
    );
    let alone = r#"{"Name": "S", "Type": "Train", "Arguments": {"Resources": {"Count": 1}}, "DependsOn": ["S"]}"#;
    only(issues(&definition("", alone)), "$.Steps[0].DependsOn[0]: the step `S` depends on itself");
}

#[test]
fn conditions_branches_and_property_files() {
    let p = r#"{"Name": "P", "Type": "Train", "Arguments": {"Resources": {"Count": 1}},
        "PropertyFiles": [{"PropertyFileName": "Report", "OutputName": "o", "FilePath": "r.json"}, {"PropertyFileName": "Report"}]}"#;
    let c = r#"{"Name": "C", "Type": "Condition", "Arguments": {"Conditions": [
        {"Type": "LessThan", "LeftValue": {"Std:JsonGet": {"PropertyFile": {"Get": "Steps.P.PropertyFiles.Report"}, "Path": "a.b"}}, "RightValue": 1},
        {"Type": "Equals", "LeftValue": {"Std:JsonGet": {"PropertyFile": {"Get": "Steps.P.PropertyFiles.Reprot"}, "Path": 1}}, "RightValue": [1]},
        {"Type": "Sometimes", "LeftValue": 1, "RightValue": 2},
        {"Type": "In", "QueryValue": 1}],
        "IfSteps": [{"Name": "P", "Type": "Fail", "Arguments": {}}],
        "ElseSteps": [{"Name": "G", "Type": "Fail", "Arguments": {"ErrorMessage": {"Std:Join": {"On": " ", "Values": ["x", {"Get": "Steps.C.Outcome"}]}}}}]}}"#;
    let found = issues(&definition("", &format!("{p}, {c}")));
    let expected = [
        "$.Steps[1].Arguments.IfSteps[0].Name: the step `P` is both at the top level and in a condition's branch ($.Steps[0]); a step runs in one place",
        "$.Steps[0].PropertyFiles[1].PropertyFileName: the property file `Report` is declared more than once",
        "$.Steps[1].Arguments.Conditions[1].LeftValue['Std:JsonGet'].PropertyFile.Get: the step `P` declares no property file `Reprot` (did you mean `Report`?)",
        "$.Steps[1].Arguments.Conditions[1].LeftValue['Std:JsonGet'].Path: expected a string, found a number",
        "$.Steps[1].Arguments.Conditions[1].RightValue: expected a literal or an expression, found an array",
        "$.Steps[1].Arguments.Conditions[2].Type: \"Sometimes\" is not a condition this crate knows",
        "$.Steps[1].Arguments.Conditions[3]: a `In` condition does not have these members: `Type`, `QueryValue`",
    ];
    assert_eq!(found, expected, "{found:#?}");
}

#[test]
fn the_envelope_is_checked() {
    let found = issues(
        r#"{"Version": "2021-01-01", "Metadata": {"a": 1}, "PipelineExperimentConfig": {"ExperimentName": {"Get": "Parameters.X"}, "Trial": "t"}, "Steps": 3}"#,
    );
    let expected = [
        "$.Version: \"2021-01-01\" is not a definition version (the only one is \"2020-12-01\")",
        "$.Steps: expected an array of objects, found a number",
        "$.Metadata.a: expected a string, found a number",
        "$.PipelineExperimentConfig.ExperimentName.Get: no parameter `X` is declared",
        "$.PipelineExperimentConfig.Trial: `Trial` is not a member here (did you mean `TrialName`?)",
    ];
    assert_eq!(found, expected, "{found:#?}");
    assert_eq!(issues("{}"), ["$.Version: is required but was not set", "$.Steps: is required but was not set"]);
}

#[test]
fn the_size_is_bounded() {
    let long = "x".repeat(5000);
    let text = definition("", &train("A", &format!(r#"{{"Resources": {{"Count": 1}}, "Env": {{"k": "{long}"}}}}"#)));
    assert_eq!(issues(&text), Vec::<String>::new());
    let d = PipelineDefinition::from_json(&text).unwrap();
    let found: Vec<String> = check(&d, &SIZED).unwrap_err().issues().iter().map(|i| i.to_string()).collect();
    assert_eq!(found.len(), 1);
    assert!(found[0].starts_with("$: the definition's JSON text is 5"), "{found:?}");
    assert!(found[0].ends_with("characters long, more than the 4096 allowed"), "{found:?}");
}

#[test]
fn the_size_is_counted_as_the_written_text_without_writing_it() {
    // Escapes of every kind, characters beyond ASCII, numbers of each kind (one too large for a float), typed members
    // of each object of the envelope, members kept as read, conditions of each form.
    let tricky = r#"{"Version": "2020-12-01", "Metadata": {"q\"uote": "back\\slash\n\t\r\b\f\u0001\u001f"},
      "Parameters": [{"Name": "P", "Type": "Float", "DefaultValue": 1.5e-7, "EnumValues": ["é", "日本"], "x": null}],
      "PipelineExperimentConfig": {"ExperimentName": "e"}, "MlflowConfig": {"n": [1e400, -1e400, -3, 18446744073709551615, true, false]},
      "Steps": [{"Name": "C", "Type": "Condition", "DependsOn": ["A", {"Step": "A", "Trigger": "Any"}],
        "Arguments": {"Conditions": [{"Type": "Equals", "LeftValue": 1, "RightValue": 2.0},
          {"Type": "In", "QueryValue": "a", "Values": ["a", "b"]}, {"Type": "Not", "Condition": {"Type": "Or",
          "Conditions": [{"Type": "Odd"}]}}], "IfSteps": [{"Name": "A", "Type": "Train", "Arguments": {}}], "ElseSteps": []},
        "RetryPolicies": [{"ExceptionType": ["Step.THROTTLING"], "IntervalSeconds": 1, "BackoffRate": 2.0, "MaxAttempts": 3,
          "ExpireAfterMin": 4}], "CacheConfig": {"Enabled": true, "ExpireAfter": "P1D"},
        "PropertyFiles": [{"PropertyFileName": "F", "OutputName": "o", "FilePath": "f.json"}],
        "OutputParameters": [{"OutputName": "x", "OutputType": "String"}], "Extra": [[], {}]}]}"#;
    let mut texts = vec![tricky.to_owned(), "{}".to_owned(), r#"{"Steps": []}"#.to_owned()];
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/definitions/corpus");
    for dir in ["sdk2", "sdk3"] {
        for entry in std::fs::read_dir(corpus.join(dir)).unwrap() {
            texts.push(std::fs::read_to_string(entry.unwrap().path()).unwrap());
        }
    }
    assert!(texts.len() > 8, "the corpus is read");
    for text in &texts {
        let d = PipelineDefinition::from_json(text).unwrap();
        assert_eq!(d.json_chars(), d.to_json().chars().count(), "{text}");
    }
    // And the bound is the written text's characters, to the one.
    let d = PipelineDefinition::from_json(tricky).unwrap();
    let n = d.to_json().chars().count() as u64;
    let at = |max| Tables { schema: &SCHEMA, kinds: &KINDS, max_length: Some(max) };
    let size_issue =
        |max| check(&d, &at(max)).err().into_iter().flat_map(|e| e.issues().to_vec()).any(|i| i.path() == "$");
    assert!(!size_issue(n));
    assert!(size_issue(n - 1));
}

#[test]
fn repeated_member_names_are_found_and_objects_without_any_allocate_nothing() {
    let object =
        |names: &[String]| -> Vec<(String, Value)> { names.iter().map(|n| (n.clone(), Value::Null)).collect() };
    for n in [0, 3, 16, 17, 40] {
        let names: Vec<String> = (0..n).map(|i| format!("m{i}")).collect();
        let none = schema::repeats(&object(&names));
        assert!(none.is_empty() && none.capacity() == 0, "{n} members");
        if n > 1 {
            let mut with = names.clone();
            with.push("m1".into());
            let found = schema::repeats(&object(&with));
            assert_eq!(found.iter().filter(|r| **r).count(), 1, "{n} members");
            assert!(found[n], "the later of the two is the repeat");
            assert!(schema::repeated(&found, n) && !schema::repeated(&found, 1) && !schema::repeated(&none, 1));
        }
    }
}

#[test]
fn the_error_lists_every_problem_path_first() {
    let d =
        PipelineDefinition::from_json(&definition("", &format!("{}, {}", train("A", "{}"), train("A", GOOD)))).unwrap();
    let e = check(&d, &TABLES).unwrap_err();
    assert_eq!(
        e.to_string(),
        "2 problems in the pipeline definition:\n\
         $.Steps[1].Name: the step name `A` is taken by $.Steps[0]\n\
         $.Steps[0].Arguments.Resources: is required but was not set"
    );
    assert_eq!(e.issues()[0].path(), "$.Steps[1].Name");
}

// ---------------------------------------------------------------------------------------------------------------
// Pieces

#[test]
fn nearest_names() {
    let names = ["InstanceType", "InstanceCount", "VolumeSizeInGB"];
    assert_eq!(schema::nearest("InstanceTyp", names.into_iter()), Some("InstanceType"));
    assert_eq!(schema::nearest("instancetype", names.into_iter()), Some("InstanceType"));
    assert_eq!(schema::nearest("InstanceTpye", names.into_iter()), Some("InstanceType"));
    assert_eq!(schema::nearest("Role", names.into_iter()), None);
    assert_eq!(schema::nearest(&"x".repeat(100), names.into_iter()), None);
}

#[test]
fn paths_quote_names_that_are_not_identifiers() {
    let root = schema::Path::Text("$");
    let a = schema::Path::Member(&root, "Std:Join");
    let b = schema::Path::Key(&a, "it's");
    let c = schema::Path::Index(&b, 2);
    let d = schema::Path::Member(&c, "Name_2");
    assert_eq!(d.render(), r"$['Std:Join']['it\'s'][2].Name_2");
}

#[test]
fn hostile_definitions_stay_linear_and_never_panic() {
    // Many steps, each referencing the previous one, and a long chain of conditions: every step is visited once.
    let n = 2000;
    let steps: Vec<String> = (0..n)
        .map(|i| {
            let dep = if i == 0 { String::new() } else { format!(r#", "DependsOn": ["S{}"]"#, i - 1) };
            format!(r#"{{"Name": "S{i}", "Type": "Train", "Arguments": {{"Resources": {{"Count": 1}}}}{dep}}}"#)
        })
        .collect();
    assert_eq!(issues(&definition("", &steps.join(","))), Vec::<String>::new());
    // Nested condition branches as deep as the reader allows: no stack overflow, every level checked.
    let mut nested = train("Leaf", "{}");
    for i in 0..(MAX_DEPTH / 4) {
        nested = format!(
            r#"{{"Name": "C{i}", "Type": "Condition", "Arguments": {{"Conditions": [], "IfSteps": [{nested}]}}}}"#
        );
    }
    let found = issues(&definition("", &nested));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].ends_with(".Arguments.Resources: is required but was not set"), "{found:?}");
    // Thousands of misspelled members: suggestions stop after a bounded number, every problem is still reported.
    let members: Vec<String> = (0..3000).map(|_| r#""uRI": 1"#.to_owned()).collect();
    let found = issues(&definition("", &train("A", &format!("{{{}}}", members.join(",")))));
    assert_eq!(
        found.iter().filter(|f| f.ends_with("`uRI` is not a member of JobRequest (did you mean `Uri`?)")).count(),
        schema::SUGGESTIONS
    );
    assert_eq!(
        found.iter().filter(|f| f.ends_with("`uRI` is not a member of JobRequest")).count(),
        3000 - schema::SUGGESTIONS
    );
    assert_eq!(found.iter().filter(|f| f.ends_with("the member `uRI` appears more than once")).count(), 2999);
    // The same spread over a thousand steps: the bound is the definition's, not each step's (each step's walk had a
    // budget of its own, and a definition of many small steps cost thousands of times the suggestions of one).
    let steps: Vec<String> = (0..1000)
        .map(|i| train(&format!("S{i}"), r#"{"Resources": {"Count": 1}, "uRI": 1, "moDE": "fast"}"#))
        .collect();
    let found = issues(&definition("", &steps.join(",")));
    assert_eq!(found.len(), 2000);
    assert_eq!(found.iter().filter(|f| f.contains("(did you mean")).count(), schema::SUGGESTIONS);
}

/// Every problem `schema::check` reports, as `path: message` lines.
struct Problems(Vec<String>);

impl schema::Visitor for Problems {
    fn stands_in(&mut self, _: &Value, _: &Schema, _: u16, _: &Checks, _: &schema::Path<'_>) -> bool {
        false
    }

    fn problem(&mut self, path: &schema::Path<'_>, problem: schema::Problem) {
        self.0.push(format!("{}: {problem}", path.render()));
    }
}

#[test]
fn rules_across_members_at_the_root_and_below() {
    // As an EMR step's `ClusterId` / `ClusterConfig` and `ExecutionRoleArn`, and `ClusterConfig.Instances`'
    // `InstanceGroups` / `InstanceFleets`: a group of which exactly one is set, and a member only with another.
    let exceptions = schema::Exceptions {
        optional: &["JobName"],
        exactly_one: &[&["Uri", "Source"], &["Resources.Count", "Resources.Rate"]],
        only_with: &[["Password", "Uri"]],
        ..schema::Exceptions::default()
    };
    let problems = |text: &str| {
        let mut found = Problems(Vec::new());
        let value = crate::json::parse(text).unwrap();
        schema::check(&SCHEMA, JOB, &value, &schema::Path::Text("$"), exceptions, &mut found);
        found.0
    };
    // One of each group: nothing to say. A group does not make a required member optional (the generator's settings
    // refuse such a group unless the member is also optional): `Rate` alone still misses `Count`.
    assert_eq!(problems(r#"{"Uri": "s3://b", "Resources": {"Count": 1}}"#), Vec::<String>::new());
    assert_eq!(
        problems(r#"{"Source": {"Bucket": "b"}, "Resources": {"Rate": 0.5}}"#),
        ["$.Resources.Count: is required but was not set"]
    );
    // None of a group: at the structure; both: at the second set, in the order of the group. A structure's rules
    // come after its members', as its missing members do.
    assert_eq!(
        problems(r#"{"Resources": {"Count": 1, "Rate": 0.5}}"#),
        [
            "$.Resources.Rate: exactly one of `Count` and `Rate` must be set, and 2 are",
            "$: exactly one of `Uri` and `Source` must be set, and none is"
        ]
    );
    assert_eq!(
        problems(r#"{"Source": {"Bucket": "b"}, "Uri": "s3://b", "Resources": {"Count": 1}}"#),
        ["$.Source: exactly one of `Uri` and `Source` must be set, and 2 are"]
    );
    // `null` is not set.
    assert_eq!(problems(r#"{"Uri": "s3://b", "Source": null, "Resources": {"Count": 1}}"#), Vec::<String>::new());
    // `Password` only with `Uri`.
    assert_eq!(
        problems(r#"{"Source": {"Bucket": "b"}, "Password": "p", "Resources": {"Count": 1}}"#),
        ["$.Password: `Password` is accepted only with `Uri`, which is not set"]
    );
    assert_eq!(problems(r#"{"Uri": "s3://b", "Password": "p", "Resources": {"Count": 1}}"#), Vec::<String>::new());
    // Through a list, the rules hold for each item, each reported at its item.
    let items = schema::Exceptions {
        optional: &["JobName", "Inputs.Name"],
        exactly_one: &[&["Inputs.Name", "Inputs.Uri"]],
        only_with: &[["Inputs.Uri", "Inputs.Name"]],
        ..schema::Exceptions::default()
    };
    let mut found = Problems(Vec::new());
    let value = crate::json::parse(
        r#"{"Resources": {"Count": 1}, "Inputs": [{"Name": "a"}, {"Name": "a", "Uri": "u"}, {}, {"Uri": "u"}]}"#,
    )
    .unwrap();
    schema::check(&SCHEMA, JOB, &value, &schema::Path::Text("$"), items, &mut found);
    assert_eq!(
        found.0,
        [
            "$.Inputs: length must be between 1 and 2 items, but is 4",
            "$.Inputs[1].Uri: exactly one of `Name` and `Uri` must be set, and 2 are",
            "$.Inputs[2]: exactly one of `Name` and `Uri` must be set, and none is",
            "$.Inputs[3].Uri: `Uri` is accepted only with `Name`, which is not set",
        ]
    );
    // The rules are the root's: the same members elsewhere are not touched (a list item's `Name` is no `Resources`).
    let mut plain = Problems(Vec::new());
    let value = crate::json::parse(r#"{"JobName": "j", "Resources": {"Count": 1}}"#).unwrap();
    schema::check(&SCHEMA, JOB, &value, &schema::Path::Text("$"), schema::Exceptions::default(), &mut plain);
    assert_eq!(plain.0, Vec::<String>::new());
}

#[test]
fn exceptions_name_members_below_the_root_by_dotted_paths() {
    // As EMR's `ClusterConfig.Instances.TerminationProtected`: a refused member below the arguments is refused
    // there (and no longer required), an optional one there may be left out; the same member elsewhere is not
    // touched. A path through a list names its items' members (as a Lineage step's `Associations.Source.Arn`); a
    // union's members are not below a path.
    let exceptions = schema::Exceptions {
        optional: &["JobName", "Resources.Count"],
        unsupported: &["Resources.Rate", "Inputs.Uri", "Source.Bucket"],
        reason: "refused here",
        ..schema::Exceptions::default()
    };
    let problems = |text: &str| {
        let mut found = Problems(Vec::new());
        let value = crate::json::parse(text).unwrap();
        let root = schema::Path::Text("$");
        schema::check(&SCHEMA, JOB, &value, &root, exceptions, &mut found);
        found.0
    };
    assert_eq!(
        problems(
            r#"{"Resources": {"Rate": 0.5}, "Inputs": [{"Name": "a"}, {"Name": "b", "Uri": "u"}], "Source": {"Bucket": "b"}}"#
        ),
        [
            "$.Resources.Rate: `Rate` is not accepted here: refused here",
            "$.Inputs[1].Uri: `Uri` is not accepted here: refused here"
        ]
    );
    // Without the exceptions, the same value has the missing members and nothing refused.
    let mut plain = Problems(Vec::new());
    let value = crate::json::parse(r#"{"Resources": {"Rate": 0.5}}"#).unwrap();
    schema::check(&SCHEMA, JOB, &value, &schema::Path::Text("$"), schema::Exceptions::default(), &mut plain);
    assert_eq!(plain.0, ["$.Resources.Count: is required but was not set", "$.JobName: is required but was not set"]);
    // A refused member that the shape requires is not reported missing.
    let required = schema::Exceptions {
        unsupported: &["JobName", "Resources.Count"],
        reason: "no",
        ..schema::Exceptions::default()
    };
    let mut found = Problems(Vec::new());
    let value = crate::json::parse(r#"{"Resources": {}}"#).unwrap();
    schema::check(&SCHEMA, JOB, &value, &schema::Path::Text("$"), required, &mut found);
    assert_eq!(found.0, Vec::<String>::new());
}

#[test]
fn members_that_name_steps_name_steps_of_the_pipeline() {
    // The `Clean` kind's `Inputs.Name` (through the list) and `Weird` name steps, as a Cleanup step's
    // `Resources.S3.StepName`: a name of no step is refused with the nearest, an expression is not a name, and a
    // value of the wrong kind is the schema's to report, once.
    let clean = r#"{"Name": "Tidy", "Type": "Clean", "Arguments": {"Resources": {"Count": 1},
        "Inputs": [{"Name": "Prepare"}, {"Name": "Prepar"}, {"Name": {"Get": "Parameters.P"}}, {"Name": 3}],
        "Weird": "Nobody"}}"#;
    let steps = format!("{},{clean}", train("Prepare", r#"{"Resources": {"Count": 1}}"#));
    let found = issues(&definition(r#"{"Name": "P", "Type": "String"}"#, &steps));
    assert_eq!(
        found,
        [
            "$.Steps[1].Arguments.Inputs: length must be between 1 and 2 items, but is 4",
            "$.Steps[1].Arguments.Inputs[3].Name: expected a string, found a number",
            "$.Steps[1].Arguments.Inputs[1].Name: no step is named `Prepar` (did you mean `Prepare`?)",
            "$.Steps[1].Arguments.Weird: no step is named `Nobody`",
        ]
    );
    // A string not of a step name's form is not looked up: the member's pattern, where it has one, reports it.
    let formless = r#"{"Name": "Tidy", "Type": "Clean", "Arguments": {"Resources": {"Count": 1}, "Weird": "No body"}}"#;
    assert_eq!(issues(&definition("", formless)), Vec::<String>::new());
    // Naming itself or a later step is a name of the pipeline.
    let later = r#"{"Name": "Tidy", "Type": "Clean", "Arguments": {"Resources": {"Count": 1},
        "Inputs": [{"Name": "Tidy"}, {"Name": "Last"}]}}"#;
    let steps = format!("{later},{}", train("Last", r#"{"Resources": {"Count": 1}}"#));
    assert_eq!(issues(&definition("", &steps)), Vec::<String>::new());
}
