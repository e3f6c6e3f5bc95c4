//! `cargo xtask diff`: what changed for users of the generated crate between two models, as a changelog with each
//! change classified (breaking, additive, documentation) and the semver bump it implies.
//!
//! The comparison walks each selected operation's input and output from the operation down, so a change in a shared
//! shape is reported under every operation it reaches, with the path of the member (`SelectiveExecutionConfig.
//! SelectedSteps[].StepName`), as the AWS SDK changelogs do.
//!
//! With the pipeline-definition settings ([`diff_definitions`]), each step kind's arguments (its request shape, read
//! as a request: a member added is additive, a member removed or made required or a constraint tightened is breaking,
//! since `check()` then refuses definitions it accepted) and properties (its output shapes, read as a response: a
//! member removed is breaking, since a `Get` of it no longer resolves) are compared the same way, and listed under
//! their own heading.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;
use serde_json::Value;

use crate::config;
use crate::error::Result;
use crate::inclusion::{self, Budget, Relation};
use crate::model::{shape_name, Member, Model, Shape, ShapeId, SimpleType, Traits};
use crate::resolve::{self, Selection};

mod service;
mod waiters;

/// How a change affects users of the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    /// Code that compiled or requests that were valid may no longer.
    Breaking,
    /// New API; existing code keeps working.
    Additive,
    /// The same API, behaving differently: a waiter's acceptors or delays, the endpoint rules.
    Behavior,
    /// Documentation only.
    Documentation,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The operation it concerns; empty for a change of the service (its endpoint rules).
    pub operation: String,
    /// Breaking, additive or documentation.
    pub class: Class,
    /// `request`, `response`, `operation`, `waiter` (the path is the waiter's name) or `endpoint rules`.
    pub side: String,
    /// Member path, e.g. `SelectiveExecutionConfig.SelectedSteps[].StepName`.
    pub path: String,
    /// What changed.
    pub detail: String,
    /// The request or response fragment that was added, in the SDK changelog style.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fragment: Option<String>,
    /// For a change of what a member accepts (`@pattern`, `@length`, `@range`, `@required`, `@uniqueItems`): how the
    /// set of accepted values moved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
    /// A value the previous release accepted and this one refuses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused: Option<String>,
    /// A value the previous release refused and this one accepts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted: Option<String>,
}

/// How a constraint change moved the set of values a member accepts, decided exactly (for patterns, by language
/// inclusion of the old and new generated validators).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Strictly more values are accepted.
    Relaxed,
    /// Strictly fewer values are accepted.
    Tightened,
    /// Some values are newly accepted and others newly refused.
    Incomparable,
    /// The same values are accepted (the constraint was only rewritten).
    Equivalent,
    /// Not decided within the budget (treated as breaking).
    Undecided,
}

/// The whole comparison.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Operations only the new model has.
    pub added_operations: Vec<String>,
    /// Operations only the old model has.
    pub removed_operations: Vec<String>,
    /// Every change, grouped by operation in name order.
    pub changes: Vec<Change>,
    /// The version bump implied for a crate at `from_version`.
    pub semver: Semver,
}

/// The implied release.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Semver {
    /// The version compared from.
    pub from_version: String,
    /// `major`, `minor`, `patch` or `none`.
    pub bump: String,
    /// The version to release.
    pub to_version: String,
}

impl Report {
    /// The most severe class present.
    pub fn worst(&self) -> Option<Class> {
        let ops = (!self.removed_operations.is_empty())
            .then_some(Class::Breaking)
            .or((!self.added_operations.is_empty()).then_some(Class::Additive));
        self.changes.iter().map(|c| c.class).chain(ops).min()
    }

    /// Operations with at least one non-documentation change.
    pub fn updated_operations(&self) -> BTreeSet<&str> {
        self.changes
            .iter()
            .filter(|c| c.class != Class::Documentation && !c.operation.is_empty() && !c.is_definition())
            .map(|c| c.operation.as_str())
            .collect()
    }
}

impl Change {
    /// Whether the change is of the pipeline-definition tables ([`diff_definitions`]).
    pub fn is_definition(&self) -> bool {
        self.operation.ends_with(DEFINITION_STEP)
    }
}

