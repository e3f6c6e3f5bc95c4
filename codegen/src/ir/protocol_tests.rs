//! The model's protocol compliance tests (`smithy.test#httpRequestTests` on operations, `smithy.test#httpResponseTests`
//! on operations and error structures), parsed and typed against the IR: each case's `params` become a value tree of
//! the generated types, so the emitter only writes it out. A case the generator cannot express is kept with the
//! reason it is left out; none is dropped silently.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::*;
use crate::traits;

/// One compliance test case for a client.
#[derive(Debug, Clone, PartialEq)]
pub struct ProtocolTest {
    /// The case's id in the model.
    pub id: String,
    /// The test function's name.
    pub name: String,
    /// The case's documentation, if any.
    pub doc: String,
    /// The operation it runs (its module).
    pub operation: String,
    /// What it checks.
    pub kind: ProtocolTestKind,
    /// Why the case is left out, when it is.
    pub skip: Option<String>,
}

/// What a case checks.
#[derive(Debug, Clone, PartialEq)]
pub enum ProtocolTestKind {
    /// The request the client sends for an input.
    Request {
        /// The input.
        input: TestValue,
        /// The input's path.
        input_path: TypePath,
        /// The expected request.
        expect: ExpectedRequest,
    },
    /// How the client reads a response.
    Response {
        /// The response the test server sends.
        response: TestResponse,
        /// The input to send (the operation's input with nothing set).
        input_path: TypePath,
        /// The output or the error.
        expect: Outcome,
    },
}

/// What a response test expects the call to return.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// This output.
    Output(TestValue),
    /// A modeled error: the variant of the operation's error enum and its structure.
    Error {
        /// The variant.
        variant: String,
        /// The error structure.
        value: TestValue,
    },
}

/// The request a request test expects.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpectedRequest {
    /// `POST`.
    pub method: String,
    /// The path (and query).
    pub uri: String,
    /// The endpoint host the client is configured with, when the case names one.
    pub host: Option<String>,
    /// The `Host` the request must go to, when the case names one.
    pub resolved_host: Option<String>,
    /// Headers that must have these values.
    pub headers: Vec<(String, String)>,
    /// Headers that must be present.
    pub require_headers: Vec<String>,
    /// Headers that must be absent.
    pub forbid_headers: Vec<String>,
    /// The body, when the case checks it, and whether it is JSON (compared as values).
    pub body: Option<(String, bool)>,
}

/// The response a response test serves.
#[derive(Debug, Clone, PartialEq)]
pub struct TestResponse {
    /// The status code.
    pub status: u16,
    /// The headers.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: String,
    /// The error code the client must report (`vendorParams.code` of the AWS suite), when the case names one.
    pub error_code: Option<String>,
}

/// A value of a generated type, as a test writes it.
#[derive(Debug, Clone, PartialEq)]
pub enum TestValue {
    /// An absent item of a sparse collection.
    Null,
    /// A boolean.
    Bool(bool),
    /// A string.
    String(String),
    /// An integer of this type.
    Int(i64, Type),
    /// A float of this type (`f32` when the type is `Float`), maybe NaN or infinite.
    Float(f64, Type),
    /// Blob bytes.
    Blob(Vec<u8>),
    /// Seconds since the epoch.
    Timestamp(f64),
    /// A document.
    Document(Value),
    /// A string enum value.
    Enum(TypePath, String),
    /// An int enum value.
    IntEnum(TypePath, i32),
    /// A list; `Option` items when sparse.
    List(Vec<TestValue>, bool),
    /// A map; `Option` values when sparse.
    Map(Vec<(String, TestValue)>, bool),
    /// A structure built with its builder: setter, whether the field is boxed, value.
    Structure {
        /// The type.
        path: TypePath,
        /// `(setter, boxed, value)` for each member the case sets.
        fields: Vec<(String, bool, TestValue)>,
        /// Whether `build()` returns a `Result`.
        fallible: bool,
    },
    /// A union variant.
    Union {
        /// The type.
        path: TypePath,
        /// The variant.
        variant: String,
        /// Whether the value is boxed.
        boxed: bool,
        /// The value (`None` for a unit member).
        value: Option<Box<TestValue>>,
    },
}

