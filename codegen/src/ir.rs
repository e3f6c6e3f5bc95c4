//! Stage 3: the intermediate representation. Rust names, module paths, optionality, boxing, constraints and
//! documentation are decided here, once; the emitters only read this. Nothing here builds token streams.
//!
//! Everything is sorted (by Rust name, members by wire name) so output is deterministic.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::error::{member_path, shape_path, Error, Result};
use crate::model::{shape_name, Aggregate, Member, Shape, ShapeId, SimpleType, Traits};
use crate::resolve::Resolved;
use crate::{docs, ident};

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
    /// Structures and unions that have something to validate, themselves or below.
    pub validated: BTreeSet<ShapeId>,
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
    /// The static name of a pattern; `None` when the pattern matches every string and needs no check.
    pub fn pattern_name(&self, pattern: &str) -> Option<&str> {
        self.patterns.iter().find(|p| p.plan.original == pattern && !p.plan.is_trivial()).map(|p| p.name.as_str())
    }

    /// Lines reporting each pattern the generator had to interpret, by shape id.
    pub fn pattern_report(&self) -> Vec<String> {
        let mut out = Vec::new();
        for p in &self.patterns {
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
    /// Service documentation, markdown.
    pub docs: String,
    /// `smithy.rules#endpointRuleSet`, parsed.
    pub endpoint_rules: Option<crate::rules::RuleSet>,
    /// `smithy.rules#endpointTests`, verbatim.
    pub endpoint_tests: Option<Value>,
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
}

impl TypePath {
    /// The builder type's name: `NameBuilder` (`SelfBuilder` for `Self_`).
    pub fn builder_name(&self) -> String {
        format!("{}Builder", self.name.trim_end_matches('_'))
    }
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
    /// `@paginated` details.
    pub paginated: Option<Paginated>,
    /// `@deprecated`.
    pub deprecated: Option<Deprecated>,
    /// Names of the client-side types in the operation's module.
    pub client_types: ClientTypes,
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
    /// Path of the error structure.
    pub path: TypePath,
}

/// Pagination of an operation (`@paginated`, merged with the service's defaults).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paginated {
    /// Input member carrying the token.
    pub input_token: String,
    /// Output member carrying the next token.
    pub output_token: String,
    /// Output member holding the items, if any.
    pub items: Option<String>,
    /// Input member limiting the page size, if any.
    pub page_size: Option<String>,
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
    /// `@error` (`client` or `server`).
    pub error: Option<String>,
}

impl Structure {
    /// Whether `build()` can fail (a non-optional member without a default).
    pub fn build_is_fallible(&self) -> bool {
        self.fields.iter().any(|f| !f.optional && f.default.is_none())
    }

    /// Whether `Debug` must be written by hand to hide sensitive data.
    pub fn redacts(&self) -> bool {
        self.sensitive || self.fields.iter().any(|f| f.sensitive)
    }
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
    pub default: Option<Value>,
    /// Redacted in `Debug`.
    pub sensitive: bool,
    /// `@deprecated`.
    pub deprecated: Option<Deprecated>,
    /// `@idempotencyToken`.
    pub idempotency_token: bool,
}

/// A type reference with the constraints of the shape (and member) it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeRef {
    /// Shape id of the target.
    pub shape: ShapeId,
    /// The Rust type.
    pub ty: Type,
    /// Constraints that apply to values of this reference.
    pub constraints: Constraints,
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
    /// `crate::primitives::DateTime`
    Timestamp,
    /// `crate::primitives::Blob`
    Blob,
    /// `crate::primitives::Document`
    Document,
    /// A generated type.
    Named(TypePath),
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
}

/// A union member.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// Name on the wire.
    pub wire_name: String,
    /// Rust variant name.
    pub name: String,
    /// Accessor base name (`as_x`, `is_x`).
    pub method: String,
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

const UNIT: &str = "smithy.api#Unit";

/// Build the IR from a resolved model.
pub fn build(resolved: &Resolved) -> Result<Ir> {
    let mut b = Builder { resolved, paths: BTreeMap::new(), boxed: BTreeSet::new() };
    b.assign_paths()?;
    b.boxed = boxed_edges(&resolved.shapes);
    let service = b.service()?;
    let mut operations = Vec::new();
    for op_id in &resolved.operations {
        operations.push(b.operation(op_id)?);
    }
    let mut structures = Vec::new();
    let mut errors = Vec::new();
    let mut enums = Vec::new();
    let mut unions = Vec::new();
    let io_shapes: BTreeSet<&ShapeId> = operations.iter().flat_map(|o| [&o.input.id, &o.output.id]).collect();
    for (id, shape) in &resolved.shapes {
        match shape {
            Shape::Structure(s) if id != UNIT && !io_shapes.contains(id) => {
                let st = b.structure(id, s, b.paths[id].clone())?;
                if st.error.is_some() {
                    errors.push(st);
                } else {
                    structures.push(st);
                }
            }
            Shape::Enum(a) => enums.push(b.enumeration(id, a, false)?),
            Shape::IntEnum(a) => enums.push(b.enumeration(id, a, true)?),
            Shape::Union(a) => unions.push(b.union(id, a)?),
            _ => {}
        }
    }
    operations.sort_by(|a, b| a.name.cmp(&b.name));
    structures.sort_by(|a, b| a.path.cmp(&b.path));
    errors.sort_by(|a, b| a.path.cmp(&b.path));
    enums.sort_by(|a, b| a.path.cmp(&b.path));
    unions.sort_by(|a, b| a.path.cmp(&b.path));
    let mut ir =
        Ir { service, operations, structures, errors, enums, unions, patterns: Vec::new(), validated: BTreeSet::new() };
    ir.patterns = patterns(&ir)?;
    ir.validated = validated(&ir);
    Ok(ir)
}

