//! Tests of `fluent`: the build-failure error.

use crate::error::{BuildError, SdkError};
use crate::fluent::build_failure;

#[test]
fn a_build_failure_is_an_error_before_sending_that_names_the_member() {
    let e: SdkError<String> = build_failure(BuildError::missing_field("pipeline_name", "it is required"));
    assert!(e.to_string().contains("pipeline_name was missing: it is required"), "{e}");
}
