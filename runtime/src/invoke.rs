//! One call, from a serialized input to a typed output: endpoint, credentials, SigV4 signing, the attempt loop with
//! timeouts and retries (the `retry` module decides whether and when to retry, with the client's retry quota and,
//! in adaptive mode, its rate limiter), and decoding of the response or the error. What goes on the wire is the
//! [`Protocol`]'s business, and everything specific to the service (its name, signing name, endpoint rules) comes in
//! through [`ServiceInfo`], which the generated `client` module defines: this module knows nothing generated.

use std::any::Any;
use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::Duration;

use aws_credential_types::provider::ProvideCredentials as _;
use aws_credential_types::Credentials;
use aws_smithy_async::rt::sleep::{AsyncSleep as _, SharedAsyncSleep};
use aws_smithy_runtime_api::client::identity::Identity;
use aws_smithy_runtime_api::client::interceptors::context::{Error as ContextError, Input, Output};

use crate::config::{Config, ConfigOverride};
use crate::credentials::BoxFuture;
use crate::endpoint_lib::{Endpoint, ResolveError};
use crate::error::{BoxError, ConnectorError, ErrorResponse, SdkError, SetRequestId};
use crate::http::{header, Response, Transport};
use crate::intercept::Execution;
use crate::retry::{Failure, Retries, Stop};

/// Static facts about the service, handed to the runtime by the generated code.
#[derive(Debug)]
pub(crate) struct ServiceInfo {
    /// The SDK id (`SageMaker`): names the service-specific endpoint variable `AWS_ENDPOINT_URL_<SDK_ID>`.
    pub(crate) sdk_id: &'static str,
    /// The SigV4 signing name.
    pub(crate) signing_name: &'static str,
    /// The `User-Agent` of every request: the generated crate's name and version.
    pub(crate) user_agent: &'static str,
    /// How requests and errors look on the wire.
    pub(crate) protocol: &'static dyn Protocol,
    /// The endpoint the service's rules give for a configuration.
    pub(crate) resolve_endpoint: fn(&Config) -> Result<Endpoint, ResolveError>,
}

/// An operation's request before signing: what the protocol puts on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UnsignedRequest {
    /// The HTTP method.
    pub(crate) method: &'static str,
    /// The path, appended to the endpoint URL.
    pub(crate) path: &'static str,
    /// Headers besides `host`, `user-agent` and the signature's.
    pub(crate) headers: Vec<(http::HeaderName, http::HeaderValue)>,
    /// The body.
    pub(crate) body: Vec<u8>,
}

/// A wire protocol: how an operation's serialized input becomes a request, and how an error response is read.
pub(crate) trait Protocol: Send + Sync + std::fmt::Debug {
    /// The request for `operation` with this body; the error says why there is none.
    fn request(&self, operation: &Operation, body: Vec<u8>) -> Result<UnsignedRequest, BoxError>;
    /// The status, code, message and request id of an error response.
    fn error_metadata(&self, response: &Response) -> ErrorResponse;
}

/// A value whose type only its operation knows (its input, output or error) on its way through the one call path
/// every operation shares; [`crate::fluent::SendFuture`] gives the output and the error their types back.
pub(crate) type Erased = Box<dyn Any + Send + Sync>;

/// A call's result with the operation's output and error erased.
pub(crate) type ErasedResult = Result<Erased, SdkError<Erased>>;

/// One operation, as the generated code describes it to the runtime: a `const` for each operation, whose functions
/// are the only code the operation adds to sending (no future of its own: every call is the one non-generic
/// [`invoke`]).
pub(crate) struct Operation {
    /// The operation's name (`StartPipelineExecution`).
    pub(crate) name: &'static str,
    /// The operation as its protocol names it in a header (awsJson's `X-Amz-Target`:
    /// `SageMaker.StartPipelineExecution`). The generated function returns a `const` value, checked as a header
    /// value when the crate is compiled, so no call makes or checks it.
    pub(crate) target: fn() -> http::HeaderValue,
    /// Validates the input (as the call's configuration and its override say) and serializes it.
    #[allow(clippy::type_complexity)]
    pub(crate) prepare: fn(&(dyn Any + Send + Sync), &Config, Option<&ConfigOverride>) -> Result<Vec<u8>, Unprepared>,
    /// Decodes a successful response into the output, with the response's request id ([`output`] does the
    /// latter); the error says what is wrong with the body.
    pub(crate) decode_output: fn(&Response) -> Result<Erased, BoxError>,
    /// Turns an error response into the operation's error.
    pub(crate) decode_error: fn(ErrorResponse, &[u8]) -> Erased,
    /// `@requestCompression` with gzip: the compressor (the `compression` module's, passed in by operations that
    /// accept compressed bodies), given the body and the configured minimum size.
    pub(crate) compress: Option<Compressor>,
    /// The input, output and error as interceptors see them ([`Erasure::of`]).
    pub(crate) erasure: Erasure,
}

/// Conversions between [`Erased`] and the type-erased values of aws-smithy-runtime-api's interceptor context, for
/// one operation's input, output and error (used only when the call has interceptors). Each fails only when the
/// value is not of the operation's type, which the runtime never makes and an interceptor may.
pub(crate) struct Erasure {
    input: fn(Erased) -> Result<Input, Erased>,
    input_back: fn(Input) -> Result<Erased, Input>,
    output: fn(Erased) -> Result<Output, Erased>,
    output_back: fn(Output) -> Result<Erased, Output>,
    error: fn(Erased) -> Result<ContextError, Erased>,
    error_back: fn(ContextError) -> Result<Erased, ContextError>,
    is_error: fn(&ContextError) -> bool,
}