/// The compliance tests of the selected operations and their errors, for the service's protocol.
pub(super) fn collect(ir: &Ir, shapes: &BTreeMap<ShapeId, crate::model::Shape>) -> Vec<ProtocolTest> {
    let protocol = match ir.service.protocol {
        Protocol::AwsJson1_0 => traits::AWS_JSON_1_0,
        Protocol::AwsJson1_1 => traits::AWS_JSON_1_1,
    };
    let types = Types::new(ir);
    let mut out = Vec::new();
    let mut names = BTreeSet::new();
    let mut errors_done = BTreeSet::new();
    for op in &ir.operations {
        let Some(shape) = shapes.get(&op.id) else { continue };
        for case in cases(shape.traits(), traits::HTTP_REQUEST_TESTS, protocol) {
            out.push(request_case(&types, op, case, &mut names));
        }
        for case in cases(shape.traits(), traits::HTTP_RESPONSE_TESTS, protocol) {
            let expect = types.value(&op.output.path, case.get("params").unwrap_or(&Value::Null)).map(Outcome::Output);
            out.push(response_case(op, case, expect, &mut names));
        }
        for e in &op.errors {
            if !errors_done.insert(e.id.clone()) {
                continue;
            }
            let Some(shape) = shapes.get(&e.id) else { continue };
            for case in cases(shape.traits(), traits::HTTP_RESPONSE_TESTS, protocol) {
                let expect = types
                    .value(&e.path, case.get("params").unwrap_or(&Value::Null))
                    .map(|value| Outcome::Error { variant: e.variant.clone(), value });
                out.push(response_case(op, case, expect, &mut names));
            }
        }
    }
    out
}

/// The cases of one trait that apply to clients of this protocol.
fn cases<'a>(t: &'a crate::model::Traits, id: &str, protocol: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
    t.get(id)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(move |c| c.get("protocol").and_then(Value::as_str) == Some(protocol))
        .filter(|c| c.get("appliesTo").and_then(Value::as_str) != Some("server"))
}

fn str_of(case: &Value, key: &str) -> Option<String> {
    case.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn test_name(id: &str, names: &mut BTreeSet<String>) -> String {
    crate::ident::unique(crate::ident::unraw(&crate::ident::field_name(id)).to_owned(), names)
}

/// A case's id names its Rust test; Smithy makes it an identifier, and one that is not is left out.
fn check_id(id: &str) -> std::result::Result<(), String> {
    if crate::model::is_identifier(id) {
        Ok(())
    } else {
        Err("the id is not a Smithy identifier".into())
    }
}

fn header_pairs(case: &Value, key: &str) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = case
        .get(key)
        .and_then(Value::as_object)
        .map(|o| o.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned())).collect())
        .unwrap_or_default();
    pairs.sort();
    pairs
}

fn header_names(case: &Value, key: &str) -> Vec<String> {
    case.get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default()
}

fn request_case(types: &Types<'_>, op: &Operation, case: &Value, names: &mut BTreeSet<String>) -> ProtocolTest {
    let id = str_of(case, "id").unwrap_or_default();
    let input = types.value(&op.input.path, case.get("params").unwrap_or(&Value::Null));
    let json = str_of(case, "bodyMediaType").is_none_or(|m| m.contains("json"));
    let expect = ExpectedRequest {
        method: str_of(case, "method").unwrap_or_else(|| "POST".into()),
        uri: str_of(case, "uri").unwrap_or_else(|| "/".into()),
        host: str_of(case, "host"),
        resolved_host: str_of(case, "resolvedHost"),
        headers: header_pairs(case, "headers"),
        require_headers: header_names(case, "requireHeaders"),
        forbid_headers: header_names(case, "forbidHeaders"),
        body: str_of(case, "body").map(|b| (b, json)),
    };
    let (input, skip) = match input.and_then(|v| check_id(&id).map(|()| v)) {
        Ok(v) => (v, None),
        Err(why) => (TestValue::Null, Some(why)),
    };
    ProtocolTest {
        name: test_name(&id, names),
        doc: str_of(case, "documentation").unwrap_or_default(),
        operation: op.module.clone(),
        kind: ProtocolTestKind::Request { input, input_path: op.input.path.clone(), expect },
        skip,
        id,
    }
}

fn response_case(
    op: &Operation,
    case: &Value,
    expect: std::result::Result<Outcome, String>,
    names: &mut BTreeSet<String>,
) -> ProtocolTest {
    let id = str_of(case, "id").unwrap_or_default();
    let response = TestResponse {
        status: case.get("code").and_then(Value::as_u64).and_then(|c| u16::try_from(c).ok()).unwrap_or(200),
        headers: header_pairs(case, "headers"),
        body: str_of(case, "body").unwrap_or_default(),
        error_code: case.get("vendorParams").and_then(|p| p.get("code")).and_then(Value::as_str).map(str::to_owned),
    };
    let (expect, skip) = match expect.and_then(|v| check_id(&id).map(|()| v)) {
        Ok(v) => (v, None),
        Err(why) => (Outcome::Output(TestValue::Null), Some(why)),
    };
    ProtocolTest {
        name: test_name(&id, names),
        doc: str_of(case, "documentation").unwrap_or_default(),
        operation: op.module.clone(),
        kind: ProtocolTestKind::Response { response, input_path: op.input.path.clone(), expect },
        skip,
        id,
    }
}

/// The IR's structures and unions by path, to type `params` against.
pub(crate) struct Types<'a> {
    structures: BTreeMap<&'a TypePath, &'a Structure>,
    unions: BTreeMap<&'a TypePath, &'a Union>,
}

