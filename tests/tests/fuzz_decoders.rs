//! Property: every operation of the generated crate decodes any response (its output on a 2xx status, its modeled
//! errors and unmodeled ones otherwise) into a value or an error, and never panics. The responses are served through
//! the public client by an in-memory `HttpClient`: realistic bodies built from the project's model (every member of
//! the operation's output or error, with values of the right kinds, unknown enum values and members), then damaged as
//! JSON (members deleted, values of other kinds, huge numbers, deep nesting) and as bytes (bytes changed, inserted and
//! removed, cuts, duplicated slices), and arbitrary bytes.
//!
//! Decoding is linear in the body: a test feeds hostile bodies of 1 KiB and of 256 KiB (1 MiB under
//! `cargo xtask fuzz`) to every operation and requires
//! that the allocations per byte (counted on the decoding thread by the global allocator below) do not grow with the
//! size; wall-clock times are printed, and reported by `cargo xtask fuzz`, not asserted.

mod fuzz_support;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

use proptest::prelude::*;
use sagemaker_pipelines::config::retry::RetryConfig;
use sagemaker_pipelines::error::DisplayErrorContext;
use sagemaker_pipelines::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, HttpRequest, HttpResponse,
    SharedHttpConnector,
};
use sagemaker_pipelines::Client;
use serde_json::{json, Value};

// ---- Counting allocations on the decoding thread. ----

#[global_allocator]
static GLOBAL: project_tests::alloc_count::Counting = project_tests::alloc_count::Counting;
use project_tests::alloc_count::allocated;

// ---- The client on an in-memory transport. ----

/// The response the transport gives to every request.
#[derive(Debug, Clone, Default)]
struct Reply {
    status: u16,
    error_type: Option<String>,
    body: Vec<u8>,
}

#[derive(Debug, Clone, Default)]
struct Scripted(Arc<Mutex<Reply>>);

impl HttpClient for Scripted {
    fn http_connector(
        &self,
        _: &HttpConnectorSettings,
        _: &aws_smithy_runtime_api::client::runtime_components::RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

impl HttpConnector for Scripted {
    fn call(&self, _: HttpRequest) -> HttpConnectorFuture {
        let reply = self.0.lock().unwrap().clone();
        let mut response =
            HttpResponse::new(reply.status.try_into().unwrap(), aws_smithy_types::body::SdkBody::from(reply.body));
        response.headers_mut().insert("x-amzn-requestid", "fuzz");
        if let Some(code) = reply.error_type {
            response.headers_mut().insert("x-amzn-errortype", code);
        }
        HttpConnectorFuture::ready(Ok(response))
    }
}

/// A client that sends any input (validation off), once (no retries), to the scripted transport.
fn client(transport: &Scripted) -> Client {
    Client::from_conf(
        project_tests::raw::config()
            .http_client(transport.clone())
            .retry_config(RetryConfig::standard().with_max_attempts(1))
            .validate_inputs(false)
            .build(),
    )
}

/// Every operation of the crate, by its fluent method; `call` sends an empty input and describes the outcome (the
/// output's and error's `Debug`, and the error's `Display` with its causes), so formatting is exercised too.
macro_rules! operations {
    ($($method:ident),* $(,)?) => {
        const OPERATIONS: &[&str] = &[$(stringify!($method)),*];

        async fn call(client: &Client, op: usize) -> Result<String, String> {
            let mut i = 0;
            $(
                if op == i {
                    return client
                        .$method()
                        .send()
                        .await
                        .map(|out| format!("{out:?}"))
                        .map_err(|e| format!("{e:?} {}", DisplayErrorContext(&e)));
                }
                i += 1;
            )*
            unreachable!("operation {op} of {i}")
        }
    };
}

operations!(
    create_pipeline,
    delete_pipeline,
    describe_pipeline,
    describe_pipeline_definition_for_execution,
    describe_pipeline_execution,
    list_pipeline_execution_steps,
    list_pipeline_executions,
    list_pipeline_parameters_for_execution,
    list_pipeline_versions,
    list_pipelines,
    retry_pipeline_execution,
    send_pipeline_execution_step_failure,
    send_pipeline_execution_step_success,
    start_pipeline_execution,
    stop_pipeline_execution,
    update_pipeline,
    update_pipeline_execution,
    update_pipeline_version,
);

/// Drives one client on a current-thread runtime, so every allocation of a call is counted on the caller's thread.
struct Harness {
    transport: Scripted,
    client: Client,
    runtime: tokio::runtime::Runtime,
}

impl Harness {
    fn new() -> Self {
        let transport = Scripted::default();
        let client = client(&transport);
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        Harness { transport, client, runtime }
    }

    fn call(&self, op: usize, reply: Reply) -> Result<String, String> {
        *self.transport.0.lock().unwrap() = reply;
        self.runtime.block_on(call(&self.client, op))
    }
}

// ---- Realistic bodies from the model. ----

struct Model {
    shapes: serde_json::Map<String, Value>,
    /// Per operation (in [`OPERATIONS`] order): the output shape and the modeled errors' shape ids.
    operations: Vec<(String, Vec<String>)>,
}

fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| {
        let text = std::fs::read_to_string(project_tests::root().join("models/sagemaker-pipelines.json")).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        let shapes = v["shapes"].as_object().unwrap().clone();
        let operations = OPERATIONS
            .iter()
            .map(|method| {
                let name: String = method.split('_').map(|w| w[..1].to_uppercase() + &w[1..]).collect();
                let op = shapes
                    .iter()
                    .find(|(id, s)| s["type"] == "operation" && id.ends_with(&format!("#{name}")))
                    .unwrap_or_else(|| panic!("{name} is in the model"))
                    .1;
                let output = op["output"]["target"].as_str().unwrap_or("smithy.api#Unit").to_owned();
                let errors = op["errors"]
                    .as_array()
                    .map(|e| e.iter().map(|e| e["target"].as_str().unwrap().to_owned()).collect())
                    .unwrap_or_default();
                (output, errors)
            })
            .collect();
        Model { shapes, operations }
    })
}

