//! Stage 3: the intermediate representation. Rust names, module paths, optionality, boxing, constraints and
//! documentation are decided here, once; the emitters only read this. Nothing here builds token streams.
//!
//! Everything is sorted (by Rust name, members by wire name) so output is deterministic.
//!
//! - this module: the IR's types;
//! - `build`: the builder that turns a resolved model into the IR;
//! - [`endpoints`]: the endpoint rules, partition table and endpoint tests, lowered and checked;
//! - `checks`: what each value's validation checks, and the patterns that need a static;
//! - `graph`: graph algorithms over shapes (which members to box);
//! - [`waiters`]: the waiters of `smithy.waiters#waitable`, their JMESPath paths type-checked against the shapes;
//! - `wire`: which structures and unions are written into requests, read from responses, or both;
//! - [`definitions`]: the pipeline-definition step kinds' shapes as schema tables (the design is in its docs).

use serde_json::Value;

use crate::docs;
use crate::model::ShapeId;

mod build;
mod checks;
pub mod definitions;
pub mod endpoint_bindings;
pub mod endpoints;
mod graph;
pub mod protocol_tests;
pub mod waiters;
mod wire;

pub use build::build;

/// The whole crate to emit.
#[derive(Debug, Clone)]
pub struct Ir {
    /// Service-level facts.
    pub service: Service,
    /// One per selected operation, sorted by name.
    pub operations: Vec<Operation>,
    /// Shared structures (not operation inputs/outputs, not errors), sorted by Rust name.
    pub structures: Vec<Structure>,
    /// Error structures, sorted by Rust name.
    pub errors: Vec<Structure>,
    /// String and int enums, sorted by Rust name.
    pub enums: Vec<Enum>,
    /// Unions, sorted by Rust name.
    pub unions: Vec<Union>,
    /// Every distinct `@pattern`, with the plan that checks it, sorted by name.
    pub patterns: Vec<PatternDef>,
    /// The model's protocol compliance tests that apply to this client, in model order.
    pub protocol_tests: Vec<protocol_tests::ProtocolTest>,
    /// The pipeline-definition tables, when the settings name step kinds (the `definitions` feature).
    pub definitions: Option<definitions::Definitions>,
}

/// A `@pattern` and how the generated crate checks it.
#[derive(Debug, Clone)]
pub struct PatternDef {
    /// The name of its static in `crate::patterns`.
    pub name: String,
    /// The checks decided at codegen time.
    pub plan: crate::pattern::Plan,
    /// The shapes whose constraint this is, sorted.
    pub shapes: Vec<ShapeId>,
}

impl Ir {
    /// Lines listing each protocol compliance test left out, with the reason.
    pub fn protocol_test_report(&self) -> Vec<String> {
        self.protocol_tests
            .iter()
            .filter_map(|t| {
                t.skip.as_ref().map(|why| format!("protocol test {} ({}): left out: {why}", t.id, t.operation))
            })
            .collect()
    }

    /// Whether any member holds a document (anywhere in a list or map too): the crate then re-exports `Document`.
    pub fn uses_documents(&self) -> bool {
        fn document(t: &Type) -> bool {
            match t {
                Type::Document => true,
                Type::List { member, .. } => document(&member.ty),
                Type::Map { value, .. } => document(&value.ty),
                _ => false,
            }
        }
        let structures = self.operations.iter().flat_map(|o| [&o.input, &o.output]);
        let fields = structures.chain(&self.structures).chain(&self.errors).flat_map(|s| &s.fields);
        fields
            .map(|f| &f.ty)
            .chain(self.unions.iter().flat_map(|u| u.variants.iter().filter_map(|v| v.ty.as_ref())))
            .any(|t| document(&t.ty))
    }

    /// Lines reporting each pattern the generator had to interpret, by shape id (the pipeline-definition tables'
    /// own patterns included).
    pub fn pattern_report(&self) -> Vec<String> {
        let mut out = Vec::new();
        for p in self.patterns.iter().chain(self.definitions.iter().flat_map(|d| &d.patterns)) {
            for note in &p.plan.notes {
                out.push(format!("{}: pattern `{}`: {note}", p.shapes.join(", "), p.plan.original));
            }
        }
        out
    }
}

