//! Property: `PipelineDefinition::from_json` and `check()` (the generated crate's feature `definitions`) never panic,
//! whatever the text. The inputs are the definitions of `tests/definitions/` (the corpus the SageMaker Python SDK
//! wrote, the mistakes, the worked example's output) with structure-aware mutations: members deleted, repeated or
//! added, values of other kinds (huge and odd numbers among them), deep nesting past the reader's 128 levels, huge
//! strings, many steps, `DependsOn` and `Get`s making cycles, unknown and known step kinds swapped in, expressions of
//! every function (and unknown ones) in any place, arguments moved between steps, steps moved into condition branches;
//! and the text cut or with a byte changed. A definition that reads must also write back to text that reads to the
//! same definition, and, where the text is plain JSON, to the same JSON value.
//!
//! Reading and checking are linear in the text: a second test feeds hostile definitions (many steps, a long cycle,
//! deep nesting under long names with many problems inside, many references to undeclared names, to output
//! parameters and property files, a huge parameter default used in many places, many unknown or repeated members) of
//! 128 KiB and 256 KiB, and requires the allocations and the bytes allocated (counted on the test's thread by the
//! global allocator below) for the larger to be at most 2.5 times those for the smaller: a quadratic cost would be
//! 4 times. Times are printed, not asserted (`benches/definitions.rs` measures them).

mod fuzz_support;

use std::fmt::Write as _;
use std::sync::OnceLock;
use std::time::Instant;

use proptest::prelude::*;
use sagemaker_pipelines::definition::PipelineDefinition;

// ---- Counting allocations on the checking thread. ----

#[global_allocator]
static GLOBAL: project_tests::alloc_count::Counting = project_tests::alloc_count::Counting;
use project_tests::alloc_count::allocated;

// ---- A JSON tree that keeps repeated members and numbers as written. ----

#[derive(Clone, Debug, PartialEq)]
enum J {
    Null,
    Bool(bool),
    /// A number as written (`1e400` and `-0` too).
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl J {
    fn from_serde(v: &serde_json::Value) -> J {
        match v {
            serde_json::Value::Null => J::Null,
            serde_json::Value::Bool(b) => J::Bool(*b),
            serde_json::Value::Number(n) => J::Num(n.to_string()),
            serde_json::Value::String(s) => J::Str(s.clone()),
            serde_json::Value::Array(items) => J::Arr(items.iter().map(J::from_serde).collect()),
            serde_json::Value::Object(m) => J::Obj(m.iter().map(|(k, v)| (k.clone(), J::from_serde(v))).collect()),
        }
    }

    fn text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    /// Iterative, so that nesting of any depth is written.
    fn write(&self, out: &mut String) {
        enum Item<'a> {
            Value(&'a J),
            Raw(&'static str),
            Key(&'a str),
        }
        let mut stack = vec![Item::Value(self)];
        while let Some(item) = stack.pop() {
            let v = match item {
                Item::Raw(r) => {
                    out.push_str(r);
                    continue;
                }
                Item::Key(k) => {
                    out.push_str(&serde_json::Value::String(k.to_owned()).to_string());
                    continue;
                }
                Item::Value(v) => v,
            };
            match v {
                J::Null => out.push_str("null"),
                J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
                J::Num(n) => out.push_str(n),
                J::Str(s) => out.push_str(&serde_json::Value::String(s.clone()).to_string()),
                J::Arr(items) => {
                    out.push('[');
                    stack.push(Item::Raw("]"));
                    for (i, item) in items.iter().enumerate().rev() {
                        stack.push(Item::Value(item));
                        if i > 0 {
                            stack.push(Item::Raw(","));
                        }
                    }
                }
                J::Obj(members) => {
                    out.push('{');
                    stack.push(Item::Raw("}"));
                    for (i, (k, v)) in members.iter().enumerate().rev() {
                        stack.push(Item::Value(v));
                        stack.push(Item::Raw(":"));
                        stack.push(Item::Key(k));
                        if i > 0 {
                            stack.push(Item::Raw(","));
                        }
                    }
                }
            }
        }
    }

    fn steps_mut(&mut self) -> Option<&mut Vec<J>> {
        match self {
            J::Obj(m) => m.iter_mut().find(|(k, _)| k == "Steps").and_then(|(_, v)| match v {
                J::Arr(items) => Some(items),
                _ => None,
            }),
            _ => None,
        }
    }

    fn member(&self, name: &str) -> Option<&J> {
        match self {
            J::Obj(m) => m.iter().find(|(k, _)| k == name).map(|(_, v)| v),
            _ => None,
        }
    }

    fn member_mut(&mut self, name: &str) -> Option<&mut J> {
        match self {
            J::Obj(m) => m.iter_mut().find(|(k, _)| k == name).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// Paths (indices into arrays and objects' member lists) to every node, in document order.
fn nodes(v: &J) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut stack = vec![(v, Vec::new())];
    while let Some((v, path)) = stack.pop() {
        match v {
            J::Arr(items) => {
                for (i, item) in items.iter().enumerate().rev() {
                    let mut p = path.clone();
                    p.push(i);
                    stack.push((item, p));
                }
            }
            J::Obj(members) => {
                for (i, (_, item)) in members.iter().enumerate().rev() {
                    let mut p = path.clone();
                    p.push(i);
                    stack.push((item, p));
                }
            }
            _ => {}
        }
        out.push(path);
    }
    out
}

fn node_mut<'a>(mut v: &'a mut J, path: &[usize]) -> &'a mut J {
    for &i in path {
        v = match v {
            J::Arr(items) => &mut items[i],
            J::Obj(members) => &mut members[i].1,
            _ => unreachable!("a path goes through arrays and objects"),
        };
    }
    v
}

// ---- The seeds. ----

fn seeds() -> &'static [(String, J)] {
    static SEEDS: OnceLock<Vec<(String, J)>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let root = project_tests::root().join("tests/definitions");
        let mut files = Vec::new();
        let mut stack = vec![root.clone()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "json") {
                    files.push(p);
                }
            }
        }
        files.sort();
        assert!(files.len() >= 30, "the corpus, the mistakes and the example: {}", files.len());
        files
            .into_iter()
            .map(|p| {
                let text = std::fs::read_to_string(&p).unwrap();
                let name = p.strip_prefix(&root).unwrap().to_string_lossy().into_owned();
                (name, J::from_serde(&serde_json::from_str(&text).unwrap()))
            })
            .collect()
    })
}

