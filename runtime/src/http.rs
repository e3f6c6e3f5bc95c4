//! The transport: aws-sdk-rust's HTTP client interface ([`HttpClient`]), so that the client aws-config built (and
//! anything else written for aws-sdk-rust, test doubles included) sends this crate's requests too, and a default
//! implementation on hyper with rustls (feature `rustls`, on by default) for programs without aws-config.

use std::error::Error as StdError;
use std::fmt;
use std::pin::Pin;
#[cfg(feature = "rustls")]
use std::sync::{Arc, Mutex, PoisonError};
#[cfg(feature = "rustls")]
use std::time::Duration;

use aws_smithy_async::rt::sleep::SharedAsyncSleep;
use aws_smithy_async::time::SharedTimeSource;
use aws_smithy_runtime_api::client::connection::CaptureSmithyConnection;
pub use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient, SharedHttpConnector,
};
pub use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
pub use aws_smithy_runtime_api::client::result::ConnectorError;
pub use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponentsBuilder;
/// The status of an [`HttpResponse`] (aws-smithy-runtime-api's, as aws-sdk-rust uses it): a test's raw answer is
/// `HttpResponse::new(StatusCode::try_from(400).unwrap(), SdkBody::from(".."))`.
pub use aws_smithy_runtime_api::http::StatusCode;
pub use aws_smithy_types::body::SdkBody;
use bytes::Bytes;
#[cfg(feature = "rustls")]
use http_body_util::Full;

use crate::error::BoxError;

/// The default of [`max_response_size`](crate::config::Builder::max_response_size): 64 MiB.
pub const DEFAULT_MAX_RESPONSE_SIZE: usize = 64 * 1024 * 1024;

/// A response read whole: its body is the one buffer every later step (decoding, the raw response of an error)
/// shares.
pub(crate) type Response = http::Response<Bytes>;

/// A header of a response, if it is there and is text.
pub(crate) fn header<'a>(response: &'a Response, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

/// A configured [`HttpClient`] ready to send: its connector for the configured timeouts, and what the connector is
/// given (sleep and time source). Requests and responses are whole bodies.
#[derive(Debug, Clone)]
pub(crate) struct Transport {
    connector: Connector,
    max_response_size: usize,
    /// What the connector was given, and interceptors are.
    pub(crate) components: RuntimeComponents,
}

/// Where a [`Transport`] sends: a configured client's connector, through aws-smithy-runtime-api's request and
/// response types, or the default transport called with `http` types directly (the same client, without the
/// conversions: the hot path of a client built without an HTTP client).
#[derive(Debug, Clone)]
enum Connector {
    Shared(SharedHttpConnector),
    #[cfg(feature = "rustls")]
    Hyper(HyperConnector),
}

impl Transport {
    /// The connector of `client` (the default transport when `None`) for these settings; responses longer than
    /// `max_response_size` bytes fail.
    pub(crate) fn new(
        client: Option<&SharedHttpClient>,
        settings: &HttpConnectorSettings,
        sleep: SharedAsyncSleep,
        time: SharedTimeSource,
        max_response_size: usize,
    ) -> Self {
        let components = components(sleep, time);
        let connector = match client {
            Some(client) => Connector::Shared(client.http_connector(settings, &components)),
            #[cfg(feature = "rustls")]
            None => Connector::Hyper(HyperConnector::new(settings.connect_timeout(), settings.read_timeout())),
            #[cfg(not(feature = "rustls"))]
            None => Connector::Shared(default_client().http_connector(settings, &components)),
        };
        Transport { connector, max_response_size, components }
    }

    /// Whether the connection a request goes out on is known only by a capture the request carries (a configured
    /// client's connector), not from the response (the default transport's responses carry a
    /// [`ConnectionPoison`]).
    pub(crate) fn needs_capture(&self) -> bool {
        matches!(self.connector, Connector::Shared(_))
    }

    /// Send a request and read its whole response into one buffer (see [`read_body`]). A `connection` capture goes
    /// with the request, for the client to say which connection it used.
    ///
    /// Not an `async fn`, and the default transport's exchange is not awaited in one: the request moves straight
    /// into its client's future, and the reading of the response takes the exchange's room once it is done, where an
    /// `async` block would keep the exchange it awaits beside the one it was given.
    pub(crate) fn send(
        &self,
        request: http::Request<Bytes>,
        connection: Option<CaptureSmithyConnection>,
    ) -> impl std::future::Future<Output = Result<Response, ConnectorError>> + Send + '_ {
        let limit = self.max_response_size;
        #[cfg(not(feature = "rustls"))]
        let Connector::Shared(connector) = &self.connector;
        #[cfg(not(feature = "rustls"))]
        return send_shared(connector, request, connection, limit);
        #[cfg(feature = "rustls")]
        use futures_util::future::{Either, TryFutureExt as _};
        #[cfg(feature = "rustls")]
        match &self.connector {
            #[cfg(feature = "rustls")]
            Connector::Hyper(hyper) => Either::Left(
                hyper
                    .send_http(request.map(Full::new), connection)
                    .and_then(move |response| read_whole(response, limit)),
            ),
            Connector::Shared(connector) => Either::Right(send_shared(connector, request, connection, limit)),
        }
    }
}

