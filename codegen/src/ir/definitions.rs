//! Pipeline definitions: the step kinds' requests and outputs lowered into schema tables, for the generated crate's
//! `definitions` feature.
//!
//! # Design
//!
//! A pipeline definition's steps carry the requests of other operations as their `Arguments` (a `Training` step's
//! are `CreateTrainingJob`'s input) and expose the matching `Describe*` outputs as their properties. Those shapes'
//! closures are about 660 shapes of the SageMaker model, against the 162 of the 18 pipeline operations: a Rust type
//! and a codec per shape would cost the generated crate about a fifth of the all-operations build. So they become
//! data instead, walked by one runtime walker:
//!
//! - **Settings** (`config::Definitions`, `models/pipeline-definitions.toml`): per step `Type`, the request shape, the
//!   members a step may leave out or may not have, and the output shapes of its properties; and the string shape whose
//!   `@length` bounds the definition's text.
//! - **Resolve** (`resolve::resolve_with_tables`): the closure of those shapes, beside the selection's, checked the
//!   same way (dangling targets, misused kinds). `import` keeps it in the project's model, as facts only.
//! - **IR** (this module): every decision, made once and fallibly. [`Tables`] is general, not specific to pipelines:
//!   each shape of the closure once (sorted by id; a member names its target by index), with its kind, its members
//!   (each with its constraints merged over its target's, as a call's input validation merges them, decided by the
//!   same `checks::decide_kind` and deduplicated into one table of [`TableChecks`]), and an enum's values. Patterns
//!   point at the crate's `patterns` statics where the selection already has them, and are planned here otherwise
//!   (the same planner, so the same automata). [`Definitions`] adds what is specific: the step kinds by index, and
//!   the size bound. A setting that names a member the request does not have is an error naming the setting.
//! - **Emit** (`emit::definitions`, `quote!` only, infallible): `src/definition_schema.rs`, behind the feature: the
//!   tables as statics of the runtime's `schema` types, the step kinds as `definition_check::StepKind`s, and
//!   `PipelineDefinition::check`, which hands them to the runtime.
//! - **Runtime**: `schema` (the table types and the walker that checks a JSON value against a shape, with a
//!   visitor that may accept an expression wherever a value goes), `json` (an owned JSON value that keeps member order
//!   and everything it read), `definition` (the typed envelope, `from_json` / `to_json`) and `definition_check` (the
//!   envelope's rules, references, cycles, and the walk of each step's arguments through the tables).
//!
//! The same tables can later drive codecs and validators of ordinary shapes (one walker instead of one function per
//! shape): a member's flags have room for what a codec needs (a timestamp's format), and [`Tables`] is built from any
//! closure of shapes.

use std::collections::{BTreeMap, BTreeSet};

use super::checks::{decide_kind, ValueKind};
use super::{Checks, PatternDef, RangeCheck};
use crate::config;
use crate::error::{member_path, shape_path, Error, Result};
use crate::model::{shape_name, Shape, ShapeId, SimpleType};
use crate::resolve::Resolved;
use crate::traits;

/// The pipeline-definition data of a crate.
#[derive(Debug, Clone)]
pub struct Definitions {
    /// The shapes of the step kinds' requests and outputs.
    pub tables: Tables,
    /// The step kinds, sorted by name.
    pub kinds: Vec<StepKind>,
    /// Patterns of the tables that the crate's `patterns` module does not have, sorted by name.
    pub patterns: Vec<PatternDef>,
    /// The most characters a definition's text may have.
    pub max_length: Option<u64>,
    /// The typed builders of arguments and the property paths (`src/steps.rs`).
    pub builders: Builders,
    /// The operations whose input has a member of the definition's text shape (`document`): their fluent builders
    /// take a typed definition (`.definition(..)`), checked as part of input validation.
    pub senders: Vec<Sender>,
}

/// An operation whose fluent builder takes a typed definition.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Sender {
    /// The operation.
    pub operation: ShapeId,
    /// The input's member that carries the definition's text.
    pub member: String,
    /// The fluent builder's method taking the typed definition: `definition`, or `typed_definition` when a member
    /// of the input is named `Definition` already (its setter is `definition`).
    pub method: String,
}

/// What `src/steps.rs` writes: a thin argument builder for each structure and union the step kinds' arguments reach,
/// a property path for each one their properties reach, and the Rust names of both.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Builders {
    /// Shapes that get an argument builder (`steps::args`), by index, sorted.
    pub args: Vec<u16>,
    /// Shapes that get a property path (`steps::props`), by index, sorted.
    pub props: Vec<u16>,
    /// The Rust type name of each shape (by index; empty for shapes that get neither).
    pub type_names: Vec<String>,
    /// The module of `args` and `props` each shape's type is in (by index): empty for the service's shapes and the
    /// project's own, else the last part of the shape's namespace (`emr` for `com.amazonaws.emr#Tag`), so that two
    /// models' shapes of one name (`Tag`) stay two types.
    pub modules: Vec<String>,
    /// The method name of each member of each shape (by index; empty for shapes that get neither).
    pub method_names: Vec<Vec<String>>,
    /// Members of a structure that no step whose arguments reach it may have, by the structure's index: its builder
    /// has no setter for them.
    pub unsupported: BTreeMap<u16, Vec<String>>,
    /// Per step kind (in the order of [`Definitions::kinds`]): the name of its step type (`TrainingStep`) and, for a
    /// kind with several property shapes, the name of the merged property path.
    pub kind_names: Vec<(String, Option<String>)>,
}

/// A step kind whose arguments are a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepKind {
    /// The step `Type`.
    pub name: String,
    /// The request's shape, by index.
    pub arguments: u16,
    /// Required members of the request a step may leave out (names, or dotted paths of members below).
    pub optional: Vec<String>,
    /// Members of the request a step may not have (names, or dotted paths of members below).
    pub unsupported: Vec<String>,
    /// Groups of members of one structure of which a step sets exactly one (names, or dotted paths of members
    /// below).
    pub exactly_one: Vec<Vec<String>>,
    /// Pairs of members of one structure: the first may be set only with the second.
    pub only_with: Vec<[String; 2]>,
    /// String members whose value names a step of the pipeline (names, or dotted paths of members below).
    pub step_names: Vec<String>,
    /// The output shapes of its properties, by index.
    pub properties: Vec<u16>,
    /// Its properties that are strings of no output shape (a check step's baselines), sorted.
    pub string_properties: Vec<String>,
}