/// Every field type of every structure and union in the IR, with the id of its owner.
fn all_type_refs(ir: &Ir) -> Vec<(&ShapeId, &TypeRef)> {
    fn walk<'a>(owner: &'a ShapeId, t: &'a TypeRef, out: &mut Vec<(&'a ShapeId, &'a TypeRef)>) {
        out.push((owner, t));
        match &t.ty {
            Type::List { member, .. } => walk(owner, member, out),
            Type::Map { key, value, .. } => {
                walk(owner, key, out);
                walk(owner, value, out);
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    let structs = ir.operations.iter().flat_map(|o| [&o.input, &o.output]).chain(&ir.structures).chain(&ir.errors);
    for s in structs {
        for f in &s.fields {
            walk(&s.id, &f.ty, &mut out);
        }
    }
    for u in &ir.unions {
        for v in &u.variants {
            if let Some(t) = &v.ty {
                walk(&u.id, t, &mut out);
            }
        }
    }
    out
}

fn patterns(ir: &Ir) -> Result<Vec<PatternDef>> {
    let mut by_pattern: BTreeMap<&str, BTreeSet<ShapeId>> = BTreeMap::new();
    for (_, t) in all_type_refs(ir) {
        if let Some(p) = &t.constraints.pattern {
            by_pattern.entry(p.as_str()).or_default().insert(t.shape.clone());
        }
    }
    // Planning compiles every regex to check it; the patterns are independent, so use all cores.
    let list: Vec<(&str, BTreeSet<ShapeId>)> = by_pattern.into_iter().collect();
    let plans = crate::parallel::map(&list, |(p, _)| crate::pattern::plan(p))?;
    let mut defs = Vec::new();
    let mut names = BTreeSet::new();
    for ((pattern, shapes), plan) in list.into_iter().zip(plans) {
        let first = shapes.iter().next().cloned().unwrap_or_default();
        let plan = plan.map_err(|e| {
            Error::at(
                format!("{}.traits[\"smithy.api#pattern\"]", shape_path(&first)),
                format!("pattern `{pattern}` of `{first}` cannot be checked: {e}"),
            )
        })?;
        let base = ident::const_name(shape_name(&first));
        let mut name = base.clone();
        let mut n = 2;
        while !names.insert(name.clone()) {
            name = format!("{base}_{n}");
            n += 1;
        }
        defs.push(PatternDef { name, plan, shapes: shapes.into_iter().collect() });
    }
    defs.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(defs)
}

/// Whether values of this type have anything to check, given the validated named types and the patterns that
/// match every string.
fn needs_validation(t: &TypeRef, validated: &BTreeSet<ShapeId>, patterns: &[PatternDef]) -> bool {
    let c = &t.constraints;
    let real_pattern =
        c.pattern.as_deref().is_some_and(|p| patterns.iter().any(|d| d.plan.original == p && !d.plan.is_trivial()));
    if c.length.is_some() || c.range.is_some() || c.unique_items || real_pattern {
        return true;
    }
    match &t.ty {
        Type::Named(_) => validated.contains(&t.shape),
        Type::List { member, .. } => needs_validation(member, validated, patterns),
        Type::Map { key, value, .. } => {
            needs_validation(key, validated, patterns) || needs_validation(value, validated, patterns)
        }
        _ => false,
    }
}

impl Ir {
    /// Whether values of this type have anything to check.
    pub fn needs_validation(&self, t: &TypeRef) -> bool {
        needs_validation(t, &self.validated, &self.patterns)
    }
}

fn validated(ir: &Ir) -> BTreeSet<ShapeId> {
    let mut set = BTreeSet::new();
    let structs: Vec<&Structure> =
        ir.operations.iter().flat_map(|o| [&o.input, &o.output]).chain(&ir.structures).chain(&ir.errors).collect();
    loop {
        let before = set.len();
        for s in &structs {
            if s.fields.iter().any(|f| (f.required && f.optional) || needs_validation(&f.ty, &set, &ir.patterns)) {
                set.insert(s.id.clone());
            }
        }
        for u in &ir.unions {
            if u.variants.iter().any(|v| v.ty.as_ref().is_some_and(|t| needs_validation(t, &set, &ir.patterns))) {
                set.insert(u.id.clone());
            }
        }
        if set.len() == before {
            return set;
        }
    }
}

struct Builder<'a> {
    resolved: &'a Resolved,
    /// Paths of every named type (structures, enums, unions), operation inputs and outputs included.
    paths: BTreeMap<ShapeId, TypePath>,
    /// `(shape, member)` pairs to box.
    boxed: BTreeSet<(ShapeId, String)>,
}

impl Builder<'_> {
    fn shapes(&self) -> &BTreeMap<ShapeId, Shape> {
        &self.resolved.shapes
    }

    /// The name of a shape after the service's `rename`.
    fn renamed(&self, id: &str) -> String {
        self.resolved.service.rename.get(id).cloned().unwrap_or_else(|| shape_name(id).to_owned())
    }

    fn assign_paths(&mut self) -> Result<()> {
        let mut taken: BTreeMap<(Vec<String>, String), ShapeId> = BTreeMap::new();
        let mut claim = |path: &TypePath, id: &ShapeId| -> Result<()> {
            if let Some(other) = taken.insert((path.modules.clone(), path.name.clone()), id.clone()) {
                if &other != id {
                    return Err(Error::at(
                        shape_path(id),
                        format!(
                            "shapes `{other}` and `{id}` both map to the Rust type `crate::{}::{}`; rename one in the service's `rename` map",
                            path.modules.join("::"),
                            path.name
                        ),
                    ));
                }
            }
            Ok(())
        };
        let mut modules: BTreeMap<String, ShapeId> = BTreeMap::new();
        for op_id in &self.resolved.operations {
            let resolved = self.resolved;
            let Some(Shape::Operation(op)) = resolved.shapes.get(op_id) else { continue };
            let name = ident::type_name(&self.renamed(op_id));
            let module = ident::module_name(shape_name(op_id));
            if let Some(other) = modules.insert(module.clone(), op_id.clone()) {
                return Err(Error::at(
                    shape_path(op_id),
                    format!("operations `{other}` and `{op_id}` both map to the module `operation::{module}`"),
                ));
            }
            let modules_path = vec!["operation".to_owned(), module];
            for (target, suffix) in [(&op.input, "Input"), (&op.output, "Output")] {
                if let Some(t) = target {
                    if t.target == UNIT {
                        continue;
                    }
                    if self.paths.contains_key(&t.target) {
                        return Err(Error::at(
                            shape_path(op_id),
                            format!(
                                "structure `{}` is used more than once as an operation input or output; each operation needs its own",
                                t.target
                            ),
                        ));
                    }
                    let path = TypePath { modules: modules_path.clone(), name: format!("{name}{suffix}") };
                    claim(&path, &t.target)?;
                    self.paths.insert(t.target.clone(), path);
                }
            }
        }
        for (id, shape) in self.resolved.shapes.iter() {
            if id == UNIT || self.paths.contains_key(id) {
                continue;
            }
            let modules = match shape {
                Shape::Structure(s) if s.traits.has("smithy.api#error") => vec!["types".to_owned(), "error".to_owned()],
                Shape::Structure(_) | Shape::Enum(_) | Shape::IntEnum(_) | Shape::Union(_) => vec!["types".to_owned()],
                _ => continue,
            };
            let path = TypePath { modules, name: ident::type_name(&self.renamed(id)) };
            claim(&path, id)?;
            // Builders share the module, so `XBuilder` must not be another type's name.
            let builder = TypePath { modules: path.modules.clone(), name: path.builder_name() };
            claim(&builder, id)?;
            self.paths.insert(id.clone(), path);
        }
        Ok(())
    }

    fn service(&self) -> Result<Service> {
        let s = &self.resolved.service;
        let id = self.resolved.service_id.clone();
        let traits = &s.traits;
        let aws = traits.get("aws.api#service");
        let protocol = if traits.has("aws.protocols#awsJson1_1") {
            Protocol::AwsJson1_1
        } else if traits.has("aws.protocols#awsJson1_0") {
            Protocol::AwsJson1_0
        } else {
            let found: Vec<&str> =
                traits.0.keys().filter(|k| k.starts_with("aws.protocols#")).map(String::as_str).collect();
            return Err(Error::at(
                shape_path(&id),
                format!(
                    "service `{id}` uses no supported protocol (supported: aws.protocols#awsJson1_0, aws.protocols#awsJson1_1; found: {})",
                    if found.is_empty() { "none".to_owned() } else { found.join(", ") }
                ),
            ));
        };
        let str_field =
            |v: Option<&Value>, k: &str| v.and_then(|v| v.get(k)).and_then(Value::as_str).map(str::to_owned);
        let sdk_id = str_field(aws, "sdkId").unwrap_or_else(|| shape_name(&id).to_owned());
        Ok(Service {
            target_prefix: shape_name(&id).to_owned(),
            title: traits.get("smithy.api#title").and_then(Value::as_str).unwrap_or(&sdk_id).to_owned(),
            sdk_id,
            version: s.version.clone().unwrap_or_default(),
            signing_name: str_field(traits.get("aws.auth#sigv4"), "name"),
            endpoint_prefix: str_field(aws, "endpointPrefix"),
            protocol,
            docs: traits.documentation().map(docs::html_to_markdown).unwrap_or_default(),
            endpoint_rules: match traits.get("smithy.rules#endpointRuleSet") {
                Some(v) => Some(crate::rules::parse(v).map_err(|m| {
                    Error::at(format!("{}.traits[\"smithy.rules#endpointRuleSet\"]", shape_path(&id)), m)
                })?),
                None => None,
            },
            endpoint_tests: traits.get("smithy.rules#endpointTests").cloned(),
            id,
        })
    }

    fn operation(&self, id: &ShapeId) -> Result<Operation> {
        let Some(Shape::Operation(op)) = self.shapes().get(id) else {
            return Err(Error::at(shape_path(id), "not an operation"));
        };
        let name = shape_name(id).to_owned();
        let module = ident::module_name(&name);
        let type_base = ident::type_name(&self.renamed(id));
        let io = |t: &Option<crate::model::Target>, suffix: &str| -> Result<Structure> {
            match t.as_ref().map(|t| &t.target).filter(|t| t.as_str() != UNIT) {
                Some(target) => {
                    let Some(Shape::Structure(s)) = self.shapes().get(target) else {
                        return Err(Error::at(shape_path(target), "operation input/output must be a structure"));
                    };
                    let mut st = self.structure(target, s, self.paths[target].clone())?;
                    if suffix == "Input" {
                        // Smithy: members of input structures are optional for clients.
                        for f in &mut st.fields {
                            if !f.optional {
                                f.optional = true;
                                f.default = None;
                            }
                        }
                    }
                    Ok(st)
                }
                None => Ok(Structure {
                    id: UNIT.to_owned(),
                    path: TypePath {
                        modules: vec!["operation".into(), module.clone()],
                        name: format!("{type_base}{suffix}"),
                    },
                    docs: String::new(),
                    fields: Vec::new(),
                    sensitive: false,
                    deprecated: None,
                    error: None,
                }),
            }
        };
        let mut input = io(&op.input, "Input")?;
        let mut output = io(&op.output, "Output")?;
        let documented = |s: &Structure| matches!(self.shapes().get(&s.id), Some(shape) if shape.traits().documentation().is_some_and(|d| !d.trim().is_empty()));
        if !documented(&input) {
            input.docs = format!("Input of the `{name}` operation.");
        }
        if !documented(&output) {
            output.docs = format!("Output of the `{name}` operation.");
        }
        let mut errors = Vec::new();
        let mut error_ids: Vec<&ShapeId> = op.errors.iter().map(|e| &e.target).collect();
        error_ids.extend(self.resolved.service.errors.iter().map(|e| &e.target));
        let mut seen = BTreeSet::new();
        for eid in error_ids {
            if !seen.insert(eid.clone()) {
                continue;
            }
            let variant = ident::variant_name(&self.renamed(eid));
            if variant == "Unhandled" {
                return Err(Error::at(
                    shape_path(eid),
                    "an error named `Unhandled` clashes with the generated variant",
                ));
            }
            errors.push(ErrorRef {
                id: eid.clone(),
                code: shape_name(eid).to_owned(),
                variant,
                path: self.paths[eid].clone(),
            });
        }
        errors.sort_by(|a, b| a.variant.cmp(&b.variant));
        for pair in errors.windows(2) {
            if pair[0].variant == pair[1].variant {
                return Err(Error::at(
                    shape_path(id),
                    format!(
                        "errors `{}` and `{}` map to the same variant `{}`",
                        pair[0].id, pair[1].id, pair[0].variant
                    ),
                ));
            }
        }
        let paginated = self.paginated(id, &op.traits, &input, &output)?;
        let has_items = paginated.as_ref().and_then(|p| p.items.as_deref()).is_some_and(|items| {
            !items.contains('.')
                && output.fields.iter().any(|f| f.wire_name == items && matches!(f.ty.ty, Type::List { .. }))
        });
        let client_types = ClientTypes {
            error: format!("{type_base}Error"),
            fluent_builder: format!("{type_base}FluentBuilder"),
            paginator: paginated.as_ref().map(|_| format!("{type_base}Paginator")),
            items_paginator: has_items.then(|| format!("{type_base}ItemsPaginator")),
        };
        let taken = [&input.path.name, &output.path.name, &input.path.builder_name(), &output.path.builder_name()];
        let ours = [
            Some(&client_types.error),
            Some(&client_types.fluent_builder),
            client_types.paginator.as_ref(),
            client_types.items_paginator.as_ref(),
        ];
        if let Some(clash) = ours.iter().flatten().find(|n| taken.contains(n)) {
            return Err(Error::at(
                shape_path(id),
                format!("the generated type `{clash}` clashes with the operation's input or output"),
            ));
        }
        Ok(Operation {
            client_types,
            id: id.clone(),
            method: ident::method_name(&name),
            module,
            docs: op.traits.documentation().map(docs::html_to_markdown).unwrap_or_default(),
            input,
            output,
            errors,
            paginated,
            deprecated: deprecated(&op.traits),
            name,
        })
    }

    fn paginated(&self, id: &str, traits: &Traits, input: &Structure, output: &Structure) -> Result<Option<Paginated>> {
        let Some(p) = traits.get("smithy.api#paginated") else { return Ok(None) };
        let defaults = self.resolved.service.traits.get("smithy.api#paginated");
        let field =
            |k: &str| p.get(k).or_else(|| defaults.and_then(|d| d.get(k))).and_then(Value::as_str).map(str::to_owned);
        let (Some(input_token), Some(output_token)) = (field("inputToken"), field("outputToken")) else {
            return Ok(None);
        };
        let at = format!("{}.traits[\"smithy.api#paginated\"]", shape_path(id));
        let has = |s: &Structure, m: &str| s.fields.iter().any(|f| f.wire_name == m);
        if !has(input, &input_token) {
            return Err(Error::at(at, format!("inputToken `{input_token}` is not a member of the input")));
        }
        // Output paths may be nested (`a.b`); only the first segment is checked.
        if !has(output, output_token.split('.').next().unwrap_or("")) {
            return Err(Error::at(at, format!("outputToken `{output_token}` is not a member of the output")));
        }
        let items = field("items");
        if let Some(items) = &items {
            if !has(output, items.split('.').next().unwrap_or("")) {
                return Err(Error::at(at, format!("items `{items}` is not a member of the output")));
            }
        }
        let page_size = field("pageSize");
        if let Some(ps) = &page_size {
            if !has(input, ps) {
                return Err(Error::at(at, format!("pageSize `{ps}` is not a member of the input")));
            }
        }
        Ok(Some(Paginated { input_token, output_token, items, page_size }))
    }

    fn structure(&self, id: &ShapeId, s: &Aggregate, path: TypePath) -> Result<Structure> {
        let mut fields = Vec::new();
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        for (wire, member) in &s.members {
            let field = self.field(id, wire, member)?;
            for derived in [field.name.clone(), field.setter.clone(), field.getter.clone()] {
                let key = ident::unraw(&derived).to_owned();
                if let Some(other) = names.insert(key.clone(), wire.clone()) {
                    return Err(Error::at(
                        member_path(id, wire),
                        format!(
                            "members `{other}` and `{wire}` of `{id}` both produce the Rust name `{key}`; rename one in the model"
                        ),
                    ));
                }
            }
            fields.push(field);
        }
        let error = s.traits.get("smithy.api#error").and_then(Value::as_str).map(str::to_owned);
        if s.traits.has("smithy.api#error") && error.is_none() {
            return Err(Error::at(
                format!("{}.traits[\"smithy.api#error\"]", shape_path(id)),
                "@error must be \"client\" or \"server\"",
            ));
        }
        Ok(Structure {
            id: id.clone(),
            path,
            docs: shape_docs(id, &s.traits),
            fields,
            sensitive: s.traits.has("smithy.api#sensitive"),
            deprecated: deprecated(&s.traits),
            error,
        })
    }

    fn field(&self, owner: &ShapeId, wire: &str, member: &Member) -> Result<Field> {
        let name = ident::field_name(wire);
        let (setter, getter) = ident::setter_getter(&name);
        let ty = self.type_ref(&member.target, &member.traits, &member_path(owner, wire))?;
        let target_traits = self.shapes()[&member.target].traits();
        let required = member.traits.has("smithy.api#required");
        let client_optional = member.traits.has("smithy.api#clientOptional");
        let default = member
            .traits
            .get("smithy.api#default")
            .or_else(|| target_traits.get("smithy.api#default"))
            .filter(|v| !v.is_null())
            .cloned();
        let optional = client_optional || !(required || default.is_some());
        let default = if optional { None } else { default };
        if let Some(d) = &default {
            check_default(&ty, d)
                .map_err(|m| Error::at(format!("{}.traits[\"smithy.api#default\"]", member_path(owner, wire)), m))?;
        }
        let mut docs = member
            .traits
            .documentation()
            .or_else(|| target_traits.documentation())
            .map(docs::html_to_markdown)
            .unwrap_or_default();
        if docs.is_empty() {
            docs = format!("The `{wire}` member.");
        }
        append_constraint_docs(&mut docs, &ty, required);
        if let Some(d) = &default {
            docs.push_str(&format!("{}*Default:* `{d}`.", if docs.contains("\n\n*") { " " } else { "\n\n" }));
        }
        Ok(Field {
            wire_name: wire.to_owned(),
            setter,
            getter,
            docs,
            optional,
            boxed: self.boxed.contains(&(owner.clone(), wire.to_owned())),
            required,
            default,
            sensitive: self.is_sensitive(&member.target, &member.traits),
            deprecated: deprecated(&member.traits),
            idempotency_token: member.traits.has("smithy.api#idempotencyToken"),
            ty,
            name,
        })
    }

    fn is_sensitive(&self, target: &str, member_traits: &Traits) -> bool {
        if member_traits.has("smithy.api#sensitive") {
            return true;
        }
        let mut seen = BTreeSet::new();
        let mut stack = vec![target.to_owned()];
        while let Some(id) = stack.pop() {
            if !seen.insert(id.clone()) {
                continue;
            }
            let Some(shape) = self.shapes().get(&id) else { continue };
            if shape.traits().has("smithy.api#sensitive") {
                return true;
            }
            match shape {
                Shape::List(l) => stack.push(l.member.target.clone()),
                Shape::Map(m) => {
                    stack.push(m.key.target.clone());
                    stack.push(m.value.target.clone());
                }
                _ => {}
            }
        }
        false
    }

    fn type_ref(&self, target: &ShapeId, member_traits: &Traits, at: &str) -> Result<TypeRef> {
        let shape = self.shapes().get(target).ok_or_else(|| Error::at(at, format!("target `{target}` is missing")))?;
        let mut constraints = constraints_of(shape.traits(), at)?;
        let member_constraints = constraints_of(member_traits, at)?;
        constraints.merge(member_constraints);
        let ty = match shape {
            Shape::Simple(s) => {
                if s.kind == SimpleType::Timestamp {
                    let fmt = member_traits
                        .get("smithy.api#timestampFormat")
                        .or_else(|| s.traits.get("smithy.api#timestampFormat"))
                        .and_then(Value::as_str);
                    if let Some(f) = fmt.filter(|f| *f != "epoch-seconds") {
                        return Err(Error::at(
                            at,
                            format!("timestamp format `{f}` is not supported (awsJson uses epoch-seconds)"),
                        ));
                    }
                }
                match s.kind {
                    SimpleType::Blob => Type::Blob,
                    SimpleType::Boolean => Type::Bool,
                    SimpleType::String => Type::String,
                    SimpleType::Byte => Type::Byte,
                    SimpleType::Short => Type::Short,
                    SimpleType::Integer => Type::Integer,
                    SimpleType::Long => Type::Long,
                    SimpleType::Float => Type::Float,
                    SimpleType::Double => Type::Double,
                    SimpleType::BigInteger => Type::BigInteger,
                    SimpleType::BigDecimal => Type::BigDecimal,
                    SimpleType::Timestamp => Type::Timestamp,
                    SimpleType::Document => Type::Document,
                }
            }
            Shape::Enum(a) | Shape::IntEnum(a) => {
                constraints.enum_values = a.members.iter().map(|(n, m)| crate::model::enum_value(n, m)).collect();
                Type::Named(self.paths[target].clone())
            }
            Shape::Structure(_) | Shape::Union(_) => Type::Named(self.paths[target].clone()),
            Shape::List(l) => Type::List {
                member: Box::new(self.type_ref(
                    &l.member.target,
                    &l.member.traits,
                    &format!("{}.member", shape_path(target)),
                )?),
                sparse: l.traits.has("smithy.api#sparse"),
            },
            Shape::Map(m) => Type::Map {
                key: Box::new(self.type_ref(&m.key.target, &m.key.traits, &format!("{}.key", shape_path(target)))?),
                value: Box::new(self.type_ref(
                    &m.value.target,
                    &m.value.traits,
                    &format!("{}.value", shape_path(target)),
                )?),
                sparse: m.traits.has("smithy.api#sparse"),
            },
            other => {
                return Err(Error::at(at, format!("a {} cannot be a member target", other.type_name())));
            }
        };
        Ok(TypeRef { shape: target.clone(), ty, constraints })
    }

    fn enumeration(&self, id: &ShapeId, a: &Aggregate, int: bool) -> Result<Enum> {
        let mut variants = Vec::new();
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        let mut values: BTreeMap<String, String> = BTreeMap::new();
        for (member_name, m) in &a.members {
            let at = member_path(id, member_name);
            let value = match (int, m.traits.get("smithy.api#enumValue")) {
                (false, None) => Value::String(member_name.clone()),
                (false, Some(Value::String(s))) => Value::String(s.clone()),
                (true, Some(Value::Number(n))) if n.as_i64().is_some_and(|v| i32::try_from(v).is_ok()) => {
                    Value::Number(n.clone())
                }
                (true, _) => return Err(Error::at(at, "intEnum members need an integer @enumValue that fits in i32")),
                (false, Some(_)) => return Err(Error::at(at, "enum @enumValue must be a string")),
            };
            let name = ident::variant_name(member_name);
            if let Some(other) = names.insert(name.clone(), member_name.clone()) {
                return Err(Error::at(
                    at,
                    format!("enum members `{other}` and `{member_name}` of `{id}` both map to the variant `{name}`"),
                ));
            }
            if let Some(other) = values.insert(value.to_string(), member_name.clone()) {
                return Err(Error::at(
                    at,
                    format!("enum members `{other}` and `{member_name}` of `{id}` share the value {value}"),
                ));
            }
            variants.push(Variant {
                name,
                value,
                docs: m.traits.documentation().map(docs::html_to_markdown).unwrap_or_default(),
                deprecated: deprecated(&m.traits),
            });
        }
        variants.sort_by_key(|v| v.value.to_string());
        if int {
            variants.sort_by_key(|v| v.value.as_i64());
        }
        Ok(Enum {
            id: id.clone(),
            path: self.paths[id].clone(),
            docs: shape_docs(id, &a.traits),
            int,
            variants,
            deprecated: deprecated(&a.traits),
        })
    }

    fn union(&self, id: &ShapeId, a: &Aggregate) -> Result<Union> {
        let mut variants = Vec::new();
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        if a.members.is_empty() {
            return Err(Error::at(shape_path(id), format!("union `{id}` has no members")));
        }
        for (wire, m) in &a.members {
            let at = member_path(id, wire);
            let name = ident::variant_name(wire);
            if let Some(other) = names.insert(name.clone(), wire.clone()) {
                return Err(Error::at(
                    at,
                    format!("union members `{other}` and `{wire}` of `{id}` both map to `{name}`"),
                ));
            }
            let ty = if m.target == UNIT { None } else { Some(self.type_ref(&m.target, &m.traits, &at)?) };
            let mut docs = m
                .traits
                .documentation()
                .or_else(|| self.shapes()[&m.target].traits().documentation())
                .map(docs::html_to_markdown)
                .unwrap_or_default();
            if docs.is_empty() {
                docs = format!("The `{wire}` member.");
            }
            if let Some(t) = &ty {
                append_constraint_docs(&mut docs, t, false);
            }
            variants.push(UnionVariant {
                wire_name: wire.clone(),
                method: ident::unraw(&ident::field_name(wire)).trim_end_matches('_').to_owned(),
                name,
                docs,
                boxed: self.boxed.contains(&(id.clone(), wire.clone())),
                sensitive: self.is_sensitive(&m.target, &m.traits),
                deprecated: deprecated(&m.traits),
                ty,
            });
        }
        Ok(Union {
            id: id.clone(),
            path: self.paths[id].clone(),
            docs: shape_docs(id, &a.traits),
            sensitive: a.traits.has("smithy.api#sensitive"),
            deprecated: deprecated(&a.traits),
            variants,
        })
    }
}

