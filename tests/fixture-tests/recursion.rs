//! Behaviour of the `recursion` fixture crate.

use fixture_recursion::types::{Expr, Node, Partner};
use serde_json::json;

#[test]
fn recursive_structures_nest_and_round_trip() {
    let leaf = Node::builder().value("leaf").build();
    let node = Node::builder()
        .value("root")
        .next(leaf.clone())
        .children(leaf.clone())
        .partner(Partner::builder().back(leaf).build())
        .build();
    let wire = serde_json::to_value(&node).unwrap();
    assert_eq!(
        wire,
        json!({"Value": "root", "Next": {"Value": "leaf"}, "Children": [{"Value": "leaf"}],
               "Partner": {"Back": {"Value": "leaf"}}})
    );
    assert_eq!(serde_json::from_value::<Node>(wire).unwrap(), node);
    assert_eq!(node.next().and_then(|n| n.value()), Some("leaf"));
}

#[test]
fn recursive_unions() {
    let e = Expr::Negate(Box::new(Expr::Sum(vec![Expr::Literal(1), Expr::Literal(2)])));
    let wire = serde_json::to_value(&e).unwrap();
    assert_eq!(wire, json!({"Negate": {"Sum": [{"Literal": 1}, {"Literal": 2}]}}));
    assert_eq!(serde_json::from_value::<Expr>(wire).unwrap(), e);
}