/// Schema tables: a closure of shapes as data.
#[derive(Debug, Clone, Default)]
pub struct Tables {
    /// The shapes, sorted by id; members name their targets by index here.
    pub shapes: Vec<TableShape>,
    /// The distinct constraints; index 0 has none.
    pub checks: Vec<TableChecks>,
}

/// One shape of the tables.
#[derive(Debug, Clone, PartialEq)]
pub struct TableShape {
    /// Its id.
    pub id: ShapeId,
    /// What it is.
    pub kind: TableKind,
    /// A structure's or union's members (sorted by name), a list's `member`, a map's `key` and `value`.
    pub members: Vec<TableMember>,
    /// An enum's values (an int enum's in decimal), sorted.
    pub values: Vec<String>,
}

/// What a shape is (the runtime's `schema::Kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    /// A structure.
    Structure,
    /// A union.
    Union,
    /// A list.
    List {
        /// Items may be `null`.
        sparse: bool,
    },
    /// A map.
    Map {
        /// Values may be `null`.
        sparse: bool,
    },
    /// A simple shape, named as the runtime's `schema::Kind` variant (`String`, `Integer`, …).
    Simple(&'static str),
}

/// A member of a shape in the tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableMember {
    /// Its name.
    pub name: String,
    /// Its target, by index.
    pub target: u16,
    /// Its constraints, by index into [`Tables::checks`].
    pub checks: u16,
    /// `@required`.
    pub required: bool,
    /// `@sensitive`, on the member or its target.
    pub sensitive: bool,
}

/// The constraints of a value, as the runtime's `schema::Checks`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TableChecks {
    /// `@length`.
    pub length: Option<(Option<u64>, Option<u64>)>,
    /// `@range`.
    pub range: Option<RangeCheck>,
    /// `@pattern`: the static that checks it.
    pub pattern: Option<PatternRef>,
    /// `@uniqueItems`.
    pub unique: bool,
}

/// Where a pattern's static is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternRef {
    /// `crate::patterns::NAME`: the selection has the same pattern.
    Crate(String),
    /// A static of the tables' own file.
    Local(String),
}

impl TableKind {
    /// The kind as the model names it (`structure`, `list`, `string`).
    pub fn name(self) -> String {
        match self {
            TableKind::Structure => "structure".into(),
            TableKind::Union => "union".into(),
            TableKind::List { .. } => "list".into(),
            TableKind::Map { .. } => "map".into(),
            TableKind::Simple(s) => s.to_lowercase(),
        }
    }
}

impl Tables {
    /// The index of the shape `id`.
    pub fn index(&self, id: &str) -> Option<u16> {
        self.shapes.binary_search_by(|s| s.id.as_str().cmp(id)).ok().and_then(|i| u16::try_from(i).ok())
    }
}

/// Build the definitions of a crate from the resolved tables and the settings; `patterns` are the crate's own.
pub fn build(
    resolved: &Resolved,
    settings: &config::Definitions,
    crate_patterns: &[PatternDef],
) -> Result<Definitions> {
    let namespace = resolved.service_id.split_once('#').map_or("", |(ns, _)| ns);
    let qualify = |name: &str| if name.contains('#') { name.to_owned() } else { format!("{namespace}#{name}") };
    let (tables, patterns) = build_tables(&resolved.tables, crate_patterns)?;
    let mut kinds = Vec::new();
    for (name, kind) in &settings.steps {
        let at = format!("definitions.steps.{name}");
        let index = |shape: &str| {
            tables.index(&qualify(shape)).ok_or_else(|| {
                Error::at(&at, format!("`{}` is not among the shapes the step kinds reach", qualify(shape)))
            })
        };
        let index = |shape: &str| {
            let i = index(shape)?;
            let s = &tables.shapes[usize::from(i)];
            match s.kind {
                TableKind::Structure => Ok(i),
                other => Err(Error::at(
                    &at,
                    format!("`{}` is a {}; the step kinds' shapes must be structures", s.id, other.name()),
                )),
            }
        };
        let arguments = index(&kind.arguments)?;
        for path in kind.optional.iter().chain(&kind.unsupported) {
            member_at(&tables, arguments, path).map_err(|e| Error::at(&at, e))?;
        }
        for path in &kind.optional {
            let (shape, member) = member_at(&tables, arguments, path).map_err(|e| Error::at(&at, e))?;
            if !tables.shapes[usize::from(shape)].members[member].required {
                let id = &tables.shapes[usize::from(shape)].id;
                return Err(Error::at(&at, format!("`{path}` of `{id}` is not required; it need not be optional")));
            }
        }
        let groups = kind.exactly_one.iter().map(|g| (g.as_slice(), "exactly_one"));
        let pairs = kind.only_with.iter().map(|p| (p.as_slice(), "only_with"));
        for (group, key) in groups.chain(pairs) {
            member_rule(&tables, arguments, group, key, kind).map_err(|e| Error::at(&at, e))?;
        }
        for (i, path) in kind.step_names.iter().enumerate() {
            step_name_member(&tables, arguments, path, &kind.step_names[..i], kind).map_err(|e| Error::at(&at, e))?;
        }
        let properties = kind.properties.iter().map(|p| index(p)).collect::<Result<Vec<u16>>>()?;
        let mut string_properties = kind.string_properties.clone();
        string_properties.sort();
        for (i, p) in string_properties.iter().enumerate() {
            let identifier = p.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !identifier {
                return Err(Error::at(&at, format!("the string property `{p}` is not a name (letters, digits, `_`)")));
            }
            if string_properties[..i].contains(p) {
                return Err(Error::at(&at, format!("the string property `{p}` is listed twice")));
            }
            let shadowed =
                properties.iter().any(|&s| tables.shapes[usize::from(s)].members.iter().any(|m| &m.name == p));
            if shadowed {
                return Err(Error::at(&at, format!("the string property `{p}` is also a member of a property shape")));
            }
        }
        kinds.push(StepKind {
            name: name.clone(),
            arguments,
            optional: kind.optional.clone(),
            unsupported: kind.unsupported.clone(),
            exactly_one: kind.exactly_one.clone(),
            only_with: kind.only_with.clone(),
            step_names: kind.step_names.clone(),
            properties,
            string_properties,
        });
    }
    let max_length = match &settings.document {
        None => None,
        Some(document) => {
            let id = qualify(document);
            let shape = resolved.shapes.get(&id).or_else(|| resolved.tables.get(&id)).ok_or_else(|| {
                Error::at(
                    "definitions.document",
                    format!("`{id}` is not a shape the selection or the step kinds reach"),
                )
            })?;
            match shape {
                Shape::Simple(s) if s.kind == SimpleType::String => {
                    traits::length(&s.traits, &shape_path(&id))?.and_then(|l| l.max)
                }
                other => {
                    return Err(Error::at(
                        "definitions.document",
                        format!("`{id}` is a {}; the definition's text is a string", other.type_name()),
                    ))
                }
            }
        }
    };
    // The service's shapes and the project's own are at the top of `steps::args` and `steps::props`.
    let home: Vec<&str> = std::iter::once(namespace)
        .chain(settings.models.values().filter(|m| m.upstream.is_none()).map(|m| m.namespace.as_str()))
        .collect();
    let builders = build_builders(&tables, &kinds, &home)?;
    let mut senders = Vec::new();
    if let Some(document) = &settings.document {
        let document = qualify(document);
        for op in &resolved.operations {
            let Some(Shape::Operation(o)) = resolved.shapes.get(op) else { continue };
            let Some(Shape::Structure(input)) = o.input.as_ref().and_then(|t| resolved.shapes.get(&t.target)) else {
                continue;
            };
            // The member setters are the members' field names (`x`, `set_x`, `get_x`).
            let taken = |m: &str| {
                input.members.keys().any(|name| {
                    let field = crate::ident::field_name(name);
                    let (set, get) = crate::ident::setter_getter(&field);
                    crate::ident::unraw(&field) == m || set == m || get == m
                })
            };
            let method = ["definition", "typed_definition", "typed_pipeline_definition"]
                .into_iter()
                .find(|m| !taken(m))
                .ok_or_else(|| {
                    Error::at(
                        crate::error::shape_path(op),
                        format!("`{op}`: no name is free for the typed definition's setter (`definition`, `typed_definition`)"),
                    )
                })?;
            for (name, member) in &input.members {
                if member.target == document {
                    senders.push(Sender { operation: op.clone(), member: name.clone(), method: method.to_owned() });
                }
            }
        }
    }
    senders.sort();
    Ok(Definitions { tables, kinds, patterns, max_length, builders, senders })
}