/// A shape's docs, or a sentence naming the shape when the model has none (every public item is documented).
fn shape_docs(id: &str, traits: &Traits) -> String {
    match traits.documentation().map(docs::html_to_markdown) {
        Some(d) if !d.is_empty() => d,
        _ => format!("The `{}` shape of the service model.", shape_name(id)),
    }
}

fn append_constraint_docs(docs: &mut String, ty: &TypeRef, required: bool) {
    let mut lines = Vec::new();
    if required {
        lines.push("*Required.*".to_owned());
    }
    if let Some(c) = ty.constraints.describe() {
        lines.push(format!("*Constraints:* {c}."));
    }
    match &ty.ty {
        Type::List { member, .. } => {
            if let Some(c) = member.constraints.describe() {
                lines.push(format!("*Each item:* {c}."));
            }
        }
        Type::Map { key, value, .. } => {
            if let Some(c) = key.constraints.describe() {
                lines.push(format!("*Each key:* {c}."));
            }
            if let Some(c) = value.constraints.describe() {
                lines.push(format!("*Each value:* {c}."));
            }
        }
        _ => {}
    }
    if lines.is_empty() {
        return;
    }
    if !docs.is_empty() {
        docs.push_str("\n\n");
    }
    docs.push_str(&lines.join(" "));
}

