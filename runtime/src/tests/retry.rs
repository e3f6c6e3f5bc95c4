//! Tests of `retry`: backoff and jitter, the retry quota (alone and in the attempt loop, shared by clones of a
//! client and not between clients), and the adaptive mode's rate limiter (alone, with explicit times, and in the
//! attempt loop on tokio's paused clock, read through a time source).

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::config::retry::{RetryConfig, RetryMode};
use crate::config::timeout::TimeoutConfig;
use crate::config::TimeSource;
use crate::error::{ProvideErrorMetadata as _, SdkError};
use crate::invoke::Handle;
use crate::retry::*;
use crate::tests::support::invoke;

use super::support::*;

/// A time source that reads tokio's clock (paused in these tests): it moves with every sleep and timeout, from
/// 1.7e9 s after the epoch. The adaptive mode needs the time source and the sleep to agree: on the system clock, a
/// sleep on the paused clock that returns at once would leave the rate limiter asking to wait until real time has
/// caught up.
#[derive(Debug, Clone)]
struct TokioTime {
    start: tokio::time::Instant,
}

impl TokioTime {
    fn new() -> Self {
        TokioTime { start: tokio::time::Instant::now() }
    }
}

const BASE: Duration = Duration::from_secs(1_700_000_000);

impl TimeSource for TokioTime {
    fn now(&self) -> SystemTime {
        SystemTime::UNIX_EPOCH + BASE + self.start.elapsed()
    }
}

/// A client over `http` with these retry settings, no timeouts, on tokio's clock, with a fixed jitter.
fn client(http: &FakeHttp, retry: RetryConfig, jitter: Jitter) -> Handle {
    let config =
        config(http).retry_config(retry).timeout_config(TimeoutConfig::disabled()).time_source(TokioTime::new());
    let mut handle = Handle::new(config.build(), &SERVICE);
    std::sync::Arc::get_mut(&mut handle.retries).expect("not shared yet").jitter = jitter;
    handle
}

fn standard(max_attempts: u32) -> RetryConfig {
    RetryConfig::standard().with_max_attempts(max_attempts)
}

fn unavailable() -> Reply {
    Reply::Respond(error_response(503, "ServiceUnavailable", "later", "r"))
}

fn throttled() -> Reply {
    Reply::Respond(error_response(400, "ThrottlingException", "slow down", "r"))
}

fn ok() -> Reply {
    Reply::Respond(response(200, "{}"))
}

fn tokens(handle: &Handle) -> u32 {
    handle.retries.quota.available()
}

async fn call(handle: &Handle) -> Result<crate::tests::support::Out, SdkError<OpError>> {
    invoke(handle, op(), b"{}".to_vec()).await
}

// ---------------------------------------------------------------------------------------------------------------
// backoff

#[test]
fn backoff_doubles_up_to_the_cap_and_scales_with_jitter() {
    let r = &RetryConfig::standard();
    assert_eq!(backoff(r, 1, 1.0), Duration::from_secs(1));
    assert_eq!(backoff(r, 2, 1.0), Duration::from_secs(2));
    assert_eq!(backoff(r, 3, 1.0), Duration::from_secs(4));
    assert_eq!(backoff(r, 10, 1.0), Duration::from_secs(20));
    assert_eq!(backoff(r, 2, 0.5), Duration::from_secs(1));
    assert_eq!(backoff(r, 40, 0.0), Duration::ZERO);
}

#[test]
fn backoff_ceilings_double_from_the_initial_backoff_until_the_cap() {
    let r = &RetryConfig::standard()
        .with_initial_backoff(Duration::from_millis(100))
        .with_max_backoff(Duration::from_millis(500));
    let ceilings: Vec<u128> = (1..=6).map(|n| backoff(r, n, 1.0).as_millis()).collect();
    assert_eq!(ceilings, [100, 200, 400, 500, 500, 500]);
}

