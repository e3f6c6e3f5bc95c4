//! Property: the generator never panics on a model. Whatever the JSON (the fixture models, the project's model and
//! the upstream SageMaker model restricted to the pipeline operations, each mutated: keys deleted, values replaced by
//! values of other kinds and huge numbers, shape types changed, targets swapped and left dangling, cycles through
//! members, mixins and collections, weird names, known traits with bad values and unknown traits), loading and
//! generating returns a crate or an error, and never an internal error (a panic in a generator thread, or generated
//! code that does not parse). Model text cut short or with a byte changed is refused by the loader, never a panic.
//!
//! The inputs are bounded (a handful of mutations of models of at most a few hundred shapes), so a case cannot run
//! long; `cargo xtask fuzz` reports the slowest. See `fuzz_support` for the case counts and `cargo xtask fuzz`.

mod fuzz_support;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use codegen::{Request, Selection};
use proptest::prelude::*;
use serde_json::{json, Value};

/// The models mutated: name and JSON.
fn bases() -> &'static [(String, Value)] {
    static BASES: OnceLock<Vec<(String, Value)>> = OnceLock::new();
    BASES.get_or_init(|| {
        let root = project_tests::root();
        let read = |path: &std::path::Path| -> Value {
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
        };
        let mut out: Vec<(String, Value)> = project_tests::fixtures()
            .into_iter()
            .map(|name| {
                let v = read(&root.join(format!("tests/fixtures/{name}.json")));
                (name, v)
            })
            .collect();
        out.push(("sagemaker-pipelines".into(), read(&root.join("models/sagemaker-pipelines.json"))));
        match project_tests::upstream_model() {
            Some(upstream) => out.push(("upstream-pipelines".into(), restrict_to_pipelines(read(&upstream)))),
            None => println!("the upstream model is absent: fuzzing the fixtures and the project's model only"),
        }
        out
    })
}

/// The upstream model cut down to the service, its pipeline operations (those of `models/codegen.toml`) and their
/// closure, with the upstream documentation and endpoint rules kept.
fn restrict_to_pipelines(mut model: Value) -> Value {
    let cfg = codegen::config::load(&project_tests::root().join("models/codegen.toml")).unwrap();
    let Selection::Named(ops) = &cfg.selection else { panic!("the settings name the operations") };
    let service_id = cfg.service.clone().expect("the settings name the service");
    let shapes = model["shapes"].as_object_mut().unwrap();
    let ns = service_id.split('#').next().unwrap().to_owned();
    let wanted: Vec<Value> = ops.iter().map(|op| json!({ "target": format!("{ns}#{op}") })).collect();
    shapes[&service_id]["operations"] = Value::Array(wanted);
    shapes[&service_id].as_object_mut().unwrap().remove("resources");
    let mut keep = BTreeSet::new();
    let mut todo = vec![service_id];
    while let Some(id) = todo.pop() {
        if !keep.insert(id.clone()) {
            continue;
        }
        if let Some(shape) = shapes.get(&id) {
            let mut targets = Vec::new();
            collect_targets(shape, &mut targets);
            todo.extend(targets.into_iter().filter(|t| shapes.contains_key(t)));
        }
    }
    shapes.retain(|id, _| keep.contains(id));
    model
}

fn collect_targets(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("target", Value::String(s)) => out.push(s.clone()),
                    ("traits", _) => {}
                    _ => collect_targets(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_targets(v, out)),
        _ => {}
    }
}

/// Values of every kind, and the extremes of numbers.
const WEIRD_VALUES: &[&str] = &[
    "null",
    "true",
    "0",
    "-1",
    "0.5",
    "1e308",
    "-1e308",
    "18446744073709551615",
    "-9223372036854775808",
    "4294967296",
    "\"\"",
    "\"😀\"",
    "\"a\\u0000b\"",
    "\"<p>unclosed <a href='x'>\"",
    "[]",
    "[null]",
    "{}",
    "{\"a\":{}}",
];

/// Names that collide with Rust keywords, prelude items, generated names and each other, or are not names at all.
const WEIRD_NAMES: &[&str] = &[
    "",
    " ",
    "a b",
    "type",
    "Self",
    "self",
    "crate",
    "super",
    "r#type",
    "_",
    "__",
    "1abc",
    "Ünïcödé",
    "x²",
    "٣",
    "😀",
    "com.example#",
    "#",
    "a#b#c",
    "Foo$bar",
    "fooBar",
    "FooBar",
    "foo_bar",
    "FOO_BAR",
    "Option",
    "Result",
    "String",
    "Box",
    "Vec",
    "Some",
    "None",
    "Unknown",
    "Builder",
    "Error",
    "Client",
    "Config",
    "Unhandled",
    "smithy.api#String",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
];

