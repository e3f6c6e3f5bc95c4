//! Behaviour of the `sparse` fixture crate.

use fixture_sparse as fixture;

mod support;

use fixture::error::SdkError;
use fixture::operation::fill::FillInput;
use serde_json::json;
use support::{run, Wire};

#[test]
fn sparse_collections_keep_nulls_and_dense_ones_refuse_them() {
    let wire = Wire::answering(200, r#"{"Sparse": ["a", null], "SparseMap": {"x": 1, "y": null}, "Dense": ["b"]}"#);
    let input = FillInput::builder().sparse(None).sparse(Some("s".to_owned())).dense("d").sparse_map("k", None).build().unwrap();
    let out = run(input.send_with(&wire.client())).unwrap();
    assert_eq!(out.sparse(), [Some("a".to_string()), None]);
    assert_eq!(out.sparse_map().unwrap().get("y"), Some(&None));
    assert_eq!(out.dense(), ["b"]);
    assert_eq!(wire.sent()[0], json!({"Dense": ["d"], "Sparse": [null, "s"], "SparseMap": {"k": null}}));

    let wire = Wire::answering(200, r#"{"Dense": ["b", null]}"#);
    let err = run(FillInput::builder().send_with(&wire.client())).unwrap_err();
    assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
    let context = fixture::error::DisplayErrorContext(&err).to_string();
    assert!(context.contains("null in a list whose items cannot be null (at $.Dense[1])"), "{context}");
}