fn deprecated(traits: &Traits) -> Option<Deprecated> {
    let d = traits.get("smithy.api#deprecated")?;
    let s = |k: &str| d.get(k).and_then(Value::as_str).map(str::to_owned);
    Some(Deprecated { message: s("message"), since: s("since") })
}

impl Constraints {
    fn merge(&mut self, other: Constraints) {
        if other.length.is_some() {
            self.length = other.length;
        }
        if other.range.is_some() {
            self.range = other.range;
        }
        if other.pattern.is_some() {
            self.pattern = other.pattern;
        }
        self.unique_items |= other.unique_items;
    }
}

fn constraints_of(traits: &Traits, at: &str) -> Result<Constraints> {
    let mut c = Constraints::default();
    if let Some(l) = traits.get("smithy.api#length") {
        let get = |k: &str| -> Result<Option<u64>> {
            match l.get(k) {
                None | Some(Value::Null) => Ok(None),
                Some(v) => v.as_u64().map(Some).ok_or_else(|| {
                    Error::at(format!("{at}.traits[\"smithy.api#length\"].{k}"), "must be a non-negative integer")
                }),
            }
        };
        c.length = Some((get("min")?, get("max")?));
    }
    if let Some(r) = traits.get("smithy.api#range") {
        let get = |k: &str| -> Result<Option<serde_json::Number>> {
            match r.get(k) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::Number(n)) => Ok(Some(n.clone())),
                Some(_) => Err(Error::at(format!("{at}.traits[\"smithy.api#range\"].{k}"), "must be a number")),
            }
        };
        c.range = Some((get("min")?, get("max")?));
    }
    if let Some(p) = traits.get("smithy.api#pattern") {
        c.pattern = Some(
            p.as_str()
                .ok_or_else(|| Error::at(format!("{at}.traits[\"smithy.api#pattern\"]"), "must be a string"))?
                .to_owned(),
        );
    }
    c.unique_items = traits.has("smithy.api#uniqueItems");
    Ok(c)
}