/// Service facts the client needs.
#[derive(Debug, Clone)]
pub struct Service {
    /// Shape id of the service.
    pub id: ShapeId,
    /// The service shape name: the `X-Amz-Target` prefix for awsJson.
    pub target_prefix: String,
    /// `aws.api#service` sdkId, or the shape name.
    pub sdk_id: String,
    /// Human title (`smithy.api#title`).
    pub title: String,
    /// API version.
    pub version: String,
    /// SigV4 signing name.
    pub signing_name: Option<String>,
    /// `aws.api#service` endpointPrefix.
    pub endpoint_prefix: Option<String>,
    /// The protocol.
    pub protocol: Protocol,
    /// `@aws.protocols#awsQueryCompatible`.
    pub query_compatible: bool,
    /// Service documentation, markdown.
    pub docs: String,
    /// Endpoint resolution from `smithy.rules#endpointRuleSet` (with its tests), when the service has a rule set.
    pub endpoints: Option<endpoints::Endpoints>,
}

impl Service {
    /// How awsJson requests name `operation` (its `X-Amz-Target`): `Service.Operation`.
    pub fn target(&self, operation: &Operation) -> String {
        format!("{}.{}", self.target_prefix, operation.name)
    }
}

/// The wire protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// `aws.protocols#awsJson1_0`
    AwsJson1_0,
    /// `aws.protocols#awsJson1_1`
    AwsJson1_1,
}

impl Protocol {
    /// The `Content-Type` of requests.
    pub fn content_type(self) -> &'static str {
        match self {
            Protocol::AwsJson1_0 => "application/x-amz-json-1.0",
            Protocol::AwsJson1_1 => "application/x-amz-json-1.1",
        }
    }
}

/// Where a named type lives in the generated crate.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TypePath {
    /// Modules from the crate root, e.g. `["types"]` or `["operation", "start_pipeline_execution"]`.
    pub modules: Vec<String>,
    /// The type name.
    pub name: String,
    /// The private module (and file) that defines a shared type, e.g. `parameter` for `types::Parameter`.
    pub module: String,
}

impl TypePath {
    /// The builder type's name: `NameBuilder` (`SelfBuilder` for `Self_`).
    pub fn builder_name(&self) -> String {
        crate::ident::builder_name(&self.name)
    }

    /// The defining file's stem (`type` for the module `r#type`).
    pub fn file_stem(&self) -> &str {
        crate::ident::unraw(&self.module)
    }
}

/// `@timestampFormat` of a timestamp member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// `epoch-seconds`, the awsJson default.
    EpochSeconds,
    /// `date-time` (RFC 3339).
    DateTime,
    /// `http-date` (IMF-fixdate).
    HttpDate,
}

/// What kind of generated type a [`Type::Named`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedKind {
    /// A structure.
    Structure,
    /// A string enum.
    Enum,
    /// An int enum.
    IntEnum,
    /// A union.
    Union,
}

/// One operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Shape id.
    pub id: ShapeId,
    /// Wire name (`StartPipelineExecution`).
    pub name: String,
    /// Module name (`start_pipeline_execution`).
    pub module: String,
    /// Client method name.
    pub method: String,
    /// Markdown docs.
    pub docs: String,
    /// Input structure (named `<Op>Input`).
    pub input: Structure,
    /// Output structure (named `<Op>Output`).
    pub output: Structure,
    /// Errors the operation declares, sorted by variant name.
    pub errors: Vec<ErrorRef>,
    /// `@paginated`, with its members resolved.
    pub paginated: Option<Paginated>,
    /// `@deprecated`.
    pub deprecated: Option<Deprecated>,
    /// Names of the client-side types in the operation's module.
    pub client_types: ClientTypes,
    /// `@endpoint`: a prefix put before the endpoint's host, with `@hostLabel` input members filled in.
    pub host_prefix: Option<Vec<HostPart>>,
    /// `@requestCompression` lists `gzip`: large request bodies are compressed.
    pub request_compression: bool,
    /// The waiters of `@smithy.waiters#waitable`, sorted by name.
    pub waiters: Vec<waiters::Waiter>,
    /// How the endpoint of each call is worked out, when it depends on the call (parameters bound from the input or
    /// the operation, or the credentials' account id); `None`: the client's endpoint serves.
    pub call_endpoint: Option<endpoint_bindings::CallEndpoint>,
}