/// The structure and member a setting's path names from the shape `root`: a member's name, or a dotted path of
/// members (`ClusterConfig.Instances.TerminationProtected`), where a list's member names the members of its items
/// (`Associations.Source.Arn`), as the shape's index and the member's.
pub fn member_at(tables: &Tables, root: u16, path: &str) -> std::result::Result<(u16, usize), String> {
    let mut shape = root;
    let mut segments = path.split('.').peekable();
    while let Some(name) = segments.next() {
        let mut s = &tables.shapes[usize::from(shape)];
        // Through a list (of lists) to its items; a list's shape has its one member, the item.
        while let (TableKind::List { .. }, Some(item)) = (s.kind, s.members.first()) {
            shape = item.target;
            s = &tables.shapes[usize::from(shape)];
        }
        if s.kind != TableKind::Structure {
            return Err(format!(
                "`{path}`: `{}` is not a structure or a list of structures, so `{name}` names no member of it",
                s.id
            ));
        }
        let Some(i) = s.members.iter().position(|m| m.name == name) else {
            let names: Vec<&str> = s.members.iter().map(|m| m.name.as_str()).collect();
            return Err(format!("`{name}` is not a member of `{}` (its members: {})", s.id, names.join(", ")));
        };
        if segments.peek().is_none() {
            return Ok((shape, i));
        }
        shape = s.members[i].target;
    }
    Err(format!("`{path}` names no member"))
}

/// Check one group of a rule across members (`exactly_one`, `only_with`) of a step kind: at least two members, each
/// a member of `root` or below it, all of one structure, none twice, none required (unless `optional`) and none
/// `unsupported`.
fn member_rule(
    tables: &Tables,
    root: u16,
    group: &[String],
    key: &str,
    kind: &crate::config::StepKind,
) -> std::result::Result<(), String> {
    let text = group.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ");
    if group.len() < 2 {
        return Err(format!("`{key}` group [{text}] needs at least two members"));
    }
    let parent = |p: &str| p.rsplit_once('.').map(|(parent, _)| parent.to_owned());
    for (i, path) in group.iter().enumerate() {
        let (shape, member) = member_at(tables, root, path)?;
        if group[..i].contains(path) {
            return Err(format!("`{key}` group [{text}] names `{path}` twice"));
        }
        if parent(path) != parent(&group[0]) {
            return Err(format!(
                "`{key}` group [{text}]: `{path}` and `{}` are not members of one structure",
                group[0]
            ));
        }
        if kind.unsupported.contains(path) {
            return Err(format!("`{key}` group [{text}]: `{path}` is unsupported, so it is never set"));
        }
        let s = &tables.shapes[usize::from(shape)];
        if s.members[member].required && !kind.optional.contains(path) {
            return Err(format!("`{key}` group [{text}]: `{path}` of `{}` is required, so it is always set", s.id));
        }
    }
    Ok(())
}

/// Check one path of a step kind's `step_names`: a string member of `root` or below it, named once before (`earlier`
/// are the paths before it), and not `unsupported`.
fn step_name_member(
    tables: &Tables,
    root: u16,
    path: &str,
    earlier: &[String],
    kind: &crate::config::StepKind,
) -> std::result::Result<(), String> {
    let (shape, member) = member_at(tables, root, path)?;
    if earlier.contains(&path.to_owned()) {
        return Err(format!("`step_names` names `{path}` twice"));
    }
    if kind.unsupported.iter().any(|p| p == path) {
        return Err(format!("`step_names`: `{path}` is unsupported, so it is never set"));
    }
    let target = &tables.shapes[usize::from(tables.shapes[usize::from(shape)].members[member].target)];
    if target.kind != TableKind::Simple("String") {
        return Err(format!(
            "`step_names`: `{path}` targets the {} `{}`; a step's name is a string",
            target.kind.name(),
            target.id
        ));
    }
    Ok(())
}