/// A small deterministic generator for the body's values (the proptest input holds its seed).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const STRINGS: &[&str] = &[
    "",
    "my-pipeline",
    "arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/abc",
    "é😀\u{0}\"\\/\n",
    "{\"Version\":\"2020-12-01\",\"Steps\":[]}",
];

/// A value for `target` with the right JSON kind (and, now and then, an unknown member or enum value).
fn realistic(target: &str, depth: usize, rng: &mut Rng) -> Value {
    let model = model();
    let Some(shape) = model.shapes.get(target) else {
        return match target {
            "smithy.api#Unit" => json!({}),
            _ => json!("x"),
        };
    };
    match shape["type"].as_str().unwrap_or("") {
        "structure" | "union" => {
            let mut obj = serde_json::Map::new();
            let members = shape["members"].as_object().cloned().unwrap_or_default();
            let union = shape["type"] == "union";
            for (name, member) in &members {
                if depth > 6 || (union && !obj.is_empty()) || rng.below(5) == 0 {
                    continue;
                }
                obj.insert(name.clone(), realistic(member["target"].as_str().unwrap_or(""), depth + 1, rng));
            }
            if rng.below(4) == 0 {
                obj.insert("UnknownMember".into(), json!({"nested": [1, "two", null]}));
            }
            Value::Object(obj)
        }
        "list" | "set" => {
            let n = if depth > 6 { 0 } else { rng.below(4) };
            let item = shape["member"]["target"].as_str().unwrap_or("").to_owned();
            Value::Array((0..n).map(|_| realistic(&item, depth + 1, rng)).collect())
        }
        "map" => {
            let n = if depth > 6 { 0 } else { rng.below(3) };
            let value = shape["value"]["target"].as_str().unwrap_or("").to_owned();
            Value::Object((0..n).map(|i| (format!("key{i}"), realistic(&value, depth + 1, rng))).collect())
        }
        "enum" => {
            let values: Vec<String> = shape["members"]
                .as_object()
                .map(|m| {
                    m.values().filter_map(|v| v["traits"]["smithy.api#enumValue"].as_str().map(str::to_owned)).collect()
                })
                .unwrap_or_default();
            if values.is_empty() || rng.below(5) == 0 {
                json!("SomethingNew")
            } else {
                json!(values[rng.below(values.len())])
            }
        }
        "string" => json!(rng.pick(STRINGS)),
        "boolean" => json!(rng.below(2) == 0),
        "integer" | "long" | "short" | "byte" | "intEnum" => json!(rng.below(1000) as i64 - 10),
        "float" | "double" | "bigDecimal" => match rng.below(4) {
            0 => json!("NaN"),
            1 => json!("-Infinity"),
            _ => json!(rng.below(1000) as f64 / 7.0),
        },
        "timestamp" => match rng.below(3) {
            0 => json!(1_700_000_000),
            1 => json!(1_700_000_000.125),
            _ => json!("2026-07-16T12:00:00Z"),
        },
        "blob" => json!("aGVsbG8="),
        "document" => json!({"a": [1, {"b": null}]}),
        _ => json!(null),
    }
}