// ---- The mutations. ----

/// Values of other kinds, and numbers a reader may choke on.
const ODD_VALUES: &[&str] = &[
    "null",
    "true",
    "0",
    "-1",
    "-0",
    "1.5",
    "1e400",
    "-1e400",
    "18446744073709551616",
    "-9223372036854775809",
    "4294967296",
    "1E-400",
    "\"\"",
    "\"ml.M5.large\"",
    "\"\\u0000\\ud800\"",
    "[]",
    "{}",
    "[null]",
    "{\"\":null}",
];

/// Step kinds: the model's, the format's, the kept ones, and others.
const KINDS: &[&str] = &[
    "Training",
    "Processing",
    "Transform",
    "Model",
    "RegisterModel",
    "Tuning",
    "AutoML",
    "ClarifyCheck",
    "QualityCheck",
    "EMR",
    "EMRServerless",
    "Lambda",
    "Callback",
    "Condition",
    "Fail",
    "Endpoint",
    "EndpointConfig",
    "InferenceComponent",
    "Lineage",
    "ForEach",
    "Cleanup",
    "BedrockModelImport",
    "training",
    "Trainin",
    "",
    "NoSuchKind",
];

/// References of `Get`, `{}` standing for a step's name.
const REFERENCES: &[&str] = &[
    "Steps.{}",
    "Steps.{}.ModelArtifacts.S3ModelArtifacts",
    "Steps.{}.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri",
    "Steps.{}.FinalMetricDataList[0].Value",
    "Steps.{}.FinalMetricDataList['x'].Value",
    "Steps.{}.Environment['KEY']",
    "Steps.{}.OutputParameters['out']",
    "Steps.{}.PropertyFiles.Evaluation",
    "Steps.{}.Outcome",
    "Steps.{}.CalculatedBaselineConstraints",
    "Steps.{}.TrainingJobName[",
    "Steps.{}.[0]",
    "Steps.{}..x",
    "Steps.{}.['",
    "Steps.{}.ModelArtifacts[0]['k'].x",
    "Steps.",
    "Steps",
    "Parameters.{}",
    "Parameters.",
    "Execution.PipelineExecutionId",
    "Execution.Nope",
    "PipelineExperimentConfig.TrialName",
    "ForEach.CurrentItem.x",
    "IterationOutput.{}",
    "",
    "Nowhere.x",
];

