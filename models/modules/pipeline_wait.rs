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
//! This module is the project's own (`models/modules/pipeline_wait.rs`, copied into the crate), not generated from the
//! model.

use std::fmt;
use std::time::Duration;

use crate::operation::describe_pipeline_execution::DescribePipelineExecutionOutput;
use crate::types::{PipelineExecutionStatus, PipelineExecutionStep, StepStatus};
use crate::waiters::pipeline_execution_complete::WaitUntilPipelineExecutionCompleteError;
use crate::waiters::WaiterError;

impl crate::Client {
    /// Waits for the pipeline execution `pipeline_execution_arn` to finish: call
    /// [`wait(max_wait)`](WaitForPipelineExecution::wait) on the result. A failed or stopped execution is an error
    /// whose `Display` names the steps that did not succeed and why.
    pub fn wait_for_pipeline_execution(&self, pipeline_execution_arn: impl Into<String>) -> WaitForPipelineExecution {
        WaitForPipelineExecution { client: self.clone(), arn: pipeline_execution_arn.into() }
    }
}

/// A wait for a pipeline execution to finish; see [`crate::pipeline_wait`].
#[derive(Debug, Clone)]
pub struct WaitForPipelineExecution {
    client: crate::Client,
    arn: String,
}

impl WaitForPipelineExecution {
    /// Polls until the execution has succeeded (its final description), failed or stopped (a [`Diagnosis`]), or
    /// `max_wait` has passed.
    pub async fn wait(self, max_wait: Duration) -> Result<DescribePipelineExecutionOutput, ExecutionError> {
        use crate::client::Waiters;
        let result =
            self.client.wait_until_pipeline_execution_complete().pipeline_execution_arn(&self.arn).wait(max_wait).await;
        match result {
            // The waiter's acceptors read the output only, so its final poll is an output; an error is kept anyway.
            Ok(poll) => poll.into_result().map_err(|e| ExecutionError::Poll(e.into_service_error())),
            Err(WaiterError::FailureState(state)) => match state.into_final_poll().into_result() {
                Ok(execution) => Err(ExecutionError::Ended(Box::new(diagnose(&self.client, execution).await))),
                Err(e) => Err(ExecutionError::Poll(e)),
            },
            Err(other) => Err(ExecutionError::Waiter(Box::new(other))),
        }
    }
}

/// Every step of the execution that did not succeed, from all pages of `ListPipelineExecutionSteps`.
async fn diagnose(client: &crate::Client, execution: DescribePipelineExecutionOutput) -> Diagnosis {
    let arn = execution.pipeline_execution_arn().unwrap_or_default().to_owned();
    let steps = client
        .list_pipeline_execution_steps()
        .pipeline_execution_arn(arn)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await;
    match steps {
        Ok(steps) => {
            Diagnosis { steps: steps.into_iter().filter(did_not_succeed).collect(), execution, steps_error: None }
        }
        Err(e) => Diagnosis { execution, steps: Vec::new(), steps_error: Some(crate::Error::from(e)) },
    }
}

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
    /// The waiter gave up before the execution ended (the maximum wait passed), or a poll failed, or the input was
    /// invalid.
    Waiter(Box<WaitUntilPipelineExecutionCompleteError>),
    /// The last poll returned an error that ended the wait.
    Poll(crate::operation::describe_pipeline_execution::DescribePipelineExecutionError),
}

impl fmt::Display for ExecutionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExecutionError::Ended(d) => d.fmt(f),
            ExecutionError::Waiter(w) if matches!(**w, WaiterError::ExceededMaxWait(_)) => {
                write!(f, "the pipeline execution had not finished within the maximum wait: {w}")
            }
            ExecutionError::Waiter(e) => write!(f, "waiting for the pipeline execution failed: {e}"),
            ExecutionError::Poll(e) => write!(f, "describing the pipeline execution failed: {e}"),
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
    /// Why the steps could not be listed, if they could not.
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
            write!(f, "\n  the steps could not be listed: {err}")?;
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
