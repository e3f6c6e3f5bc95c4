//! Tests of `invoke`.

use crate::error::ErrorMetadata;
use crate::invoke::*;

#[test]
fn retry_classification() {
    let meta = |status, code: &str| ErrorMetadata { status, code: Some(code.into()), ..Default::default() };
    assert!(is_retryable(&meta(400, "ThrottlingException")));
    assert!(is_retryable(&meta(500, "InternalFailure")));
    assert!(is_retryable(&meta(503, "Whatever")));
    assert!(is_retryable(&meta(429, "Whatever")));
    assert!(!is_retryable(&meta(400, "ValidationException")));
    assert!(!is_retryable(&meta(404, "ResourceNotFound")));
}

#[test]
fn jitter_is_in_range() {
    for _ in 0..1000 {
        let j = jitter();
        assert!((0.0..1.0).contains(&j));
    }
}
