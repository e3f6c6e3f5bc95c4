//! The one raw in-memory transport of the project's tests, for tests that must see the HTTP itself (request URIs and
//! bodies, response bytes the typed test doubles would never produce, the client's overhead on a fixed response).
//! Tests of behaviour use the generated crate's `test_util` rules instead.

use std::sync::{Arc, Mutex};

use sagemaker_pipelines::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, HttpRequest, HttpResponse,
    RuntimeComponents, SdkBody, SharedHttpConnector,
};

/// A request as the transport received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    /// The full URI.
    pub uri: String,
    /// The headers, in order, names in lower case (none for a transport built with [`Raw::unrecorded`]).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Sent {
    /// The body as text.
    pub fn text(&self) -> &str {
        std::str::from_utf8(&self.body).unwrap_or_default()
    }

    /// The first value of a header (`name` in lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// A response to give: status, headers, body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The status.
    pub status: u16,
    /// The headers.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Answer {
    /// A response with this status and body and no headers.
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Answer { status, headers: Vec::new(), body: body.into() }
    }

    /// The same response with one more header.
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}

type Respond = dyn Fn(&Sent) -> Answer + Send + Sync;

/// An `HttpClient` answering each request with what `respond` makes of it; it records the requests unless built
/// with [`Raw::unrecorded`] (a benchmark measuring the client's own work).
#[derive(Clone)]
pub struct Raw {
    respond: Arc<Respond>,
    sent: Option<Arc<Mutex<Vec<Sent>>>>,
}

impl std::fmt::Debug for Raw {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Raw").field("recorded", &self.sent.is_some()).finish_non_exhaustive()
    }
}

impl Raw {
    /// Answer each request with `respond`'s response, recording the requests.
    pub fn new(respond: impl Fn(&Sent) -> Answer + Send + Sync + 'static) -> Self {
        Raw { respond: Arc::new(respond), sent: Some(Arc::default()) }
    }

    /// Answer every request with `200` and this body, recording the requests.
    pub fn fixed(body: impl Into<Vec<u8>>) -> Self {
        let body = body.into();
        Raw::new(move |_| Answer::new(200, body.clone()))
    }

    /// Answer every request with `200` and this body, recording nothing.
    pub fn unrecorded(body: impl Into<Vec<u8>>) -> Self {
        let body = body.into();
        Raw { respond: Arc::new(move |_| Answer::new(200, body.clone())), sent: None }
    }

    /// The requests received so far.
    pub fn sent(&self) -> Vec<Sent> {
        self.sent.as_ref().map(|s| s.lock().unwrap().clone()).unwrap_or_default()
    }
}

impl HttpClient for Raw {
    fn http_connector(&self, _: &HttpConnectorSettings, _: &RuntimeComponents) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

impl HttpConnector for Raw {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let headers = match &self.sent {
            Some(_) => request.headers().iter().map(|(n, v)| (n.to_ascii_lowercase(), v.to_owned())).collect(),
            None => Vec::new(),
        };
        let body = request.body().bytes().unwrap_or_default().to_vec();
        let sent = Sent { uri: request.uri().to_owned(), headers, body };
        let answer = (self.respond)(&sent);
        if let Some(record) = &self.sent {
            record.lock().unwrap().push(sent);
        }
        let status = answer.status.try_into().expect("a valid status");
        let mut response = HttpResponse::new(status, SdkBody::from(answer.body));
        for (name, value) in answer.headers {
            response.headers_mut().insert(name, value);
        }
        HttpConnectorFuture::ready(Ok(response))
    }
}

/// A configuration that reads nothing from the environment: region `us-east-1` and fixed test credentials. Tests add
/// their transport and whatever else they are about.
pub fn config() -> sagemaker_pipelines::config::Builder {
    use sagemaker_pipelines::config::{Credentials, Region};
    sagemaker_pipelines::Config::builder().region(Region::new("us-east-1")).credentials_provider(Credentials::new(
        "AKIDTEST",
        "test-secret",
        None,
        None,
        "project-tests",
    ))
}