impl<'a> Types<'a> {
    pub(crate) fn new(ir: &'a Ir) -> Self {
        let structures = ir
            .operations
            .iter()
            .flat_map(|o| [&o.input, &o.output])
            .chain(&ir.structures)
            .chain(&ir.errors)
            .map(|s| (&s.path, s))
            .collect();
        let unions = ir.unions.iter().map(|u| (&u.path, u)).collect();
        Types { structures, unions }
    }

    /// A structure's value from its `params` object (`null` is the empty structure).
    pub(crate) fn value(&self, path: &TypePath, params: &Value) -> std::result::Result<TestValue, String> {
        let s = self.structures.get(path).ok_or_else(|| format!("no structure `{}`", path.name))?;
        let empty = serde_json::Map::new();
        let object = match params {
            Value::Null => &empty,
            Value::Object(o) => o,
            other => return Err(format!("params of `{}` are not an object: {other}", path.name)),
        };
        let mut fields = Vec::new();
        for (key, v) in object {
            let f = s
                .fields
                .iter()
                .find(|f| &f.wire_name == key)
                .ok_or_else(|| format!("`{}` has no member `{key}`", s.id))?;
            if v.is_null() {
                continue;
            }
            fields.push((f.setter.clone(), f.boxed, self.typed(&f.ty, v)?));
        }
        fields.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(TestValue::Structure { path: path.clone(), fields, fallible: s.build_is_fallible() })
    }

    fn typed(&self, t: &TypeRef, v: &Value) -> std::result::Result<TestValue, String> {
        let bad = || format!("value {v} does not fit a {}", t.shape);
        Ok(match (&t.ty, v) {
            (Type::String, Value::String(s)) => TestValue::String(s.clone()),
            (Type::Bool, Value::Bool(b)) => TestValue::Bool(*b),
            (Type::Byte | Type::Short | Type::Integer | Type::Long | Type::BigInteger, Value::Number(n)) => {
                let i = n.as_i64().ok_or_else(bad)?;
                let fits = match t.ty {
                    Type::Byte => i8::try_from(i).is_ok(),
                    Type::Short => i16::try_from(i).is_ok(),
                    Type::Integer => i32::try_from(i).is_ok(),
                    _ => true,
                };
                if !fits {
                    return Err(bad());
                }
                TestValue::Int(i, t.ty.clone())
            }
            (Type::Float | Type::Double | Type::BigDecimal, v) => {
                let f = match v {
                    Value::Number(n) => n.as_f64().ok_or_else(bad)?,
                    Value::String(s) if s == "NaN" => f64::NAN,
                    Value::String(s) if s == "Infinity" => f64::INFINITY,
                    Value::String(s) if s == "-Infinity" => f64::NEG_INFINITY,
                    _ => return Err(bad()),
                };
                if t.ty == Type::Float && f.is_finite() && f.abs() > f64::from(f32::MAX) {
                    return Err(bad());
                }
                TestValue::Float(f, t.ty.clone())
            }
            (Type::Timestamp(_), Value::Number(n)) => TestValue::Timestamp(n.as_f64().ok_or_else(bad)?),
            (Type::Blob, Value::String(s)) => TestValue::Blob(s.as_bytes().to_vec()),
            (Type::Document, v) => TestValue::Document(v.clone()),
            (Type::Named(path, NamedKind::Enum), Value::String(s)) => TestValue::Enum(path.clone(), s.clone()),
            (Type::Named(path, NamedKind::IntEnum), Value::Number(n)) => {
                TestValue::IntEnum(path.clone(), n.as_i64().and_then(|i| i32::try_from(i).ok()).ok_or_else(bad)?)
            }
            (Type::Named(path, NamedKind::Structure), v) => self.value(path, v)?,
            (Type::Named(path, NamedKind::Union), Value::Object(o)) => {
                let u = self.unions.get(path).ok_or_else(bad)?;
                let (key, inner) = o.iter().next().filter(|_| o.len() == 1).ok_or_else(bad)?;
                let variant = u.variants.iter().find(|var| &var.wire_name == key).ok_or_else(bad)?;
                let value = match &variant.ty {
                    Some(vt) => Some(Box::new(self.typed(vt, inner)?)),
                    None => None,
                };
                TestValue::Union { path: path.clone(), variant: variant.name.clone(), boxed: variant.boxed, value }
            }
            (Type::List { member, sparse }, Value::Array(items)) => TestValue::List(
                items
                    .iter()
                    .map(|i| if i.is_null() && *sparse { Ok(TestValue::Null) } else { self.typed(member, i) })
                    .collect::<std::result::Result<_, _>>()?,
                *sparse,
            ),
            (Type::Map { value, sparse, .. }, Value::Object(o)) => TestValue::Map(
                o.iter()
                    .map(|(k, i)| {
                        let v = if i.is_null() && *sparse { TestValue::Null } else { self.typed(value, i)? };
                        Ok((k.clone(), v))
                    })
                    .collect::<std::result::Result<_, String>>()?,
                *sparse,
            ),
            _ => return Err(bad()),
        })
    }
}
