//! Running interceptors (aws-smithy-runtime-api's [`Intercept`]) at the steps of one call, in the order and with the
//! error handling of aws-sdk-rust's orchestrator. A call whose configuration has no interceptor never gets here: the
//! attempt loop checks for an empty list and goes on as before.
//!
//! The hooks called, in order (as [`crate::config::interceptors`] documents them):
//!
//! 1. once: `read_before_execution`, `modify_before_serialization`, `read_before_serialization` (the input; a
//!    failure is a construction failure), then the input is validated and serialized;
//! 2. once: `read_after_serialization`, `modify_before_retry_loop` (the request, not yet signed);
//! 3. each attempt, on a fresh copy of that request: `read_before_attempt`, `modify_before_signing`,
//!    `read_before_signing`, then signing, `read_after_signing`, `modify_before_transmit`, `read_before_transmit` (a
//!    failure in 2 or 3 is a dispatch failure), and once a response arrives `read_after_transmit`,
//!    `modify_before_deserialization` and `read_before_deserialization` (a failure is a response error, with the
//!    response); the retry decision reads the response as the hooks left it;
//! 4. once, whatever happened before: `modify_before_completion` and `read_after_execution`, with the output or the
//!    error; an error from them replaces the result.
//!
//! Every interceptor runs each hook even when an earlier one failed; the last failure is the one returned (earlier
//! ones are logged at debug level), as in aws-sdk-rust. A failing hook is never retried. The per-attempt hooks after
//! deserialization (`read_after_deserialization`, `modify_before_attempt_completion`, `read_after_attempt`) are not
//! called: this crate decodes the response once, after the attempt loop.

use std::error::Error as StdError;
use std::fmt;

use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeDeserializationInterceptorContextMut, BeforeDeserializationInterceptorContextRef,
    BeforeSerializationInterceptorContextMut, BeforeSerializationInterceptorContextRef,
    BeforeTransmitInterceptorContextMut, BeforeTransmitInterceptorContextRef, FinalizerInterceptorContextMut,
    FinalizerInterceptorContextRef, Input, InterceptorContext,
};
use aws_smithy_runtime_api::client::interceptors::{Intercept, InterceptorError, SharedInterceptor};
use aws_smithy_runtime_api::client::orchestrator::OrchestratorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::error::display::DisplayErrorContext;

use crate::error::{BoxError, ConnectorError, SdkError};
use crate::http::{HttpRequest, HttpResponse, Response, SdkBody};
use crate::invoke::{Erased, ErasedResult, Erasure, OTHER_OPERATION};

/// Runs one hook of every enabled interceptor; the last failure wins.
macro_rules! run_hook {
    ($self:ident, $hook:ident, $ctx:expr) => {{
        let mut failed: Option<(&'static str, BoxError)> = None;
        for interceptor in $self.interceptors {
            if !interceptor.enabled(&$self.cfg) {
                continue;
            }
            if let Err(e) = interceptor.$hook($ctx, $self.components, &mut $self.cfg) {
                if let Some((name, earlier)) = failed.replace((interceptor.name(), e)) {
                    tracing::debug!(
                        interceptor = name,
                        hook = stringify!($hook),
                        error = %DisplayErrorContext(&*earlier),
                        "interceptor failed (a later failure of the same hook is returned)"
                    );
                }
            }
        }
        match failed {
            None => Ok(()),
            Some((name, e)) => Err(InterceptorError::$hook(name, e)),
        }
    }};
}

/// The hooks of one step, stopping at the first step that failed.
macro_rules! ref_hooks {
    ($self:ident, $wrapper:ident: $($hook:ident),+) => {{
        let mut result = Ok(());
        $(
            if result.is_ok() {
                let ctx = $wrapper::from(&$self.ctx);
                result = run_hook!($self, $hook, &ctx);
            }
        )+
        result
    }};
}

/// One call's interceptors, their context and their config bag.
pub(crate) struct Execution<'a> {
    interceptors: &'a [SharedInterceptor],
    components: &'a RuntimeComponents,
    cfg: ConfigBag,
    ctx: InterceptorContext,
    /// Whether a request was handed to the transport, for the kind of error a failing completion hook makes.
    sent: bool,
}

