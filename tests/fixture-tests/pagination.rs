//! Behaviour of the `pagination` fixture crate: paginators follow top-level and nested tokens, collect required,
//! nested and map items, and stop when the token is absent, through the real client code path on a scripted
//! transport.

use std::sync::{Arc, Mutex};

use fixture_pagination::config::{Credentials, Region};
use fixture_pagination::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, HttpRequest, HttpResponse,
    RuntimeComponents, SdkBody, SharedHttpConnector,
};
use fixture_pagination::{Client, Config};
use serde_json::{json, Value};

/// Answers each request with the next scripted body and records the request bodies.
#[derive(Debug, Clone)]
struct Script {
    answers: Arc<Mutex<Vec<Value>>>,
    seen: Arc<Mutex<Vec<Value>>>,
}

impl Script {
    fn client(answers: Vec<Value>) -> (Client, Script) {
        let script = Script { answers: Arc::new(Mutex::new(answers)), seen: Arc::default() };
        let config = Config::builder()
            .region(Region::new("us-east-1"))
            .endpoint_url("https://pages.example.com")
            .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "test"))
            .http_client(script.clone())
            .build();
        (Client::from_conf(config), script)
    }

    fn seen(&self) -> Vec<Value> {
        self.seen.lock().unwrap().clone()
    }
}

impl HttpClient for Script {
    fn http_connector(&self, _: &HttpConnectorSettings, _: &RuntimeComponents) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

impl HttpConnector for Script {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        self.seen.lock().unwrap().push(serde_json::from_slice(request.body().bytes().unwrap()).unwrap());
        let body = self.answers.lock().unwrap().remove(0);
        HttpConnectorFuture::ready(Ok(HttpResponse::new(200u16.try_into().unwrap(), SdkBody::from(body.to_string()))))
    }
}

#[tokio::test]
async fn top_level_token_with_required_items_and_page_size() {
    let (client, script) = Script::client(vec![
        json!({"NextToken": "t1", "Things": ["a", "b"]}),
        json!({"NextToken": "t2", "Things": []}),
        json!({"Things": ["c"]}),
    ]);
    let items: Vec<String> =
        client.list_flat().into_paginator().page_size(2).items().send().collect::<Result<_, _>>().await.unwrap();
    assert_eq!(items, ["a", "b", "c"]);
    assert_eq!(
        script.seen(),
        [json!({"MaxResults": 2}), json!({"MaxResults": 2, "NextToken": "t1"}), json!({"MaxResults": 2, "NextToken": "t2"})]
    );
}

#[tokio::test]
async fn nested_token_and_nested_items() {
    let (client, script) = Script::client(vec![
        json!({"Result": {"Cursor": {"Next": "n1"}, "Things": ["x"]}}),
        json!({"Result": {"Cursor": {}, "Things": ["y", "z"]}}),
    ]);
    let items: Vec<String> = client.list_nested().into_paginator().items().send().collect::<Result<_, _>>().await.unwrap();
    assert_eq!(items, ["x", "y", "z"]);
    assert_eq!(script.seen(), [json!({}), json!({"Token": "n1"})]);
}

#[tokio::test]
async fn a_missing_nested_structure_ends_the_pages() {
    let (client, script) = Script::client(vec![json!({})]);
    let pages: Vec<_> = client.list_nested().into_paginator().send().collect::<Result<Vec<_>, _>>().await.unwrap();
    assert_eq!(pages.len(), 1);
    assert_eq!(script.seen().len(), 1);
}

#[tokio::test]
async fn map_items_are_entries() {
    let (client, _) = Script::client(vec![json!({"NextToken": "m", "Counts": {"a": 1}}), json!({"Counts": {"b": 2}})]);
    let mut items: Vec<(String, i32)> =
        client.list_map().into_paginator().items().send().collect::<Result<_, _>>().await.unwrap();
    items.sort();
    assert_eq!(items, [("a".to_owned(), 1), ("b".to_owned(), 2)]);
}
