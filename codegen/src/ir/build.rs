//! Building the IR from a resolved model: paths and names first, then the service, operations, and every type.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::*;
use crate::error::{member_path, shape_path, Error, Result};
use crate::model::{shape_name, Aggregate, Member, Shape, ShapeId, SimpleType, Traits};
use crate::resolve::Resolved;
use crate::{docs, ident};

use crate::traits::{self, UNIT};

/// Build the IR from a resolved model, the AWS partition table (`partitions.json`, needed when the endpoint rules
/// call `aws.partition`) and the pipeline-definition settings (whose shapes `resolved.tables` holds).
pub fn build(
    resolved: &Resolved,
    partitions: Option<&Value>,
    definitions: Option<&crate::config::Definitions>,
) -> Result<Ir> {
    let mut b = Builder { resolved, paths: BTreeMap::new(), io_paths: BTreeMap::new(), boxed: BTreeSet::new() };
    b.assign_paths()?;
    b.boxed = super::graph::boxed_edges(&resolved.shapes);
    let service = b.service(partitions)?;
    let mut operations = Vec::new();
    for op_id in &resolved.operations {
        operations.push(b.operation(op_id, service.endpoints.as_ref())?);
    }
    let mut structures = Vec::new();
    let mut errors = Vec::new();
    let mut enums = Vec::new();
    let mut unions = Vec::new();
    for (id, shape) in &resolved.shapes {
        match shape {
            Shape::Structure(s) if b.paths.contains_key(id) => {
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
    // Waiter names are unique in a service, ignoring case (the Smithy waiters specification).
    let mut waiter_names: BTreeMap<String, &str> = BTreeMap::new();
    for op in &operations {
        for w in &op.waiters {
            if let Some(other) = waiter_names.insert(w.name.to_ascii_lowercase(), &op.name) {
                return Err(Error::at(
                    traits::path(&shape_path(&op.id), traits::WAITABLE),
                    format!("the waiter `{}` of `{}` has the name of a waiter of `{other}` (names are unique, ignoring case)", w.name, op.name),
                ));
            }
        }
    }
    let mut ir = Ir {
        service,
        operations,
        structures,
        errors,
        enums,
        unions,
        patterns: Vec::new(),
        protocol_tests: Vec::new(),
        definitions: None,
    };
    ir.patterns = super::checks::patterns(&ir)?;
    if let Some(settings) = definitions {
        ir.definitions = Some(super::definitions::build(resolved, settings, &ir.patterns)?);
    }
    let validated = super::checks::validated(&ir);
    super::checks::complete(&mut ir, &validated);
    super::wire::directions(&mut ir);
    ir.protocol_tests = super::protocol_tests::collect(&ir, &resolved.shapes);
    super::endpoints::type_operation_inputs(&mut ir);
    Ok(ir)
}

struct Builder<'a> {
    resolved: &'a Resolved,
    /// Paths of the shared types: every structure, enum, int enum and union of the resolved closure except
    /// `smithy.api#Unit` and the structures that are only an operation's input or output (no member targets them).
    /// What `resolve` checked makes every lookup below find its entry (the sweep of issue 22 went through each):
    ///
    /// - (a) a member target: structure, list and map members never target Unit, union members that do get no
    ///   type (`resolve::check_member_target`), and a structure some member targets is not input-or-output only;
    /// - (b) an operation's or the service's error: a structure with `@error` (`resolve::check_error`), which is
    ///   never an input or output (`resolve` refuses that, as Smithy does) and never Unit (the prelude is immutable,
    ///   `resolve::check_prelude`);
    /// - (c) an enum, int enum or union of the closure: inputs and outputs are structures, and Unit is one.
    ///
    /// A [`Type::Named`] is only ever made from an entry here, so its shape id has one too.
    paths: BTreeMap<ShapeId, TypePath>,
    /// Paths of each operation's input and output type (`Input`, `Output`), by operation: one for each selected
    /// operation's input and output that is not Unit, as [`Builder::operation`] looks them up.
    io_paths: BTreeMap<(ShapeId, &'static str), TypePath>,
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
                    // Each operation gets its own input and output type, even where the model shares one structure
                    // between operations or uses it as both input and output.
                    let type_name = format!("{name}{suffix}");
                    let path = TypePath {
                        modules: modules_path.clone(),
                        module: ident::type_module(&type_name),
                        name: type_name,
                    };
                    claim(&path, op_id)?;
                    self.io_paths.insert((op_id.clone(), suffix), path);
                }
            }
        }
        // An input or output structure that some member also targets is a shared type as well.
        let member_targets: BTreeSet<&str> = self
            .resolved
            .shapes
            .values()
            .flat_map(|shape| shape.all_members().into_iter().map(|(_, m)| m.target.as_str()).collect::<Vec<_>>())
            .collect();
        let io_only: BTreeSet<&ShapeId> = self
            .resolved
            .operations
            .iter()
            .filter_map(|op| match self.resolved.shapes.get(op) {
                Some(Shape::Operation(op)) => Some([&op.input, &op.output]),
                _ => None,
            })
            .flatten()
            .flatten()
            .map(|t| &t.target)
            .filter(|t| !member_targets.contains(t.as_str()))
            .collect();
        // Each shared type is defined in a module of its own, named after it: two types may not share one.
        let mut files: BTreeMap<(Vec<String>, String), ShapeId> = BTreeMap::new();
        for (id, shape) in self.resolved.shapes.iter() {
            if id == UNIT || io_only.contains(id) {
                continue;
            }
            let modules = match shape {
                Shape::Structure(s) if s.traits.has(traits::ERROR) => vec!["types".to_owned(), "error".to_owned()],
                Shape::Structure(_) | Shape::Enum(_) | Shape::IntEnum(_) | Shape::Union(_) => vec!["types".to_owned()],
                _ => continue,
            };
            let name = ident::type_name(&self.renamed(id));
            let path = TypePath { modules, module: ident::type_module(&name), name };
            claim(&path, id)?;
            // Builders live in the `builders` module beside the types (`types::builders::XBuilder`, as in
            // aws-sdk-rust), so a shape named `XBuilder` beside `X` is no clash; two builders of one name would be.
            let mut builder_modules = path.modules.clone();
            builder_modules.push("builders".to_owned());
            let builder = TypePath { modules: builder_modules, name: path.builder_name(), ..path.clone() };
            claim(&builder, id)?;
            if let Some(other) = files.insert((path.modules.clone(), path.file_stem().to_owned()), id.clone()) {
                return Err(Error::at(
                    shape_path(id),
                    format!(
                        "shapes `{other}` and `{id}` would both be defined in `crate::{}::{}`; rename one in the service's `rename` map",
                        path.modules.join("::"),
                        path.module
                    ),
                ));
            }
            self.paths.insert(id.clone(), path);
        }
        Ok(())
    }

    fn service(&self, partitions: Option<&Value>) -> Result<Service> {
        let s = &self.resolved.service;
        let id = self.resolved.service_id.clone();
        let t = &s.traits;
        let protocol = if t.has(traits::AWS_JSON_1_1) {
            Protocol::AwsJson1_1
        } else if t.has(traits::AWS_JSON_1_0) {
            Protocol::AwsJson1_0
        } else {
            let found: Vec<&str> =
                t.0.keys().filter(|k| k.starts_with(traits::AWS_PROTOCOLS_NAMESPACE)).map(String::as_str).collect();
            return Err(Error::at(
                shape_path(&id),
                format!(
                    "service `{id}` uses no supported protocol (supported: {}, {}; found: {})",
                    traits::AWS_JSON_1_0,
                    traits::AWS_JSON_1_1,
                    if found.is_empty() { "none".to_owned() } else { found.join(", ") }
                ),
            ));
        };
        let sdk_id =
            traits::string_field(t, traits::AWS_SERVICE, "sdkId").unwrap_or_else(|| shape_name(&id).to_owned());
        Ok(Service {
            target_prefix: shape_name(&id).to_owned(),
            title: traits::title(t).unwrap_or(&sdk_id).to_owned(),
            sdk_id,
            version: s.version.clone().unwrap_or_default(),
            signing_name: traits::string_field(t, traits::SIGV4, "name"),
            endpoint_prefix: traits::string_field(t, traits::AWS_SERVICE, "endpointPrefix"),
            protocol,
            query_compatible: t.has(traits::AWS_QUERY_COMPATIBLE),
            docs: t.documentation().map(docs::html_to_markdown).unwrap_or_default(),
            // The rule tree when the model has it, else the decision diagram.
            endpoints: match (t.get(traits::ENDPOINT_RULE_SET), t.get(traits::ENDPOINT_BDD)) {
                (Some(v), _) => {
                    let rules = crate::rules::parse(v)
                        .map_err(|m| Error::at(traits::path(&shape_path(&id), traits::ENDPOINT_RULE_SET), m))?;
                    let tests = t.get(traits::ENDPOINT_TESTS);
                    Some(super::endpoints::build(&id, &rules, tests, partitions, t.get(traits::CLIENT_CONTEXT_PARAMS))?)
                }
                (None, Some(v)) => {
                    let rules = crate::rules::parse_bdd(v)
                        .map_err(|m| Error::at(traits::path(&shape_path(&id), traits::ENDPOINT_BDD), m))?;
                    let tests = t.get(traits::ENDPOINT_TESTS);
                    Some(super::endpoints::build(&id, &rules, tests, partitions, t.get(traits::CLIENT_CONTEXT_PARAMS))?)
                }
                (None, None) => None,
            },
            id,
        })
    }

    fn operation(&self, id: &ShapeId, endpoints: Option<&super::endpoints::Endpoints>) -> Result<Operation> {
        let Some(Shape::Operation(op)) = self.shapes().get(id) else {
            return Err(Error::at(shape_path(id), "not an operation"));
        };
        let name = shape_name(id).to_owned();
        let module = ident::module_name(&name);
        let type_base = ident::type_name(&self.renamed(id));
        let io = |t: &Option<crate::model::Target>, suffix: &'static str| -> Result<Structure> {
            match t.as_ref().map(|t| &t.target).filter(|t| t.as_str() != UNIT) {
                Some(target) => {
                    let Some(Shape::Structure(s)) = self.shapes().get(target) else {
                        return Err(Error::at(shape_path(target), "operation input/output must be a structure"));
                    };
                    // `assign_paths` made one for this operation's non-Unit input and output.
                    let mut st = self.structure(target, s, self.io_paths[&(id.clone(), suffix)].clone())?;
                    if suffix == "Input" {
                        st.operation_input = true;
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
                        module: ident::type_module(&format!("{type_base}{suffix}")),
                        name: format!("{type_base}{suffix}"),
                    },
                    docs: String::new(),
                    fields: Vec::new(),
                    sensitive: false,
                    deprecated: None,
                    error: None,
                    wire: Wire::default(),
                    validated: false,
                    operation_input: suffix == "Input",
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
            let Some(Shape::Structure(shape)) = self.shapes().get(eid) else {
                return Err(Error::at(shape_path(eid), "an operation's error must be a structure"));
            };
            errors.push(ErrorRef {
                id: eid.clone(),
                code: shape_name(eid).to_owned(),
                is_method: ident::is_method(shape_name(eid)),
                variant,
                // `paths` (b).
                path: self.paths[eid].clone(),
                message_member: self.message_member(shape).map(str::to_owned),
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
        // The error enum's methods: `is_<code>` for each error, beside the ones it always has.
        let mut methods: BTreeMap<&str, &str> =
            ["code", "message", "is_unhandled", "parse"].iter().map(|m| (*m, "the generated error enum")).collect();
        for e in &errors {
            if let Some(other) = methods.insert(&e.is_method, &e.id) {
                return Err(Error::at(
                    shape_path(id),
                    format!("the method `{}` for error `{}` clashes with {other}", e.is_method, e.id),
                ));
            }
        }
        let paginated = self.paginated(id, &op.traits, &input, &output)?;
        let [error, fluent_builder, paginator, items_paginator] = ident::operation_client_types(&type_base);
        let client_types = ClientTypes {
            error,
            fluent_builder,
            paginator: paginated.as_ref().map(|_| paginator),
            items_paginator: paginated.as_ref().and_then(|p| p.items.as_ref()).map(|_| items_paginator),
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
        let host_prefix = self.host_prefix(id, &op.traits, &input)?;
        let structure_of = |sid: &ShapeId| -> Result<Structure> {
            match self.shapes().get(sid) {
                // Waiters ask for the structures of `Type::Named` field types only: `paths` has them.
                Some(Shape::Structure(s)) => self.structure(sid, s, self.paths[sid].clone()),
                _ => Err(Error::at(shape_path(sid), "not a structure")),
            }
        };
        let waiters = super::waiters::build(id, &op.traits, &input, &output, &errors, &structure_of)?;
        let call_endpoint = match endpoints {
            Some(endpoints) => {
                let members = match self.shapes().get(&input.id) {
                    Some(Shape::Structure(s)) => Some(s),
                    _ => None,
                };
                let member_traits = |name: &str| members.and_then(|s| s.members.get(name)).map(|m| m.traits.clone());
                super::endpoint_bindings::build(endpoints, id, &op.traits, &input, &member_traits, &structure_of)?
            }
            None => None,
        };
        let request_compression = op
            .traits
            .get(traits::REQUEST_COMPRESSION)
            .and_then(|t| t.get("encodings"))
            .and_then(Value::as_array)
            .is_some_and(|e| e.iter().any(|e| e.as_str() == Some("gzip")));
        Ok(Operation {
            call_endpoint,
            waiters,
            request_compression,
            host_prefix,
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
        let Some(p) = traits::paginated(traits, &self.resolved.service.traits) else { return Ok(None) };
        let (Some(input_token), Some(output_token)) = (p.input_token, p.output_token) else {
            return Ok(None);
        };
        let at = traits::path(&shape_path(id), traits::PAGINATED);
        let member = |name: &str, what: &str| -> Result<MemberRef> {
            let f = input
                .fields
                .iter()
                .find(|f| f.wire_name == name)
                .ok_or_else(|| Error::at(&at, format!("{what} `{name}` is not a member of the input")))?;
            Ok(MemberRef {
                wire_name: f.wire_name.clone(),
                name: f.name.clone(),
                setter: f.setter.clone(),
                getter: f.getter.clone(),
                ty: f.ty.ty.clone(),
            })
        };
        let input_token = member(&input_token, "inputToken")?;
        // A string, as Smithy asks; or a map, as DynamoDB's `Query` and `Scan` page by the key to start after
        // (aws-sdk-rust generates those paginators too).
        if !matches!(input_token.ty, Type::String | Type::Map { .. }) {
            return Err(Error::at(
                &at,
                format!("inputToken `{}` is neither a string nor a map", input_token.wire_name),
            ));
        }
        let page_size = p.page_size.as_deref().map(|ps| member(ps, "pageSize")).transpose()?;
        let (token_steps, token_ty) = self.output_path(output, &output_token, "outputToken", &at)?;
        if token_ty != input_token.ty {
            let what = if input_token.ty == Type::String { "a string" } else { "a map of the inputToken's type" };
            return Err(Error::at(&at, format!("outputToken `{output_token}` is not {what}")));
        }
        let items = match p.items {
            Some(items) => {
                let (path, collection) = self.output_path(output, &items, "items", &at)?;
                if !matches!(collection, Type::List { .. } | Type::Map { .. }) {
                    return Err(Error::at(&at, format!("items `{items}` is not a list or a map")));
                }
                Some(Items { path_text: items, path, collection })
            }
            None => None,
        };
        Ok(Some(Paginated {
            input_token,
            output_token_path: output_token,
            output_token: token_steps,
            items,
            page_size,
        }))
    }

    /// `@endpoint`'s host prefix, its `{label}`s resolved to `@hostLabel` string members of the input.
    fn host_prefix(&self, id: &str, t: &Traits, input: &Structure) -> Result<Option<Vec<HostPart>>> {
        let Some(prefix) = traits::string_field(t, traits::ENDPOINT, "hostPrefix") else { return Ok(None) };
        let at = traits::path(&shape_path(id), traits::ENDPOINT);
        let mut parts = Vec::new();
        let mut rest = prefix.as_str();
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(HostPart::Text(rest[..open].to_owned()));
            }
            let close = rest[open..]
                .find('}')
                .map(|c| open + c)
                .ok_or_else(|| Error::at(&at, format!("hostPrefix `{prefix}` has an unclosed label")))?;
            let label = &rest[open + 1..close];
            let field =
                input.fields.iter().find(|f| f.wire_name == label && f.ty.ty == Type::String).ok_or_else(|| {
                    Error::at(&at, format!("hostPrefix label `{label}` is not a string member of the input"))
                })?;
            parts.push(HostPart::Label { field: field.name.clone(), wire_name: field.wire_name.clone() });
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(HostPart::Text(rest.to_owned()));
        }
        Ok(Some(parts))
    }

    /// The steps of a dotted member path from an operation's output (`Result.NextToken`), and the type it reaches.
    fn output_path(&self, output: &Structure, path: &str, what: &str, at: &str) -> Result<(Vec<PathStep>, Type)> {
        let mut steps = Vec::new();
        let mut current = output.clone();
        let mut segments = path.split('.').peekable();
        while let Some(segment) = segments.next() {
            let Some(f) = current.fields.iter().find(|f| f.wire_name == segment) else {
                return Err(Error::at(at, format!("{what} `{path}`: `{segment}` is not a member of `{}`", current.id)));
            };
            steps.push(PathStep { field: f.name.clone(), optional: f.optional, boxed: f.boxed });
            if segments.peek().is_none() {
                return Ok((steps, f.ty.ty.clone()));
            }
            let next = match (&f.ty.ty, self.shapes().get(&f.ty.shape)) {
                (Type::Named(_, NamedKind::Structure), Some(Shape::Structure(s))) => {
                    // A `Type::Named` was made from its entry in `paths`.
                    self.structure(&f.ty.shape, s, self.paths[&f.ty.shape].clone())?
                }
                _ => return Err(Error::at(at, format!("{what} `{path}`: `{segment}` is not a structure"))),
            };
            current = next;
        }
        Err(Error::at(at, format!("{what} is empty")))
    }

    fn structure(&self, id: &ShapeId, s: &Aggregate, path: TypePath) -> Result<Structure> {
        let mut fields = Vec::new();
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        for (wire, member) in &s.members {
            let field = self.field(id, wire, member, &path.module)?;
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
        let error = match traits::error(&s.traits, &shape_path(id))? {
            Some(fault) => {
                let message = self.message_member(s).and_then(|wire| fields.iter().find(|f| f.wire_name == wire));
                let message = message.map(|f| MessageField {
                    wire_name: f.wire_name.clone(),
                    field: f.name.clone(),
                    optional: f.optional,
                });
                // A member whose field is `message` but is not the message would clash with `message()`.
                if let Some(f) = fields.iter().find(|f| f.name == "message") {
                    if message.as_ref().is_none_or(|m| m.field != f.name) {
                        return Err(Error::at(
                            member_path(id, &f.wire_name),
                            format!(
                                "member `{}` of error `{id}` is not a string but would be its `message()`",
                                f.wire_name
                            ),
                        ));
                    }
                }
                let message_method = message.as_ref().is_none_or(|m| m.field != "message");
                Some(ErrorInfo { code: shape_name(id).to_owned(), fault, message, message_method })
            }
            None => None,
        };
        Ok(Structure {
            id: id.clone(),
            path,
            docs: shape_docs(id, &s.traits),
            fields,
            sensitive: s.traits.has(traits::SENSITIVE),
            deprecated: deprecated(&s.traits),
            error,
            validated: false,
            operation_input: false,
            wire: Wire::default(),
        })
    }

    /// The message member of an error structure: a string member named `message` in any letter case.
    fn message_member<'s>(&self, s: &'s Aggregate) -> Option<&'s str> {
        s.members
            .iter()
            .find(|(wire, m)| {
                wire.eq_ignore_ascii_case("message")
                    && matches!(self.shapes().get(&m.target), Some(Shape::Simple(t)) if t.kind == SimpleType::String)
            })
            .map(|(wire, _)| wire.as_str())
    }

    /// A member of the structure `owner`, whose Rust type is defined in the module `module`.
    fn field(&self, owner: &ShapeId, wire: &str, member: &Member, module: &str) -> Result<Field> {
        let name = ident::field_name(wire);
        let (setter, getter) = ident::setter_getter(&name);
        let ty = self.type_ref(&member.target, &member.traits, &member_path(owner, wire))?;
        // `type_ref` found the target, or returned its error above.
        let target_traits = self.shapes()[&member.target].traits();
        let required = member.traits.has(traits::REQUIRED);
        let client_optional = member.traits.has(traits::CLIENT_OPTIONAL);
        let raw_default = traits::default(&member.traits, target_traits);
        let optional = client_optional || !(required || raw_default.is_some());
        let raw_default = if optional { None } else { raw_default };
        let default = match raw_default {
            Some(d) => Some(
                typed_default(&ty, d)
                    .map_err(|m| Error::at(traits::path(&member_path(owner, wire), traits::DEFAULT), m))?,
            ),
            None => None,
        };
        let default_fn = match &default {
            Some(d) if *d != DefaultValue::Zero => Some(ident::default_fn(module, &name)),
            _ => None,
        };
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
        if let Some(d) = raw_default {
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
            idempotency_token: member.traits.has(traits::IDEMPOTENCY_TOKEN),
            default_fn,
            ty,
            name,
        })
    }

    fn is_sensitive(&self, target: &str, member_traits: &Traits) -> bool {
        if member_traits.has(traits::SENSITIVE) {
            return true;
        }
        let mut seen = BTreeSet::new();
        let mut stack = vec![target.to_owned()];
        while let Some(id) = stack.pop() {
            if !seen.insert(id.clone()) {
                continue;
            }
            let Some(shape) = self.shapes().get(&id) else { continue };
            if shape.traits().has(traits::SENSITIVE) {
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
                let timestamp_format = match traits::timestamp_format(member_traits, &s.traits) {
                    None | Some("epoch-seconds") => TimestampFormat::EpochSeconds,
                    Some("date-time") => TimestampFormat::DateTime,
                    Some("http-date") => TimestampFormat::HttpDate,
                    Some(other) => {
                        return Err(Error::at(
                            traits::path(at, traits::TIMESTAMP_FORMAT),
                            format!("unknown timestamp format `{other}` (epoch-seconds, date-time or http-date)"),
                        ));
                    }
                };
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
                    SimpleType::Timestamp => Type::Timestamp(timestamp_format),
                    SimpleType::Document => Type::Document,
                }
            }
            Shape::Enum(a) | Shape::IntEnum(a) => {
                constraints.enum_values = a.members.iter().map(|(n, m)| crate::model::enum_value(n, m)).collect();
                let kind = if matches!(shape, Shape::Enum(_)) { NamedKind::Enum } else { NamedKind::IntEnum };
                // `paths` (a): `type_ref` is only called on member targets.
                Type::Named(self.paths[target].clone(), kind)
            }
            Shape::Structure(_) => Type::Named(self.paths[target].clone(), NamedKind::Structure),
            Shape::Union(_) => Type::Named(self.paths[target].clone(), NamedKind::Union),
            Shape::List(l) => Type::List {
                member: Box::new(self.type_ref(
                    &l.member.target,
                    &l.member.traits,
                    &format!("{}.member", shape_path(target)),
                )?),
                sparse: l.traits.has(traits::SPARSE),
            },
            Shape::Map(m) => Type::Map {
                key: Box::new(self.type_ref(&m.key.target, &m.key.traits, &format!("{}.key", shape_path(target)))?),
                value: Box::new(self.type_ref(
                    &m.value.target,
                    &m.value.traits,
                    &format!("{}.value", shape_path(target)),
                )?),
                sparse: m.traits.has(traits::SPARSE),
            },
            other => {
                return Err(Error::at(at, format!("a {} cannot be a member target", other.type_name())));
            }
        };
        let checks = super::checks::decide(&ty, &constraints, at)?;
        Ok(TypeRef { shape: target.clone(), ty, constraints, checks })
    }

    fn enumeration(&self, id: &ShapeId, a: &Aggregate, int: bool) -> Result<Enum> {
        let mut variants = Vec::new();
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        let mut values: BTreeMap<String, String> = BTreeMap::new();
        for (member_name, m) in &a.members {
            let at = member_path(id, member_name);
            let value = match (int, m.traits.get(traits::ENUM_VALUE)) {
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
            // `paths` (c).
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
            let (as_method, is_method) = ident::union_accessors(wire);
            let mut docs = m
                .traits
                .documentation()
                // `resolve` checked that every member target of the closure is in it.
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
                as_method,
                is_method,
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
            // `paths` (c).
            path: self.paths[id].clone(),
            docs: shape_docs(id, &a.traits),
            sensitive: a.traits.has(traits::SENSITIVE),
            deprecated: deprecated(&a.traits),
            variants,
            validated: false,
            wire: Wire::default(),
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
    traits::deprecated(traits).map(|(message, since)| Deprecated { message, since })
}

impl Constraints {
    /// Put `other`'s constraints over these (a member's over its target's).
    pub(super) fn merge(&mut self, other: Constraints) {
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

/// The constraint traits of a shape or member.
pub(super) fn constraints_of(t: &Traits, at: &str) -> Result<Constraints> {
    Ok(Constraints {
        length: traits::length(t, at)?.map(|l| (l.min, l.max)),
        range: traits::range(t, at)?.map(|r| (r.min, r.max)),
        pattern: traits::pattern(t, at)?,
        unique_items: t.has(traits::UNIQUE_ITEMS),
        enum_values: Vec::new(),
    })
}

/// A `@default` value checked against the member's type.
fn typed_default(tr: &TypeRef, v: &Value) -> std::result::Result<DefaultValue, String> {
    let values = &tr.constraints.enum_values;
    if !values.is_empty() {
        let text = v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string());
        if !values.contains(&text) {
            return Err(format!("default value {v} is not one of the enum's values ({})", values.join(", ")));
        }
    }
    let bad = || format!("default value {v} does not fit the member's type");
    let int = |min: i64, max: i64| -> std::result::Result<DefaultValue, String> {
        match v.as_i64() {
            Some(0) => Ok(DefaultValue::Zero),
            Some(n) if (min..=max).contains(&n) => Ok(DefaultValue::Int(n)),
            _ => Err(bad()),
        }
    };
    let float = |n: &serde_json::Number| match n.as_f64() {
        Some(0.0) => DefaultValue::Zero,
        Some(f) => DefaultValue::Float(f),
        None => DefaultValue::Zero,
    };
    match (&tr.ty, v) {
        (Type::Document, v) => Ok(DefaultValue::Document(v.clone())),
        (Type::Bool, Value::Bool(false)) => Ok(DefaultValue::Zero),
        (Type::Bool, Value::Bool(true)) => Ok(DefaultValue::Bool(true)),
        (Type::Byte, Value::Number(_)) => int(i8::MIN.into(), i8::MAX.into()),
        (Type::Short, Value::Number(_)) => int(i16::MIN.into(), i16::MAX.into()),
        (Type::Integer, Value::Number(_)) => int(i32::MIN.into(), i32::MAX.into()),
        (Type::Long | Type::BigInteger, Value::Number(_)) => int(i64::MIN, i64::MAX),
        (Type::Float, Value::Number(n)) if n.as_f64().is_some_and(|f| f.abs() > f64::from(f32::MAX)) => Err(bad()),
        (Type::Float | Type::Double | Type::BigDecimal, Value::Number(n)) => Ok(float(n)),
        // `DateTime` has no `Default`: even the epoch is spelled out.
        (Type::Timestamp(_), Value::Number(n)) => Ok(match float(n) {
            DefaultValue::Float(f) => DefaultValue::Timestamp(f),
            _ => DefaultValue::Timestamp(0.0),
        }),
        (Type::String, Value::String(s)) if s.is_empty() => Ok(DefaultValue::Zero),
        (Type::String, Value::String(s)) => Ok(DefaultValue::String(s.clone())),
        (Type::Blob, Value::String(s)) => match traits::base64_decode(s) {
            Some(bytes) if bytes.is_empty() => Ok(DefaultValue::Zero),
            Some(bytes) => Ok(DefaultValue::Blob(bytes)),
            None => Err(format!("default value {v} is not valid base64")),
        },
        (Type::Named(_, NamedKind::Enum), Value::String(s)) => Ok(DefaultValue::Enum(s.clone())),
        (Type::Named(_, NamedKind::IntEnum), Value::Number(n)) => {
            n.as_i64().and_then(|n| i32::try_from(n).ok()).map(DefaultValue::IntEnum).ok_or_else(bad)
        }
        (Type::List { .. }, Value::Array(a)) if a.is_empty() => Ok(DefaultValue::Zero),
        (Type::Map { .. }, Value::Object(o)) if o.is_empty() => Ok(DefaultValue::Zero),
        _ => Err(bad()),
    }
}
