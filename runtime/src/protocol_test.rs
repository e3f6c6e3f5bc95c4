//! Support for the protocol compliance tests the generator writes from the model's `smithy.test#httpRequestTests`
//! and `smithy.test#httpResponseTests`: a transport that records each request and serves one canned response, and the
//! assertions every case shares. Compiled only for tests.

// A model with endpoint tests that run through operations but no protocol tests uses only part of this module.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;

use crate::config::{Config, Credentials, Region};
use crate::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, HttpRequest, HttpResponse,
    SharedHttpConnector,
};

/// A request as the client sent it, with its whole body.
pub(crate) type SentRequest = http::Request<Vec<u8>>;

/// The response the test transport serves.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Response {
    /// The status code.
    pub(crate) status: u16,
    /// The headers.
    pub(crate) headers: &'static [(&'static str, &'static str)],
    /// The body.
    pub(crate) body: &'static str,
}

impl Response {
    /// `200` with `{}`.
    pub(crate) const OK: Response = Response { status: 200, headers: &[], body: "{}" };
}

/// A transport that records requests and answers each with the same response.
#[derive(Debug, Clone)]
pub(crate) struct Recorder {
    response: Response,
    requests: Arc<Mutex<Vec<SentRequest>>>,
}

impl HttpClient for Recorder {
    fn http_connector(&self, _: &HttpConnectorSettings, _: &RuntimeComponents) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

impl HttpConnector for Recorder {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let request = request.try_into_http1x().expect("the request converts to http 1.x");
        let request = request.map(|body| body.bytes().expect("the request body is in memory").to_vec());
        self.requests.lock().unwrap_or_else(|e| e.into_inner()).push(request);
        let r = self.response;
        let mut builder = http::Response::builder().status(r.status);
        for (k, v) in r.headers {
            builder = builder.header(*k, *v);
        }
        let response = builder.body(SdkBody::from(r.body)).expect("the test response is a valid HTTP response");
        HttpConnectorFuture::ready(Ok(HttpResponse::try_from(response).expect("the test response converts")))
    }
}

/// A client configuration for one case: the endpoint `https://<host>`, test credentials, no retries, no validation
/// (the cases test the wire format, not the constraints), and the recording transport.
pub(crate) fn config(host: &str, response: Response) -> (Config, Arc<Mutex<Vec<SentRequest>>>) {
    let requests = Arc::new(Mutex::new(Vec::new()));
    let recorder = Recorder { response, requests: requests.clone() };
    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .endpoint_url(format!("https://{host}"))
        .credentials_provider(Credentials::new("AKIDTEST", "SECRETTEST", None, None, "protocol-tests"))
        .retry_config(crate::config::retry::RetryConfig::disabled())
        .validate_inputs(false)
        .http_client(recorder)
        .build();
    (config, requests)
}

/// A client configuration for an endpoint test that runs through an operation: `builder`'s settings (the built-ins
/// the case sets), test credentials naming `account_id` when the case sets one, no retries, no validation, and the
/// recording transport answering `200 {}`.
pub(crate) fn endpoint_config(
    builder: crate::config::Builder,
    account_id: Option<&str>,
) -> (Config, Arc<Mutex<Vec<SentRequest>>>) {
    let requests = Arc::new(Mutex::new(Vec::new()));
    let recorder = Recorder { response: Response::OK, requests: requests.clone() };
    let mut credentials = Credentials::builder()
        .access_key_id("AKIDTEST")
        .secret_access_key("SECRETTEST")
        .provider_name("endpoint-tests");
    if let Some(account_id) = account_id {
        credentials = credentials.account_id(account_id);
    }
    let config = builder
        .credentials_provider(credentials.build())
        .retry_config(crate::config::retry::RetryConfig::disabled())
        .validate_inputs(false)
        .http_client(recorder)
        .build();
    (config, requests)
}

/// Check that the one request of a call went to the endpoint `url` (the protocol's path `/` after it).
pub(crate) fn assert_endpoint<O: std::fmt::Debug, E: std::error::Error + 'static>(
    requests: &Mutex<Vec<SentRequest>>,
    result: &Result<O, crate::error::SdkError<E>>,
    url: &str,
) {
    if let Err(e) = result {
        if let Some(message) = endpoint_error(e) {
            panic!("expected the endpoint {url}, but the rules failed: {message}");
        }
    }
    let request = only_request(requests);
    assert_eq!(request.uri().to_string(), format!("{}/", url.trim_end_matches('/')), "the request's URI");
}

/// Check that a call failed before sending, with the endpoint rules' error `message`.
pub(crate) fn assert_endpoint_error<O: std::fmt::Debug, E: std::error::Error + 'static>(
    requests: &Mutex<Vec<SentRequest>>,
    result: &Result<O, crate::error::SdkError<E>>,
    message: &str,
) {
    match result {
        Ok(output) => panic!("expected the endpoint error {message:?}, but the call succeeded: {output:?}"),
        Err(e) => assert_eq!(endpoint_error(e).as_deref(), Some(message), "the endpoint error of {e:?}"),
    }
    assert!(requests.lock().unwrap_or_else(|e| e.into_inner()).is_empty(), "no request is sent");
}