#[derive(Clone, Debug)]
enum Mutation {
    /// Delete the member or item at a node.
    Delete { at: usize },
    /// Repeat a member of an object (the same name twice).
    Repeat { at: usize },
    /// Add a member, unknown or of a known name.
    Add { at: usize, name: usize },
    /// Replace a node with an odd value.
    Retype { at: usize, with: usize },
    /// Wrap a node in `levels` arrays, objects or `Not` conditions.
    Nest { at: usize, levels: usize, how: u8 },
    /// Replace a string with a long one.
    Huge { at: usize, len: usize, unit: u8 },
    /// Copy the steps `times` times (`rename`: under new names).
    ManySteps { times: usize, rename: bool },
    /// A step depends on another (or itself).
    Depend { from: usize, to: usize, trigger: bool },
    /// A step's type becomes another.
    Kind { step: usize, kind: usize },
    /// A node becomes an expression.
    Expression { at: usize, which: usize, step: usize },
    /// Two steps swap arguments.
    SwapArguments { a: usize, b: usize },
    /// A top-level step moves into a condition's branch (or a branch's step to the top level).
    Branch { step: usize, condition: usize, else_branch: bool },
}

const NAMES: &[&str] = &[
    "Name",
    "Type",
    "Arguments",
    "DependsOn",
    "Get",
    "Std:Join",
    "Std:JsonGet",
    "PropertyFiles",
    "OutputParameters",
    "RetryPolicies",
    "CacheConfig",
    "Conditions",
    "IfSteps",
    "ElseSteps",
    "EnumValues",
    "DefaultValue",
    "Steps",
    "Parameters",
    "Unknown",
    "",
    "a'b\\c",
    "two\nlines",
];

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => any::<usize>().prop_map(|at| Mutation::Delete { at }),
        2 => any::<usize>().prop_map(|at| Mutation::Repeat { at }),
        2 => (any::<usize>(), 0..NAMES.len()).prop_map(|(at, name)| Mutation::Add { at, name }),
        3 => (any::<usize>(), 0..ODD_VALUES.len()).prop_map(|(at, with)| Mutation::Retype { at, with }),
        1 => (any::<usize>(), 1..160usize, 0..3u8).prop_map(|(at, levels, how)| Mutation::Nest { at, levels, how }),
        1 => (any::<usize>(), 1..(64usize << 10), 0..4u8).prop_map(|(at, len, unit)| Mutation::Huge { at, len, unit }),
        1 => (1..40usize, any::<bool>()).prop_map(|(times, rename)| Mutation::ManySteps { times, rename }),
        2 => (any::<usize>(), any::<usize>(), any::<bool>())
            .prop_map(|(from, to, trigger)| Mutation::Depend { from, to, trigger }),
        2 => (any::<usize>(), 0..KINDS.len()).prop_map(|(step, kind)| Mutation::Kind { step, kind }),
        3 => (any::<usize>(), 0..(REFERENCES.len() + 8), any::<usize>())
            .prop_map(|(at, which, step)| Mutation::Expression { at, which, step }),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapArguments { a, b }),
        1 => (any::<usize>(), any::<usize>(), any::<bool>())
            .prop_map(|(step, condition, else_branch)| Mutation::Branch { step, condition, else_branch }),
    ]
}

fn step_names(v: &mut J) -> Vec<String> {
    let Some(steps) = v.steps_mut() else { return Vec::new() };
    steps
        .iter_mut()
        .filter_map(|s| match s.member_mut("Name") {
            Some(J::Str(n)) => Some(n.clone()),
            _ => None,
        })
        .collect()
}

