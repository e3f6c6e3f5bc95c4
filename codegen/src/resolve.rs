//! Stage 2: the shape index, the operation selection, the closure, and the model checks.
//!
//! Input is a decoded [`Model`]; output is a [`Resolved`] model holding only what the selected operations reach,
//! with `apply` statements merged, mixins flattened, and the Smithy prelude shapes filled in. Every dangling target
//! or misuse of a shape kind is reported here, with the shape id, member and JSON path, so that later stages may
//! rely on a consistent graph.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use crate::error::{member_path, shape_path, Error, Result};
use crate::model::{Aggregate, Model, ServiceShape, Shape, ShapeId, SimpleShape, SimpleType, Traits};

/// Which operations to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// Every operation bound to the service (directly or through resources).
    All,
    /// The named operations: shape names (`StartPipelineExecution`) or absolute ids.
    Named(Vec<String>),
}

/// A model reduced to the closure of the selected operations.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The service shape id.
    pub service_id: ShapeId,
    /// The service shape, its `operations` list narrowed to the selection.
    pub service: ServiceShape,
    /// The selected operations, sorted by id.
    pub operations: Vec<ShapeId>,
    /// Every shape the selection reaches (operations, their inputs, outputs, errors and everything below), with
    /// mixins flattened and `apply` merged.
    pub shapes: BTreeMap<ShapeId, Shape>,
    /// Every shape the table roots reach (see [`resolve_with_tables`]), themselves included, whether or not the
    /// selection reaches them too: data for schema tables, not Rust types. Empty without roots.
    pub tables: BTreeMap<ShapeId, Shape>,
}

/// Resolve `model` for the service `service` (or its only service) and the given selection.
pub fn resolve(model: &Model, service: Option<&str>, selection: &Selection) -> Result<Resolved> {
    resolve_with_tables(model, service, selection, &[])
}

