//! Behaviour of the `mixins` fixture crate: members come from mixins, operations from resources.

use fixture_mixins as fixture;

mod support;

use fixture::operation::get_book::GetBookInput;
use serde_json::json;
use support::{run, Wire};

#[test]
fn mixin_members_are_flattened() {
    let wire = Wire::answering(200, r#"{"BookId": "b1", "Title": "T"}"#);
    let out = run(GetBookInput::builder().book_id("b1").edition(2).send_with(&wire.client())).unwrap();
    assert_eq!(wire.sent()[0], json!({"BookId": "b1", "Edition": 2}));
    assert_eq!(out.book_id(), "b1");
    assert_eq!(out.title(), Some("T"));
    let _ = fixture::operation::lend_book::OPERATION_NAME;
}