// ---- Damage. ----

/// Values of other kinds, extremes and oddities, as JSON text (not all of it representable as a `serde_json::Value`).
const WEIRD_JSON: &[&str] = &[
    "null",
    "true",
    "0",
    "-0",
    "-1",
    "0.5",
    "1e400",
    "-1e400",
    "1e-400",
    "18446744073709551616",
    "-9223372036854775809",
    "2147483648",
    "99999999999999999999999999999999999999999",
    "\"\"",
    "\"NaN\"",
    "\"\\ud800\"",
    "\"\\u00\"",
    "\"\\x\"",
    "\"9999-99-99T99:99:99Z\"",
    "\"+275760-09-13T00:00:00Z\"",
    "\"====\"",
    "[]",
    "[null]",
    "{}",
    "{\"__type\":\"x\"}",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
];

#[derive(Debug, Clone)]
enum JsonDamage {
    /// Remove a key of an object.
    Delete { at: usize },
    /// Replace a value by one of [`WEIRD_JSON`] (spliced into the text).
    Replace { at: usize, with: usize },
    /// Wrap a value in `levels` arrays or objects (beyond the reader's nesting bound at times).
    Nest { at: usize, levels: usize, objects: bool },
    /// Put a value where a value's parent is (a list item for the list, a member for its structure).
    Hoist { at: usize },
}

#[derive(Debug, Clone)]
enum ByteDamage {
    Set { at: usize, byte: u8 },
    Insert { at: usize, text: usize },
    Remove { at: usize, len: usize },
    Cut { at: usize },
    Repeat { at: usize, len: usize, times: usize },
}

const INSERTS: &[&str] =
    &["\"", "{", "}", "[", "]", ",", ":", "\\", "0", "-", "e", "\u{ff}", "\u{0}", "null", "\"a\":1,"];

#[derive(Debug, Clone)]
enum Body {
    /// A realistic body (from its seed), damaged.
    Damaged { seed: u64, json: Vec<JsonDamage>, bytes: Vec<ByteDamage> },
    /// Any bytes.
    Raw(Vec<u8>),
}

/// One response to one operation: a success (`error` `None`) or an error (a modeled one by index, or one no model
/// knows, past the end of the list).
#[derive(Debug, Clone)]
struct Case {
    op: usize,
    error: Option<usize>,
    status: u16,
    body: Body,
}

fn json_damage() -> impl Strategy<Value = JsonDamage> {
    prop_oneof![
        any::<usize>().prop_map(|at| JsonDamage::Delete { at }),
        (any::<usize>(), 0..WEIRD_JSON.len()).prop_map(|(at, with)| JsonDamage::Replace { at, with }),
        (any::<usize>(), 1..200usize, any::<bool>()).prop_map(|(at, levels, objects)| JsonDamage::Nest {
            at,
            levels,
            objects
        }),
        any::<usize>().prop_map(|at| JsonDamage::Hoist { at }),
    ]
}