/// Resolve `model` for the service `service` (or its only service) and the given selection, and collect in
/// [`Resolved::tables`] the closure of the structures `table_roots` names (shape names in the service's namespace,
/// or absolute ids; the pipeline-definition step kinds' requests and outputs), checked as the selection's closure is.
pub fn resolve_with_tables(
    model: &Model,
    service: Option<&str>,
    selection: &Selection,
    table_roots: &[String],
) -> Result<Resolved> {
    check_prelude(&model.shapes)?;
    let mut shapes = model.shapes.clone();
    add_prelude(&mut shapes);
    apply_statements(&mut shapes)?;
    flatten_mixins(&mut shapes)?;

    let service_id = find_service(&shapes, service)?;
    let Some(Shape::Service(service_shape)) = shapes.get(&service_id).cloned() else {
        return Err(Error::at(shape_path(&service_id), "not a service shape"));
    };
    let bound = service_operations(&shapes, &service_id, &service_shape)?;
    let operations: Vec<ShapeId> = match selection {
        Selection::All => bound.iter().cloned().collect(),
        Selection::Named(names) => {
            let mut picked = BTreeSet::new();
            for name in names {
                let id = if name.contains('#') { name.clone() } else { format!("{}#{}", namespace(&service_id), name) };
                if !bound.contains(&id) {
                    let hint = suggest(name, bound.iter().map(|b| crate::model::shape_name(b)));
                    return Err(Error::at(
                        "operation selection",
                        format!("operation `{name}` is not an operation of service `{service_id}`{hint}"),
                    ));
                }
                if !picked.insert(id) {
                    return Err(Error::at("operation selection", format!("operation `{name}` is selected twice")));
                }
            }
            picked.into_iter().collect()
        }
    };
    if operations.is_empty() {
        return Err(Error::at("operation selection", "no operations selected"));
    }

    let mut closure = BTreeSet::new();
    let mut stack: Vec<ShapeId> = operations.clone();
    // Every id on the stack is a shape of `shapes`: the operations were found there, and each target below is
    // checked before it is pushed.
    for (i, e) in service_shape.errors.iter().enumerate() {
        stack.push(check_error(&shapes, &service_id, "service", i, &e.target)?);
    }
    while let Some(id) = stack.pop() {
        if !closure.insert(id.clone()) {
            continue;
        }
        let shape = &shapes[&id];
        match shape {
            Shape::Operation(op) => {
                let check = |t: &Option<crate::model::Target>, what: &str| -> Result<Option<ShapeId>> {
                    let Some(t) = t else { return Ok(None) };
                    match shapes.get(&t.target) {
                        // Smithy's validator refuses an `@error` structure as an input or output (its
                        // `TargetValidator`); the IR gives inputs and outputs no shared type, which an error needs.
                        Some(Shape::Structure(s)) if s.traits.has(crate::traits::ERROR) => Err(Error::at(
                            format!("{}.{what}", shape_path(&id)),
                            format!(
                                "operation `{id}` {what} `{}` is an @error structure; an operation's input and \
                                 output may not be errors",
                                t.target
                            ),
                        )),
                        Some(Shape::Structure(_)) => Ok(Some(t.target.clone())),
                        Some(other) => Err(Error::at(
                            format!("{}.{what}", shape_path(&id)),
                            format!(
                                "operation `{id}` {what} `{}` must be a structure, not a {}",
                                t.target,
                                other.type_name()
                            ),
                        )),
                        None => Err(Error::at(
                            format!("{}.{what}", shape_path(&id)),
                            format!("operation `{id}` {what} targets `{}`, which is not in the model", t.target),
                        )),
                    }
                };
                stack.extend(check(&op.input, "input")?);
                stack.extend(check(&op.output, "output")?);
                for (i, e) in op.errors.iter().enumerate() {
                    stack.push(check_error(&shapes, &id, "operation", i, &e.target)?);
                }
            }
            other => push_member_targets(&shapes, &id, other, &mut stack)?,
        }
    }
    check_collection_cycles(&shapes, &closure)?;
    let roots: Vec<ShapeId> = table_roots
        .iter()
        .map(|root| if root.contains('#') { root.clone() } else { format!("{}#{}", namespace(&service_id), root) })
        .collect();
    let tables = value_closure(&shapes, &roots)?.into_iter().map(|id| (id.clone(), shapes[&id].clone())).collect();
    // The service keeps only the selection, bound directly.
    let mut service_out = service_shape.clone();
    service_out.operations = operations.iter().map(|o| crate::model::Target { target: o.clone() }).collect();
    service_out.resources.clear();
    // Each id of the closure was looked up above.
    let shapes = closure.into_iter().map(|id| (id.clone(), shapes[&id].clone())).collect();
    Ok(Resolved { service_id, service: service_out, operations, shapes, tables })
}

/// The closure of the shapes `roots` (absolute ids of values: structures, lists, strings, …) in `model`, with
/// `apply` statements merged and mixins flattened, checked as [`resolve_with_tables`] checks the tables; prelude
/// shapes are left out. No service is needed: this is how the facts of another service's shapes that the step kinds
/// name (EMR's `StepConfig`) are taken from its model.
pub fn closure_of(model: &Model, roots: &[String]) -> Result<BTreeMap<ShapeId, Shape>> {
    check_prelude(&model.shapes)?;
    let mut shapes = model.shapes.clone();
    add_prelude(&mut shapes);
    apply_statements(&mut shapes)?;
    flatten_mixins(&mut shapes)?;
    Ok(value_closure(&shapes, roots)?
        .into_iter()
        .filter(|id| !id.starts_with("smithy.api#"))
        .map(|id| {
            let shape = shapes[&id].clone();
            (id, shape)
        })
        .collect())
}

/// The ids of the closure of `roots` in `shapes` (the step kinds' shapes: values, whether the settings' structures
/// or what the project's own structures name, such as an ARN string), each target checked; an id that is missing or
/// names no value is an error of the definitions settings.
fn value_closure(shapes: &BTreeMap<ShapeId, Shape>, roots: &[ShapeId]) -> Result<BTreeSet<ShapeId>> {
    let mut stack = Vec::new();
    for id in roots {
        match shapes.get(id) {
            Some(Shape::Operation(_) | Shape::Service(_) | Shape::Resource(_) | Shape::Apply(_)) => {
                return Err(Error::at(
                    "definitions",
                    format!("`{id}` is of type `{}`, not a value the step kinds can name", shapes[id].type_name()),
                ))
            }
            Some(_) => stack.push(id.clone()),
            None => {
                return Err(Error::at("definitions", format!("the step kinds name `{id}`, which is not in the model")))
            }
        }
    }
    let mut closure = BTreeSet::new();
    while let Some(id) = stack.pop() {
        if closure.insert(id.clone()) {
            push_member_targets(shapes, &id, &shapes[&id], &mut stack)?;
        }
    }
    check_collection_cycles(shapes, &closure)?;
    Ok(closure)
}