#[test]
fn backoff_does_not_overflow_for_huge_retry_numbers() {
    let r = &RetryConfig::standard();
    for n in [21, 32, 33, 64, 1000, u32::MAX] {
        assert_eq!(backoff(r, n, 1.0), Duration::from_secs(20), "retry {n}");
    }
    let uncapped = &RetryConfig::standard().with_max_backoff(Duration::MAX);
    // The exponent stops growing at 2^20.
    assert_eq!(backoff(uncapped, u32::MAX, 1.0), Duration::from_secs(1 << 20));
}

#[test]
fn backoff_is_a_fraction_of_the_ceiling() {
    let r = &RetryConfig::standard(); // ceiling of retry 3: 4 s
    assert_eq!(backoff(r, 3, 0.0), Duration::ZERO);
    assert_eq!(backoff(r, 3, 0.25), Duration::from_secs(1));
    assert_eq!(backoff(r, 3, 0.75), Duration::from_secs(3));
}

#[test]
fn backoff_clamps_the_random_part_into_the_unit_interval() {
    let r = &RetryConfig::standard();
    assert_eq!(backoff(r, 3, 7.0), Duration::from_secs(4));
    assert_eq!(backoff(r, 3, -1.0), Duration::ZERO);
}

#[test]
fn a_zero_max_backoff_means_no_waiting() {
    let r = &RetryConfig::standard().with_max_backoff(Duration::ZERO);
    assert!((1..10).all(|n| backoff(r, n, 0.99) == Duration::ZERO));
}

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

#[tokio::test(start_paused = true)]
async fn the_loop_waits_the_backoff_of_the_clients_jitter() {
    let http = FakeHttp::new([unavailable(), unavailable(), unavailable(), ok()]);
    let sleep = InstantSleep::default();
    let retry = standard(4).with_initial_backoff(Duration::from_secs(2)).with_max_backoff(Duration::from_secs(5));
    let config = config(&http).retry_config(retry).timeout_config(TimeoutConfig::disabled()).sleep_impl(sleep.clone());
    let mut handle = Handle::new(config.build(), &SERVICE);
    std::sync::Arc::get_mut(&mut handle.retries).expect("not shared yet").jitter = || 0.5;
    call(&handle).await.unwrap();
    // Ceilings 2 s, 4 s, 8 s capped at 5 s; half of each.
    assert_eq!(sleep.asked(), [Duration::from_secs(1), Duration::from_secs(2), Duration::from_millis(2500)]);
}

#[tokio::test(start_paused = true)]
async fn a_jitter_of_zero_retries_at_once() {
    let http = FakeHttp::new([unavailable(), unavailable(), ok()]);
    let handle = client(&http, standard(3), || 0.0);
    let start = tokio::time::Instant::now();
    call(&handle).await.unwrap();
    assert_eq!(start.elapsed(), Duration::ZERO);
    assert_eq!(http.count(), 3);
}

// ---------------------------------------------------------------------------------------------------------------
// RetryQuota

#[test]
fn a_quota_pays_while_it_has_the_tokens() {
    let quota = RetryQuota::new(12);
    assert!(quota.try_take(5));
    assert!(quota.try_take(5));
    assert!(!quota.try_take(5), "2 tokens left");
    assert_eq!(quota.available(), 2);
    assert!(quota.try_take(2));
    assert!(!quota.try_take(1));
}

#[test]
fn a_quota_never_grows_past_its_capacity() {
    let quota = RetryQuota::new(10);
    quota.give_back(1);
    assert_eq!(quota.available(), 10);
    assert!(quota.try_take(10));
    quota.give_back(4);
    quota.give_back(u32::MAX);
    assert_eq!(quota.available(), 10);
}

#[test]
fn the_costs_are_those_of_the_aws_sdks() {
    assert_eq!((INITIAL_RETRY_TOKENS, RETRY_COST, TIMEOUT_RETRY_COST, NO_RETRY_INCREMENT), (500, 5, 10, 1));
}

// ---------------------------------------------------------------------------------------------------------------
// The quota in the attempt loop