/// [`Transport::send`] through a configured client's connector: the request as aws-smithy-runtime-api's, the
/// response back as `http`'s. Not an `async fn`, for the reason `send` is not.
fn send_shared(
    connector: &SharedHttpConnector,
    request: http::Request<Bytes>,
    connection: Option<CaptureSmithyConnection>,
    limit: usize,
) -> impl std::future::Future<Output = Result<Response, ConnectorError>> + Send {
    use futures_util::future::{ready, Either, TryFutureExt as _};
    let mut request = match HttpRequest::try_from(request.map(SdkBody::from)) {
        Ok(request) => request,
        Err(e) => return Either::Left(ready(Err(ConnectorError::user(e.into())))),
    };
    if let Some(connection) = connection {
        request.add_extension(connection);
    }
    Either::Right(connector.call(request).and_then(move |response| match response.try_into_http1x() {
        Ok(response) => Either::Right(read_whole(response, limit)),
        Err(e) => Either::Left(ready(Err(ConnectorError::other(e.into(), None)))),
    }))
}

/// A response with its body read whole (see [`read_body`]).
fn read_whole<B>(response: http::Response<B>, limit: usize) -> ReadWhole<B>
where
    B: http_body::Body<Data = Bytes> + Unpin,
    B::Error: Into<BoxError>,
{
    let (parts, body) = response.into_parts();
    let body = read_body(body, declared_length(&parts), limit);
    ReadWhole { parts: Some(parts), body }
}

/// The future of [`read_whole`]: the response's head, kept until its body is read.
pub(crate) struct ReadWhole<B> {
    parts: Option<http::response::Parts>,
    body: ReadBody<B>,
}

impl<B> std::future::Future for ReadWhole<B>
where
    B: http_body::Body<Data = Bytes> + Unpin,
    B::Error: Into<BoxError>,
{
    type Output = Result<Response, ConnectorError>;

    fn poll(self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        let this = self.get_mut();
        let body = std::task::ready!(Pin::new(&mut this.body).poll(cx))?;
        let parts = this.parts.take().expect("a ReadWhole is not polled after it is ready");
        std::task::Poll::Ready(Ok(http::Response::from_parts(parts, body)))
    }
}

/// The `content-length` a response declares, if it is a number.
fn declared_length(parts: &http::response::Parts) -> Option<u64> {
    parts.headers.get(http::header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.trim().parse().ok())
}

/// Read a body whole, into one buffer, and at most `limit` bytes of it: a `content-length` over the limit fails
/// before anything is read, and a body without one fails as soon as what was read passes the limit (what was read
/// is dropped).
///
/// A body that arrives as one chunk (a client that buffered it, a test double) is kept as it is, without a copy.
/// Otherwise the chunks are copied into a buffer allocated once for the declared length (or grown as they arrive
/// when there is none), each chunk dropped once copied: the peak is the body plus one chunk.
pub(crate) fn read_body<B>(body: B, declared: Option<u64>, limit: usize) -> ReadBody<B>
where
    B: http_body::Body<Data = Bytes> + Unpin,
    B::Error: Into<BoxError>,
{
    ReadBody { body, declared, limit, first: None, joined: Vec::new(), read: 0 }
}

/// The future of [`read_body`]. A future of its own rather than an `async fn`: it holds the body and what was read
/// once, where an `async fn` would hold its arguments and its locals apart.
pub(crate) struct ReadBody<B> {
    body: B,
    declared: Option<u64>,
    limit: usize,
    /// The only chunk so far, kept as it arrived.
    first: Option<Bytes>,
    /// The chunks so far, copied, once there was more than one.
    joined: Vec<u8>,
    /// The bytes read so far.
    read: usize,
}

impl<B> ReadBody<B> {
    fn too_large(&self, read: Option<usize>) -> ConnectorError {
        ConnectorError::other(Box::new(ResponseTooLarge { limit: self.limit, declared: self.declared, read }), None)
    }
}

