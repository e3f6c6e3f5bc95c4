//! Waiting for a pipeline execution to finish, with a diagnosis when it does not succeed.
//!
//! [`Client::wait_for_pipeline_execution`](crate::Client::wait_for_pipeline_execution) polls with the
//! `PipelineExecutionComplete` waiter (see [`crate::waiters`]). When the execution succeeds, the result is its final
//! description. When it fails or is stopped, the result is an [`ExecutionError::Ended`] holding a [`Diagnosis`]: the
//! final description and the steps that did not succeed, with their status, failure reason, attempts and metadata,
//! from every page of `ListPipelineExecutionSteps`, fetched once at the end. Printing the error prints a summary:
//!
//! ```text
//! pipeline execution arn:aws:sagemaker:…/execution/abc Failed: Step failure: One or multiple steps failed.
//!   step `Train` Failed (attempt 1): ClientError: Please ensure all the training data is valid.
//!     metadata: PipelineExecutionStepMetadata { training_job: Some(TrainingJobStepMetadata { arn: Some("arn:…") }) }
//! ```
//!
//! `wait(max_wait)` returns within `max_wait`, the diagnosis included: the polls share the waiter's deadline (each
//! gets at most the time left, and the last is sent the waiter's `minDelay`, 30 s, before the end), and the steps
//! are listed in whatever time the polls left. A listing the deadline cuts off still gives the [`Diagnosis`], with the
//! execution's description, no steps and a [`steps_error`](Diagnosis::steps_error) that says so: the status and
//! failure reason are already known then, and a caller who gave a deadline is not kept past it for the details.
//!
//! This module is the project's own (`models/modules/pipeline_wait.rs`, copied into the crate), not generated from the
//! model.

use std::fmt;
use std::time::Duration;

use crate::config::ConfigOverride;
use crate::operation::describe_pipeline_execution::{DescribePipelineExecutionError, DescribePipelineExecutionOutput};
use crate::types::{PipelineExecutionStatus, PipelineExecutionStep, StepStatus};
use crate::waiter::{Clock, Deadline};
use crate::waiters::pipeline_execution_complete::WaitUntilPipelineExecutionCompleteError;
use crate::waiters::WaiterError;

impl crate::Client {
    /// Waits for the pipeline execution `pipeline_execution_arn` to finish: call
    /// [`wait(max_wait)`](WaitForPipelineExecution::wait) on the result. A failed or stopped execution is an error
    /// whose `Display` names the steps that did not succeed and why.
    pub fn wait_for_pipeline_execution(&self, pipeline_execution_arn: impl Into<String>) -> WaitForPipelineExecution {
        WaitForPipelineExecution { client: self.clone(), arn: pipeline_execution_arn.into(), config_override: None }
    }
}

/// A wait for a pipeline execution to finish; see [`crate::pipeline_wait`].
#[derive(Debug, Clone)]
pub struct WaitForPipelineExecution {
    client: crate::Client,
    arn: String,
    config_override: Option<ConfigOverride>,
}

impl WaitForPipelineExecution {
    /// Settings for every call of this wait, over the client's configuration: each `DescribePipelineExecution` poll
    /// and each `ListPipelineExecutionSteps` page of the diagnosis. For example, to wait for an execution whose ARN
    /// the crate's model refuses but the service accepts:
    /// `.config_override(ConfigOverride::new().skip_constraint(ConstraintKind::Pattern))`.
    pub fn config_override(mut self, config_override: impl Into<ConfigOverride>) -> Self {
        self.config_override = Some(config_override.into());
        self
    }