impl fmt::Debug for Execution<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Execution").field("interceptors", &self.interceptors).finish_non_exhaustive()
    }
}

impl<'a> Execution<'a> {
    /// A call of `input` (of the operation's input type, erased by its [`Erasure`]) with these interceptors, which
    /// are given these runtime components.
    pub(crate) fn new(interceptors: &'a [SharedInterceptor], components: &'a RuntimeComponents, input: Input) -> Self {
        Execution { interceptors, components, cfg: ConfigBag::base(), ctx: InterceptorContext::new(input), sent: false }
    }

    /// `read_before_execution` (every interceptor's, even after a failure), then `modify_before_serialization` and
    /// `read_before_serialization`: the input as they left it, or why the call cannot go on.
    pub(crate) fn before_serialization(&mut self, erasure: &Erasure) -> Result<Erased, BoxError> {
        let input = self.serialization_hooks()?;
        erasure.input_back(input).map_err(|_| "an interceptor replaced the input with a value of another type".into())
    }

    fn serialization_hooks(&mut self) -> Result<Input, BoxError> {
        let mut failed: Option<(&'static str, BoxError)> = None;
        {
            let ctx = BeforeSerializationInterceptorContextRef::from(&self.ctx);
            for interceptor in self.interceptors {
                if interceptor.enabled(&self.cfg) {
                    if let Err(e) = interceptor.read_before_execution(&ctx, &mut self.cfg) {
                        if let Some((name, earlier)) = failed.replace((interceptor.name(), e)) {
                            tracing::debug!(
                                interceptor = name,
                                hook = "read_before_execution",
                                error = %DisplayErrorContext(&*earlier),
                                "interceptor failed (a later failure of the same hook is returned)"
                            );
                        }
                    }
                }
            }
        }
        if let Some((name, e)) = failed {
            return Err(InterceptorError::read_before_execution(name, e).into());
        }
        {
            let mut ctx = BeforeSerializationInterceptorContextMut::from(&mut self.ctx);
            run_hook!(self, modify_before_serialization, &mut ctx)?;
        }
        ref_hooks!(self, BeforeSerializationInterceptorContextRef: read_before_serialization)?;
        Ok(self.ctx.take_input().ok_or("an interceptor took the input")?)
    }

    /// `read_after_serialization` and `modify_before_retry_loop` on the request before signing: the request every
    /// attempt starts from.
    pub(crate) async fn before_retry_loop(
        &mut self,
        request: http::Request<bytes::Bytes>,
    ) -> Result<http::Request<bytes::Bytes>, BoxError> {
        self.ctx.set_request(to_http_request(request)?);
        ref_hooks!(self, BeforeTransmitInterceptorContextRef: read_after_serialization)?;
        {
            let mut ctx = BeforeTransmitInterceptorContextMut::from(&mut self.ctx);
            run_hook!(self, modify_before_retry_loop, &mut ctx)?;
        }
        self.take_request().await
    }

    /// `read_before_attempt`, `modify_before_signing` and `read_before_signing`: the request to sign.
    pub(crate) async fn before_signing(
        &mut self,
        request: http::Request<bytes::Bytes>,
    ) -> Result<http::Request<bytes::Bytes>, BoxError> {
        self.ctx.set_request(to_http_request(request)?);
        ref_hooks!(self, BeforeTransmitInterceptorContextRef: read_before_attempt)?;
        {
            let mut ctx = BeforeTransmitInterceptorContextMut::from(&mut self.ctx);
            run_hook!(self, modify_before_signing, &mut ctx)?;
        }
        ref_hooks!(self, BeforeTransmitInterceptorContextRef: read_before_signing)?;
        self.take_request().await
    }

    /// `read_after_signing`, `modify_before_transmit` and `read_before_transmit`: the request to send.
    pub(crate) async fn before_transmit(
        &mut self,
        request: http::Request<bytes::Bytes>,
    ) -> Result<http::Request<bytes::Bytes>, BoxError> {
        self.ctx.set_request(to_http_request(request)?);
        ref_hooks!(self, BeforeTransmitInterceptorContextRef: read_after_signing)?;
        {
            let mut ctx = BeforeTransmitInterceptorContextMut::from(&mut self.ctx);
            run_hook!(self, modify_before_transmit, &mut ctx)?;
        }
        ref_hooks!(self, BeforeTransmitInterceptorContextRef: read_before_transmit)?;
        let request = self.take_request().await;
        self.sent = request.is_ok();
        request
    }

    /// `read_after_transmit`, `modify_before_deserialization` and `read_before_deserialization` on a response: the
    /// response as they left it (read whole, at most `limit` bytes), or why the call fails with it.
    pub(crate) async fn after_transmit(&mut self, response: Response, limit: usize) -> Result<Response, Rejected> {
        self.ctx.set_response(crate::http::raw_response(&response));
        let hooks = ref_hooks!(self, BeforeDeserializationInterceptorContextRef: read_after_transmit).and_then(|()| {
            let mut ctx = BeforeDeserializationInterceptorContextMut::from(&mut self.ctx);
            run_hook!(self, modify_before_deserialization, &mut ctx)
        });
        let hooks = hooks
            .and_then(|()| ref_hooks!(self, BeforeDeserializationInterceptorContextRef: read_before_deserialization));
        if let Err(e) = hooks {
            return Err(Rejected { error: e.into(), response });
        }
        let Some(modified) = self.take_response() else {
            return Err(Rejected { error: "an interceptor took the response".into(), response });
        };
        let (status, headers, body) = (modified.status(), modified.headers().clone(), modified.into_body());
        let body =
            crate::http::read_body(body, None, limit).await.map_err(|e| Rejected { error: e.into(), response })?;
        let mut read = http::Response::new(body);
        *read.status_mut() = status.into();
        for (name, value) in headers.iter() {
            if let (Ok(name), Ok(value)) =
                (http::HeaderName::from_bytes(name.as_bytes()), http::HeaderValue::from_str(value))
            {
                read.headers_mut().append(name, value);
            }
        }
        // The completion hooks see the last response.
        self.ctx.set_response(crate::http::raw_response(&read));
        Ok(read)
    }

    /// `modify_before_completion` and `read_after_execution` with the call's result, which they may replace: the
    /// result as they left it. `erasure` gives the operation's output and error the forms interceptors see, and back.
    #[allow(clippy::result_large_err)] // The call's own result, as the operation returns it.
    pub(crate) fn complete(mut self, result: ErasedResult, erasure: &Erasure) -> ErasedResult {
        let mut kept = None;
        let mut raw = None;
        let erased = match result {
            Ok(output) => match erasure.output(output) {
                Ok(output) => Ok(output),
                Err(_) => return Err(SdkError::construction_failure(OTHER_OPERATION)),
            },
            Err(SdkError::ServiceError(e)) => {
                let (err, response) = e.into_parts();
                match erasure.error(err) {
                    Ok(err) => {
                        raw = Some(response);
                        Err(OrchestratorError::operation(err))
                    }
                    Err(_) => return Err(SdkError::response_error(OTHER_OPERATION, response)),
                }
            }
            Err(other) => {
                let other = other.map_service_error(Opaque);
                let failure = Failure(DisplayErrorContext(&other).to_string());
                kept = Some(other);
                Err(OrchestratorError::other(failure))
            }
        };
        self.ctx.set_output_or_error(erased);
        self.completion_hooks();
        let Some(result) = self.ctx.take_output_or_error() else {
            return Err(SdkError::construction_failure("an interceptor took the output"));
        };
        let error = match result {
            Ok(output) => {
                return erasure.output_back(output).map_err(|_| {
                    SdkError::construction_failure("an interceptor replaced the output with a value of another type")
                })
            }
            Err(e) => e,
        };
        let unchanged = StdError::source(&error).is_some_and(|s| s.is::<Failure>());
        if let (true, Some(kept)) = (unchanged, kept) {
            return Err(kept.map_service_error(|e| e.0));
        }
        let raw = raw.or_else(|| self.take_response());
        if error.as_operation_error().is_some_and(|e| erasure.is_error(e)) {
            let mut taken = None;
            let _ = error.map_operation_error(|e| taken = erasure.error_back(e).ok());
            if let (Some(err), Some(raw)) = (taken, raw) {
                return Err(SdkError::service_error(err, raw));
            }
            return Err(SdkError::construction_failure("an interceptor made a service error without a response"));
        }
        let error: BoxError = Box::new(error);
        match raw {
            Some(raw) => Err(SdkError::response_error(error, raw)),
            None if self.sent => Err(SdkError::dispatch_failure(ConnectorError::other(error, None))),
            None => Err(SdkError::construction_failure(error)),
        }
    }

    /// The completion hooks; a failure of either replaces the result.
    fn completion_hooks(&mut self) {
        let modified = {
            let mut ctx = FinalizerInterceptorContextMut::from(&mut self.ctx);
            run_hook!(self, modify_before_completion, &mut ctx)
        };
        if let Err(e) = modified {
            self.ctx.fail(OrchestratorError::interceptor(e));
        }
        let read = {
            let ctx = FinalizerInterceptorContextRef::from(&self.ctx);
            run_hook!(self, read_after_execution, &ctx)
        };
        if let Err(e) = read {
            self.ctx.fail(OrchestratorError::interceptor(e));
        }
    }

    /// The context's response, taken out of it.
    fn take_response(&mut self) -> Option<HttpResponse> {
        let placeholder = || HttpResponse::new(http::StatusCode::OK.into(), SdkBody::taken());
        self.ctx.response_mut().map(|r| std::mem::replace(r, placeholder()))
    }

    /// The context's request, as the attempt loop sends it.
    async fn take_request(&mut self) -> Result<http::Request<bytes::Bytes>, BoxError> {
        let request = self.ctx.take_request().ok_or("an interceptor took the request")?;
        let (parts, body) = request.try_into_http1x()?.into_parts();
        let body = crate::http::read_body(body, None, usize::MAX).await?;
        Ok(http::Request::from_parts(parts, body))
    }
}

/// A response that an interceptor's hook failed on: the call's error, with the response.
#[derive(Debug)]
pub(crate) struct Rejected {
    pub(crate) error: BoxError,
    pub(crate) response: Response,
}

/// An operation's error where a failure that is not a service error (and so has none) names its type: lets the
/// failure print.
struct Opaque(Erased);

impl fmt::Debug for Opaque {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Opaque")
    }
}