impl Erasure {
    /// The conversions of input `I`, output `O` and error `E`.
    pub(crate) const fn of<I, O, E>() -> Erasure
    where
        I: fmt::Debug + Send + Sync + 'static,
        O: fmt::Debug + Send + Sync + 'static,
        E: std::error::Error + fmt::Debug + Send + Sync + 'static,
    {
        Erasure {
            input: |v| v.downcast::<I>().map(|v| Input::erase(*v)),
            input_back: |v| v.downcast::<I>().map(|v| Box::new(v) as Erased),
            output: |v| v.downcast::<O>().map(|v| Output::erase(*v)),
            output_back: |v| v.downcast::<O>().map(|v| Box::new(v) as Erased),
            error: |e| e.downcast::<E>().map(|e| ContextError::erase(*e)),
            error_back: |e| e.downcast::<E>().map(|e| Box::new(e) as Erased),
            is_error: |e| e.downcast_ref::<E>().is_some(),
        }
    }

    /// The input as interceptors see it.
    pub(crate) fn input(&self, input: Erased) -> Result<Input, Erased> {
        (self.input)(input)
    }

    /// The input interceptors left, if it is of the operation's type.
    pub(crate) fn input_back(&self, input: Input) -> Result<Erased, Input> {
        (self.input_back)(input)
    }

    /// The output as interceptors see it.
    pub(crate) fn output(&self, output: Erased) -> Result<Output, Erased> {
        (self.output)(output)
    }

    /// The output interceptors left, if it is of the operation's type.
    pub(crate) fn output_back(&self, output: Output) -> Result<Erased, Output> {
        (self.output_back)(output)
    }

    /// The operation's error as interceptors see it.
    pub(crate) fn error(&self, error: Erased) -> Result<ContextError, Erased> {
        (self.error)(error)
    }

    /// The error interceptors left, if it is the operation's error.
    pub(crate) fn error_back(&self, error: ContextError) -> Result<Erased, ContextError> {
        (self.error_back)(error)
    }

    /// Whether an error is of the operation's error type.
    pub(crate) fn is_error(&self, error: &ContextError) -> bool {
        (self.is_error)(error)
    }
}

/// The input of an operation's [`Operation::prepare`], as its own type.
pub(crate) fn input<I: 'static>(input: &(dyn Any + Send + Sync)) -> Result<&I, Unprepared> {
    input.downcast_ref::<I>().ok_or_else(|| Unprepared::Unserializable("the input is of another operation".into()))
}

/// An operation's [`Operation::prepare`] from its input type's validation and serialization: the input as its own
/// type, validated as the call's configuration and its override say, then serialized. Each operation's `prepare` is
/// one call of this.
pub(crate) fn prepare<I: 'static, S: Into<BoxError>>(
    input: &(dyn Any + Send + Sync),
    config: &Config,
    config_override: Option<&ConfigOverride>,
    validate: fn(&I) -> Result<(), crate::validation::ValidationError>,
    serialize: fn(&I) -> Result<Vec<u8>, S>,
) -> Result<Vec<u8>, Unprepared> {
    let input = self::input::<I>(input)?;
    config.check_input(config_override, || validate(input)).map_err(Unprepared::Invalid)?;
    serialize(input).map_err(|e| Unprepared::Unserializable(e.into()))
}

/// A decoded output, erased, with the response's request id: what an operation's [`Operation::decode_output`]
/// returns.
pub(crate) fn output<O: SetRequestId + Send + Sync + 'static>(
    decoded: Result<O, BoxError>,
    response: &Response,
) -> Result<Erased, BoxError> {
    let mut output = decoded?;
    let request_id = response.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok());
    output.set_request_id(request_id.map(str::to_owned));
    Ok(Box::new(output))
}

/// The endpoint of one call, for an operation whose endpoint parameters depend on the call (bound from its input or
/// set for the operation by the endpoint rules' traits, or read from the credentials' account id): resolved for
/// each call, where an operation without it takes the client's endpoint, resolved once.
pub(crate) struct CallEndpoint {
    /// The rules read the credentials' account id (`AWS::Auth::AccountId`): the credentials are resolved before the
    /// endpoint, and their account id, if any, is given to `resolve`.
    pub(crate) account_id: bool,
    /// The endpoint for the call's configuration and the credentials' account id.
    #[allow(clippy::type_complexity)]
    pub(crate) resolve: Box<dyn FnOnce(&Config, Option<&str>) -> Result<Endpoint, ResolveError> + Send>,
}

impl fmt::Debug for CallEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallEndpoint").field("account_id", &self.account_id).finish_non_exhaustive()
    }
}

/// Compresses a body of at least the given size; `None` leaves it as it is.
pub(crate) type Compressor = fn(&[u8], usize) -> Option<Vec<u8>>;

