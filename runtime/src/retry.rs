//! When a failed attempt is tried again, and how long the call waits first: the AWS SDKs' retry strategies.
//!
//! - **Standard** (`RetryMode::Standard`, the default): at most `max_attempts` attempts, with exponential backoff
//!   and full jitter between them ([`backoff`]), and a retry quota per client ([`RetryQuota`]). The quota starts at
//!   500 tokens; each retry takes 5 (10 after a timeout), and a call that succeeds gives back what its last retry
//!   took, or 1 token when it succeeded at the first attempt, up to the 500. A retry the quota cannot pay for is not
//!   made: the call returns its last error. So while a service keeps failing, a client makes about 100 retries in
//!   all and then sends each call once, until successes fill the quota again.
//! - **Adaptive** (`RetryMode::Adaptive`): standard, plus a client-side rate limiter ([`RateLimiter`]). Until the
//!   first throttling response it does nothing; from then on every attempt takes a token from a bucket that fills at
//!   a rate set from the measured sending rate, cut to 70 % at each throttling response and grown back along a cubic
//!   curve (CUBIC, as in TCP) while responses are not throttled. An attempt waits on the configured sleep until a
//!   token is there; times come from the configured time source.
//!
//! The quota and the rate limiter are a client's [`Retries`], held in its shared state: clones of a client share
//! them, and clients built separately have their own.
//!
//! Throttling errors are the codes `invoke` lists and HTTP 429; they are retried as transient errors are, and only
//! the adaptive mode treats them apart.
//!
//! A retryable error response may say how long to wait with `x-amz-retry-after` (milliseconds): the wait is then
//! that hint, kept between the computed backoff and 5 s more ([`hinted_backoff`], the bounds of the AWS SDKs' retry
//! behavior 2.1).
//!
//! Each attempt tells the service which call it belongs to and where it stands, with the headers every AWS SDK
//! sends ([`Call::before_transmit`]): `amz-sdk-invocation-id`, a random UUID per call, the same on each of its
//! attempts, and `amz-sdk-request`, `attempt=N; max=M`. Under `ReconnectMode::ReconnectOnTransientError` (the
//! default) the connection an attempt went out on is not used again after a transient failure or a timeout: through
//! a configured HTTP client, the attempt carries aws-smithy-runtime-api's `CaptureSmithyConnection`, and the failure
//! poisons the connection the client put there (aws-config's clients and this crate's own do; a client that does not
//! is left alone). The default transport, called directly, needs no capture: a transient error response carries
//! what poisons its connection, and a connection whose attempt failed without a complete response (broken, or still
//! busy with the request the attempt gave up on) is not reused by hyper's pool.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use aws_smithy_async::rt::sleep::{AsyncSleep as _, SharedAsyncSleep};
use aws_smithy_async::time::SharedTimeSource;
use aws_smithy_runtime_api::client::connection::CaptureSmithyConnection;
use aws_smithy_types::retry::{ReconnectMode, RetryConfig, RetryMode};
use http::{HeaderName, HeaderValue};

use crate::http::{header, Response};

/// The tokens a retry quota starts with, and the most it holds.
pub(crate) const INITIAL_RETRY_TOKENS: u32 = 500;
/// What a retry takes from the quota.
pub(crate) const RETRY_COST: u32 = 5;
/// What a retry after a timeout takes from the quota.
pub(crate) const TIMEOUT_RETRY_COST: u32 = 10;
/// What a call that succeeds at its first attempt gives to the quota.
pub(crate) const NO_RETRY_INCREMENT: u32 = 1;

/// The delay before retry number `retry` (1-based) under `retry_config`'s settings: a uniformly random part
/// (`random` in `[0, 1)`) of `initial_backoff * 2^(retry - 1)`, capped at `max_backoff`.
pub(crate) fn backoff(retry_config: &RetryConfig, retry: u32, random: f64) -> Duration {
    let ceiling = retry_config
        .initial_backoff()
        .saturating_mul(1u32 << retry.saturating_sub(1).min(20))
        .min(retry_config.max_backoff());
    ceiling.mul_f64(random.clamp(0.0, 1.0))
}

/// How much longer than the computed backoff an `x-amz-retry-after` hint can make a wait.
pub(crate) const MAX_RETRY_AFTER_EXTRA: Duration = Duration::from_secs(5);