#[tokio::test(start_paused = true)]
async fn each_retry_takes_five_tokens_and_a_failed_call_gets_none_back() {
    let http = FakeHttp::new([unavailable(), unavailable(), unavailable()]);
    let handle = client(&http, standard(3), || 0.0);
    assert_eq!(tokens(&handle), 500);
    call(&handle).await.unwrap_err();
    assert_eq!(http.count(), 3);
    // Two retries; nothing is taken for the retry that max_attempts forbids.
    assert_eq!(tokens(&handle), 490);
}

#[tokio::test(start_paused = true)]
async fn retries_after_timeouts_take_ten_tokens() {
    // An attempt timeout, then the transport's own timeout, then an I/O failure (5), then a success.
    let http = FakeHttp::new([Reply::Hang, Reply::Fail(Fail::Timeout), Reply::Fail(Fail::Io), ok()]);
    let config = config(&http)
        .retry_config(standard(4))
        .timeout_config(TimeoutConfig::builder().operation_attempt_timeout(Duration::from_secs(1)).build());
    let mut handle = Handle::new(config.build(), &SERVICE);
    std::sync::Arc::get_mut(&mut handle.retries).expect("not shared yet").jitter = || 0.0;
    call(&handle).await.unwrap();
    // 10 + 10 + 5 taken; the last retry's 5 given back when it succeeded.
    assert_eq!(tokens(&handle), 500 - 10 - 10 - 5 + 5);
}

#[tokio::test(start_paused = true)]
async fn a_success_gives_back_what_its_last_retry_took() {
    let http = FakeHttp::new([unavailable(), ok(), unavailable(), unavailable(), ok()]);
    let handle = client(&http, standard(3), || 0.0);
    call(&handle).await.unwrap();
    assert_eq!(tokens(&handle), 500, "5 taken, 5 given back");
    call(&handle).await.unwrap();
    assert_eq!(tokens(&handle), 495, "10 taken, 5 given back");
}

#[tokio::test(start_paused = true)]
async fn a_first_attempt_success_gives_back_one_token_up_to_the_capacity() {
    let http = FakeHttp::new([unavailable(), unavailable(), unavailable(), ok(), ok(), ok()]);
    let handle = client(&http, standard(3), || 0.0);
    call(&handle).await.unwrap_err();
    assert_eq!(tokens(&handle), 490);
    call(&handle).await.unwrap();
    call(&handle).await.unwrap();
    assert_eq!(tokens(&handle), 492);
    let full = FakeHttp::new([ok()]);
    let fresh = client(&full, standard(3), || 0.0);
    call(&fresh).await.unwrap();
    assert_eq!(tokens(&fresh), 500);
}

#[tokio::test(start_paused = true)]
async fn errors_that_are_not_retried_take_nothing() {
    let http = FakeHttp::new([
        Reply::Respond(error_response(400, "ValidationException", "bad", "r")),
        Reply::Fail(Fail::User),
    ]);
    let handle = client(&http, standard(3), || 0.0);
    call(&handle).await.unwrap_err();
    call(&handle).await.unwrap_err();
    assert_eq!((http.count(), tokens(&handle)), (2, 500));
}

#[tokio::test(start_paused = true)]
async fn the_quota_pays_for_one_hundred_retries_then_the_last_error_is_returned() {
    let script = (0..150).map(|_| unavailable());
    let http = FakeHttp::new(script);
    let handle = client(&http, standard(1000), || 0.0);
    let err = call(&handle).await.unwrap_err();
    // 500 / 5 = 100 retries, so 101 attempts; the last error is the call's.
    assert_eq!(http.count(), 101);
    assert_eq!(tokens(&handle), 0);
    assert_eq!(err.code(), Some("ServiceUnavailable"));
    assert!(matches!(err, SdkError::ServiceError(_)), "{err:?}");
    // With the quota empty, a call is sent once.
    call(&handle).await.unwrap_err();
    assert_eq!(http.count(), 102);
}

#[tokio::test(start_paused = true)]
async fn an_empty_quota_returns_timeouts_and_transport_failures_as_they_are() {
    let http = FakeHttp::new((0..52).map(|_| Reply::Fail(Fail::Timeout)));
    let handle = client(&http, standard(1000), || 0.0);
    let err = call(&handle).await.unwrap_err();
    // 500 / 10 = 50 retries after transport timeouts.
    assert_eq!(http.count(), 51);
    let SdkError::DispatchFailure(e) = &err else { panic!("expected a dispatch failure, got {err:?}") };
    assert!(e.is_timeout());
    call(&handle).await.unwrap_err();
    assert_eq!(http.count(), 52);
}