/// Check each member target of `shape` (`id`) and push it onto `stack`.
fn push_member_targets(
    shapes: &BTreeMap<ShapeId, Shape>,
    id: &ShapeId,
    shape: &Shape,
    stack: &mut Vec<ShapeId>,
) -> Result<()> {
    for (name, member) in shape.all_members() {
        let path = member_path(id, name);
        let Some(target) = shapes.get(&member.target) else {
            return Err(Error::at(
                format!("{path}.target"),
                format!("member `{id}${name}` targets `{}`, which is not in the model", member.target),
            ));
        };
        check_member_target(id, shape, name, &member.target, target)?;
        stack.push(member.target.clone());
    }
    Ok(())
}

/// The `i`th error of an operation or service (`kind`) `owner`: a structure with `@error` in the model.
fn check_error(shapes: &BTreeMap<ShapeId, Shape>, owner: &str, kind: &str, i: usize, target: &str) -> Result<ShapeId> {
    let at = format!("{}.errors[{i}]", shape_path(owner));
    match shapes.get(target) {
        Some(Shape::Structure(s)) if s.traits.has(crate::traits::ERROR) => Ok(target.to_owned()),
        Some(_) => Err(Error::at(at, format!("error `{target}` of {kind} `{owner}` must be a structure with @error"))),
        None => Err(Error::at(at, format!("{kind} `{owner}` error targets `{target}`, which is not in the model"))),
    }
}