/// The wait before a retry when the failed response carried an `x-amz-retry-after` hint: the hint, but no shorter
/// than the computed `backoff` and no longer than 5 s more than it, as the AWS SDKs' retry behavior 2.1 bounds it. A
/// hint cannot make a client retry sooner than it would have, nor wait without end.
pub(crate) fn hinted_backoff(backoff: Duration, hint: Option<Duration>) -> Duration {
    match hint {
        Some(hint) => hint.clamp(backoff, backoff.saturating_add(MAX_RETRY_AFTER_EXTRA)),
        None => backoff,
    }
}

/// The `x-amz-retry-after` hint of a response: a whole number of milliseconds, else none.
fn retry_after(response: &Response) -> Option<Duration> {
    header(response, "x-amz-retry-after").and_then(|v| v.parse::<u64>().ok()).map(Duration::from_millis)
}

/// Where backoff jitter comes from: a number in `[0, 1)` per retry. Tests put a fixed one in [`Retries::jitter`].
pub(crate) type Jitter = fn() -> f64;

/// A random number in `[0, 1)` for backoff jitter (not for anything secret).
pub(crate) fn jitter() -> f64 {
    fastrand::f64()
}

/// Seconds since the Unix epoch on this clock.
fn seconds(time: &SharedTimeSource) -> f64 {
    time.now().duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default().as_secs_f64()
}

// ---------------------------------------------------------------------------------------------------------------
// The retry quota

/// A client's retry quota: a count of tokens that retries spend and successes give back.
#[derive(Debug)]
pub(crate) struct RetryQuota {
    available: AtomicU32,
    capacity: u32,
}

impl RetryQuota {
    /// A full quota of `capacity` tokens.
    pub(crate) fn new(capacity: u32) -> Self {
        RetryQuota { available: AtomicU32::new(capacity), capacity }
    }

    /// The tokens left.
    pub(crate) fn available(&self) -> u32 {
        self.available.load(Ordering::Relaxed)
    }

    /// Take `cost` tokens, if there are that many.
    pub(crate) fn try_take(&self, cost: u32) -> bool {
        self.available.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(cost)).is_ok()
    }

    /// Give back `amount` tokens, up to the capacity.
    pub(crate) fn give_back(&self, amount: u32) {
        let capacity = self.capacity;
        // A full quota (the usual case: every call that succeeds at its first attempt gives a token back) is only
        // read: writing it would move its cache line from thread to thread at every call.
        if self.available.load(Ordering::Relaxed) >= capacity {
            return;
        }
        let _ = self
            .available
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| Some(n.saturating_add(amount).min(capacity)));
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The adaptive mode's rate limiter

/// The lowest fill rate, in tokens per second.
const MIN_FILL_RATE: f64 = 0.5;
/// The smallest bucket.
const MIN_CAPACITY: f64 = 1.0;
/// The weight of the latest half second in the measured sending rate.
const SMOOTHING: f64 = 0.8;
/// The part of the sending rate kept at a throttling response.
const BETA: f64 = 0.7;
/// How fast the rate grows back after a throttling response.
const SCALE_CONSTANT: f64 = 0.4;
/// The length, in seconds, of the windows in which the sending rate is measured.
const RATE_WINDOW: f64 = 0.5;

/// The adaptive mode's client-side rate limiter: a bucket of send tokens, one per attempt, whose fill rate follows
/// the CUBIC congestion control algorithm. Off until the first throttling response.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    state: Mutex<Limiter>,
}

/// The rate limiter's state; times are seconds since the Unix epoch.
#[derive(Debug, Clone)]
struct Limiter {
    /// Whether attempts take tokens: from the first throttling response on.
    enabled: bool,
    /// Tokens added per second.
    fill_rate: f64,
    /// The most tokens the bucket holds.
    capacity: f64,
    /// The tokens in the bucket.
    tokens: f64,
    /// When tokens were last added.
    last_refill: Option<f64>,
    /// The sending rate (responses per second), smoothed over the measuring windows.
    measured_rate: f64,
    /// The start of the window responses are being counted in.
    window: f64,
    /// The responses counted in it.
    count: u32,
    /// The rate at the last throttling response (CUBIC's W_max).
    rate_at_throttle: f64,
    /// When the last throttling response came (at the start: when the limiter was made).
    throttled_at: f64,
}

