//! Tests of attempt timeouts and retry backoff, on tokio's paused clock: no test sleeps for real, and the virtual
//! time a call takes is measured exactly.

use std::time::Duration;

use tokio::time::Instant;

use crate::config::{RetryConfig, TimeoutConfig};
use crate::error::SdkError;
use crate::invoke::{invoke, jitter, Handle};

use super::support::*;

const TIMEOUT: Duration = Duration::from_secs(5);

fn timeouts(attempt: Option<Duration>) -> TimeoutConfig {
    TimeoutConfig::default().with_attempt_timeout(attempt)
}

fn client(http: &FakeHttp, retry: RetryConfig, attempt_timeout: Option<Duration>) -> Handle {
    let config = config(http).retry_config(retry).timeout_config(timeouts(attempt_timeout)).build();
    Handle::new(config, &SERVICE)
}

/// The sum of the backoff ceilings before retries `1..attempts`: the longest the loop may sleep in all.
fn max_backoff_sum(retry: &RetryConfig) -> Duration {
    (1..retry.max_attempts()).map(|n| retry.backoff(n, 1.0)).sum()
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
    let SdkError::Timeout(e) = err else { panic!("expected a timeout, got {err:?}") };
    assert_eq!(e.after, TIMEOUT);
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
    assert!(matches!(err, SdkError::Timeout(_)), "{err:?}");
    assert_eq!(start.elapsed(), TIMEOUT * 4);
    assert_eq!(http.count(), 4);
}

#[tokio::test(start_paused = true)]
async fn a_response_slower_than_the_timeout_is_a_timeout() {
    let http = FakeHttp::new([Reply::After(Duration::from_secs(10), response(200, "{}"))]);
    let start = Instant::now();
    let err = invoke(&client(&http, RetryConfig::disabled(), Some(TIMEOUT)), op(), b"{}".to_vec()).await.unwrap_err();
    let SdkError::Timeout(e) = err else { panic!("expected a timeout, got {err:?}") };
    assert_eq!(e.after, TIMEOUT);
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
    let bound = TIMEOUT + retry.backoff(1, 1.0);
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
    assert!(matches!(err, SdkError::Timeout(_)), "{err:?}");
    assert_eq!(start.elapsed(), Duration::from_secs(60));
}

#[test]
fn a_timeout_error_says_how_long_it_waited() {
    let e = crate::http::TimeoutError { after: Duration::from_millis(1500) };
    assert_eq!(e.to_string(), "the request timed out after 1.5s");
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

// ---------------------------------------------------------------------------------------------------------------
// RetryConfig::backoff

#[test]
fn backoff_doubles_up_to_the_cap_and_scales_with_jitter() {
    let r = RetryConfig::standard();
    assert_eq!(r.backoff(1, 1.0), Duration::from_secs(1));
    assert_eq!(r.backoff(2, 1.0), Duration::from_secs(2));
    assert_eq!(r.backoff(3, 1.0), Duration::from_secs(4));
    assert_eq!(r.backoff(10, 1.0), Duration::from_secs(20));
    assert_eq!(r.backoff(2, 0.5), Duration::from_secs(1));
    assert_eq!(r.backoff(40, 0.0), Duration::ZERO);
}

#[test]
fn backoff_ceilings_double_from_the_initial_backoff_until_the_cap() {
    let r = RetryConfig::standard()
        .with_initial_backoff(Duration::from_millis(100))
        .with_max_backoff(Duration::from_millis(500));
    let ceilings: Vec<u128> = (1..=6).map(|n| r.backoff(n, 1.0).as_millis()).collect();
    assert_eq!(ceilings, [100, 200, 400, 500, 500, 500]);
}

#[test]
fn backoff_does_not_overflow_for_huge_retry_numbers() {
    let r = RetryConfig::standard();
    for n in [21, 32, 33, 64, 1000, u32::MAX] {
        assert_eq!(r.backoff(n, 1.0), Duration::from_secs(20), "retry {n}");
    }
    let uncapped = RetryConfig::standard().with_max_backoff(Duration::MAX);
    // The exponent stops growing at 2^20.
    assert_eq!(uncapped.backoff(u32::MAX, 1.0), Duration::from_secs(1 << 20));
}

#[test]
fn backoff_is_a_fraction_of_the_ceiling() {
    let r = RetryConfig::standard(); // ceiling of retry 3: 4 s
    assert_eq!(r.backoff(3, 0.0), Duration::ZERO);
    assert_eq!(r.backoff(3, 0.25), Duration::from_secs(1));
    assert_eq!(r.backoff(3, 0.75), Duration::from_secs(3));
}

#[test]
fn backoff_clamps_the_random_part_into_the_unit_interval() {
    let r = RetryConfig::standard();
    assert_eq!(r.backoff(3, 7.0), Duration::from_secs(4));
    assert_eq!(r.backoff(3, -1.0), Duration::ZERO);
}

#[test]
fn a_zero_max_backoff_means_no_waiting() {
    let r = RetryConfig::standard().with_max_backoff(Duration::ZERO);
    assert!((1..10).all(|n| r.backoff(n, 0.99) == Duration::ZERO));
}

// ---------------------------------------------------------------------------------------------------------------
// jitter

#[test]
fn jitter_is_in_the_unit_interval() {
    for _ in 0..10_000 {
        let j = jitter();
        assert!((0.0..1.0).contains(&j), "{j}");
    }
}

#[test]
fn jitter_spreads_over_the_whole_interval() {
    let mut deciles = [0usize; 10];
    for _ in 0..10_000 {
        deciles[(jitter() * 10.0) as usize] += 1;
    }
    // Uniform would put about 1 000 in each; a constant or clustered source leaves some empty.
    assert!(deciles.iter().all(|&n| n > 500), "{deciles:?}");
}
