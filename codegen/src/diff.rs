//! `cargo xtask diff`: what changed for users of the generated crate between two models, as a changelog with each
//! change classified (breaking, additive, documentation) and the semver bump it implies.
//!
//! The comparison walks each selected operation's input and output from the operation down, so a change in a shared
//! shape is reported under every operation it reaches, with the path of the member (`SelectiveExecutionConfig.
//! SelectedSteps[].StepName`), as the AWS SDK changelogs do.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;
use serde_json::Value;

use crate::error::Result;
use crate::model::{shape_name, Member, Model, Shape, ShapeId, SimpleType, Traits};
use crate::resolve::{self, Selection};

/// How a change affects users of the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    /// Code that compiled or requests that were valid may no longer.
    Breaking,
    /// New API; existing code keeps working.
    Additive,
    /// Documentation only.
    Documentation,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The operation it concerns (`None` for operation-level changes listed on their own).
    pub operation: String,
    /// Breaking, additive or documentation.
    pub class: Class,
    /// `request` or `response` (or `operation`).
    pub side: String,
    /// Member path, e.g. `SelectiveExecutionConfig.SelectedSteps[].StepName`.
    pub path: String,
    /// What changed.
    pub detail: String,
    /// The request or response fragment that was added, in the SDK changelog style.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fragment: Option<String>,
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
        self.changes.iter().filter(|c| c.class != Class::Documentation).map(|c| c.operation.as_str()).collect()
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
        (Some(Class::Documentation), _) => ("patch", (major, minor, patch + 1)),
    };
    Semver {
        from_version: version.to_owned(),
        bump: kind.to_owned(),
        to_version: format!("{}.{}.{}", next.0, next.1, next.2),
    }
}

fn bound_operations(model: &Model, service: Option<&str>) -> Result<BTreeSet<ShapeId>> {
    Ok(resolve::resolve(model, service, &Selection::All)?.operations.into_iter().collect())
}

/// Compare the selected operations of two models.
pub fn diff(old: &Model, new: &Model, service: Option<&str>, selection: &Selection, version: &str) -> Result<Report> {
    let old_ops = bound_operations(old, service)?;
    let new_ops = bound_operations(new, service)?;
    let wanted = |id: &ShapeId| match selection {
        Selection::All => true,
        Selection::Named(names) => names.iter().any(|n| n == id || shape_name(id) == n),
    };
    let mut report = Report::default();
    let mut old_shapes = old.shapes.clone();
    let mut new_shapes = new.shapes.clone();
    resolve::add_prelude(&mut old_shapes);
    resolve::add_prelude(&mut new_shapes);
    let all: BTreeSet<&ShapeId> = old_ops.iter().chain(new_ops.iter()).filter(|id| wanted(id)).collect();
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
                    seen: BTreeSet::new(),
                };
                docs_change(&mut w, "operation", "", o.traits.documentation(), n.traits.documentation());
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
                let (pa, pb) = (o.traits.get(crate::traits::PAGINATED), n.traits.get(crate::traits::PAGINATED));
                match (pa, pb) {
                    (None, Some(_)) => w.push(Class::Additive, "operation", "", "now paginated".into(), None),
                    (Some(_), None) => w.push(Class::Breaking, "operation", "", "no longer paginated".into(), None),
                    (Some(a), Some(b)) if a != b => {
                        w.push(Class::Breaking, "operation", "", format!("pagination changed from {a} to {b}"), None)
                    }
                    _ => {}
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

struct Walker<'a> {
    old: &'a BTreeMap<ShapeId, Shape>,
    new: &'a BTreeMap<ShapeId, Shape>,
    op: String,
    out: Vec<Change>,
    seen: BTreeSet<(String, String, String)>,
}

fn docs_change(w: &mut Walker<'_>, side: &str, path: &str, a: Option<&str>, b: Option<&str>) {
    if a != b {
        w.push(Class::Documentation, side, path, "documentation changed".into(), None);
    }
}

fn join(path: &[String]) -> String {
    path.join(".").replace(".[]", "[]").replace(".{}", "{}")
}

