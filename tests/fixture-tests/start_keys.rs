//! Behaviour of the `start_keys` fixture crate: a paginator whose token is a map (DynamoDB's `ExclusiveStartKey` /
//! `LastEvaluatedKey`) sends each page's key back as the next request's start key, and stops when the key is
//! absent, empty, or the one just sent.

use fixture_start_keys as fixture;

mod support;

use fixture::types::Value;
use serde_json::json;
use support::{run, Wire};

#[test]
fn each_last_evaluated_key_is_the_next_start_key_until_there_is_none() {
    let wire = Wire::scripted([
        (200, r#"{"Items": [{"id": {"S": "a"}}], "LastEvaluatedKey": {"id": {"S": "a"}}}"#),
        (200, r#"{"Items": [{"id": {"S": "b"}}], "LastEvaluatedKey": {"id": {"S": "b"}, "n": {"N": "2"}}}"#),
        (200, r#"{"Items": []}"#),
    ]);
    let client = wire.client();
    let pages = run(client.scan().limit(1).into_paginator().send().collect::<Result<Vec<_>, _>>()).unwrap();
    assert_eq!(pages.len(), 3);
    let first = pages[0].last_evaluated_key().unwrap();
    assert_eq!(first.get("id"), Some(&Value::S("a".to_owned())));
    assert_eq!(
        wire.sent(),
        [
            json!({"Limit": 1}),
            json!({"Limit": 1, "ExclusiveStartKey": {"id": {"S": "a"}}}),
            json!({"Limit": 1, "ExclusiveStartKey": {"id": {"S": "b"}, "n": {"N": "2"}}}),
        ]
    );
}

#[test]
fn an_empty_key_ends_the_pages() {
    let wire = Wire::scripted([(200, r#"{"LastEvaluatedKey": {}}"#)]);
    let pages = run(wire.client().scan().into_paginator().send().collect::<Result<Vec<_>, _>>()).unwrap();
    assert_eq!(pages.len(), 1);
    assert_eq!(wire.count(), 1);
}

#[test]
fn the_key_just_sent_ends_the_pages_unless_asked_to_follow_it() {
    let same = r#"{"LastEvaluatedKey": {"id": {"S": "k"}}}"#;
    let wire = Wire::scripted([(200, same), (200, same)]);
    let pages = run(wire.client().scan().into_paginator().send().collect::<Result<Vec<_>, _>>()).unwrap();
    // The page that repeats the key is yielded; no request follows it.
    assert_eq!(pages.len(), 2);
    assert_eq!(wire.count(), 2);
    let wire = Wire::scripted([(200, same), (200, same), (200, "{}")]);
    let pages = run(
        wire.client().scan().into_paginator().stop_on_duplicate_token(false).send().collect::<Result<Vec<_>, _>>(),
    )
    .unwrap();
    assert_eq!(pages.len(), 3);
    assert_eq!(wire.sent()[2], json!({"ExclusiveStartKey": {"id": {"S": "k"}}}));
}