/// Shape types, known and not.
const TYPES: &[&str] = &[
    "structure",
    "union",
    "list",
    "set",
    "map",
    "string",
    "enum",
    "intEnum",
    "integer",
    "long",
    "byte",
    "short",
    "float",
    "double",
    "bigInteger",
    "bigDecimal",
    "boolean",
    "blob",
    "timestamp",
    "document",
    "operation",
    "service",
    "resource",
    "apply",
    "bogus",
    "",
];

/// Targets: prelude shapes, dangling and malformed ids (and, by index, every shape of the model).
const TARGETS: &[&str] = &[
    "smithy.api#String",
    "smithy.api#Unit",
    "smithy.api#PrimitiveInteger",
    "smithy.api#Document",
    "smithy.api#Timestamp",
    "smithy.api#Blob",
    "smithy.api#BigDecimal",
    "smithy.api#Nope",
    "com.example#Nope",
    "no-namespace",
    "",
];

/// Traits with values that are wrong, extreme or unusual, and traits nobody knows.
fn weird_traits() -> Vec<(&'static str, Value)> {
    vec![
        ("smithy.api#length", json!({"min": 5, "max": 1})),
        ("smithy.api#length", json!({"min": -1})),
        ("smithy.api#length", json!({"max": 1e300})),
        ("smithy.api#length", json!({"min": "x"})),
        ("smithy.api#length", json!({"min": 18446744073709551615u64})),
        ("smithy.api#range", json!({"min": 10, "max": 1})),
        ("smithy.api#range", json!({"min": 0.5, "max": 0.6})),
        ("smithy.api#range", json!({"min": -1e308, "max": 1e308})),
        ("smithy.api#range", json!({"min": "1"})),
        ("smithy.api#pattern", json!("(")),
        ("smithy.api#pattern", json!("^a{2,1}$")),
        ("smithy.api#pattern", json!("\\")),
        ("smithy.api#pattern", json!("(?<=a+)b")),
        ("smithy.api#pattern", json!("\\1(a)")),
        ("smithy.api#pattern", json!("[z-a]")),
        ("smithy.api#pattern", json!("\\p{Nope}")),
        ("smithy.api#pattern", json!("^a{1000}$")),
        ("smithy.api#pattern", json!("^(a*)*$")),
        ("smithy.api#pattern", json!("")),
        ("smithy.api#pattern", json!(5)),
        ("smithy.api#required", json!({})),
        ("smithy.api#required", json!(5)),
        ("smithy.api#default", Value::Null),
        ("smithy.api#default", json!("x")),
        ("smithy.api#default", json!(5)),
        ("smithy.api#default", json!(-1.5)),
        ("smithy.api#default", json!(1e308)),
        ("smithy.api#default", json!([])),
        ("smithy.api#default", json!({})),
        ("smithy.api#default", json!(true)),
        ("smithy.api#clientOptional", json!({})),
        ("smithy.api#paginated", json!({"inputToken": "Nope", "outputToken": "A.B.C", "items": "X", "pageSize": "Y"})),
        ("smithy.api#paginated", json!({})),
        ("smithy.api#paginated", json!({"outputToken": "..", "items": ""})),
        ("smithy.api#idempotencyToken", json!({})),
        ("smithy.api#error", json!("client")),
        ("smithy.api#error", json!("bogus")),
        ("smithy.api#httpError", json!(99999)),
        ("smithy.api#timestampFormat", json!("epoch-seconds")),
        ("smithy.api#timestampFormat", json!("bogus")),
        ("smithy.api#sensitive", json!({})),
        ("smithy.api#deprecated", json!({"message": 5})),
        ("smithy.api#deprecated", json!({"message": "*/ \" } ]] </p>", "since": "x"})),
        ("smithy.api#documentation", json!("<p><b>unclosed <a href=\"x\">link <code>`x`</code></p> ``` */ #[x]")),
        ("smithy.api#documentation", json!("\u{0}\u{1b}[31m\r\n\u{2028}")),
        ("smithy.api#documentation", json!(["not", "a", "string"])),
        ("smithy.api#enumValue", json!("x")),
        ("smithy.api#enumValue", json!(5)),
        ("smithy.api#enumValue", json!(-2147483649i64)),
        ("smithy.api#enumValue", Value::Null),
        ("smithy.api#uniqueItems", json!({})),
        ("smithy.api#sparse", json!({})),
        ("smithy.api#mixin", json!({})),
        ("smithy.api#input", json!({})),
        ("smithy.api#output", json!({})),
        ("smithy.api#endpoint", json!({"hostPrefix": "{Nope}."})),
        ("smithy.api#endpoint", json!({"hostPrefix": ""})),
        ("smithy.api#hostLabel", json!({})),
        ("smithy.api#requestCompression", json!({"encodings": ["gzip", "br"]})),
        ("smithy.api#enum", json!([{"value": "a"}, {"value": "a"}])),
        ("smithy.rules#endpointRuleSet", json!({})),
        ("smithy.rules#endpointRuleSet", json!({"version": "1.0", "parameters": {}, "rules": [{"type": "bogus"}]})),
        ("smithy.rules#endpointTests", json!({"testCases": [{}]})),
        (
            "smithy.rules#endpointTests",
            json!({"version": "1.0", "testCases": [{"params": {"Region": 5}, "expect": {}}]}),
        ),
        ("smithy.test#httpRequestTests", json!([{}])),
        (
            "smithy.test#httpResponseTests",
            json!([{"id": "x", "protocol": "aws.protocols#awsJson1_1", "code": 200, "params": {"Nope": 1}}]),
        ),
        (
            "smithy.test#httpResponseTests",
            json!([{"id": "x²", "protocol": "aws.protocols#awsJson1_1", "code": 200, "params": {}}]),
        ),
        (
            "smithy.rules#endpointRuleSet",
            json!({"version": "1.0", "parameters": {"Region²": {"type": "String"}}, "rules": []}),
        ),
        ("aws.protocols#awsJson1_0", json!({})),
        ("aws.protocols#restJson1", json!({})),
        ("aws.protocols#awsQueryCompatible", json!({})),
        ("smithy.waiters#waitable", json!({"W": {"acceptors": [{"state": "bogus", "matcher": {}}]}})),
        ("com.example#unknown", json!({"x": [1]})),
        ("unknown", json!(5)),
    ]
}

