//! The commands that call SageMaker: what they print, and the checks they make before a call.

use std::error::Error as StdError;
use std::fmt::Write as _;
use std::time::Duration;

use sagemaker_pipelines::definition::{PipelineDefinition, Value};
use sagemaker_pipelines::operation::describe_pipeline_execution::DescribePipelineExecutionOutput;
use sagemaker_pipelines::pipeline_wait::{Diagnosis, ExecutionError};
use sagemaker_pipelines::types::{PipelineExecutionStatus, PipelineExecutionStep, PipelineExecutionStepMetadata};
use sagemaker_pipelines::waiters::WaiterError;
use sagemaker_pipelines::Client;

/// Exit status of `run --wait` when the execution failed.
pub const EXIT_FAILED: u8 = 3;
/// Exit status of `run --wait` when the execution was stopped.
pub const EXIT_STOPPED: u8 = 4;
/// Exit status of `run --wait` when the maximum wait passed first.
pub const EXIT_TIMEOUT: u8 = 5;

/// An error and its causes on one line, joined with `: `, each cause once: a cause whose text the line already
/// holds (an `SdkError` repeating its service error, a modeled error that is its own source) is left out. No
/// `Debug` output.
pub fn error_chain(err: &(dyn StdError + 'static)) -> String {
    let mut line = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !text.is_empty() && !line.contains(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
        source = cause.source();
    }
    line
}

/// `KEY=VALUE` pairs checked against the parameters a definition declares: the name declared (else the nearest
/// declared one), the value of the declared type (`Integer`, `Float`, `Boolean` as `true`/`false`), and one of the
/// `EnumValues` when there are some. Every problem, one a line.
pub fn check_params(definition: &PipelineDefinition, params: &[(String, String)]) -> Result<(), Vec<String>> {
    let declared = definition.parameters.as_deref().unwrap_or_default();
    let mut problems = Vec::new();
    for (name, value) in params {
        let Some(p) = declared.iter().find(|p| p.name.as_deref() == Some(name)) else {
            let names: Vec<&str> = declared.iter().filter_map(|p| p.name.as_deref()).collect();
            let mut msg = format!("the pipeline declares no parameter `{name}`");
            match nearest(name, &names) {
                Some(n) => write!(msg, " (did you mean `{n}`?)").unwrap(),
                None if names.is_empty() => msg.push_str(" (it declares none)"),
                None => write!(msg, " (it declares {})", quoted(&names)).unwrap(),
            }
            problems.push(msg);
            continue;
        };
        let kind = p.parameter_type.as_ref().map_or("String", |t| t.as_str());
        let fits = match kind {
            "Integer" => value.parse::<i64>().is_ok(),
            "Float" => value.parse::<f64>().is_ok_and(f64::is_finite),
            "Boolean" => value == "true" || value == "false",
            _ => true,
        };
        if !fits {
            let what = if kind == "Boolean" { "`true` or `false`".to_owned() } else { format!("an {kind}") };
            let what = what.replace("an Float", "a Float");
            problems.push(format!("parameter `{name}` is {kind}: `{value}` is not {what}"));
            continue;
        }
        if let Some(allowed) = &p.enum_values {
            let allowed: Vec<&str> = allowed.iter().filter_map(Value::as_str).collect();
            if !allowed.is_empty() && !allowed.contains(&value.as_str()) {
                problems.push(format!("parameter `{name}` is one of {}: `{value}` is not", quoted(&allowed)));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

fn quoted(names: &[&str]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

/// The candidate within a third of `found`'s length in edits (case-insensitively), nearest first.
fn nearest<'a>(found: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let found = found.to_lowercase();
    let limit = (found.chars().count() / 3).max(1);
    candidates.iter().map(|c| (edits(&found, &c.to_lowercase()), *c)).filter(|(d, _)| *d <= limit).min().map(|(_, c)| c)
}

/// Levenshtein distance (names are short: the caller compares parameter names).
fn edits(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// `1h02m03s`, `4m05s`, `7s`.
pub fn elapsed(d: Duration) -> String {
    let s = d.as_secs();
    match (s / 3600, s / 60 % 60, s % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, s) => format!("{m}m{s:02}s"),
        (h, m, s) => format!("{h}h{m:02}m{s:02}s"),
    }
}

/// The job or resource behind a step, from its metadata: `training job arn:…`, `Lambda arn:…`, `EMR step …`.
pub fn job_of(m: &PipelineExecutionStepMetadata) -> Option<String> {
    let arn = |what: &str, arn: Option<&str>| arn.map(|a| format!("{what} {a}"));
    arn("training job", m.training_job().and_then(|j| j.arn()))
        .or_else(|| arn("processing job", m.processing_job().and_then(|j| j.arn())))
        .or_else(|| arn("transform job", m.transform_job().and_then(|j| j.arn())))
        .or_else(|| arn("tuning job", m.tuning_job().and_then(|j| j.arn())))
        .or_else(|| arn("AutoML job", m.auto_ml_job().and_then(|j| j.arn())))
        .or_else(|| arn("model", m.model().and_then(|j| j.arn())))
        .or_else(|| arn("model package", m.register_model().and_then(|j| j.arn())))
        .or_else(|| arn("endpoint", m.endpoint().and_then(|j| j.arn())))
        .or_else(|| arn("endpoint config", m.endpoint_config().and_then(|j| j.arn())))
        .or_else(|| arn("Lambda function", m.lambda().and_then(|j| j.arn())))
        .or_else(|| m.emr().and_then(|e| e.step_id()).map(|id| format!("EMR step {id}")))
        .or_else(|| m.fail().and_then(|f| f.error_message()).map(|e| format!("Fail step: {e}")))
        .or_else(|| m.callback().and_then(|c| c.sqs_queue_url()).map(|q| format!("callback queue {q}")))
}

/// The diagnosis of an execution that failed or was stopped: the execution's line, then each step that did not
/// succeed with its status, attempts, failure reason and the job behind it.
pub fn render_diagnosis(d: &Diagnosis) -> String {
    let e = &d.execution;
    let mut out = format!(
        "execution {} {}",
        e.pipeline_execution_arn().unwrap_or("(no ARN)"),
        d.status().map_or("(no status)", |s| s.as_str())
    );
    if let Some(reason) = e.failure_reason() {
        write!(out, ": {reason}").unwrap();
    }
    out.push('\n');
    for step in &d.steps {
        write!(out, "  step {} {}", step.step_name().unwrap_or("?"), step.step_status().map_or("?", |s| s.as_str()))
            .unwrap();
        if let Some(n) = step.attempt_count().filter(|n| *n > 1) {
            write!(out, " after {n} attempts").unwrap();
        }
        if let Some(reason) = step.failure_reason() {
            write!(out, ": {reason}").unwrap();
        }
        out.push('\n');
        if let Some(job) = step.metadata().and_then(job_of) {
            writeln!(out, "    {job}").unwrap();
        }
    }
    if d.steps.is_empty() && d.steps_error.is_none() {
        out.push_str("  no step failed or was stopped\n");
    }
    if let Some(err) = &d.steps_error {
        writeln!(out, "  the steps could not be listed: {}", error_chain(err)).unwrap();
    }
    out
}

/// An execution and its steps as a table.
pub fn render_status(e: &DescribePipelineExecutionOutput, steps: &[PipelineExecutionStep]) -> String {
    let mut out = String::new();
    writeln!(out, "execution  {}", e.pipeline_execution_arn().unwrap_or("(no ARN)")).unwrap();
    if let Some(name) = e.pipeline_execution_display_name() {
        writeln!(out, "name       {name}").unwrap();
    }
    writeln!(out, "status     {}", e.pipeline_execution_status().map_or("(none)", |s| s.as_str())).unwrap();
    if let Some(reason) = e.failure_reason() {
        writeln!(out, "reason     {reason}").unwrap();
    }
    if let Some(t) = e.creation_time() {
        writeln!(out, "started    {t}").unwrap();
    }
    if steps.is_empty() {
        out.push_str("no steps have started\n");
        return out;
    }
    let rows: Vec<[String; 4]> = steps
        .iter()
        .map(|s| {
            let took = match (s.start_time(), s.end_time()) {
                (Some(a), Some(b)) => elapsed(Duration::from_secs((b.secs() - a.secs()).max(0) as u64)),
                _ => String::new(),
            };
            let detail = s.failure_reason().map(str::to_owned).or_else(|| s.metadata().and_then(job_of));
            [
                s.step_name().unwrap_or("?").to_owned(),
                s.step_status().map_or("?", |x| x.as_str()).to_owned(),
                took,
                detail.unwrap_or_default(),
            ]
        })
        .collect();
    let header = ["STEP", "STATUS", "TIME", "DETAIL"];
    let width = |i: usize| rows.iter().map(|r| r[i].chars().count()).chain([header[i].len()]).max().unwrap_or_default();
    let (w0, w1, w2) = (width(0), width(1), width(2));
    out.push('\n');
    for r in std::iter::once(header.map(str::to_owned)).chain(rows) {
        let line = format!("{:w0$}  {:w1$}  {:w2$}  {}", r[0], r[1], r[2], r[3]);
        writeln!(out, "{}", line.trim_end()).unwrap();
    }
    out
}

/// How a wait ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Ended {
    /// The execution succeeded.
    Succeeded,
    /// It failed or was stopped (the exit status), with the diagnosis printed.
    Unsuccessful(u8),
    /// The maximum wait passed first.
    TimedOut,
    /// A call failed: its error, on one line.
    Error(String),
}

impl Ended {
    /// The exit status: 0, [`EXIT_FAILED`], [`EXIT_STOPPED`], [`EXIT_TIMEOUT`], or 1 for an error.
    pub fn code(&self) -> u8 {
        match self {
            Ended::Succeeded => 0,
            Ended::Unsuccessful(code) => *code,
            Ended::TimedOut => EXIT_TIMEOUT,
            Ended::Error(_) => 1,
        }
    }
}

/// Watch an execution until it ends or `max_wait` passes: every `poll`, describe it and list its steps, and print
/// one line per change (the execution's status, a step's status) with the time since the watch began; at the end,
/// the crate's pipeline wait gives the outcome and, for a failed or stopped execution, the diagnosis, printed by
/// [`render_diagnosis`]. Time is tokio's, so a paused clock runs it without waiting.
pub async fn watch(
    client: &Client,
    arn: &str,
    poll: Duration,
    max_wait: Duration,
    print: &mut dyn FnMut(&str),
) -> Ended {
    let start = tokio::time::Instant::now();
    let deadline = start + max_wait;
    let mut status: Option<String> = None;
    let mut seen: Vec<(String, String)> = Vec::new();
    loop {
        let now = tokio::time::Instant::now();
        let stamp = elapsed(now - start);
        let described = match client.describe_pipeline_execution().pipeline_execution_arn(arn).send().await {
            Ok(d) => d,
            Err(e) => return Ended::Error(error_chain(&e)),
        };
        let current = described.pipeline_execution_status().map(|s| s.as_str().to_owned());
        if current != status {
            print(&format!("[{stamp:>7}] execution {}", current.as_deref().unwrap_or("?")));
            status = current;
        }
        let steps = client
            .list_pipeline_execution_steps()
            .pipeline_execution_arn(arn)
            .sort_order(sagemaker_pipelines::types::SortOrder::Ascending)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await;
        match steps {
            Ok(steps) => {
                for s in &steps {
                    let name = s.step_name().unwrap_or("?").to_owned();
                    let st = s.step_status().map_or("?", |x| x.as_str()).to_owned();
                    match seen.iter_mut().find(|(n, _)| *n == name) {
                        Some((_, old)) if *old == st => continue,
                        Some((_, old)) => *old = st.clone(),
                        None => seen.push((name.clone(), st.clone())),
                    }
                    print(&format!("[{stamp:>7}] step {name} {st}"));
                }
            }
            Err(e) => return Ended::Error(error_chain(&e)),
        }
        let done = matches!(
            described.pipeline_execution_status(),
            Some(
                PipelineExecutionStatus::Succeeded | PipelineExecutionStatus::Failed | PipelineExecutionStatus::Stopped
            )
        );
        if done || now + poll > deadline {
            break;
        }
        tokio::time::sleep(poll).await;
    }
    let left = deadline.saturating_duration_since(tokio::time::Instant::now());
    match client.wait_for_pipeline_execution(arn).wait(left).await {
        Ok(_) => Ended::Succeeded,
        Err(ExecutionError::Ended(d)) => {
            print(render_diagnosis(&d).trim_end());
            let code = match d.status() {
                Some(PipelineExecutionStatus::Stopped) => EXIT_STOPPED,
                _ => EXIT_FAILED,
            };
            Ended::Unsuccessful(code)
        }
        Err(ExecutionError::Waiter(w)) if matches!(*w, WaiterError::ExceededMaxWait(_)) => Ended::TimedOut,
        Err(e) => Ended::Error(error_chain(&e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elapsed_reads_as_hours_minutes_seconds() {
        assert_eq!(elapsed(Duration::from_secs(7)), "7s");
        assert_eq!(elapsed(Duration::from_secs(245)), "4m05s");
        assert_eq!(elapsed(Duration::from_secs(3723)), "1h02m03s");
    }

    #[test]
    fn parameters_are_checked_against_their_declared_types() {
        let d = PipelineDefinition::from_json(
            r#"{"Parameters": [{"Name": "Epochs", "Type": "Integer"}, {"Name": "Rate", "Type": "Float"},
                {"Name": "Spot", "Type": "Boolean"}, {"Name": "Kind", "EnumValues": ["a", "b"]}]}"#,
        )
        .unwrap();
        let p = |k: &str, v: &str| (k.to_owned(), v.to_owned());
        assert_eq!(check_params(&d, &[p("Epochs", "3"), p("Rate", "0.1"), p("Spot", "true"), p("Kind", "b")]), Ok(()));
        assert_eq!(
            check_params(&d, &[p("Epochs", "3.5"), p("Rate", "x"), p("Spot", "yes"), p("Kind", "c"), p("Epoch", "1")]),
            Err(vec![
                "parameter `Epochs` is Integer: `3.5` is not an Integer".to_owned(),
                "parameter `Rate` is Float: `x` is not a Float".to_owned(),
                "parameter `Spot` is Boolean: `yes` is not `true` or `false`".to_owned(),
                "parameter `Kind` is one of `a`, `b`: `c` is not".to_owned(),
                "the pipeline declares no parameter `Epoch` (did you mean `Epochs`?)".to_owned(),
            ])
        );
        let none = PipelineDefinition::from_json("{}").unwrap();
        assert_eq!(
            check_params(&none, &[p("X", "1")]),
            Err(vec!["the pipeline declares no parameter `X` (it declares none)".to_owned()])
        );
    }

    #[derive(Debug)]
    struct E(&'static str, Option<Box<E>>);
    impl std::fmt::Display for E {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }
    impl StdError for E {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            self.1.as_deref().map(|e| e as _)
        }
    }

    #[test]
    fn the_error_chain_says_each_cause_once() {
        let e = E("service error", Some(Box::new(E("ValidationException: bad", Some(Box::new(E("bad", None)))))));
        assert_eq!(error_chain(&e), "service error: ValidationException: bad");
        let e = E("dispatch failure", Some(Box::new(E("io error", Some(Box::new(E("connection refused", None)))))));
        assert_eq!(error_chain(&e), "dispatch failure: io error: connection refused");
    }
}
