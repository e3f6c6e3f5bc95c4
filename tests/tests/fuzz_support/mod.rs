//! The harness of the property tests in `tests/tests/fuzz_*.rs`: each runs one property on proptest's runner, for a
//! fixed number of cases as an ordinary test (what `cargo xtask test` runs), or for a given time when
//! `cargo xtask fuzz` sets `FUZZ_SECONDS`, batch after batch with fresh seeds. The test suite's cases come from a
//! fixed seed, so it passes or fails the same way every time.
//!
//! - `FUZZ_SECONDS`: run until that many seconds have passed (at least one batch), and write a report.
//! - `FUZZ_CASES` (or proptest's own `PROPTEST_CASES`): the number of cases of a plain run, or of one batch.
//! - `FUZZ_TRACE`: print every input before running it (to find the input of a stack overflow or a hang).
//! - `FUZZ_REPORT_DIR`: where the report of each target goes (`<target>.json`: executions, seconds, the slowest
//!   case, failures with their minimized input); `cargo xtask fuzz` reads them.
//!
//! A failing case (a panic, caught by proptest's runner, or a failed property) is shrunk to a minimal input, its seed
//! is saved in `tests/proptest-regressions/<target>.txt` (replayed first on every later run), and the test fails with
//! that input. Cases cannot be interrupted (no process per case), so the strategies bound the size of their inputs,
//! and the report names the slowest case's time.

use std::cell::Cell;
use std::time::{Duration, Instant};

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, FileFailurePersistence, RngSeed, TestCaseResult, TestError, TestRunner};

/// How a target runs, from the environment.
fn settings(default_cases: u32) -> (u32, Option<Duration>) {
    let number = |name: &str| std::env::var(name).ok().and_then(|v| v.trim().parse::<u64>().ok());
    let cases = number("FUZZ_CASES").or_else(|| number("PROPTEST_CASES")).map_or(default_cases, |n| n as u32);
    (cases.max(1), number("FUZZ_SECONDS").map(Duration::from_secs))
}

/// Run `property` on inputs from `strategy`: `default_cases` cases as a test; under `cargo xtask fuzz` until the time
/// is up. Panics with the minimized input when a case fails.
pub fn run<S>(target: &'static str, default_cases: u32, strategy: S, property: impl Fn(S::Value) -> TestCaseResult)
where
    S: Strategy,
{
    let (cases, duration) = settings(default_cases);
    let persisted = format!("{}/proptest-regressions/{target}.txt", env!("CARGO_MANIFEST_DIR"));
    let config = Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(String::leak(persisted)))),
        // Shrinking a model or a body takes many runs of the property; a minute is enough to make it readable.
        max_shrink_time: 60_000,
        max_shrink_iters: 10_000,
        // The test suite runs the same cases every time, so that it never fails by chance; `cargo xtask fuzz` draws
        // new ones in every batch.
        rng_seed: if duration.is_some() { RngSeed::Random } else { RngSeed::Fixed(0x5eed_f022) },
        ..Config::default()
    };
    let executions = Cell::new(0u64);
    let slowest = Cell::new(Duration::ZERO);
    // A stack overflow or a hang cannot be caught: `FUZZ_TRACE=1` prints every input before it runs, so the last one
    // printed is the culprit.
    let trace = std::env::var_os("FUZZ_TRACE").is_some();
    let counted = |value: S::Value| {
        if trace {
            eprintln!("fuzz input: {value:?}");
        }
        let start = Instant::now();
        let result = property(value);
        executions.set(executions.get() + 1);
        slowest.set(slowest.get().max(start.elapsed()));
        result
    };
    let start = Instant::now();
    let mut failures = Vec::new();
    let mut batches = 0u64;
    loop {
        batches += 1;
        let mut runner = TestRunner::new(config.clone());
        match runner.run(&strategy, counted) {
            Ok(()) => {}
            Err(TestError::Abort(reason)) => failures.push(format!("aborted: {reason}")),
            Err(TestError::Fail(reason, input)) => {
                failures.push(format!("{reason}\nminimal failing input: {input:#?}"));
            }
        }
        match duration {
            Some(d) if failures.is_empty() && start.elapsed() < d => continue,
            _ => break,
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "fuzz target {target}: {} executions in {seconds:.1} s ({batches} batches of {cases} cases), slowest case \
         {:.3} s, {} failures",
        executions.get(),
        slowest.get().as_secs_f64(),
        failures.len()
    );
    if let Some(dir) = std::env::var_os("FUZZ_REPORT_DIR") {
        let report = serde_json::json!({
            "target": target,
            "executions": executions.get(),
            "seconds": seconds,
            "slowest_case_seconds": slowest.get().as_secs_f64(),
            "failures": failures,
        });
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).expect("the report directory can be created");
        std::fs::write(dir.join(format!("{target}.json")), report.to_string()).expect("the report can be written");
    }
    assert!(failures.is_empty(), "fuzz target {target} failed:\n{}", failures.join("\n\n"));
}