/// The endpoint URL with a host prefix put before its host (`https://example.com` with `foo.` gives
/// `https://foo.example.com`). A prefix must be a sequence of DNS labels each followed by a dot.
pub(crate) fn prefixed_url(url: &str, prefix: &str) -> Result<String, String> {
    let valid = prefix.ends_with('.')
        && prefix[..prefix.len() - 1]
            .split('.')
            .all(|l| !l.is_empty() && l.len() <= 63 && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    if !valid {
        return Err(format!("host prefix `{prefix}` is not a valid host name prefix"));
    }
    let (scheme, rest) = url.split_once("://").ok_or_else(|| format!("endpoint URL `{url}` has no scheme"))?;
    Ok(format!("{scheme}://{prefix}{rest}"))
}

/// Shared by every clone of a client.
#[derive(Debug)]
pub(crate) struct Handle {
    pub(crate) config: Config,
    pub(crate) transport: Transport,
    pub(crate) sleep: SharedAsyncSleep,
    /// Whether `sleep` is tokio's (none was configured): the attempt timeout is then tokio's timeout on the attempt's
    /// future, without the boxed sleep of [`SharedAsyncSleep`].
    tokio_sleep: bool,
    pub(crate) service: &'static ServiceInfo,
    /// The `User-Agent`: the crate's, then the configured application name.
    pub(crate) user_agent: String,
    /// The retry quota and, in adaptive mode, the rate limiter (shared with requests that override the
    /// configuration).
    pub(crate) retries: Arc<Retries>,
    /// Where calls without a host prefix go, resolved at the first one that could resolve it: a handle's
    /// configuration does not change, so neither do its endpoint, URI, `host` and `User-Agent`.
    target: OnceLock<Target>,
    /// The signing identity made from the first credentials signed with, used (borrowed, not cloned: no reference
    /// count shared by every call is written) while the credentials provider keeps giving the same credentials
    /// (the signer reads only the keys, the session token and the expiry, which is what credentials are compared
    /// on).
    first_identity: OnceLock<(Credentials, Identity)>,
    /// The same for the credentials last signed with, once they are not the first ones.
    identity: Mutex<Option<(Credentials, Identity)>>,
}

/// The handle of one request with an override ([`Handle::overridden`]), boxed: an operation's future keeps it while
/// the request is sent, and a handle inline (a configuration, a transport) would make every call's future, which is
/// copied as it is made and moved into the one awaiting it, larger by over a kilobyte, whether or not it overrides.
pub(crate) struct Overridden(Option<Box<Handle>>);

impl Overridden {
    /// The request's own handle, if its override made one.
    #[allow(clippy::should_implement_trait)] // Named as `Option::as_ref`, which the generated operations call.
    pub(crate) fn as_ref(&self) -> Option<&Handle> {
        self.0.as_deref()
    }
}

/// Where a call's requests go, and the header values that follow from it.
#[derive(Debug, Clone)]
struct Target {
    /// The protocol's path the URI was made for.
    path: &'static str,
    /// The endpoint URL with the protocol's path.
    uri: http::Uri,
    /// The URI as text, as the signature reads it (`uri.to_string()`, made once).
    uri_text: String,
    /// The URI's `host:port`, as the `host` header.
    host: http::HeaderValue,
    /// The `User-Agent`.
    user_agent: http::HeaderValue,
    /// The endpoint URL's host (with the host prefix, if any), as the logs name it: [`url_host`], made once.
    log_host: String,
}

/// The target of one call: the handle's, kept, or one made for the call (boxed: the attempt loop's future holds
/// this, and the kept one is the usual case).
enum CallTarget<'a> {
    Kept(&'a Target),
    Made(Box<Target>),
}

impl std::ops::Deref for CallTarget<'_> {
    type Target = Target;

    fn deref(&self) -> &Target {
        match self {
            CallTarget::Kept(target) => target,
            CallTarget::Made(target) => target,
        }
    }
}

impl Handle {
    /// A client's shared state: the configuration (with the service-specific endpoint applied when its endpoint
    /// was not set by hand) and its transport: the configured HTTP client (aws-config's, for a configuration built
    /// from an `SdkConfig`) or the default one, for the configured timeouts.
    pub(crate) fn new(config: Config, service: &'static ServiceInfo) -> Self {
        let config = config.for_service(service.sdk_id);
        let sleep = config
            .sleep_impl
            .clone()
            .or_else(aws_smithy_async::rt::sleep::default_async_sleep)
            .unwrap_or_else(|| SharedAsyncSleep::new(aws_smithy_async::rt::sleep::TokioSleep::new()));
        let transport = Self::transport(&config, &sleep);
        let user_agent = Self::user_agent(&config, service);
        let retries = Arc::new(Retries::new(&config.retry, &config.time_source));
        let tokio_sleep = config.sleep_impl.is_none();
        Handle {
            config,
            transport,
            sleep,
            tokio_sleep,
            service,
            user_agent,
            retries,
            target: OnceLock::new(),
            first_identity: OnceLock::new(),
            identity: Mutex::default(),
        }
    }

    /// The transport for a configuration: its HTTP client, or the default one, for its timeouts.
    fn transport(config: &Config, sleep: &SharedAsyncSleep) -> Transport {
        let mut settings = crate::http::HttpConnectorSettings::builder();
        settings.set_connect_timeout(config.timeouts.connect_timeout());
        settings.set_read_timeout(config.timeouts.read_timeout());
        let client = config.http_client.as_ref();
        Transport::new(client, &settings.build(), sleep.clone(), config.time_source.clone(), config.max_response_size)
    }

    /// The `User-Agent`: the crate's, then the configured application name.
    fn user_agent(config: &Config, service: &ServiceInfo) -> String {
        match &config.app_name {
            Some(app) => format!("{} app/{app}", service.user_agent),
            None => service.user_agent.to_owned(),
        }
    }

    /// The handle of one request whose override changes settings of the configuration (a `config::Builder` given
    /// to `config_override`, or interceptors): `None` when it changes none, and the client's handle serves. The
    /// request keeps the client's retry quota and rate limiter unless it changes the retry mode, and the client's
    /// transport unless it changes the HTTP client, the timeouts, the sleep, the time source or the response size
    /// limit.
    pub(crate) fn overridden(&self, config_override: Option<&ConfigOverride>) -> Overridden {
        Overridden(self.overridden_handle(config_override).map(Box::new))
    }

    fn overridden_handle(&self, config_override: Option<&ConfigOverride>) -> Option<Handle> {
        let settings = config_override?.settings()?;
        let config = self.config.overridden(settings);
        let sleep = config.sleep_impl.clone().unwrap_or_else(|| self.sleep.clone());
        let transport = if Config::transport_overridden(settings) {
            Self::transport(&config, &sleep)
        } else {
            self.transport.clone()
        };
        let retries = if config.retry.mode() == self.config.retry.mode() {
            self.retries.clone()
        } else {
            Arc::new(Retries::new(&config.retry, &config.time_source))
        };
        let user_agent = Self::user_agent(&config, self.service);
        let tokio_sleep = config.sleep_impl.is_none();
        Some(Handle {
            config,
            transport,
            sleep,
            tokio_sleep,
            service: self.service,
            user_agent,
            retries,
            target: OnceLock::new(),
            first_identity: OnceLock::new(),
            identity: Mutex::default(),
        })
    }

    /// The signing identity of these credentials: the one made before when they are the credentials it was made from.
    fn identity(&self, credentials: Credentials) -> Identity {
        let mut slot = self.identity.lock().unwrap_or_else(PoisonError::into_inner);
        match &*slot {
            Some((made_from, identity)) if *made_from == credentials => identity.clone(),
            _ => {
                let identity = Identity::from(credentials.clone());
                *slot = Some((credentials, identity.clone()));
                identity
            }
        }
    }

