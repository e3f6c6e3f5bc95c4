//! Tests of attempt timeouts and retry backoff, on tokio's paused clock: no test sleeps for real, and the virtual
//! time a call takes is measured exactly.

use std::time::Duration;

use tokio::time::Instant;

use std::error::Error as _;

use crate::config::retry::RetryConfig;
use crate::config::timeout::TimeoutConfig;
use crate::error::SdkError;
use crate::invoke::Handle;
use crate::retry::backoff;
use crate::tests::support::invoke;

use super::support::*;

const TIMEOUT: Duration = Duration::from_secs(5);

fn timeouts(attempt: Option<Duration>) -> TimeoutConfig {
    let mut t = TimeoutConfig::builder().connect_timeout(Duration::from_secs(3));
    t.set_operation_attempt_timeout(attempt);
    t.build()
}

/// The cause of a timeout, which says what timed out after how long.
fn timed_out(err: &SdkError<OpError>) -> String {
    assert!(matches!(err, SdkError::TimeoutError(_)), "expected a timeout, got {err:?}");
    err.source().expect("a cause").to_string()
}

fn client(http: &FakeHttp, retry: RetryConfig, attempt_timeout: Option<Duration>) -> Handle {
    let config = config(http).retry_config(retry).timeout_config(timeouts(attempt_timeout)).build();
    Handle::new(config, &SERVICE)
}

/// The sum of the backoff ceilings before retries `1..attempts`: the longest the loop may sleep in all.
fn max_backoff_sum(retry: &RetryConfig) -> Duration {
    (1..retry.max_attempts()).map(|n| backoff(retry, n, 1.0)).sum()
}

// ---------------------------------------------------------------------------------------------------------------
// Attempt timeouts

#[tokio::test(start_paused = true)]
async fn attempts_that_never_answer_time_out_after_max_attempts() {
    let http = FakeHttp::new([Reply::Hang, Reply::Hang, Reply::Hang]);
    let retry = RetryConfig::standard();
    let bound = TIMEOUT * 3 + max_backoff_sum(&retry);
    let start = Instant::now();
    let err = invoke(&client(&http, retry, Some(TIMEOUT)), op(), b"{}".to_vec()).await.unwrap_err();
    let elapsed = start.elapsed();
    assert_eq!(timed_out(&err), "the attempt timed out after 5s");
    assert_eq!(http.count(), 3);
    assert!(elapsed >= TIMEOUT * 3, "{elapsed:?}");
    assert!(elapsed <= bound, "{elapsed:?} > {bound:?}");
}

#[tokio::test(start_paused = true)]
async fn without_backoff_the_time_taken_is_exactly_attempts_times_the_timeout() {
    let http = FakeHttp::new([Reply::Hang, Reply::Hang, Reply::Hang, Reply::Hang]);
    let retry = RetryConfig::standard().with_max_attempts(4).with_initial_backoff(Duration::ZERO);
    let start = Instant::now();
    let err = invoke(&client(&http, retry, Some(TIMEOUT)), op(), b"{}".to_vec()).await.unwrap_err();
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
    assert_eq!(start.elapsed(), TIMEOUT * 4);
    assert_eq!(http.count(), 4);
}