impl<B> std::future::Future for ReadBody<B>
where
    B: http_body::Body<Data = Bytes> + Unpin,
    B::Error: Into<BoxError>,
{
    type Output = Result<Bytes, ConnectorError>;

    fn poll(self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        use std::task::Poll;
        let this = self.get_mut();
        if this.declared.is_some_and(|n| n > this.limit as u64) {
            return Poll::Ready(Err(this.too_large(None)));
        }
        while let Some(frame) = std::task::ready!(Pin::new(&mut this.body).poll_frame(cx)) {
            let chunk = match frame.map_err(|e| body_error(e.into())) {
                Ok(frame) => match frame.into_data() {
                    Ok(chunk) => chunk,
                    Err(_) => continue,
                },
                Err(e) => return Poll::Ready(Err(e)),
            };
            if chunk.is_empty() {
                continue;
            }
            this.read = this.read.saturating_add(chunk.len());
            if this.read > this.limit {
                return Poll::Ready(Err(this.too_large(Some(this.read))));
            }
            match this.first.take() {
                None if this.joined.is_empty() => this.first = Some(chunk),
                None => this.joined.extend_from_slice(&chunk),
                Some(head) => {
                    let expected = this.declared.map_or(0, |n| n as usize);
                    this.joined = Vec::with_capacity(expected.max(head.len() + chunk.len()));
                    this.joined.extend_from_slice(&head);
                    this.joined.extend_from_slice(&chunk);
                }
            }
        }
        Poll::Ready(Ok(this.first.take().unwrap_or_else(|| Bytes::from(std::mem::take(&mut this.joined)))))
    }
}

/// A failure reading a response body: the default transport's own errors keep their kind (a read timeout is a
/// timeout); any other client's is an I/O failure.
fn body_error(e: BoxError) -> ConnectorError {
    match e.downcast_ref::<TransportError>().map(TransportError::kind) {
        Some(TransportErrorKind::Timeout) => ConnectorError::timeout(e),
        _ => ConnectorError::io(e),
    }
}

/// A response body longer than the configured
/// [`max_response_size`](crate::config::Builder::max_response_size): the call fails with a
/// [`DispatchFailure`](crate::error::SdkError::DispatchFailure) (the response was not received whole, and is not
/// retried) whose connector error has this as its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseTooLarge {
    limit: usize,
    declared: Option<u64>,
    read: Option<usize>,
}

impl ResponseTooLarge {
    /// The configured limit, in bytes.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// The length the response declared (`content-length`), if it did.
    pub fn declared_length(&self) -> Option<u64> {
        self.declared
    }
}

impl fmt::Display for ResponseTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.read, self.declared) {
            (None, Some(n)) => write!(
                f,
                "the response declares a body of {n} bytes, over the max_response_size limit of {} bytes; nothing \
                 was read",
                self.limit
            ),
            (read, _) => write!(
                f,
                "the response body is over the max_response_size limit of {} bytes; reading stopped after {} bytes",
                self.limit,
                read.unwrap_or(0)
            ),
        }
    }
}

impl StdError for ResponseTooLarge {}

/// What went wrong in the default transport ([`HyperClient`]), named on the error's own line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The server refused the connection (nothing listens on the port).
    ConnectionRefused,
    /// The host name did not resolve.
    Dns,
    /// The TLS handshake failed (a certificate that is not trusted, a protocol mismatch).
    Tls,
    /// The connection was reset or closed before the response was complete.
    ConnectionReset,
    /// The connect timeout or the read timeout elapsed.
    Timeout,
    /// Another failure to connect, send or receive.
    Other,
}

/// A failure of the default transport: a line saying what happened and to which host (`connection refused by
/// 127.0.0.1:8080 (os error 111)`), and as its [`source`](StdError::source) the underlying cause when it says more
/// than that line (a resolver's or a TLS library's message), never the same fact twice.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    source: Option<BoxError>,
}

impl TransportError {
    /// What happened.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source.as_deref().map(|s| s as &(dyn StdError + 'static))
    }
}

/// A response as aws-sdk-rust's errors carry it ([`SdkError::raw_response`](crate::error::SdkError::raw_response)):
/// the body shares the response's buffer (no copy).
pub(crate) fn raw_response(response: &Response) -> HttpResponse {
    let mut raw = HttpResponse::new(response.status().into(), SdkBody::from(response.body().clone()));
    for (name, value) in response.headers() {
        // Header values that are not text are left out.
        if let Ok(value) = value.to_str() {
            raw.headers_mut().append(name.as_str().to_owned(), value.to_owned());
        }
    }
    raw
}

