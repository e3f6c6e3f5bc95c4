//! The waiter loop and its backoff, on tokio's paused clock: scripted polls, and polls through the attempt loop on a
//! scripted transport (throttling answered in between).

#![allow(clippy::result_large_err)]

use std::cell::RefCell;
use std::collections::VecDeque;
use std::time::{Duration, SystemTime};

use aws_smithy_async::rt::sleep::{SharedAsyncSleep, TokioSleep};
use aws_smithy_async::time::{SharedTimeSource, TimeSource};
use tokio::time::Instant;

use crate::error::{ErrorMetadata, SdkError};
use crate::tests::support::invoke;
use crate::waiter::{delay, wait, wait_with, AcceptorState, Clock, Delays, WaiterError};

use super::support::*;

/// The time of tokio's (paused) clock, as a time source.
#[derive(Debug)]
struct TokioTime(Instant);

impl TimeSource for TokioTime {
    fn now(&self) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000) + self.0.elapsed()
    }
}

fn tokio_time() -> SharedTimeSource {
    SharedTimeSource::new(TokioTime(Instant::now()))
}

fn clock() -> Clock {
    Clock { sleep: SharedAsyncSleep::new(TokioSleep::new()), time: tokio_time() }
}

const DEFAULTS: Delays = Delays { min: 2, max: 120 };

#[test]
fn the_ceiling_doubles_from_min_delay_up_to_max_delay() {
    let long = Duration::from_secs(100_000);
    let mut highest = |_: u64, b: u64| b;
    let ceilings: Vec<u64> = (1..=10).map(|n| delay(DEFAULTS, n, long, &mut highest).unwrap().0.as_secs()).collect();
    assert_eq!(ceilings, [2, 4, 8, 16, 32, 64, 120, 120, 120, 120]);
    // No overflow, however many retries.
    assert_eq!(delay(DEFAULTS, u32::MAX, long, &mut highest).unwrap().0, Duration::from_secs(120));
    assert_eq!(delay(Delays { min: 30, max: 300 }, 64, long, &mut highest).unwrap().0, Duration::from_secs(300));
    // The draw is between minDelay and the ceiling, both included.
    let mut asked = Vec::new();
    let mut record = |a: u64, b: u64| {
        asked.push((a, b));
        a
    };
    for n in 1..=4 {
        assert_eq!(delay(DEFAULTS, n, long, &mut record), Some((Duration::from_secs(2), false)));
    }
    assert_eq!(asked, [(2, 2), (2, 4), (2, 8), (2, 16)]);
    // A draw out of range is brought back into it.
    assert_eq!(delay(DEFAULTS, 3, long, &mut |_, _| 1_000).unwrap().0, Duration::from_secs(8));
}

#[test]
fn near_the_deadline_the_last_sleep_leaves_min_delay_for_the_last_poll() {
    let secs = Duration::from_secs;
    let mut lowest = |a: u64, _: u64| a;
    // 5 s left: sleeping 2 leaves 3, more than minDelay.
    assert_eq!(delay(DEFAULTS, 1, secs(5), &mut lowest), Some((secs(2), false)));
    // 4 s left: sleeping 2 would leave minDelay, so the last poll comes after 4 - 2 = 2 s, minDelay before the
    // deadline, which leaves it minDelay to answer.
    assert_eq!(delay(DEFAULTS, 1, secs(4), &mut lowest), Some((secs(2), true)));
    assert_eq!(delay(DEFAULTS, 1, Duration::from_millis(2500), &mut lowest), Some((Duration::from_millis(500), true)));
    let mut highest = |_: u64, b: u64| b;
    assert_eq!(delay(DEFAULTS, 9, secs(100), &mut highest), Some((secs(98), true)));
    // minDelay or less left: no time for another poll.
    assert_eq!(delay(DEFAULTS, 1, secs(2), &mut lowest), None);
    assert_eq!(delay(DEFAULTS, 1, Duration::from_millis(500), &mut lowest), None);
    assert_eq!(delay(DEFAULTS, 1, Duration::ZERO, &mut lowest), None);
}

type Poll = Result<Out, SdkError<OpError>>;

fn ok(name: &str) -> Poll {
    Ok(Out { name: Some(name.to_owned()), ..Out::default() })
}

