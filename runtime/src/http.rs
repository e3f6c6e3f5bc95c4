//! The transport: a small trait the client sends requests through, and a default implementation on hyper with
//! rustls (feature `rustls`, on by default). Tests and users can plug in their own.

use std::fmt;
use std::time::Duration;

pub use crate::credentials::BoxFuture;

/// A request with its whole body.
pub type HttpRequest = http::Request<Vec<u8>>;

/// A response with its whole body.
pub type HttpResponse = http::Response<Vec<u8>>;

/// Sends one HTTP request.
pub trait HttpClient: Send + Sync + fmt::Debug {
    /// Send `request` and read the whole response.
    fn call(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>>;
}

/// What kind of transport failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made (refused, DNS, TLS handshake, connect timeout).
    Connect,
    /// The connection failed while sending or receiving.
    Io,
    /// Anything else.
    Other,
}

/// A request could not be sent or its response not received.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    source: Box<dyn std::error::Error + Send + Sync>,
}

impl TransportError {
    /// A transport error of a kind, with its cause.
    pub fn new(kind: TransportErrorKind, source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        TransportError { kind, source: source.into() }
    }

    /// What kind of failure.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Whether retrying may help (connection and I/O failures).
    pub fn is_transient(&self) -> bool {
        matches!(self.kind, TransportErrorKind::Connect | TransportErrorKind::Io)
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportErrorKind::Connect => "cannot connect",
            TransportErrorKind::Io => "connection failed",
            TransportErrorKind::Other => "transport error",
        };
        write!(f, "{what}: {}", self.source)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// An attempt took longer than its timeout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoutError {
    pub(crate) after: Duration,
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the request timed out after {:?}", self.after)
    }
}

impl std::error::Error for TimeoutError {}

/// The default transport: hyper's pooled client over rustls (HTTPS with the Mozilla roots, and plain HTTP for local
/// endpoints).
#[cfg(feature = "rustls")]
#[derive(Clone)]
pub struct HyperClient {
    inner: hyper_util::client::legacy::Client<
        hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
        http_body_util::Full<bytes::Bytes>,
    >,
}

#[cfg(feature = "rustls")]
impl fmt::Debug for HyperClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HyperClient")
    }
}

#[cfg(feature = "rustls")]
impl HyperClient {
    /// A client whose connections must be made within `connect_timeout`.
    pub fn new(connect_timeout: Option<Duration>) -> Self {
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
        let inner = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build(connector);
        HyperClient { inner }
    }
}

#[cfg(feature = "rustls")]
impl HttpClient for HyperClient {
    fn call(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            use http_body_util::BodyExt as _;
            let (parts, body) = request.into_parts();
            let request = http::Request::from_parts(parts, http_body_util::Full::new(bytes::Bytes::from(body)));
            let response = self.inner.request(request).await.map_err(|e| {
                let kind = if e.is_connect() { TransportErrorKind::Connect } else { TransportErrorKind::Io };
                TransportError::new(kind, e)
            })?;
            let (parts, body) = response.into_parts();
            let bytes = body.collect().await.map_err(|e| TransportError::new(TransportErrorKind::Io, e))?.to_bytes();
            Ok(http::Response::from_parts(parts, bytes.to_vec()))
        })
    }
}

/// The transport a client uses when none is configured: [`HyperClient`] with the `rustls` feature.
#[cfg(feature = "rustls")]
pub(crate) fn default_client(timeouts: &crate::config::TimeoutConfig) -> std::sync::Arc<dyn HttpClient> {
    std::sync::Arc::new(HyperClient::new(timeouts.connect_timeout()))
}

/// Without the `rustls` feature there is no default transport: every call fails, saying how to configure one.
#[cfg(not(feature = "rustls"))]
pub(crate) fn default_client(_timeouts: &crate::config::TimeoutConfig) -> std::sync::Arc<dyn HttpClient> {
    #[derive(Debug)]
    struct Missing;
    impl HttpClient for Missing {
        fn call(&self, _request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
            Box::pin(async {
                Err(TransportError::new(
                    TransportErrorKind::Other,
                    "no HTTP client: enable the `rustls` feature or configure one with `http_client`",
                ))
            })
        }
    }
    std::sync::Arc::new(Missing)
}