#[tokio::test(start_paused = true)]
async fn successes_refill_an_empty_quota() {
    let script = (0..101).map(|_| unavailable()).chain((0..5).map(|_| ok())).chain([unavailable(), ok()]);
    let http = FakeHttp::new(script);
    let handle = client(&http, standard(1000), || 0.0);
    call(&handle).await.unwrap_err();
    for _ in 0..5 {
        call(&handle).await.unwrap();
    }
    assert_eq!(tokens(&handle), 5);
    // Enough for one retry again.
    call(&handle).await.unwrap();
    assert_eq!(http.count(), 101 + 5 + 2);
    assert_eq!(tokens(&handle), 5);
}

#[tokio::test(start_paused = true)]
async fn clones_of_a_client_share_the_quota_and_separate_clients_do_not() {
    let http = FakeHttp::new((0..101).map(|_| unavailable()).chain([unavailable(), unavailable(), unavailable()]));
    // The generated client holds an `Arc<Handle>`: its clones share it.
    let first = Arc::new(client(&http, standard(1000), || 0.0));
    let clone = Arc::clone(&first);
    call(&first).await.unwrap_err();
    assert_eq!(tokens(&clone), 0);
    call(&clone).await.unwrap_err();
    assert_eq!(http.count(), 102, "the clone sent once");
    let separate = client(&http, standard(2), || 0.0);
    assert_eq!(tokens(&separate), 500);
    call(&separate).await.unwrap_err();
    assert_eq!(http.count(), 104, "the other client retried");
}

#[tokio::test(start_paused = true)]
async fn three_hundred_calls_to_a_failing_service_send_far_fewer_than_nine_hundred_requests() {
    let http = FakeHttp::new((0..900).map(|_| unavailable()));
    // The default settings: standard mode, 3 attempts, backoff from 1 s to 20 s with random jitter.
    let config = config(&http).time_source(TokioTime::new()).build();
    let client = Arc::new(Handle::new(config, &SERVICE));
    let calls = (0..300).map(|_| {
        let client = Arc::clone(&client);
        tokio::spawn(async move { call(&client).await })
    });
    for call in calls.collect::<Vec<_>>() {
        assert!(call.await.unwrap().is_err());
    }
    // Each call's first attempt, and the 100 retries the quota pays for.
    assert_eq!(http.count(), 300 + 100);
    assert_eq!(tokens(&client), 0);
}

// ---------------------------------------------------------------------------------------------------------------
// RateLimiter, with explicit times

/// A client sending whenever the limiter lets it, at most every `gap` seconds, from `from` to `to`; `throttled`
/// says whether the response at a time is a throttling one. Returns the send times.
fn drive(limiter: &RateLimiter, from: f64, to: f64, gap: f64, mut throttled: impl FnMut(f64) -> bool) -> Vec<f64> {
    let mut sent = Vec::new();
    let mut t = from;
    while t < to {
        match limiter.try_acquire(t) {
            Ok(()) => {
                sent.push(t);
                limiter.update(t, throttled(t));
                t += gap;
            }
            Err(wait) => t += wait.as_secs_f64(),
        }
    }
    sent
}

fn sent_between(sent: &[f64], from: f64, to: f64) -> usize {
    sent.iter().filter(|&&t| t >= from && t < to).count()
}

#[test]
fn the_limiter_lets_everything_through_until_a_throttling_response() {
    let limiter = RateLimiter::new(0.0);
    let sent = drive(&limiter, 0.0, 10.0, 0.001, |_| false);
    assert!((10_000..=10_001).contains(&sent.len()), "{}", sent.len());
}