/// `major.minor.patch` as numbers (missing or unreadable parts count as 0); tuples compare as versions do.
pub fn parse_version(version: &str) -> (u64, u64, u64) {
    let mut parts = version.split('.').map(|p| p.parse().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

/// The bump a change class implies for `version` (`0.x` treats minor as major, patch as minor).
pub fn bump(version: &str, worst: Option<Class>) -> Semver {
    let (major, minor, patch) = parse_version(version);
    let (kind, next) = match (worst, major) {
        (None, _) => ("none", (major, minor, patch)),
        (Some(Class::Breaking), 0) => ("minor", (0, minor + 1, 0)),
        (Some(Class::Breaking), _) => ("major", (major + 1, 0, 0)),
        (Some(Class::Additive), 0) => ("patch", (0, minor, patch + 1)),
        (Some(Class::Additive), _) => ("minor", (major, minor + 1, 0)),
        (Some(Class::Behavior | Class::Documentation), _) => ("patch", (major, minor, patch + 1)),
    };
    Semver {
        from_version: version.to_owned(),
        bump: kind.to_owned(),
        to_version: format!("{}.{}.{}", next.0, next.1, next.2),
    }
}

/// The service's operations, and the service shape's traits.
fn bound_operations(model: &Model, service: Option<&str>) -> Result<(BTreeSet<ShapeId>, Traits)> {
    let resolved = resolve::resolve(model, service, &Selection::All)?;
    Ok((resolved.operations.into_iter().collect(), resolved.service.traits))
}

/// Compare the selected operations of two models.
pub fn diff(old: &Model, new: &Model, service: Option<&str>, selection: &Selection, version: &str) -> Result<Report> {
    let (old_ops, old_service) = bound_operations(old, service)?;
    let (new_ops, new_service) = bound_operations(new, service)?;
    let wanted = |id: &ShapeId| match selection {
        Selection::All => true,
        Selection::Named(names) => names.iter().any(|n| n == id || shape_name(id) == n),
    };
    let mut report = Report::default();
    for (class, path, detail) in service::compare(&old_service, &new_service) {
        report.changes.push(Change::new(String::new(), class, "endpoint rules", &path, detail));
    }
    let mut old_shapes = old.shapes.clone();
    let mut new_shapes = new.shapes.clone();
    resolve::add_prelude(&mut old_shapes);
    resolve::add_prelude(&mut new_shapes);
    let all: BTreeSet<&ShapeId> = old_ops.iter().chain(new_ops.iter()).filter(|id| wanted(id)).collect();
    // A pattern change reached from several operations is decided once.
    let mut patterns = BTreeMap::new();
    for id in all {
        let name = shape_name(id).to_owned();
        match (old_ops.contains(id), new_ops.contains(id)) {
            (false, true) => report.added_operations.push(name),
            (true, false) => report.removed_operations.push(name),
            (true, true) => {
                let (Some(Shape::Operation(o)), Some(Shape::Operation(n))) = (old.shapes.get(id), new.shapes.get(id))
                else {
                    continue;
                };
                let mut w = Walker {
                    old: &old_shapes,
                    new: &new_shapes,
                    op: name.clone(),
                    out: Vec::new(),
                    stack: Vec::new(),
                    patterns: &mut patterns,
                };
                docs_change(&mut w, "operation", "", o.traits.documentation(), n.traits.documentation());
                w.deprecation("operation", "", &o.traits, &n.traits);
                for (class, waiter, detail) in
                    waiters::compare(o.traits.get(crate::traits::WAITABLE), n.traits.get(crate::traits::WAITABLE))
                {
                    w.push(class, "waiter", &waiter, detail, None);
                }
                for (side, a, b) in [("request", &o.input, &n.input), ("response", &o.output, &n.output)] {
                    let a = a.as_ref().map_or(crate::traits::UNIT, |t| t.target.as_str());
                    let b = b.as_ref().map_or(crate::traits::UNIT, |t| t.target.as_str());
                    w.shape(side, &[], a, b);
                }
                let errs = |op: &crate::model::OperationShape| -> BTreeSet<String> {
                    op.errors.iter().map(|e| shape_name(&e.target).to_owned()).collect()
                };
                let (ea, eb) = (errs(o), errs(n));
                for e in eb.difference(&ea) {
                    w.push(Class::Additive, "operation", "", format!("new error `{e}`"), None);
                }
                for e in ea.difference(&eb) {
                    w.push(Class::Breaking, "operation", "", format!("error `{e}` removed"), None);
                }
                let pa = crate::traits::paginated(&o.traits, &old_service);
                let pb = crate::traits::paginated(&n.traits, &new_service);
                for (class, detail) in paginator_changes(pa.as_ref(), pb.as_ref()) {
                    w.push(class, "operation", "", detail, None);
                }
                report.changes.extend(w.out);
            }
            (false, false) => {}
        }
    }
    report
        .changes
        .sort_by(|a, b| (&a.operation, a.class, &a.side, &a.path).cmp(&(&b.operation, b.class, &b.side, &b.path)));
    report.changes.dedup();
    report.semver = bump(version, report.worst());
    Ok(report)
}

/// What a definitions change's `operation` ends with: `Training step (pipeline definitions)`.
pub const DEFINITION_STEP: &str = " step (pipeline definitions)";

/// Add to `report` the changes of the pipeline-definition tables between `old` and `new`: for each step kind of
/// `settings`, its arguments (`side` `request`) and its properties (`side` `response`), under the operation
/// `<Kind> step (pipeline definitions)`; then the semver bump again, from `version`. Documentation-only changes are
/// left out (the tables carry no documentation).
pub fn diff_definitions(old: &Model, new: &Model, settings: &config::Definitions, version: &str, report: &mut Report) {
    let mut old_shapes = old.shapes.clone();
    let mut new_shapes = new.shapes.clone();
    resolve::add_prelude(&mut old_shapes);
    resolve::add_prelude(&mut new_shapes);
    // A name without a namespace is the service's, as in the settings: the shape of that name.
    let find = |shapes: &BTreeMap<ShapeId, Shape>, name: &str| -> Option<ShapeId> {
        if name.contains('#') {
            return shapes.contains_key(name).then(|| name.to_owned());
        }
        shapes.keys().find(|id| shape_name(id) == name).cloned()
    };
    let mut patterns = BTreeMap::new();
    for (kind, step) in &settings.steps {
        let mut w = Walker {
            old: &old_shapes,
            new: &new_shapes,
            op: format!("{kind}{DEFINITION_STEP}"),
            out: Vec::new(),
            stack: Vec::new(),
            patterns: &mut patterns,
        };
        let sides =
            std::iter::once(("request", &step.arguments)).chain(step.properties.iter().map(|p| ("response", p)));
        for (side, name) in sides {
            match (find(&old_shapes, name), find(&new_shapes, name)) {
                (Some(a), Some(b)) => w.shape(side, &[], &a, &b),
                (Some(_), None) => w.push(Class::Breaking, side, "", format!("`{name}` removed from the model"), None),
                (None, Some(_)) => w.push(Class::Additive, side, "", format!("`{name}` added to the model"), None),
                (None, None) => {}
            }
        }
        report.changes.extend(w.out.into_iter().filter(|c| c.class != Class::Documentation));
    }
    report
        .changes
        .sort_by(|a, b| (&a.operation, a.class, &a.side, &a.path).cmp(&(&b.operation, b.class, &b.side, &b.path)));
    report.changes.dedup();
    report.semver = bump(version, report.worst());
}

/// Paginator changes, the service's `@paginated` defaults merged in. A new paginator is additive (the
/// `into_paginator` method appears) and a removed one breaking; a new `items` path changes the type of the item
/// stream (breaking); a page-size member added is additive (the paginator's `page_size` setter) and removed breaking;
/// new token paths keep the API and change what it follows (behaviour).
fn paginator_changes(
    a: Option<&crate::traits::Paginated>,
    b: Option<&crate::traits::Paginated>,
) -> Vec<(Class, String)> {
    let (a, b) = match (a, b) {
        (None, Some(_)) => return vec![(Class::Additive, "now paginated".into())],
        (Some(_), None) => return vec![(Class::Breaking, "no longer paginated".into())],
        (Some(a), Some(b)) if a != b => (a, b),
        _ => return Vec::new(),
    };
    let show = |v: &Option<String>| v.as_deref().map_or("none".to_owned(), code);
    let mut out = Vec::new();
    let mut field = |label: &str, x: &Option<String>, y: &Option<String>, class: Class| {
        if x != y {
            out.push((class, format!("paginator `{label}` changed from {} to {}", show(x), show(y))));
        }
    };
    field("inputToken", &a.input_token, &b.input_token, Class::Behavior);
    field("outputToken", &a.output_token, &b.output_token, Class::Behavior);
    let items = if a.items.is_none() { Class::Additive } else { Class::Breaking };
    field("items", &a.items, &b.items, items);
    let page = if a.page_size.is_none() { Class::Additive } else { Class::Breaking };
    field("pageSize", &a.page_size, &b.page_size, page);
    out
}

/// Pattern comparisons already made, by (old, new) pattern.
type PatternCache = BTreeMap<(Option<String>, Option<String>), Relation>;

struct Walker<'a> {
    old: &'a BTreeMap<ShapeId, Shape>,
    new: &'a BTreeMap<ShapeId, Shape>,
    op: String,
    out: Vec<Change>,
    /// The shape pairs being walked, to stop at cycles (a shape reached by two paths is reported under each).
    stack: Vec<(String, String)>,
    patterns: &'a mut PatternCache,
}

fn docs_change(w: &mut Walker<'_>, side: &str, path: &str, a: Option<&str>, b: Option<&str>) {
    if a != b {
        w.push(Class::Documentation, side, path, "documentation changed".into(), None);
    }
}

fn join(path: &[String]) -> String {
    path.join(".").replace(".[]", "[]").replace(".{}", "{}").replace(".{key}", "{key}")
}

/// A member as the generated crate sees it: its own traits over its target's (a member's trait wins), its target,
/// and whether it belongs to an operation input (whose members are all optional in Rust, as Smithy says).
struct Slot<'a> {
    member: &'a Traits,
    target: Option<&'a Shape>,
    in_input: bool,
}