/// A piece of an `@endpoint` host prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostPart {
    /// Literal text.
    Text(String),
    /// The value of an input member (a `@hostLabel` string), by field name, and whether the field is an `Option`.
    Label {
        /// The field.
        field: String,
        /// The member's wire name, for errors.
        wire_name: String,
    },
}

/// The client-side type names of an operation (`StartPipelineExecutionError`, …), decided with the other names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientTypes {
    /// The error enum.
    pub error: String,
    /// The fluent builder.
    pub fluent_builder: String,
    /// The page paginator, for paginated operations.
    pub paginator: Option<String>,
    /// The item paginator, when the pages have a list of items.
    pub items_paginator: Option<String>,
}

/// A modeled error of an operation.
#[derive(Debug, Clone)]
pub struct ErrorRef {
    /// Shape id of the error structure.
    pub id: ShapeId,
    /// Wire error code (the shape name).
    pub code: String,
    /// Variant name in the operation's error enum.
    pub variant: String,
    /// The error enum's `is_<code>` method.
    pub is_method: String,
    /// Path of the error structure.
    pub path: TypePath,
    /// The wire name of the error structure's message member, if it has one.
    pub message_member: Option<String>,
}

/// Pagination of an operation (`@paginated`, merged with the service's defaults), every member path resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Paginated {
    /// The input member carrying the token (a string, or a map: DynamoDB's start keys).
    pub input_token: MemberRef,
    /// The output path of the next token, as written in the model (`NextToken`, `Result.NextToken`).
    pub output_token_path: String,
    /// The steps from the output to the next token (of the input token's type).
    pub output_token: Vec<PathStep>,
    /// The items of each page, when the model names them.
    pub items: Option<Items>,
    /// The input member limiting the page size.
    pub page_size: Option<MemberRef>,
}

/// A member of an operation's input, by its Rust names.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberRef {
    /// The wire name.
    pub wire_name: String,
    /// The field.
    pub name: String,
    /// The builder setter.
    pub setter: String,
    /// The builder getter.
    pub getter: String,
    /// The member's type.
    pub ty: Type,
}

/// One step of a member path: a field of the structure reached so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathStep {
    /// The field.
    pub field: String,
    /// Whether the field is an `Option`.
    pub optional: bool,
    /// Whether the field is boxed.
    pub boxed: bool,
}

/// The items of a paginated output.
#[derive(Debug, Clone, PartialEq)]
pub struct Items {
    /// The output path, as written in the model.
    pub path_text: String,
    /// The steps from the output to the collection.
    pub path: Vec<PathStep>,
    /// A list (each item) or a map (each entry, as a key-value pair).
    pub collection: Type,
}

/// `@deprecated` details.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Deprecated {
    /// Message, if any.
    pub message: Option<String>,
    /// Since, if any.
    pub since: Option<String>,
}

impl Deprecated {
    /// The note for `#[deprecated(note = ...)]`.
    pub fn note(&self) -> String {
        match (&self.message, &self.since) {
            (Some(m), Some(s)) => format!("{m} (since {s})"),
            (Some(m), None) => m.clone(),
            (None, Some(s)) => format!("deprecated since {s}"),
            (None, None) => "deprecated in the service model".into(),
        }
    }
}

