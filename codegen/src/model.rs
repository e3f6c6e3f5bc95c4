//! Stage 1: serde types mirroring the Smithy 2.0 JSON AST.
//!
//! The model is read into a `serde_json::Value` first (so that malformed JSON reports its line and column), then each
//! shape is decoded on its own so that a bad shape is reported with its id and the JSON path of the offending field.
//! Traits stay as JSON values here; [`Traits`] offers typed, checked accessors for the ones the generator uses.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{member_path, shape_path, Error, Result};

/// An absolute shape id such as `com.amazonaws.sagemaker#Parameter` (or a member id `…#Parameter$Name`).
pub type ShapeId = String;

/// The shape types this generator understands, as written in the JSON AST `type` field.
pub const SHAPE_TYPES: &[&str] = &[
    "blob",
    "boolean",
    "string",
    "byte",
    "short",
    "integer",
    "long",
    "float",
    "double",
    "bigInteger",
    "bigDecimal",
    "timestamp",
    "document",
    "enum",
    "intEnum",
    "list",
    "set",
    "map",
    "structure",
    "union",
    "operation",
    "service",
    "resource",
    "apply",
];

/// A whole model file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Model {
    /// The `smithy` version string.
    pub smithy: String,
    /// Model metadata, kept verbatim.
    pub metadata: BTreeMap<String, Value>,
    /// Every shape by absolute id.
    pub shapes: BTreeMap<ShapeId, Shape>,
}

/// A reference to another shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// The absolute id of the target.
    pub target: ShapeId,
}

/// A member of an aggregate shape (or of an enum).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// The shape the member points to.
    pub target: ShapeId,
    /// Traits applied to the member.
    #[serde(default, skip_serializing_if = "Traits::is_empty")]
    pub traits: Traits,
}

/// Traits by absolute id (`smithy.api#required`), kept as JSON.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Traits(pub BTreeMap<String, Value>);

/// One shape of the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase", deny_unknown_fields)]
pub enum Shape {
    /// A simple shape: blob, boolean, string, numbers, timestamp, document.
    #[serde(skip)]
    Simple(SimpleShape),
    /// `enum`: a string with named values.
    Enum(Aggregate),
    /// `intEnum`: an integer with named values.
    IntEnum(Aggregate),
    /// `list` (and the Smithy 1.0 `set`, read as a list with `@uniqueItems`).
    List(ListShape),
    /// `map`
    Map(MapShape),
    /// `structure`
    Structure(Aggregate),
    /// `union`
    Union(Aggregate),
    /// `operation`
    Operation(OperationShape),
    /// `service`
    Service(ServiceShape),
    /// `resource`
    Resource(ResourceShape),
    /// `apply`: traits applied to another shape or member.
    Apply(ApplyShape),
}

/// The simple shape types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SimpleType {
    /// `blob`
    Blob,
    /// `boolean`
    Boolean,
    /// `string`
    String,
    /// `byte`
    Byte,
    /// `short`
    Short,
    /// `integer`
    Integer,
    /// `long`
    Long,
    /// `float`
    Float,
    /// `double`
    Double,
    /// `bigInteger`
    BigInteger,
    /// `bigDecimal`
    BigDecimal,
    /// `timestamp`
    Timestamp,
    /// `document`
    Document,
}

impl SimpleType {
    /// Parse the JSON AST type name.
    pub fn from_name(name: &str) -> Option<SimpleType> {
        Some(match name {
            "blob" => SimpleType::Blob,
            "boolean" => SimpleType::Boolean,
            "string" => SimpleType::String,
            "byte" => SimpleType::Byte,
            "short" => SimpleType::Short,
            "integer" => SimpleType::Integer,
            "long" => SimpleType::Long,
            "float" => SimpleType::Float,
            "double" => SimpleType::Double,
            "bigInteger" => SimpleType::BigInteger,
            "bigDecimal" => SimpleType::BigDecimal,
            "timestamp" => SimpleType::Timestamp,
            "document" => SimpleType::Document,
            _ => return None,
        })
    }

