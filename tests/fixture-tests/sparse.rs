//! Behaviour of the `sparse` fixture crate.

use fixture_sparse::operation::fill::FillOutput;
use serde_json::json;

#[test]
fn sparse_collections_keep_nulls_and_dense_ones_refuse_them() {
    let out: FillOutput =
        serde_json::from_value(json!({"Sparse": ["a", null], "SparseMap": {"x": 1, "y": null}, "Dense": ["b"]})).unwrap();
    assert_eq!(out.sparse(), [Some("a".to_string()), None]);
    assert_eq!(out.sparse_map().unwrap().get("y"), Some(&None));
    assert_eq!(serde_json::to_value(&out).unwrap()["Sparse"], json!(["a", null]));
    assert!(serde_json::from_value::<FillOutput>(json!({"Dense": ["b", null]})).is_err());
}