    /// Where a call with this host prefix goes, for the protocol's `path`: resolved once and kept when there is no
    /// prefix (and the path is the one it was made for), else resolved for the call.
    fn target(&self, host_prefix: Option<&str>, path: &'static str) -> Result<CallTarget<'_>, BoxError> {
        if host_prefix.is_none() {
            if let Some(target) = self.target.get().filter(|t| t.path == path) {
                return Ok(CallTarget::Kept(target));
            }
        }
        let endpoint = (self.service.resolve_endpoint)(&self.config)?;
        let target = self.target_at(&endpoint, host_prefix, path)?;
        if host_prefix.is_some() {
            return Ok(CallTarget::Made(Box::new(target)));
        }
        let _ = self.target.set(target.clone());
        Ok(CallTarget::Made(Box::new(target)))
    }

    /// Where a call goes with the endpoint its own parameters give: the credentials are resolved first when the
    /// rules read their account id. Never kept: the next call may bind other values.
    async fn call_target(
        &self,
        call: CallEndpoint,
        host_prefix: Option<&str>,
        path: &'static str,
    ) -> Result<Target, BoxError> {
        let account_id = if call.account_id {
            let credentials = self.config.credentials.provide_credentials().await.map_err(|e| {
                tracing::debug!(error = %aws_smithy_types::error::display::DisplayErrorContext(&e), "no credentials");
                BoxError::from(e)
            })?;
            credentials.account_id().map(|a| a.as_str().to_owned())
        } else {
            None
        };
        let endpoint = (call.resolve)(&self.config, account_id.as_deref())?;
        self.target_at(&endpoint, host_prefix, path)
    }

    /// The target for a resolved endpoint, the host prefix and the protocol's path.
    fn target_at(
        &self,
        endpoint: &Endpoint,
        host_prefix: Option<&str>,
        path: &'static str,
    ) -> Result<Target, BoxError> {
        let url = match host_prefix {
            Some(prefix) => prefixed_url(endpoint.url(), prefix)?,
            None => endpoint.url().to_owned(),
        };
        let full_url = format!("{}{}", url.trim_end_matches('/'), path);
        let uri: http::Uri = full_url.parse().map_err(|e| unbuildable(format!("invalid endpoint URL `{url}`: {e}")))?;
        let Some(authority) = uri.authority() else {
            return Err(unbuildable(format!("endpoint URL `{url}` has no host")));
        };
        let host = http::HeaderValue::from_str(authority.as_str()).map_err(|e| unbuildable(e.to_string()))?;
        let user_agent = http::HeaderValue::from_str(&self.user_agent).map_err(|e| unbuildable(e.to_string()))?;
        let uri_text = uri.to_string();
        let log_host = url_host(&url).to_owned();
        Ok(Target { path, uri, uri_text, host, user_agent, log_host })
    }
}

/// Error codes that mean "slow down" (retried).
const THROTTLING: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes that mean a transient failure (retried).
const TRANSIENT: &[&str] =
    &["RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure", "ServiceUnavailable"];

/// Whether an error response is worth another attempt: throttling, transient codes, HTTP 429 and 5xx gateway errors.
pub(crate) fn is_retryable(meta: &ErrorResponse) -> bool {
    let code = meta.code().unwrap_or("");
    is_throttling(meta) || TRANSIENT.contains(&code) || matches!(meta.status(), 500 | 502 | 503 | 504)
}

/// Whether an error response says to slow down: a throttling code, or HTTP 429.
pub(crate) fn is_throttling(meta: &ErrorResponse) -> bool {
    THROTTLING.contains(&meta.code().unwrap_or("")) || meta.status() == 429
}

/// How an error response failed, for the retry strategy.
fn failure(meta: &ErrorResponse) -> Failure {
    if is_throttling(meta) {
        Failure::Throttling
    } else if is_retryable(meta) {
        Failure::Transient
    } else {
        Failure::Final
    }
}

/// A fresh idempotency token: a random (version 4) UUID, for members with `@idempotencyToken` left empty.
#[allow(dead_code)] // Used only by models with idempotency tokens.
pub(crate) fn idempotency_token() -> String {
    String::from_utf8_lossy(&random_uuid()).into_owned()
}

/// A random (version 4) UUID in its text form (`8-4-4-4-12` lower-case hexadecimal digits), without allocating.
pub(crate) fn random_uuid() -> [u8; 36] {
    // Version 4 in the top four bits of the seventh byte, the RFC 4122 variant (`10`) in the top two of the ninth.
    let bits = fastrand::u128(..) & !(0xf << 76) & !(0x3 << 62) | (0x4 << 76) | (0x2 << 62);
    let mut digits = [0u8; 32];
    for (i, chunk) in digits.chunks_exact_mut(8).enumerate() {
        chunk.copy_from_slice(&hex_digits((bits >> (96 - 32 * i)) as u32));
    }
    let mut text = [b'-'; 36];
    for (from, to) in [(0..8, 0), (8..12, 9), (12..16, 14), (16..20, 19), (20..32, 24)] {
        text[to..to + from.len()].copy_from_slice(&digits[from]);
    }
    text
}

/// The eight lower-case hexadecimal digits of `x`, most significant first, computed a word at a time: each nibble is
/// spread into a byte of its own, then every byte is turned into its digit at once (`'0'` added, and `'a' - '0' -
/// 10` more where the nibble is 10 or over, which adding 6 carries into the byte's fifth bit).
pub(crate) fn hex_digits(x: u32) -> [u8; 8] {
    let x = u64::from(x);
    let mut v = ((x & 0xffff_0000) << 16) | (x & 0xffff);
    v = ((v & 0x0000_ff00_0000_ff00) << 8) | (v & 0x0000_00ff_0000_00ff);
    v = ((v & 0x00f0_00f0_00f0_00f0) << 4) | (v & 0x000f_000f_000f_000f);
    let letters = ((v + 0x0606_0606_0606_0606) >> 4) & 0x0101_0101_0101_0101;
    (v + 0x3030_3030_3030_3030 + letters * (u64::from(b'a' - b'0') - 10)).to_be_bytes()
}

/// Why a request could not be built (a construction failure). Not generic over the operation's error, so that one
/// copy of the request building serves every operation.
fn unbuildable(message: impl Into<String>) -> BoxError {
    message.into().into()
}

/// An attempt, or the whole call, ran out of time.
#[derive(Debug)]
struct TimedOut {
    what: &'static str,
    after: Duration,
}

impl fmt::Display for TimedOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the {} timed out after {:?}", self.what, self.after)
    }
}