/// One change to a model. Every index picks among the candidates present when the change is applied (modulo their
/// number), so any list of changes applies to any model, and shrinking drops changes or lowers indices.
#[derive(Debug, Clone)]
enum Mutation {
    /// Remove a key of an object.
    Delete { at: usize },
    /// Replace a value by one of [`WEIRD_VALUES`].
    Replace { at: usize, with: usize },
    /// Change a shape's `type`.
    SetType { shape: usize, to: usize },
    /// Point a `target` at another shape, a prelude shape or nothing.
    Retarget { at: usize, to: usize },
    /// A required member of a structure or union targeting itself, a collection of itself, or a mixin of itself.
    Cycle { shape: usize, how: usize },
    /// Rename a shape or a member.
    Rename { at: usize, to: usize },
    /// Add (or overwrite) a trait on a shape or a member.
    AddTrait { at: usize, which: usize },
    /// Copy a shape under another name.
    Duplicate { shape: usize, to: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let i = || any::<usize>();
    prop_oneof![
        (i()).prop_map(|at| Mutation::Delete { at }),
        (i(), 0..WEIRD_VALUES.len()).prop_map(|(at, with)| Mutation::Replace { at, with }),
        (i(), 0..TYPES.len()).prop_map(|(shape, to)| Mutation::SetType { shape, to }),
        (i(), i()).prop_map(|(at, to)| Mutation::Retarget { at, to }),
        (i(), 0..4usize).prop_map(|(shape, how)| Mutation::Cycle { shape, how }),
        (i(), 0..WEIRD_NAMES.len()).prop_map(|(at, to)| Mutation::Rename { at, to }),
        (i(), i()).prop_map(|(at, which)| Mutation::AddTrait { at, which }),
        (i(), 0..WEIRD_NAMES.len()).prop_map(|(shape, to)| Mutation::Duplicate { shape, to }),
    ]
}

/// A JSON location: keys and indices from the root.
#[derive(Debug, Clone)]
enum Seg {
    Key(String),
    Index(usize),
}

fn walk(v: &Value, path: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    out.push(path.clone());
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                path.push(Seg::Key(k.clone()));
                walk(v, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                path.push(Seg::Index(i));
                walk(v, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn get_mut<'a>(mut v: &'a mut Value, path: &[Seg]) -> &'a mut Value {
    for seg in path {
        v = match seg {
            Seg::Key(k) => &mut v[k.as_str()],
            Seg::Index(i) => &mut v[*i],
        };
    }
    v
}

fn pick<T: Clone>(items: &[T], at: usize) -> Option<T> {
    (!items.is_empty()).then(|| items[at % items.len()].clone())
}

/// A shape, when the model's `shapes` is an object and the shape one too (mutations may have made them anything).
fn shape_mut<'a>(model: &'a mut Value, id: &str) -> Option<&'a mut serde_json::Map<String, Value>> {
    model.get_mut("shapes")?.get_mut(id)?.as_object_mut()
}