/// The runtime components an [`HttpClient`] is given: the sleep and time source it may use for its timeouts. The
/// components aws-sdk-rust's orchestrator needs besides (auth, endpoint, identity, retries) are not used by a
/// client, and this crate does that work itself; placeholders fill them.
fn components(sleep: SharedAsyncSleep, time: SharedTimeSource) -> RuntimeComponents {
    use aws_smithy_runtime_api::client::auth::static_resolver::StaticAuthSchemeOptionResolver;
    use aws_smithy_runtime_api::client::auth::AuthSchemeId;
    const SCHEME: AuthSchemeId = AuthSchemeId::new("sigv4");
    let built = RuntimeComponentsBuilder::new(env!("CARGO_PKG_NAME"))
        .with_sleep_impl(Some(sleep))
        .with_time_source(Some(time))
        .with_auth_scheme_option_resolver(Some(StaticAuthSchemeOptionResolver::new(vec![SCHEME])))
        .with_auth_scheme(unused::Unused)
        .with_identity_resolver(SCHEME, unused::Unused)
        .with_identity_cache(Some(unused::Unused))
        .with_endpoint_resolver(Some(unused::Unused))
        .with_retry_strategy(Some(unused::Unused))
        .build();
    // Every required component is set above; `build` checks exactly those.
    built.unwrap_or_else(|e| unreachable!("runtime components: {e}"))
}

mod unused {
    //! Placeholders for the orchestrator's components in an HTTP client's [`RuntimeComponents`]: clients do not use
    //! them, and each fails if anything does.

    use aws_smithy_runtime_api::box_error::BoxError;
    use aws_smithy_runtime_api::client::auth::{AuthScheme, AuthSchemeEndpointConfig, AuthSchemeId, Sign};
    use aws_smithy_runtime_api::client::endpoint::{EndpointFuture, EndpointResolverParams, ResolveEndpoint};
    use aws_smithy_runtime_api::client::identity::{
        Identity, IdentityFuture, ResolveCachedIdentity, ResolveIdentity, SharedIdentityResolver,
    };
    use aws_smithy_runtime_api::client::interceptors::context::InterceptorContext;
    use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
    use aws_smithy_runtime_api::client::retries::{RetryStrategy, ShouldAttempt};
    use aws_smithy_runtime_api::client::runtime_components::{GetIdentityResolver, RuntimeComponents};
    use aws_smithy_types::config_bag::ConfigBag;

    const MESSAGE: &str = concat!(env!("CARGO_PKG_NAME"), " signs, resolves endpoints and retries itself");

    #[derive(Debug)]
    pub(super) struct Unused;

    impl AuthScheme for Unused {
        fn scheme_id(&self) -> AuthSchemeId {
            AuthSchemeId::new("sigv4")
        }

        fn identity_resolver(&self, _: &dyn GetIdentityResolver) -> Option<SharedIdentityResolver> {
            None
        }

        fn signer(&self) -> &dyn Sign {
            self
        }
    }

    impl Sign for Unused {
        fn sign_http_request(
            &self,
            _: &mut HttpRequest,
            _: &Identity,
            _: AuthSchemeEndpointConfig<'_>,
            _: &RuntimeComponents,
            _: &ConfigBag,
        ) -> Result<(), BoxError> {
            Err(MESSAGE.into())
        }
    }

    impl ResolveIdentity for Unused {
        fn resolve_identity<'a>(&'a self, _: &'a RuntimeComponents, _: &'a ConfigBag) -> IdentityFuture<'a> {
            IdentityFuture::ready(Err(MESSAGE.into()))
        }
    }

    impl ResolveCachedIdentity for Unused {
        fn resolve_cached_identity<'a>(
            &'a self,
            _: SharedIdentityResolver,
            _: &'a RuntimeComponents,
            _: &'a ConfigBag,
        ) -> IdentityFuture<'a> {
            IdentityFuture::ready(Err(MESSAGE.into()))
        }
    }

    impl ResolveEndpoint for Unused {
        fn resolve_endpoint<'a>(&'a self, _: &'a EndpointResolverParams) -> EndpointFuture<'a> {
            EndpointFuture::ready(Err(MESSAGE.into()))
        }
    }

    impl RetryStrategy for Unused {
        fn should_attempt_initial_request(
            &self,
            _: &RuntimeComponents,
            _: &ConfigBag,
        ) -> Result<ShouldAttempt, BoxError> {
            Err(MESSAGE.into())
        }

        fn should_attempt_retry(
            &self,
            _: &InterceptorContext,
            _: &RuntimeComponents,
            _: &ConfigBag,
        ) -> Result<ShouldAttempt, BoxError> {
            Err(MESSAGE.into())
        }
    }
}

/// The default transport of programs without aws-config: hyper's pooled client over rustls (HTTPS with the Mozilla
/// roots, and plain HTTP for local endpoints), HTTP/1.1. It applies the connect timeout and the read timeout (to the
/// whole response, body included) of the settings it is asked for. Its failures are [`TransportError`]s, which say
/// what happened (connection refused, DNS, TLS, reset, timeout), in connector errors of the kinds aws-sdk-rust's
/// hyper client gives them (so a request lost on a pooled connection the server had just closed is retried). It
/// honours aws-smithy-runtime-api's `CaptureSmithyConnection`: a connection the attempt loop poisons is not reused.
#[cfg(feature = "rustls")]
#[derive(Clone, Default)]
pub struct HyperClient {
    /// The connector for the last settings asked for (a client's settings do not change).
    connector: Arc<Mutex<Option<(ConnectorKey, SharedHttpConnector)>>>,
}