    /// The JSON AST type name.
    pub fn name(self) -> &'static str {
        match self {
            SimpleType::Blob => "blob",
            SimpleType::Boolean => "boolean",
            SimpleType::String => "string",
            SimpleType::Byte => "byte",
            SimpleType::Short => "short",
            SimpleType::Integer => "integer",
            SimpleType::Long => "long",
            SimpleType::Float => "float",
            SimpleType::Double => "double",
            SimpleType::BigInteger => "bigInteger",
            SimpleType::BigDecimal => "bigDecimal",
            SimpleType::Timestamp => "timestamp",
            SimpleType::Document => "document",
        }
    }
}

/// A simple shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimpleShape {
    /// Which simple type.
    #[serde(skip, default = "default_simple")]
    pub kind: SimpleType,
    /// Traits on the shape.
    #[serde(default, skip_serializing_if = "Traits::is_empty")]
    pub traits: Traits,
    /// Mixins applied to the shape.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mixins: Vec<Target>,
}

fn default_simple() -> SimpleType {
    SimpleType::String
}

/// A shape with named members: structure, union, enum, intEnum.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aggregate {
    /// Members by name.
    #[serde(default)]
    pub members: BTreeMap<String, Member>,
    /// Traits on the shape.
    #[serde(default, skip_serializing_if = "Traits::is_empty")]
    pub traits: Traits,
    /// Mixins applied to the shape.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mixins: Vec<Target>,
}

/// A list (or set).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListShape {
    /// The element member.
    pub member: Member,
    /// Traits on the shape.
    #[serde(default, skip_serializing_if = "Traits::is_empty")]
    pub traits: Traits,
    /// Mixins applied to the shape.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mixins: Vec<Target>,
}

/// A map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapShape {
    /// The key member (always a string shape).
    pub key: Member,
    /// The value member.
    pub value: Member,
    /// Traits on the shape.
    #[serde(default, skip_serializing_if = "Traits::is_empty")]
    pub traits: Traits,
    /// Mixins applied to the shape.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mixins: Vec<Target>,
}

/// An operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationShape {
    /// The input structure (absent means `smithy.api#Unit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<Target>,
    /// The output structure (absent means `smithy.api#Unit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Target>,
    /// Errors the operation may return.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<Target>,
    /// Traits on the shape.
    #[serde(default, skip_serializing_if = "Traits::is_empty")]
    pub traits: Traits,
    /// Mixins applied to the shape.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mixins: Vec<Target>,
}

/// A service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceShape {
    /// The service version (the API version date for AWS services).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Operations bound directly to the service.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub operations: Vec<Target>,
    /// Resources bound to the service.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<Target>,
    /// Errors every operation of the service may return.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<Target>,
    /// Shape renames inside the service closure.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rename: BTreeMap<ShapeId, String>,
    /// Traits on the shape.
    #[serde(default, skip_serializing_if = "Traits::is_empty")]
    pub traits: Traits,
    /// Mixins applied to the shape.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mixins: Vec<Target>,
}

/// A resource; the generator only walks it for its operations.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceShape {
    /// Identifier names to their string shapes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub identifiers: BTreeMap<String, Target>,
    /// Property names to their shapes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, Target>,
    /// Lifecycle operations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create: Option<Target>,
    /// Lifecycle operations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub put: Option<Target>,
    /// Lifecycle operations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read: Option<Target>,
    /// Lifecycle operations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update: Option<Target>,
    /// Lifecycle operations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete: Option<Target>,
    /// Lifecycle operations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list: Option<Target>,
    /// Instance operations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub operations: Vec<Target>,
    /// Collection operations.
    #[serde(default, rename = "collectionOperations", skip_serializing_if = "Vec::is_empty")]
    pub collection_operations: Vec<Target>,
    /// Child resources.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<Target>,
    /// Traits on the shape.
    #[serde(default, skip_serializing_if = "Traits::is_empty")]
    pub traits: Traits,
    /// Mixins applied to the shape.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mixins: Vec<Target>,
}

impl ResourceShape {
    /// Every operation bound to this resource, lifecycle ones included, in a fixed order.
    pub fn all_operations(&self) -> Vec<&ShapeId> {
        let lifecycle = [&self.create, &self.put, &self.read, &self.update, &self.delete, &self.list];
        lifecycle
            .into_iter()
            .flatten()
            .chain(self.operations.iter())
            .chain(self.collection_operations.iter())
            .map(|t| &t.target)
            .collect()
    }
}

/// `apply` statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplyShape {
    /// The traits to apply.
    #[serde(default)]
    pub traits: Traits,
}