impl std::error::Error for TimedOut {}

/// The headers a request gets besides the protocol's: `user-agent`, `host`, `content-length`, the signature's
/// (`x-amz-date`, `authorization`, `x-amz-security-token`) and the attempt's (`amz-sdk-invocation-id`,
/// `amz-sdk-request`): room is made for them at once.
pub(crate) const ADDED_HEADERS: usize = 8;

/// `content-encoding: gzip`, the header of a compressed body.
const GZIP: (http::HeaderName, http::HeaderValue) =
    (http::header::CONTENT_ENCODING, http::HeaderValue::from_static("gzip"));

/// The request the attempts of a call send (signed, with the attempt's headers, for each).
enum Base {
    /// Without interceptors: the first attempt sends this request (made with room for the headers it gets), and a
    /// later one makes it again from the protocol's headers for the operation and the body (kept, shared), rather
    /// than every call copying a base request's headers into each attempt's map.
    Own { first: Option<http::Request<bytes::Bytes>>, body: bytes::Bytes, gzip: bool },
    /// With interceptors: the request as `modify_before_retry_loop` left it, which each attempt copies
    /// ([`attempt_request`]).
    Copied(http::Request<bytes::Bytes>),
}

/// The protocol's request as HTTP, before signing, with this body (the protocol's own is not read), its header map
/// with room for the protocol's headers and `room` more, at least the `user-agent` ([`ADDED_HEADERS`] for a
/// request that is signed and sent as it is).
fn http_request(
    target: &Target,
    unsigned: UnsignedRequest,
    body: bytes::Bytes,
    room: usize,
) -> Result<http::Request<bytes::Bytes>, BoxError> {
    let mut request = http::Request::new(body);
    *request.method_mut() =
        http::Method::from_bytes(unsigned.method.as_bytes()).map_err(|e| unbuildable(e.to_string()))?;
    *request.uri_mut() = target.uri.clone();
    let headers = request.headers_mut();
    // The protocol's headers and the `user-agent`.
    headers.reserve(unsigned.headers.len() + room.max(1));
    for (name, value) in unsigned.headers {
        headers.append(name, value);
    }
    headers.append(http::header::USER_AGENT, target.user_agent.clone());
    Ok(request)
}

/// A copy of the request for one attempt, its header map with room for the headers signing and the attempt add (a
/// clone's map has room only for the headers it has, and grows as they are added).
pub(crate) fn attempt_request(base: &http::Request<bytes::Bytes>) -> http::Request<bytes::Bytes> {
    let mut request = http::Request::new(base.body().clone());
    *request.method_mut() = base.method().clone();
    *request.uri_mut() = base.uri().clone();
    *request.version_mut() = base.version();
    *request.extensions_mut() = base.extensions().clone();
    let headers = request.headers_mut();
    headers.reserve(base.headers().len() + ADDED_HEADERS);
    for (name, value) in base.headers() {
        headers.append(name.clone(), value.clone());
    }
    request
}

/// Sign a request for one attempt, as it is (an interceptor may have changed it): its `host` and `content-length`
/// are set from its URI and body first (the `host` is the target's when the URI still has the target's host).
async fn sign(handle: &Handle, target: &Target, request: &mut http::Request<bytes::Bytes>) -> Result<(), BoxError> {
    let config = &handle.config;
    let region = config.region.as_ref().ok_or_else(|| unbuildable("no region is configured"))?;
    let credentials = config.credentials.provide_credentials().await.map_err(|e| {
        tracing::debug!(error = %aws_smithy_types::error::display::DisplayErrorContext(&e), "no credentials");
        BoxError::from(e)
    })?;
    sign_with(handle, target, request, region, credentials)
}

/// [`sign`]'s work once the credentials are there. Not inlined: its locals (the signer's parameters and
/// instructions) would otherwise sit in the stack frame of every poll of the attempt loop's future.
#[inline(never)]
fn sign_with(
    handle: &Handle,
    target: &Target,
    request: &mut http::Request<bytes::Bytes>,
    region: &aws_types::region::Region,
    credentials: Credentials,
) -> Result<(), BoxError> {
    let config = &handle.config;
    let authority =
        request.uri().authority().ok_or_else(|| unbuildable(format!("request URI `{}` has no host", request.uri())))?;
    let host = if target.uri.authority().is_some_and(|a| same_authority(a, authority)) {
        target.host.clone()
    } else {
        http::HeaderValue::from_str(authority.as_str()).map_err(|e| unbuildable(e.to_string()))?
    };
    request.headers_mut().insert(http::header::HOST, host);
    let length = request.body().len();
    request.headers_mut().insert(http::header::CONTENT_LENGTH, length.into());

    let later;
    let identity =
        match handle.first_identity.get_or_init(|| (credentials.clone(), Identity::from(credentials.clone()))) {
            (first, identity) if *first == credentials => identity,
            _ => {
                later = handle.identity(credentials);
                &later
            }
        };
    let settings = aws_sigv4::http_request::SigningSettings::default();
    let unsigned = unsigned_headers();
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(identity)
        .region(region.as_ref())
        .name(handle.service.signing_name)
        .time(config.time_source.now())
        .settings(settings)
        .build()
        .map_err(|e| unbuildable(format!("cannot sign: {e}")))?
        .into();
    // The target's text when an interceptor left the URI alone: no URI is formatted per attempt.
    let url = if same_uri(request.uri(), &target.uri) {
        Cow::Borrowed(target.uri_text.as_str())
    } else {
        Cow::Owned(request.uri().to_string())
    };
    // The headers the signer leaves out anyway (`user-agent`) are not handed to it: it would copy and normalize them
    // only to drop them.
    let headers = request
        .headers()
        .iter()
        .filter(|(k, _)| !unsigned.contains(k))
        .map(|(k, v)| (k.as_str(), v.to_str().unwrap_or_default()));
    let signable = aws_sigv4::http_request::SignableRequest::new(
        request.method().as_str(),
        url,
        headers,
        aws_sigv4::http_request::SignableBody::Bytes(request.body()),
    )
    .map_err(|e| unbuildable(format!("cannot sign: {e}")))?;
    let (instructions, _signature) = aws_sigv4::http_request::sign(signable, &params)
        .map_err(|e| unbuildable(format!("cannot sign: {e}")))?
        .into_parts();
    instructions.apply_to_request_http1x(request);
    Ok(())
}

