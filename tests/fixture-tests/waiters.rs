//! Behaviour of the `waiters` fixture crate: every matcher kind (output and inputOutput paths, `success`, `errorType`
//! by a declared error, an undeclared code and an absolute shape id) and every comparator, through the generated
//! client on a scripted transport under tokio's paused clock; the backoff bounds, throttling between polls, a deadline
//! that expires, and an invalid input.

#![allow(clippy::result_large_err)]

mod support;
use fixture_waiters as fixture;

use std::time::{Duration, SystemTime};

use fixture::client::Waiters;
use fixture::config::retry::RetryConfig;
use fixture::config::{Credentials, Region, TimeSource};
use fixture::waiters::WaiterError;
use fixture::{Client, Config};
use support::Wire;
use tokio::time::Instant;

/// Tokio's (paused) clock as the client's time source.
#[derive(Debug)]
struct TokioTime(Instant);

impl TimeSource for TokioTime {
    fn now(&self) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000) + self.0.elapsed()
    }
}

fn client(wire: &Wire, retries: bool) -> Client {
    let retry = if retries { RetryConfig::standard() } else { RetryConfig::disabled() };
    Client::from_conf(
        Config::builder()
            .region(Region::new("us-east-1"))
            .endpoint_url("https://waits.example.com")
            .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "test"))
            .retry_config(retry)
            .time_source(TokioTime(Instant::now()))
            .http_client(wire.clone())
            .build(),
    )
}

