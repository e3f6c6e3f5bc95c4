//! Errors, shaped as in aws-sdk-rust: [`SdkError`] with the same variants (plus [`SdkError::Validation`], this
//! crate's own), the shared [`ErrorMetadata`] and [`ProvideErrorMetadata`], [`RequestId`], [`DisplayErrorContext`]
//! and [`BuildError`].

use std::error::Error as StdError;
use std::fmt;

pub use aws_smithy_runtime_api::client::result::{ConnectorError, CreateUnhandledError};
pub use aws_smithy_types::error::display::DisplayErrorContext;
pub use aws_smithy_types::error::metadata::{ErrorMetadata, ProvideErrorMetadata};
pub use aws_smithy_types::error::operation::BuildError;
pub use aws_types::request_id::RequestId;

use crate::http::HttpResponse;

/// A boxed error, as the variants of [`SdkError`] carry their causes.
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// The key of the request id in an [`ErrorMetadata`]'s extras, as aws-sdk-rust stores it.
pub(crate) const AWS_REQUEST_ID: &str = "aws_request_id";

/// What an error response said, as the protocol read it: the status, the error code (with any `namespace#` prefix
/// and `:…` suffix removed), the modeled error it names, the message and the request id.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct ErrorResponse {
    pub(crate) status: u16,
    pub(crate) code: Option<String>,
    /// The modeled error's shape name, when the service's error code differs from it (awsQueryCompatible services
    /// send their Query-era code in `x-amzn-query-error`).
    pub(crate) error_type: Option<String>,
    pub(crate) message: Option<String>,
    pub(crate) request_id: Option<String>,
    /// The response in a few words ([`describe_response`]), for an error response without a code.
    pub(crate) summary: String,
}

impl ErrorResponse {
    /// The error code.
    pub(crate) fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The message.
    pub(crate) fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The HTTP status.
    pub(crate) fn status(&self) -> u16 {
        self.status
    }

    /// The request id.
    pub(crate) fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The name of the modeled error shape the response names, which selects the operation's error variant.
    pub(crate) fn error_type(&self) -> Option<&str> {
        self.error_type.as_deref().or(self.code.as_deref())
    }

    /// The metadata every error carries: code, message and request id, moved in (not copied).
    pub(crate) fn into_metadata(self) -> ErrorMetadata {
        let mut b = ErrorMetadata::builder();
        if let Some(code) = self.code {
            b = b.code(code);
        }
        if let Some(message) = self.message {
            b = b.message(message);
        }
        if let Some(id) = self.request_id {
            b = b.custom(AWS_REQUEST_ID, id);
        }
        b.build()
    }
}

/// An error the service returned that the model does not declare for the operation, or a failure that
/// [`SdkError::into_service_error`] turned into the operation's error. Match on its code and message through
/// [`ProvideErrorMetadata`], not on the variant: a later model may declare the error.
#[derive(Debug)]
pub struct Unhandled {
    /// The failure behind it; `None` for an error response, which the metadata describes whole.
    source: Option<BoxError>,
    meta: ErrorMetadata,
    /// For an error response without a code: what the response was (status, content type, start of the body).
    response: Option<Box<str>>,
}

impl Unhandled {
    /// An unhandled error from an error response; one without a code (a proxy's HTML page, an empty body) is
    /// described by what arrived instead.
    pub(crate) fn from_response(mut response: ErrorResponse) -> Self {
        let summary = std::mem::take(&mut response.summary);
        let described = (response.code.is_none() && !summary.is_empty()).then(|| summary.into_boxed_str());
        Unhandled { source: None, meta: response.into_metadata(), response: described }
    }

    /// An unhandled error with a cause and, if known, metadata.
    pub(crate) fn new(source: BoxError, meta: Option<ErrorMetadata>) -> Self {
        Unhandled { source: Some(source), meta: meta.unwrap_or_default(), response: None }
    }

    /// An unhandled error described by its metadata alone.
    pub(crate) fn from_metadata(meta: ErrorMetadata) -> Self {
        Unhandled { source: None, meta, response: None }
    }
}

impl ProvideErrorMetadata for Unhandled {
    fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

impl RequestId for Unhandled {
    fn request_id(&self) -> Option<&str> {
        self.meta.extra(AWS_REQUEST_ID)
    }
}

impl fmt::Display for Unhandled {
    /// The code and message the service sent (`ValidationException: Name is too long`); for an error response
    /// without a code, what arrived (`no recognisable error in the response: HTTP 502, content-type text/html, body
    /// "<html>…"`); for another failure, that it was one (its cause is the error's [`source`](StdError::source)).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.meta.code() {
            Some(code) => {
                f.write_str(code)?;
                if let Some(m) = self.meta.message() {
                    write!(f, ": {m}")?;
                }
                Ok(())
            }
            None if self.source.is_some() => f.write_str("unhandled error"),
            None => match &self.response {
                Some(response) => write!(f, "no recognisable error in the response: {response}"),
                None => f.write_str("unhandled error without a code"),
            },
        }
    }
}