fn byte_damage() -> impl Strategy<Value = ByteDamage> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| ByteDamage::Set { at, byte }),
        (any::<usize>(), 0..INSERTS.len()).prop_map(|(at, text)| ByteDamage::Insert { at, text }),
        (any::<usize>(), 1..16usize).prop_map(|(at, len)| ByteDamage::Remove { at, len }),
        any::<usize>().prop_map(|at| ByteDamage::Cut { at }),
        (any::<usize>(), 1..64usize, 1..64usize).prop_map(|(at, len, times)| ByteDamage::Repeat { at, len, times }),
    ]
}

fn case() -> impl Strategy<Value = Case> {
    let body = prop_oneof![
        4 => (any::<u64>(), prop::collection::vec(json_damage(), 0..4), prop::collection::vec(byte_damage(), 0..3))
            .prop_map(|(seed, json, bytes)| Body::Damaged { seed, json, bytes }),
        1 => prop::collection::vec(any::<u8>(), 0..256).prop_map(Body::Raw),
    ];
    let status = prop_oneof![Just(200u16), Just(400u16), Just(404u16), Just(500u16), Just(503u16), Just(204u16)];
    (0..OPERATIONS.len(), prop::option::of(0..8usize), status, body).prop_map(|(op, error, status, body)| Case {
        op,
        error,
        status,
        body,
    })
}

/// Paths of a JSON value's nodes, as a list of keys and indices.
fn nodes(v: &Value, path: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    out.push(path.clone());
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                path.push(json!(k));
                nodes(v, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                path.push(json!(i));
                nodes(v, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn node_mut<'a>(mut v: &'a mut Value, path: &[Value]) -> &'a mut Value {
    for seg in path {
        v = match seg {
            Value::String(k) => &mut v[k.as_str()],
            Value::Number(i) => &mut v[i.as_u64().unwrap() as usize],
            _ => unreachable!(),
        };
    }
    v
}

/// A placeholder spliced into the text afterwards, for values a `Value` cannot hold (`1e400`, bad escapes).
const SPLICE: &str = "\u{1}splice\u{1}";

impl Case {
    /// The error shape the case answers with: a modeled one, or an unknown code.
    fn error_shape(&self) -> Option<String> {
        let errors = &model().operations[self.op].1;
        self.error.map(|i| errors.get(i).cloned().unwrap_or_else(|| "com.example#NoSuchError".into()))
    }

    fn reply(&self) -> Reply {
        let error_shape = self.error_shape();
        let status = if error_shape.is_some() && self.status < 300 { 400 } else { self.status };
        let error_type = error_shape.as_ref().map(|s| s.rsplit('#').next().unwrap().to_owned());
        let body = match &self.body {
            Body::Raw(bytes) => bytes.clone(),
            Body::Damaged { seed, json, bytes } => {
                let target = error_shape.unwrap_or_else(|| model().operations[self.op].0.clone());
                let mut value = realistic(&target, 0, &mut Rng(*seed));
                let mut splices = Vec::new();
                for d in json {
                    damage_json(&mut value, d, &mut splices);
                }
                let mut text = value.to_string();
                for s in splices {
                    text = text.replacen(&format!("\"{SPLICE}\""), s, 1);
                }
                let mut body = text.into_bytes();
                for d in bytes {
                    damage_bytes(&mut body, d);
                }
                body
            }
        };
        Reply { status, error_type, body }
    }
}

fn damage_json(value: &mut Value, d: &JsonDamage, splices: &mut Vec<&'static str>) {
    let mut all = Vec::new();
    nodes(value, &mut Vec::new(), &mut all);
    match *d {
        JsonDamage::Delete { at } => {
            let keyed: Vec<_> = all.into_iter().filter(|p| matches!(p.last(), Some(Value::String(_)))).collect();
            if keyed.is_empty() {
                return;
            }
            let mut path = keyed[at % keyed.len()].clone();
            let Some(Value::String(k)) = path.pop() else { unreachable!() };
            if let Value::Object(map) = node_mut(value, &path) {
                map.remove(&k);
            }
        }
        JsonDamage::Replace { at, with } => {
            let path = &all[at % all.len()];
            *node_mut(value, path) = json!(SPLICE);
            splices.push(WEIRD_JSON[with]);
        }
        JsonDamage::Nest { at, levels, objects } => {
            let path = &all[at % all.len()];
            let node = node_mut(value, path);
            let mut v = node.take();
            for _ in 0..levels {
                v = if objects { json!({ "Nested": v }) } else { json!([v]) };
            }
            *node = v;
        }
        JsonDamage::Hoist { at } => {
            let deep: Vec<_> = all.into_iter().filter(|p| p.len() >= 2).collect();
            if deep.is_empty() {
                return;
            }
            let path = &deep[at % deep.len()];
            let child = node_mut(value, path).clone();
            *node_mut(value, &path[..path.len() - 1]) = child;
        }
    }
}

fn damage_bytes(body: &mut Vec<u8>, d: &ByteDamage) {
    let len = body.len();
    if len == 0 {
        return;
    }
    match *d {
        ByteDamage::Set { at, byte } => body[at % len] = byte,
        ByteDamage::Insert { at, text } => {
            let at = at % (len + 1);
            body.splice(at..at, INSERTS[text].bytes());
        }
        ByteDamage::Remove { at, len: n } => {
            let at = at % len;
            body.drain(at..(at + n).min(len));
        }
        ByteDamage::Cut { at } => body.truncate(at % len),
        ByteDamage::Repeat { at, len: n, times } => {
            let at = at % len;
            let slice = body[at..(at + n).min(len)].to_vec();
            for _ in 0..times {
                body.splice(at..at, slice.iter().copied());
            }
        }
    }
}

// ---- The properties. ----

fn harness() -> &'static Mutex<Harness> {
    static HARNESS: OnceLock<Mutex<Harness>> = OnceLock::new();
    HARNESS.get_or_init(|| Mutex::new(Harness::new()))
}