/// The message of the endpoint rules' error in an error's chain of causes.
fn endpoint_error(error: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut cause = Some(error);
    while let Some(e) = cause {
        if let Some(r) = e.downcast_ref::<crate::endpoint_lib::ResolveError>() {
            return Some(r.message().to_owned());
        }
        cause = e.source();
    }
    None
}

/// The request a case expects.
#[derive(Debug)]
pub(crate) struct Expected {
    /// The method.
    pub(crate) method: &'static str,
    /// The path and query.
    pub(crate) uri: &'static str,
    /// The `Host` header, when the case names one.
    pub(crate) host: Option<&'static str>,
    /// Headers with their values.
    pub(crate) headers: &'static [(&'static str, &'static str)],
    /// Headers that must be present.
    pub(crate) require: &'static [&'static str],
    /// Headers that must be absent.
    pub(crate) forbid: &'static [&'static str],
    /// The body, and whether it is compared as JSON.
    pub(crate) body: Option<(&'static str, bool)>,
}

/// The one request the client sent.
pub(crate) fn only_request(requests: &Mutex<Vec<SentRequest>>) -> SentRequest {
    let mut sent = requests.lock().unwrap_or_else(|e| e.into_inner());
    assert_eq!(sent.len(), 1, "the client sent {} requests", sent.len());
    sent.remove(0)
}

/// Check a request against what the case expects.
pub(crate) fn check_request(request: &SentRequest, expected: &Expected) {
    assert_eq!(request.method().as_str(), expected.method, "method");
    let uri = request.uri().path_and_query().map_or("/", |p| p.as_str());
    assert_eq!(uri, expected.uri, "URI");
    if let Some(host) = expected.host {
        let actual = request.headers().get("host").and_then(|v| v.to_str().ok());
        assert_eq!(actual, Some(host), "host");
    }
    for (name, value) in expected.headers {
        let actual = request.headers().get(*name).and_then(|v| v.to_str().ok());
        assert_eq!(actual, Some(*value), "header `{name}`");
    }
    for name in expected.require {
        assert!(request.headers().contains_key(*name), "header `{name}` is required");
    }
    for name in expected.forbid {
        assert!(!request.headers().contains_key(*name), "header `{name}` is forbidden");
    }
    if let Some((body, json)) = expected.body {
        let actual = String::from_utf8_lossy(request.body());
        if json && !body.is_empty() {
            let want = json_value(body.as_bytes()).expect("the case's body is JSON");
            let got = json_value(request.body()).unwrap_or_else(|e| panic!("the body is not JSON ({e}): {actual}"));
            assert!(same_json(&got, &want), "body\n  sent: {actual}\n  want: {body}");
        } else {
            assert_eq!(actual, body, "body");
        }
    }
}

/// A JSON text as a value (with `aws-smithy-json`, as the crate reads bodies).
fn json_value(text: &[u8]) -> Result<aws_smithy_types::Document, String> {
    let mut tokens = aws_smithy_json::deserialize::json_token_iter(text).peekable();
    let value = aws_smithy_json::deserialize::token::expect_document(&mut tokens).map_err(|e| e.to_string())?;
    match tokens.next() {
        None => Ok(value),
        Some(_) => Err("more follows the value".to_owned()),
    }
}

/// JSON values are equal: objects whatever their key order, integers whatever their sign representation, and
/// fractions only with fractions (as a JSON value comparison tells `1` from `1.0`).
fn same_json(a: &aws_smithy_types::Document, b: &aws_smithy_types::Document) -> bool {
    use aws_smithy_types::{Document as D, Number as N};
    let int = |n: &N| match *n {
        N::PosInt(u) => Some(i128::from(u)),
        N::NegInt(i) => Some(i128::from(i)),
        N::Float(_) => None,
    };
    match (a, b) {
        (D::Object(x), D::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        (D::Array(x), D::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same_json(v, w)),
        (D::Number(x), D::Number(y)) => match (int(x), int(y), x, y) {
            (Some(i), Some(j), _, _) => i == j,
            (None, None, N::Float(f), N::Float(g)) => f == g,
            _ => false,
        },
        (D::String(x), D::String(y)) => x == y,
        (D::Bool(x), D::Bool(y)) => x == y,
        (D::Null, D::Null) => true,
        _ => false,
    }
}

/// Values are equal, or, for values holding NaN (never equal to itself), print the same.
pub(crate) fn assert_same<T: PartialEq + std::fmt::Debug>(actual: &T, expected: &T) {
    if actual == expected {
        return;
    }
    let (a, e) = (format!("{actual:#?}"), format!("{expected:#?}"));
    assert!(a == e && a.contains("NaN"), "decoded {a}\nexpected {e}");
}
