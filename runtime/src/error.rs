//! Errors raised by this crate itself, before anything is sent.

use std::fmt;

/// Building a value failed: a builder's `build()` (every operation input's, and a structure's with a required
/// member that is not an `Option`). The same type as aws-sdk-rust's `error::BuildError`.
pub use aws_smithy_types::error::operation::BuildError;

/// What the service said about a failed request: the HTTP status, the error code (with any `namespace#` prefix and
/// `:…` suffix removed), the message and the request id.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ErrorMetadata {
    pub(crate) status: u16,
    pub(crate) code: Option<String>,
    /// The modeled error's shape name, when the service's error code differs from it (awsQueryCompatible services
    /// send their Query-era code in `x-amzn-query-error`).
    pub(crate) error_type: Option<String>,
    pub(crate) message: Option<String>,
    pub(crate) request_id: Option<String>,
}

impl ErrorMetadata {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The error code, e.g. `ValidationException`.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The name of the modeled error shape the response names, which selects the operation's error variant.
    pub(crate) fn error_type(&self) -> Option<&str> {
        self.error_type.as_deref().or(self.code.as_deref())
    }

    /// The message, if the service sent one.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The `x-amzn-RequestId` of the response.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl fmt::Display for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code.as_deref().unwrap_or("unknown error"))?;
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        }
        write!(f, " (HTTP {}", self.status)?;
        if let Some(r) = &self.request_id {
            write!(f, ", request id {r}")?;
        }
        f.write_str(")")
    }
}

/// An error the service returned that the model does not declare for the operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unhandled {
    meta: ErrorMetadata,
}

impl Unhandled {
    pub(crate) fn new(meta: ErrorMetadata) -> Self {
        Unhandled { meta }
    }

    /// The error code, e.g. `ValidationException`.
    pub fn code(&self) -> Option<&str> {
        self.meta.code()
    }

    /// The message.
    pub fn message(&self) -> Option<&str> {
        self.meta.message()
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.meta.status()
    }

    /// The request id.
    pub fn request_id(&self) -> Option<&str> {
        self.meta.request_id()
    }
}

impl fmt::Display for Unhandled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.meta.code().unwrap_or("unknown error"))?;
        if let Some(m) = self.meta.message() {
            write!(f, ": {m}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Unhandled {}

/// A modeled or unmodeled error the service returned, with the response's metadata.
#[derive(Debug)]
pub struct ServiceError<E> {
    err: E,
    // Boxed to keep `SdkError` small on the success path of every call.
    meta: Box<ErrorMetadata>,
}

impl<E> ServiceError<E> {
    pub(crate) fn new(err: E, meta: ErrorMetadata) -> Self {
        ServiceError { err, meta: Box::new(meta) }
    }

    /// The operation's error.
    pub fn err(&self) -> &E {
        &self.err
    }

    /// Take the operation's error.
    pub fn into_err(self) -> E {
        self.err
    }

    /// Status, code, message and request id.
    pub fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

/// A request could not be built: no region or credentials, an endpoint the rules reject, and the like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConstructionError {
    message: String,
}

impl ConstructionError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        ConstructionError { message: message.into() }
    }
}

impl fmt::Display for ConstructionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConstructionError {}

/// A response arrived but could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseError {
    pub(crate) status: u16,
    pub(crate) request_id: Option<String>,
    pub(crate) message: String,
}

impl ResponseError {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The request id, if the response had one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot decode the response (HTTP {}): {}", self.status, self.message)
    }
}

impl std::error::Error for ResponseError {}

/// The request id (`x-amzn-RequestId`) of the response a value came from, for support cases and log correlation.
/// Every operation output implements it, and so does [`SdkError`] (for errors that got a response).
pub trait RequestId {
    /// The request id, when the response had one.
    fn request_id(&self) -> Option<&str>;
}

/// Implemented by operation outputs: the attempt loop records the response's request id in the output it decoded.
pub(crate) trait SetRequestId {
    /// Record the request id.
    fn set_request_id(&mut self, request_id: Option<String>);
}

/// Every way a call can fail.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The input broke a modeled constraint; nothing was sent.
    Validation(crate::validation::ValidationError),
    /// The request could not be built (region, credentials, endpoint).
    Construction(ConstructionError),
    /// An attempt did not finish within its timeout, and no retry was left.
    Timeout(crate::http::TimeoutError),
    /// The request could not be sent or the response not received (connection, I/O).
    Dispatch(crate::http::TransportError),
    /// A response arrived but could not be decoded.
    Response(ResponseError),
    /// The service returned an error.
    Service(ServiceError<E>),
}

impl<E> SdkError<E> {
    /// The operation's error, when the service returned one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            SdkError::Service(s) => Some(s.err()),
            _ => None,
        }
    }

    /// Take the operation's error, when the service returned one.
    pub fn into_service_error(self) -> Option<E> {
        match self {
            SdkError::Service(s) => Some(s.into_err()),
            _ => None,
        }
    }
}

impl<E> RequestId for SdkError<E> {
    /// The request id of the response, for service errors and responses that could not be decoded.
    fn request_id(&self) -> Option<&str> {
        match self {
            SdkError::Service(e) => e.meta().request_id(),
            SdkError::Response(e) => e.request_id(),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Validation(e) => write!(f, "invalid input, not sent: {e}"),
            SdkError::Construction(e) => write!(f, "cannot build the request: {e}"),
            SdkError::Timeout(e) => write!(f, "{e}"),
            SdkError::Dispatch(e) => write!(f, "{e}"),
            SdkError::Response(e) => write!(f, "{e}"),
            SdkError::Service(e) => {
                write!(f, "service error (HTTP {}", e.meta().status())?;
                if let Some(r) = e.meta().request_id() {
                    write!(f, ", request id {r}")?;
                }
                write!(f, "): {}", e.err())
            }
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for SdkError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SdkError::Validation(e) => Some(e),
            SdkError::Construction(e) => Some(e),
            SdkError::Timeout(e) => Some(e),
            SdkError::Dispatch(e) => Some(e),
            SdkError::Response(e) => Some(e),
            SdkError::Service(e) => Some(e.err()),
        }
    }
}