#[test]
fn every_operation_decodes_damaged_and_arbitrary_responses_without_panicking() {
    fuzz_support::run("decoders", 512, case(), |case| {
        let reply = case.reply();
        let harness = harness().lock().unwrap_or_else(|e| e.into_inner());
        // A panic inside is caught by the runner and reported with the (shrunk) case.
        let outcome = harness.call(case.op, reply);
        // An undamaged success body is decoded into the output; anything may fail, nothing may panic.
        if let Body::Damaged { json, bytes, .. } = &case.body {
            if json.is_empty() && bytes.is_empty() && case.error.is_none() && case.status == 200 {
                prop_assert!(outcome.is_ok(), "a realistic body was refused: {outcome:?}");
            }
        }
        Ok(())
    });
}

/// Hostile bodies of about `size` bytes for an operation whose output is `output`: wide arrays of the output's list
/// members, many unknown and repeated members, long escaped strings, deep nesting inside an unknown member, and a
/// syntax error at the very end.
fn hostile(output: &str, size: usize) -> Vec<(&'static str, Vec<u8>)> {
    let model = model();
    let members: Vec<(String, String)> = model
        .shapes
        .get(output)
        .and_then(|s| s["members"].as_object())
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v["target"].as_str().unwrap_or("").to_owned())).collect())
        .unwrap_or_default();
    let repeat = |unit: &str, sep: &str| -> String {
        let n = (size / (unit.len() + sep.len())).max(1);
        vec![unit; n].join(sep)
    };
    let list = members
        .iter()
        .find(|(_, t)| model.shapes.get(t).is_some_and(|s| s["type"] == "list"))
        .map(|(name, _)| name.clone());
    let scalar = members.first().map(|(name, _)| name.clone()).unwrap_or_else(|| "X".into());
    let mut out = vec![
        ("unknown members", format!("{{{}}}", repeat("\"Unknown\":[1,{\"a\":\"b\"}]", ","))),
        ("repeated member", format!("{{{}}}", repeat(&format!("\"{scalar}\":null"), ","))),
        ("escaped string", format!("{{\"Unknown\":\"{}\"}}", repeat("\\u00e9\\n", ""))),
        ("deep unknown nesting", format!("{{\"Unknown\":{}{}}}", "[".repeat(size / 2), "]".repeat(size / 2))),
        ("error at the end", format!("{{\"Unknown\":[{}]", repeat("1", ","))),
    ];
    if let Some(list) = list {
        out.push(("wide list", format!("{{\"{list}\":[{}]}}", repeat("{}", ","))));
        out.push(("wide list of wrong kinds", format!("{{\"{list}\":[{}]}}", repeat("1", ","))));
    }
    out.into_iter().map(|(name, text)| (name, text.into_bytes())).collect()
}