impl StdError for Unhandled {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source.as_ref().map(|s| &**s as &(dyn StdError + 'static))
    }
}

/// One variant of an operation's error enum as the functions every such enum shares see it: a modeled error with
/// its metadata, its code and its message member, or the unhandled error. Each operation's error enum has one
/// `match` giving its view (`view()`); its `meta`, `code`, `message`, `Display` and `source` are these functions, so
/// an operation adds one small match instead of five.
#[derive(Clone, Copy)]
pub(crate) enum ErrorView<'a> {
    /// An error the model declares for the operation.
    // A service whose operations declare no errors constructs none.
    #[allow(dead_code)]
    Modeled {
        /// The error itself: what the enum prints and gives as its `source`.
        error: &'a (dyn StdError + 'static),
        /// Its metadata (the response's code, message and request id).
        meta: &'a ErrorMetadata,
        /// The code of its shape, for an error without metadata (one a test built).
        code: &'static str,
        /// Its message member, if it has one.
        message: Option<&'a str>,
    },
    /// Anything else.
    Unhandled(&'a Unhandled),
}

impl<'a> ErrorView<'a> {
    /// The code, message and request id of the response.
    pub(crate) fn meta(self) -> &'a ErrorMetadata {
        match self {
            ErrorView::Modeled { meta, .. } => meta,
            ErrorView::Unhandled(e) => &e.meta,
        }
    }

    /// The metadata's code (the response's), else a modeled error's own.
    pub(crate) fn code(self) -> Option<&'a str> {
        match self {
            ErrorView::Modeled { meta, code, .. } => meta.code().or(Some(code)),
            ErrorView::Unhandled(e) => e.meta.code(),
        }
    }

    /// The metadata's message (the response's), else a modeled error's message member.
    pub(crate) fn message(self) -> Option<&'a str> {
        match self {
            ErrorView::Modeled { meta, message, .. } => meta.message().or(message),
            ErrorView::Unhandled(e) => e.meta.message(),
        }
    }

    /// The enum's `source`: a modeled error itself; for the unhandled error, which the enum prints itself, its
    /// cause.
    pub(crate) fn source(self) -> Option<&'a (dyn StdError + 'static)> {
        match self {
            ErrorView::Modeled { error, .. } => Some(error),
            ErrorView::Unhandled(e) => e.source(),
        }
    }
}

impl fmt::Display for ErrorView<'_> {
    /// What the error itself prints.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorView::Modeled { error, .. } => fmt::Display::fmt(error, f),
            ErrorView::Unhandled(e) => fmt::Display::fmt(e, f),
        }
    }
}

/// The crate-wide error from an operation's `SdkError<E, R>` (its `From` impl, one per operation): a service error
/// is the operation's error converted, any other failure the crate-wide error's `unhandled` variant, with the
/// failure as its cause.
pub(crate) fn from_sdk_error<E, R, T>(err: SdkError<E, R>, unhandled: fn(Unhandled) -> T) -> T
where
    E: Into<T>,
    SdkError<E, R>: StdError + Send + Sync + 'static,
{
    match err {
        SdkError::ServiceError(context) => context.into_err().into(),
        other => unhandled(Unhandled::new(Box::new(other), None)),
    }
}

/// How much of a body an error quotes: enough to recognise an HTML error page or a truncated document, never the
/// whole of a large one.
pub(crate) const EXCERPT_BYTES: usize = 200;

/// A response in a few words, for errors about responses this crate cannot read: `HTTP 502, content-type text/html,
/// body (5123 bytes) begins "<html>…"`. The body is quoted up to [`EXCERPT_BYTES`] bytes, as text (bytes that are
/// not UTF-8 replaced, a character cut at the end dropped), escaped as a Rust string (control characters, quotes);
/// the content type is cut to 100 characters.
pub(crate) fn describe_response(status: u16, content_type: Option<&str>, body: &[u8]) -> String {
    let mut out = format!("HTTP {status}");
    match content_type {
        Some(t) => {
            let t: String = t.chars().take(100).collect();
            out.push_str(&format!(", content-type {}", t.escape_debug()));
        }
        None => out.push_str(", no content-type"),
    }
    if body.is_empty() {
        out.push_str(", empty body");
        return out;
    }
    match excerpt(body) {
        (text, true) => out.push_str(&format!(", body \"{text}\"")),
        (text, false) => out.push_str(&format!(", body ({} bytes) begins \"{text}\"", body.len())),
    }
    out
}