impl Walker<'_> {
    fn push(&mut self, class: Class, side: &str, path: &str, detail: String, fragment: Option<String>) {
        self.out.push(Change {
            operation: self.op.clone(),
            class,
            side: side.to_owned(),
            path: path.to_owned(),
            detail,
            fragment,
        });
    }

    fn shape(&mut self, side: &str, path: &[String], a: &str, b: &str) {
        if !self.seen.insert((side.to_owned(), a.to_owned(), b.to_owned())) {
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
        }
        self.constraints(side, &p, sa.traits(), sb.traits(), input);
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
                let names: BTreeSet<&String> = x.members.keys().chain(y.members.keys()).collect();
                for name in names {
                    let mut sub = path.to_vec();
                    sub.push(name.clone());
                    let sp = join(&sub);
                    match (x.members.get(name), y.members.get(name)) {
                        (None, Some(m)) => {
                            let required =
                                m.traits.has(crate::traits::REQUIRED) && !m.traits.has(crate::traits::CLIENT_OPTIONAL);
                            let class = if input && m.traits.has(crate::traits::REQUIRED) {
                                Class::Breaking
                            } else {
                                Class::Additive
                            };
                            let what = if required || m.traits.has(crate::traits::REQUIRED) {
                                "new required member"
                            } else {
                                "new member"
                            };
                            let fragment = fragment(&sub, &skeleton(self.new, &m.target, 0));
                            self.push(class, side, &sp, format!("{what} `{name}`"), Some(fragment));
                        }
                        (Some(_), None) => {
                            self.push(Class::Breaking, side, &sp, format!("member `{name}` removed"), None)
                        }
                        (Some(ma), Some(mb)) => {
                            let (ra, rb) =
                                (ma.traits.has(crate::traits::REQUIRED), mb.traits.has(crate::traits::REQUIRED));
                            if ra != rb {
                                let (class, what) = match (rb, input) {
                                    (true, true) => (Class::Breaking, "became required"),
                                    (true, false) => (Class::Additive, "became required (always present)"),
                                    (false, true) => (Class::Additive, "became optional"),
                                    (false, false) => (Class::Breaking, "became optional (may be absent)"),
                                };
                                self.push(class, side, &sp, what.into(), None);
                            }
                            docs_change(self, side, &sp, ma.traits.documentation(), mb.traits.documentation());
                            self.constraints(side, &sp, &ma.traits, &mb.traits, input);
                            self.shape(side, &sub, &ma.target, &mb.target);
                        }
                        (None, None) => {}
                    }
                }
            }
            (Shape::List(x), Shape::List(y)) => {
                let mut sub = path.to_vec();
                sub.push("[]".into());
                self.constraints(side, &join(&sub), &x.member.traits, &y.member.traits, input);
                self.shape(side, &sub, &x.member.target, &y.member.target);
            }
            (Shape::Map(x), Shape::Map(y)) => {
                let mut sub = path.to_vec();
                sub.push("{}".into());
                self.shape(side, &sub, &x.key.target, &y.key.target);
                self.shape(side, &sub, &x.value.target, &y.value.target);
            }
            _ => {}
        }
    }

    fn constraints(&mut self, side: &str, path: &str, a: &Traits, b: &Traits, input: bool) {
        use crate::traits::{LENGTH, PATTERN, RANGE};
        for (key, label) in [(LENGTH, "length"), (RANGE, "range"), (PATTERN, "pattern")] {
            let (x, y) = (a.get(key), b.get(key));
            if x == y {
                continue;
            }
            let looser = if key == PATTERN { y.is_none() } else { loosened(x, y) };
            let class = if !input || looser { Class::Additive } else { Class::Breaking };
            let show = |v: Option<&Value>| v.map_or("none".to_owned(), |v| v.to_string());
            self.push(class, side, path, format!("{label} changed from {} to {}", show(x), show(y)), None);
        }
    }
}

/// Whether bounds `b` accept everything bounds `a` accepted.
fn loosened(a: Option<&Value>, b: Option<&Value>) -> bool {
    let Some(b) = b else { return true };
    let Some(a) = a else { return false };
    let n = |v: &Value, k: &str| v.get(k).and_then(Value::as_f64);
    let min_ok = match (n(a, "min"), n(b, "min")) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(x), Some(y)) => y <= x,
    };
    let max_ok = match (n(a, "max"), n(b, "max")) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(x), Some(y)) => y >= x,
    };
    min_ok && max_ok
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
    let _ = writeln!(
        out,
        "{} breaking, {} additive, {} documentation-only changes.\n",
        count(Class::Breaking) + report.removed_operations.len(),
        count(Class::Additive) + report.added_operations.len(),
        count(Class::Documentation)
    );
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
    for op in &updated {
        let _ = writeln!(out, "### `{op}`\n");
        for c in report.changes.iter().filter(|c| c.operation == *op && c.class != Class::Documentation) {
            let at = if c.path.is_empty() { String::new() } else { format!(" `{}`", c.path) };
            let class = match c.class {
                Class::Breaking => "breaking",
                Class::Additive => "additive",
                Class::Documentation => "documentation",
            };
            let _ = writeln!(
                out,
                "- {} {}{at}: {} ({class})",
                c.side,
                if c.side == "operation" { "" } else { "member" },
                c.detail
            );
            if let Some(f) = &c.fragment {
                let _ = writeln!(out, "  `{f}`");
            }
        }
        out.push('\n');
    }
    let docs: BTreeSet<&str> =
        report.changes.iter().filter(|c| c.class == Class::Documentation).map(|c| c.operation.as_str()).collect();
    if !docs.is_empty() {
        let _ = writeln!(
            out,
            "### Documentation\n\n{} documentation changes in: {}.",
            count(Class::Documentation),
            docs.iter().map(|d| format!("`{d}`")).collect::<Vec<_>>().join(", ")
        );
    }
    out.replace(" member:", ":").trim_end().to_owned() + "\n"
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
    fn bounds_loosening() {
        let v = |s: &str| serde_json::from_str::<Value>(s).unwrap();
        assert!(loosened(Some(&v(r#"{"min":1,"max":5}"#)), Some(&v(r#"{"min":0,"max":9}"#))));
        assert!(!loosened(Some(&v(r#"{"min":1,"max":5}"#)), Some(&v(r#"{"min":1,"max":4}"#))));
        assert!(!loosened(None, Some(&v(r#"{"max":4}"#))));
        assert!(loosened(Some(&v(r#"{"max":4}"#)), None));
    }
}