fn shape_ids(model: &Value) -> Vec<String> {
    model["shapes"].as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default()
}

/// The paths of shapes and of their members (where traits go, and what can be renamed).
fn trait_holders(model: &Value) -> Vec<Vec<Seg>> {
    let mut out = Vec::new();
    let Some(shapes) = model["shapes"].as_object() else { return out };
    for (id, shape) in shapes {
        let base = vec![Seg::Key("shapes".into()), Seg::Key(id.clone())];
        out.push(base.clone());
        if let Some(members) = shape["members"].as_object() {
            for name in members.keys() {
                let mut p = base.clone();
                p.extend([Seg::Key("members".into()), Seg::Key(name.clone())]);
                out.push(p);
            }
        }
        for key in ["member", "key", "value"] {
            if shape.get(key).is_some_and(Value::is_object) {
                let mut p = base.clone();
                p.push(Seg::Key(key.into()));
                out.push(p);
            }
        }
    }
    out
}

fn apply(model: &mut Value, m: &Mutation) {
    match *m {
        Mutation::Delete { at } => {
            let mut all = Vec::new();
            walk(model, &mut Vec::new(), &mut all);
            let keyed: Vec<_> = all.into_iter().filter(|p| matches!(p.last(), Some(Seg::Key(_)))).collect();
            if let Some(mut path) = pick(&keyed, at) {
                let Some(Seg::Key(k)) = path.pop() else { unreachable!() };
                if let Value::Object(map) = get_mut(model, &path) {
                    map.remove(&k);
                }
            }
        }
        Mutation::Replace { at, with } => {
            let mut all = Vec::new();
            walk(model, &mut Vec::new(), &mut all);
            if let Some(path) = pick(&all[1..], at) {
                *get_mut(model, &path) = serde_json::from_str(WEIRD_VALUES[with]).unwrap();
            }
        }
        Mutation::SetType { shape, to } => {
            if let Some(id) = pick(&shape_ids(model), shape) {
                if let Some(s) = shape_mut(model, &id) {
                    s.insert("type".into(), json!(TYPES[to]));
                }
            }
        }
        Mutation::Retarget { at, to } => {
            let mut all = Vec::new();
            walk(model, &mut Vec::new(), &mut all);
            let targets: Vec<_> =
                all.into_iter().filter(|p| matches!(p.last(), Some(Seg::Key(k)) if k == "target")).collect();
            let ids = shape_ids(model);
            let choices: Vec<String> = ids.into_iter().chain(TARGETS.iter().map(|s| s.to_string())).collect();
            if let (Some(path), Some(id)) = (pick(&targets, at), pick(&choices, to)) {
                *get_mut(model, &path) = json!(id);
            }
        }
        Mutation::Cycle { shape, how } => {
            let Some(id) = pick(&shape_ids(model), shape) else { return };
            let Some(s) = model["shapes"].get_mut(&id).filter(|s| s.is_object()) else { return };
            match how {
                0 => {
                    if !s["members"].is_object() {
                        s["members"] = json!({});
                    }
                    s["members"]["Loop"] = json!({"target": id, "traits": {"smithy.api#required": {}}});
                }
                1 => s["member"] = json!({"target": id}),
                2 => s["value"] = json!({"target": id}),
                _ => s["mixins"] = json!([{"target": id}]),
            }
        }
        Mutation::Rename { at, to } => {
            let Some(mut path) = pick(&trait_holders(model), at) else { return };
            let Some(Seg::Key(old)) = path.pop() else { return };
            let new = if path.len() == 1 {
                // A shape: keep a namespace when the weird name has none, so the id is at least well formed.
                let name = WEIRD_NAMES[to];
                if name.contains('#') {
                    name.to_owned()
                } else {
                    format!("{}#{name}", old.split('#').next().unwrap_or(""))
                }
            } else {
                WEIRD_NAMES[to].to_owned()
            };
            if let Value::Object(map) = get_mut(model, &path) {
                if let Some(v) = map.remove(&old) {
                    map.insert(new, v);
                }
            }
        }
        Mutation::AddTrait { at, which } => {
            let traits = weird_traits();
            let Some(path) = pick(&trait_holders(model), at) else { return };
            let (id, value) = traits[which % traits.len()].clone();
            let holder = get_mut(model, &path);
            if !holder.is_object() {
                return;
            }
            if !holder["traits"].is_object() {
                holder["traits"] = json!({});
            }
            holder["traits"][id] = value;
        }
        Mutation::Duplicate { shape, to } => {
            let Some(id) = pick(&shape_ids(model), shape) else { return };
            let ns = id.split('#').next().unwrap_or("").to_owned();
            if let Some(shapes) = model["shapes"].as_object_mut() {
                let copy = shapes[&id].clone();
                shapes.insert(format!("{ns}#{}", WEIRD_NAMES[to]), copy);
            }
        }
    }
}