/// The settings a connector was built for.
#[cfg(feature = "rustls")]
type ConnectorKey = (Option<Duration>, Option<Duration>);

#[cfg(feature = "rustls")]
impl fmt::Debug for HyperClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HyperClient")
    }
}

#[cfg(feature = "rustls")]
impl HyperClient {
    /// A client; connections are made when the first request needs one.
    pub fn new() -> Self {
        HyperClient::default()
    }
}

#[cfg(feature = "rustls")]
impl HttpClient for HyperClient {
    fn http_connector(&self, settings: &HttpConnectorSettings, _: &RuntimeComponents) -> SharedHttpConnector {
        let key = (settings.connect_timeout(), settings.read_timeout());
        let mut slot = self.connector.lock().unwrap_or_else(PoisonError::into_inner);
        match &*slot {
            Some((k, c)) if *k == key => c.clone(),
            _ => {
                let connector = SharedHttpConnector::new(HyperConnector::new(key.0, key.1));
                *slot = Some((key, connector.clone()));
                connector
            }
        }
    }
}

#[cfg(feature = "rustls")]
#[derive(Clone)]
struct HyperConnector {
    inner: hyper_util::client::legacy::Client<
        Poisonable<hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>>,
        Full<Bytes>,
    >,
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
}

#[cfg(feature = "rustls")]
impl fmt::Debug for HyperConnector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HyperConnector")
    }
}

#[cfg(feature = "rustls")]
impl HyperConnector {
    fn new(connect_timeout: Option<Duration>, read_timeout: Option<Duration>) -> Self {
        let mut http = hyper_util::client::legacy::connect::HttpConnector::new();
        http.enforce_http(false);
        http.set_connect_timeout(connect_timeout);
        http.set_nodelay(true);
        let tls =
            rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(rustls::crypto::ring::default_provider()))
                .with_safe_default_protocol_versions()
                .map(|b| {
                    b.with_root_certificates(rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() })
                        .with_no_client_auth()
                });
        let builder = hyper_rustls::HttpsConnectorBuilder::new();
        let connector = match tls {
            Ok(config) => builder.with_tls_config(config).https_or_http().enable_http1().wrap_connector(http),
            Err(_) => builder.with_webpki_roots().https_or_http().enable_http1().wrap_connector(http),
        };
        let inner = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
            .build(Poisonable(connector));
        HyperConnector { inner, connect_timeout, read_timeout }
    }

    /// Send a request that came through the [`HttpConnector`] interface: the same as [`send_http`](Self::send_http),
    /// with the capture the request carries as an extension.
    async fn send(self, request: HttpRequest) -> Result<HttpResponse, ConnectorError> {
        let request = request.try_into_http1x().map_err(|e| ConnectorError::user(e.into()))?;
        let capture = request.extensions().get::<CaptureSmithyConnection>().cloned();
        let (parts, body) = request.into_parts();
        let body = body.bytes().map(Bytes::copy_from_slice).unwrap_or_default();
        let response = self.send_http(http::Request::from_parts(parts, Full::new(body)), capture).await?;
        let (parts, body) = response.into_parts();
        HttpResponse::try_from(http::Response::from_parts(parts, SdkBody::from_body_1_x(body)))
            .map_err(|e| ConnectorError::other(e.into(), None))
    }

    /// Send the request, letting `capture` give the connection it goes out on; the response's body streams (the
    /// [`Transport`] reads it, within its size limit), still under the read timeout.
    fn send_http(
        &self,
        mut request: http::Request<Full<Bytes>>,
        capture: Option<CaptureSmithyConnection>,
    ) -> impl std::future::Future<Output = Result<http::Response<ReadDeadline>, ConnectorError>> + Send + '_ {
        let deadline = self.read_timeout.map(|limit| (tokio::time::Instant::now() + limit, limit));
        if let Some(capture) = capture {
            capture_connection(&capture, &mut request);
        }
        let authority = request.uri().authority().cloned();
        // Made here, not in the future below: the request moves straight into the client's (boxed) future.
        let call = self.inner.request(request);
        async move {
            let response = match deadline {
                Some((at, limit)) => match tokio::time::timeout_at(at, call).await {
                    Ok(response) => response,
                    Err(_) => return Err(ConnectorError::timeout(Box::new(read_timed_out(&authority, limit)))),
                },
                None => call.await,
            };
            let response = response.map_err(|e| connector_error(&e, &host_port(&authority), self.connect_timeout))?;
            let (parts, body) = response.into_parts();
            let body = ReadDeadline {
                inner: body,
                deadline: deadline.map(|(at, limit)| (Box::pin(tokio::time::sleep_until(at)), limit)),
                authority,
            };
            Ok(http::Response::from_parts(parts, body))
        }
    }
}