    /// Polls until the execution has succeeded (its final description), failed or stopped (a [`Diagnosis`]), or
    /// `max_wait` has passed ([`ExecutionError::Waiter`] with `ExceededMaxWait`). Returns within `max_wait`: a poll
    /// still running at the deadline is cancelled, and the steps of a failed execution are listed only in the time
    /// left (see [the module](crate::pipeline_wait)).
    pub async fn wait(self, max_wait: Duration) -> Result<DescribePipelineExecutionOutput, ExecutionError> {
        use crate::client::Waiters;
        // Started before the waiter's own, so it ends no later.
        let deadline = Deadline::start(Clock::of(&self.client.handle), max_wait);
        let mut waiter = self.client.wait_until_pipeline_execution_complete().pipeline_execution_arn(&self.arn);
        if let Some(config_override) = &self.config_override {
            waiter = waiter.config_override(config_override.clone());
        }
        match waiter.wait(max_wait).await {
            // The waiter's acceptors read the output only, so its final poll is an output; an error is kept anyway.
            Ok(poll) => poll.into_result().map_err(|e| ExecutionError::Poll(e.into_service_error())),
            Err(WaiterError::FailureState(state)) => match state.into_final_poll().into_result() {
                Ok(execution) => {
                    let diagnosis = diagnose(&self.client, execution, self.config_override, &deadline).await;
                    Err(ExecutionError::Ended(Box::new(diagnosis)))
                }
                Err(e) => Err(ExecutionError::Poll(e)),
            },
            Err(WaiterError::OperationFailed(failed)) => {
                Err(ExecutionError::Poll(failed.into_error().into_service_error()))
            }
            Err(other) => Err(ExecutionError::Waiter(Box::new(other))),
        }
    }
}

/// Every step of the execution that did not succeed, from all pages of `ListPipelineExecutionSteps`, listed before
/// `deadline`.
async fn diagnose(
    client: &crate::Client,
    execution: DescribePipelineExecutionOutput,
    config_override: Option<ConfigOverride>,
    deadline: &Deadline,
) -> Diagnosis {
    let arn = execution.pipeline_execution_arn().unwrap_or_default().to_owned();
    let steps = client
        .list_pipeline_execution_steps()
        .pipeline_execution_arn(arn)
        .set_config_override(config_override)
        .into_paginator()
        .items()
        .send()
        .try_collect();
    match deadline.bound(steps).await {
        Some(Ok(steps)) => {
            Diagnosis { steps: steps.into_iter().filter(did_not_succeed).collect(), execution, steps_error: None }
        }
        Some(Err(e)) => Diagnosis { execution, steps: Vec::new(), steps_error: Some(crate::Error::from(e)) },
        None => {
            let cut = crate::error::Unhandled::new(Box::new(DeadlinePassed(deadline.max_wait())), None);
            Diagnosis { execution, steps: Vec::new(), steps_error: Some(crate::Error::Unhandled(cut)) }
        }
    }
}

/// The maximum wait ended before the steps were listed.
#[derive(Debug)]
struct DeadlinePassed(Duration);

impl fmt::Display for DeadlinePassed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the maximum wait of {:?} ended before the steps were listed", self.0)
    }
}

impl std::error::Error for DeadlinePassed {}

/// A step that failed, was stopped, or has a failure reason.
fn did_not_succeed(step: &PipelineExecutionStep) -> bool {
    matches!(step.step_status(), Some(StepStatus::Failed | StepStatus::Stopped | StepStatus::Stopping))
        || step.failure_reason().is_some()
}

/// Why waiting for a pipeline execution did not give a succeeded execution.
#[derive(Debug)]
#[non_exhaustive]
pub enum ExecutionError {
    /// The execution failed or was stopped: its description and the steps that did not succeed.
    Ended(Box<Diagnosis>),
    /// The waiter gave up before the execution ended: the maximum wait passed (`ExceededMaxWait`, also when a poll
    /// was still running at the deadline), or the input was invalid and nothing was sent (`ConstructionFailure`).
    Waiter(Box<WaitUntilPipelineExecutionCompleteError>),
    /// A poll failed, which ended the wait: the service's error (`e.is_resource_not_found()` for an unknown
    /// execution), or, as the `Unhandled` variant whose [`source`](std::error::Error::source) is the `SdkError`, a
    /// failure that is not the service's (a timeout, a connection failure, a response that cannot be read) once the
    /// call's own retries are spent.
    Poll(DescribePipelineExecutionError),
}

impl fmt::Display for ExecutionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExecutionError::Ended(d) => d.fmt(f),
            ExecutionError::Waiter(w) if matches!(**w, WaiterError::ExceededMaxWait(_)) => {
                write!(f, "the pipeline execution had not finished within the maximum wait: {w}")
            }
            ExecutionError::Waiter(e) => write!(f, "waiting for the pipeline execution failed: {e}"),
            ExecutionError::Poll(e) => write!(f, "describing the pipeline execution failed: {}", Chain(e)),
        }
    }
}

