//! The project's pipeline waiters (`models/pipeline-waiters.json`) and the diagnosis of `pipeline_wait`, on the
//! committed crate: `DescribePipelineExecution` statuses and `ListPipelineExecutionSteps` pages answered by the crate's
//! own test doubles (`test_util` rules), under tokio's paused clock (no test waits for real), with the delays the
//! model gives (30 s to 300 s for a complete execution, 10 s to 120 s for a stopped one).

#![allow(clippy::result_large_err)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use sagemaker_pipelines::client::Waiters;
use sagemaker_pipelines::config::retry::RetryConfig;
use sagemaker_pipelines::operation::describe_pipeline_execution::DescribePipelineExecutionOutput;
use sagemaker_pipelines::operation::list_pipeline_execution_steps::{
    ListPipelineExecutionStepsInput, ListPipelineExecutionStepsOutput,
};
use sagemaker_pipelines::pipeline_wait::ExecutionError;
use sagemaker_pipelines::test_util::{rules, Mocks, Rule, RuleMode};
use sagemaker_pipelines::types::{
    PipelineExecutionStatus as Status, PipelineExecutionStep, PipelineExecutionStepMetadata, StepStatus,
    TrainingJobStepMetadata,
};
use sagemaker_pipelines::waiters::WaiterError;
use sagemaker_pipelines::Client;
use tokio::time::Instant;

const ARN: &str = "arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/abc123";
const HOUR: Duration = Duration::from_secs(3600);

/// A client answering from `mocks`, with standard retries (the mocks' configuration keeps time on tokio's clock).
fn client(mocks: &Mocks) -> Client {
    Client::from_conf(mocks.config().retry_config(RetryConfig::standard()).build())
}

/// When (virtual seconds since the test began) `DescribePipelineExecution` answered with a status.
#[derive(Debug, Clone)]
struct Polls {
    start: Instant,
    at: Arc<Mutex<Vec<u64>>>,
}

impl Polls {
    fn new() -> Polls {
        Polls { start: Instant::now(), at: Arc::default() }
    }

    /// An answer with `status` (and `reason`, if any) that records when it was given.
    fn answer(
        &self,
        status: Status,
        reason: Option<&'static str>,
    ) -> impl Fn() -> DescribePipelineExecutionOutput + Send + Sync + 'static {
        let polls = self.clone();
        move || {
            polls.at.lock().unwrap().push(polls.start.elapsed().as_secs());
            DescribePipelineExecutionOutput::builder()
                .pipeline_execution_arn(ARN)
                .pipeline_execution_status(status.clone())
                .set_failure_reason(reason.map(str::to_owned))
                .build()
        }
    }

    fn status(&self, status: Status) -> impl Fn() -> DescribePipelineExecutionOutput + Send + Sync + 'static {
        self.answer(status, None)
    }

    fn times(&self) -> Vec<u64> {
        self.at.lock().unwrap().clone()
    }
}

fn operations(mocks: &Mocks) -> Vec<&'static str> {
    mocks.calls().iter().map(|c| c.operation()).collect()
}

#[tokio::test(start_paused = true)]
async fn complete_succeeds_after_executing_polls_on_the_spec_schedule() {
    let polls = Polls::new();
    let describe = rules::describe_pipeline_execution()
        .match_requests(|input| input.pipeline_execution_arn() == Some(ARN))
        .sequence()
        .output(polls.status(Status::Executing))
        .times(2)
        .output(polls.status(Status::Succeeded))
        .build();
    let mocks = Mocks::new(RuleMode::Sequential, [&describe]);
    let poll =
        client(&mocks).wait_until_pipeline_execution_complete().pipeline_execution_arn(ARN).wait(HOUR).await.unwrap();
    assert_eq!(poll.into_result().unwrap().pipeline_execution_status(), Some(&Status::Succeeded));
    // minDelay 30: the first sleep is 30 s, the second 30 to 60 s.
    let times = polls.times();
    assert_eq!(times[..2], [0, 30]);
    assert!((60..=90).contains(&times[2]), "{times:?}");
    assert!(describe.is_exhausted());
}

