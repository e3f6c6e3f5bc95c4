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
//!   from `minDelay ..= min(maxDelay, minDelay * 2^(n-1))`;
//! - the caller's maximum wait is a deadline that holds. Each poll (the call with all its attempts, retries and
//!   backoff) gets at most the time left before it, and a poll the deadline cuts off is dropped, which cancels its
//!   request, and ends the wait with [`WaiterError::ExceededMaxWait`]. So that the last poll has time to answer, when
//!   the drawn sleep would leave `minDelay` or less of the maximum wait, the loop sleeps until `minDelay` before the
//!   deadline instead and polls one last time; when only `minDelay` or less is left after a poll, it polls no more.
//!   Either way the wait then ends with [`WaiterError::ExceededMaxWait`], at or before the deadline.
//!
//! The last rule departs from the current text of the specification and from aws-sdk-rust, whose last poll is at the
//! deadline itself and may run past it for as long as its attempts take: with each poll bounded by the deadline, a
//! poll sent at the deadline could never answer. Sending it `minDelay` early is what earlier versions of the
//! specification said (`delay = remainingTime - minDelay`; their example's last poll is at 298 s of 300), and what
//! the Go SDK does, whose polls also share one deadline.
//!
//! Time is read from the client's time source and sleeps go through its sleep implementation, so tests run on a
//! paused clock.

use std::future::Future;
use std::time::{Duration, SystemTime};

use aws_smithy_async::future::timeout::Timeout;
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
/// the poll after it is the last one; `None` when `minDelay` or less is left, too little for another poll. The
/// specification's computation, with `random(a, b)` drawing a whole number of seconds in `a..=b`, and a last sleep
/// that ends `minDelay` before the deadline (see the module documentation).
///
/// The ceiling `minDelay * 2^(attempt-1)` is capped at `maxDelay` (the specification's `attemptCeiling` serves the
/// same purpose: no overflow however many retries).
pub(crate) fn delay(
    delays: Delays,
    attempt: u32,
    remaining: Duration,
    random: &mut impl FnMut(u64, u64) -> u64,
) -> Option<(Duration, bool)> {
    let min = delays.min.max(1);
    let max = delays.max.max(min);
    let min_delay = Duration::from_secs(min);
    if remaining <= min_delay {
        return None;
    }
    let ceiling = match 1u64.checked_shl(attempt.saturating_sub(1)) {
        Some(factor) if factor <= max => min.saturating_mul(factor).min(max),
        _ => max,
    };
    let chosen = Duration::from_secs(random(min, ceiling).clamp(min, ceiling));
    if remaining.saturating_sub(chosen) <= min_delay {
        Some((remaining - min_delay, true))
    } else {
        Some((chosen, false))
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
    wait_with(&Clock::of(handle), delays, max_wait, poll, accept, &mut |a, b| fastrand::u64(a..=b)).await
}

/// The time source and sleep the loop uses.
#[derive(Clone)]
pub(crate) struct Clock {
    pub(crate) sleep: SharedAsyncSleep,
    pub(crate) time: SharedTimeSource,
}

impl Clock {
    /// A client's clock: its time source and sleep implementation.
    pub(crate) fn of(handle: &Handle) -> Clock {
        Clock { sleep: handle.sleep.clone(), time: handle.config.time_source.clone() }
    }
}

/// The end of a wait: `max_wait` after it was started, on a [`Clock`].
pub(crate) struct Deadline {
    clock: Clock,
    start: SystemTime,
    max_wait: Duration,
}

impl Deadline {
    /// A deadline `max_wait` from now.
    pub(crate) fn start(clock: Clock, max_wait: Duration) -> Deadline {
        let start = clock.time.now();
        Deadline { clock, start, max_wait }
    }

    /// The maximum wait it was started with.
    pub(crate) fn max_wait(&self) -> Duration {
        self.max_wait
    }

    /// The time since the start (zero if the time source went back).
    pub(crate) fn elapsed(&self) -> Duration {
        self.clock.time.now().duration_since(self.start).unwrap_or_default()
    }

    /// The time left before the deadline.
    pub(crate) fn remaining(&self) -> Duration {
        self.max_wait.saturating_sub(self.elapsed())
    }

    /// Runs `future` until it ends or the deadline comes, whichever is first: `None` when the deadline came first
    /// (the future is dropped, which cancels the request it had in flight) or had already passed (the future is
    /// not started).
    pub(crate) async fn bound<F: Future>(&self, future: F) -> Option<F::Output> {
        let remaining = self.remaining();
        if remaining.is_zero() {
            return None;
        }
        Timeout::new(future, self.clock.sleep.sleep(remaining)).await.ok()
    }

    /// The error of a wait that ended at this deadline, or before it with no time for another poll, after `polls`
    /// polls.
    fn exceeded<O, E>(&self, polls: u32) -> WaiterError<O, E> {
        let (max_wait, elapsed) = (self.max_wait(), self.elapsed());
        tracing::debug!(?max_wait, ?elapsed, polls, "waiter exceeded its maximum wait");
        WaiterError::ExceededMaxWait(ExceededMaxWait::new(max_wait, elapsed, polls))
    }
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
    let deadline = Deadline::start(clock.clone(), max_wait);
    let mut polls: u32 = 0;
    let mut last = false;
    loop {
        if deadline.remaining().is_zero() {
            return Err(deadline.exceeded(polls));
        }
        polls += 1;
        let Some(result) = deadline.bound(poll()).await else {
            tracing::debug!(poll = polls, "the deadline cut the waiter's poll off");
            return Err(deadline.exceeded(polls));
        };
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
        let next = if last { None } else { delay(delays, polls, deadline.remaining(), random) };
        let Some((sleep, is_last)) = next else {
            return Err(deadline.exceeded(polls));
        };
        last = is_last;
        tracing::debug!(?sleep, last, "waiter sleeps before polling again");
        clock.sleep.sleep(sleep).await;
    }
}