fn check_default(tr: &TypeRef, v: &Value) -> std::result::Result<(), String> {
    let values = &tr.constraints.enum_values;
    if !values.is_empty() {
        let text = v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string());
        if !values.contains(&text) {
            return Err(format!("default value {v} is not one of the enum's values ({})", values.join(", ")));
        }
    }
    let ok = match &tr.ty {
        Type::String | Type::Blob => v.is_string(),
        Type::Named(_) => v.is_string() || v.is_number() || v.as_object().is_some_and(|o| o.is_empty()),
        Type::Bool => v.is_boolean(),
        Type::Byte | Type::Short | Type::Integer | Type::Long | Type::BigInteger => v.is_i64() || v.is_u64(),
        Type::Float | Type::Double | Type::BigDecimal | Type::Timestamp => v.is_number(),
        Type::Document => true,
        Type::List { .. } => v.as_array().is_some_and(|a| a.is_empty()),
        Type::Map { .. } => v.as_object().is_some_and(|o| o.is_empty()),
    };
    if ok {
        Ok(())
    } else {
        Err(format!("default value {v} does not fit the member's type"))
    }
}

/// Members to box: edges `shape.member -> target` (structure or union targets, not through collections) that lie
/// on a cycle made only of such direct edges. A cycle through a list or map needs no box; `Vec` and `HashMap`
/// already allocate.
fn boxed_edges(shapes: &BTreeMap<ShapeId, Shape>) -> BTreeSet<(ShapeId, String)> {
    let mut graph: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for (id, shape) in shapes {
        if let Shape::Structure(a) | Shape::Union(a) = shape {
            let edges = a
                .members
                .iter()
                .filter(|(_, m)| matches!(shapes.get(&m.target), Some(Shape::Structure(_) | Shape::Union(_))))
                .map(|(n, m)| (n.as_str(), m.target.as_str()))
                .collect();
            graph.insert(id.as_str(), edges);
        }
    }
    let scc = tarjan(&graph);
    let mut out = BTreeSet::new();
    for (from, edges) in &graph {
        for (member, to) in edges {
            if scc.get(from) == scc.get(to) && scc.contains_key(from) {
                // Same component: either a self-loop or a longer cycle.
                let in_cycle = from == to || scc.values().filter(|c| Some(*c) == scc.get(from)).count() > 1;
                if in_cycle {
                    out.insert((from.to_string(), member.to_string()));
                }
            }
        }
    }
    out
}