fn stopping_then_stopped(polls: &Polls) -> Rule {
    rules::describe_pipeline_execution()
        .sequence()
        .output(polls.status(Status::Stopping))
        .output(polls.status(Status::Stopped))
        .build()
}

#[tokio::test(start_paused = true)]
async fn a_stopped_execution_fails_the_complete_waiter_at_once_and_succeeds_the_stopped_one() {
    let polls = Polls::new();
    let describe = stopping_then_stopped(&polls);
    let mocks = Mocks::new(RuleMode::Sequential, [&describe]);
    let err = client(&mocks)
        .wait_until_pipeline_execution_complete()
        .pipeline_execution_arn(ARN)
        .wait(HOUR)
        .await
        .unwrap_err();
    let WaiterError::FailureState(f) = err else { panic!("{err:?}") };
    assert_eq!(f.final_poll().as_result().unwrap().pipeline_execution_status(), Some(&Status::Stopped));
    assert_eq!(polls.times(), [0, 30]);

    let polls = Polls::new();
    let describe = stopping_then_stopped(&polls);
    let mocks = Mocks::new(RuleMode::Sequential, [&describe]);
    let poll =
        client(&mocks).wait_until_pipeline_execution_stopped().pipeline_execution_arn(ARN).wait(HOUR).await.unwrap();
    assert!(poll.as_result().is_ok());
    // The stopped waiter polls from 10 s.
    assert_eq!(polls.times(), [0, 10]);

    // An execution that succeeded before it could be stopped fails the stopped waiter.
    let succeeded = rules::describe_pipeline_execution().then_output(Polls::new().status(Status::Succeeded));
    let mocks = Mocks::new(RuleMode::Sequential, [&succeeded]);
    let r = client(&mocks).wait_until_pipeline_execution_stopped().pipeline_execution_arn(ARN).wait(HOUR).await;
    assert!(matches!(r, Err(WaiterError::FailureState(_))), "{r:?}");
}

#[tokio::test(start_paused = true)]
async fn throttling_between_polls_is_retried_by_each_call() {
    let polls = Polls::new();
    let describe = rules::describe_pipeline_execution()
        .sequence()
        .output(polls.status(Status::Executing))
        .throttling()
        .times(2)
        .output(polls.status(Status::Executing))
        .throttling()
        .output(polls.status(Status::Succeeded))
        .build();
    let mocks = Mocks::new(RuleMode::Sequential, [&describe]);
    let r = client(&mocks).wait_until_pipeline_execution_complete().pipeline_execution_arn(ARN).wait(HOUR).await;
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(polls.times().len(), 3, "three polls");
    assert_eq!(describe.num_calls(), 6, "and three throttled attempts retried within them");
}

#[tokio::test(start_paused = true)]
async fn the_deadline_ends_the_wait_with_the_last_poll_min_delay_before_it() {
    let polls = Polls::new();
    let describe =
        rules::describe_pipeline_execution().sequence().output(polls.status(Status::Executing)).repeatedly().build();
    let mocks = Mocks::new(RuleMode::Sequential, [&describe]);
    let start = Instant::now();
    let err = client(&mocks)
        .wait_until_pipeline_execution_complete()
        .pipeline_execution_arn(ARN)
        .wait(Duration::from_secs(600))
        .await
        .unwrap_err();
    let WaiterError::ExceededMaxWait(e) = &err else { panic!("{err:?}") };
    // The last poll is sent minDelay (30 s) before the deadline, so that it has time to answer; the wait ends when
    // it does not end the wait.
    assert_eq!(start.elapsed(), Duration::from_secs(570));
    assert_eq!(e.elapsed(), Duration::from_secs(570));
    let times = polls.times();
    assert_eq!(times.last(), Some(&570));
    assert_eq!(e.poll_count() as usize, times.len());
    assert!(times.windows(2).all(|w| (30..=300).contains(&(w[1] - w[0])) || w[1] == 570), "{times:?}");
}

