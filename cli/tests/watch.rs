//! `run --wait`'s progress and diagnosis (`aws::watch`) on the crate's test doubles, on a paused clock: one line per
//! change with the time since the start, the diagnosis of a failed run with the job behind the failed step, and
//! the outcome of each kind of end.

use std::time::Duration;

use sagemaker_pipelines::operation::describe_pipeline_execution::DescribePipelineExecutionOutput;
use sagemaker_pipelines::operation::list_pipeline_execution_steps::ListPipelineExecutionStepsOutput;
use sagemaker_pipelines::test_util::{rules, Mocks, RuleMode};
use sagemaker_pipelines::types::{
    PipelineExecutionStatus as Exec, PipelineExecutionStep, PipelineExecutionStepMetadata, StepStatus,
    TrainingJobStepMetadata,
};
use sagemaker_pipelines_cli::aws::{self, Ended};

const ARN: &str = "arn:aws:sagemaker:us-east-1:123456789012:pipeline/train/execution/abc123";
const JOB: &str = "arn:aws:sagemaker:us-east-1:123456789012:training-job/pipelines-abc123-train";

fn described(status: Exec) -> DescribePipelineExecutionOutput {
    let b = DescribePipelineExecutionOutput::builder()
        .pipeline_execution_arn(ARN)
        .pipeline_execution_status(status.clone());
    if status == Exec::Failed {
        b.failure_reason("Step failure: One or multiple steps failed.").build()
    } else {
        b.build()
    }
}

fn step(name: &str, status: StepStatus) -> PipelineExecutionStep {
    let b = PipelineExecutionStep::builder().step_name(name).step_status(status.clone());
    if status == StepStatus::Failed {
        b.failure_reason("ClientError: instance type ml.p9.huge is not available")
            .attempt_count(2)
            .metadata(
                PipelineExecutionStepMetadata::builder()
                    .training_job(TrainingJobStepMetadata::builder().arn(JOB).build())
                    .build(),
            )
            .build()
    } else {
        b.build()
    }
}

fn steps(list: Vec<PipelineExecutionStep>) -> ListPipelineExecutionStepsOutput {
    ListPipelineExecutionStepsOutput::builder().set_pipeline_execution_steps(Some(list)).build()
}

async fn watch(mocks: &Mocks, max_wait: Duration) -> (Ended, Vec<String>) {
    let mut lines = Vec::new();
    let ended =
        aws::watch(&mocks.client(), ARN, Duration::from_secs(15), max_wait, &mut |l: &str| lines.push(l.to_owned()))
            .await;
    (ended, lines)
}

#[tokio::test(start_paused = true)]
async fn a_failed_run_shows_each_change_then_the_diagnosis() {
    let describe = rules::describe_pipeline_execution()
        .sequence()
        .output(|| described(Exec::Executing))
        .times(2)
        .output(|| described(Exec::Failed))
        .repeatedly()
        .build();
    let list = rules::list_pipeline_execution_steps()
        .sequence()
        .output(|| steps(vec![step("Prepare", StepStatus::Executing)]))
        .output(|| steps(vec![step("Prepare", StepStatus::Succeeded), step("Train", StepStatus::Executing)]))
        .output(|| steps(vec![step("Prepare", StepStatus::Succeeded), step("Train", StepStatus::Failed)]))
        .repeatedly()
        .build();
    let mocks = Mocks::new(RuleMode::MatchAny, [&describe, &list]);
    let start = tokio::time::Instant::now();
    let (ended, lines) = watch(&mocks, Duration::from_secs(3600)).await;
    assert_eq!(ended, Ended::Unsuccessful(aws::EXIT_FAILED));
    assert_eq!(ended.code(), 3);
    assert_eq!(
        lines.join("\n"),
        format!(
            "[     0s] execution Executing
[     0s] step Prepare Executing
[    15s] step Prepare Succeeded
[    15s] step Train Executing
[    30s] execution Failed
[    30s] step Train Failed
execution {ARN} Failed: Step failure: One or multiple steps failed.
  step Train Failed after 2 attempts: ClientError: instance type ml.p9.huge is not available
    training job {JOB}"
        )
    );
    // Two polls 15 s apart, then the pipeline wait's own first poll at once: 30 s on the paused clock.
    assert_eq!(start.elapsed(), Duration::from_secs(30));
}