#[test]
fn a_throttling_response_cuts_the_rate_to_seventy_percent_of_the_measured_one() {
    let limiter = RateLimiter::new(0.0);
    // About 100 requests a second measured.
    drive(&limiter, 0.0, 5.0, 0.01, |_| false);
    limiter.update(5.0, true);
    let rate = limiter.fill_rate();
    assert!((67.0..73.0).contains(&rate), "{rate}");
    // Attempts now take tokens: a burst at one instant ends when the bucket is empty (it holds at most a second's
    // worth).
    let burst = drive(&limiter, 5.0, 5.0 + 1e-6, 1e-9, |_| false).len();
    assert!((1..=73).contains(&burst), "{burst}");
    assert!(limiter.try_acquire(5.0 + 1e-6).is_err());
}

#[test]
fn the_rate_never_falls_below_half_a_token_per_second() {
    let limiter = RateLimiter::new(0.0);
    for i in 0..50 {
        limiter.update(f64::from(i) * 10.0, true);
        assert!(limiter.fill_rate() >= 0.5, "{}", limiter.fill_rate());
    }
    assert_eq!(limiter.fill_rate(), 0.5);
    // A bucket of one token, filled at half a token a second.
    assert_eq!(limiter.try_acquire(490.0), Ok(()));
    assert_eq!(limiter.try_acquire(490.0), Err(Duration::from_secs(2)));
    assert_eq!(limiter.try_acquire(491.0), Err(Duration::from_secs(1)));
    assert_eq!(limiter.try_acquire(492.0), Ok(()));
}

#[test]
fn the_rate_grows_back_along_a_cubic_curve_after_a_throttling_response() {
    let limiter = RateLimiter::new(0.0);
    drive(&limiter, 0.0, 5.0, 0.01, |_| false);
    limiter.update(5.0, true);
    let cut = limiter.fill_rate();
    assert!((65.0..75.0).contains(&cut), "{cut}");
    // CUBIC is back at the rate of the throttling after cbrt(100 * 0.3 / 0.4) = 4.2 s, and goes on growing.
    let mut from = 5.01;
    let mut rate_at = |to: f64| {
        drive(&limiter, from, to, 0.01, |_| false);
        from = to;
        limiter.fill_rate()
    };
    let one_second_later = rate_at(6.0);
    assert!(one_second_later > cut + 10.0 && one_second_later < 95.0, "{one_second_later}");
    let back = rate_at(9.22);
    assert!((back - 100.0).abs() < 5.0, "{back}");
    let beyond = rate_at(12.0);
    assert!(beyond > back + 5.0, "{beyond}");
}

#[test]
fn sending_slows_while_throttled_and_recovers_afterwards() {
    let limiter = RateLimiter::new(0.0);
    // 100 requests a second, wanted throughout; every response from 5 s to 7 s is a throttling one.
    let sent = drive(&limiter, 0.0, 20.0, 0.01, |t| (5.0..7.0).contains(&t));
    let per_second: Vec<usize> = (0..20).map(|s| sent_between(&sent, f64::from(s), f64::from(s) + 1.0)).collect();
    assert!(per_second[..5].iter().all(|&n| (99..=101).contains(&n)), "{per_second:?}");
    assert!(per_second[6] <= 2, "throttled: {per_second:?}");
    assert!(per_second[8] <= 2 && per_second[10] < 50, "recovering: {per_second:?}");
    assert!(per_second[15..].iter().all(|&n| n >= 99), "recovered: {per_second:?}");
}

#[test]
fn repeated_throttling_keeps_cutting_the_rate() {
    let limiter = RateLimiter::new(0.0);
    // The service accepts 20 requests a second and throttles beyond that: the client settles near it.
    let mut window = (0.0, 0u32);
    let sent = drive(&limiter, 0.0, 60.0, 0.001, |t| {
        let second = t.floor();
        if second != window.0 {
            window = (second, 0);
        }
        window.1 += 1;
        window.1 > 20
    });
    let late = sent_between(&sent, 50.0, 60.0);
    assert!(late < 10 * 40, "{late} requests in the last ten seconds");
    assert!(late > 10 * 5, "{late} requests in the last ten seconds");
}

// ---------------------------------------------------------------------------------------------------------------
// Adaptive mode in the attempt loop