/// The start of a body, up to [`EXCERPT_BYTES`] bytes, as escaped text (see [`describe_response`]), and whether it
/// is the whole body.
fn excerpt(body: &[u8]) -> (String, bool) {
    let cut = &body[..body.len().min(EXCERPT_BYTES)];
    // A multi-byte character cut in two by the excerpt's end is left out rather than shown as a replacement.
    let cut = match std::str::from_utf8(cut) {
        Err(e) if e.error_len().is_none() && cut.len() < body.len() => &cut[..e.valid_up_to()],
        _ => cut,
    };
    (String::from_utf8_lossy(cut).escape_debug().to_string(), cut.len() == body.len())
}

/// A body quoted for an error message: `"the text"`, or `"the start…" (5123 bytes)` when it is longer than
/// [`EXCERPT_BYTES`] bytes, escaped as in [`describe_response`].
pub(crate) fn quote_body(body: &[u8]) -> String {
    match excerpt(body) {
        (text, true) => format!("\"{text}\""),
        (text, false) => format!("\"{text}…\" ({} bytes)", body.len()),
    }
}

/// A response that arrived but could not be decoded, as the source of a
/// [`ResponseError`](SdkError::ResponseError): its line names the operation, the status, the content type and the
/// start of the body; its [`source`](StdError::source) is what the decoder found wrong.
#[derive(Debug)]
pub struct DecodeError {
    operation: &'static str,
    status: u16,
    response: String,
    source: BoxError,
}

impl DecodeError {
    /// The error for the response of `operation` that `source` says cannot be decoded.
    pub(crate) fn new(operation: &'static str, response: &crate::http::Response, source: BoxError) -> Self {
        let content_type = crate::http::header(response, "content-type");
        let status = response.status().as_u16();
        let response = describe_response(status, content_type, response.body());
        DecodeError { operation, status, response, source }
    }

    /// The operation whose response it was.
    pub fn operation(&self) -> &str {
        self.operation
    }

    /// The response's HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot decode the {} response ({})", self.operation, self.response)
    }
}

impl StdError for DecodeError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&*self.source)
    }
}

/// Implemented by operation outputs: the attempt loop records the response's request id in the output it decoded.
pub(crate) trait SetRequestId {
    /// Record the request id.
    fn set_request_id(&mut self, request_id: Option<String>);
}

/// The request could not be built (no region or credentials, an endpoint the rules reject, an input builder that
/// failed); it was not sent.
#[derive(Debug)]
pub struct ConstructionFailure {
    source: BoxError,
}

/// An attempt did not finish within its timeout, and no retry was left.
#[derive(Debug)]
pub struct TimeoutError {
    source: BoxError,
}

/// The request could not be sent or its response not received.
#[derive(Debug)]
pub struct DispatchFailure {
    source: ConnectorError,
}

impl DispatchFailure {
    /// Whether an I/O failure (a connection refused or reset) caused it.
    pub fn is_io(&self) -> bool {
        self.source.is_io()
    }

    /// Whether a connect or read timeout of the transport caused it.
    pub fn is_timeout(&self) -> bool {
        self.source.is_timeout()
    }

    /// Whether the request itself was at fault (for example an invalid endpoint URL).
    pub fn is_user(&self) -> bool {
        self.source.is_user()
    }

    /// Whether another kind of failure caused it.
    pub fn is_other(&self) -> bool {
        self.source.is_other()
    }

    /// The transport's error.
    pub fn as_connector_error(&self) -> Option<&ConnectorError> {
        Some(&self.source)
    }
}

/// A response arrived but could not be decoded; the raw response is kept.
pub struct ResponseError<R> {
    source: BoxError,
    raw: R,
}

impl<R> ResponseError<R> {
    /// The response.
    pub fn raw(&self) -> &R {
        &self.raw
    }

    /// Take the response.
    pub fn into_raw(self) -> R {
        self.raw
    }
}

/// An error the service returned, with the raw response.
pub struct ServiceError<E, R> {
    source: E,
    raw: R,
}

impl<E, R> ServiceError<E, R> {
    /// The operation's error.
    pub fn err(&self) -> &E {
        &self.source
    }

    /// Take the operation's error.
    pub fn into_err(self) -> E {
        self.source
    }

    /// The response.
    pub fn raw(&self) -> &R {
        &self.raw
    }

