//! Validation decisions, made once: what each constraint checks on each value (and which constraint is misplaced),
//! the patterns that need a static, and which values have anything to check at all.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::error::{shape_path, Error, Result};
use crate::ident;
use crate::model::{shape_name, ShapeId};

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

/// The values one pattern checks.
struct PatternUses {
    shapes: BTreeSet<ShapeId>,
    /// The largest `@length` maximum of those values, `None` once one has none: the input bound of a pattern that
    /// needs the ECMAScript engine.
    max_len: Option<u64>,
}

pub(super) fn patterns(ir: &Ir) -> Result<Vec<PatternDef>> {
    let mut by_pattern: BTreeMap<&str, PatternUses> = BTreeMap::new();
    for (_, t) in all_type_refs(ir) {
        if let Some(p) = &t.constraints.pattern {
            let max = t.constraints.length.and_then(|(_, max)| max);
            let uses =
                by_pattern.entry(p.as_str()).or_insert_with(|| PatternUses { shapes: BTreeSet::new(), max_len: max });
            uses.shapes.insert(t.shape.clone());
            uses.max_len = uses.max_len.zip(max).map(|(a, b)| a.max(b));
        }
    }
    // Planning compiles every regex to check it; the patterns are independent, so use all cores.
    let list: Vec<(&str, PatternUses)> = by_pattern.into_iter().collect();
    let plans = crate::parallel::map(&list, |(p, uses)| crate::pattern::plan_for_values(p, uses.max_len))?;
    let mut defs = Vec::new();
    let mut names = BTreeSet::new();
    for ((pattern, PatternUses { shapes, .. }), plan) in list.into_iter().zip(plans) {
        let first = shapes.iter().next().cloned().unwrap_or_default();
        let plan = plan.map_err(|e| {
            Error::at(
                crate::traits::path(&shape_path(&first), crate::traits::PATTERN),
                format!("pattern `{pattern}` of `{first}` cannot be checked: {e}"),
            )
        })?;
        let name = ident::unique(ident::const_name(shape_name(&first)), &mut names);
        defs.push(PatternDef { name, plan, shapes: shapes.into_iter().collect() });
    }
    defs.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(defs)
}

/// What [`decide`] needs to know of a value's type: which constraints it can carry, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ValueKind {
    /// A string.
    String,
    /// A string enum.
    Enum,
    /// An int enum.
    IntEnum,
    /// Bytes.
    Blob,
    /// An integer of another type.
    Integer,
    /// A float.
    Float,
    /// A list, and whether its items can be hashed as they are (for `@uniqueItems`), and whether it is sparse.
    List { hashable: bool, sparse: bool },
    /// A map.
    Map,
    /// Anything else, named for messages (`a boolean`, `a structure`).
    Other(&'static str),
}

impl ValueKind {
    /// The kind of an IR type.
    pub(super) fn of(ty: &Type) -> ValueKind {
        match ty {
            Type::String => ValueKind::String,
            Type::Named(_, NamedKind::Enum) => ValueKind::Enum,
            Type::Named(_, NamedKind::IntEnum) => ValueKind::IntEnum,
            Type::Blob => ValueKind::Blob,
            Type::Byte | Type::Short | Type::Integer | Type::Long | Type::BigInteger => ValueKind::Integer,
            Type::Float | Type::Double | Type::BigDecimal => ValueKind::Float,
            Type::List { member, sparse } => ValueKind::List { hashable: hashable(&member.ty), sparse: *sparse },
            Type::Map { .. } => ValueKind::Map,
            other => ValueKind::Other(type_kind(other)),
        }
    }

    /// How an error message names it.
    fn words(self) -> &'static str {
        match self {
            ValueKind::String => "a string",
            ValueKind::Enum => "an enum",
            ValueKind::IntEnum => "an int enum",
            ValueKind::Blob => "a blob",
            ValueKind::Integer => "an integer",
            ValueKind::Float => "a float",
            ValueKind::List { .. } => "a list",
            ValueKind::Map => "a map",
            ValueKind::Other(words) => words,
        }
    }
}