impl Shape {
    /// The shape's own traits.
    pub fn traits(&self) -> &Traits {
        match self {
            Shape::Simple(s) => &s.traits,
            Shape::Enum(a) | Shape::IntEnum(a) | Shape::Structure(a) | Shape::Union(a) => &a.traits,
            Shape::List(l) => &l.traits,
            Shape::Map(m) => &m.traits,
            Shape::Operation(o) => &o.traits,
            Shape::Service(s) => &s.traits,
            Shape::Resource(r) => &r.traits,
            Shape::Apply(a) => &a.traits,
        }
    }

    /// The shape's own traits, mutably.
    pub fn traits_mut(&mut self) -> &mut Traits {
        match self {
            Shape::Simple(s) => &mut s.traits,
            Shape::Enum(a) | Shape::IntEnum(a) | Shape::Structure(a) | Shape::Union(a) => &mut a.traits,
            Shape::List(l) => &mut l.traits,
            Shape::Map(m) => &mut m.traits,
            Shape::Operation(o) => &mut o.traits,
            Shape::Service(s) => &mut s.traits,
            Shape::Resource(r) => &mut r.traits,
            Shape::Apply(a) => &mut a.traits,
        }
    }

    /// The mixins the shape names.
    pub fn mixins(&self) -> &[Target] {
        match self {
            Shape::Simple(s) => &s.mixins,
            Shape::Enum(a) | Shape::IntEnum(a) | Shape::Structure(a) | Shape::Union(a) => &a.mixins,
            Shape::List(l) => &l.mixins,
            Shape::Map(m) => &m.mixins,
            Shape::Operation(o) => &o.mixins,
            Shape::Service(s) => &s.mixins,
            Shape::Resource(r) => &r.mixins,
            Shape::Apply(_) => &[],
        }
    }

    /// The JSON AST type name of this shape.
    pub fn type_name(&self) -> &'static str {
        match self {
            Shape::Simple(s) => s.kind.name(),
            Shape::Enum(_) => "enum",
            Shape::IntEnum(_) => "intEnum",
            Shape::List(_) => "list",
            Shape::Map(_) => "map",
            Shape::Structure(_) => "structure",
            Shape::Union(_) => "union",
            Shape::Operation(_) => "operation",
            Shape::Service(_) => "service",
            Shape::Resource(_) => "resource",
            Shape::Apply(_) => "apply",
        }
    }

    /// Named members (structure, union, enum, intEnum); `None` for other shapes.
    pub fn members(&self) -> Option<&BTreeMap<String, Member>> {
        match self {
            Shape::Enum(a) | Shape::IntEnum(a) | Shape::Structure(a) | Shape::Union(a) => Some(&a.members),
            _ => None,
        }
    }

    /// Every member with its name, collections included (`member`, `key`, `value`).
    pub fn all_members(&self) -> Vec<(&str, &Member)> {
        match self {
            Shape::Enum(a) | Shape::IntEnum(a) | Shape::Structure(a) | Shape::Union(a) => {
                a.members.iter().map(|(n, m)| (n.as_str(), m)).collect()
            }
            Shape::List(l) => vec![("member", &l.member)],
            Shape::Map(m) => vec![("key", &m.key), ("value", &m.value)],
            _ => Vec::new(),
        }
    }

    /// Every member, mutably, collections included.
    pub fn all_members_mut(&mut self) -> Vec<(&str, &mut Member)> {
        match self {
            Shape::Enum(a) | Shape::IntEnum(a) | Shape::Structure(a) | Shape::Union(a) => {
                a.members.iter_mut().map(|(n, m)| (n.as_str(), m)).collect()
            }
            Shape::List(l) => vec![("member", &mut l.member)],
            Shape::Map(m) => vec![("key", &mut m.key), ("value", &mut m.value)],
            _ => Vec::new(),
        }
    }
}

impl Traits {
    /// True when no trait is present.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The raw value of a trait by absolute id.
    pub fn get(&self, id: &str) -> Option<&Value> {
        self.0.get(id)
    }

    /// Whether a trait is present.
    pub fn has(&self, id: &str) -> bool {
        self.0.contains_key(id)
    }

    /// The `smithy.api#documentation` string.
    pub fn documentation(&self) -> Option<&str> {
        self.get(crate::traits::DOCUMENTATION).and_then(Value::as_str)
    }
}

