//! Which structures and unions go on the wire in which direction. An operation's input is written, its output and
//! errors are read, and so is everything they reach; a structure or union used both ways gets both codecs, and one
//! used neither way (a shape only validated, say) gets none. Items of a `@uniqueItems` list compared by their JSON
//! form get a writer too, for that form.
//!
//! The test doubles of the `test-util` feature answer requests as the service would, so they need the opposite
//! directions: they read inputs and write outputs and errors. Those codecs are emitted behind the feature, and only
//! where the direction is not already needed without it (`Wire::test_read`, `Wire::test_write()`).

use std::collections::{BTreeMap, BTreeSet};

use super::{Ir, NamedKind, Type, TypeRef, UniqueCheck, Wire};
use crate::model::ShapeId;

/// Set `wire` on every structure (operation inputs and outputs included) and union.
pub(super) fn directions(ir: &mut Ir) {
    // The member types of each shared structure and union, by shape id.
    let mut members: BTreeMap<&ShapeId, Vec<&TypeRef>> = BTreeMap::new();
    for s in ir.structures.iter().chain(&ir.errors) {
        members.insert(&s.id, s.fields.iter().map(|f| &f.ty).collect());
    }
    for u in &ir.unions {
        members.insert(&u.id, u.variants.iter().filter_map(|v| v.ty.as_ref()).collect());
    }
    let mut write = Reach { members: &members, seen: BTreeSet::new() };
    let mut read = Reach { members: &members, seen: BTreeSet::new() };
    for op in &ir.operations {
        op.input.fields.iter().for_each(|f| write.visit(&f.ty));
        op.output.fields.iter().for_each(|f| read.visit(&f.ty));
    }
    for e in &ir.errors {
        read.seen.insert(e.id.clone());
        e.fields.iter().for_each(|f| read.visit(&f.ty));
    }
    // `@uniqueItems` lists of items compared by their JSON form, wherever they are.
    let structures = ir.operations.iter().flat_map(|o| [&o.input, &o.output]).chain(&ir.structures).chain(&ir.errors);
    let mut all: Vec<&TypeRef> = structures.flat_map(|s| s.fields.iter().map(|f| &f.ty)).collect();
    all.extend(ir.unions.iter().flat_map(|u| u.variants.iter().filter_map(|v| v.ty.as_ref())));
    for t in all {
        unique_items(t, &mut write);
    }
    // The test doubles read what inputs reach, and write what outputs and errors reach (all that responses carry).
    let mut inputs = Reach { members: &members, seen: BTreeSet::new() };
    for op in &ir.operations {
        op.input.fields.iter().for_each(|f| inputs.visit(&f.ty));
    }
    let (write, read) = (write.seen, read.seen);
    // What the test doubles read that responses do not carry (what they write, `Wire::test_write`, follows from
    // `read` and `write`).
    let test_read: BTreeSet<ShapeId> = inputs.seen.difference(&read).cloned().collect();
    for op in &mut ir.operations {
        op.input.wire = Wire { write: true, read: false, test_read: true };
        op.output.wire = Wire { write: false, read: true, test_read: false };
    }
    for s in ir.structures.iter_mut().chain(&mut ir.errors) {
        s.wire =
            Wire { write: write.contains(&s.id), read: read.contains(&s.id), test_read: test_read.contains(&s.id) };
    }
    for u in &mut ir.unions {
        u.wire =
            Wire { write: write.contains(&u.id), read: read.contains(&u.id), test_read: test_read.contains(&u.id) };
    }
}

/// The shapes reachable from the values visited.
struct Reach<'a> {
    members: &'a BTreeMap<&'a ShapeId, Vec<&'a TypeRef>>,
    seen: BTreeSet<ShapeId>,
}

impl<'a> Reach<'a> {
    /// Everything `t` reaches. A worklist, not recursion: a chain of structures is as long as the model makes it.
    fn visit<'t>(&mut self, t: &'t TypeRef)
    where
        'a: 't,
    {
        let mut todo = vec![t];
        while let Some(t) = todo.pop() {
            match &t.ty {
                Type::Named(_, NamedKind::Structure | NamedKind::Union) if self.seen.insert(t.shape.clone()) => {
                    todo.extend(self.members.get(&t.shape).into_iter().flatten().copied());
                }
                Type::List { member, .. } => todo.push(member),
                Type::Map { value, .. } => todo.push(value),
                _ => {}
            }
        }
    }
}

/// Visit the items of every list in `t` whose `@uniqueItems` compares JSON forms.
fn unique_items(t: &TypeRef, write: &mut Reach<'_>) {
    match &t.ty {
        Type::List { member, .. } => {
            if t.checks.unique == Some(UniqueCheck::Json) {
                write.visit(member);
            }
            unique_items(member, write);
        }
        Type::Map { value, .. } => unique_items(value, write),
        _ => {}
    }
}
