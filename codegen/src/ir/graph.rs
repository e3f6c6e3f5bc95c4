//! Graph algorithms over the shapes: which members must be boxed because they lie on a cycle of direct references.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Shape, ShapeId};

/// Members to box: edges `shape.member -> target` (structure or union targets, not through collections) that lie
/// on a cycle made only of such direct edges. A cycle through a list or map needs no box; `Vec` and `HashMap`
/// already allocate.
pub(super) fn boxed_edges(shapes: &BTreeMap<ShapeId, Shape>) -> BTreeSet<(ShapeId, String)> {
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
    use crate::model::{Aggregate, Member, Traits};

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
}
