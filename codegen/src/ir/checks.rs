//! Validation decisions: the patterns that need a static, and which values have anything to check.

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

pub(super) fn patterns(ir: &Ir) -> Result<Vec<PatternDef>> {
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

pub(super) fn validated(ir: &Ir) -> BTreeSet<ShapeId> {
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