/// The headers aws-sigv4's default settings leave out of the signature (`authorization`, `user-agent`,
/// `x-amzn-trace-id`, `transfer-encoding`), read from those settings once.
fn unsigned_headers() -> &'static [http::HeaderName] {
    static UNSIGNED: OnceLock<Vec<http::HeaderName>> = OnceLock::new();
    UNSIGNED.get_or_init(|| {
        let settings = aws_sigv4::http_request::SigningSettings::default();
        let names = settings.excluded_headers.unwrap_or_default();
        names.iter().filter_map(|n| http::HeaderName::from_bytes(n.as_bytes()).ok()).collect()
    })
}

/// Whether two URIs are equal; a clone of the target's URI (the text of both shares one buffer) is seen at once.
fn same_uri(a: &http::Uri, b: &http::Uri) -> bool {
    let (pa, pb) = (a.path_and_query().map(|p| p.as_str()), b.path_and_query().map(|p| p.as_str()));
    let shared = |x: Option<&str>, y: Option<&str>| match (x, y) {
        (Some(x), Some(y)) => std::ptr::eq(x, y),
        (None, None) => true,
        _ => false,
    };
    let authorities = shared(a.authority().map(|x| x.as_str()), b.authority().map(|x| x.as_str()));
    (authorities && shared(pa, pb) && a.scheme() == b.scheme()) || a == b
}

/// Whether two authorities are equal, as [`same_uri`]: the same text in memory is seen at once.
fn same_authority(a: &http::uri::Authority, b: &http::uri::Authority) -> bool {
    std::ptr::eq(a.as_str(), b.as_str()) || a == b
}

enum Attempt {
    Response(Response),
    Timeout(Duration),
    Transport(ConnectorError),
}

impl Attempt {
    /// How an attempt the transport finished ended.
    fn sent(sent: Result<Response, ConnectorError>) -> Attempt {
        match sent {
            Ok(response) => Attempt::Response(response),
            Err(e) => Attempt::Transport(e),
        }
    }
}

/// Whether a transport failure is worth another attempt: I/O failures, the transport's own timeouts, and failures
/// it calls transient.
fn is_transient(e: &ConnectorError) -> bool {
    use aws_smithy_types::retry::ErrorKind;
    e.is_io() || e.is_timeout() || matches!(e.as_other(), Some(ErrorKind::TransientError | ErrorKind::ServerError))
}

/// The host of an endpoint URL, for logs (never the path or query).
pub(crate) fn url_host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#']).next().unwrap_or(rest)
}

/// Why an input was not sent: an operation's [`Operation::prepare`] errors.
#[derive(Debug)]
pub(crate) enum Unprepared {
    /// The input breaks the model's constraints.
    Invalid(crate::validation::ValidationError),
    /// The input could not be serialized.
    Unserializable(BoxError),
}

impl Unprepared {
    /// The error of the call.
    fn into_sdk_error<E>(self) -> SdkError<E> {
        match self {
            Unprepared::Invalid(e) => SdkError::Validation(e),
            Unprepared::Unserializable(e) => SdkError::construction_failure(e),
        }
    }
}

/// One call of an operation, as its sending function hands it to [`invoke`].
#[derive(Debug)]
pub(crate) struct Call {
    /// The client's shared state.
    pub(crate) handle: Arc<Handle>,
    /// Settings for this call only.
    pub(crate) config_override: Option<ConfigOverride>,
    /// The input, of the operation's input type.
    pub(crate) input: Erased,
    /// `@endpoint`'s host prefix for this call (labels already filled in), put before the endpoint's host.
    pub(crate) host_prefix: Option<String>,
    /// How the endpoint is resolved, for an operation whose endpoint depends on the call; `None` for the client's.
    pub(crate) endpoint: Option<CallEndpoint>,
}