impl Slot<'_> {
    fn get(&self, key: &str) -> Option<&Value> {
        self.member.get(key).or_else(|| self.target.and_then(|t| t.traits().get(key)))
    }

    fn required(&self) -> bool {
        self.member.has(crate::traits::REQUIRED)
    }

    /// Whether the Rust field is an `Option` (the IR's rule: `@clientOptional`, or neither required nor defaulted).
    fn rust_optional(&self) -> bool {
        let empty = Traits::default();
        let target = self.target.map_or(&empty, |t| t.traits());
        self.in_input
            || self.member.has(crate::traits::CLIENT_OPTIONAL)
            || !(self.required() || crate::traits::default(self.member, target).is_some())
    }

    fn simple(&self) -> Option<SimpleType> {
        match self.target {
            Some(Shape::Simple(s)) => Some(s.kind),
            _ => None,
        }
    }
}

impl Change {
    fn new(operation: String, class: Class, side: &str, path: &str, detail: String) -> Change {
        Change {
            operation,
            class,
            side: side.to_owned(),
            path: path.to_owned(),
            detail,
            fragment: None,
            verdict: None,
            refused: None,
            accepted: None,
        }
    }
}

impl Walker<'_> {
    fn push(&mut self, class: Class, side: &str, path: &str, detail: String, fragment: Option<String>) {
        let mut change = Change::new(self.op.clone(), class, side, path, detail);
        change.fragment = fragment;
        self.out.push(change);
    }

    /// `@deprecated` set or cleared on an operation, a shape or a member. Set, the generated item gets
    /// `#[deprecated]`: a warning, not an error, in code that uses it (cargo-semver-checks counts it a minor change),
    /// so additive; cleared, documentation.
    fn deprecation(&mut self, side: &str, path: &str, a: &Traits, b: &Traits) {
        let (x, y) = (crate::traits::deprecated(a), crate::traits::deprecated(b));
        match (x, y) {
            (None, Some((message, since))) => {
                let mut detail = "deprecated".to_owned();
                if let Some(s) = since {
                    let _ = write!(detail, " since {s}");
                }
                if let Some(m) = message {
                    let _ = write!(detail, ": {m}");
                }
                self.push(Class::Additive, side, path, detail, None);
            }
            (Some(_), None) => self.push(Class::Documentation, side, path, "no longer deprecated".into(), None),
            _ => {}
        }
    }

    /// A change of what a member accepts. Requests are validated before they are sent, so there a relaxation is
    /// additive and anything else breaking; responses are not validated, so there it is documentation.
    fn push_constraint(&mut self, side: &str, path: &str, detail: String, verdict: Verdict, examples: Examples) {
        let class = match (side == "request", verdict) {
            (_, Verdict::Equivalent) | (false, _) => Class::Documentation,
            (true, Verdict::Relaxed) => Class::Additive,
            (true, _) => Class::Breaking,
        };
        self.out.push(Change {
            operation: self.op.clone(),
            class,
            side: side.to_owned(),
            path: path.to_owned(),
            detail,
            fragment: None,
            verdict: Some(verdict),
            refused: examples.0,
            accepted: examples.1,
        });
    }

    fn shape(&mut self, side: &str, path: &[String], a: &str, b: &str) {
        let pair = (a.to_owned(), b.to_owned());
        if self.stack.contains(&pair) {
            return;
        }
        let (Some(sa), Some(sb)) = (self.old.get(a), self.new.get(b)) else { return };
        let p = join(path);
        let input = side == "request";
        if sa.type_name() != sb.type_name() {
            self.push(
                Class::Breaking,
                side,
                &p,
                format!("type changed from {} to {}", sa.type_name(), sb.type_name()),
                None,
            );
            return;
        }
        if !path.is_empty() {
            docs_change(self, side, &p, sa.traits().documentation(), sb.traits().documentation());
            self.deprecation(side, &p, sa.traits(), sb.traits());
        }
        self.stack.push(pair);
        match (sa, sb) {
            (Shape::Enum(x), Shape::Enum(y)) | (Shape::IntEnum(x), Shape::IntEnum(y)) => {
                let values = |m: &BTreeMap<String, Member>| -> BTreeSet<String> {
                    m.iter().map(|(n, mm)| crate::model::enum_value(n, mm)).collect()
                };
                let (va, vb) = (values(&x.members), values(&y.members));
                for v in vb.difference(&va) {
                    self.push(Class::Additive, side, &p, format!("new enum value `{v}`"), None);
                }
                for v in va.difference(&vb) {
                    self.push(Class::Breaking, side, &p, format!("enum value `{v}` removed"), None);
                }
            }
            (Shape::Structure(x), Shape::Structure(y)) | (Shape::Union(x), Shape::Union(y)) => {
                let in_input = input && path.is_empty();
                let union = matches!(sb, Shape::Union(_));
                // A member that is required and not an `Option` in Rust makes the builder's `build()` fallible.
                let hard = |shapes: &BTreeMap<ShapeId, Shape>, m: &Member| {
                    !union && !Slot { member: &m.traits, target: shapes.get(&m.target), in_input }.rust_optional()
                };
                let fallible_before = x.members.values().any(|m| hard(self.old, m));
                let names: BTreeSet<&String> = x.members.keys().chain(y.members.keys()).collect();
                for name in names {
                    let mut sub = path.to_vec();
                    sub.push(name.clone());
                    let sp = join(&sub);
                    match (x.members.get(name), y.members.get(name)) {
                        (None, Some(m)) => {
                            let required = m.traits.has(crate::traits::REQUIRED);
                            let what = if required { "new required member" } else { "new member" };
                            let fragment = fragment(&sub, &skeleton(self.new, &m.target, 0));
                            let (class, detail) = if input && required {
                                (Class::Breaking, format!("{what} `{name}`: requests without it are now refused"))
                            } else if hard(self.new, m) && !fallible_before {
                                let detail = format!("{what} `{name}`: the builder's `build()` now returns a `Result`");
                                (Class::Breaking, detail)
                            } else {
                                (Class::Additive, format!("{what} `{name}`"))
                            };
                            self.push(class, side, &sp, detail, Some(fragment));
                        }
                        (Some(_), None) => {
                            self.push(Class::Breaking, side, &sp, format!("member `{name}` removed"), None)
                        }
                        (Some(ma), Some(mb)) => {
                            let old = Slot { member: &ma.traits, target: self.old.get(&ma.target), in_input };
                            let new = Slot { member: &mb.traits, target: self.new.get(&mb.target), in_input };
                            self.required(side, &sp, &old, &new, union);
                            self.deprecation(side, &sp, &ma.traits, &mb.traits);
                            docs_change(self, side, &sp, ma.traits.documentation(), mb.traits.documentation());
                            self.constraints(side, &sp, &old, &new);
                            self.shape(side, &sub, &ma.target, &mb.target);
                        }
                        (None, None) => {}
                    }
                }
            }
            (Shape::List(x), Shape::List(y)) => {
                let mut sub = path.to_vec();
                sub.push("[]".into());
                let old = Slot { member: &x.member.traits, target: self.old.get(&x.member.target), in_input: false };
                let new = Slot { member: &y.member.traits, target: self.new.get(&y.member.target), in_input: false };
                self.constraints(side, &join(&sub), &old, &new);
                self.shape(side, &sub, &x.member.target, &y.member.target);
            }
            (Shape::Map(x), Shape::Map(y)) => {
                let mut keys = path.to_vec();
                keys.push("{key}".into());
                let old = Slot { member: &x.key.traits, target: self.old.get(&x.key.target), in_input: false };
                let new = Slot { member: &y.key.traits, target: self.new.get(&y.key.target), in_input: false };
                self.constraints(side, &join(&keys), &old, &new);
                let mut sub = path.to_vec();
                sub.push("{}".into());
                let old = Slot { member: &x.value.traits, target: self.old.get(&x.value.target), in_input: false };
                let new = Slot { member: &y.value.traits, target: self.new.get(&y.value.target), in_input: false };
                self.constraints(side, &join(&sub), &old, &new);
                self.shape(side, &sub, &x.value.target, &y.value.target);
            }
            _ => {}
        }
        self.stack.pop();
    }

    /// `@required` added or removed: which requests are accepted, and whether the Rust field changes type.
    fn required(&mut self, side: &str, path: &str, old: &Slot<'_>, new: &Slot<'_>, union: bool) {
        let (was, is) = (old.required(), new.required());
        let (opt_was, opt_is) = (union || old.rust_optional(), union || new.rust_optional());
        if was == is && opt_was == opt_is {
            return;
        }
        let verdict = match (was, is) {
            (false, true) => Verdict::Tightened,
            (true, false) => Verdict::Relaxed,
            _ => Verdict::Equivalent,
        };
        let mut detail = match (verdict, side == "request") {
            (Verdict::Tightened, true) => "became required: requests without it are now refused".to_owned(),
            (Verdict::Relaxed, true) => "became optional: requests without it are now accepted".to_owned(),
            (Verdict::Tightened, false) => "became required: responses always hold it".to_owned(),
            (Verdict::Relaxed, false) => "became optional: responses may leave it out".to_owned(),
            _ => "its default changed".to_owned(),
        };
        let rust = match (opt_was, opt_is) {
            (true, false) => Some("its Rust field is no longer an `Option`"),
            (false, true) => Some("its Rust field becomes an `Option`"),
            _ => None,
        };
        if let Some(r) = rust {
            detail.push_str("; ");
            detail.push_str(r);
        }
        self.push_constraint(side, path, detail, verdict, (None, None));
        if rust.is_some() {
            // Code that uses the field's type no longer compiles, whatever validation does.
            if let Some(last) = self.out.last_mut() {
                last.class = Class::Breaking;
            }
        }
    }

    fn constraints(&mut self, side: &str, path: &str, a: &Slot<'_>, b: &Slot<'_>) {
        use crate::traits::{LENGTH, PATTERN, RANGE, UNIQUE_ITEMS};
        let (x, y) = (a.get(PATTERN).and_then(Value::as_str), b.get(PATTERN).and_then(Value::as_str));
        if x != y {
            let key = (x.map(str::to_owned), y.map(str::to_owned));
            let relation = self
                .patterns
                .entry(key)
                .or_insert_with(|| inclusion::compare_patterns(x, y, &Budget::default()).relation)
                .clone();
            let shown = |p: Option<&str>| p.map_or("none".to_owned(), code);
            let (verdict, examples, word) = match relation {
                Relation::Same => (Verdict::Equivalent, (None, None), "rewritten (the same values)".to_owned()),
                Relation::Relaxed { accepted } => (Verdict::Relaxed, (None, Some(accepted)), "relaxed".to_owned()),
                Relation::Tightened { refused } => (Verdict::Tightened, (Some(refused), None), "tightened".to_owned()),
                Relation::Incomparable { refused, accepted } => {
                    (Verdict::Incomparable, (Some(refused), Some(accepted)), "changed (incomparable)".to_owned())
                }
                Relation::Undecided { reason, refused, accepted } => {
                    (Verdict::Undecided, (refused, accepted), format!("changed (undecided: {reason})"))
                }
            };
            let detail = format!("pattern {word} from {} to {}", shown(x), shown(y));
            self.push_constraint(side, path, detail, verdict, examples);
        }
        for (key, label) in [(LENGTH, "length"), (RANGE, "range")] {
            let (x, y) = (a.get(key), b.get(key));
            if x == y {
                continue;
            }
            let length = key == LENGTH;
            let integer = length || !matches!(b.simple(), Some(SimpleType::Float | SimpleType::Double));
            let unit = match (length, b.target, b.simple()) {
                (false, _, _) => "",
                (true, Some(Shape::List(_)), _) => " items",
                (true, Some(Shape::Map(_)), _) => " entries",
                (true, _, Some(SimpleType::Blob)) => " bytes",
                (true, _, _) => " characters",
            };
            let (old, new) = (Interval::of(x, length, integer), Interval::of(y, length, integer));
            let refused = old.example_outside(&new);
            let accepted = new.example_outside(&old);
            let (verdict, word) = match (refused, accepted) {
                (None, None) => (Verdict::Equivalent, "rewritten (the same values)"),
                (None, Some(_)) => (Verdict::Relaxed, "widened"),
                (Some(_), None) => (Verdict::Tightened, "narrowed"),
                (Some(_), Some(_)) => (Verdict::Incomparable, "moved"),
            };
            let detail = format!("{label} {word} from {} to {}{unit}", old.show(), new.show());
            let value = |n: f64| format!("{}{unit}", number(n));
            self.push_constraint(side, path, detail, verdict, (refused.map(value), accepted.map(value)));
        }
        let (x, y) = (a.get(UNIQUE_ITEMS).is_some(), b.get(UNIQUE_ITEMS).is_some());
        if x != y {
            let example = Some("a list with two equal items".to_owned());
            let (detail, verdict, examples) = if y {
                ("items must now be unique", Verdict::Tightened, (example, None))
            } else {
                ("items need no longer be unique", Verdict::Relaxed, (None, example))
            };
            self.push_constraint(side, path, detail.into(), verdict, examples);
        }
    }
}