fn service_error(code: &str) -> Poll {
    let meta = ErrorMetadata::builder().code(code).build();
    Err(SdkError::service_error(
        OpError::Unhandled(crate::error::Unhandled::from_metadata(meta)),
        into_response(response(400, "{}")),
    ))
}

/// Acceptors: success on `Succeeded`, failure on `Failed`, retry on the error `NotYet`.
fn accept(result: Result<&Out, &OpError>) -> AcceptorState {
    use crate::error::ProvideErrorMetadata;
    match result {
        Ok(out) if out.name.as_deref() == Some("Succeeded") => AcceptorState::Success,
        Ok(out) if out.name.as_deref() == Some("Failed") => AcceptorState::Failure,
        Err(e) if e.code() == Some("NotYet") => AcceptorState::Retry,
        _ => AcceptorState::NoMatch,
    }
}

/// Runs a wait over scripted poll results; returns the result, the times (since the start) of each poll and the
/// draws the backoff asked for.
async fn scripted(
    script: Vec<Poll>,
    delays: Delays,
    max_wait: Duration,
    random: impl Fn(u64, u64) -> u64,
) -> (Result<crate::waiter::FinalPoll<Out, SdkError<OpError>>, WaiterError<Out, OpError>>, Vec<Duration>) {
    let start = Instant::now();
    let script = RefCell::new(VecDeque::from(script));
    let times = RefCell::new(Vec::new());
    let poll = || {
        times.borrow_mut().push(start.elapsed());
        let next = script.borrow_mut().pop_front().unwrap_or_else(|| ok("Executing"));
        async move { next }
    };
    let mut random = random;
    let result = wait_with(&clock(), delays, max_wait, poll, accept, &mut random).await;
    let times = times.into_inner();
    (result, times)
}

fn secs(times: &[Duration]) -> Vec<u64> {
    times.iter().map(Duration::as_secs).collect()
}

#[tokio::test(start_paused = true)]
async fn success_returns_the_final_output() {
    let script = vec![ok("Executing"), ok("Executing"), ok("Succeeded")];
    let (result, times) = scripted(script, DEFAULTS, Duration::from_secs(300), |_, b| b).await;
    let poll = result.expect("success");
    assert_eq!(poll.as_result().unwrap().name.as_deref(), Some("Succeeded"));
    assert_eq!(secs(&times), [0, 2, 6]);
}

#[tokio::test(start_paused = true)]
async fn a_failure_acceptor_ends_the_wait_with_the_output() {
    let script = vec![ok("Stopping"), ok("Failed")];
    let (result, times) = scripted(script, DEFAULTS, Duration::from_secs(300), |a, _| a).await;
    match result {
        Err(WaiterError::FailureState(f)) => {
            assert_eq!(f.final_poll().as_result().unwrap().name.as_deref(), Some("Failed"))
        }
        other => panic!("expected a failure state, got {other:?}"),
    }
    assert_eq!(secs(&times), [0, 2]);
}

#[tokio::test(start_paused = true)]
async fn a_retry_acceptor_on_an_error_keeps_polling_and_an_unmatched_error_ends_it() {
    let script = vec![service_error("NotYet"), ok("Executing"), service_error("AccessDenied")];
    let (result, times) = scripted(script, DEFAULTS, Duration::from_secs(300), |a, _| a).await;
    match result {
        Err(WaiterError::OperationFailed(e)) => {
            assert_eq!(e.error().as_service_error().map(|e| e.to_string()).as_deref(), Some("AccessDenied"))
        }
        other => panic!("expected the operation's error, got {other:?}"),
    }
    assert_eq!(times.len(), 3);
}

#[tokio::test(start_paused = true)]
async fn an_error_that_is_not_the_services_ends_the_wait() {
    let script = vec![Err(SdkError::timeout_error("slow"))];
    let (result, times) = scripted(script, DEFAULTS, Duration::from_secs(300), |a, _| a).await;
    assert!(matches!(result, Err(WaiterError::OperationFailed(_))), "{result:?}");
    assert_eq!(times.len(), 1);
    let mut out = crate::validation::Violations::new();
    out.required(&crate::validation::Path::Root.field("Name"));
    let invalid = out.into_result("Input").unwrap_err();
    let (result, _) =
        scripted(vec![Err(SdkError::Validation(invalid))], DEFAULTS, Duration::from_secs(300), |a, _| a).await;
    assert!(matches!(result, Err(WaiterError::ConstructionFailure(_))), "{result:?}");
}