/// Decide what `src/steps.rs` writes and every Rust name in it; two model names that would make one Rust name are an
/// error naming both.
pub fn build_builders(tables: &Tables, kinds: &[StepKind], home: &[&str]) -> Result<Builders> {
    let n = tables.shapes.len();
    // Every shape each kind's arguments reach.
    let reached: Vec<Vec<bool>> = kinds
        .iter()
        .map(|kind| {
            let mut seen = vec![false; n];
            let mut stack = vec![kind.arguments];
            while let Some(i) = stack.pop() {
                if !std::mem::replace(&mut seen[usize::from(i)], true) {
                    stack.extend(tables.shapes[usize::from(i)].members.iter().map(|m| m.target));
                }
            }
            seen
        })
        .collect();
    // The (structure, member) each kind refuses, its paths resolved.
    let refused: Vec<BTreeSet<(u16, String)>> = kinds
        .iter()
        .map(|kind| {
            kind.unsupported
                .iter()
                .filter_map(|path| member_at(tables, kind.arguments, path).ok())
                .map(|(shape, m)| (shape, tables.shapes[usize::from(shape)].members[m].name.clone()))
                .collect()
        })
        .collect();
    // A member is left out when every kind whose arguments reach its structure refuses it.
    let mut unsupported: BTreeMap<u16, Vec<String>> = BTreeMap::new();
    for (shape, member) in refused.iter().flatten() {
        let all = (0..kinds.len())
            .filter(|&k| reached[k][usize::from(*shape)])
            .all(|k| refused[k].contains(&(*shape, member.clone())));
        let entry = unsupported.entry(*shape).or_default();
        if all && !entry.contains(member) {
            entry.push(member.clone());
        }
    }
    for members in unsupported.values_mut() {
        members.sort();
    }
    unsupported.retain(|_, v| !v.is_empty());
    // The structures and unions reached from the roots, through members, list items and map values.
    let reach = |roots: &mut dyn Iterator<Item = u16>| -> BTreeSet<u16> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<u16> = roots.collect();
        let mut visited = vec![false; n];
        while let Some(i) = stack.pop() {
            if std::mem::replace(&mut visited[usize::from(i)], true) {
                continue;
            }
            let shape = &tables.shapes[usize::from(i)];
            if matches!(shape.kind, TableKind::Structure | TableKind::Union) {
                seen.insert(i);
            }
            let skip = unsupported.get(&i);
            for m in &shape.members {
                if skip.is_some_and(|s| s.contains(&m.name)) {
                    continue;
                }
                stack.push(m.target);
            }
        }
        seen
    };
    let args = reach(&mut kinds.iter().map(|k| k.arguments));
    let props = reach(&mut kinds.iter().flat_map(|k| k.properties.iter().copied()));
    let mut type_names = vec![String::new(); n];
    let mut modules = vec![String::new(); n];
    let mut method_names = vec![Vec::new(); n];
    let mut taken: BTreeMap<(String, String), &ShapeId> = BTreeMap::new();
    for &i in args.union(&props) {
        let shape = &tables.shapes[usize::from(i)];
        let name = crate::ident::type_name(shape_name(&shape.id));
        let namespace = shape.id.split_once('#').map_or("", |(ns, _)| ns);
        let module = if home.contains(&namespace) || namespace == "smithy.api" {
            String::new()
        } else {
            crate::ident::field_name(namespace.rsplit('.').next().unwrap_or(namespace))
        };
        if let Some(other) = taken.insert((module.clone(), name.clone()), &shape.id) {
            return Err(Error::at(
                shape_path(&shape.id),
                format!("`{}` and `{other}` would both be the step builder `{name}`", shape.id),
            ));
        }
        modules[usize::from(i)] = module;
        let mut methods: BTreeMap<String, &str> = BTreeMap::new();
        for m in &shape.members {
            let method = builder_method(&m.name);
            if let Some(other) = methods.insert(method.clone(), &m.name) {
                return Err(Error::at(
                    member_path(&shape.id, &m.name),
                    format!("`{}` and `{other}` would both be the method `{method}`", m.name),
                ));
            }
        }
        type_names[usize::from(i)] = name;
        method_names[usize::from(i)] = shape.members.iter().map(|m| builder_method(&m.name)).collect();
    }
    let mut kind_names = Vec::new();
    for kind in kinds {
        let step = format!("{}Step", crate::ident::type_name(&kind.name));
        let merged = (kind.properties.len() > 1 || !kind.string_properties.is_empty())
            .then(|| format!("{}Properties", crate::ident::type_name(&kind.name)));
        for name in std::iter::once(&step).chain(&merged) {
            if taken.contains_key(&(String::new(), name.clone())) {
                return Err(Error::at(
                    format!("definitions.steps.{}", kind.name),
                    format!("`{name}` is also the name of a shape's builder"),
                ));
            }
        }
        kind_names.push((step, merged));
    }
    Ok(Builders {
        args: args.into_iter().collect(),
        props: props.into_iter().collect(),
        type_names,
        modules,
        method_names,
        unsupported,
        kind_names,
    })
}