/// Read and decode a model file, naming the file in every error.
pub fn load(path: &Path) -> Result<Model> {
    let text =
        std::fs::read_to_string(path).map_err(|e| Error::new(format!("cannot read model: {e}")).in_file(path))?;
    parse(&text).map_err(|e| e.in_file(path))
}

/// Decode a model from JSON text.
pub fn parse(text: &str) -> Result<Model> {
    let root: Value = serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message).to_owned();
        Error::at(format!("line {}, column {}", e.line(), e.column()), format!("malformed JSON: {message}"))
    })?;
    let Value::Object(mut root) = root else {
        return Err(Error::at("$", "a Smithy JSON AST model must be a JSON object"));
    };
    let smithy = match root.remove("smithy") {
        Some(Value::String(s)) => s,
        Some(_) => return Err(Error::at("$.smithy", "the `smithy` version must be a string")),
        None => return Err(Error::at("$", "missing the `smithy` version field; is this a Smithy JSON AST model?")),
    };
    if !(smithy.starts_with("2") || smithy.starts_with("1")) {
        return Err(Error::at("$.smithy", format!("unsupported Smithy version `{smithy}` (expected 1.0 or 2.x)")));
    }
    let metadata = match root.remove("metadata") {
        None => BTreeMap::new(),
        Some(Value::Object(m)) => m.into_iter().collect(),
        Some(_) => return Err(Error::at("$.metadata", "`metadata` must be an object")),
    };
    let shapes_value = root.remove("shapes").unwrap_or(Value::Object(Default::default()));
    let Value::Object(raw_shapes) = shapes_value else {
        return Err(Error::at("$.shapes", "`shapes` must be an object keyed by shape id"));
    };
    let mut shapes = BTreeMap::new();
    for (id, raw) in raw_shapes {
        let shape = parse_shape(&id, raw)?;
        shapes.insert(id, shape);
    }
    Ok(Model { smithy, metadata, shapes })
}

fn parse_shape(id: &str, mut raw: Value) -> Result<Shape> {
    let path = shape_path(id);
    check_shape_id(id).map_err(|m| Error::at(&path, m))?;
    let Some(obj) = raw.as_object_mut() else {
        return Err(Error::at(&path, format!("shape `{id}` must be a JSON object")));
    };
    let ty = match obj.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(_) => return Err(Error::at(format!("{path}.type"), "the shape `type` must be a string")),
        None => return Err(Error::at(&path, format!("shape `{id}` has no `type`"))),
    };
    if !SHAPE_TYPES.contains(&ty.as_str()) {
        return Err(Error::at(
            format!("{path}.type"),
            format!("shape `{id}` has unsupported shape type `{ty}` (supported: {})", SHAPE_TYPES.join(", ")),
        ));
    }
    let decode_err = |e: serde_path_to_error::Error<serde_json::Error>| {
        let at = e.path().to_string();
        let loc = if at == "." || at.is_empty() { path.clone() } else { format!("{path}.{at}") };
        Error::at(loc, format!("invalid {ty} shape `{id}`: {}", e.inner()))
    };
    obj.remove("type");
    fn de<T: serde::de::DeserializeOwned>(
        raw: Value,
        err: impl Fn(serde_path_to_error::Error<serde_json::Error>) -> Error,
    ) -> Result<T> {
        serde_path_to_error::deserialize(raw).map_err(err)
    }
    if let Some(kind) = SimpleType::from_name(&ty) {
        let mut simple: SimpleShape = de(raw, decode_err)?;
        simple.kind = kind;
        return Ok(Shape::Simple(simple));
    }
    let shape = match ty.as_str() {
        "enum" => Shape::Enum(de(raw, decode_err)?),
        "intEnum" => Shape::IntEnum(de(raw, decode_err)?),
        "structure" => Shape::Structure(de(raw, decode_err)?),
        "union" => Shape::Union(de(raw, decode_err)?),
        "list" => Shape::List(de(raw, decode_err)?),
        "set" => {
            // Smithy 1.0 `set` is a list whose items are unique.
            let mut list: ListShape = de(raw, decode_err)?;
            list.traits.0.insert(crate::traits::UNIQUE_ITEMS.into(), Value::Object(Default::default()));
            Shape::List(list)
        }
        "map" => Shape::Map(de(raw, decode_err)?),
        "operation" => Shape::Operation(de(raw, decode_err)?),
        "service" => Shape::Service(de(raw, decode_err)?),
        "resource" => Shape::Resource(de(raw, decode_err)?),
        "apply" => Shape::Apply(de(raw, decode_err)?),
        other => return Err(Error::at(format!("{path}.type"), format!("unsupported shape type `{other}`"))),
    };
    // Member names and the service's renames become Rust names; Smithy makes both identifiers (the JSON AST
    // specification), which is what keeps every name the generator derives a valid Rust identifier.
    for (name, _) in shape.all_members() {
        if !is_identifier(name) {
            return Err(Error::at(
                member_path(id, name),
                format!("member name {name:?} of `{id}` is not a Smithy identifier {IDENTIFIER_RULE}"),
            ));
        }
    }
    if let Shape::Service(service) = &shape {
        for (renamed, name) in &service.rename {
            if !is_identifier(name) {
                return Err(Error::at(
                    format!("{path}.rename[{}]", Value::String(renamed.clone())),
                    format!("`{renamed}` is renamed to {name:?}, which is not a Smithy identifier {IDENTIFIER_RULE}"),
                ));
            }
        }
    }
    Ok(shape)
}

