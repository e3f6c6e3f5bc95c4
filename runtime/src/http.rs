//! The transport: aws-sdk-rust's HTTP client interface ([`HttpClient`]), so that the client aws-config built (and
//! anything else written for aws-sdk-rust, test doubles included) sends this crate's requests too, and a default
//! implementation on hyper with rustls (feature `rustls`, on by default) for programs without aws-config.

#[cfg(feature = "rustls")]
use std::fmt;
#[cfg(feature = "rustls")]
use std::sync::{Arc, Mutex, PoisonError};
#[cfg(feature = "rustls")]
use std::time::Duration;

use aws_smithy_async::rt::sleep::SharedAsyncSleep;
use aws_smithy_async::time::SharedTimeSource;
pub use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient, SharedHttpConnector,
};
pub use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
pub use aws_smithy_runtime_api::client::result::ConnectorError;
pub use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponentsBuilder;
pub use aws_smithy_types::body::SdkBody;

/// The largest response body read; a longer one fails the attempt rather than exhaust memory.
pub const MAX_RESPONSE_BODY: usize = 64 * 1024 * 1024;

/// A response read whole.
pub(crate) type Response = http::Response<Vec<u8>>;

/// A configured [`HttpClient`] ready to send: its connector for the configured timeouts, and what the connector is
/// given (sleep and time source). Requests and responses are whole bodies.
#[derive(Debug, Clone)]
pub(crate) struct Transport {
    connector: SharedHttpConnector,
}

impl Transport {
    /// The connector of `client` for these settings.
    pub(crate) fn new(
        client: &SharedHttpClient,
        settings: &HttpConnectorSettings,
        sleep: SharedAsyncSleep,
        time: SharedTimeSource,
    ) -> Self {
        let components = components(sleep, time);
        Transport { connector: client.http_connector(settings, &components) }
    }

    /// Send a request and read its whole response (at most [`MAX_RESPONSE_BODY`] bytes).
    pub(crate) async fn send(&self, request: http::Request<Vec<u8>>) -> Result<Response, ConnectorError> {
        let request = HttpRequest::try_from(request.map(SdkBody::from)).map_err(|e| ConnectorError::user(e.into()))?;
        let response = self.connector.call(request).await?;
        let status = response.status().as_u16();
        let mut builder = http::Response::builder().status(status);
        for (name, value) in response.headers() {
            builder = builder.header(name, value);
        }
        let mut stream = aws_smithy_types::byte_stream::ByteStream::new(response.into_body());
        let mut body = Vec::new();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| ConnectorError::io(e.into()))?;
            if body.len() + chunk.len() > MAX_RESPONSE_BODY {
                return Err(ConnectorError::other(
                    format!("the response body is larger than {MAX_RESPONSE_BODY} bytes").into(),
                    None,
                ));
            }
            body.extend_from_slice(&chunk);
        }
        builder.body(body).map_err(|e| ConnectorError::other(e.into(), None))
    }
}

/// A response as aws-sdk-rust's errors carry it ([`SdkError::raw_response`](crate::error::SdkError::raw_response)).
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
/// whole response) of the settings it is asked for.
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
struct HyperConnector {
    inner: hyper_util::client::legacy::Client<
        hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
        http_body_util::Full<bytes::Bytes>,
    >,
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
        let inner = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build(connector);
        HyperConnector { inner, read_timeout }
    }

    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, ConnectorError> {
        use http_body_util::BodyExt as _;
        let request = request.try_into_http1x().map_err(|e| ConnectorError::user(e.into()))?;
        let (parts, body) = request.into_parts();
        let body = body.bytes().map(bytes::Bytes::copy_from_slice).unwrap_or_default();
        let request = http::Request::from_parts(parts, http_body_util::Full::new(body));
        let response = self.inner.request(request).await.map_err(|e| {
            if e.is_connect() {
                ConnectorError::io(e.into())
            } else {
                ConnectorError::other(e.into(), None)
            }
        })?;
        let (parts, body) = response.into_parts();
        let limited = http_body_util::Limited::new(body, MAX_RESPONSE_BODY);
        let bytes = limited.collect().await.map_err(ConnectorError::io)?.to_bytes();
        HttpResponse::try_from(http::Response::from_parts(parts, SdkBody::from(bytes)))
            .map_err(|e| ConnectorError::other(e.into(), None))
    }
}

#[cfg(feature = "rustls")]
impl HttpConnector for HyperConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let this = HyperConnector { inner: self.inner.clone(), read_timeout: self.read_timeout };
        HttpConnectorFuture::new(async move {
            match this.read_timeout {
                Some(limit) => match tokio::time::timeout(limit, this.send(request)).await {
                    Ok(result) => result,
                    Err(_) => Err(ConnectorError::timeout(format!("no response within {limit:?}").into())),
                },
                None => this.send(request).await,
            }
        })
    }
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