impl fmt::Display for Opaque {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an operation's error")
    }
}

impl StdError for Opaque {}

/// A request as interceptors see it.
fn to_http_request(request: http::Request<bytes::Bytes>) -> Result<HttpRequest, BoxError> {
    Ok(HttpRequest::try_from(request.map(SdkBody::from))?)
}

/// What interceptors see of a failure that is not a service error (the call's error itself is kept, and returned
/// unless they replace it): its text.
#[derive(Debug)]
struct Failure(String);

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl StdError for Failure {}

/// `customize().mutate_request(..)`: changes the request before it is signed, at each attempt.
pub(crate) struct MutateRequest<F>(pub(crate) F);

impl<F> fmt::Debug for MutateRequest<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MutateRequest")
    }
}

impl<F: Fn(&mut HttpRequest) + Send + Sync + 'static> Intercept for MutateRequest<F> {
    fn name(&self) -> &'static str {
        "MutateRequest"
    }

    fn modify_before_signing(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        (self.0)(context.request_mut());
        Ok(())
    }
}

/// `customize().map_request(..)`: replaces the request before it is signed, at each attempt, or fails the call.
pub(crate) struct MapRequest<F, E>(pub(crate) F, pub(crate) std::marker::PhantomData<fn() -> E>);

impl<F, E> fmt::Debug for MapRequest<F, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MapRequest")
    }
}

impl<F, E> Intercept for MapRequest<F, E>
where
    F: Fn(HttpRequest) -> Result<HttpRequest, E> + Send + Sync + 'static,
    E: StdError + Send + Sync + 'static,
{
    fn name(&self) -> &'static str {
        "MapRequest"
    }

    fn modify_before_signing(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let request = std::mem::replace(context.request_mut(), HttpRequest::new(SdkBody::taken()));
        *context.request_mut() = (self.0)(request)?;
        Ok(())
    }
}