/// How [`is_identifier`] is explained in errors.
const IDENTIFIER_RULE: &str =
    "(ASCII letters, digits and `_`, starting with a letter or with `_` and then a letter or digit)";

/// Smithy's `Identifier`: `(1*"_" (ALPHA / DIGIT)) / ALPHA`, then letters, digits and `_`.
pub fn is_identifier(s: &str) -> bool {
    let rest = s.trim_start_matches('_');
    let starts_well = match rest.chars().next() {
        Some(c) if rest.len() < s.len() => c.is_ascii_alphanumeric(),
        Some(c) => c.is_ascii_alphabetic(),
        None => false,
    };
    starts_well && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Check that an id is an absolute shape id: `namespace#Name`, with an optional `$member`.
pub fn check_shape_id(id: &str) -> std::result::Result<(), String> {
    let Some((ns, rest)) = id.split_once('#') else {
        return Err(format!("`{id}` is not an absolute shape id (expected `namespace#Name`)"));
    };
    let (name, member) = rest.split_once('$').map_or((rest, None), |(n, m)| (n, Some(m)));
    if ns.split('.').all(is_identifier) && is_identifier(name) && member.is_none_or(is_identifier) {
        Ok(())
    } else {
        Err(format!("`{id}` is not a valid shape id"))
    }
}

/// The wire value of an enum or intEnum member: its `@enumValue` (a string, or an integer as text), else its name.
pub fn enum_value(name: &str, member: &Member) -> String {
    match member.traits.get(crate::traits::ENUM_VALUE) {
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => name.to_owned(),
    }
}

/// The name part of a shape id: `Parameter` for `com.amazonaws.sagemaker#Parameter`.
pub fn shape_name(id: &str) -> &str {
    id.split_once('#').map_or(id, |(_, n)| n)
}

/// One shape as JSON AST (the `type` field included).
pub fn shape_json(shape: &Shape) -> std::result::Result<Value, serde_json::Error> {
    match shape {
        Shape::Simple(s) => serde_json::to_value(s).map(|mut v| {
            if let Some(obj) = v.as_object_mut() {
                obj.insert("type".into(), Value::String(s.kind.name().into()));
            }
            v
        }),
        other => serde_json::to_value(other),
    }
}

/// Serialize a model back to the JSON AST, with a stable layout (sorted keys, two-space indent, final newline).
pub fn to_json(model: &Model) -> Result<String> {
    let mut root = serde_json::Map::new();
    root.insert("smithy".into(), Value::String(model.smithy.clone()));
    if !model.metadata.is_empty() {
        root.insert("metadata".into(), Value::Object(model.metadata.clone().into_iter().collect()));
    }
    let mut shapes = serde_json::Map::new();
    for (id, shape) in &model.shapes {
        let v = shape_json(shape).map_err(|e| Error::at(shape_path(id), e.to_string()))?;
        shapes.insert(id.clone(), v);
    }
    root.insert("shapes".into(), Value::Object(shapes));
    let mut text = serde_json::to_string_pretty(&Value::Object(root)).map_err(|e| Error::new(e.to_string()))?;
    text.push('\n');
    Ok(text)
}