/// A structure.
#[derive(Debug, Clone)]
pub struct Structure {
    /// Shape id (`smithy.api#Unit` for a missing input/output).
    pub id: ShapeId,
    /// Where the type lives.
    pub path: TypePath,
    /// Markdown docs.
    pub docs: String,
    /// Fields sorted by wire name.
    pub fields: Vec<Field>,
    /// The whole structure is `@sensitive`.
    pub sensitive: bool,
    /// `@deprecated`.
    pub deprecated: Option<Deprecated>,
    /// For an `@error` structure: its code, fault and message member.
    pub error: Option<ErrorInfo>,
    /// Whether it has anything to validate, itself or below (it then has `validate_at`).
    pub validated: bool,
    /// An operation's input: its builder's `build()` returns a `Result` whatever its members, as in aws-sdk-rust.
    pub operation_input: bool,
    /// Which ways it goes on the wire: the codecs it needs.
    pub wire: Wire,
}

/// Which ways a structure or union goes on the wire, so the crate gets only the codecs it uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Wire {
    /// Written into request bodies (reachable from an operation input), or given a JSON form for `@uniqueItems`.
    pub write: bool,
    /// Read from response bodies (reachable from an operation output or an error).
    pub read: bool,
    /// Read only by the test doubles of the `test-util` feature, which decode requests (reachable from an operation
    /// input, and not read from responses).
    pub test_read: bool,
}

impl Wire {
    /// Written only by the test doubles of the `test-util` feature, which answer with everything responses carry:
    /// read from responses and not written into requests.
    pub fn test_write(&self) -> bool {
        self.read && !self.write
    }
}

/// What the client needs to know about an error structure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorInfo {
    /// The error code on the wire (the shape name).
    pub code: String,
    /// Who the model blames.
    pub fault: crate::traits::Fault,
    /// The field holding the message: a string member named `message` in any case, if there is one.
    pub message: Option<MessageField>,
    /// Whether the structure needs a generated `message()` method (no field's accessor already is one).
    pub message_method: bool,
}

impl Structure {
    /// Whether `build()` returns a `Result`: always for an operation input, else when a member is neither optional
    /// nor defaulted.
    pub fn build_is_fallible(&self) -> bool {
        self.operation_input || self.fields.iter().any(|f| !f.optional && f.default.is_none())
    }

    /// Whether `Debug` must be written by hand to hide sensitive data.
    pub fn redacts(&self) -> bool {
        self.sensitive || self.fields.iter().any(|f| f.sensitive)
    }
}

/// The message member of an error structure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageField {
    /// Its wire name.
    pub wire_name: String,
    /// Its Rust field.
    pub field: String,
    /// Whether the field is an `Option`.
    pub optional: bool,
}

/// A structure member.
#[derive(Debug, Clone)]
pub struct Field {
    /// Name on the wire.
    pub wire_name: String,
    /// Rust field name (maybe `r#type`).
    pub name: String,
    /// Builder setter name (`set_x`).
    pub setter: String,
    /// Builder getter name (`get_x`).
    pub getter: String,
    /// Markdown docs (member docs, or its target's, then a constraint line).
    pub docs: String,
    /// The type and its constraints.
    pub ty: TypeRef,
    /// `Option<T>` in Rust.
    pub optional: bool,
    /// `Box<T>` because it is on a cycle of direct (non-collection) references.
    pub boxed: bool,
    /// `@required` in the model (validated even when `optional`).
    pub required: bool,
    /// `@default` value when the field is not optional.
    pub default: Option<DefaultValue>,
    /// Redacted in `Debug`.
    pub sensitive: bool,
    /// `@deprecated`.
    pub deprecated: Option<Deprecated>,
    /// `@idempotencyToken`.
    pub idempotency_token: bool,
    /// The private function that gives the default, when it is not the type's own default.
    pub default_fn: Option<String>,
}

/// A field's default, checked against its type.
#[derive(Debug, Clone, PartialEq)]
pub enum DefaultValue {
    /// The type's own default (`false`, zero, empty): `Default::default()`.
    Zero,
    /// A boolean.
    Bool(bool),
    /// An integer that fits the field's integer type.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string.
    String(String),
    /// A value of a string enum.
    Enum(String),
    /// A value of an int enum.
    IntEnum(i32),
    /// Blob bytes (decoded from the model's base64).
    Blob(Vec<u8>),
    /// A timestamp, in seconds since the epoch.
    Timestamp(f64),
    /// A document.
    Document(Value),
}

