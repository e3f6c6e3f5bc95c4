//! What every generated waiter shares: the polling loop, the backoff of the Smithy waiters specification, and the
//! result types (aws-smithy-runtime-api's [`FinalPoll`] and [`WaiterError`], which aws-sdk-rust's waiters return).
//!
//! A generated waiter supplies two things: how to send one poll (the operation's own send path, so each poll is
//! validated, signed, retried and throttled like any call) and its acceptors, as one function from the poll's result
//! to an [`AcceptorState`]. The loop here does the rest:
//!
//! - poll; the first acceptor that matches decides: `success` ends the wait with the poll's result, `failure` ends it
//!   with [`WaiterError::FailureState`] (holding that result), `retry` waits and polls again;
//! - when no acceptor matches, a successful poll is retried and an error ends the wait
//!   ([`WaiterError::OperationFailed`]); so does an error that is not the service's (a timeout or a connection
//!   failure once the call's own retries are spent), which no acceptor can match;
//! - an input the model refuses ends the wait before anything is sent ([`WaiterError::ConstructionFailure`]);
//! - between polls it sleeps as the specification says: before retry `n`, a whole number of seconds drawn uniformly
//!   from `minDelay ..= min(maxDelay, minDelay * 2^(n-1))`; when what would remain of the caller's maximum wait after
//!   that sleep is `minDelay` or less, it sleeps exactly the remaining time instead and polls one last time at the
//!   deadline. It never sleeps past the deadline, and once the deadline is reached without a terminal state the wait
//!   ends with [`WaiterError::ExceededMaxWait`].
//!
//! Time is read from the client's time source and sleeps go through its sleep implementation, so tests run on a
//! paused clock.

use std::future::Future;
use std::time::Duration;

use aws_smithy_async::rt::sleep::{AsyncSleep, SharedAsyncSleep};
use aws_smithy_async::time::SharedTimeSource;
pub use aws_smithy_runtime_api::client::waiters::error::{ExceededMaxWait, FailureState, OperationFailed, WaiterError};
pub use aws_smithy_runtime_api::client::waiters::FinalPoll;

use crate::error::{CreateUnhandledError, SdkError};
use crate::invoke::Handle;

/// What the acceptors of a waiter made of one poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
// A crate's waiters need not use every state.
#[allow(dead_code)]
pub(crate) enum AcceptorState {
    /// No acceptor matched.
    NoMatch,
    /// A `success` acceptor matched: the wait is over.
    Success,
    /// A `failure` acceptor matched: the wait is over, and failed.
    Failure,
    /// A `retry` acceptor matched: poll again.
    Retry,
}

/// A waiter's `minDelay` and `maxDelay`, in whole seconds as the model gives them (the specification's defaults are 2
/// and 120).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Delays {
    /// The shortest sleep between two polls.
    pub(crate) min: u64,
    /// The longest sleep between two polls.
    pub(crate) max: u64,
}

/// The sleep before retry `attempt` (1 for the first retry) when `remaining` is left of the maximum wait, and whether
/// the poll after it is the last one: the specification's computation, with `random(a, b)` drawing a whole number of
/// seconds in `a..=b`.
///
/// The ceiling `minDelay * 2^(attempt-1)` is capped at `maxDelay` (the specification's `attemptCeiling` serves the
/// same purpose: no overflow however many retries).
pub(crate) fn delay(
    delays: Delays,
    attempt: u32,
    remaining: Duration,
    random: &mut impl FnMut(u64, u64) -> u64,
) -> (Duration, bool) {
    let min = delays.min.max(1);
    let max = delays.max.max(min);
    let ceiling = match 1u64.checked_shl(attempt.saturating_sub(1)) {
        Some(factor) if factor <= max => min.saturating_mul(factor).min(max),
        _ => max,
    };
    let chosen = Duration::from_secs(random(min, ceiling).clamp(min, ceiling));
    if remaining.saturating_sub(chosen) <= Duration::from_secs(min) {
        (remaining, true)
    } else {
        (chosen, false)
    }
}

/// Polls until an acceptor ends the wait or `max_wait` has passed; see the module documentation.
pub(crate) async fn wait<O, E, Fut>(
    handle: &Handle,
    delays: Delays,
    max_wait: Duration,
    poll: impl Fn() -> Fut,
    accept: impl Fn(Result<&O, &E>) -> AcceptorState,
) -> Result<FinalPoll<O, SdkError<E>>, WaiterError<O, E>>
where
    Fut: Future<Output = Result<O, SdkError<E>>>,
    E: std::error::Error + CreateUnhandledError + Send + Sync + 'static,
{
    let clock = Clock { sleep: handle.sleep.clone(), time: handle.config.time_source.clone() };
    wait_with(&clock, delays, max_wait, poll, accept, &mut |a, b| fastrand::u64(a..=b)).await
}

/// The time source and sleep the loop uses.
pub(crate) struct Clock {
    pub(crate) sleep: SharedAsyncSleep,
    pub(crate) time: SharedTimeSource,
}

/// [`wait`] with its clock and random numbers given (the tests fix both).
pub(crate) async fn wait_with<O, E, Fut>(
    clock: &Clock,
    delays: Delays,
    max_wait: Duration,
    poll: impl Fn() -> Fut,
    accept: impl Fn(Result<&O, &E>) -> AcceptorState,
    random: &mut impl FnMut(u64, u64) -> u64,
) -> Result<FinalPoll<O, SdkError<E>>, WaiterError<O, E>>
where
    Fut: Future<Output = Result<O, SdkError<E>>>,
    E: std::error::Error + CreateUnhandledError + Send + Sync + 'static,
{
    let start = clock.time.now();
    let elapsed = || clock.time.now().duration_since(start).unwrap_or_default();
    let mut polls: u32 = 0;
    let mut last = false;
    loop {
        let result = poll().await;
        polls += 1;
        let state = match &result {
            Ok(output) => accept(Ok(output)),
            Err(SdkError::ServiceError(e)) => accept(Err(e.err())),
            Err(_) => AcceptorState::NoMatch,
        };
        tracing::debug!(poll = polls, ?state, "waiter poll");
        match (state, result) {
            (AcceptorState::Success, result) => return Ok(FinalPoll::new(result)),
            (AcceptorState::Failure, result) => {
                let result = result.map_err(SdkError::into_service_error);
                return Err(WaiterError::FailureState(FailureState::new(FinalPoll::new(result))));
            }
            (_, Err(SdkError::Validation(invalid))) => return Err(WaiterError::construction_failure(invalid)),
            (AcceptorState::NoMatch, Err(e)) => {
                return Err(WaiterError::OperationFailed(OperationFailed::new(e.into())))
            }
            (AcceptorState::Retry | AcceptorState::NoMatch, _) => {}
        }
        let elapsed_now = elapsed();
        if last || elapsed_now >= max_wait {
            tracing::debug!(?max_wait, polls, "waiter exceeded its maximum wait");
            return Err(WaiterError::ExceededMaxWait(ExceededMaxWait::new(max_wait, elapsed_now, polls)));
        }
        let (sleep, is_last) = delay(delays, polls, max_wait - elapsed_now, random);
        last = is_last;
        tracing::debug!(?sleep, last, "waiter sleeps before polling again");
        clock.sleep.sleep(sleep).await;
    }
}
