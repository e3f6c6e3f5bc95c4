//! Shared by the behaviour tests: a fixture's client on an in-memory transport. Copied into each fixture crate as
//! `tests/support/mod.rs`; the behaviour file names its crate `fixture` (`use fixture_x as fixture;`).

#![allow(dead_code)] // Each behaviour file uses what it needs.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use super::fixture::config::{Credentials, Region};
use super::fixture::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, HttpRequest, HttpResponse,
    RuntimeComponents, SdkBody, SharedHttpConnector,
};
use super::fixture::{Client, Config};

/// Answers each request with the next scripted status and body (the last one again when the script runs out), and
/// keeps the request bodies and URIs.
#[derive(Debug, Clone, Default)]
pub struct Wire {
    answers: Arc<Mutex<VecDeque<(u16, String)>>>,
    sent: Arc<Mutex<Vec<Vec<u8>>>>,
    uris: Arc<Mutex<Vec<String>>>,
}

impl Wire {
    /// A transport whose every answer is `status` with `body`.
    pub fn answering(status: u16, body: impl Into<String>) -> Wire {
        let wire = Wire::default();
        wire.answers.lock().unwrap().push_back((status, body.into()));
        wire
    }

    /// A transport answering with these statuses and bodies in turn (the last one again when they run out).
    pub fn scripted<'a>(answers: impl IntoIterator<Item = (u16, &'a str)>) -> Wire {
        let wire = Wire::default();
        wire.answers.lock().unwrap().extend(answers.into_iter().map(|(s, b)| (s, b.to_owned())));
        wire
    }

    /// How many requests were sent.
    pub fn count(&self) -> usize {
        self.sent.lock().unwrap().len()
    }

    /// A client on this transport, with input validation off (these tests are about the wire) and no retries.
    pub fn client(&self) -> Client {
        let config = Config::builder()
            .region(Region::new("us-east-1"))
            .endpoint_url("https://fixture.example.com")
            .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "test"))
            .validate_inputs(false)
            .retry_config(super::fixture::config::retry::RetryConfig::disabled())
            .http_client(self.clone())
            .build();
        Client::from_conf(config)
    }

    /// The request bodies sent so far, as text.
    pub fn sent_text(&self) -> Vec<String> {
        self.sent.lock().unwrap().iter().map(|b| String::from_utf8(b.clone()).unwrap()).collect()
    }

    /// The URIs of the requests sent so far.
    pub fn uris(&self) -> Vec<String> {
        self.uris.lock().unwrap().clone()
    }

    /// The request bodies sent so far, as JSON.
    pub fn sent(&self) -> Vec<serde_json::Value> {
        self.sent_text().iter().map(|t| serde_json::from_str(t).unwrap()).collect()
    }
}

impl HttpClient for Wire {
    fn http_connector(&self, _: &HttpConnectorSettings, _: &RuntimeComponents) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

impl HttpConnector for Wire {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        self.sent.lock().unwrap().push(request.body().bytes().unwrap_or_default().to_vec());
        self.uris.lock().unwrap().push(request.uri().to_owned());
        let mut answers = self.answers.lock().unwrap();
        let (status, body) = if answers.len() > 1 { answers.pop_front() } else { answers.front().cloned() }
            .unwrap_or((200, "{}".to_owned()));
        HttpConnectorFuture::ready(Ok(HttpResponse::new(status.try_into().unwrap(), SdkBody::from(body))))
    }
}

/// Run a future to completion on a current-thread runtime.
pub fn run<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
}