/// Examples of a constraint change: a value accepted before and refused now, and one refused before and accepted
/// now.
type Examples = (Option<String>, Option<String>);

/// The values a `@length` or `@range` admits: an interval, over the integers (bounds rounded inwards, as the
/// generated checks do) or over the reals.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Interval {
    lo: Option<f64>,
    hi: Option<f64>,
    integer: bool,
}

impl Interval {
    fn of(v: Option<&Value>, length: bool, integer: bool) -> Interval {
        let n = |k: &str| v.and_then(|v| v.get(k)).and_then(Value::as_f64);
        let (mut lo, mut hi) = (n("min"), n("max"));
        if integer {
            lo = lo.map(f64::ceil);
            hi = hi.map(f64::floor);
        }
        // A length is never negative: no minimum is a minimum of 0.
        if length {
            lo = Some(lo.unwrap_or(0.0).max(0.0));
        }
        Interval { lo, hi, integer }
    }

    fn contains(&self, x: f64) -> bool {
        self.lo.is_none_or(|l| x >= l) && self.hi.is_none_or(|h| x <= h)
    }

    /// A value inside `self` and outside `other`, if there is one. The candidates are `self`'s own bounds and the
    /// values just past `other`'s: when none of them works, `self` lies within `other`.
    fn example_outside(&self, other: &Interval) -> Option<f64> {
        let step = if self.integer { 1.0 } else { 0.5 };
        let candidates = [self.lo, self.hi, other.lo.map(|l| l - step), other.hi.map(|h| h + step)];
        candidates.into_iter().flatten().find(|&x| self.contains(x) && !other.contains(x))
    }

