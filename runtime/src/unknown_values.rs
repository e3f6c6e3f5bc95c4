//! The values of string and int enums that a version of the generated crate does not know: the service added them
//! after the model the crate was generated from. Enums keep them in their `Unknown` variant; the generated
//! `primitives` module re-exports both types.

/// A string enum value this version of the crate does not know. It can be read, not matched on.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnknownVariantValue(String);

impl UnknownVariantValue {
    #[allow(dead_code)] // Used only by models with string enums.
    pub(crate) fn new(value: &str) -> Self {
        UnknownVariantValue(value.to_owned())
    }

    /// The value as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An int enum value this version of the crate does not know. It can be read, not matched on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnknownIntVariantValue(i32);

impl UnknownIntVariantValue {
    #[allow(dead_code)] // Used only by models with int enums.
    pub(crate) fn new(value: i32) -> Self {
        UnknownIntVariantValue(value)
    }

    /// The value as received.
    pub fn value(&self) -> i32 {
        self.0
    }
}