/// The `host:port` of a request, for errors (empty without one).
#[cfg(feature = "rustls")]
fn host_port(authority: &Option<http::uri::Authority>) -> String {
    authority.as_ref().map_or_else(String::new, |a| a.to_string())
}

#[cfg(feature = "rustls")]
impl HttpConnector for HyperConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        HttpConnectorFuture::new(self.clone().send(request))
    }
}

/// A connector whose connections say, in the extensions of each response they give, how to poison them
/// ([`ConnectionPoison`]), so that the attempt loop can poison the connection of a transient error response without
/// capturing the connection of every request (hyper-util's capture costs a channel, an extension and a copy of the
/// connection's details per request; this costs one extension per response). A poisoned connection ends: its idle
/// read is woken and reads the end of the stream, so hyper closes it and its pool drops it, and a request written to
/// it before that fails unsent (which hyper-util's client sends again on another connection). A connection whose
/// request failed without a complete response is not reused by hyper's pool in any case: it is broken, or still busy
/// with the request the attempt gave up on.
#[cfg(feature = "rustls")]
#[derive(Clone)]
struct Poisonable<C>(C);

#[cfg(feature = "rustls")]
type Connecting<T, E> = Pin<Box<dyn std::future::Future<Output = Result<T, E>> + Send>>;

#[cfg(feature = "rustls")]
impl<C> tower_service::Service<http::Uri> for Poisonable<C>
where
    C: tower_service::Service<http::Uri>,
    C::Future: Send + 'static,
{
    type Response = PoisonableIo<C::Response>;
    type Error = C::Error;
    type Future = Connecting<Self::Response, Self::Error>;

    fn poll_ready(&mut self, cx: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), Self::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, uri: http::Uri) -> Self::Future {
        let connecting = self.0.call(uri);
        Box::pin(async move {
            let io = connecting.await?;
            Ok(PoisonableIo { io, poison: ConnectionPoison(Arc::default()) })
        })
    }
}

/// A connection of [`Poisonable`].
#[cfg(feature = "rustls")]
struct PoisonableIo<T> {
    io: T,
    poison: ConnectionPoison,
}

/// What poisons the connection a response of the default transport came on: in the response's extensions.
#[cfg(feature = "rustls")]
#[derive(Clone, Default)]
pub(crate) struct ConnectionPoison(Arc<PoisonState>);

#[cfg(feature = "rustls")]
#[derive(Default)]
struct PoisonState {
    poisoned: std::sync::atomic::AtomicBool,
    /// The task that waits to read from the connection (hyper's, also while the connection is idle).
    reader: Mutex<Option<std::task::Waker>>,
}

#[cfg(feature = "rustls")]
impl ConnectionPoison {
    /// End the connection: its next read is the end of the stream, and its next write fails.
    pub(crate) fn poison(&self) {
        self.0.poisoned.store(true, std::sync::atomic::Ordering::Release);
        let reader = self.0.reader.lock().unwrap_or_else(PoisonError::into_inner).take();
        if let Some(reader) = reader {
            reader.wake();
        }
    }

    fn is_poisoned(&self) -> bool {
        self.0.poisoned.load(std::sync::atomic::Ordering::Acquire)
    }

    fn poisoned_write() -> std::io::Error {
        std::io::Error::new(std::io::ErrorKind::ConnectionAborted, "the connection was poisoned after a failure")
    }
}

#[cfg(feature = "rustls")]
impl<T: hyper_util::client::legacy::connect::Connection> hyper_util::client::legacy::connect::Connection
    for PoisonableIo<T>
{
    fn connected(&self) -> hyper_util::client::legacy::connect::Connected {
        self.io.connected().extra(self.poison.clone())
    }
}

#[cfg(feature = "rustls")]
impl<T: hyper::rt::Read + Unpin> hyper::rt::Read for PoisonableIo<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let this = self.get_mut();
        if this.poison.is_poisoned() {
            return std::task::Poll::Ready(Ok(()));
        }
        let read = Pin::new(&mut this.io).poll_read(cx, buf);
        if read.is_pending() {
            let mut reader = this.poison.0.reader.lock().unwrap_or_else(PoisonError::into_inner);
            if !reader.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
                *reader = Some(cx.waker().clone());
            }
            drop(reader);
            // Poisoned while the waker was being kept: read the end now rather than wait.
            if this.poison.is_poisoned() {
                return std::task::Poll::Ready(Ok(()));
            }
        }
        read
    }
}