/// An expression: a `Get` of one of [`REFERENCES`], or one of the functions, well or badly formed.
fn expression(which: usize, step: &str) -> J {
    let get = |r: &str| J::Obj(vec![("Get".into(), J::Str(r.replace("{}", step)))]);
    if let Some(r) = REFERENCES.get(which) {
        return get(r);
    }
    let text = match which - REFERENCES.len() {
        0 => format!(r#"{{"Std:Join":{{"On":"/","Values":["a",{{"Get":"Steps.{step}.Outcome"}},1,true]}}}}"#),
        1 => format!(
            r#"{{"Std:JsonGet":{{"PropertyFile":{{"Get":"Steps.{step}.PropertyFiles.Evaluation"}},"Path":"a.b"}}}}"#
        ),
        2 => r#"{"Std:JsonGet":{"S3Uri":{"Get":"Parameters.Input"},"Path":1,"Extra":[]}}"#.into(),
        3 => r#"{"Std:Join":{"On":1,"Values":[[],{"Std:Join":{}}]}}"#.into(),
        4 => r#"{"Get":5}"#.into(),
        5 => r#"{"Std:Format":{"Get":"Parameters.X"}}"#.into(),
        6 => r#"{"Std:JsonGet":"x"}"#.into(),
        _ => r#"{"Get":{"Get":"Parameters.X"}}"#.into(),
    };
    J::from_serde(&serde_json::from_str(&text).unwrap())
}

/// Apply `m` to `v`; false when it makes text whose JSON value a plain reader would change (repeated members, numbers
/// beyond a float).
fn mutate(v: &mut J, m: &Mutation) -> bool {
    let all = nodes(v);
    let pick = |at: usize| &all[at % all.len()];
    match *m {
        Mutation::Delete { at } => {
            let path = pick(at);
            if let Some((&last, parent)) = path.split_last() {
                match node_mut(v, parent) {
                    J::Arr(items) => {
                        items.remove(last);
                    }
                    J::Obj(members) => {
                        members.remove(last);
                    }
                    _ => {}
                }
            }
        }
        Mutation::Repeat { at } => {
            let path = pick(at);
            if let Some((&last, parent)) = path.split_last() {
                if let J::Obj(members) = node_mut(v, parent) {
                    let copy = members[last].clone();
                    members.push(copy);
                    return false;
                }
            }
        }
        Mutation::Add { at, name } => {
            let path = pick(at).clone();
            if let J::Obj(members) = node_mut(v, &path) {
                if members.iter().any(|(k, _)| k == NAMES[name]) {
                    return true;
                }
                members.push((NAMES[name].into(), J::Str("x".into())));
            }
        }
        Mutation::Retype { at, with } => {
            let path = pick(at).clone();
            *node_mut(v, &path) = J::Num(ODD_VALUES[with].into());
            // A raw piece of JSON text: `1e400` is not a plain reader's float, and `-0` is a float to serde_json but
            // the integer 0 to this crate's reader (equal numbers, written back as `0`).
            return !["1e400", "-1e400", "1E-400", "-0"].contains(&ODD_VALUES[with]);
        }
        Mutation::Nest { at, levels, how } => {
            let path = pick(at).clone();
            let node = node_mut(v, &path);
            let mut inner = std::mem::replace(node, J::Null);
            for _ in 0..levels {
                inner = match how {
                    0 => J::Arr(vec![inner]),
                    1 => J::Obj(vec![("Nested".into(), inner)]),
                    _ => J::Obj(vec![("Type".into(), J::Str("Not".into())), ("Condition".into(), inner)]),
                };
            }
            *node = inner;
            // serde_json refuses nesting deeper than 128 levels as this crate does; compare only below that.
            return levels < 100;
        }
        Mutation::Huge { at, len, unit } => {
            let unit = ["a", "é", "\"\\", "😀x."][usize::from(unit)];
            let path = pick(at).clone();
            let node = node_mut(v, &path);
            if let J::Str(s) = node {
                *s = unit.repeat(len / unit.len() + 1);
            }
        }
        Mutation::ManySteps { times, rename } => {
            if let Some(steps) = v.steps_mut() {
                let original = steps.clone();
                // At most about 400 steps: a case stays within a few MiB (the linearity test has larger ones).
                let times = times.min(400 / original.len().max(1));
                for t in 0..times {
                    for s in &original {
                        let mut s = s.clone();
                        if rename {
                            if let Some(J::Str(n)) = s.member_mut("Name") {
                                n.push_str(&format!("-{t}"));
                            }
                        }
                        steps.push(s);
                    }
                }
            }
        }
        Mutation::Depend { from, to, trigger } => {
            let names = step_names(v);
            if names.is_empty() {
                return true;
            }
            let target = names[to % names.len()].clone();
            let steps = v.steps_mut().unwrap();
            let n = steps.len();
            if let J::Obj(members) = &mut steps[from % n] {
                let entry = if trigger {
                    J::Obj(vec![("Step".into(), J::Str(target)), ("Trigger".into(), J::Str("Failed".into()))])
                } else {
                    J::Str(target)
                };
                match members.iter_mut().find(|(k, _)| k == "DependsOn") {
                    Some((_, J::Arr(items))) => items.push(entry),
                    Some(_) => {}
                    None => members.push(("DependsOn".into(), J::Arr(vec![entry]))),
                }
            }
        }
        Mutation::Kind { step, kind } => {
            if let Some(steps) = v.steps_mut().filter(|s| !s.is_empty()) {
                let n = steps.len();
                if let Some(t) = steps[step % n].member_mut("Type") {
                    *t = J::Str(KINDS[kind].into());
                }
            }
        }
        Mutation::Expression { at, which, step } => {
            let names = step_names(v);
            let name = names.get(step % names.len().max(1)).cloned().unwrap_or_else(|| "Missing".into());
            let path = pick(at).clone();
            *node_mut(v, &path) = expression(which, &name);
        }
        Mutation::SwapArguments { a, b } => {
            if let Some(steps) = v.steps_mut().filter(|s| !s.is_empty()) {
                let n = steps.len();
                let (a, b) = (a % n, b % n);
                let take = |s: &mut J| s.member_mut("Arguments").map(|x| std::mem::replace(x, J::Null));
                if let (Some(x), Some(y)) = (take(&mut steps[a]), take(&mut steps[b])) {
                    *steps[a].member_mut("Arguments").unwrap() = y;
                    *steps[b].member_mut("Arguments").unwrap() = x;
                }
            }
        }
        Mutation::Branch { step, condition, else_branch } => {
            if let Some(steps) = v.steps_mut().filter(|s| s.len() >= 2) {
                let n = steps.len();
                let conditions: Vec<usize> = (0..n)
                    .filter(|&i| matches!(steps[i].member("Type"), Some(J::Str(t)) if t == "Condition"))
                    .collect();
                let Some(&c) = conditions.get(condition % conditions.len().max(1)) else { return true };
                let moved = steps[step % n].clone();
                let branch = if else_branch { "ElseSteps" } else { "IfSteps" };
                if let Some(J::Obj(args)) = steps[c].member_mut("Arguments") {
                    match args.iter_mut().find(|(k, _)| k == branch) {
                        Some((_, J::Arr(items))) => items.push(moved),
                        Some(_) => {}
                        None => args.push((branch.into(), J::Arr(vec![moved]))),
                    }
                }
                if step % n != c {
                    steps.remove(step % n);
                }
            }
        }
    }
    true
}

#[derive(Clone, Debug)]
enum Damage {
    None,
    Cut { at: usize },
    Byte { at: usize, byte: u8 },
}

#[derive(Clone, Debug)]
struct Case {
    seed: usize,
    mutations: Vec<Mutation>,
    damage: Damage,
}

impl Case {
    /// The text, and whether it is plain JSON (its value survives a plain reader).
    fn text(&self) -> (String, bool) {
        let seeds = seeds();
        let mut v = seeds[self.seed % seeds.len()].1.clone();
        let mut plain = true;
        for m in &self.mutations {
            plain &= mutate(&mut v, m);
        }
        let mut text = v.text();
        match self.damage {
            Damage::None => {}
            Damage::Cut { at } => {
                let mut at = at % (text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                text.truncate(at);
                plain = false;
            }
            Damage::Byte { at, byte } => {
                let mut bytes = text.into_bytes();
                if !bytes.is_empty() {
                    let n = bytes.len();
                    bytes[at % n] = byte;
                }
                text = String::from_utf8_lossy(&bytes).into_owned();
                plain = false;
            }
        }
        (text, plain)
    }
}

fn case() -> impl Strategy<Value = Case> {
    let damage = prop_oneof![
        8 => Just(Damage::None),
        1 => any::<usize>().prop_map(|at| Damage::Cut { at }),
        1 => (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Damage::Byte { at, byte }),
    ];
    (any::<usize>(), prop::collection::vec(mutation(), 0..6), damage).prop_map(|(seed, mutations, damage)| Case {
        seed,
        mutations,
        damage,
    })
}

/// Read, check and write back `text`: no panic, and what is written reads back to the same definition.
fn read_check_write(text: &str, plain: bool) -> Result<(), TestCaseError> {
    let Ok(d) = PipelineDefinition::from_json(text) else { return Ok(()) };
    let found = d.check();
    if let Err(e) = &found {
        let shown = e.to_string();
        // A line saying how many, then one problem a line.
        prop_assert_eq!(shown.lines().count(), e.issues().len() + 1, "one problem a line: {}", shown);
        for issue in e.issues() {
            prop_assert!(issue.path().starts_with('$'), "a path starts with `$`: {}", issue);
        }
    }
    let written = d.to_json();
    let again = PipelineDefinition::from_json(&written);
    prop_assert!(again.is_ok(), "what to_json writes reads: {:?}", again.err());
    let again = again.unwrap();
    prop_assert_eq!(again.to_json(), written.clone(), "written text reads back to itself");
    prop_assert_eq!(again.check().err().map(|e| e.to_string()), found.err().map(|e| e.to_string()));
    if plain {
        if let Ok(theirs) = serde_json::from_str::<serde_json::Value>(text) {
            let ours: serde_json::Value = serde_json::from_str(&written).unwrap();
            prop_assert_eq!(theirs, ours, "to_json() equals the text as a JSON value");
        }
    }
    Ok(())
}

#[test]
fn mutated_definitions_read_check_and_write_back_without_panicking() {
    // Each case reads, checks and writes a definition of up to a few hundred KiB (dev profile).
    fuzz_support::run("definitions", 192, case(), |c| {
        let (text, plain) = c.text();
        read_check_write(&text, plain)
    });
}

/// Every seed as it is, and each cut at every 97th byte: the corpus itself is part of the property.
#[test]
fn the_seeds_and_their_cuts_read_check_and_write_back() {
    for (name, seed) in seeds() {
        let text = seed.text();
        read_check_write(&text, true).unwrap_or_else(|e| panic!("{name}: {e}"));
        for at in (0..text.len()).step_by(97) {
            read_check_write(&text[..at], false).unwrap_or_else(|e| panic!("{name} cut at {at}: {e}"));
        }
    }
}

// ---- Linearity. ----

/// `n` copies of `unit(i)` joined by commas.
fn repeated(n: usize, unit: impl Fn(usize) -> String) -> String {
    let mut out = String::new();
    for i in 0..n {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&unit(i));
    }
    out
}

/// A definition of about `size` bytes with the given parameters and steps.
fn definition(parameters: &str, steps: &str) -> String {
    format!(r#"{{"Version":"2020-12-01","Parameters":[{parameters}],"Steps":[{steps}]}}"#)
}

/// The corpus's training step, as one object of JSON text with its name replaced by `{NAME}`.
fn training_step() -> String {
    let seeds = seeds();
    let (_, corpus) = seeds.iter().find(|(n, _)| n.ends_with("sdk2/training_processing.json")).unwrap();
    let mut corpus = corpus.clone();
    let steps = corpus.steps_mut().unwrap();
    let mut step =
        steps.iter_mut().find(|s| matches!(s.member("Type"), Some(J::Str(t)) if t == "Training")).unwrap().clone();
    *step.member_mut("Name").unwrap() = J::Str("{NAME}".into());
    if let J::Obj(m) = &mut step {
        m.retain(|(k, _)| k != "DependsOn");
    }
    // The corpus's references to other steps and parameters would not resolve here; they are problems of their own.
    step.text()
}

/// Hostile definitions of about `size` bytes: (name, text).
fn hostile(size: usize) -> Vec<(&'static str, String)> {
    let training = training_step();
    let lambda = |name: &str, extra: &str| {
        format!(r#"{{"Name":"{name}","Type":"Lambda","Arguments":{{}},"FunctionArn":"arn:aws:lambda:f"{extra}}}"#)
    };
    let mut out = Vec::new();
    // Many training steps, each reading the model of the one before.
    let n = size / (training.len() + 80);
    out.push((
        "many training steps",
        definition(
            "",
            &repeated(n, |i| {
                let mut s = training.replace("{NAME}", &format!("T{i}"));
                if i > 0 {
                    s.insert_str(1, &format!(r#""DependsOn":["T{}"],"#, i - 1));
                }
                s
            }),
        ),
    ));
    // A cycle through every step.
    let n = size / 110;
    out.push((
        "a long cycle",
        definition("", &repeated(n, |i| lambda(&format!("S{i}"), &format!(r#","DependsOn":["S{}"]"#, (i + 1) % n)))),
    ));
    // Nesting 120 levels deep under long names, then many bad `Get`s inside: each problem's path is long.
    let depth = 120;
    let key = "k".repeat(size / 2 / depth);
    let mut nested = String::new();
    for _ in 0..depth {
        let _ = write!(nested, r#"{{"{key}":"#);
    }
    nested.push('{');
    nested.push_str(&repeated(size / 2 / 30, |i| format!(r#""m{i}":{{"Get":"Parameters.P{i}"}}"#)));
    nested.push('}');
    nested.push_str(&"}".repeat(depth));
    out.push((
        "deep long names, many problems inside",
        definition("", &format!(r#"{{"Name":"L","Type":"Lambda","Arguments":{nested}}}"#)),
    ));
    // The same in a step of a kind the tables know: the walker's paths.
    let mut nested = String::new();
    let _ = write!(nested, r#"{{"HyperParameters":{{"{key}":"#);
    nested.push('{');
    nested.push_str(&repeated(size / 2 / 30, |i| format!(r#""m{i}":{{"Get":"Parameters.P{i}"}}"#)));
    nested.push_str("}}}");
    out.push((
        "a long map key, many problems inside",
        definition("", &format!(r#"{{"Name":"T","Type":"Training","Arguments":{nested}}}"#)),
    ));
    // Many references to steps and parameters that do not exist.
    let n = size / 60;
    out.push((
        "many undeclared references",
        definition(
            r#"{"Name":"Declared","Type":"String"}"#,
            &lambda(
                "L",
                &format!(
                    r#","DependsOn":[{}]"#,
                    repeated(n, |i| if i % 2 == 0 { format!(r#""Missing{i}""#) } else { format!(r#""Declarex{i}""#) })
                ),
            ),
        ),
    ));
    let n = size / 50;
    out.push((
        "many undeclared parameters",
        definition(
            r#"{"Name":"Declared","Type":"String"}"#,
            &format!(
                r#"{{"Name":"L","Type":"Lambda","Arguments":{{"A":[{}]}},"FunctionArn":"f"}}"#,
                repeated(n, |i| format!(r#"{{"Get":"Parameters.Declarex{i}"}}"#))
            ),
        ),
    ));
    // A Lambda step with many output parameters, each read by another step.
    let n = size / 110;
    let outputs = repeated(n, |i| format!(r#"{{"OutputName":"o{i}","OutputType":"String"}}"#));
    let reads = repeated(n, |i| format!(r#""a{i}":{{"Get":"Steps.L.OutputParameters['o{i}']"}}"#));
    out.push((
        "many output parameters read",
        definition(
            "",
            &format!(
                r#"{},{{"Name":"R","Type":"Lambda","FunctionArn":"f","Arguments":{{{reads}}}}}"#,
                lambda("L", &format!(r#","OutputParameters":[{outputs}]"#)),
            ),
        ),
    ));
    // A step with many property files, each read by another step.
    let n = size / 170;
    let files = repeated(n, |i| format!(r#"{{"PropertyFileName":"f{i}","OutputName":"o","FilePath":"e.json"}}"#));
    let reads = repeated(n, |i| {
        format!(r#""a{i}":{{"Std:JsonGet":{{"PropertyFile":{{"Get":"Steps.L.PropertyFiles.f{i}"}},"Path":"p"}}}}"#)
    });
    out.push((
        "many property files read",
        definition(
            "",
            &format!(
                r#"{},{{"Name":"R","Type":"Lambda","FunctionArn":"f","Arguments":{{{reads}}}}}"#,
                lambda("L", &format!(r#","PropertyFiles":[{files}]"#)),
            ),
        ),
    ));
    // A huge default, used in many slots with a pattern.
    let default = "a".repeat(size / 2);
    let n = size / 2 / 50;
    out.push((
        "a huge default used in many places",
        definition(
            &format!(r#"{{"Name":"Big","Type":"String","DefaultValue":"{default}"}}"#),
            &format!(
                r#"{{"Name":"T","Type":"Training","Arguments":{{"HyperParameters":{{{}}}}}}}"#,
                repeated(n, |i| format!(r#""h{i}":{{"Get":"Parameters.Big"}}"#))
            ),
        ),
    ));
    // Many unknown members of a structure, each near a real one.
    let n = size / 24;
    out.push((
        "many unknown members",
        definition(
            "",
            &format!(
                r#"{{"Name":"T","Type":"Training","Arguments":{{"ResourceConfig":{{{}}}}}}}"#,
                repeated(n, |i| format!(r#""InstanceTyp{i}":1"#))
            ),
        ),
    ));
    // One member repeated many times, in a step and in the arguments.
    let n = size / 40;
    out.push((
        "a member repeated",
        definition(
            "",
            &format!(
                r#"{{"Name":"T","Type":"Training",{},"Arguments":{{{}}}}}"#,
                repeated(n, |_| r#""DisplayName":"d""#.into()),
                repeated(n, |_| r#""RoleArn":"r""#.into())
            ),
        ),
    ));
    // Many parameters, all with the same name.
    let n = size / 40;
    out.push((
        "many parameters of one name",
        definition(&repeated(n, |_| r#"{"Name":"P","Type":"Integer","DefaultValue":"x"}"#.into()), ""),
    ));
    // Conditions nested as deep as the reader goes, many times.
    let not = |inner: &str| format!(r#"{{"Type":"Not","Condition":{inner}}}"#);
    let mut deep = r#"{"Type":"Equals","LeftValue":{"Get":"Parameters.X"},"RightValue":1}"#.to_owned();
    for _ in 0..60 {
        deep = not(&deep);
    }
    let n = size / deep.len();
    out.push((
        "deep conditions",
        definition(
            "",
            &format!(
                r#"{{"Name":"C","Type":"Condition","Arguments":{{"Conditions":[{}]}}}}"#,
                repeated(n, |_| deep.clone())
            ),
        ),
    ));
    // Condition steps nested in each other's branches, as deep as the reader goes, under long names.
    let mut nested = lambda("Leaf", "");
    let long = "n".repeat(60);
    for i in 0..40 {
        nested = format!(
            r#"{{"Name":"{long}{i}","Type":"Condition","Arguments":{{"Conditions":[],"IfSteps":[{nested}]}}}}"#
        );
    }
    let n = size / nested.len();
    out.push(("nested branches", definition("", &repeated(n, |_| nested.clone()))));
    out
}

#[test]
fn reading_and_checking_hostile_definitions_costs_allocations_linear_in_their_size() {
    // 128 KiB against 256 KiB: a cost quadratic in the size would be 4 times; linear, 2 times (and a little for the
    // growth of vectors).
    let small_size = 128 << 10;
    let measure = |text: &str| {
        let before = allocated();
        let start = Instant::now();
        if let Ok(d) = PipelineDefinition::from_json(text) {
            let _ = std::hint::black_box(d.check());
        }
        let after = allocated();
        (after.0 - before.0, after.1 - before.1, start.elapsed())
    };
    let mut failures = Vec::new();
    for ((name, small), (_, large)) in hostile(small_size).into_iter().zip(hostile(2 * small_size)) {
        if let Err(e) = PipelineDefinition::from_json(&small) {
            panic!("{name}: {e}: {}", &small[..small.len().min(300)]);
        }
        let growth = large.len() as f64 / small.len() as f64;
        assert!((1.8..2.2).contains(&growth), "{name}: {} and {} bytes", small.len(), large.len());
        let (sn, sb, st) = measure(&small);
        let (ln, lb, lt) = measure(&large);
        let (rn, rb) = (ln as f64 / sn as f64, lb as f64 / sb as f64);
        println!(
            "{name}: {} → {} bytes: allocations ×{rn:.2}, bytes allocated ×{rb:.2}, time {:.1} → {:.1} ms",
            small.len(),
            large.len(),
            st.as_secs_f64() * 1e3,
            lt.as_secs_f64() * 1e3
        );
        if rn > 2.5 || rb > 2.5 {
            failures.push(format!("{name}: allocations ×{rn:.2}, bytes ×{rb:.2} for twice the text"));
        }
    }
    assert!(failures.is_empty(), "not linear:\n{}", failures.join("\n"));
}