const NOT_FOUND: (u16, &str) = (400, r#"{"__type":"example.waits#NotFound","message":"no such thing"}"#);
const GONE: (u16, &str) = (400, r#"{"__type":"Gone","message":"it went away"}"#);
const DENIED: (u16, &str) = (400, r#"{"__type":"AccessDenied","message":"no"}"#);
const THROTTLED: (u16, &str) = (400, r#"{"__type":"ThrottlingException","message":"slow down"}"#);
const MINUTE: Duration = Duration::from_secs(60);

fn status(s: &str) -> (u16, String) {
    (200, format!(r#"{{"Status":"{s}"}}"#))
}

fn wire(answers: &[(u16, String)]) -> Wire {
    Wire::scripted(answers.iter().map(|(s, b)| (*s, b.as_str())))
}

/// The kind of a waiter's result, for assertions.
fn kind<O, E>(r: &Result<fixture::waiters::FinalPoll<O, fixture::error::SdkError<E>>, WaiterError<O, E>>) -> String {
    match r {
        Ok(p) if p.as_result().is_ok() => "success".into(),
        Ok(_) => "success on an error".into(),
        Err(WaiterError::FailureState(f)) if f.final_poll().as_result().is_ok() => "failure".into(),
        Err(WaiterError::FailureState(_)) => "failure on an error".into(),
        Err(WaiterError::ExceededMaxWait(_)) => "exceeded".into(),
        Err(WaiterError::OperationFailed(_)) => "operation failed".into(),
        Err(WaiterError::ConstructionFailure(_)) => "construction failure".into(),
        Err(_) => "other".into(),
    }
}

#[tokio::test(start_paused = true)]
async fn string_equals_succeeds_with_the_final_output_after_retries() {
    let wire = wire(&[status("Pending"), status("Pending"), status("Ready")]);
    let start = Instant::now();
    let poll = client(&wire, false).wait_until_thing_ready().name("t").wait(MINUTE).await.expect("ready");
    let output = poll.into_result().unwrap();
    assert_eq!(output.status().map(|s| s.as_str()), Some("Ready"));
    assert_eq!(wire.count(), 3);
    // minDelay 1, maxDelay 8: the sleeps are 1 s, then 1 or 2 s.
    let elapsed = start.elapsed();
    assert!(elapsed >= Duration::from_secs(2) && elapsed <= Duration::from_secs(3), "{elapsed:?}");
    // Every poll sent the input.
    assert!(wire.sent().iter().all(|b| b == &serde_json::json!({"Name": "t"})), "{:?}", wire.sent());
}

#[tokio::test(start_paused = true)]
async fn string_equals_fails_on_a_failure_state() {
    let wire = wire(&[status("Pending"), status("Failed")]);
    let err = client(&wire, false).wait_until_thing_ready().name("t").wait(MINUTE).await.unwrap_err();
    let WaiterError::FailureState(f) = err else { panic!("{err:?}") };
    assert_eq!(f.into_final_poll().into_result().unwrap().status().map(|s| s.as_str()), Some("Failed"));
}

#[tokio::test(start_paused = true)]
async fn a_declared_error_is_retried_and_throttling_is_retried_by_the_call() {
    let answer = |(s, b): (u16, &str)| (s, b.to_owned());
    let wire = wire(&[answer(NOT_FOUND), status("Pending"), answer(THROTTLED), answer(THROTTLED), status("Ready")]);
    let r = client(&wire, true).wait_until_thing_ready().name("t").wait(MINUTE).await;
    assert_eq!(kind(&r), "success");
    assert_eq!(wire.count(), 5);
}

#[tokio::test(start_paused = true)]
async fn the_deadline_ends_the_wait_and_the_last_poll_is_min_delay_before_it() {
    let wire = wire(&[status("Pending")]);
    let start = Instant::now();
    let err = client(&wire, false).wait_until_thing_ready().name("t").wait(Duration::from_secs(20)).await.unwrap_err();
    let WaiterError::ExceededMaxWait(e) = err else { panic!("{err:?}") };
    // minDelay 1: the last poll is sent at 19 s, leaving it 1 s to answer, and the wait ends with it.
    assert_eq!(start.elapsed(), Duration::from_secs(19));
    assert_eq!(e.max_wait(), Duration::from_secs(20));
    assert_eq!(e.elapsed(), Duration::from_secs(19));
    assert_eq!(e.poll_count() as usize, wire.count());
    // Sleeps of 1 to 8 s over 19 s: at least 4 polls, at most 20.
    assert!((4..=20).contains(&wire.count()), "{}", wire.count());
}

#[tokio::test(start_paused = true)]
async fn an_invalid_input_sends_nothing() {
    let wire = wire(&[status("Ready")]);
    // `Name` is required.
    let r = client(&wire, false).wait_until_thing_ready().wait(MINUTE).await;
    assert_eq!(kind(&r), "construction failure");
    let err = r.unwrap_err();
    assert!(std::error::Error::source(&err).unwrap().to_string().contains("Name"), "{err:?}");
    assert_eq!(wire.count(), 0);
}

#[tokio::test(start_paused = true)]
async fn boolean_equals_and_error_types_by_absolute_id_and_unmatched_errors() {
    let run = |answers: Vec<(u16, String)>| async move {
        let wire = wire(&answers);
        kind(&client(&wire, false).wait_until_thing_flagged().name("t").wait(MINUTE).await)
    };
    assert_eq!(run(vec![(200, "{}".into()), (200, r#"{"Flag":true}"#.into())]).await, "success");
    assert_eq!(run(vec![(200, r#"{"Flag":false}"#.into())]).await, "failure");
    // `example.waits#Gone` is matched by its name; the service does not declare it.
    assert_eq!(run(vec![(GONE.0, GONE.1.into())]).await, "failure on an error");
    // An error no acceptor matches ends the wait.
    assert_eq!(run(vec![(DENIED.0, DENIED.1.into())]).await, "operation failed");
}

#[tokio::test(start_paused = true)]
async fn all_and_any_string_equals_over_a_projection() {
    let items = |states: &[&str]| {
        let items: Vec<String> = states.iter().map(|s| format!(r#"{{"State":"{s}"}}"#)).collect();
        (200, format!(r#"{{"Items":[{}]}}"#, items.join(",")))
    };
    let wire = wire(&[items(&[]), items(&["Done", "Pending"]), items(&["Done", "Done"])]);
    let start = Instant::now();
    let r = client(&wire, false).wait_until_items_settled().name("t").wait(MINUTE).await;
    assert_eq!(kind(&r), "success");
    assert_eq!(wire.count(), 3, "an empty list is not all done");
    // minDelay = maxDelay = 5: a fixed interval.
    assert_eq!(start.elapsed(), Duration::from_secs(10));
    let wire = self::wire(&[items(&["Done", "Broken"])]);
    let r = client(&wire, false).wait_until_items_settled().name("t").wait(MINUTE).await;
    assert_eq!(kind(&r), "failure");
}

#[tokio::test(start_paused = true)]
async fn success_matchers_and_an_error_as_the_success() {
    let wire = wire(&[status("Ready"), (NOT_FOUND.0, NOT_FOUND.1.into())]);
    let r = client(&wire, false).wait_until_thing_gone().name("t").wait(MINUTE).await;
    assert_eq!(kind(&r), "success on an error");
    let err = r.unwrap().into_result().unwrap_err();
    assert!(err.into_service_error().is_not_found());
    assert_eq!(wire.count(), 2, "`success: true` was a retry");
    let wire = self::wire(&[(DENIED.0, DENIED.1.into())]);
    let r = client(&wire, false).wait_until_thing_fails_to_describe().name("t").wait(MINUTE).await;
    assert_eq!(kind(&r), "success on an error");
}

#[tokio::test(start_paused = true)]
async fn input_output_paths_with_length_filters_and_comparisons() {
    let run = |names: Vec<&'static str>, strict: bool, body: &'static str| async move {
        let wire = Wire::scripted([(200, body)]);
        let mut w = client(&wire, false).wait_until_thing_matches_request().name("t").strict(strict);
        for n in names {
            w = w.names(n);
        }
        kind(&w.wait(Duration::from_secs(3)).await)
    };
    // Two names, a count of two, the big item done.
    let done = r#"{"Count":2,"Items":[{"State":"Done","Size":20},{"State":"Pending","Size":5}]}"#;
    assert_eq!(run(vec!["a", "b"], false, done).await, "success");
    let unfinished = r#"{"Count":2,"Items":[{"State":"Pending","Size":20}]}"#;
    assert_eq!(run(vec!["a", "b"], false, unfinished).await, "exceeded");
    assert_eq!(run(vec!["a"], false, done).await, "exceeded");
    // `input.Strict && output.Count > 100`.
    assert_eq!(run(vec!["a"], true, r#"{"Count":101}"#).await, "failure");
    assert_eq!(run(vec!["a"], false, r#"{"Count":101}"#).await, "exceeded");
}

#[tokio::test(start_paused = true)]
async fn paths_through_nested_structures_indexes_flattening_and_negation() {
    let run = |body: &'static str| async move {
        let wire = Wire::scripted([(200, body)]);
        kind(&client(&wire, false).wait_until_deep_paths().name("t").wait(Duration::from_secs(3)).await)
    };
    for body in [
        r#"{"Nested":{"Inner":{"State":"Deep"}}}"#,
        r#"{"Nested":{"Inner":{}},"Items":[{"State":"First"},{"State":"x"}]}"#,
        r#"{"Nested":{"Inner":{}},"Items":[{"State":"x","Tags":["a"]},{"State":"y","Tags":["b","last-tag"]},{"State":"z","Tags":["last-tag"]}]}"#,
        r#"{"Nested":{"Inner":{}},"Groups":[["a"],["b","in-a-group"]]}"#,
        r#"{"Nested":{"Inner":{}},"Items":[{"State":"x","Tags":["t"]},{"State":"y","Tags":["any-tag","u"]}]}"#,
        r#"{"Nested":{"Inner":{}},"Flag":false,"Updated":1000000001}"#,
        r#"{"Nested":{"Inner":{}},"Count":2}"#,
        r#"{"Nested":{"Inner":{}},"Ratio":0.25}"#,
    ] {
        assert_eq!(run(body).await, "success", "{body}");
    }
    for body in [
        // `Items[-1].Tags[0]` is `x`; `Updated` is not late enough; `Flag` is set.
        r#"{"Nested":{"Inner":{}},"Items":[{"State":"x","Tags":["last-tag"]},{"State":"y","Tags":["x"]}]}"#,
        r#"{"Nested":{"Inner":{}},"Flag":false,"Updated":1000000000}"#,
        r#"{"Nested":{"Inner":{}},"Flag":true,"Updated":1000000001,"Count":1,"Ratio":0.5}"#,
    ] {
        assert_eq!(run(body).await, "exceeded", "{body}");
    }
    // The first item without tags is `Untagged`: failure; no `Nested.Inner` at all is an explicit retry.
    let untagged = r#"{"Nested":{"Inner":{}},"Items":[{"State":"x","Tags":["t"]},{"State":"Untagged","Tags":[]}]}"#;
    assert_eq!(run(untagged).await, "failure");
    assert_eq!(run(r#"{"Nested":{}}"#).await, "exceeded");
}

#[tokio::test]
async fn waits_are_send() {
    fn send<T: Send>(t: T) -> T {
        t
    }
    let wire = wire(&[status("Ready")]);
    let r = tokio::spawn(send(client(&wire, false).wait_until_thing_ready().name("t").wait(MINUTE))).await.unwrap();
    assert_eq!(kind(&r), "success");
}