impl std::error::Error for ExecutionError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ExecutionError::Ended(d) => d.steps_error.as_ref().map(|e| e as _),
            ExecutionError::Waiter(e) => Some(&**e),
            ExecutionError::Poll(e) => Some(e),
        }
    }
}

/// A pipeline execution that failed or was stopped, and the steps that did not succeed.
#[derive(Debug)]
#[non_exhaustive]
pub struct Diagnosis {
    /// The execution's final description (status, failure reason, …).
    pub execution: DescribePipelineExecutionOutput,
    /// The steps that failed, were stopped or have a failure reason, as `ListPipelineExecutionSteps` lists them (the
    /// most recent first).
    pub steps: Vec<PipelineExecutionStep>,
    /// Why the steps could not be listed, if they could not: the call's error, or the end of the maximum wait.
    pub steps_error: Option<crate::Error>,
}

impl Diagnosis {
    /// The execution's final status (`Failed` or `Stopped`).
    pub fn status(&self) -> Option<&PipelineExecutionStatus> {
        self.execution.pipeline_execution_status()
    }
}

impl fmt::Display for Diagnosis {
    /// One line for the execution, then one per step that did not succeed, with its metadata below.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = &self.execution;
        write!(
            f,
            "pipeline execution {} {}",
            e.pipeline_execution_arn().unwrap_or("(no arn)"),
            self.status().map_or("(no status)", |s| s.as_str())
        )?;
        if let Some(reason) = e.failure_reason() {
            write!(f, ": {reason}")?;
        }
        for step in &self.steps {
            write!(
                f,
                "\n  step `{}` {}",
                step.step_name().unwrap_or("?"),
                step.step_status().map_or("(no status)", |s| s.as_str())
            )?;
            if let Some(n) = step.attempt_count() {
                write!(f, " (attempt {n})")?;
            }
            if let Some(reason) = step.failure_reason() {
                write!(f, ": {reason}")?;
            }
            if let Some(metadata) = step.metadata() {
                write!(f, "\n    metadata: {}", without_absent_members(&format!("{metadata:?}")))?;
            }
        }
        if self.steps.is_empty() && self.steps_error.is_none() {
            write!(f, "\n  no step failed or was stopped")?;
        }
        if let Some(err) = &self.steps_error {
            write!(f, "\n  the steps could not be listed: {}", Chain(err))?;
        }
        Ok(())
    }
}

/// An error and its sources, joined with `: `: on its own, a failure that is not the service's says no more than
/// `unhandled error`. A source that reads as the error before it (a modeled error, which is its own variant's
/// source) is not repeated.
struct Chain<'a>(&'a (dyn std::error::Error + 'static));

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut last = self.0.to_string();
        f.write_str(&last)?;
        let mut source = self.0.source();
        while let Some(cause) = source {
            let text = cause.to_string();
            if text != last {
                write!(f, ": {text}")?;
            }
            last = text;
            source = cause.source();
        }
        Ok(())
    }
}

/// A `Debug` rendering without its `name: None` members: step metadata has a member per kind of step, and only one
/// is set.
fn without_absent_members(debug: &str) -> String {
    let mut out = String::with_capacity(debug.len());
    for (i, part) in debug.split(", ").enumerate() {
        // `{ a: None` keeps its brace; a lone `a: None` (or `a: None }`) goes, with its separator.
        let (head, rest) = match part.rfind("{ ") {
            Some(at) => (&part[..at + 2], &part[at + 2..]),
            None => ("", part),
        };
        let name_end =
            rest.find(": None").filter(|&at| rest[..at].chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
        match name_end {
            Some(at) => {
                let tail = &rest[at + ": None".len()..];
                if !head.is_empty() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(head);
                }
                out.push_str(tail);
            }
            None => {
                if i > 0 && !out.ends_with("{ ") {
                    out.push_str(", ");
                }
                out.push_str(part);
            }
        }
    }
    out.replace("{ }", "{}").replace("{  }", "{}")
}