/// The checks a value's constraints imply for its type; a constraint the type cannot carry is an error at `at`.
pub(super) fn decide(ty: &Type, c: &Constraints, at: &str) -> Result<Checks> {
    decide_kind(ValueKind::of(ty), c, at)
}

/// [`decide`] for a kind of value (the schema tables have no Rust types).
pub(super) fn decide_kind(kind: ValueKind, c: &Constraints, at: &str) -> Result<Checks> {
    let misplaced = |trait_name: &str, applies: &str| {
        Error::at(at, format!("`@{trait_name}` applies to {applies}, not to {}", kind.words()))
    };
    let length = match c.length {
        None => None,
        Some((min, max)) => {
            let unit = match kind {
                ValueKind::String | ValueKind::Enum => LengthUnit::Chars,
                ValueKind::Blob => LengthUnit::Bytes,
                ValueKind::List { .. } => LengthUnit::Items,
                ValueKind::Map => LengthUnit::Entries,
                _ => return Err(misplaced("length", "strings, blobs, lists and maps")),
            };
            Some(LengthCheck { unit, min, max })
        }
    };
    let range = match &c.range {
        None => None,
        Some((min, max)) => Some(match kind {
            ValueKind::Integer | ValueKind::IntEnum => RangeCheck::Int {
                min: min.as_ref().and_then(|n| int_bound(n, true)),
                max: max.as_ref().and_then(|n| int_bound(n, false)),
                int_enum: kind == ValueKind::IntEnum,
            },
            ValueKind::Float => RangeCheck::Float {
                min: min.as_ref().and_then(serde_json::Number::as_f64),
                max: max.as_ref().and_then(serde_json::Number::as_f64),
            },
            _ => return Err(misplaced("range", "numbers")),
        }),
    };
    if c.pattern.is_some() && !matches!(kind, ValueKind::String | ValueKind::Enum) {
        return Err(misplaced("pattern", "strings"));
    }
    let unique = match (c.unique_items, kind) {
        (false, _) => None,
        (true, ValueKind::List { hashable: true, sparse: false }) => Some(UniqueCheck::Hash),
        (true, ValueKind::List { .. }) => Some(UniqueCheck::Json),
        (true, _) => return Err(misplaced("uniqueItems", "lists")),
    };
    Ok(Checks { length, range, pattern: None, unique, nested: false, needed: false })
}

/// How an error message names a type.
fn type_kind(ty: &Type) -> &'static str {
    match ty {
        Type::String => "a string",
        Type::Bool => "a boolean",
        Type::Byte | Type::Short | Type::Integer | Type::Long | Type::BigInteger => "an integer",
        Type::Float | Type::Double | Type::BigDecimal => "a float",
        Type::Timestamp(_) => "a timestamp",
        Type::Blob => "a blob",
        Type::Document => "a document",
        Type::Named(_, NamedKind::Structure) => "a structure",
        Type::Named(_, NamedKind::Union) => "a union",
        Type::Named(_, NamedKind::Enum) => "an enum",
        Type::Named(_, NamedKind::IntEnum) => "an int enum",
        Type::List { .. } => "a list",
        Type::Map { .. } => "a map",
    }
}

/// An integer bound; a fractional one is rounded inwards (up for a minimum, down for a maximum).
fn int_bound(n: &serde_json::Number, is_min: bool) -> Option<i128> {
    if let Some(i) = n.as_i64() {
        return Some(i128::from(i));
    }
    if let Some(u) = n.as_u64() {
        return Some(i128::from(u));
    }
    let f = n.as_f64()?;
    Some(if is_min { f.ceil() } else { f.floor() } as i128)
}