#[test]
fn decoding_hostile_bodies_costs_allocations_linear_in_their_size() {
    let harness = Harness::new();
    let mut report = BTreeMap::new();
    // 256 KiB in the test suite (a quadratic cost would still be 256 times the linear one); 1 MiB under
    // `cargo xtask fuzz`.
    let large_size = if std::env::var_os("FUZZ_SECONDS").is_some() { 1 << 20 } else { 1 << 18 };
    for (op, method) in OPERATIONS.iter().enumerate() {
        let output = model().operations[op].0.clone();
        // The fixed cost of a call (request, signing, response), measured on an empty object.
        let measure = |body: Vec<u8>| {
            let before = allocated();
            let start = Instant::now();
            let _ = harness.call(op, Reply { status: 200, error_type: None, body });
            let after = allocated();
            (after.0 - before.0, after.1 - before.1, start.elapsed())
        };
        measure(b"{}".to_vec());
        let (base_n, base_bytes, _) = measure(b"{}".to_vec());
        let base_time = (0..5).map(|_| measure(b"{}".to_vec()).2).min().unwrap();
        let small = hostile(&output, 1 << 10);
        let large = hostile(&output, large_size);
        for ((name, small), (_, large)) in small.into_iter().zip(large) {
            let (small_len, large_len) = (small.len() as f64, large.len() as f64);
            let (sn, sb, st) = measure(small);
            let (ln, lb, lt) = measure(large);
            let per_byte = |n: u64, base: u64, len: f64| n.saturating_sub(base) as f64 / len;
            let (small_n, large_n) = (per_byte(sn, base_n, small_len), per_byte(ln, base_n, large_len));
            let (small_b, large_b) = (per_byte(sb, base_bytes, small_len), per_byte(lb, base_bytes, large_len));
            // Per byte, the large body may cost what the small one does, doubled for the growth of vectors, plus a
            // little: a quadratic cost would be about a thousand times more.
            assert!(
                large_n <= 2.0 * small_n + 0.01 && large_b <= 3.0 * small_b + 4.0,
                "{method}, {name}: {large_n:.4} allocations and {large_b:.2} bytes per byte at {large_size} bytes against \
                 {small_n:.4} and {small_b:.2} at 1 KiB"
            );
            let ns = |t: std::time::Duration, len: f64| t.saturating_sub(base_time).as_nanos() as f64 / len;
            report.insert(
                format!("{method}: {name}"),
                json!({"ns_per_byte_1k": ns(st, small_len), "ns_per_byte_1m": ns(lt, large_len)}),
            );
        }
    }
    let worst = report
        .iter()
        .map(|(k, v)| (k, v["ns_per_byte_1m"].as_f64().unwrap() / v["ns_per_byte_1k"].as_f64().unwrap().max(1e-9)))
        .fold((String::new(), 0.0f64), |acc, (k, r)| if r > acc.1 { (k.clone(), r) } else { acc });
    println!("slowest growth of the time per byte from 1 KiB to {large_size} bytes: {:.2}x ({})", worst.1, worst.0);
    if let Some(dir) = std::env::var_os("FUZZ_REPORT_DIR") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        let text =
            json!({"large_bytes": large_size, "worst_growth": worst.1, "worst": worst.0, "bodies": report}).to_string();
        std::fs::write(dir.join("decoders_linearity.json"), text).unwrap();
    }
}