fn adaptive(max_attempts: u32) -> RetryConfig {
    RetryConfig::adaptive().with_max_attempts(max_attempts)
}

#[tokio::test(start_paused = true)]
async fn only_the_adaptive_mode_has_a_rate_limiter() {
    let http = FakeHttp::default();
    assert!(client(&http, RetryConfig::standard(), jitter).retries.limiter.is_none());
    assert!(client(&http, adaptive(3), jitter).retries.limiter.is_some());
    assert_eq!(adaptive(3).mode(), RetryMode::Adaptive);
}

/// Calls made one after the other, every 10 ms at most, for `seconds`: how many were made.
async fn calls_for(handle: &Handle, seconds: u64) -> usize {
    let end = tokio::time::Instant::now() + Duration::from_secs(seconds);
    let mut n = 0;
    while tokio::time::Instant::now() < end {
        let _ = call(handle).await;
        n += 1;
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    n
}

#[tokio::test(start_paused = true)]
async fn an_adaptive_client_slows_down_after_throttling_and_recovers() {
    let script = (0..300).map(|_| ok()).chain((0..20).map(|_| throttled())).chain((0..3000).map(|_| ok()));
    let http = FakeHttp::new(script);
    let handle = client(&http, adaptive(1), || 0.0);
    // A call every 10 ms, never held back before the first throttling response.
    let start = tokio::time::Instant::now();
    while http.count() < 300 {
        call(&handle).await.unwrap();
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(start.elapsed(), Duration::from_secs(3));
    // Twenty throttling responses: the calls take longer and longer, up to the floor of half a token a second.
    let mut gaps = Vec::new();
    while http.count() < 320 {
        let start = tokio::time::Instant::now();
        call(&handle).await.unwrap_err();
        tokio::time::sleep(Duration::from_millis(10)).await;
        gaps.push(start.elapsed());
    }
    assert!(gaps.windows(2).all(|w| w[0] <= w[1]), "{gaps:?}");
    assert!(gaps[0] == Duration::from_millis(10) && gaps[19] > Duration::from_secs(2), "{gaps:?}");
    // Then the rate grows back, second by second, to the client's own pace.
    let mut per_second = Vec::new();
    for _ in 0..10 {
        per_second.push(calls_for(&handle, 1).await);
    }
    assert!(per_second[0] <= 2, "{per_second:?}");
    assert!(per_second.windows(2).all(|w| w[0] <= w[1]), "{per_second:?}");
    assert!(per_second[9] >= 99, "{per_second:?}");
}

#[tokio::test(start_paused = true)]
async fn an_adaptive_client_waits_for_its_send_token_on_the_configured_clock() {
    let http = FakeHttp::new([throttled(), ok(), ok()]);
    let handle = client(&http, adaptive(1), || 0.0);
    let limiter = handle.retries.limiter.as_ref().unwrap();
    call(&handle).await.unwrap_err();
    // Nothing measured yet: the floor of half a token a second, and an empty bucket.
    assert_eq!(limiter.fill_rate(), 0.5);
    let start = tokio::time::Instant::now();
    call(&handle).await.unwrap();
    assert_eq!(start.elapsed(), Duration::from_secs(2));
}

#[tokio::test(start_paused = true)]
async fn adaptive_retries_also_spend_the_quota() {
    let http = FakeHttp::new([throttled(), throttled(), ok()]);
    let handle = client(&http, adaptive(3), || 0.0);
    call(&handle).await.unwrap();
    assert_eq!(http.count(), 3);
    assert_eq!(tokens(&handle), 495);
}

#[tokio::test(start_paused = true)]
async fn the_operation_timeout_covers_the_wait_for_a_send_token() {
    let http = FakeHttp::new([throttled(), ok()]);
    let config = config(&http)
        .retry_config(adaptive(1))
        .timeout_config(TimeoutConfig::builder().operation_timeout(Duration::from_secs(1)).build())
        .time_source(TokioTime::new());
    let handle = Handle::new(config.build(), &SERVICE);
    call(&handle).await.unwrap_err();
    let err = call(&handle).await.unwrap_err();
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
    assert_eq!(http.count(), 1, "the second call timed out waiting for its token");
}

// ---------------------------------------------------------------------------------------------------------------
// x-amz-retry-after

#[test]
fn a_retry_after_hint_is_kept_between_the_backoff_and_five_seconds_more() {
    let ms = Duration::from_millis;
    let backoff = ms(500);
    assert_eq!(hinted_backoff(backoff, None), backoff);
    assert_eq!(hinted_backoff(backoff, Some(ms(3000))), ms(3000));
    assert_eq!(hinted_backoff(backoff, Some(ms(100))), backoff, "never sooner than the backoff");
    assert_eq!(hinted_backoff(backoff, Some(Duration::ZERO)), backoff);
    assert_eq!(hinted_backoff(backoff, Some(ms(60_000))), ms(5500), "at most 5 s more");
    assert_eq!(hinted_backoff(backoff, Some(ms(u64::MAX))), ms(5500));
    assert_eq!(hinted_backoff(Duration::ZERO, Some(ms(5001))), ms(5000));
    assert_eq!(hinted_backoff(Duration::MAX, Some(ms(1))), Duration::MAX, "no overflow");
}

/// An error response with this `x-amz-retry-after` value.
fn hinting(status: u16, code: &str, hint: &str) -> Reply {
    let mut r = error_response(status, code, "later", "r");
    r.headers_mut().insert("x-amz-retry-after", hint.parse().unwrap());
    Reply::Respond(r)
}

/// The waits of one call over `script`, with retries after a 1 s backoff ceiling and half of it as jitter.
async fn waits(script: Vec<Reply>) -> (Vec<Duration>, usize) {
    let n = script.len();
    let http = FakeHttp::new(script);
    let sleep = InstantSleep::default();
    let config =
        config(&http).retry_config(standard(5)).timeout_config(TimeoutConfig::disabled()).sleep_impl(sleep.clone());
    let mut handle = Handle::new(config.build(), &SERVICE);
    std::sync::Arc::get_mut(&mut handle.retries).expect("not shared yet").jitter = || 0.5;
    let _ = call(&handle).await;
    assert_eq!(http.unused(), n - http.count());
    (sleep.asked(), http.count())
}

#[tokio::test(start_paused = true)]
async fn retryable_errors_wait_as_their_hint_says_within_the_bounds() {
    // The computed backoffs are 0.5 s, 1 s, 2 s and 4 s: a hint inside [backoff, backoff + 5 s] is the wait, one
    // outside it is brought to the nearer bound.
    let (asked, sent) = waits(vec![
        hinting(503, "ServiceUnavailable", "3000"),
        hinting(400, "ThrottlingException", "100"),
        hinting(500, "InternalFailure", "60000"),
        hinting(429, "Whatever", "1234"),
        ok(),
    ])
    .await;
    let ms = Duration::from_millis;
    assert_eq!(asked, [ms(3000), ms(1000), ms(7000), ms(4000)]);
    assert_eq!(sent, 5);
}

#[tokio::test(start_paused = true)]
async fn a_hint_that_is_not_a_whole_number_of_milliseconds_is_ignored() {
    for hint in ["soon", "1.5", "-1", "", "99999999999999999999999"] {
        let (asked, _) = waits(vec![hinting(503, "ServiceUnavailable", hint), ok()]).await;
        assert_eq!(asked, [Duration::from_millis(500)], "{hint:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_hint_does_not_make_an_error_retryable() {
    let (asked, sent) = waits(vec![hinting(400, "ValidationException", "10"), ok()]).await;
    assert_eq!((asked, sent), (vec![], 1));
}

#[tokio::test(start_paused = true)]
async fn a_hinted_wait_takes_its_time_on_the_paused_clock() {
    let http = FakeHttp::new([hinting(503, "ServiceUnavailable", "4500"), ok()]);
    let handle = client(&http, standard(3), || 0.5);
    let start = tokio::time::Instant::now();
    call(&handle).await.unwrap();
    assert_eq!(start.elapsed(), Duration::from_millis(4500));
}