    /// Take the response.
    pub fn into_raw(self) -> R {
        self.raw
    }

    /// Take the operation's error and the response.
    pub(crate) fn into_parts(self) -> (E, R) {
        (self.source, self.raw)
    }
}

impl<R: fmt::Debug> fmt::Debug for ResponseError<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseError").field("source", &self.source).field("raw", &Bounded(&self.raw)).finish()
    }
}

impl<E: fmt::Debug, R: fmt::Debug> fmt::Debug for ServiceError<E, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceError").field("source", &self.source).field("raw", &Bounded(&self.raw)).finish()
    }
}

/// The `Debug` text of a raw response, cut after [`DEBUG_RAW_BYTES`] bytes: `DisplayErrorContext` ends with the
/// error's `Debug`, and a response's body would otherwise be printed whole (a 64 MiB body as a string several times
/// that size, in every log line of the error).
struct Bounded<'a, T>(&'a T);

/// How much of a raw response's `Debug` text errors print.
const DEBUG_RAW_BYTES: usize = 1024;

impl<T: fmt::Debug> fmt::Debug for Bounded<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Cap<'a, 'b> {
            out: &'a mut fmt::Formatter<'b>,
            left: usize,
            cut: bool,
        }
        impl fmt::Write for Cap<'_, '_> {
            fn write_str(&mut self, s: &str) -> fmt::Result {
                if s.len() <= self.left {
                    self.left -= s.len();
                    return self.out.write_str(s);
                }
                let mut end = self.left;
                while !s.is_char_boundary(end) {
                    end -= 1;
                }
                self.left = 0;
                self.cut = true;
                self.out.write_str(&s[..end])
            }
        }
        let mut cap = Cap { out: f, left: DEBUG_RAW_BYTES, cut: false };
        fmt::write(&mut cap, format_args!("{:?}", self.0))?;
        if cap.cut {
            cap.out.write_str("…")?;
        }
        Ok(())
    }
}

/// Every way a call can fail: aws-sdk-rust's `SdkError`, with the same variants and methods, and one variant of this
/// crate's own, [`Validation`](SdkError::Validation), for input the model forbids (nothing is sent). Where a
/// function needs aws-sdk-rust's own type, `.into()` converts (a validation error becomes a construction failure
/// whose source is the [`ValidationError`](crate::validation::ValidationError)).
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E, R = HttpResponse> {
    /// The request could not be built (region, credentials, endpoint); it was not sent.
    ConstructionFailure(ConstructionFailure),
    /// An attempt did not finish within its timeout, and no retry was left. The request may have been received.
    TimeoutError(TimeoutError),
    /// The request could not be sent or the response not received (connection, I/O).
    DispatchFailure(DispatchFailure),
    /// A response arrived but could not be decoded.
    ResponseError(ResponseError<R>),
    /// The service returned an error.
    ServiceError(ServiceError<E, R>),
    /// The input broke a constraint of the model; nothing was sent. This variant is this crate's addition.
    Validation(crate::validation::ValidationError),
}

impl<E, R> SdkError<E, R> {
    /// A construction failure.
    pub fn construction_failure(source: impl Into<BoxError>) -> Self {
        SdkError::ConstructionFailure(ConstructionFailure { source: source.into() })
    }

    /// A timeout.
    pub fn timeout_error(source: impl Into<BoxError>) -> Self {
        SdkError::TimeoutError(TimeoutError { source: source.into() })
    }

    /// A dispatch failure.
    pub fn dispatch_failure(source: ConnectorError) -> Self {
        SdkError::DispatchFailure(DispatchFailure { source })
    }

    /// A response that could not be decoded.
    pub fn response_error(source: impl Into<BoxError>, raw: R) -> Self {
        SdkError::ResponseError(ResponseError { source: source.into(), raw })
    }

    /// An error the service returned.
    pub fn service_error(source: E, raw: R) -> Self {
        SdkError::ServiceError(ServiceError { source, raw })
    }