/// Strongly connected components (iterative Tarjan); returns each node's component index.
fn tarjan<'a>(graph: &BTreeMap<&'a str, Vec<(&'a str, &'a str)>>) -> BTreeMap<&'a str, usize> {
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut low: BTreeMap<&str, usize> = BTreeMap::new();
    let mut on_stack: BTreeSet<&str> = BTreeSet::new();
    let mut stack: Vec<&str> = Vec::new();
    let mut comp: BTreeMap<&str, usize> = BTreeMap::new();
    let mut next = 0;
    let mut ncomp = 0;
    for &start in graph.keys() {
        if index.contains_key(start) {
            continue;
        }
        let mut work: Vec<(&str, usize)> = vec![(start, 0)];
        while let Some((v, i)) = work.pop() {
            if i == 0 {
                index.insert(v, next);
                low.insert(v, next);
                next += 1;
                stack.push(v);
                on_stack.insert(v);
            }
            let edges = graph.get(v).map(Vec::as_slice).unwrap_or(&[]);
            if i < edges.len() {
                work.push((v, i + 1));
                let w = edges[i].1;
                if !graph.contains_key(w) {
                    continue;
                }
                if !index.contains_key(w) {
                    work.push((w, 0));
                } else if on_stack.contains(w) {
                    let lw = index[w];
                    let lv = low[v].min(lw);
                    low.insert(v, lv);
                }
                continue;
            }
            // Done with v: propagate to parent.
            if let Some(&(parent, _)) = work.last() {
                let lp = low[parent].min(low[v]);
                low.insert(parent, lp);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack.remove(w);
                    comp.insert(w, ncomp);
                    if w == v {
                        break;
                    }
                }
                ncomp += 1;
            }
        }
    }
    comp
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph_shapes(edges: &[(&str, &[(&str, &str)])]) -> BTreeMap<ShapeId, Shape> {
        let mut shapes = BTreeMap::new();
        for (id, members) in edges {
            let mut a = Aggregate::default();
            for (m, t) in members.iter() {
                a.members.insert(m.to_string(), Member { target: t.to_string(), traits: Traits::default() });
            }
            shapes.insert(id.to_string(), Shape::Structure(a));
        }
        shapes
    }

    #[test]
    fn boxes_self_loops_and_direct_cycles_only() {
        let shapes = graph_shapes(&[
            ("n#A", &[("b", "n#B"), ("leaf", "n#Leaf")]),
            ("n#B", &[("a", "n#A")]),
            ("n#Node", &[("next", "n#Node")]),
            ("n#Leaf", &[]),
        ]);
        let boxed = boxed_edges(&shapes);
        let want: BTreeSet<(ShapeId, String)> = [("n#A", "b"), ("n#B", "a"), ("n#Node", "next")]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(boxed, want);
    }

    #[test]
    fn tarjan_handles_parent_low_links() {
        // A -> B -> C -> A, and C -> D (not on the cycle).
        let shapes = graph_shapes(&[
            ("n#A", &[("b", "n#B")]),
            ("n#B", &[("c", "n#C")]),
            ("n#C", &[("a", "n#A"), ("d", "n#D")]),
            ("n#D", &[]),
        ]);
        let boxed = boxed_edges(&shapes);
        assert!(boxed.contains(&("n#A".into(), "b".into())));
        assert!(boxed.contains(&("n#C".into(), "a".into())));
        assert!(!boxed.contains(&("n#C".into(), "d".into())));
    }

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