/// Whether list items can go into a `HashSet` as they are.
fn hashable(t: &Type) -> bool {
    matches!(
        t,
        Type::String
            | Type::Bool
            | Type::Byte
            | Type::Short
            | Type::Integer
            | Type::Long
            | Type::BigInteger
            | Type::Blob
            | Type::Timestamp(_)
            | Type::Named(_, NamedKind::Enum | NamedKind::IntEnum)
    )
}

/// Whether values of this type have anything to check, given the validated named types and the patterns in use.
fn needed(t: &TypeRef, validated: &BTreeSet<ShapeId>, patterns: &[PatternDef]) -> bool {
    let c = &t.checks;
    let real_pattern = t.constraints.pattern.as_deref().is_some_and(|p| pattern_name(patterns, p).is_some());
    if c.length.is_some() || c.range.is_some() || c.unique.is_some() || real_pattern {
        return true;
    }
    match &t.ty {
        Type::Named(..) => validated.contains(&t.shape),
        Type::List { member, .. } => needed(member, validated, patterns),
        Type::Map { key, value, .. } => needed(key, validated, patterns) || needed(value, validated, patterns),
        _ => false,
    }
}

/// The static name of a pattern; `None` when the pattern matches every string and needs no check.
fn pattern_name<'p>(patterns: &'p [PatternDef], pattern: &str) -> Option<&'p str> {
    patterns.iter().find(|p| p.plan.original == pattern && !p.plan.is_trivial()).map(|p| p.name.as_str())
}

/// Structures and unions that have something to validate, themselves or below (a fixpoint over the IR).
pub(super) fn validated(ir: &Ir) -> BTreeSet<ShapeId> {
    let mut set = BTreeSet::new();
    let structs: Vec<&Structure> =
        ir.operations.iter().flat_map(|o| [&o.input, &o.output]).chain(&ir.structures).chain(&ir.errors).collect();
    loop {
        let before = set.len();
        for s in &structs {
            if s.fields.iter().any(|f| (f.required && f.optional) || needed(&f.ty, &set, &ir.patterns)) {
                set.insert(s.id.clone());
            }
        }
        for u in &ir.unions {
            if u.variants.iter().any(|v| v.ty.as_ref().is_some_and(|t| needed(t, &set, &ir.patterns))) {
                set.insert(u.id.clone());
            }
        }
        if set.len() == before {
            return set;
        }
    }
}

/// Fill in what needed the whole IR: each value's pattern static, whether it is a validated structure or union, and
/// whether it has anything to check.
pub(super) fn complete(ir: &mut Ir, validated: &BTreeSet<ShapeId>) {
    fn fill(t: &mut TypeRef, validated: &BTreeSet<ShapeId>, patterns: &[PatternDef]) {
        match &mut t.ty {
            Type::List { member, .. } => fill(member, validated, patterns),
            Type::Map { key, value, .. } => {
                fill(key, validated, patterns);
                fill(value, validated, patterns);
            }
            _ => {}
        }
        t.checks.pattern = t.constraints.pattern.as_deref().and_then(|p| pattern_name(patterns, p)).map(str::to_owned);
        t.checks.nested = matches!(t.ty, Type::Named(..)) && validated.contains(&t.shape);
        t.checks.needed = needed(t, validated, patterns);
    }
    let patterns = std::mem::take(&mut ir.patterns);
    let structs = ir.operations.iter_mut().flat_map(|o| [&mut o.input, &mut o.output]);
    for s in structs.chain(&mut ir.structures).chain(&mut ir.errors) {
        s.validated = validated.contains(&s.id);
        for f in &mut s.fields {
            fill(&mut f.ty, validated, &patterns);
        }
    }
    for u in &mut ir.unions {
        u.validated = validated.contains(&u.id);
        for v in &mut u.variants {
            if let Some(t) = &mut v.ty {
                fill(t, validated, &patterns);
            }
        }
    }
    ir.patterns = patterns;
}
