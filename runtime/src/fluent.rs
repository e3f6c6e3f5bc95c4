//! What every operation's fluent builder shares: the one place a builder's [`BuildError`] becomes an [`SdkError`].

use crate::error::{BuildError, ConstructionError, SdkError};

/// The error a fluent builder's `send()` returns when its input does not build.
pub(crate) fn build_failure<E>(error: BuildError) -> SdkError<E> {
    SdkError::Construction(ConstructionError::new(error.to_string()))
}