/// Lower a closure of shapes into tables, with the patterns `crate_patterns` lacks planned.
pub fn build_tables(
    shapes: &BTreeMap<ShapeId, Shape>,
    crate_patterns: &[PatternDef],
) -> Result<(Tables, Vec<PatternDef>)> {
    if shapes.len() > usize::from(u16::MAX) {
        return Err(Error::at("definitions", format!("{} shapes are more than the tables can index", shapes.len())));
    }
    let index: BTreeMap<&str, u16> = shapes.keys().enumerate().map(|(i, id)| (id.as_str(), i as u16)).collect();
    let target = |id: &str, at: &str| {
        index.get(id).copied().ok_or_else(|| Error::at(at, format!("`{id}` is not in the tables")))
    };
    // Members with their constraints, before the patterns are known.
    struct Pending {
        name: String,
        target: u16,
        target_id: ShapeId,
        checks: Checks,
        pattern: Option<(String, Option<u64>)>,
        required: bool,
        sensitive: bool,
    }
    let mut pending: Vec<(TableShape, Vec<Pending>)> = Vec::new();
    for (id, shape) in shapes {
        let (kind, members): (TableKind, Vec<(&str, &crate::model::Member)>) = match shape {
            Shape::Structure(a) => (TableKind::Structure, a.members.iter().map(|(n, m)| (n.as_str(), m)).collect()),
            Shape::Union(a) => (TableKind::Union, a.members.iter().map(|(n, m)| (n.as_str(), m)).collect()),
            Shape::List(l) => (TableKind::List { sparse: l.traits.has(traits::SPARSE) }, vec![("member", &l.member)]),
            Shape::Map(m) => {
                (TableKind::Map { sparse: m.traits.has(traits::SPARSE) }, vec![("key", &m.key), ("value", &m.value)])
            }
            Shape::Enum(_) => (TableKind::Simple("Enum"), Vec::new()),
            Shape::IntEnum(_) => (TableKind::Simple("IntEnum"), Vec::new()),
            Shape::Simple(s) => (TableKind::Simple(simple_kind(s.kind)), Vec::new()),
            other => {
                return Err(Error::at(shape_path(id), format!("a {} cannot be in the tables", other.type_name())));
            }
        };
        let mut values: Vec<String> = match shape {
            Shape::Enum(a) | Shape::IntEnum(a) => {
                a.members.iter().map(|(n, m)| crate::model::enum_value(n, m)).collect()
            }
            _ => Vec::new(),
        };
        values.sort();
        let mut out = Vec::new();
        for (name, member) in members {
            let at = member_path(id, name);
            let target_shape = &shapes[&member.target];
            let mut constraints = super::build::constraints_of(target_shape.traits(), &at)?;
            constraints.merge(super::build::constraints_of(&member.traits, &at)?);
            let value_kind = value_kind(target_shape, shapes);
            let checks = decide_kind(value_kind, &constraints, &at)?;
            let pattern = constraints.pattern.clone().map(|p| (p, checks.length.and_then(|l| l.max)));
            out.push(Pending {
                name: name.to_owned(),
                target: target(&member.target, &at)?,
                target_id: member.target.clone(),
                checks,
                pattern,
                required: member.traits.has(traits::REQUIRED),
                sensitive: member.traits.has(traits::SENSITIVE) || target_shape.traits().has(traits::SENSITIVE),
            });
        }
        pending.push((TableShape { id: id.clone(), kind, members: Vec::new(), values }, out));
    }
    // Each distinct pattern once: the crate's static where it has one, else planned here (the bound of a pattern on
    // the ECMAScript engine is the largest `@length` maximum of its values, none when one has none).
    let mut uses: BTreeMap<String, (Option<u64>, std::collections::BTreeSet<ShapeId>)> = BTreeMap::new();
    for m in pending.iter().flat_map(|(_, members)| members) {
        if let Some((p, max)) = &m.pattern {
            let entry = uses.entry(p.clone()).or_insert_with(|| (*max, Default::default()));
            entry.0 = entry.0.zip(*max).map(|(a, b)| a.max(b));
            entry.1.insert(m.target_id.clone());
        }
    }
    let mut local = Vec::new();
    let mut names: std::collections::BTreeSet<String> = crate_patterns.iter().map(|p| p.name.clone()).collect();
    let mut refs: BTreeMap<String, Option<PatternRef>> = BTreeMap::new();
    type Uses = (Option<u64>, std::collections::BTreeSet<ShapeId>);
    let missing: Vec<(&String, &Uses)> =
        uses.iter().filter(|(p, _)| !crate_patterns.iter().any(|c| &c.plan.original == *p)).collect();
    let plans = crate::parallel::map(&missing, |(p, (max, _))| crate::pattern::plan_for_values(p, *max))?;
    for ((pattern, (_, ids)), plan) in missing.into_iter().zip(plans) {
        let first = ids.iter().next().cloned().unwrap_or_default();
        let plan = plan.map_err(|e| {
            Error::at(
                traits::path(&shape_path(&first), traits::PATTERN),
                format!("pattern `{pattern}` of `{first}` cannot be checked: {e}"),
            )
        })?;
        if plan.is_trivial() {
            refs.insert(pattern.clone(), None);
            continue;
        }
        let name = crate::ident::unique(crate::ident::const_name(shape_name(&first)), &mut names);
        refs.insert(pattern.clone(), Some(PatternRef::Local(name.clone())));
        local.push(PatternDef { name, plan, shapes: ids.iter().cloned().collect() });
    }
    for c in crate_patterns {
        let r = (!c.plan.is_trivial()).then(|| PatternRef::Crate(c.name.clone()));
        refs.entry(c.plan.original.clone()).or_insert(r);
    }
    local.sort_by(|a, b| a.name.cmp(&b.name));
    let mut tables = Tables { shapes: Vec::new(), checks: vec![TableChecks::default()] };
    for (mut shape, members) in pending {
        for m in members {
            let c = TableChecks {
                length: m.checks.length.map(|l| (l.min, l.max)),
                range: m.checks.range,
                pattern: m.pattern.as_ref().and_then(|(p, _)| refs.get(p).cloned().flatten()),
                unique: m.checks.unique.is_some(),
            };
            let checks = match tables.checks.iter().position(|x| *x == c) {
                Some(i) => i,
                None => {
                    tables.checks.push(c);
                    tables.checks.len() - 1
                }
            };
            let checks = u16::try_from(checks)
                .map_err(|_| Error::at(shape_path(&shape.id), "more distinct constraints than the tables can index"))?;
            shape.members.push(TableMember {
                name: m.name,
                target: m.target,
                checks,
                required: m.required,
                sensitive: m.sensitive,
            });
        }
        tables.shapes.push(shape);
    }
    Ok((tables, local))
}

/// The method of a member in `src/steps.rs`: its field name, but for the property paths' own `path`.
fn builder_method(member: &str) -> String {
    match crate::ident::field_name(member) {
        p if p == "path" => "path_value".to_owned(),
        other => other,
    }
}

/// The runtime's `schema::Kind` variant of a simple shape.
fn simple_kind(kind: SimpleType) -> &'static str {
    match kind {
        SimpleType::String => "String",
        SimpleType::Boolean => "Boolean",
        SimpleType::Byte => "Byte",
        SimpleType::Short => "Short",
        SimpleType::Integer => "Integer",
        SimpleType::Long => "Long",
        SimpleType::BigInteger => "BigInteger",
        SimpleType::Float => "Float",
        SimpleType::Double => "Double",
        SimpleType::BigDecimal => "BigDecimal",
        SimpleType::Timestamp => "Timestamp",
        SimpleType::Blob => "Blob",
        SimpleType::Document => "Document",
    }
}

