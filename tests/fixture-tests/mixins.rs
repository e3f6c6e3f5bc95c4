//! Behaviour of the `mixins` fixture crate: members come from mixins, operations from resources.

use fixture_mixins::operation::get_book::{GetBookInput, GetBookOutput};
use serde_json::json;

#[test]
fn mixin_members_are_flattened() {
    let input = GetBookInput::builder().book_id("b1").edition(2).build().unwrap();
    assert_eq!(serde_json::to_value(&input).unwrap(), json!({"BookId": "b1", "Edition": 2}));
    let out: GetBookOutput = serde_json::from_value(json!({"BookId": "b1", "Title": "T"})).unwrap();
    assert_eq!(out.book_id(), "b1");
    assert_eq!(out.title(), Some("T"));
    let _ = fixture_mixins::operation::lend_book::OPERATION_NAME;
}