#[cfg(feature = "rustls")]
impl<T: hyper::rt::Write + Unpin> hyper::rt::Write for PoisonableIo<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        if this.poison.is_poisoned() {
            return std::task::Poll::Ready(Err(ConnectionPoison::poisoned_write()));
        }
        Pin::new(&mut this.io).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> std::task::Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        if this.poison.is_poisoned() {
            return std::task::Poll::Ready(Err(ConnectionPoison::poisoned_write()));
        }
        Pin::new(&mut this.io).poll_write_vectored(cx, bufs)
    }
}

/// Let `capture` give the connection hyper sends `request` on, so that the attempt loop can poison it (hyper's pool
/// then does not use it again), as aws-sdk-rust's hyper client does.
#[cfg(feature = "rustls")]
fn capture_connection<B>(capture: &CaptureSmithyConnection, request: &mut http::Request<B>) {
    use aws_smithy_runtime_api::client::connection::ConnectionMetadata;
    let connection = hyper_util::client::legacy::connect::capture_connection(request);
    capture.set_connection_retriever(move || {
        let proxied = connection.connection_metadata().as_ref()?.is_proxied();
        let connection = connection.clone();
        let poison = move || {
            if let Some(connected) = connection.connection_metadata().as_ref() {
                connected.poison();
            }
        };
        Some(ConnectionMetadata::builder().proxied(proxied).poison_fn(poison).build())
    });
}

/// The read timeout elapsed before the response was complete.
#[cfg(feature = "rustls")]
fn read_timed_out(authority: &Option<http::uri::Authority>, limit: Duration) -> TransportError {
    TransportError {
        kind: TransportErrorKind::Timeout,
        message: format!("no complete response from {} within the read timeout of {limit:?}", host_port(authority)),
        source: None,
    }
}

/// A response body from hyper, failing with a [`TransportError`] once the read timeout elapses.
#[cfg(feature = "rustls")]
struct ReadDeadline {
    inner: hyper::body::Incoming,
    deadline: Option<(Pin<Box<tokio::time::Sleep>>, Duration)>,
    /// The request's `host:port`, for errors.
    authority: Option<http::uri::Authority>,
}

#[cfg(feature = "rustls")]
impl hyper::body::Body for ReadDeadline {
    type Data = Bytes;
    type Error = TransportError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Bytes>, TransportError>>> {
        use std::future::Future as _;
        use std::task::Poll;
        let this = self.get_mut();
        if let Some((sleep, limit)) = &mut this.deadline {
            if sleep.as_mut().poll(cx).is_ready() {
                let error = read_timed_out(&this.authority, *limit);
                this.deadline = None;
                return Poll::Ready(Some(Err(error)));
            }
        }
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => Poll::Ready(Some(Ok(frame))),
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(classify(&e, false, &host_port(&this.authority), None)))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        self.inner.size_hint()
    }
}