/// Send one call of `operation` and decode the result: [`run`], boxed and owning what it borrows, so that every
/// operation's call is this one future. Nothing is done until it is first polled.
pub(crate) fn invoke(operation: &'static Operation, call: Call) -> BoxFuture<'static, ErasedResult> {
    Box::pin(async move {
        let Call { handle, config_override, input, host_prefix, endpoint } = call;
        run(&handle, config_override.as_ref(), operation, input, host_prefix, endpoint).await
    })
}

/// Send one operation's input, which `operation.prepare` validates and serializes, and decode the result (with the
/// response's request id), in a `tracing` span named `invoke` with the service's SDK id and the operation's name. Each
/// attempt logs its endpoint host, number, status, error code, request id and the backoff chosen at debug level;
/// running out of attempts or of retry quota on a retryable failure is a warning. Credentials, signatures and bodies
/// are never logged.
///
/// The handle used is the client's, or one made for the call when its override changes settings. With interceptors
/// configured, their hooks run at each step (see the `intercept` module); without, the only cost is the check of an
/// empty list. Nothing here is generic: one copy serves every operation of the crate.
#[allow(clippy::result_large_err)] // The call's own result, as the operation returns it.
pub(crate) async fn run(
    handle: &Handle,
    config_override: Option<&ConfigOverride>,
    operation: &'static Operation,
    input: Erased,
    host_prefix: Option<String>,
    endpoint: Option<CallEndpoint>,
) -> ErasedResult {
    let overridden = handle.overridden(config_override);
    let handle = overridden.as_ref().unwrap_or(handle);
    let interceptors = &handle.config.interceptors;
    let prepare = |input: &(dyn Any + Send + Sync)| {
        (operation.prepare)(input, &handle.config, config_override).map_err(Unprepared::into_sdk_error)
    };
    let mut execution = None;
    let body = if interceptors.is_empty() {
        prepare(&*input)
    } else {
        match operation.erasure.input(input) {
            // Boxed: the interceptors' context (the request, the response, the erased input and output) would make
            // every call's future larger, and copied whole as it moves, with interceptors or without.
            Ok(input) => {
                let x = execution.insert(Box::new(Execution::new(interceptors, &handle.transport.components, input)));
                match x.before_serialization(&operation.erasure) {
                    Ok(input) => prepare(&*input),
                    Err(e) => Err(SdkError::construction_failure(e)),
                }
            }
            Err(_) => Err(SdkError::construction_failure(OTHER_OPERATION)),
        }
    };
    let result = match body {
        Ok(body) => {
            let sent = send(handle, operation, host_prefix.as_deref(), endpoint, body, execution.as_deref_mut()).await;
            decode(operation, sent)
        }
        Err(e) => Err(e),
    };
    match execution {
        Some(x) => x.complete(result, &operation.erasure),
        None => result,
    }
}

/// Why a value of an operation could not be given its type back (never, as the runtime passes each operation's
/// values only to that operation's functions).
pub(crate) const OTHER_OPERATION: &str = "a value of another operation's type";

/// The result of a call from how its attempts ended: the decoded output (with the response's request id) or error.
#[allow(clippy::result_large_err)] // The call's own result, as the operation returns it.
fn decode(operation: &Operation, sent: Result<Response, Ended>) -> ErasedResult {
    match sent {
        Ok(response) => match (operation.decode_output)(&response) {
            Ok(output) => Ok(output),
            Err(cause) => {
                let error = crate::error::DecodeError::new(operation.name, &response, cause);
                Err(SdkError::response_error(error, crate::http::raw_response(&response)))
            }
        },
        Err(Ended::Construction(e)) => Err(SdkError::construction_failure(e)),
        Err(Ended::Timeout(e)) => Err(SdkError::timeout_error(e)),
        Err(Ended::Dispatch(e)) => Err(SdkError::dispatch_failure(e)),
        Err(Ended::Service(last)) => {
            let (meta, response) = *last;
            let err = (operation.decode_error)(meta, response.body());
            Err(SdkError::service_error(err, crate::http::raw_response(&response)))
        }
        Err(Ended::Rejected(rejected)) => {
            Err(SdkError::response_error(rejected.error, crate::http::raw_response(&rejected.response)))
        }
    }
}

/// `x-amzn-requestid`, the request id of a response (a constant: no header name is parsed per call).
const REQUEST_ID: http::HeaderName = http::HeaderName::from_static("x-amzn-requestid");

/// How a call ended other than with a successful (2xx) response, before the operation's error is decoded.
enum Ended {
    Construction(BoxError),
    Timeout(TimedOut),
    Dispatch(ConnectorError),
    /// The last error response, with what the protocol read from it (boxed: the rare, large case).
    Service(Box<(ErrorResponse, Response)>),
    /// An interceptor failed on a response.
    Rejected(Box<crate::intercept::Rejected>),
}

/// An interceptor failed before the request was sent: a dispatch failure, as in aws-sdk-rust.
fn intercepted(error: BoxError) -> Ended {
    Ended::Dispatch(ConnectorError::other(error, None))
}

/// The attempts of one call, under the operation timeout: the successful response, or how the call ended.
async fn send(
    handle: &Handle,
    operation: &'static Operation,
    host_prefix: Option<&str>,
    endpoint: Option<CallEndpoint>,
    body: Vec<u8>,
    execution: Option<&mut Execution<'_>>,
) -> Result<Response, Ended> {
    use tracing::Instrument as _;
    let span = tracing::info_span!("invoke", service = handle.service.sdk_id, operation = operation.name);
    // Boxed: the attempts' future (the transport's within) is about 1.6 KB, and a future that held it inline would
    // be copied whole as it is made, wrapped (span, timeout) and moved into the one that awaits it, at each level
    // from here up to the caller's task; one allocation costs less than those copies.
    let call = Box::pin(attempts(handle, operation, host_prefix, endpoint, body, execution));
    match handle.config.timeouts.operation_timeout() {
        Some(limit) => {
            let call = aws_smithy_async::future::timeout::Timeout::new(call, handle.sleep.sleep(limit));
            match call.instrument(span).await {
                Ok(result) => result,
                Err(_) => {
                    tracing::warn!(timeout = ?limit, "operation timed out");
                    Err(Ended::Timeout(TimedOut { what: "operation", after: limit }))
                }
            }
        }
        None => call.instrument(span).await,
    }
}

async fn attempts(
    handle: &Handle,
    operation: &'static Operation,
    host_prefix: Option<&str>,
    endpoint: Option<CallEndpoint>,
    body: Vec<u8>,
    mut execution: Option<&mut Execution<'_>>,
) -> Result<Response, Ended> {
    let config = &handle.config;
    let service = handle.service;
    let mut unsigned = service.protocol.request(operation, body).map_err(Ended::Construction)?;
    let target = match endpoint {
        None => handle.target(host_prefix, unsigned.path).map_err(Ended::Construction)?,
        Some(call) => {
            let target = handle.call_target(call, host_prefix, unsigned.path).await.map_err(Ended::Construction)?;
            CallTarget::Made(Box::new(target))
        }
    };
    let host = target.log_host.as_str();
    let mut gzip = false;
    if let (Some(compress), Some(min)) = (operation.compress, config.request_min_compression_size()) {
        if let Some(compressed) = compress(&unsigned.body, min) {
            unsigned.body = compressed;
            unsigned.headers.push(GZIP);
            gzip = true;
        }
    }
    let body = bytes::Bytes::from(std::mem::take(&mut unsigned.body));
    let mut base = match execution.as_deref_mut() {
        None => {
            let first = http_request(&target, unsigned, body.clone(), ADDED_HEADERS).map_err(Ended::Construction)?;
            Base::Own { first: Some(first), body, gzip }
        }
        Some(x) => {
            let base = http_request(&target, unsigned, body, 1).map_err(Ended::Construction)?;
            // The interceptors' hooks are boxed, here and below: made only with interceptors, their futures (each
            // holding a request or a response) would make the state of every call's attempt loop larger.
            Base::Copied(Box::pin(x.before_retry_loop(base)).await.map_err(intercepted)?)
        }
    };
    let max_attempts = config.retry.max_attempts();
    let mut retry = handle.retries.call(&config.retry, &config.time_source, config.timeouts.read_timeout());
    loop {
        retry.ready(&handle.sleep).await;
        let mut request = match &mut base {
            Base::Copied(base) => attempt_request(base),
            Base::Own { first, body, gzip } => match first.take() {
                Some(first) => first,
                None => {
                    let mut again = service.protocol.request(operation, Vec::new()).map_err(Ended::Construction)?;
                    if *gzip {
                        again.headers.push(GZIP);
                    }
                    http_request(&target, again, body.clone(), ADDED_HEADERS).map_err(Ended::Construction)?
                }
            },
        };
        if let Some(x) = execution.as_deref_mut() {
            request = Box::pin(x.before_signing(request)).await.map_err(intercepted)?;
        }
        sign(handle, &target, &mut request).await.map_err(Ended::Construction)?;
        let connection = retry.before_transmit(&mut request, handle.transport.needs_capture());
        if let Some(x) = execution.as_deref_mut() {
            request = Box::pin(x.before_transmit(request)).await.map_err(intercepted)?;
        }
        let attempt_no = retry.attempt();
        tracing::trace!(endpoint = host, attempt = attempt_no, max_attempts, "sending request");
        // The transport's future is made in each arm, straight into what awaits it (the request moved in), so that it
        // takes room in this future's state once, not again as a local or as the argument of a function awaited here.
        let send = |request, connection| handle.transport.send(request, connection);
        let mut outcome = match config.timeouts.operation_attempt_timeout() {
            Some(limit) if handle.tokio_sleep => match tokio::time::timeout(limit, send(request, connection)).await {
                Ok(sent) => Attempt::sent(sent),
                Err(_) => Attempt::Timeout(limit),
            },
            Some(limit) => match aws_smithy_async::future::timeout::Timeout::new(
                send(request, connection),
                handle.sleep.sleep(limit),
            )
            .await
            {
                Ok(sent) => Attempt::sent(sent),
                Err(_) => Attempt::Timeout(limit),
            },
            None => Attempt::sent(send(request, connection).await),
        };
        if let Some(x) = execution.as_deref_mut() {
            if let Attempt::Response(response) = outcome {
                let response = Box::pin(x.after_transmit(response, config.max_response_size)).await;
                outcome = Attempt::Response(response.map_err(|r| Ended::Rejected(Box::new(r)))?);
            }
        }
        let backoff = match outcome {
            Attempt::Timeout(after) => {
                tracing::debug!(endpoint = host, attempt = attempt_no, timeout = ?after, "attempt timed out");
                match retry.failed(Failure::Timeout) {
                    Ok(backoff) => backoff,
                    Err(stop) => {
                        stopped(stop, attempt_no, "timeout");
                        return Err(Ended::Timeout(TimedOut { what: "attempt", after }));
                    }
                }
            }
            Attempt::Transport(e) => {
                let error = aws_smithy_types::error::display::DisplayErrorContext(&e);
                tracing::debug!(endpoint = host, attempt = attempt_no, error = %error, "attempt failed to send");
                let failure = if !is_transient(&e) {
                    Failure::Final
                } else if e.is_timeout() {
                    Failure::Timeout
                } else {
                    Failure::Transient
                };
                match retry.failed(failure) {
                    Ok(backoff) => backoff,
                    Err(stop) => {
                        stopped(stop, attempt_no, "transport error");
                        return Err(Ended::Dispatch(e));
                    }
                }
            }
            Attempt::Response(response) => {
                let status = response.status().as_u16();
                if (200..300).contains(&status) {
                    retry.succeeded();
                    tracing::debug!(
                        endpoint = host,
                        attempt = attempt_no,
                        status,
                        request_id = header(&response, "x-amzn-requestid"),
                        "response received"
                    );
                    return Ok(response);
                }
                let meta = service.protocol.error_metadata(&response);
                let failure = failure(&meta);
                tracing::debug!(
                    endpoint = host,
                    attempt = attempt_no,
                    status,
                    error_code = meta.code(),
                    request_id = meta.request_id(),
                    retryable = failure != Failure::Final,
                    "error response received"
                );
                match retry.failed_response(failure, &response) {
                    Ok(backoff) => backoff,
                    Err(stop) => {
                        stopped(stop, attempt_no, meta.code().unwrap_or("error response"));
                        return Err(Ended::Service(Box::new((meta, response))));
                    }
                }
            }
        };
        tracing::debug!(attempt = attempt_no, backoff = ?backoff, "retrying after backoff");
        handle.sleep.sleep(backoff).await;
    }
}

/// The warning when the call ends on a failure that would have been retried, with the reason: `max attempts`, or
/// `retry quota` (spent).
fn stopped(stop: Stop, attempts: u32, last_error: &str) {
    let reason = match stop {
        Stop::NotRetryable => return,
        Stop::OutOfAttempts => "max attempts",
        Stop::OutOfQuota => "retry quota",
    };
    tracing::warn!(attempts, last_error, reason, "retries exhausted");
}