impl RateLimiter {
    /// A rate limiter made at `now`.
    pub(crate) fn new(now: f64) -> Self {
        let state = Limiter {
            enabled: false,
            fill_rate: MIN_FILL_RATE,
            capacity: MIN_CAPACITY,
            tokens: 0.0,
            last_refill: None,
            measured_rate: 0.0,
            window: now.floor(),
            count: 0,
            rate_at_throttle: MIN_FILL_RATE,
            throttled_at: now,
        };
        RateLimiter { state: Mutex::new(state) }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, Limiter> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Take a token to send an attempt at `now`, or say how long to wait before asking again.
    pub(crate) fn try_acquire(&self, now: f64) -> Result<(), Duration> {
        let mut s = self.state();
        if !s.enabled {
            return Ok(());
        }
        s.refill(now);
        if s.tokens >= 1.0 {
            s.tokens -= 1.0;
            return Ok(());
        }
        let wait = Duration::from_secs_f64((1.0 - s.tokens) / s.fill_rate);
        if wait.is_zero() {
            // Short by less than a nanosecond's worth: waiting would not change anything.
            s.tokens = 0.0;
            return Ok(());
        }
        Err(wait)
    }

    /// Take into account the outcome of an attempt at `now`: throttled or not.
    pub(crate) fn update(&self, now: f64, throttled: bool) {
        let mut s = self.state();
        s.measure(now);
        let rate = if throttled {
            let rate = if s.enabled { s.measured_rate.min(s.fill_rate) } else { s.measured_rate };
            s.rate_at_throttle = rate;
            s.throttled_at = now;
            s.enabled = true;
            rate * BETA
        } else {
            s.cubic(now)
        };
        let rate = rate.min(2.0 * s.measured_rate);
        s.set_rate(now, rate);
    }

    /// The fill rate, in tokens per second.
    pub(crate) fn fill_rate(&self) -> f64 {
        self.state().fill_rate
    }
}

impl Limiter {
    /// Add the tokens of the time since the last refill.
    fn refill(&mut self, now: f64) {
        if let Some(last) = self.last_refill {
            let added = (now - last).max(0.0) * self.fill_rate;
            self.tokens = (self.tokens + added).min(self.capacity);
        }
        self.last_refill = Some(now);
    }

    /// Count a response, and when a new window has begun, fold the finished ones' rate into the measured rate.
    fn measure(&mut self, now: f64) {
        let window = (now / RATE_WINDOW).floor() * RATE_WINDOW;
        self.count += 1;
        if window > self.window {
            let rate = f64::from(self.count) / (window - self.window);
            self.measured_rate = rate * SMOOTHING + self.measured_rate * (1.0 - SMOOTHING);
            self.count = 0;
            self.window = window;
        }
    }

    /// The rate CUBIC gives at `now`: back at the rate of the last throttling after a while, then beyond it.
    fn cubic(&self, now: f64) -> f64 {
        let k = (self.rate_at_throttle * (1.0 - BETA) / SCALE_CONSTANT).cbrt();
        SCALE_CONSTANT * (now - self.throttled_at - k).powi(3) + self.rate_at_throttle
    }

    /// Fill at `rate` from `now` on (the tokens until now at the old rate).
    fn set_rate(&mut self, now: f64, rate: f64) {
        self.refill(now);
        self.fill_rate = rate.max(MIN_FILL_RATE);
        self.capacity = rate.max(MIN_CAPACITY);
        self.tokens = self.tokens.min(self.capacity);
    }
}

// ---------------------------------------------------------------------------------------------------------------
// A client's retries, and one call's

/// A client's retry state, shared by its clones: the quota, the rate limiter (adaptive mode) and the jitter source.
#[derive(Debug)]
pub(crate) struct Retries {
    pub(crate) quota: RetryQuota,
    pub(crate) limiter: Option<RateLimiter>,
    /// Where backoff jitter comes from ([`jitter`] unless a test puts a fixed one here).
    pub(crate) jitter: Jitter,
    /// The `amz-sdk-request` value of each attempt number (from 1), made once for the first attempts.
    attempt_headers: Box<[HeaderValue]>,
}

/// How many attempts' `amz-sdk-request` values a client makes in advance (later ones are made when needed).
const ATTEMPT_HEADERS: u32 = 10;

impl Retries {
    /// A full quota, and for the adaptive mode a rate limiter made now.
    pub(crate) fn new(config: &RetryConfig, time: &SharedTimeSource) -> Self {
        let limiter = (config.mode() == RetryMode::Adaptive).then(|| RateLimiter::new(seconds(time)));
        let max = config.max_attempts();
        let attempt_headers = (1..=max.min(ATTEMPT_HEADERS)).filter_map(|n| request_info(None, n, max)).collect();
        Retries { quota: RetryQuota::new(INITIAL_RETRY_TOKENS), limiter, jitter, attempt_headers }
    }