/// The example of the specification: minDelay 2, maxDelay 120, a maximum wait of 300 s and polls that take no time;
/// with its draws, the polls happen at its cumulative times up to 296 s. There 4 s are left and the draw is 5, so the
/// last poll comes minDelay before the deadline, at 298 s (the specification's current text says 300 s, its earlier
/// text 298 s), and the wait ends when it does not succeed.
#[tokio::test(start_paused = true)]
async fn the_schedule_of_the_specification_example() {
    let draws = RefCell::new(VecDeque::from([2, 3, 6, 6, 22, 62, 43, 24, 71, 42, 9, 6, 5]));
    let asked = RefCell::new(Vec::new());
    let random = |a: u64, b: u64| {
        asked.borrow_mut().push((a, b));
        draws.borrow_mut().pop_front().unwrap()
    };
    let start = Instant::now();
    let (result, times) = scripted(Vec::new(), DEFAULTS, Duration::from_secs(300), random).await;
    match result {
        Err(WaiterError::ExceededMaxWait(e)) => {
            assert_eq!(e.max_wait(), Duration::from_secs(300));
            assert_eq!(e.elapsed(), Duration::from_secs(298));
            assert_eq!(e.poll_count(), 14);
        }
        other => panic!("expected the deadline, got {other:?}"),
    }
    assert_eq!(start.elapsed(), Duration::from_secs(298));
    assert_eq!(secs(&times), [0, 2, 5, 11, 17, 39, 101, 144, 168, 239, 281, 290, 296, 298]);
    let ceilings: Vec<u64> = asked.into_inner().iter().map(|(_, b)| *b).collect();
    assert_eq!(ceilings, [2, 4, 8, 16, 32, 64, 120, 120, 120, 120, 120, 120, 120]);
}

#[tokio::test(start_paused = true)]
async fn the_wait_never_sleeps_past_the_deadline_and_the_last_poll_has_min_delay_to_answer() {
    let min = Duration::from_secs(30);
    for (max_wait, expected) in
        [(1, vec![0]), (30, vec![0]), (45, vec![0, 15]), (61, vec![0, 30, 31]), (601, vec![0, 30, 90, 210, 450, 571])]
    {
        let max_wait = Duration::from_secs(max_wait);
        let start = Instant::now();
        let (result, times) = scripted(Vec::new(), Delays { min: 30, max: 300 }, max_wait, |_, b| b).await;
        let Err(WaiterError::ExceededMaxWait(e)) = result else { panic!("{result:?}") };
        assert_eq!(secs(&times), expected, "max wait {max_wait:?}");
        // Every poll after the first is sent minDelay or more before the deadline, and the wait ends with the last.
        assert!(times[1..].iter().all(|t| *t + min <= max_wait), "{times:?}");
        assert_eq!(start.elapsed(), *times.last().unwrap());
        assert_eq!(e.elapsed(), start.elapsed());
        assert_eq!(e.poll_count() as usize, times.len());
    }
}

#[tokio::test(start_paused = true)]
async fn a_poll_that_outlasts_the_deadline_is_cut_off_at_it() {
    let started = RefCell::new(0);
    let finished = RefCell::new(0);
    let poll = || async {
        *started.borrow_mut() += 1;
        tokio::time::sleep(Duration::from_secs(50)).await;
        *finished.borrow_mut() += 1;
        ok("Executing")
    };
    let start = Instant::now();
    let result = wait_with(&clock(), DEFAULTS, Duration::from_secs(40), poll, accept, &mut |a, _| a).await;
    let Err(WaiterError::ExceededMaxWait(e)) = result else { panic!("{result:?}") };
    assert_eq!(start.elapsed(), Duration::from_secs(40));
    assert_eq!((e.max_wait(), e.elapsed(), e.poll_count()), (Duration::from_secs(40), Duration::from_secs(40), 1));
    assert_eq!((*started.borrow(), *finished.borrow()), (1, 0), "the poll was dropped at the deadline");
    // A later poll is bounded by what is left: 10 s polls, sent at 0, 12 (after 10 + 2) and 26 (after 22 + 4) s;
    // the last one, sent at 26 s of a 30 s wait, is cut off at 30 s.
    let poll = || async {
        tokio::time::sleep(Duration::from_secs(10)).await;
        ok("Executing")
    };
    let start = Instant::now();
    let result = wait_with(&clock(), DEFAULTS, Duration::from_secs(30), poll, accept, &mut |_, b| b).await;
    let Err(WaiterError::ExceededMaxWait(e)) = result else { panic!("{result:?}") };
    assert_eq!(start.elapsed(), Duration::from_secs(30));
    assert_eq!(e.poll_count(), 3);
}