/// The case: a `DescribePipelineExecution` that never answers. Each attempt ends at the client's 60 s attempt
/// timeout and is retried, so the poll alone would end after three attempts, about 182 s, as a timeout; the deadline
/// of a 100 s wait cuts it off at 100 s, and the result says the maximum wait passed.
#[tokio::test(start_paused = true)]
async fn the_deadline_holds_when_a_poll_never_answers() {
    let hanging = || rules::describe_pipeline_execution().sequence().no_response().repeatedly().build();
    let max_wait = Duration::from_secs(100);

    let describe = hanging();
    let mocks = Mocks::new(RuleMode::Sequential, [&describe]);
    let start = Instant::now();
    let err = client(&mocks)
        .wait_until_pipeline_execution_complete()
        .pipeline_execution_arn(ARN)
        .wait(max_wait)
        .await
        .unwrap_err();
    let WaiterError::ExceededMaxWait(e) = &err else { panic!("{err:?}") };
    assert_eq!(start.elapsed(), max_wait);
    assert_eq!((e.max_wait(), e.elapsed(), e.poll_count()), (max_wait, max_wait, 1));
    assert_eq!(describe.num_calls(), 2, "the first attempt timed out at 60 s; the deadline cut the second off");

    let describe = hanging();
    let mocks = Mocks::new(RuleMode::Sequential, [&describe]);
    let start = Instant::now();
    let err = client(&mocks).wait_for_pipeline_execution(ARN).wait(max_wait).await.unwrap_err();
    assert_eq!(start.elapsed(), max_wait);
    let ExecutionError::Waiter(w) = &err else { panic!("{err:?}") };
    assert!(matches!(**w, WaiterError::ExceededMaxWait(_)), "{w:?}");
    assert!(err.to_string().starts_with("the pipeline execution had not finished within the maximum wait"), "{err}");
}

#[tokio::test(start_paused = true)]
async fn a_poll_error_is_a_poll_error_with_its_typed_error() {
    use sagemaker_pipelines::operation::describe_pipeline_execution::DescribePipelineExecutionError;
    use sagemaker_pipelines::types::error::ResourceNotFound;

    let missing = rules::describe_pipeline_execution().then_error(|| {
        DescribePipelineExecutionError::ResourceNotFound(
            ResourceNotFound::builder().message("Pipeline execution does not exist").build(),
        )
    });
    let mocks = Mocks::new(RuleMode::Sequential, [&missing]);
    let err = client(&mocks).wait_for_pipeline_execution(ARN).wait(HOUR).await.unwrap_err();
    assert!(matches!(&err, ExecutionError::Poll(e) if e.is_resource_not_found()), "{err:?}");
    assert_eq!(
        err.to_string(),
        "describing the pipeline execution failed: ResourceNotFound: Pipeline execution does not exist"
    );

    // A failure that is not the service's, once the call's retries are spent (three attempts that get no answer,
    // well within the maximum wait), is the poll's too, as the operation error's unhandled variant.
    let silent = rules::describe_pipeline_execution().sequence().no_response().times(3).build();
    let mocks = Mocks::new(RuleMode::Sequential, [&silent]);
    let start = Instant::now();
    let err = client(&mocks).wait_for_pipeline_execution(ARN).wait(HOUR).await.unwrap_err();
    let ExecutionError::Poll(e) = &err else { panic!("{err:?}") };
    assert!(matches!(e, DescribePipelineExecutionError::Unhandled(_)), "{e:?}");
    assert!(start.elapsed() >= Duration::from_secs(180) && start.elapsed() < HOUR, "{:?}", start.elapsed());
    let text = err.to_string();
    assert!(
        text.starts_with("describing the pipeline execution failed: unhandled error: request has timed out"),
        "{text}"
    );
    assert!(text.ends_with("timed out after 60s"), "{text}");
}