/// Smithy's prelude is immutable: a model may repeat a prelude shape only as the prelude defines it (documentation
/// aside), and may not `apply` traits to one. Later stages rely on it: `smithy.api#Unit` is a structure without
/// members or `@error`, which gets no Rust type, and the other prelude shapes are the simple types they are named for.
fn check_prelude(model: &BTreeMap<ShapeId, Shape>) -> Result<()> {
    let mut prelude = BTreeMap::new();
    add_prelude(&mut prelude);
    for (id, shape) in model {
        let target = id.split_once('$').map_or(id.as_str(), |(shape, _)| shape);
        if matches!(shape, Shape::Apply(_)) && namespace(target) == "smithy.api" {
            return Err(Error::at(
                shape_path(id),
                format!("`apply` targets `{id}`, a shape of Smithy's prelude, which cannot be changed"),
            ));
        }
        if let Some(ours) = prelude.get(id) {
            let mut theirs = shape.clone();
            theirs.traits_mut().0.remove(crate::traits::DOCUMENTATION);
            if &theirs != ours {
                let expected = crate::model::shape_json(ours).map(|v| v.to_string()).unwrap_or_default();
                return Err(Error::at(
                    shape_path(id),
                    format!(
                        "the model defines `{id}`, a shape of Smithy's prelude, differently from the prelude \
                         ({expected})"
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The most lists and maps one value may nest directly (with no structure or union between). AWS models nest at most
/// three; the generated JSON reader reads at most 128 levels of nesting in all. The bound keeps the stages that walk a
/// type's nesting recursively (types, validators, codecs, and `syn` on the generated code) far from the end of a
/// thread's stack.
pub const MAX_COLLECTION_NESTING: usize = 64;

/// A list or map that contains itself through lists and maps alone, with no structure or union between, has no finite
/// value (Smithy's validator refuses it too); the types would be infinitely nested. Lists and maps nested more than
/// [`MAX_COLLECTION_NESTING`] deep are refused too. Each shape is walked once: linear in the size of the model.
fn check_collection_cycles(shapes: &BTreeMap<ShapeId, Shape>, closure: &BTreeSet<ShapeId>) -> Result<()> {
    let contained = |id: &str| match shapes.get(id) {
        Some(Shape::List(l)) => Some(&l.member.target),
        Some(Shape::Map(m)) => Some(&m.value.target),
        _ => None,
    };
    // How many lists and maps deep each collection already walked nests.
    let mut depth: BTreeMap<&str, usize> = BTreeMap::new();
    for start in closure {
        // Each list or map has one contained shape, so the walk is a chain: it ends at a shape that is no collection,
        // at a collection already measured, or at one already on the chain (a cycle).
        let mut chain: Vec<&str> = Vec::new();
        let mut on_chain: BTreeSet<&str> = BTreeSet::new();
        let mut at: &str = start;
        let mut below = loop {
            if let Some(d) = depth.get(at) {
                break *d;
            }
            let Some(next) = contained(at) else { break 0 };
            if !on_chain.insert(at) {
                return Err(Error::at(
                    shape_path(at),
                    format!(
                        "`{at}` contains itself through lists and maps alone, with no structure or union between, \
                         so it has no finite value"
                    ),
                ));
            }
            chain.push(at);
            at = next;
        };
        for id in chain.into_iter().rev() {
            below += 1;
            if below > MAX_COLLECTION_NESTING {
                return Err(Error::at(
                    shape_path(id),
                    format!(
                        "`{id}` nests lists and maps more than {MAX_COLLECTION_NESTING} deep with no structure or \
                         union between; the generator supports at most {MAX_COLLECTION_NESTING}"
                    ),
                ));
            }
            depth.insert(id, below);
        }
    }
    Ok(())
}

fn check_member_target(owner: &str, shape: &Shape, member: &str, target_id: &str, target: &Shape) -> Result<()> {
    let path = format!("{}.target", member_path(owner, member));
    let bad = |what: &str| {
        Err(Error::at(
            path.clone(),
            format!("member `{owner}${member}` targets `{target_id}`, a {}, {what}", target.type_name()),
        ))
    };
    match (shape, target) {
        (_, Shape::Operation(_) | Shape::Service(_) | Shape::Resource(_) | Shape::Apply(_)) => {
            bad("which cannot be a member target")
        }
        (Shape::Enum(_), t) if !matches!(t, Shape::Structure(_)) => {
            // Enum members target smithy.api#Unit.
            bad("but enum members must target smithy.api#Unit")
        }
        (Shape::Structure(_) | Shape::List(_) | Shape::Map(_), _) if target_id == crate::traits::UNIT => {
            bad("but only union members, enum members and operations may target smithy.api#Unit")
        }
        (Shape::Map(_), t) if member == "key" => match t {
            Shape::Simple(SimpleShape { kind: SimpleType::String, .. }) | Shape::Enum(_) => Ok(()),
            _ => bad("but map keys must be strings"),
        },
        _ => Ok(()),
    }
}

fn namespace(id: &str) -> &str {
    id.split_once('#').map_or("", |(ns, _)| ns)
}

fn suggest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    let lower = name.to_ascii_lowercase();
    let close: Vec<&str> = candidates
        .filter(|c| {
            let c = c.to_ascii_lowercase();
            c.contains(&lower) || lower.contains(&c)
        })
        .take(5)
        .collect();
    if close.is_empty() {
        String::new()
    } else {
        format!(" (did you mean: {}?)", close.join(", "))
    }
}

fn find_service(shapes: &BTreeMap<ShapeId, Shape>, wanted: Option<&str>) -> Result<ShapeId> {
    let services: Vec<&ShapeId> =
        shapes.iter().filter(|(_, s)| matches!(s, Shape::Service(_))).map(|(id, _)| id).collect();
    match wanted {
        Some(w) => services
            .iter()
            .find(|id| id.as_str() == w || crate::model::shape_name(id) == w)
            .map(|id| (*id).clone())
            .ok_or_else(|| Error::at("$.shapes", format!("the model has no service `{w}`"))),
        None => match services.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(Error::at("$.shapes", "the model has no service shape")),
            many => Err(Error::at(
                "$.shapes",
                format!(
                    "the model has {} services ({}); name one",
                    many.len(),
                    many.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                ),
            )),
        },
    }
}

/// Every operation bound to the service, directly or through (nested) resources.
fn service_operations(
    shapes: &BTreeMap<ShapeId, Shape>,
    service_id: &str,
    service: &ServiceShape,
) -> Result<BTreeSet<ShapeId>> {
    let mut ops = BTreeSet::new();
    let mut resources: Vec<(String, ShapeId)> = Vec::new();
    for (i, o) in service.operations.iter().enumerate() {
        let at = format!("{}.operations[{i}]", shape_path(service_id));
        match shapes.get(&o.target) {
            Some(Shape::Operation(_)) => {
                ops.insert(o.target.clone());
            }
            Some(other) => {
                return Err(Error::at(at, format!("`{}` is a {}, not an operation", o.target, other.type_name())))
            }
            None => return Err(Error::at(at, format!("operation `{}` is not in the model", o.target))),
        }
    }
    for (i, r) in service.resources.iter().enumerate() {
        resources.push((format!("{}.resources[{i}]", shape_path(service_id)), r.target.clone()));
    }
    let mut seen = BTreeSet::new();
    while let Some((at, rid)) = resources.pop() {
        if !seen.insert(rid.clone()) {
            continue;
        }
        let Some(Shape::Resource(res)) = shapes.get(&rid) else {
            return Err(Error::at(at, format!("resource `{rid}` is not a resource shape in the model")));
        };
        for op in res.all_operations() {
            match shapes.get(op) {
                Some(Shape::Operation(_)) => {
                    ops.insert(op.clone());
                }
                _ => {
                    return Err(Error::at(
                        shape_path(&rid),
                        format!("resource `{rid}` binds `{op}`, which is not an operation in the model"),
                    ))
                }
            }
        }
        for (i, child) in res.resources.iter().enumerate() {
            resources.push((format!("{}.resources[{i}]", shape_path(&rid)), child.target.clone()));
        }
    }
    Ok(ops)
}

/// Insert the Smithy prelude shapes the model may target without defining.
pub(crate) fn add_prelude(shapes: &mut BTreeMap<ShapeId, Shape>) {
    let simple = |kind: SimpleType, traits: Value| {
        let traits = match traits {
            Value::Object(m) => Traits(m.into_iter().collect()),
            _ => Traits::default(),
        };
        Shape::Simple(SimpleShape { kind, traits, mixins: Vec::new() })
    };
    let entries = [
        ("String", SimpleType::String, json!({})),
        ("Blob", SimpleType::Blob, json!({})),
        ("BigInteger", SimpleType::BigInteger, json!({})),
        ("BigDecimal", SimpleType::BigDecimal, json!({})),
        ("Timestamp", SimpleType::Timestamp, json!({})),
        ("Document", SimpleType::Document, json!({})),
        ("Boolean", SimpleType::Boolean, json!({})),
        ("PrimitiveBoolean", SimpleType::Boolean, json!({"smithy.api#default": false})),
        ("Byte", SimpleType::Byte, json!({})),
        ("PrimitiveByte", SimpleType::Byte, json!({"smithy.api#default": 0})),
        ("Short", SimpleType::Short, json!({})),
        ("PrimitiveShort", SimpleType::Short, json!({"smithy.api#default": 0})),
        ("Integer", SimpleType::Integer, json!({})),
        ("PrimitiveInteger", SimpleType::Integer, json!({"smithy.api#default": 0})),
        ("Long", SimpleType::Long, json!({})),
        ("PrimitiveLong", SimpleType::Long, json!({"smithy.api#default": 0})),
        ("Float", SimpleType::Float, json!({})),
        ("PrimitiveFloat", SimpleType::Float, json!({"smithy.api#default": 0})),
        ("Double", SimpleType::Double, json!({})),
        ("PrimitiveDouble", SimpleType::Double, json!({"smithy.api#default": 0})),
    ];
    for (name, kind, traits) in entries {
        shapes.entry(format!("smithy.api#{name}")).or_insert_with(|| simple(kind, traits));
    }
    shapes.entry(crate::traits::UNIT.into()).or_insert_with(|| {
        let mut traits = Traits::default();
        traits.0.insert("smithy.api#unitType".into(), json!({}));
        Shape::Structure(Aggregate { members: BTreeMap::new(), traits, mixins: Vec::new() })
    });
}

/// Merge `apply` statements into their targets and drop them.
fn apply_statements(shapes: &mut BTreeMap<ShapeId, Shape>) -> Result<()> {
    let applies: Vec<(ShapeId, Traits)> = shapes
        .iter()
        .filter_map(|(id, s)| match s {
            Shape::Apply(a) => Some((id.clone(), a.traits.clone())),
            _ => None,
        })
        .collect();
    for (id, traits) in applies {
        shapes.remove(&id);
        let (shape_id, member) = match id.split_once('$') {
            Some((s, m)) => (s.to_owned(), Some(m.to_owned())),
            None => (id.clone(), None),
        };
        let Some(shape) = shapes.get_mut(&shape_id) else {
            return Err(Error::at(shape_path(&id), format!("`apply` targets `{shape_id}`, which is not in the model")));
        };
        let target = match &member {
            None => shape.traits_mut(),
            Some(m) => match shape.all_members_mut().into_iter().find(|(n, _)| n == m) {
                Some((_, member)) => &mut member.traits,
                None => {
                    return Err(Error::at(
                        shape_path(&id),
                        format!("`apply` targets member `{id}`, which does not exist"),
                    ))
                }
            },
        };
        target.0.extend(traits.0);
    }
    Ok(())
}

/// Copy members and traits of mixins into the shapes that use them, and drop the mixin shapes' `mixins` lists.
fn flatten_mixins(shapes: &mut BTreeMap<ShapeId, Shape>) -> Result<()> {
    let ids: Vec<ShapeId> = shapes.iter().filter(|(_, s)| !s.mixins().is_empty()).map(|(id, _)| id.clone()).collect();
    let mut done: BTreeMap<ShapeId, Shape> = BTreeMap::new();
    for id in ids {
        let mut visiting = Vec::new();
        let flat = flatten_one(shapes, &id, &mut visiting, &mut done)?;
        done.insert(id, flat);
    }
    for (id, shape) in done {
        shapes.insert(id, shape);
    }
    Ok(())
}

/// The longest chain of mixins of mixins. Flattening recurses along the chain, and this keeps it far from the end of a
/// thread's stack; models use a few levels.
pub const MAX_MIXIN_NESTING: usize = 64;

fn flatten_one(
    shapes: &BTreeMap<ShapeId, Shape>,
    id: &str,
    visiting: &mut Vec<ShapeId>,
    done: &mut BTreeMap<ShapeId, Shape>,
) -> Result<Shape> {
    if let Some(s) = done.get(id) {
        return Ok(s.clone());
    }
    if visiting.iter().any(|v| v == id) {
        return Err(Error::at(shape_path(id), format!("mixin cycle: {} -> {id}", visiting.join(" -> "))));
    }
    let Some(shape) = shapes.get(id) else {
        return Err(Error::at(
            shape_path(visiting.last().map_or(id, |v| v)),
            format!("mixin `{id}` is not in the model"),
        ));
    };
    if shape.mixins().is_empty() {
        return Ok(shape.clone());
    }
    if visiting.len() >= MAX_MIXIN_NESTING {
        return Err(Error::at(
            format!("{}.mixins", shape_path(id)),
            format!(
                "mixins nest more than {MAX_MIXIN_NESTING} deep: {} -> {id} -> …",
                visiting.first().map_or(id, String::as_str)
            ),
        ));
    }
    visiting.push(id.to_owned());
    let mut result = shape.clone();
    let mut inherited_traits = Traits::default();
    let mut inherited_members = BTreeMap::new();
    for mixin in shape.mixins() {
        let flat = flatten_one(shapes, &mixin.target, visiting, done)?;
        if !flat.traits().has(crate::traits::MIXIN) {
            return Err(Error::at(
                format!("{}.mixins", shape_path(id)),
                format!("`{}` is used as a mixin but has no @mixin trait", mixin.target),
            ));
        }
        if flat.type_name() != shape.type_name() {
            return Err(Error::at(
                format!("{}.mixins", shape_path(id)),
                format!("mixin `{}` is a {}, but `{id}` is a {}", mixin.target, flat.type_name(), shape.type_name()),
            ));
        }
        for (k, v) in &flat.traits().0 {
            if k != crate::traits::MIXIN {
                inherited_traits.0.insert(k.clone(), v.clone());
            }
        }
        if let Some(members) = flat.members() {
            inherited_members.extend(members.clone());
        }
    }
    visiting.pop();
    // Local traits win over inherited ones.
    let mut traits = inherited_traits;
    traits.0.extend(result.traits().0.clone());
    *result.traits_mut() = traits;
    match &mut result {
        Shape::Enum(a) | Shape::IntEnum(a) | Shape::Structure(a) | Shape::Union(a) => {
            for (name, member) in inherited_members {
                match a.members.get_mut(&name) {
                    // A redeclared member keeps the mixin's target and adds its own traits.
                    Some(local) => {
                        let mut t = member.traits.clone();
                        t.0.extend(local.traits.0.clone());
                        local.traits = t;
                    }
                    None => {
                        a.members.insert(name, member);
                    }
                }
            }
            a.mixins.clear();
        }
        Shape::Simple(s) => s.mixins.clear(),
        Shape::List(l) => l.mixins.clear(),
        Shape::Map(m) => m.mixins.clear(),
        Shape::Operation(o) => o.mixins.clear(),
        Shape::Service(s) => s.mixins.clear(),
        Shape::Resource(r) => r.mixins.clear(),
        Shape::Apply(_) => {}
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A service with one operation, and structures outside its closure: `Job` (reaching `Spec` and a list of it)
    /// and `Describe`.
    fn model() -> Model {
        crate::model::parse(
            r#"{"smithy": "2.0", "shapes": {
                "ex#Svc": {"type": "service", "version": "1", "operations": [{"target": "ex#Op"}],
                           "traits": {"aws.protocols#awsJson1_1": {}}},
                "ex#Op": {"type": "operation", "input": {"target": "ex#OpInput"}},
                "ex#OpInput": {"type": "structure", "members": {"Name": {"target": "ex#Name"}}},
                "ex#Name": {"type": "string"},
                "ex#Job": {"type": "structure", "members": {"Name": {"target": "ex#Name"},
                           "Specs": {"target": "ex#Specs"}}},
                "ex#Specs": {"type": "list", "member": {"target": "ex#Spec"}},
                "ex#Spec": {"type": "structure", "members": {"Size": {"target": "smithy.api#Integer"}}},
                "ex#Describe": {"type": "structure", "members": {"Job": {"target": "ex#Job"}}},
                "ex#Dangling": {"type": "structure", "members": {"X": {"target": "ex#Nowhere"}}}
            }}"#,
        )
        .unwrap()
    }

    fn tables(roots: &[&str]) -> Result<Resolved> {
        let roots: Vec<String> = roots.iter().map(|r| r.to_string()).collect();
        resolve_with_tables(&model(), None, &Selection::All, &roots)
    }

    #[test]
    fn table_roots_bring_their_closure_beside_the_selection() {
        let plain = resolve(&model(), None, &Selection::All).unwrap();
        assert!(plain.tables.is_empty());
        let r = tables(&["Job", "ex#Describe"]).unwrap();
        let ids: Vec<&str> = r.tables.keys().map(String::as_str).collect();
        assert_eq!(ids, ["ex#Describe", "ex#Job", "ex#Name", "ex#Spec", "ex#Specs", "smithy.api#Integer"]);
        // The selection's closure is what it was: the tables do not become types.
        assert_eq!(r.shapes.keys().collect::<Vec<_>>(), plain.shapes.keys().collect::<Vec<_>>());
        assert!(!r.shapes.contains_key("ex#Job"));
    }

    #[test]
    fn table_roots_are_checked() {
        let err = tables(&["Missing"]).unwrap_err().to_string();
        assert!(err.contains("the step kinds name `ex#Missing`, which is not in the model"), "{err}");
        let err = tables(&["Op"]).unwrap_err().to_string();
        assert!(err.contains("`ex#Op` is of type `operation`, not a value the step kinds can name"), "{err}");
        // A string is a value (what a project's own structure may name): its closure is itself.
        assert_eq!(tables(&["Name"]).unwrap().tables.keys().collect::<Vec<_>>(), ["ex#Name"]);
        let err = tables(&["Dangling"]).unwrap_err().to_string();
        assert!(err.contains("member `ex#Dangling$X` targets `ex#Nowhere`, which is not in the model"), "{err}");
    }
}