    /// The bookkeeping of one call; `read_timeout` is the transport's (`amz-sdk-request` announces it).
    pub(crate) fn call<'a>(
        &'a self,
        config: &'a RetryConfig,
        time: &'a SharedTimeSource,
        read_timeout: Option<Duration>,
    ) -> Call<'a> {
        Call {
            retries: self,
            config,
            time,
            attempt: 1,
            held: None,
            invocation_id: crate::invoke::random_uuid(),
            read_timeout,
            skew: None,
            connection: None,
        }
    }
}

/// `amz-sdk-invocation-id`: one random (version 4) UUID per call, the same on each of its attempts.
pub(crate) const INVOCATION_ID: HeaderName = HeaderName::from_static("amz-sdk-invocation-id");
/// `amz-sdk-request`: `attempt=N; max=M`, preceded by `ttl=<when the client gives up on the attempt>; ` when that
/// is known.
pub(crate) const REQUEST_INFO: HeaderName = HeaderName::from_static("amz-sdk-request");

/// The `amz-sdk-request` value of attempt `attempt` of at most `max`, with the time the client stops waiting for
/// its response if there is one (`ttl=20240102T030405Z; attempt=2; max=3`, whole seconds, UTC).
fn request_info(ttl: Option<SystemTime>, attempt: u32, max: u32) -> Option<HeaderValue> {
    let text = match ttl {
        None => format!("attempt={attempt}; max={max}"),
        Some(ttl) => {
            let secs = ttl.duration_since(SystemTime::UNIX_EPOCH).ok()?.as_secs();
            let date = aws_smithy_types::DateTime::from_secs(i64::try_from(secs).ok()?);
            let date = date.fmt(aws_smithy_types::date_time::Format::DateTime).ok()?.replace(['-', ':'], "");
            format!("ttl={date}; attempt={attempt}; max={max}")
        }
    };
    HeaderValue::try_from(text).ok()
}

/// How an attempt failed, as far as retrying goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// Not worth another attempt (a client error, a refused request).
    Final,
    /// The attempt, or the transport, timed out.
    Timeout,
    /// The service said to slow down.
    Throttling,
    /// Any other transient failure: 5xx, a connection failure.
    Transient,
}

/// Why a call stops after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// The failure is not retried.
    NotRetryable,
    /// That was the last of `max_attempts`.
    OutOfAttempts,
    /// The client's retry quota cannot pay for another attempt.
    OutOfQuota,
}

/// One call's retry bookkeeping.
#[derive(Debug)]
pub(crate) struct Call<'a> {
    retries: &'a Retries,
    config: &'a RetryConfig,
    time: &'a SharedTimeSource,
    /// The number of the attempt being made, from 1.
    attempt: u32,
    /// What the last retry took from the quota.
    held: Option<u32>,
    /// The call's `amz-sdk-invocation-id`.
    invocation_id: [u8; 36],
    /// The transport's read timeout.
    read_timeout: Option<Duration>,
    /// How far the service's clock was ahead of the client's, from the `date` of the last response that had one.
    skew: Option<Duration>,
    /// The connection of the attempt being made, captured to be poisoned after a transient failure.
    connection: Option<CaptureSmithyConnection>,
}