/// A failure of hyper's client as a [`ConnectorError`] of the kind aws-sdk-rust's hyper client gives it, so that the
/// attempt loop retries it, or not, as aws-sdk-rust does: a timeout; the request's own fault (`user`); an I/O
/// failure for a failure to connect, a connection hyper found closed or canceled, and any I/O error in the chain (a
/// connection reset, a broken pipe); a connection that ended before the response was complete is a transient
/// failure; anything else is not retried. A request lost on a pooled connection the server had just closed fails
/// in one of the two retried ways, before any byte of a response.
#[cfg(feature = "rustls")]
fn connector_error(
    error: &hyper_util::client::legacy::Error,
    authority: &str,
    connect_timeout: Option<Duration>,
) -> ConnectorError {
    use aws_smithy_types::retry::ErrorKind;
    let connecting = error.is_connect();
    let mut hyper = None;
    let mut io = false;
    let mut next: Option<&(dyn StdError + 'static)> = Some(error);
    while let Some(e) = next {
        hyper = hyper.or_else(|| e.downcast_ref::<hyper::Error>());
        io |= e.is::<std::io::Error>();
        next = e.source();
    }
    let transport = Box::new(classify(error, connecting, authority, connect_timeout));
    match hyper {
        _ if transport.kind == TransportErrorKind::Timeout => ConnectorError::timeout(transport),
        Some(h) if h.is_user() => ConnectorError::user(transport),
        Some(h) if h.is_closed() || h.is_canceled() => ConnectorError::io(transport),
        _ if connecting || io => ConnectorError::io(transport),
        Some(h) if h.is_incomplete_message() => ConnectorError::other(transport, Some(ErrorKind::TransientError)),
        _ => ConnectorError::other(transport, None),
    }
}

/// A hyper failure as a [`TransportError`]: what happened, found in its chain of causes (an I/O error's kind, a TLS
/// error, the resolver's failure), on the error's own line; the innermost cause is kept as the source only when it
/// says more than that line (the OS's "Connection refused" does not).
#[cfg(feature = "rustls")]
fn classify(
    error: &(dyn StdError + 'static),
    connecting: bool,
    authority: &str,
    connect_timeout: Option<Duration>,
) -> TransportError {
    use std::io::ErrorKind as Io;
    let host = authority.rsplit_once(':').map_or(authority, |(host, _)| host);
    let (mut io, mut tls, mut dns, mut incomplete) = (None, false, false, false);
    let mut innermost = error;
    let mut next = Some(error);
    while let Some(e) = next {
        innermost = e;
        if let Some(e) = e.downcast_ref::<std::io::Error>() {
            io = io.or(Some((e.kind(), e.raw_os_error())));
            tls |= e.get_ref().is_some_and(|inner| inner.is::<rustls::Error>());
        }
        if let Some(e) = e.downcast_ref::<hyper::Error>() {
            incomplete |= e.is_incomplete_message();
        }
        tls |= e.is::<rustls::Error>();
        // hyper-util's connector names a failed lookup only in its message.
        dns |= connecting && e.to_string() == "dns error";
        next = e.source();
    }
    let os = |code: Option<i32>| code.map(|c| format!(" (os error {c})")).unwrap_or_default();
    let (kind, message, keep_cause) = match io {
        _ if dns => (TransportErrorKind::Dns, format!("DNS lookup of {host} failed"), true),
        _ if tls => (TransportErrorKind::Tls, format!("TLS handshake with {host} failed"), true),
        Some((Io::ConnectionRefused, code)) => {
            (TransportErrorKind::ConnectionRefused, format!("connection refused by {authority}{}", os(code)), false)
        }
        Some((Io::TimedOut, _)) if connecting => {
            let within = connect_timeout.map(|t| format!(" within the connect timeout of {t:?}")).unwrap_or_default();
            (TransportErrorKind::Timeout, format!("no connection to {authority}{within}"), false)
        }
        Some((Io::ConnectionReset | Io::ConnectionAborted | Io::BrokenPipe, code)) => {
            (TransportErrorKind::ConnectionReset, format!("connection to {authority} reset{}", os(code)), false)
        }
        _ if incomplete => (
            TransportErrorKind::ConnectionReset,
            format!("connection to {authority} closed before the response was complete"),
            false,
        ),
        _ if connecting => (TransportErrorKind::Other, format!("cannot connect to {authority}"), true),
        _ => (TransportErrorKind::Other, format!("the HTTP exchange with {authority} failed"), true),
    };
    let source = keep_cause.then(|| owned_cause(innermost));
    TransportError { kind, message, source }
}

/// An owned copy of a cause borrowed from hyper's error: the same I/O error (kind, OS code or message) or TLS error
/// where it is one, else its message.
#[cfg(feature = "rustls")]
fn owned_cause(cause: &(dyn StdError + 'static)) -> BoxError {
    if let Some(e) = cause.downcast_ref::<std::io::Error>() {
        if let Some(tls) = e.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>()) {
            return Box::new(tls.clone());
        }
        return match e.raw_os_error() {
            Some(code) => Box::new(std::io::Error::from_raw_os_error(code)),
            None => Box::new(std::io::Error::new(e.kind(), e.to_string())),
        };
    }
    if let Some(tls) = cause.downcast_ref::<rustls::Error>() {
        return Box::new(tls.clone());
    }
    cause.to_string().into()
}

/// The transport a client uses when none is configured: [`HyperClient`] with the `rustls` feature.
#[cfg(feature = "rustls")]
pub(crate) fn default_client() -> SharedHttpClient {
    SharedHttpClient::new(HyperClient::new())
}

/// Without the `rustls` feature there is no default transport: every call fails, saying how to configure one.
#[cfg(not(feature = "rustls"))]
pub(crate) fn default_client() -> SharedHttpClient {
    aws_smithy_runtime_api::client::http::http_client_fn(|_, _| SharedHttpConnector::new(Missing))
}

#[cfg(not(feature = "rustls"))]
#[derive(Debug)]
struct Missing;

#[cfg(not(feature = "rustls"))]
impl HttpConnector for Missing {
    fn call(&self, _: HttpRequest) -> HttpConnectorFuture {
        HttpConnectorFuture::ready(Err(ConnectorError::user(
            "no HTTP client: enable the `rustls` feature, build the client from an aws-config `SdkConfig`, or set \
             one with `http_client`"
                .into(),
        )))
    }
}
