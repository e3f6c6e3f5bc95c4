//! Tests of `unknown_values`.

use crate::unknown_values::*;

#[test]
fn unknown_enum_values_keep_what_was_received() {
    assert_eq!(UnknownVariantValue::new("NEW_STATE").as_str(), "NEW_STATE");
    assert_eq!(UnknownIntVariantValue::new(42).value(), 42);
}