    /// The operation's error, when the service returned one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            SdkError::ServiceError(s) => Some(&s.source),
            _ => None,
        }
    }

    /// The operation's error: the one the service returned, or any other failure as its unhandled variant, so
    /// that one `match` handles modeled errors and passes everything else on.
    pub fn into_service_error(self) -> E
    where
        E: StdError + Send + Sync + CreateUnhandledError + 'static,
        R: fmt::Debug + Send + Sync + 'static,
    {
        match self {
            SdkError::ServiceError(s) => s.source,
            other => E::create_unhandled_error(Box::new(other), None),
        }
    }

    /// The cause of this error.
    pub fn into_source(self) -> Result<BoxError, Self>
    where
        E: StdError + Send + Sync + 'static,
    {
        Ok(match self {
            SdkError::ConstructionFailure(e) => e.source,
            SdkError::TimeoutError(e) => e.source,
            SdkError::DispatchFailure(e) => Box::new(e.source),
            SdkError::ResponseError(e) => e.source,
            SdkError::ServiceError(e) => Box::new(e.source),
            SdkError::Validation(e) => Box::new(e),
        })
    }

    /// The raw response, for service and response errors.
    pub fn raw_response(&self) -> Option<&R> {
        match self {
            SdkError::ServiceError(s) => Some(&s.raw),
            SdkError::ResponseError(r) => Some(&r.raw),
            _ => None,
        }
    }

    /// The same error with the operation's error mapped.
    pub fn map_service_error<E2>(self, map: impl FnOnce(E) -> E2) -> SdkError<E2, R> {
        match self {
            SdkError::ServiceError(s) => SdkError::ServiceError(ServiceError { source: map(s.source), raw: s.raw }),
            SdkError::ConstructionFailure(e) => SdkError::ConstructionFailure(e),
            SdkError::TimeoutError(e) => SdkError::TimeoutError(e),
            SdkError::DispatchFailure(e) => SdkError::DispatchFailure(e),
            SdkError::ResponseError(e) => SdkError::ResponseError(e),
            SdkError::Validation(e) => SdkError::Validation(e),
        }
    }
}

impl<E, R> From<SdkError<E, R>> for aws_smithy_runtime_api::client::result::SdkError<E, R> {
    /// aws-sdk-rust's own `SdkError`; a validation error becomes a construction failure.
    fn from(e: SdkError<E, R>) -> Self {
        use aws_smithy_runtime_api::client::result::SdkError as Aws;
        match e {
            SdkError::ConstructionFailure(e) => Aws::construction_failure(e.source),
            SdkError::TimeoutError(e) => Aws::timeout_error(e.source),
            SdkError::DispatchFailure(e) => Aws::dispatch_failure(e.source),
            SdkError::ResponseError(e) => Aws::response_error(e.source, e.raw),
            SdkError::ServiceError(e) => Aws::service_error(e.source, e.raw),
            SdkError::Validation(v) => Aws::construction_failure(v),
        }
    }
}

impl<E, R> From<BuildError> for SdkError<E, R> {
    fn from(e: BuildError) -> Self {
        SdkError::construction_failure(e)
    }
}

impl<E, R> From<crate::validation::ValidationError> for SdkError<E, R> {
    fn from(e: crate::validation::ValidationError) -> Self {
        SdkError::Validation(e)
    }
}

impl<E: ProvideErrorMetadata, R> ProvideErrorMetadata for SdkError<E, R> {
    /// The operation error's metadata for service errors; empty metadata otherwise.
    fn meta(&self) -> &ErrorMetadata {
        match self {
            SdkError::ServiceError(s) => s.err().meta(),
            _ => &aws_smithy_types::error::metadata::EMPTY_ERROR_METADATA,
        }
    }
}

impl<E> RequestId for SdkError<E, HttpResponse> {
    /// The request id of the response, for service errors and responses that could not be decoded.
    fn request_id(&self) -> Option<&str> {
        self.raw_response().and_then(|r| r.headers().get("x-amzn-requestid"))
    }
}

impl<E, R> fmt::Display for SdkError<E, R> {
    /// A short line naming the kind of failure, as aws-sdk-rust prints it; the cause is the error's
    /// [`source`](StdError::source). Print the whole chain with [`DisplayErrorContext`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SdkError::ConstructionFailure(_) => "failed to construct request",
            SdkError::TimeoutError(_) => "request has timed out",
            SdkError::DispatchFailure(_) => "dispatch failure",
            SdkError::ResponseError(_) => "response error",
            SdkError::ServiceError(_) => "service error",
            SdkError::Validation(_) => "invalid input, not sent",
        })
    }
}

impl<E, R> StdError for SdkError<E, R>
where
    E: StdError + 'static,
    R: fmt::Debug,
{
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            SdkError::ConstructionFailure(e) => Some(&*e.source as &(dyn StdError + 'static)),
            SdkError::TimeoutError(e) => Some(&*e.source as &(dyn StdError + 'static)),
            SdkError::DispatchFailure(e) => Some(&e.source),
            SdkError::ResponseError(e) => Some(&*e.source as &(dyn StdError + 'static)),
            SdkError::ServiceError(e) => Some(&e.source),
            SdkError::Validation(e) => Some(e),
        }
    }
}