#[tokio::test(start_paused = true)]
async fn a_zero_maximum_wait_sends_nothing() {
    let (result, times) = scripted(vec![ok("Succeeded")], DEFAULTS, Duration::ZERO, |a, _| a).await;
    let Err(WaiterError::ExceededMaxWait(e)) = result else { panic!("{result:?}") };
    assert_eq!((e.elapsed(), e.poll_count()), (Duration::ZERO, 0));
    assert!(times.is_empty());
}

/// Polls through the attempt loop: a throttled poll is retried by the call itself, and the wait goes on.
#[tokio::test(start_paused = true)]
async fn polls_go_through_the_attempt_loop_and_its_retries() {
    let status = |s: &str| Reply::Respond(response(200, &format!(r#"{{"Name":"{s}"}}"#)));
    let throttled = || Reply::Respond(error_response(400, "ThrottlingException", "slow down", "r-1"));
    let http = FakeHttp::new([
        status("Executing"),
        throttled(),
        status("Executing"),
        throttled(),
        throttled(),
        status("Succeeded"),
    ]);
    let handle = crate::invoke::Handle::new(config(&http).time_source(TokioTimeSource::new()).build(), &SERVICE);
    let start = Instant::now();
    let result =
        wait(&handle, DEFAULTS, Duration::from_secs(600), || invoke(&handle, op(), b"{}".to_vec()), accept).await;
    let poll = result.expect("success");
    assert_eq!(poll.into_result().unwrap().name.as_deref(), Some("Succeeded"));
    assert_eq!(http.count(), 6);
    assert_eq!(http.unused(), 0);
    // Three polls, at least minDelay apart; the throttled attempts were retried within them.
    assert!(start.elapsed() >= Duration::from_secs(4), "{:?}", start.elapsed());
}

/// A poll whose attempts get no answer: the attempt timeout (60 s by default) ends the first, the retry is sent after
/// its backoff, and the deadline ends the wait at 100 s as `ExceededMaxWait`, not as the timeout the call would have
/// ended with after its third attempt, at about 182 s.
#[tokio::test(start_paused = true)]
async fn the_deadline_cuts_off_a_poll_in_the_attempt_loop() {
    let http = FakeHttp::new([Reply::Hang, Reply::Hang, Reply::Hang]);
    let handle = crate::invoke::Handle::new(config(&http).time_source(TokioTimeSource::new()).build(), &SERVICE);
    let start = Instant::now();
    let result =
        wait(&handle, DEFAULTS, Duration::from_secs(100), || invoke(&handle, op(), b"{}".to_vec()), accept).await;
    let Err(WaiterError::ExceededMaxWait(e)) = result else { panic!("{result:?}") };
    assert_eq!(start.elapsed(), Duration::from_secs(100));
    assert_eq!((e.elapsed(), e.poll_count()), (Duration::from_secs(100), 1));
    assert_eq!(http.count(), 2, "the first attempt timed out at 60 s, the second was cut off");
    // With more time, the same poll ends with its timeout, which is the poll's own failure.
    let http = FakeHttp::new([Reply::Hang, Reply::Hang, Reply::Hang]);
    let handle = crate::invoke::Handle::new(config(&http).time_source(TokioTimeSource::new()).build(), &SERVICE);
    let result =
        wait(&handle, DEFAULTS, Duration::from_secs(600), || invoke(&handle, op(), b"{}".to_vec()), accept).await;
    let Err(WaiterError::OperationFailed(e)) = result else { panic!("{result:?}") };
    assert!(matches!(e.error(), aws_smithy_runtime_api::client::result::SdkError::TimeoutError(_)), "{e:?}");
    assert_eq!(http.count(), 3);
}

/// A time source on tokio's clock, for a client's configuration.
#[derive(Debug)]
struct TokioTimeSource(Instant);

impl TokioTimeSource {
    fn new() -> Self {
        TokioTimeSource(Instant::now())
    }
}

impl TimeSource for TokioTimeSource {
    fn now(&self) -> SystemTime {
        TokioTime(self.0).now()
    }
}
