//! Errors raised by this crate itself, before anything is sent.

use std::fmt;

/// Building a value failed because a required member was not set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    field: &'static str,
    details: &'static str,
}

impl BuildError {
    #[allow(dead_code)] // Used only by models with required members that are not optional.
    pub(crate) fn missing_field(field: &'static str, details: &'static str) -> Self {
        BuildError { field, details }
    }

    /// The member that was missing.
    pub fn field(&self) -> &'static str {
        self.field
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "missing required member `{}`: {}", self.field, self.details)
    }
}

impl std::error::Error for BuildError {}