/// What constraints a value of `shape` can carry.
fn value_kind(shape: &Shape, shapes: &BTreeMap<ShapeId, Shape>) -> ValueKind {
    match shape {
        Shape::Simple(s) => match s.kind {
            SimpleType::String => ValueKind::String,
            SimpleType::Blob => ValueKind::Blob,
            SimpleType::Byte | SimpleType::Short | SimpleType::Integer | SimpleType::Long | SimpleType::BigInteger => {
                ValueKind::Integer
            }
            SimpleType::Float | SimpleType::Double | SimpleType::BigDecimal => ValueKind::Float,
            SimpleType::Boolean => ValueKind::Other("a boolean"),
            SimpleType::Timestamp => ValueKind::Other("a timestamp"),
            SimpleType::Document => ValueKind::Other("a document"),
        },
        Shape::Enum(_) => ValueKind::Enum,
        Shape::IntEnum(_) => ValueKind::IntEnum,
        Shape::List(l) => {
            let hashable = shapes.get(&l.member.target).is_some_and(|t| match t {
                Shape::Simple(s) => !matches!(
                    s.kind,
                    SimpleType::Float | SimpleType::Double | SimpleType::BigDecimal | SimpleType::Document
                ),
                Shape::Enum(_) | Shape::IntEnum(_) => true,
                _ => false,
            });
            ValueKind::List { hashable, sparse: l.traits.has(traits::SPARSE) }
        }
        Shape::Map(_) => ValueKind::Map,
        Shape::Structure(_) => ValueKind::Other("a structure"),
        Shape::Union(_) => ValueKind::Other("a union"),
        _ => ValueKind::Other("a shape that is not a value"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A service whose one operation takes `Doc`, and a `Job` request and `Describe` output outside its closure.
    const MODEL: &str = r#"{"smithy": "2.0", "shapes": {
        "ex#Svc": {"type": "service", "version": "1", "operations": [{"target": "ex#Put"}],
                   "traits": {"aws.protocols#awsJson1_1": {}}},
        "ex#Put": {"type": "operation", "input": {"target": "ex#PutInput"}},
        "ex#PutInput": {"type": "structure", "members": {"Doc": {"target": "ex#Doc"}, "Name": {"target": "ex#Name"}}},
        "ex#Doc": {"type": "string", "traits": {"smithy.api#length": {"max": 100}}},
        "ex#Name": {"type": "string", "traits": {"smithy.api#pattern": "^[a-z]+$"}},
        "ex#Job": {"type": "structure", "members": {
            "Name": {"target": "ex#Name", "traits": {"smithy.api#required": {}}},
            "Other": {"target": "ex#Name", "traits": {"smithy.api#pattern": "^[0-9]+$"}},
            "Sizes": {"target": "ex#Sizes"}, "Kept": {"target": "smithy.api#String"}}},
        "ex#Sizes": {"type": "list", "member": {"target": "smithy.api#Integer", "traits": {"smithy.api#range": {"min": 1}}},
                     "traits": {"smithy.api#length": {"max": 2}}},
        "ex#Describe": {"type": "structure", "members": {"Name": {"target": "ex#Name"}}}
    }}"#;

    /// The definitions IR of `model` (a Smithy JSON AST text) under `settings`.
    fn build_from(model: &str, settings: &str) -> Result<Definitions> {
        let model = crate::model::parse(model).unwrap();
        let settings = config::Definitions::parse(settings)?;
        let resolved =
            crate::resolve::resolve_with_tables(&model, None, &crate::resolve::Selection::All, &settings.roots())?;
        Ok(super::super::build(&resolved, None, Some(&settings))?.definitions.expect("definitions"))
    }

    fn build_with(settings: &str) -> Result<Definitions> {
        build_from(MODEL, settings)
    }

    const GOOD: &str = "document = \"Doc\"\n[steps.Run]\narguments = \"Job\"\noptional = [\"Name\"]\n\
                        unsupported = [\"Kept\"]\nproperties = [\"Describe\"]\n";

    #[test]
    fn the_tables_hold_the_closure_with_merged_constraints() {
        let d = build_with(GOOD).unwrap();
        let ids: Vec<&str> = d.tables.shapes.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["ex#Describe", "ex#Job", "ex#Name", "ex#Sizes", "smithy.api#Integer", "smithy.api#String"]);
        assert_eq!(d.max_length, Some(100));
        assert_eq!(
            d.kinds,
            [StepKind {
                name: "Run".into(),
                arguments: 1,
                optional: vec!["Name".into()],
                unsupported: vec!["Kept".into()],
                exactly_one: Vec::new(),
                only_with: Vec::new(),
                step_names: Vec::new(),
                properties: vec![0],
                string_properties: Vec::new(),
            }]
        );
        let job = &d.tables.shapes[1];
        let names: Vec<&str> = job.members.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["Kept", "Name", "Other", "Sizes"]);
        // `Name`'s pattern is the selection's (`crate::patterns`); `Other`'s own pattern, put over its target's, is
        // planned for the tables; the list's length and its member's range are each a member's checks.
        let checks = |member: &TableMember| &d.tables.checks[usize::from(member.checks)];
        assert_eq!(checks(&job.members[1]).pattern, Some(PatternRef::Crate("NAME".into())));
        assert_eq!(checks(&job.members[2]).pattern, Some(PatternRef::Local("NAME_2".into())));
        assert_eq!(d.patterns.iter().map(|p| p.plan.original.as_str()).collect::<Vec<_>>(), ["^[0-9]+$"]);
        assert_eq!(checks(&job.members[3]).length, Some((None, Some(2))));
        let sizes = &d.tables.shapes[3];
        assert_eq!(sizes.kind, TableKind::List { sparse: false });
        assert_eq!(checks(&sizes.members[0]).range, Some(RangeCheck::Int { min: Some(1), max: None, int_enum: false }));
        assert!(job.members[1].required && !job.members[0].required);
        // Equal constraints share one entry; index 0 has none.
        assert_eq!(d.tables.checks[0], TableChecks::default());
        assert_eq!(d.tables.checks.len(), 5);
    }

    #[test]
    fn the_builders_cover_what_the_arguments_and_properties_reach_and_leave_out_refused_members() {
        let d = build_with(GOOD).unwrap();
        let b = &d.builders;
        // `Job` (index 1) gets an argument builder, `Describe` (index 0) a property path; lists and simple shapes
        // are slots, not types.
        assert_eq!((b.args.as_slice(), b.props.as_slice()), ([1u16].as_slice(), [0u16].as_slice()));
        assert_eq!(
            (b.type_names[0].as_str(), b.type_names[1].as_str(), b.type_names[3].as_str()),
            ("Describe", "Job", "")
        );
        assert_eq!(b.method_names[1], ["kept", "name", "other", "sizes"]);
        // `Kept` is refused by the only kind whose request is `Job`: no setter.
        assert_eq!(b.unsupported.get(&1), Some(&vec!["Kept".to_owned()]));
        assert_eq!(b.kind_names, [("RunStep".to_owned(), None)]);
        // Two property shapes are merged into one path type named after the kind.
        let two =
            build_with(&GOOD.replace("properties = [\"Describe\"]", "properties = [\"Describe\", \"Job\"]")).unwrap();
        assert_eq!(two.builders.kind_names, [("RunStep".to_owned(), Some("RunProperties".to_owned()))]);
        assert_eq!(two.builders.props, [0, 1]);
        // String properties (a check step's baselines) get a path type too, sorted.
        let strings = build_with(&GOOD.replace(
            "properties = [\"Describe\"]",
            "properties = [\"Describe\"]\nstring_properties = [\"Report\", \"Baseline\"]",
        ))
        .unwrap();
        assert_eq!(strings.kinds[0].string_properties, ["Baseline", "Report"]);
        assert_eq!(strings.builders.kind_names, [("RunStep".to_owned(), Some("RunProperties".to_owned()))]);
    }

    /// `ex#Wrap` made of another namespace's shapes, one of them named as one of `ex`'s (`Tag`).
    const TWO: &str = r#"{"smithy": "2.0", "shapes": {
        "ex#Svc": {"type": "service", "version": "1", "operations": [{"target": "ex#Put"}],
                   "traits": {"aws.protocols#awsJson1_1": {}}},
        "ex#Put": {"type": "operation", "input": {"target": "ex#PutInput"}},
        "ex#PutInput": {"type": "structure", "members": {"Name": {"target": "smithy.api#String"}}},
        "ex#Wrap": {"type": "structure", "members": {
            "Cluster": {"target": "other#Cluster", "traits": {"smithy.api#required": {}}},
            "Tag": {"target": "ex#Tag"}, "Ends": {"target": "ex#Ends"}, "Labels": {"target": "ex#Labels"}}},
        "ex#Tag": {"type": "structure", "members": {"K": {"target": "smithy.api#String"}}},
        "ex#Ends": {"type": "list", "member": {"target": "ex#End"}},
        "ex#End": {"type": "structure", "members": {
            "Arn": {"target": "smithy.api#String"}, "Name": {"target": "smithy.api#String"},
            "Step": {"target": "smithy.api#String"}, "Size": {"target": "smithy.api#Integer"}}},
        "ex#Labels": {"type": "map", "key": {"target": "smithy.api#String"}, "value": {"target": "ex#End"}},
        "other#Cluster": {"type": "structure", "members": {
            "Name": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}},
            "Inner": {"target": "other#Inner"}, "Tag": {"target": "other#Tag"}}},
        "other#Inner": {"type": "structure", "members": {
            "Keep": {"target": "smithy.api#Boolean"}, "Drop": {"target": "smithy.api#Boolean"}}},
        "other#Tag": {"type": "structure", "members": {"V": {"target": "smithy.api#String"}}}
    }}"#;

    fn build_two(settings: &str) -> Result<Definitions> {
        build_from(TWO, settings)
    }

    #[test]
    fn paths_below_the_arguments_and_shapes_of_another_namespace() {
        let good = "[steps.Run]\narguments = \"Wrap\"\noptional = [\"Cluster.Name\"]\n\
                    unsupported = [\"Cluster.Inner.Drop\"]\n";
        let d = build_two(good).unwrap();
        let b = &d.builders;
        let at = |id: &str| usize::from(d.tables.index(id).unwrap());
        // Two `Tag`s: the service's at the top of `args`, the other namespace's in its module.
        assert_eq!((b.type_names[at("ex#Tag")].as_str(), b.modules[at("ex#Tag")].as_str()), ("Tag", ""));
        assert_eq!((b.type_names[at("other#Tag")].as_str(), b.modules[at("other#Tag")].as_str()), ("Tag", "other"));
        assert_eq!(b.modules[at("ex#Wrap")], "");
        // A refused member below the arguments has no setter in its structure's builder.
        assert_eq!(b.unsupported.get(&(at("other#Inner") as u16)), Some(&vec!["Drop".to_owned()]));
        assert_eq!(d.kinds[0].optional, ["Cluster.Name"]);
        // Settings whose paths do not fit are errors naming the setting.
        let err = |settings: &str| build_two(settings).unwrap_err().to_string();
        let e = err(&good.replace("Cluster.Name", "Cluster.Inner.Keep"));
        assert!(e.contains("definitions.steps.Run: `Cluster.Inner.Keep` of `other#Inner` is not required"), "{e}");
        let e = err(&good.replace("Cluster.Inner.Drop", "Cluster.Nope"));
        assert!(e.contains("`Nope` is not a member of `other#Cluster` (its members: Inner, Name, Tag)"), "{e}");
        let e = err(&good.replace("Cluster.Inner.Drop", "Cluster.Name.X"));
        assert!(
            e.contains(
                "`Cluster.Name.X`: `smithy.api#String` is not a structure or a list of structures, so `X` names no member"
            ),
            "{e}"
        );
        // A path through a list names its items' members; a map's values are not below a path.
        let through = build_two(&good.replace("Cluster.Inner.Drop", "Ends.Arn")).unwrap();
        assert_eq!(through.kinds[0].unsupported, ["Ends.Arn"]);
        assert_eq!(through.builders.unsupported.get(&(at("ex#End") as u16)), Some(&vec!["Arn".to_owned()]));
        let e = err(&good.replace("Cluster.Inner.Drop", "Labels.Arn"));
        assert!(e.contains("`Labels.Arn`: `ex#Labels` is not a structure or a list of structures"), "{e}");
    }

    #[test]
    fn members_that_name_steps_are_strings() {
        let good = "[steps.Run]\narguments = \"Wrap\"\noptional = [\"Cluster.Name\"]\n\
                    unsupported = [\"Ends.Arn\"]\nstep_names = [\"Ends.Step\", \"Tag.K\"]\n";
        let d = build_two(good).unwrap();
        assert_eq!(d.kinds[0].step_names, ["Ends.Step", "Tag.K"]);
        let err = |names: &str| {
            let settings = good.replace("[\"Ends.Step\", \"Tag.K\"]", names);
            build_two(&settings).unwrap_err().to_string()
        };
        let e = err("[\"Ends.Size\"]");
        assert!(e.contains("definitions.steps.Run: `step_names`: `Ends.Size` targets the integer `smithy.api#Integer`; a step's name is a string"), "{e}");
        let e = err("[\"Ends\"]");
        assert!(e.contains("`step_names`: `Ends` targets the list `ex#Ends`; a step's name is a string"), "{e}");
        let e = err("[\"Ends.Step\", \"Ends.Step\"]");
        assert!(e.contains("`step_names` names `Ends.Step` twice"), "{e}");
        let e = err("[\"Ends.Arn\"]");
        assert!(e.contains("`step_names`: `Ends.Arn` is unsupported, so it is never set"), "{e}");
        let e = err("[\"Ends.Nope\"]");
        assert!(e.contains("`Nope` is not a member of `ex#End`"), "{e}");
    }

    #[test]
    fn rules_across_members_name_members_of_one_structure() {
        let good = "[steps.Run]\narguments = \"Wrap\"\noptional = [\"Cluster.Name\"]\n\
                    unsupported = [\"Cluster.Inner.Drop\"]\n\
                    exactly_one = [[\"Cluster.Name\", \"Cluster.Tag\"]]\nonly_with = [[\"Cluster.Inner\", \"Cluster.Tag\"]]\n";
        let d = build_two(good).unwrap();
        assert_eq!(d.kinds[0].exactly_one, [["Cluster.Name", "Cluster.Tag"]]);
        assert_eq!(d.kinds[0].only_with, [["Cluster.Inner".to_owned(), "Cluster.Tag".to_owned()]]);
        let err = |settings: &str| build_two(settings).unwrap_err().to_string();
        let rule = |rule: &str| good.replace("exactly_one = [[\"Cluster.Name\", \"Cluster.Tag\"]]", rule);
        let e = err(&rule("exactly_one = [[\"Cluster.Tag\"]]"));
        assert!(
            e.contains("definitions.steps.Run: `exactly_one` group [`Cluster.Tag`] needs at least two members"),
            "{e}"
        );
        let e = err(&rule("exactly_one = [[\"Cluster.Tag\", \"Tag\"]]"));
        assert!(e.contains("`Tag` and `Cluster.Tag` are not members of one structure"), "{e}");
        let e = err(&rule("exactly_one = [[\"Cluster.Tag\", \"Cluster.Tag\"]]"));
        assert!(e.contains("names `Cluster.Tag` twice"), "{e}");
        let e = err(&rule("exactly_one = [[\"Cluster.Inner.Keep\", \"Cluster.Inner.Drop\"]]"));
        assert!(e.contains("`Cluster.Inner.Drop` is unsupported, so it is never set"), "{e}");
        // `Cluster` is required and not optional; `Cluster.Name` is required but optional, so it may be a choice.
        let e = err(&good.replace("[\"Cluster.Inner\", \"Cluster.Tag\"]]", "[\"Cluster\", \"Tag\"]]"));
        assert!(e.contains("`only_with` group [`Cluster`, `Tag`]: `Cluster` of `ex#Wrap` is required"), "{e}");
        let e = err(&rule("exactly_one = [[\"Cluster.Tag\", \"Cluster.Nope\"]]"));
        assert!(e.contains("`Nope` is not a member of `other#Cluster`"), "{e}");
    }

    #[test]
    fn settings_that_do_not_fit_the_model_are_errors() {
        let err = |settings: &str| build_with(settings).unwrap_err().to_string();
        let e = err(&GOOD.replace("optional = [\"Name\"]", "optional = [\"Nme\"]"));
        assert!(
            e.contains(
                "definitions.steps.Run: `Nme` is not a member of `ex#Job` (its members: Kept, Name, Other, Sizes)"
            ),
            "{e}"
        );
        let e = err(&GOOD.replace("optional = [\"Name\"]", "optional = [\"Kept\"]"));
        assert!(e.contains("`Kept` of `ex#Job` is not required; it need not be optional"), "{e}");
        let e = err(&GOOD.replace("unsupported = [\"Kept\"]", "unsupported = [\"Gone\"]"));
        assert!(e.contains("`Gone` is not a member of `ex#Job`"), "{e}");
        let e = err(&GOOD.replace("document = \"Doc\"", "document = \"Job\""));
        assert!(e.contains("definitions.document: `ex#Job` is a structure; the definition's text is a string"), "{e}");
        let e = err(&GOOD.replace("document = \"Doc\"", "document = \"Nowhere\""));
        assert!(e.contains("`ex#Nowhere` is not a shape the selection or the step kinds reach"), "{e}");
        let e = err(&GOOD.replace("arguments = \"Job\"", "arguments = \"Sizes\""));
        assert!(e.contains("`ex#Sizes` is a list; the step kinds' shapes must be structures"), "{e}");
        let strings = |list: &str| {
            err(&GOOD.replace(
                "properties = [\"Describe\"]",
                &format!("properties = [\"Describe\"]\nstring_properties = {list}"),
            ))
        };
        let e = strings("[\"Name\"]");
        assert!(
            e.contains("definitions.steps.Run: the string property `Name` is also a member of a property shape"),
            "{e}"
        );
        let e = strings("[\"A\", \"A\"]");
        assert!(e.contains("the string property `A` is listed twice"), "{e}");
        let e = strings("[\"a.b\"]");
        assert!(e.contains("the string property `a.b` is not a name"), "{e}");
    }
}
