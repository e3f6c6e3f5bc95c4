//! What every operation's fluent builder shares: `customize()`'s [`CustomizableOperation`] (re-exported as
//! `client::customize::CustomizableOperation`, its aws-sdk-rust path). A builder's `BuildError` becomes an
//! [`SdkError`] through `SdkError`'s `From`.

use std::fmt;
use std::marker::PhantomData;

use crate::config::ConfigOverride;
use crate::credentials::BoxFuture;
use crate::error::SdkError;

/// A fluent builder that can send its request with settings for that request only. Implemented by every
/// operation's fluent builder; [`CustomizableOperation::send`] calls it.
pub trait CustomizableSend<T, E>: Send {
    /// Sends the request, with `config_override` over the builder's own override when it is set.
    fn send_with_override(self, config_override: Option<ConfigOverride>) -> BoxFuture<'static, Result<T, SdkError<E>>>;
}

/// One request, ready to send, whose settings can still be changed for that request only: what a fluent builder's
/// `customize()` returns. `T` is the operation's output, `E` its error, `B` the fluent builder.
///
/// ```ignore
/// client
///     .list_pipelines()
///     .customize()
///     .config_override(ConfigOverride::new().validate_inputs(false))
///     .send()
///     .await?;
/// ```
pub struct CustomizableOperation<T, E, B> {
    customizable_send: B,
    config_override: Option<ConfigOverride>,
    _types: PhantomData<fn() -> (T, E)>,
}

impl<T, E, B> CustomizableOperation<T, E, B> {
    /// Wraps a fluent builder.
    pub(crate) fn new(customizable_send: B) -> Self {
        CustomizableOperation { customizable_send, config_override: None, _types: PhantomData }
    }

    /// Settings for this request only, over the client's configuration; they replace any the fluent builder was
    /// given with its own `config_override`.
    pub fn config_override(mut self, config_override: impl Into<ConfigOverride>) -> Self {
        self.config_override = Some(config_override.into());
        self
    }

    /// Sends the request and returns the output or the error, as the fluent builder's `send()` does.
    pub async fn send(self) -> Result<T, SdkError<E>>
    where
        B: CustomizableSend<T, E>,
    {
        self.customizable_send.send_with_override(self.config_override).await
    }
}

impl<T, E, B: Clone> Clone for CustomizableOperation<T, E, B> {
    fn clone(&self) -> Self {
        CustomizableOperation {
            customizable_send: self.customizable_send.clone(),
            config_override: self.config_override.clone(),
            _types: PhantomData,
        }
    }
}

impl<T, E, B: fmt::Debug> fmt::Debug for CustomizableOperation<T, E, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CustomizableOperation")
            .field("customizable_send", &self.customizable_send)
            .field("config_override", &self.config_override)
            .finish()
    }
}