impl Call<'_> {
    /// The number of the attempt being made, from 1.
    pub(crate) fn attempt(&self) -> u32 {
        self.attempt
    }

    /// Wait, in adaptive mode, until the rate limiter lets the next attempt go.
    pub(crate) async fn ready(&self, sleep: &SharedAsyncSleep) {
        let Some(limiter) = &self.retries.limiter else { return };
        while let Err(wait) = limiter.try_acquire(seconds(self.time)) {
            let rate = limiter.fill_rate();
            tracing::debug!(attempt = self.attempt, delay = ?wait, rate, "client rate limiter delays the attempt");
            sleep.sleep(wait).await;
        }
    }

    /// Ready a signed request to be sent as this attempt, as the AWS SDKs do after signing (so these headers are
    /// not signed): `amz-sdk-invocation-id` and `amz-sdk-request`. Under `ReconnectOnTransientError` (the default),
    /// also the capture of the connection the attempt goes out on, for the transport to carry, if it needs one
    /// (`capture`: the default transport says instead in each response how to poison its connection).
    pub(crate) fn before_transmit(
        &mut self,
        request: &mut http::Request<bytes::Bytes>,
        capture: bool,
    ) -> Option<CaptureSmithyConnection> {
        let headers = request.headers_mut();
        if let Ok(id) = HeaderValue::from_bytes(&self.invocation_id) {
            headers.insert(INVOCATION_ID, id);
        }
        let (attempt, max) = (self.attempt, self.config.max_attempts());
        let ttl = match (self.read_timeout, self.skew) {
            (Some(read), Some(skew)) => self.time.now().checked_add(read.saturating_add(skew)),
            _ => None,
        };
        let made = match ttl {
            None => self.retries.attempt_headers.get(attempt as usize - 1).cloned(),
            Some(_) => None,
        };
        if let Some(info) = made.or_else(|| request_info(ttl, attempt, max)) {
            headers.insert(REQUEST_INFO, info);
        }
        self.connection = (capture && self.reconnects()).then(CaptureSmithyConnection::new);
        self.connection.clone()
    }

    /// The attempt succeeded: the quota gets back what the last retry took, or one token if there was none.
    pub(crate) fn succeeded(&mut self) {
        self.update_limiter(false);
        self.retries.quota.give_back(self.held.take().unwrap_or(NO_RETRY_INCREMENT));
    }

    /// Whether a transient failure poisons its attempt's connection (`ReconnectOnTransientError`).
    fn reconnects(&self) -> bool {
        self.config.reconnect_mode() == ReconnectMode::ReconnectOnTransientError
    }

    /// The attempt got an error response: as [`failed`](Self::failed), waiting as the response's
    /// `x-amz-retry-after` says if it is retried ([`hinted_backoff`]). The response's `date` gives the service's
    /// clock for the `ttl` of later attempts. A transient one poisons the connection the response says it came on
    /// (the default transport's responses say).
    pub(crate) fn failed_response(&mut self, failure: Failure, response: &Response) -> Result<Duration, Stop> {
        #[cfg(feature = "rustls")]
        if matches!(failure, Failure::Transient | Failure::Timeout) && self.reconnects() {
            if let Some(poison) = response.extensions().get::<crate::http::ConnectionPoison>() {
                poison.poison();
            }
        }
        if let Some(date) = header(response, "date") {
            let sent = aws_smithy_types::DateTime::from_str(date, aws_smithy_types::date_time::Format::HttpDate);
            if let Ok(Ok(sent)) = sent.map(SystemTime::try_from) {
                self.skew = Some(sent.duration_since(self.time.now()).unwrap_or_default());
            }
        }
        self.failed_with(failure, retry_after(response))
    }

    /// The attempt failed: the backoff before the next one, or why there is none. A transient failure or a timeout
    /// poisons the attempt's connection under `ReconnectOnTransientError`.
    pub(crate) fn failed(&mut self, failure: Failure) -> Result<Duration, Stop> {
        self.failed_with(failure, None)
    }

    fn failed_with(&mut self, failure: Failure, hint: Option<Duration>) -> Result<Duration, Stop> {
        self.update_limiter(failure == Failure::Throttling);
        if matches!(failure, Failure::Transient | Failure::Timeout) {
            if let Some(connection) = self.connection.take().and_then(|c| c.get()) {
                connection.poison();
            }
        }
        if failure == Failure::Final {
            return Err(Stop::NotRetryable);
        }
        if self.attempt >= self.config.max_attempts() {
            return Err(Stop::OutOfAttempts);
        }
        let cost = if failure == Failure::Timeout { TIMEOUT_RETRY_COST } else { RETRY_COST };
        if !self.retries.quota.try_take(cost) {
            tracing::debug!(cost, available = self.retries.quota.available(), "the retry quota cannot pay for a retry");
            return Err(Stop::OutOfQuota);
        }
        self.held = Some(cost);
        let computed = backoff(self.config, self.attempt, (self.retries.jitter)());
        let delay = hinted_backoff(computed, hint);
        if let Some(hint) = hint {
            tracing::debug!(?hint, ?computed, ?delay, "x-amz-retry-after hint");
        }
        self.attempt += 1;
        Ok(delay)
    }

    fn update_limiter(&self, throttled: bool) {
        if let Some(limiter) = &self.retries.limiter {
            limiter.update(seconds(self.time), throttled);
        }
    }
}