/// A base model and the mutations applied to it.
#[derive(Clone)]
struct Case {
    base: usize,
    mutations: Vec<Mutation>,
}

impl std::fmt::Debug for Case {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (name, _) = &bases()[self.base % bases().len()];
        let mut d = f.debug_struct("Case");
        d.field("base", name).field("mutations", &self.mutations);
        // The mutated model itself, where it is short enough to read.
        let text = serde_json::to_string(&self.model()).unwrap_or_default();
        if text.len() <= 6_000 {
            d.field("model", &text);
        }
        d.finish()
    }
}

impl Case {
    fn model(&self) -> Value {
        let mut model = bases()[self.base % bases().len()].1.clone();
        for m in &self.mutations {
            apply(&mut model, m);
        }
        model
    }
}

fn case() -> impl Strategy<Value = Case> {
    (any::<usize>(), prop::collection::vec(mutation(), 1..6)).prop_map(|(base, mutations)| Case { base, mutations })
}

/// Generate a crate from model text: an error is fine, an internal error (a panic in a generator thread, generated
/// code that does not parse) is not.
fn generate(text: &str) -> Result<(), TestCaseError> {
    let Ok(model) = codegen::model::parse(text) else { return Ok(()) };
    let partitions = project_tests::root().join("models/partitions.json");
    let result = codegen::generate_from_model(
        &model,
        &Request {
            service: None,
            selection: &Selection::All,
            crate_name: "fuzzed",
            crate_version: "0.0.0",
            model_source: "fuzzed.json",
            partitions: Some(&partitions),
            examples: None,
            modules: None,
            definitions: None,
        },
    );
    match result {
        Err(e) if e.to_string().contains("internal error") => Err(TestCaseError::fail(format!("{e}"))),
        _ => Ok(()),
    }
}

#[test]
fn mutated_models_generate_or_are_refused_without_panicking() {
    fuzz_support::run("model_mutations", 48, case(), |case| {
        let text = serde_json::to_string(&case.model()).unwrap();
        generate(&text)
    });
}

#[test]
fn damaged_model_text_is_refused_without_panicking() {
    let strategy = (any::<usize>(), any::<usize>(), any::<u8>(), any::<bool>());
    fuzz_support::run("model_text", 256, strategy, |(base, at, byte, cut)| {
        let (_, model) = &bases()[base % bases().len()];
        let mut text = serde_json::to_string_pretty(model).unwrap().into_bytes();
        let at = at % text.len();
        if cut {
            text.truncate(at);
        } else {
            text[at] = byte;
        }
        // The loader takes text: bytes that are not UTF-8 never reach it. What still loads is generated, when small.
        match std::str::from_utf8(&text) {
            Ok(text) if text.len() < 8_000 => generate(text),
            Ok(text) => {
                let _ = codegen::model::parse(text);
                Ok(())
            }
            Err(_) => Ok(()),
        }
    });
}
