//! Building the IR from a resolved model: paths and names first, then the service, operations, and every type.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::*;
use crate::error::{member_path, shape_path, Error, Result};
use crate::model::{shape_name, Aggregate, Member, Shape, ShapeId, SimpleType, Traits};
use crate::resolve::Resolved;
use crate::{docs, ident};

const UNIT: &str = "smithy.api#Unit";

/// Build the IR from a resolved model and the AWS partition table (`partitions.json`, needed when the endpoint rules
/// call `aws.partition`).
pub fn build(resolved: &Resolved, partitions: Option<&Value>) -> Result<Ir> {
    let mut b = Builder { resolved, paths: BTreeMap::new(), boxed: BTreeSet::new() };
    b.assign_paths()?;
    b.boxed = super::graph::boxed_edges(&resolved.shapes);
    let service = b.service(partitions)?;
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
    ir.patterns = super::checks::patterns(&ir)?;
    ir.validated = super::checks::validated(&ir);
    Ok(ir)
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

    fn service(&self, partitions: Option<&Value>) -> Result<Service> {
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
            endpoints: match traits.get("smithy.rules#endpointRuleSet") {
                Some(v) => {
                    let rules = crate::rules::parse(v).map_err(|m| {
                        Error::at(format!("{}.traits[\"smithy.rules#endpointRuleSet\"]", shape_path(&id)), m)
                    })?;
                    let tests = traits.get("smithy.rules#endpointTests");
                    Some(super::endpoints::build(&id, &rules, tests, partitions)?)
                }
                None => None,
            },
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