    fn show(&self) -> String {
        match (self.lo, self.hi) {
            (Some(l), Some(h)) => format!("{}..={}", number(l), number(h)),
            (Some(l), None) => format!("{}..", number(l)),
            (None, Some(h)) => format!("..={}", number(h)),
            (None, None) => "unbounded".to_owned(),
        }
    }
}

/// A bound as written: `5`, `0.5`.
fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// A Markdown code span around `text`, with a longer fence when it holds backticks.
fn code(text: &str) -> String {
    let fence = if text.contains('`') { "``" } else { "`" };
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// An SDK-changelog style skeleton of a shape: `'string'`, `123`, `{'Name': 'string'}`, `[...]`.
fn skeleton(shapes: &BTreeMap<ShapeId, Shape>, id: &str, depth: usize) -> String {
    let Some(shape) = shapes.get(id) else { return "'string'".into() };
    if depth > 4 {
        return "{...}".into();
    }
    match shape {
        Shape::Simple(s) => match s.kind {
            SimpleType::String => "'string'".into(),
            SimpleType::Boolean => "True|False".into(),
            SimpleType::Timestamp => "datetime(2015, 1, 1)".into(),
            SimpleType::Blob => "b'bytes'".into(),
            SimpleType::Float | SimpleType::Double | SimpleType::BigDecimal => "123.0".into(),
            SimpleType::Document => "{...}".into(),
            _ => "123".into(),
        },
        Shape::Enum(a) => {
            let values: Vec<String> =
                a.members.iter().map(|(n, m)| format!("'{}'", crate::model::enum_value(n, m))).collect();
            values.join("|")
        }
        Shape::IntEnum(_) => "123".into(),
        Shape::List(l) => format!("[{}]", skeleton(shapes, &l.member.target, depth + 1)),
        Shape::Map(m) => format!("{{'string': {}}}", skeleton(shapes, &m.value.target, depth + 1)),
        Shape::Structure(a) | Shape::Union(a) => {
            let members: Vec<String> =
                a.members.iter().map(|(n, m)| format!("'{n}': {}", skeleton(shapes, &m.target, depth + 1))).collect();
            format!("{{{}}}", members.join(", "))
        }
        _ => "'string'".into(),
    }
}

/// Wrap a leaf skeleton in the path that leads to it: `{'A': {'B': [{'C': 'string'}]}}`.
fn fragment(path: &[String], leaf: &str) -> String {
    let mut out = leaf.to_owned();
    for seg in path.iter().rev() {
        out = match seg.as_str() {
            "[]" => format!("[{out}]"),
            "{}" => format!("{{'string': {out}}}"),
            name => format!("{{'{name}': {out}}}"),
        };
    }
    out
}

/// The changelog as Markdown.
pub fn markdown(report: &Report, title: &str) -> String {
    let updated = report.updated_operations();
    let mut out = String::new();
    let mut headline = Vec::new();
    if !report.added_operations.is_empty() {
        headline.push(format!(
            "{} new api method{}",
            report.added_operations.len(),
            plural(report.added_operations.len())
        ));
    }
    if !updated.is_empty() {
        headline.push(format!("{} updated api method{}", updated.len(), plural(updated.len())));
    }
    if !report.removed_operations.is_empty() {
        headline.push(format!(
            "{} removed api method{}",
            report.removed_operations.len(),
            plural(report.removed_operations.len())
        ));
    }
    if headline.is_empty() {
        headline.push("no api changes".into());
    }
    let _ = writeln!(out, "## {title} - {}\n", headline.join(", "));
    let s = &report.semver;
    let _ = writeln!(out, "Semver: **{}** ({} -> {}).\n", s.bump, s.from_version, s.to_version);
    let count = |c: Class| report.changes.iter().filter(|x| x.class == c).count();
    // Behaviour changes are named only when there are some.
    let behavior = match count(Class::Behavior) {
        0 => String::new(),
        n => format!("{n} behaviour, "),
    };
    let _ = writeln!(
        out,
        "{} breaking, {} additive, {behavior}{} documentation-only changes.\n",
        count(Class::Breaking) + report.removed_operations.len(),
        count(Class::Additive) + report.added_operations.len(),
        count(Class::Documentation)
    );
    let previous = &s.from_version;
    let fixes: Vec<&Change> = report
        .changes
        .iter()
        .filter(|c| {
            c.side == "request"
                && c.verdict == Some(Verdict::Relaxed)
                && c.class != Class::Breaking
                && !c.is_definition()
        })
        .collect();
    if !fixes.is_empty() {
        let _ = writeln!(
            out,
            "### Validation fixes\n\nThe model now allows inputs that {previous} refused before sending them: this \
release accepts them. Until you upgrade, a request that needs one of them can skip the check (for one request with \
the request builder's `config_override`, where the crate has it, or for the whole client with \
`validate_inputs(false)` on the configuration builder).\n"
        );
        for c in &fixes {
            // The summary; the full change is under the operation below.
            let summary = c.detail.split(" from ").next().unwrap_or(&c.detail);
            let _ = writeln!(out, "- `{}` request `{}`: {summary}", c.operation, c.path);
            example_lines(&mut out, c, previous);
        }
        out.push('\n');
    }
    if !report.added_operations.is_empty() {
        let _ = writeln!(out, "### New api methods\n");
        for op in &report.added_operations {
            let _ = writeln!(out, "- `{op}` (additive)");
        }
        out.push('\n');
    }
    if !report.removed_operations.is_empty() {
        let _ = writeln!(out, "### Removed api methods\n");
        for op in &report.removed_operations {
            let _ = writeln!(out, "- `{op}` (breaking)");
        }
        out.push('\n');
    }
    // The service's endpoint rules, every change listed (the endpoint tests that move are worth a reviewer's look).
    let service: Vec<&Change> = report.changes.iter().filter(|c| c.operation.is_empty()).collect();
    if !service.is_empty() {
        let _ = writeln!(out, "### Endpoint rules\n");
        for c in service {
            let _ = writeln!(out, "- {} ({})", c.detail, class_label(c));
        }
        out.push('\n');
    }
    // Each operation with an API change or a constraint change; text-only documentation changes are counted below.
    let listed = |c: &Change| c.class != Class::Documentation || c.verdict.is_some() || c.operation.is_empty();
    let ops: BTreeSet<&str> = report
        .changes
        .iter()
        .filter(|c| listed(c) && !c.operation.is_empty() && !c.is_definition())
        .map(|c| c.operation.as_str())
        .collect();
    for op in ops {
        let _ = writeln!(out, "### `{op}`\n");
        change_lines(&mut out, report.changes.iter().filter(|c| c.operation == op && listed(c)), previous);
    }
    // The pipeline definitions' step kinds: their arguments (what `check()` accepts) and properties (what a `Get`
    // reaches).
    let kinds: BTreeSet<&str> = report
        .changes
        .iter()
        .filter(|c| c.is_definition())
        .map(|c| c.operation.strip_suffix(DEFINITION_STEP).unwrap_or(&c.operation))
        .collect();
    if !kinds.is_empty() {
        let _ = writeln!(out, "### Pipeline definitions\n");
        for kind in kinds {
            let _ = writeln!(out, "#### `{kind}` step\n");
            let op = format!("{kind}{DEFINITION_STEP}");
            let renamed: Vec<Change> = report
                .changes
                .iter()
                .filter(|c| c.operation == op)
                .map(|c| {
                    let side = if c.side == "request" { "arguments" } else { "properties" };
                    Change { side: side.to_owned(), ..c.clone() }
                })
                .collect();
            change_lines(&mut out, renamed.iter(), previous);
        }
    }
    let docs: Vec<&Change> = report.changes.iter().filter(|c| !listed(c)).collect();
    if !docs.is_empty() {
        let ops: BTreeSet<&str> = docs.iter().map(|c| c.operation.as_str()).collect();
        let _ = writeln!(
            out,
            "### Documentation\n\n{} documentation changes in: {}.",
            docs.len(),
            ops.iter().map(|d| format!("`{d}`")).collect::<Vec<_>>().join(", ")
        );
    }
    out.replace(" member:", ":").trim_end().to_owned() + "\n"
}

/// One line a change (with its fragment and examples), then a blank line.
fn change_lines<'a>(out: &mut String, changes: impl Iterator<Item = &'a Change>, previous: &str) {
    for c in changes {
        let at = if c.path.is_empty() { String::new() } else { format!(" `{}`", c.path) };
        let class = class_label(c);
        let member = if matches!(c.side.as_str(), "operation" | "waiter") { "" } else { " member" };
        let _ = writeln!(out, "- {}{member}{at}: {} ({class})", c.side, c.detail);
        if let Some(f) = &c.fragment {
            let _ = writeln!(out, "  `{f}`");
        }
        example_lines(out, c, previous);
    }
    out.push('\n');
}

