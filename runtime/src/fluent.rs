//! What every operation's sending shares: the future of a call, [`SendFuture`] (re-exported as
//! `client::SendFuture`), and `customize()`'s [`CustomizableOperation`] (re-exported as
//! `client::customize::CustomizableOperation`, its aws-sdk-rust path). A builder's `BuildError` becomes an
//! [`SdkError`] through `SdkError`'s `From`.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::config::{ConfigOverride, Intercept, SharedInterceptor};
use crate::credentials::BoxFuture;
use crate::error::SdkError;
use crate::http::HttpRequest;
use crate::invoke::{Erased, ErasedResult, OTHER_OPERATION};

/// The future of one call: what `send()` returns, resolving to the operation's output `O` or an
/// [`SdkError`]`<E>` with its error. Nothing is sent until it is first polled (awaited); dropping it cancels the
/// call.
///
/// Every operation's call runs the same code: the request is made, sent and decoded by one future of the crate's
/// runtime, and this type only gives the output and the error their types back.
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct SendFuture<O, E> {
    call: BoxFuture<'static, ErasedResult>,
    _types: PhantomData<fn() -> (O, E)>,
}

impl<O, E> SendFuture<O, E> {
    /// The future of a call made by the runtime.
    pub(crate) fn new(call: BoxFuture<'static, ErasedResult>) -> Self {
        SendFuture { call, _types: PhantomData }
    }

    /// A call that fails without sending anything.
    pub(crate) fn failed(error: SdkError<Erased>) -> Self {
        SendFuture::new(Box::pin(std::future::ready(Err(error))))
    }
}

impl<O: 'static, E: 'static> Future for SendFuture<O, E> {
    type Output = Result<O, SdkError<E>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.call.as_mut().poll(cx).map(typed)
    }
}

impl<O, E> fmt::Debug for SendFuture<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendFuture").finish_non_exhaustive()
    }
}

/// A call's result with the operation's output and error types.
#[allow(clippy::result_large_err)] // The call's own result, as the operation returns it.
pub(crate) fn typed<O: 'static, E: 'static>(result: ErasedResult) -> Result<O, SdkError<E>> {
    match result {
        Ok(output) => match output.downcast::<O>() {
            Ok(output) => Ok(*output),
            Err(_) => Err(SdkError::construction_failure(OTHER_OPERATION)),
        },
        Err(SdkError::ServiceError(e)) => {
            let (err, raw) = e.into_parts();
            match err.downcast::<E>() {
                Ok(err) => Err(SdkError::service_error(*err, raw)),
                Err(_) => Err(SdkError::response_error(OTHER_OPERATION, raw)),
            }
        }
        Err(SdkError::ConstructionFailure(e)) => Err(SdkError::ConstructionFailure(e)),
        Err(SdkError::TimeoutError(e)) => Err(SdkError::TimeoutError(e)),
        Err(SdkError::DispatchFailure(e)) => Err(SdkError::DispatchFailure(e)),
        Err(SdkError::ResponseError(e)) => Err(SdkError::ResponseError(e)),
        Err(SdkError::Validation(e)) => Err(SdkError::Validation(e)),
    }
}

/// A fluent builder that can send its request with settings for that request only. Implemented by every
/// operation's fluent builder; [`CustomizableOperation::send`] calls it.
pub trait CustomizableSend<T, E> {
    /// Sends the request, with `customization` applied to the builder's own override (see
    /// [`Customization::apply`]).
    fn send_with_override(self, customization: Customization) -> SendFuture<T, E>;
}

/// What `customize()` was given: an override, and interceptors for this request.
#[derive(Debug, Default)]
pub struct Customization {
    config_override: Option<ConfigOverride>,
    interceptors: Vec<SharedInterceptor>,
}

impl Customization {
    /// The override of the request: `customize()`'s `config_override` in place of the fluent builder's own, if it
    /// was given one, with `customize()`'s interceptors added.
    pub(crate) fn apply(self, own: Option<ConfigOverride>) -> Option<ConfigOverride> {
        let mut config_override = self.config_override.or(own);
        if !self.interceptors.is_empty() {
            let o = config_override.get_or_insert_with(ConfigOverride::new);
            for interceptor in self.interceptors {
                o.push_interceptor(interceptor);
            }
        }
        config_override
    }
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
    interceptors: Vec<SharedInterceptor>,
    _types: PhantomData<fn() -> (T, E)>,
}

impl<T, E, B> CustomizableOperation<T, E, B> {
    /// Wraps a fluent builder.
    pub(crate) fn new(customizable_send: B) -> Self {
        CustomizableOperation {
            customizable_send,
            config_override: None,
            interceptors: Vec::new(),
            _types: PhantomData,
        }
    }

    /// Settings for this request only, over the client's configuration: a `config::Builder` (as in aws-sdk-rust;
    /// each setting made on it replaces the client's, see [`ConfigOverride`]) or a [`ConfigOverride`]. They replace
    /// any the fluent builder was given with its own `config_override`.
    pub fn config_override(mut self, config_override: impl Into<ConfigOverride>) -> Self {
        self.config_override = Some(config_override.into());
        self
    }

    /// Add an interceptor for this request, run after the client's (see
    /// [`config::Builder::interceptor`](crate::config::Builder::interceptor)).
    pub fn interceptor(mut self, interceptor: impl Intercept + 'static) -> Self {
        self.interceptors.push(SharedInterceptor::new(interceptor));
        self
    }

    /// Change the HTTP request before it is signed, at each attempt (an interceptor's `modify_before_signing`): a
    /// header added here is sent and signed.
    pub fn mutate_request<F>(self, f: F) -> Self
    where
        F: Fn(&mut HttpRequest) + Send + Sync + 'static,
    {
        self.interceptor(crate::intercept::MutateRequest(f))
    }

    /// Replace the HTTP request before it is signed, at each attempt; an error fails the call with a
    /// `DispatchFailure` whose cause is it.
    pub fn map_request<F, MapE>(self, f: F) -> Self
    where
        F: Fn(HttpRequest) -> Result<HttpRequest, MapE> + Send + Sync + 'static,
        MapE: std::error::Error + Send + Sync + 'static,
    {
        self.interceptor(crate::intercept::MapRequest(f, PhantomData))
    }

    /// Sends the request and returns the output or the error, as the fluent builder's `send()` does (nothing is
    /// sent until the future is awaited).
    pub fn send(self) -> SendFuture<T, E>
    where
        B: CustomizableSend<T, E>,
    {
        let customization = Customization { config_override: self.config_override, interceptors: self.interceptors };
        self.customizable_send.send_with_override(customization)
    }
}

impl<T, E, B: Clone> Clone for CustomizableOperation<T, E, B> {
    fn clone(&self) -> Self {
        CustomizableOperation {
            customizable_send: self.customizable_send.clone(),
            config_override: self.config_override.clone(),
            interceptors: self.interceptors.clone(),
            _types: PhantomData,
        }
    }
}

impl<T, E, B: fmt::Debug> fmt::Debug for CustomizableOperation<T, E, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CustomizableOperation")
            .field("customizable_send", &self.customizable_send)
            .field("config_override", &self.config_override)
            .field("interceptors", &self.interceptors)
            .finish()
    }
}