#[tokio::test(start_paused = true)]
async fn a_response_slower_than_the_timeout_is_a_timeout() {
    let http = FakeHttp::new([Reply::After(Duration::from_secs(10), response(200, "{}"))]);
    let start = Instant::now();
    let err = invoke(&client(&http, RetryConfig::disabled(), Some(TIMEOUT)), op(), b"{}".to_vec()).await.unwrap_err();
    assert_eq!(timed_out(&err), "the attempt timed out after 5s");
    assert_eq!(start.elapsed(), TIMEOUT);
    assert_eq!(http.count(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_response_within_the_timeout_is_not_cut_short() {
    let http = FakeHttp::new([Reply::After(Duration::from_secs(4), response(200, r#"{"Count":4}"#))]);
    let start = Instant::now();
    let out = invoke(&client(&http, RetryConfig::disabled(), Some(TIMEOUT)), op(), b"{}".to_vec()).await.unwrap();
    assert_eq!(out.count, Some(4));
    assert_eq!(start.elapsed(), Duration::from_secs(4));
}

#[tokio::test(start_paused = true)]
async fn a_timed_out_attempt_is_retried() {
    let http = FakeHttp::new([Reply::Hang, Reply::Respond(response(200, r#"{"Name":"second"}"#))]);
    let retry = RetryConfig::standard();
    let bound = TIMEOUT + backoff(&retry, 1, 1.0);
    let start = Instant::now();
    let out = invoke(&client(&http, retry, Some(TIMEOUT)), op(), b"{}".to_vec()).await.unwrap();
    let elapsed = start.elapsed();
    assert_eq!(out.name.as_deref(), Some("second"));
    assert_eq!(http.count(), 2);
    assert!(elapsed >= TIMEOUT && elapsed <= bound, "{elapsed:?}");
}

#[tokio::test(start_paused = true)]
async fn without_an_attempt_timeout_a_slow_response_is_awaited() {
    let slow = Duration::from_secs(600);
    let http = FakeHttp::new([Reply::After(slow, response(200, "{}"))]);
    let start = Instant::now();
    invoke(&client(&http, RetryConfig::standard(), None), op(), b"{}".to_vec()).await.unwrap();
    assert_eq!(start.elapsed(), slow);
    assert_eq!(http.count(), 1);
}

#[tokio::test(start_paused = true)]
async fn the_default_attempt_timeout_is_60_seconds() {
    let http = FakeHttp::new([Reply::Hang]);
    let handle = Handle::new(config(&http).retry_config(RetryConfig::disabled()).build(), &SERVICE);
    let start = Instant::now();
    let err = invoke(&handle, op(), b"{}".to_vec()).await.unwrap_err();
    assert_eq!(timed_out(&err), "the attempt timed out after 60s");
    assert_eq!(start.elapsed(), Duration::from_secs(60));
}

#[tokio::test(start_paused = true)]
async fn a_timeout_error_says_how_long_it_waited() {
    let http = FakeHttp::new([Reply::Hang]);
    let err = invoke(&client(&http, RetryConfig::disabled(), Some(Duration::from_millis(1500))), op(), b"{}".to_vec())
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "request has timed out");
    assert_eq!(timed_out(&err), "the attempt timed out after 1.5s");
}

// ---------------------------------------------------------------------------------------------------------------
// The operation timeout: the whole call, retries and backoff included

fn with_operation_timeout(
    http: &FakeHttp,
    retry: RetryConfig,
    operation: Duration,
    attempt: Option<Duration>,
) -> Handle {
    let mut t = TimeoutConfig::builder().operation_timeout(operation);
    t.set_operation_attempt_timeout(attempt);
    Handle::new(config(http).retry_config(retry).timeout_config(t.build()).build(), &SERVICE)
}

#[tokio::test(start_paused = true)]
async fn the_operation_timeout_ends_the_call_between_attempts() {
    let http = FakeHttp::new([Reply::Hang, Reply::Hang, Reply::Hang]);
    let retry = RetryConfig::standard().with_initial_backoff(Duration::ZERO);
    let handle = with_operation_timeout(&http, retry, Duration::from_secs(10), Some(Duration::from_secs(4)));
    let start = Instant::now();
    let err = invoke(&handle, op(), b"{}".to_vec()).await.unwrap_err();
    // Attempts end at 4 s and 8 s; the third is cut short at 10 s.
    assert_eq!(timed_out(&err), "the operation timed out after 10s");
    assert_eq!(start.elapsed(), Duration::from_secs(10));
    assert_eq!(http.count(), 3);
}

#[tokio::test(start_paused = true)]
async fn the_operation_timeout_covers_the_backoff() {
    let http = FakeHttp::new([Reply::Respond(response(503, "")), Reply::Respond(response(200, "{}"))]);
    // A backoff of up to 100 s, with jitter: the call may time out during it (or not, when the jitter is small).
    let retry = RetryConfig::standard()
        .with_initial_backoff(Duration::from_secs(100))
        .with_max_backoff(Duration::from_secs(100));
    let handle = with_operation_timeout(&http, retry, Duration::from_secs(1), None);
    let start = Instant::now();
    match invoke(&handle, op(), b"{}".to_vec()).await {
        Err(err) => {
            assert_eq!(timed_out(&err), "the operation timed out after 1s");
            assert_eq!(start.elapsed(), Duration::from_secs(1));
            assert_eq!(http.count(), 1);
        }
        Ok(_) => {
            assert!(start.elapsed() < Duration::from_secs(1));
            assert_eq!(http.count(), 2);
        }
    }
}

#[tokio::test(start_paused = true)]
async fn the_operation_timeout_without_attempt_timeouts_cuts_a_hanging_attempt() {
    let http = FakeHttp::new([Reply::Hang]);
    let handle = with_operation_timeout(&http, RetryConfig::standard(), Duration::from_secs(30), None);
    let start = Instant::now();
    let err = invoke(&handle, op(), b"{}".to_vec()).await.unwrap_err();
    assert_eq!(timed_out(&err), "the operation timed out after 30s");
    assert_eq!(start.elapsed(), Duration::from_secs(30));
}

#[tokio::test(start_paused = true)]
async fn a_call_within_the_operation_timeout_is_not_cut_short() {
    let http = FakeHttp::new([
        Reply::After(Duration::from_secs(3), response(503, "")),
        Reply::After(Duration::from_secs(3), response(200, r#"{"Count":2}"#)),
    ]);
    let retry = RetryConfig::standard().with_initial_backoff(Duration::from_secs(1));
    let handle = with_operation_timeout(&http, retry, Duration::from_secs(10), Some(Duration::from_secs(5)));
    let start = Instant::now();
    let out = invoke(&handle, op(), b"{}".to_vec()).await.unwrap();
    assert_eq!(out.count, Some(2));
    let elapsed = start.elapsed();
    assert!(elapsed >= Duration::from_secs(6) && elapsed <= Duration::from_secs(7), "{elapsed:?}");
}

#[tokio::test(start_paused = true)]
async fn an_attempt_timeout_shorter_than_the_operation_timeout_still_ends_the_attempt() {
    let http = FakeHttp::new([Reply::Hang]);
    let handle = with_operation_timeout(&http, RetryConfig::disabled(), Duration::from_secs(60), Some(TIMEOUT));
    let start = Instant::now();
    let err = invoke(&handle, op(), b"{}".to_vec()).await.unwrap_err();
    assert_eq!(timed_out(&err), "the attempt timed out after 5s");
    assert_eq!(start.elapsed(), TIMEOUT);
}

// ---------------------------------------------------------------------------------------------------------------
// The configured sleep

#[tokio::test(start_paused = true)]
async fn timeouts_and_backoff_run_on_the_configured_sleep() {
    let http = FakeHttp::new([Reply::Respond(response(503, "")), Reply::Hang]);
    let sleep = InstantSleep::default();
    let retry = RetryConfig::standard().with_max_attempts(2).with_initial_backoff(Duration::from_secs(50));
    let t = TimeoutConfig::builder()
        .operation_timeout(Duration::from_secs(900))
        .operation_attempt_timeout(Duration::from_secs(300))
        .build();
    let config = config(&http).retry_config(retry).timeout_config(t).sleep_impl(sleep.clone()).build();
    let start = Instant::now();
    let err = invoke(&Handle::new(config, &SERVICE), op(), b"{}".to_vec()).await.unwrap_err();
    // The configured sleep returns at once: tokio's clock did not move, and whichever timer is polled first ends
    // the hanging attempt.
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
    assert_eq!(start.elapsed(), Duration::ZERO);
    let asked = sleep.asked();
    assert_eq!(asked[0], Duration::from_secs(900), "the operation timeout: {asked:?}");
    assert_eq!(asked[1], Duration::from_secs(300), "the first attempt's timeout: {asked:?}");
    assert!(asked[2] <= Duration::from_secs(50), "the backoff: {asked:?}");
    assert_eq!(asked[3], Duration::from_secs(300), "the second attempt's timeout: {asked:?}");
    assert_eq!(asked.len(), 4, "{asked:?}");
}

// ---------------------------------------------------------------------------------------------------------------
// Backoff in the attempt loop

#[tokio::test(start_paused = true)]
async fn backoff_between_retries_stays_under_the_capped_ceilings() {
    let script = (0..5).map(|_| Reply::Respond(response(503, "")));
    let http = FakeHttp::new(script);
    let retry = RetryConfig::standard()
        .with_max_attempts(5)
        .with_initial_backoff(Duration::from_secs(1))
        .with_max_backoff(Duration::from_secs(3));
    assert_eq!(max_backoff_sum(&retry), Duration::from_secs(1 + 2 + 3 + 3));
    let bound = max_backoff_sum(&retry);
    let start = Instant::now();
    invoke(&client(&http, retry, Some(TIMEOUT)), op(), b"{}".to_vec()).await.unwrap_err();
    assert!(start.elapsed() <= bound, "{:?}", start.elapsed());
    assert_eq!(http.count(), 5);
}

#[tokio::test(start_paused = true)]
async fn a_retry_waits_a_random_part_of_the_backoff_ceiling() {
    let http = FakeHttp::new([Reply::Respond(response(503, "")), Reply::Respond(response(200, "{}"))]);
    let retry = RetryConfig::standard().with_initial_backoff(Duration::from_secs(10));
    let start = Instant::now();
    invoke(&client(&http, retry, Some(TIMEOUT)), op(), b"{}".to_vec()).await.unwrap();
    let elapsed = start.elapsed();
    // Zero only if the jitter were exactly 0 (odds 2^-53): a loop that skipped the backoff would take no time.
    assert!(elapsed > Duration::ZERO && elapsed <= Duration::from_secs(10), "{elapsed:?}");
}

#[tokio::test(start_paused = true)]
async fn there_is_no_backoff_after_the_last_attempt() {
    let http = FakeHttp::new([Reply::Respond(response(503, ""))]);
    let retry = RetryConfig::disabled().with_initial_backoff(Duration::from_secs(10));
    let start = Instant::now();
    invoke(&client(&http, retry, Some(TIMEOUT)), op(), b"{}".to_vec()).await.unwrap_err();
    assert_eq!(start.elapsed(), Duration::ZERO);
}

#[tokio::test(start_paused = true)]
async fn there_is_no_backoff_before_a_non_retryable_error() {
    let http = FakeHttp::new([Reply::Respond(error_response(400, "ValidationException", "bad", "r1"))]);
    let retry = RetryConfig::standard().with_initial_backoff(Duration::from_secs(10));
    let start = Instant::now();
    invoke(&client(&http, retry, Some(TIMEOUT)), op(), b"{}".to_vec()).await.unwrap_err();
    assert_eq!(start.elapsed(), Duration::ZERO);
}