/// A type reference with the constraints of the shape (and member) it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeRef {
    /// Shape id of the target.
    pub shape: ShapeId,
    /// The Rust type.
    pub ty: Type,
    /// Constraints that apply to values of this reference (as modeled; for documentation).
    pub constraints: Constraints,
    /// What the validator checks on values of this reference, decided from the constraints and the type.
    pub checks: Checks,
}

/// The checks `validate()` makes on one value, decided once when the IR is built.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Checks {
    /// `@length`.
    pub length: Option<LengthCheck>,
    /// `@range`.
    pub range: Option<RangeCheck>,
    /// `@pattern`: the name of its static in `crate::patterns` (none when the pattern matches every string).
    pub pattern: Option<String>,
    /// `@uniqueItems`.
    pub unique: Option<UniqueCheck>,
    /// The value is a structure or union with its own `validate_at`.
    pub nested: bool,
    /// Anything to check on this value or inside it.
    pub needed: bool,
}

/// A `@length` check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LengthCheck {
    /// What is counted.
    pub unit: LengthUnit,
    /// Inclusive minimum.
    pub min: Option<u64>,
    /// Inclusive maximum.
    pub max: Option<u64>,
}

/// What a `@length` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LengthUnit {
    /// Unicode code points of a string (or string enum value).
    Chars,
    /// Bytes of a blob.
    Bytes,
    /// Items of a list.
    Items,
    /// Entries of a map.
    Entries,
}

/// A `@range` check.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RangeCheck {
    /// On an integer type (int enum included), bounds rounded inwards.
    Int {
        /// Inclusive minimum.
        min: Option<i128>,
        /// Inclusive maximum.
        max: Option<i128>,
        /// The value is an int enum (read with `as_i32`).
        int_enum: bool,
    },
    /// On a float type.
    Float {
        /// Inclusive minimum.
        min: Option<f64>,
        /// Inclusive maximum.
        max: Option<f64>,
    },
}

/// How `@uniqueItems` compares items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UniqueCheck {
    /// Items are hashed as they are.
    Hash,
    /// Items are compared by their JSON form.
    Json,
}

/// Rust types the generator uses.
#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    /// `String`
    String,
    /// `bool`
    Bool,
    /// `i8`
    Byte,
    /// `i16`
    Short,
    /// `i32`
    Integer,
    /// `i64`
    Long,
    /// `f32`
    Float,
    /// `f64`
    Double,
    /// `i128` (lossless for the values AWS uses)
    BigInteger,
    /// `f64` (bigDecimal is carried as a JSON number)
    BigDecimal,
    /// `crate::primitives::DateTime` (`aws_smithy_types::DateTime`), and how it is written on the wire.
    Timestamp(TimestampFormat),
    /// `crate::primitives::Blob` (`aws_smithy_types::Blob`)
    Blob,
    /// `crate::primitives::Document` (`aws_smithy_types::Document`)
    Document,
    /// A generated type, and its kind.
    Named(TypePath, NamedKind),
    /// `Vec<T>` (`Vec<Option<T>>` when sparse).
    List {
        /// Element type.
        member: Box<TypeRef>,
        /// `@sparse`
        sparse: bool,
    },
    /// `HashMap<String, V>` (`Option<V>` when sparse).
    Map {
        /// Key type (a string, maybe constrained).
        key: Box<TypeRef>,
        /// Value type.
        value: Box<TypeRef>,
        /// `@sparse`
        sparse: bool,
    },
}

/// Constraint traits in force for a value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// `@length` min and max.
    pub length: Option<(Option<u64>, Option<u64>)>,
    /// `@range` min and max, as JSON numbers.
    pub range: Option<(Option<serde_json::Number>, Option<serde_json::Number>)>,
    /// `@pattern`.
    pub pattern: Option<String>,
    /// `@uniqueItems`.
    pub unique_items: bool,
    /// Values of an enum target (documented; unknown values are still accepted).
    pub enum_values: Vec<String>,
}

