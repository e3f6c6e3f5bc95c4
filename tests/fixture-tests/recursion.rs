//! Behaviour of the `recursion` fixture crate: recursive structures and unions are written and read, and hostile
//! nesting is refused at the reader's bound without exhausting the stack.

use fixture_recursion as fixture;

mod support;

use fixture::error::SdkError;
use fixture::operation::grow::GrowInput;
use fixture::types::{Expr, Node, Partner};
use serde_json::json;
use support::{run, Wire};

#[test]
fn recursive_structures_nest_and_round_trip() {
    let leaf = Node::builder().value("leaf").build();
    let node = Node::builder()
        .value("root")
        .next(leaf.clone())
        .children(leaf.clone())
        .partner(Partner::builder().back(leaf).build())
        .build();
    let wire_form = json!({"Value": "root", "Next": {"Value": "leaf"}, "Children": [{"Value": "leaf"}],
                           "Partner": {"Back": {"Value": "leaf"}}});
    let wire = Wire::answering(200, json!({ "Root": wire_form }).to_string());
    let out = run(GrowInput::builder().root(node.clone()).send_with(&wire.client())).unwrap();
    assert_eq!(wire.sent()[0], json!({ "Root": wire_form }));
    assert_eq!(out.root(), Some(&node));
    assert_eq!(node.next().and_then(|n| n.value()), Some("leaf"));
}

#[test]
fn recursive_unions() {
    let e = Expr::Negate(Box::new(Expr::Sum(vec![Expr::Literal(1), Expr::Literal(2)])));
    let wire_form = json!({"Negate": {"Sum": [{"Literal": 1}, {"Literal": 2}]}});
    let wire = Wire::answering(200, json!({ "Expr": wire_form }).to_string());
    let out = run(GrowInput::builder().expr(e.clone()).send_with(&wire.client())).unwrap();
    assert_eq!(wire.sent()[0], json!({ "Expr": wire_form }));
    assert_eq!(out.expr(), Some(&e));
}

#[test]
fn hostile_nesting_is_refused_at_the_bound_without_exhausting_the_stack() {
    // A million levels through each kind of recursion, read on a thread with half the default stack.
    let depth = 1_000_000;
    let bodies = [
        format!(r#"{{"Root":{}{}}}"#, r#"{"Next":"#.repeat(depth) + "{}", "}".repeat(depth)),
        format!(r#"{{"Root":{}{}}}"#, r#"{"Children":["#.repeat(depth) + "{}", "]}".repeat(depth)),
        format!(r#"{{"Expr":{}{}}}"#, r#"{"Negate":"#.repeat(depth) + r#"{"Literal":1}"#, "}".repeat(depth)),
    ];
    for body in bodies {
        let outcome = std::thread::Builder::new()
            .stack_size(1024 * 1024)
            .spawn(move || {
                let wire = Wire::answering(200, body);
                run(GrowInput::builder().send_with(&wire.client())).map(|_| ()).map_err(Box::new)
            })
            .unwrap()
            .join()
            .expect("the reader does not overflow its stack");
        let Err(err) = outcome else { panic!("{outcome:?}") };
        assert!(matches!(*err, SdkError::ResponseError(_)), "{err:?}");
        let context = fixture::error::DisplayErrorContext(&*err).to_string();
        assert!(context.contains("the body nests deeper than 128 levels"), "{context}");
    }
    // Within the bound, deep values read.
    let levels = 100;
    let body = format!(r#"{{"Root":{}{}}}"#, r#"{"Next":"#.repeat(levels) + r#"{"Value":"deep"}"#, "}".repeat(levels));
    let out = run(GrowInput::builder().send_with(&Wire::answering(200, body).client())).unwrap();
    let mut node = out.root().unwrap();
    for _ in 0..levels {
        node = node.next().unwrap();
    }
    assert_eq!(node.value(), Some("deep"));
}