/// The class of a change as the changelog names it.
fn class_label(c: &Change) -> &'static str {
    match (c.class, c.side.as_str()) {
        (Class::Breaking, _) => "breaking",
        (Class::Additive, _) => "additive",
        (Class::Behavior, _) => "behaviour",
        (Class::Documentation, "response") => "documentation: responses are not validated",
        (Class::Documentation, _) => "documentation",
    }
}

/// The examples of a constraint change, one line each, under its entry.
fn example_lines(out: &mut String, c: &Change, previous: &str) {
    // Pattern examples are strings, shown quoted and escaped; the others are counts or numbers.
    let show = |v: &str| if c.detail.starts_with("pattern") { code(&format!("{v:?}")) } else { v.to_owned() };
    if let Some(v) = &c.refused {
        let _ = writeln!(out, "  accepted by {previous}, refused now: {}", show(v));
    }
    if let Some(v) = &c.accepted {
        let _ = writeln!(out, "  refused by {previous}, accepted now: {}", show(v));
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semver_bumps() {
        assert_eq!(bump("0.1.0", Some(Class::Breaking)).to_version, "0.2.0");
        assert_eq!(bump("0.1.0", Some(Class::Additive)).to_version, "0.1.1");
        assert_eq!(bump("1.2.3", Some(Class::Breaking)).to_version, "2.0.0");
        assert_eq!(bump("1.2.3", Some(Class::Additive)).to_version, "1.3.0");
        assert_eq!(bump("1.2.3", Some(Class::Documentation)).to_version, "1.2.4");
        assert_eq!(bump("1.2.3", None).bump, "none");
    }

    #[test]
    fn fragments_nest_like_the_sdk_changelog() {
        let path: Vec<String> =
            ["SelectiveExecutionConfig", "SelectedSteps", "[]", "StepName"].iter().map(|s| s.to_string()).collect();
        assert_eq!(
            fragment(&path, "'string'"),
            "{'SelectiveExecutionConfig': {'SelectedSteps': [{'StepName': 'string'}]}}"
        );
        assert_eq!(join(&path), "SelectiveExecutionConfig.SelectedSteps[].StepName");
    }

    #[test]
    fn intervals_compare_with_examples() {
        let v = |s: &str| serde_json::from_str::<Value>(s).unwrap();
        let of = |s: &str, length, integer| Interval::of(Some(&v(s)), length, integer);
        let (a, b) = (of(r#"{"min":1,"max":5}"#, true, true), of(r#"{"min":0,"max":9}"#, true, true));
        assert_eq!(a.example_outside(&b), None);
        assert_eq!(b.example_outside(&a), Some(0.0));
        // No minimum on a length is 0; the same values, written differently.
        let (c, d) = (Interval::of(None, true, true), of(r#"{"min":0}"#, true, true));
        assert_eq!((c.example_outside(&d), d.example_outside(&c)), (None, None));
        // Integer ranges round fractional bounds inwards, as the generated checks do.
        let (e, f) = (of(r#"{"min":0.5,"max":3}"#, false, true), of(r#"{"min":1,"max":3}"#, false, true));
        assert_eq!((e.example_outside(&f), f.example_outside(&e)), (None, None));
        // Reals: an example just past the other's bound.
        let (g, h) = (of(r#"{"max":1.5}"#, false, false), of(r#"{"min":0,"max":1}"#, false, false));
        assert_eq!(g.example_outside(&h), Some(1.5));
        assert_eq!(h.example_outside(&g), None);
        assert_eq!(Interval::of(None, false, false).example_outside(&h), Some(-0.5));
        assert_eq!(g.show(), "..=1.5");
        assert_eq!(a.show(), "1..=5");
    }

    #[test]
    fn code_spans_fence_backticks() {
        assert_eq!(code("^a$"), "`^a$`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`a"), "`` `a ``");
    }
}