#[tokio::test(start_paused = true)]
async fn the_steps_are_listed_within_the_deadline() {
    let polls = Polls::new();
    let describe = rules::describe_pipeline_execution()
        .sequence()
        .output(polls.status(Status::Executing))
        .output(polls.answer(Status::Failed, Some("Step failure")))
        .build();
    let steps = rules::list_pipeline_execution_steps().sequence().no_response().repeatedly().build();
    let mocks = Mocks::new(RuleMode::MatchAny, [&describe, &steps]);
    let start = Instant::now();
    let max_wait = Duration::from_secs(100);
    let err = client(&mocks).wait_for_pipeline_execution(ARN).wait(max_wait).await.unwrap_err();
    // The failure was seen at 30 s; the listing had the 70 s left, and the deadline cut it off.
    assert_eq!(polls.times(), [0, 30]);
    assert_eq!(start.elapsed(), max_wait);
    assert_eq!(steps.num_calls(), 2, "the first attempt timed out at 90 s, the second was cut off");
    let ExecutionError::Ended(diagnosis) = &err else { panic!("{err:?}") };
    assert_eq!(diagnosis.status(), Some(&Status::Failed));
    assert!(diagnosis.steps.is_empty());
    let text = err.to_string();
    assert!(
        text.ends_with("\n  the steps could not be listed: unhandled error: the maximum wait of 100s ended before the steps were listed"),
        "{text}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_config_override_reaches_every_poll_and_the_listing() {
    use sagemaker_pipelines::config::ConfigOverride;
    use sagemaker_pipelines::validation::ConstraintKind;

    // An account id the model's pattern refuses (11 digits), as an ARN format the service might start to accept.
    const ODD: &str = "arn:aws:sagemaker:us-east-1:12345678901:pipeline/p/execution/abc123";
    let answer = |status: Status| {
        move || {
            DescribePipelineExecutionOutput::builder()
                .pipeline_execution_arn(ODD)
                .pipeline_execution_status(status.clone())
                .build()
        }
    };
    let rules = || {
        let describe = rules::describe_pipeline_execution()
            .sequence()
            .output(answer(Status::Executing))
            .output(answer(Status::Failed))
            .build();
        let steps = rules::list_pipeline_execution_steps()
            .match_requests(|input| input.pipeline_execution_arn() == Some(ODD))
            .then_output(|| {
                ListPipelineExecutionStepsOutput::builder()
                    .pipeline_execution_steps(step("Train", StepStatus::Failed))
                    .build()
            });
        (describe, steps)
    };

    // Without the override, the input is refused and nothing is sent.
    let (describe, steps) = rules();
    let mocks = Mocks::new(RuleMode::MatchAny, [&describe, &steps]);
    let err = client(&mocks).wait_for_pipeline_execution(ODD).wait(HOUR).await.unwrap_err();
    let ExecutionError::Waiter(w) = &err else { panic!("{err:?}") };
    assert!(matches!(**w, WaiterError::ConstructionFailure(_)), "{w:?}");
    assert!(mocks.calls().is_empty());

    // With it, every poll is sent, and so is the listing of the steps, whose input has the same ARN.
    let (describe, steps) = rules();
    let mocks = Mocks::new(RuleMode::MatchAny, [&describe, &steps]);
    let err = client(&mocks)
        .wait_for_pipeline_execution(ODD)
        .config_override(ConfigOverride::new().skip_constraint(ConstraintKind::Pattern))
        .wait(HOUR)
        .await
        .unwrap_err();
    let ExecutionError::Ended(diagnosis) = &err else { panic!("{err:?}") };
    assert!(diagnosis.steps_error.is_none(), "{err}");
    assert_eq!(diagnosis.steps.iter().map(|s| s.step_name().unwrap()).collect::<Vec<_>>(), ["Train"]);
    assert_eq!(
        operations(&mocks),
        ["DescribePipelineExecution", "DescribePipelineExecution", "ListPipelineExecutionSteps"]
    );
}

fn step(name: &str, status: StepStatus) -> PipelineExecutionStep {
    PipelineExecutionStep::builder().step_name(name).step_status(status).build()
}

#[tokio::test(start_paused = true)]
async fn a_failed_execution_is_diagnosed_from_every_page_of_its_steps() {
    let polls = Polls::new();
    let describe = rules::describe_pipeline_execution()
        .sequence()
        .output(polls.status(Status::Executing))
        .output(polls.answer(Status::Failed, Some("Step failure: One or multiple steps failed.")))
        .build();
    let steps = rules::list_pipeline_execution_steps()
        .match_requests(|input| input.pipeline_execution_arn() == Some(ARN))
        .sequence()
        .output(|| {
            let train = PipelineExecutionStep::builder()
                .step_name("Train")
                .step_status(StepStatus::Failed)
                .attempt_count(2)
                .failure_reason("ClientError: bad data")
                .metadata(
                    PipelineExecutionStepMetadata::builder()
                        .training_job(
                            TrainingJobStepMetadata::builder()
                                .arn("arn:aws:sagemaker:us-east-1:123456789012:training-job/t1")
                                .build(),
                        )
                        .build(),
                )
                .build();
            ListPipelineExecutionStepsOutput::builder()
                .pipeline_execution_steps(step("Evaluate", StepStatus::Stopped))
                .pipeline_execution_steps(train)
                .next_token("page-2")
                .build()
        })
        .output(|| {
            ListPipelineExecutionStepsOutput::builder()
                .pipeline_execution_steps(step("Prepare", StepStatus::Succeeded))
                .build()
        })
        .build();
    let mocks = Mocks::new(RuleMode::MatchAny, [&describe, &steps]);
    let err = client(&mocks).wait_for_pipeline_execution(ARN).wait(HOUR).await.unwrap_err();
    let ExecutionError::Ended(diagnosis) = &err else { panic!("{err:?}") };
    let names: Vec<&str> = diagnosis.steps.iter().map(|s| s.step_name().unwrap()).collect();
    assert_eq!(names, ["Evaluate", "Train"]);
    assert_eq!(diagnosis.status(), Some(&Status::Failed));
    assert_eq!(
        operations(&mocks),
        [
            "DescribePipelineExecution",
            "DescribePipelineExecution",
            "ListPipelineExecutionSteps",
            "ListPipelineExecutionSteps"
        ]
    );
    // The second page was asked for with the first page's token.
    let asked: Vec<ListPipelineExecutionStepsInput> = steps.inputs();
    assert_eq!(asked.iter().map(|i| i.next_token()).collect::<Vec<_>>(), [None, Some("page-2")]);
    let text = err.to_string();
    assert!(text.starts_with(&format!("pipeline execution {ARN} Failed: Step failure")), "{text}");
    // The metadata shows the one member set.
    let train =
        "\n  step `Train` Failed (attempt 2): ClientError: bad data\n    metadata: PipelineExecutionStepMetadata { \
                 training_job: Some(TrainingJobStepMetadata { arn: Some(\"arn:aws:sagemaker:us-east-1:123456789012:\
                 training-job/t1\") }) }";
    assert!(text.contains(train), "{text}");
    assert!(text.contains("\n  step `Evaluate` Stopped"), "{text}");
    assert!(!text.contains("Prepare"), "{text}");
}

#[tokio::test(start_paused = true)]
async fn a_succeeded_execution_is_its_description_and_a_deadline_says_so() {
    let succeeded = rules::describe_pipeline_execution().then_output(Polls::new().status(Status::Succeeded));
    let mocks = Mocks::new(RuleMode::Sequential, [&succeeded]);
    let done = client(&mocks).wait_for_pipeline_execution(ARN).wait(HOUR).await.unwrap();
    assert_eq!(done.pipeline_execution_arn(), Some(ARN));
    assert_eq!(operations(&mocks), ["DescribePipelineExecution"], "nothing is listed for a success");

    let polls = Polls::new();
    let executing =
        rules::describe_pipeline_execution().sequence().output(polls.status(Status::Executing)).repeatedly().build();
    let mocks = Mocks::new(RuleMode::Sequential, [&executing]);
    let err = client(&mocks).wait_for_pipeline_execution(ARN).wait(Duration::from_secs(90)).await.unwrap_err();
    assert!(err.to_string().starts_with("the pipeline execution had not finished within the maximum wait"), "{err}");
}