#[tokio::test(start_paused = true)]
async fn success_stop_and_timeout_have_their_own_outcomes() {
    let ok = rules::describe_pipeline_execution().sequence().output(|| described(Exec::Succeeded)).repeatedly().build();
    let list = rules::list_pipeline_execution_steps()
        .sequence()
        .output(|| steps(vec![step("Train", StepStatus::Succeeded)]))
        .repeatedly()
        .build();
    let (ended, lines) = watch(&Mocks::new(RuleMode::MatchAny, [&ok, &list]), Duration::from_secs(60)).await;
    assert_eq!(
        (ended.code(), lines),
        (0, vec!["[     0s] execution Succeeded".into(), "[     0s] step Train Succeeded".into()])
    );

    let stopped =
        rules::describe_pipeline_execution().sequence().output(|| described(Exec::Stopped)).repeatedly().build();
    let list = rules::list_pipeline_execution_steps()
        .sequence()
        .output(|| steps(vec![step("Train", StepStatus::Stopped)]))
        .repeatedly()
        .build();
    let (ended, lines) = watch(&Mocks::new(RuleMode::MatchAny, [&stopped, &list]), Duration::from_secs(60)).await;
    assert_eq!(ended, Ended::Unsuccessful(aws::EXIT_STOPPED));
    assert_eq!(lines.last().unwrap(), &format!("execution {ARN} Stopped\n  step Train Stopped"));

    let running =
        rules::describe_pipeline_execution().sequence().output(|| described(Exec::Executing)).repeatedly().build();
    let list = rules::list_pipeline_execution_steps().sequence().output(|| steps(vec![])).repeatedly().build();
    let start = tokio::time::Instant::now();
    let (ended, _) = watch(&Mocks::new(RuleMode::MatchAny, [&running, &list]), Duration::from_secs(100)).await;
    assert_eq!(ended, Ended::TimedOut);
    assert_eq!(ended.code(), aws::EXIT_TIMEOUT);
    assert!(start.elapsed() <= Duration::from_secs(100), "{:?}", start.elapsed());
}

#[tokio::test(start_paused = true)]
async fn a_failed_poll_is_one_readable_line() {
    use sagemaker_pipelines::error::ErrorMetadata;
    use sagemaker_pipelines::operation::describe_pipeline_execution::DescribePipelineExecutionError;
    let describe = rules::describe_pipeline_execution().then_error(|| {
        DescribePipelineExecutionError::generic(
            ErrorMetadata::builder().code("AccessDeniedException").message("not allowed to describe").build(),
        )
    });
    let (ended, lines) = watch(&Mocks::new(RuleMode::MatchAny, [&describe]), Duration::from_secs(60)).await;
    assert!(lines.is_empty());
    let Ended::Error(line) = ended else { panic!("{ended:?}") };
    assert!(!line.contains('\n') && !line.contains("{ "), "no Debug output: {line}");
    assert!(line.contains("AccessDeniedException") && line.contains("not allowed to describe"), "{line}");
    assert_eq!(line.matches("not allowed to describe").count(), 1, "{line}");
}

/// `status`'s table: the execution's lines, then a row a step with its status, the time it took and a detail (its
/// failure reason, else the job behind it), in columns as wide as their widest cell.
#[test]
fn the_status_table_has_a_row_a_step() {
    use sagemaker_pipelines::primitives::DateTime;
    let execution = DescribePipelineExecutionOutput::builder()
        .pipeline_execution_arn(ARN)
        .pipeline_execution_display_name("nightly")
        .pipeline_execution_status(Exec::Failed)
        .failure_reason("Step failure: One or multiple steps failed.")
        .build();
    let prepare = PipelineExecutionStep::builder()
        .step_name("Prepare")
        .step_status(StepStatus::Succeeded)
        .start_time(DateTime::from_secs(1_000))
        .end_time(DateTime::from_secs(1_125))
        .metadata(
            PipelineExecutionStepMetadata::builder()
                .training_job(TrainingJobStepMetadata::builder().arn(JOB).build())
                .build(),
        )
        .build();
    let table = aws::render_status(&execution, &[prepare, step("Train", StepStatus::Failed)]);
    let expected = [
        format!("execution  {ARN}"),
        "name       nightly".to_owned(),
        "status     Failed".to_owned(),
        "reason     Step failure: One or multiple steps failed.".to_owned(),
        String::new(),
        "STEP     STATUS     TIME   DETAIL".to_owned(),
        format!("Prepare  Succeeded  2m05s  training job {JOB}"),
        format!("Train    Failed{}ClientError: instance type ml.p9.huge is not available", " ".repeat(12)),
    ];
    assert_eq!(table, expected.join("\n") + "\n");
}

/// An execution no step of which has started says so instead of an empty table.
#[test]
fn the_status_of_an_execution_without_steps() {
    let table = aws::render_status(&described(Exec::Executing), &[]);
    assert_eq!(table, format!("execution  {ARN}\nstatus     Executing\nno steps have started\n"));
}