impl Constraints {
    /// Whether any constraint is present (enum values do not count; they do not restrict).
    pub fn is_empty(&self) -> bool {
        self.length.is_none() && self.range.is_none() && self.pattern.is_none() && !self.unique_items
    }

    /// A one-line human description, e.g. "length 1..=256; pattern `^a$`".
    pub fn describe(&self) -> Option<String> {
        let mut parts = Vec::new();
        if let Some((min, max)) = &self.length {
            parts.push(format!("length {}", bounds(min.map(|m| m.to_string()), max.map(|m| m.to_string()))));
        }
        if let Some((min, max)) = &self.range {
            parts.push(format!(
                "value {}",
                bounds(min.as_ref().map(|m| m.to_string()), max.as_ref().map(|m| m.to_string()))
            ));
        }
        if let Some(p) = &self.pattern {
            parts.push(format!("pattern {}", docs::code_span(p)));
        }
        if self.unique_items {
            parts.push("items must be unique".into());
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

fn bounds(min: Option<String>, max: Option<String>) -> String {
    match (min, max) {
        (Some(a), Some(b)) if a == b => format!("exactly {a}"),
        (Some(a), Some(b)) => format!("{a}..={b}"),
        (Some(a), None) => format!("at least {a}"),
        (None, Some(b)) => format!("at most {b}"),
        (None, None) => "unbounded".into(),
    }
}

/// A string enum or intEnum.
#[derive(Debug, Clone)]
pub struct Enum {
    /// Shape id.
    pub id: ShapeId,
    /// Where the type lives.
    pub path: TypePath,
    /// Markdown docs.
    pub docs: String,
    /// `true` for intEnum.
    pub int: bool,
    /// Variants sorted by value.
    pub variants: Vec<Variant>,
    /// `@deprecated`.
    pub deprecated: Option<Deprecated>,
}

/// One named enum value.
#[derive(Debug, Clone)]
pub struct Variant {
    /// Rust variant name.
    pub name: String,
    /// The wire value: a string, or an integer for intEnum.
    pub value: Value,
    /// Markdown docs.
    pub docs: String,
    /// `@deprecated`.
    pub deprecated: Option<Deprecated>,
}

/// A union.
#[derive(Debug, Clone)]
pub struct Union {
    /// Shape id.
    pub id: ShapeId,
    /// Where the type lives.
    pub path: TypePath,
    /// Markdown docs.
    pub docs: String,
    /// Variants sorted by wire name.
    pub variants: Vec<UnionVariant>,
    /// Redact in `Debug`.
    pub sensitive: bool,
    /// `@deprecated`.
    pub deprecated: Option<Deprecated>,
    /// Whether it has anything to validate (it then has `validate` and `validate_at`).
    pub validated: bool,
    /// Which ways it goes on the wire: the codecs it needs.
    pub wire: Wire,
}

/// A union member.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// Name on the wire.
    pub wire_name: String,
    /// Rust variant name.
    pub name: String,
    /// The `as_x` accessor (for members with a value).
    pub as_method: String,
    /// The `is_x` accessor.
    pub is_method: String,
    /// Markdown docs.
    pub docs: String,
    /// The value type; `None` for a `smithy.api#Unit` member.
    pub ty: Option<TypeRef>,
    /// Boxed because of a cycle.
    pub boxed: bool,
    /// Redacted in `Debug`.
    pub sensitive: bool,
    /// `@deprecated`.
    pub deprecated: Option<Deprecated>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraint_descriptions() {
        let c = Constraints { length: Some((Some(1), Some(256))), pattern: Some("^a`b$".into()), ..Default::default() };
        assert_eq!(c.describe().unwrap(), "length 1..=256; pattern ``^a`b$``");
        let c = Constraints { range: Some((Some(1.into()), None)), ..Default::default() };
        assert_eq!(c.describe().unwrap(), "value at least 1");
        let c = Constraints { length: Some((None, Some(5))), unique_items: true, ..Default::default() };
        assert_eq!(c.describe().unwrap(), "length at most 5; items must be unique");
        assert_eq!(Constraints::default().describe(), None);
    }
}
