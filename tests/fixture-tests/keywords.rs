//! Behaviour of the `keywords` fixture crate: escaped names keep their wire names.

use fixture_keywords as fixture;

mod support;

use fixture::operation::r#match::MatchInput;
use fixture::types::{Kind, Self_};
use serde_json::json;
use support::{run, Wire};

#[test]
fn keyword_members_use_raw_or_suffixed_names_and_keep_wire_names() {
    let input = MatchInput::builder()
        .r#type("t")
        .r#in("i")
        .r#true(true)
        .self_("s")
        .super_("p")
        .builder_value("b")
        .build_value("d")
        .kind(Kind::Self_)
        .build()
        .unwrap();
    assert_eq!(input.r#type(), Some("t"));
    let wire = Wire::answering(200, r#"{"Self": {"crate": "c"}}"#);
    let out = run(input.clone().send_with(&wire.client())).unwrap();
    assert_eq!(out.self_().and_then(|s| s.crate_()), Some("c"));
    assert_eq!(
        wire.sent()[0],
        json!({"type": "t", "in": "i", "True": true, "self": "s", "Super": "p", "Builder": "b", "Build": "d", "Kind": "self"})
    );
    assert_eq!(Kind::from("unknown"), Kind::UnknownValue);
    assert_eq!(Kind::from("2"), Kind::V2);
    let s = Self_::builder().crate_("c").build();
    assert_eq!(s.crate_(), Some("c"));
}

#[test]
fn a_shape_named_like_another_types_builder_is_a_type_of_its_own() {
    // `types::SelfBuilder` is the model's shape; the builder of `Self_` is `types::builders::SelfBuilder`.
    let shape: fixture::types::SelfBuilder = fixture::types::SelfBuilder::builder().built(true).build();
    assert_eq!(shape.built(), Some(true));
    let builder: fixture::types::builders::SelfBuilder = Self_::builder();
    assert_eq!(builder.crate_("c").build().crate_(), Some("c"));
    let wire = Wire::answering(200, r#"{"SelfBuilder": {"Built": true}}"#);
    let out = run(MatchInput::builder().build().unwrap().send_with(&wire.client())).unwrap();
    assert_eq!(out.self_builder().and_then(|b| b.built()), Some(true));
}
