//! The project's pipeline waiters (`models/pipeline-waiters.json`) and the diagnosis of `pipeline_wait`, on the
//! committed crate: scripted `DescribePipelineExecution` statuses and `ListPipelineExecutionSteps` pages on an
//! in-memory transport, under tokio's paused clock (no test waits for real), with the delays the model gives
//! (30 s to 300 s for a complete execution, 10 s to 120 s for a stopped one).

#![allow(clippy::result_large_err)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use sagemaker_pipelines::client::Waiters;
use sagemaker_pipelines::config::retry::RetryConfig;
use sagemaker_pipelines::config::{Credentials, Region, TimeSource};
use sagemaker_pipelines::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, HttpRequest, HttpResponse,
    RuntimeComponents, SdkBody, SharedHttpConnector,
};
use sagemaker_pipelines::pipeline_wait::ExecutionError;
use sagemaker_pipelines::waiters::WaiterError;
use sagemaker_pipelines::{Client, Config};
use tokio::time::Instant;

const ARN: &str = "arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/abc123";

/// Statuses and bodies, in turn.
type Answers = VecDeque<(u16, String)>;

/// Answers each request by its operation (`X-Amz-Target`) from a script per operation (the last answer again when a
/// script runs out), and records the operations and the virtual time of each request.
#[derive(Debug, Clone, Default)]
struct Script {
    answers: Arc<Mutex<Vec<(&'static str, Answers)>>>,
    seen: Arc<Mutex<Vec<(String, Duration)>>>,
    start: Arc<Mutex<Option<Instant>>>,
}

impl Script {
    fn new(answers: Vec<(&'static str, Vec<(u16, String)>)>) -> Script {
        let script = Script::default();
        *script.answers.lock().unwrap() = answers.into_iter().map(|(op, a)| (op, a.into())).collect();
        *script.start.lock().unwrap() = Some(Instant::now());
        script
    }

    fn client(&self) -> Client {
        Client::from_conf(
            Config::builder()
                .region(Region::new("us-east-1"))
                .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "test"))
                .retry_config(RetryConfig::standard())
                .time_source(TokioTime(Instant::now()))
                .http_client(self.clone())
                .build(),
        )
    }

    /// The operations called, in order.
    fn calls(&self) -> Vec<String> {
        self.seen.lock().unwrap().iter().map(|(op, _)| op.clone()).collect()
    }

    /// The seconds since the start at which `DescribePipelineExecution` was called.
    fn poll_times(&self) -> Vec<u64> {
        let seen = self.seen.lock().unwrap();
        seen.iter().filter(|(op, _)| op == "DescribePipelineExecution").map(|(_, t)| t.as_secs()).collect()
    }
}

impl HttpClient for Script {
    fn http_connector(&self, _: &HttpConnectorSettings, _: &RuntimeComponents) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

impl HttpConnector for Script {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let target = request.headers().get("x-amz-target").unwrap_or_default();
        let op = target.rsplit('.').next().unwrap_or_default().to_owned();
        let at = self.start.lock().unwrap().map(|s| s.elapsed()).unwrap_or_default();
        self.seen.lock().unwrap().push((op.clone(), at));
        let mut answers = self.answers.lock().unwrap();
        let (status, body) = match answers.iter_mut().find(|(o, _)| *o == op) {
            Some((_, queue)) if queue.len() > 1 => queue.pop_front().unwrap(),
            Some((_, queue)) => queue.front().cloned().unwrap(),
            None => (400, format!(r#"{{"__type":"ValidationException","message":"unscripted {op}"}}"#)),
        };
        HttpConnectorFuture::ready(Ok(HttpResponse::new(status.try_into().unwrap(), SdkBody::from(body))))
    }
}

#[derive(Debug)]
struct TokioTime(Instant);

impl TimeSource for TokioTime {
    fn now(&self) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000) + self.0.elapsed()
    }
}

fn status(s: &str) -> (u16, String) {
    (200, format!(r#"{{"PipelineExecutionArn":"{ARN}","PipelineExecutionStatus":"{s}"}}"#))
}

fn throttled() -> (u16, String) {
    (400, r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#.to_owned())
}

const HOUR: Duration = Duration::from_secs(3600);

#[tokio::test(start_paused = true)]
async fn complete_succeeds_after_executing_polls_on_the_spec_schedule() {
    let script = Script::new(vec![(
        "DescribePipelineExecution",
        vec![status("Executing"), status("Executing"), status("Succeeded")],
    )]);
    let poll = script
        .client()
        .wait_until_pipeline_execution_complete()
        .pipeline_execution_arn(ARN)
        .wait(HOUR)
        .await
        .expect("succeeded");
    assert_eq!(poll.into_result().unwrap().pipeline_execution_status().map(|s| s.as_str()), Some("Succeeded"));
    // minDelay 30: the first sleep is 30 s, the second 30 to 60 s.
    let times = script.poll_times();
    assert_eq!(times[..2], [0, 30]);
    assert!((60..=90).contains(&times[2]), "{times:?}");
}

#[tokio::test(start_paused = true)]
async fn a_stopped_execution_fails_the_complete_waiter_at_once_and_succeeds_the_stopped_one() {
    let script = Script::new(vec![("DescribePipelineExecution", vec![status("Stopping"), status("Stopped")])]);
    let err = script
        .client()
        .wait_until_pipeline_execution_complete()
        .pipeline_execution_arn(ARN)
        .wait(HOUR)
        .await
        .unwrap_err();
    let WaiterError::FailureState(f) = err else { panic!("{err:?}") };
    assert_eq!(f.final_poll().as_result().unwrap().pipeline_execution_status().map(|s| s.as_str()), Some("Stopped"));
    assert_eq!(script.poll_times(), [0, 30]);

    let script = Script::new(vec![("DescribePipelineExecution", vec![status("Stopping"), status("Stopped")])]);
    let poll = script
        .client()
        .wait_until_pipeline_execution_stopped()
        .pipeline_execution_arn(ARN)
        .wait(HOUR)
        .await
        .expect("stopped");
    assert!(poll.as_result().is_ok());
    // The stopped waiter polls from 10 s.
    assert_eq!(script.poll_times(), [0, 10]);
    // An execution that succeeded before it could be stopped fails the stopped waiter.
    let script = Script::new(vec![("DescribePipelineExecution", vec![status("Succeeded")])]);
    let r = script.client().wait_until_pipeline_execution_stopped().pipeline_execution_arn(ARN).wait(HOUR).await;
    assert!(matches!(r, Err(WaiterError::FailureState(_))), "{r:?}");
}

#[tokio::test(start_paused = true)]
async fn throttling_between_polls_is_retried_by_each_call() {
    let script = Script::new(vec![(
        "DescribePipelineExecution",
        vec![status("Executing"), throttled(), throttled(), status("Executing"), throttled(), status("Succeeded")],
    )]);
    let r = script.client().wait_until_pipeline_execution_complete().pipeline_execution_arn(ARN).wait(HOUR).await;
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(script.poll_times().len(), 6, "three polls, three throttled attempts retried within them");
}

#[tokio::test(start_paused = true)]
async fn the_deadline_ends_the_wait_at_the_maximum_and_not_later() {
    let script = Script::new(vec![("DescribePipelineExecution", vec![status("Executing")])]);
    let start = Instant::now();
    let err = script
        .client()
        .wait_until_pipeline_execution_complete()
        .pipeline_execution_arn(ARN)
        .wait(Duration::from_secs(600))
        .await
        .unwrap_err();
    assert!(matches!(err, WaiterError::ExceededMaxWait(_)), "{err:?}");
    assert_eq!(start.elapsed(), Duration::from_secs(600));
    let times = script.poll_times();
    assert_eq!(times.last(), Some(&600));
    assert!(times.windows(2).all(|w| (30..=300).contains(&(w[1] - w[0])) || w[1] == 600), "{times:?}");
}

#[tokio::test(start_paused = true)]
async fn a_failed_execution_is_diagnosed_from_every_page_of_its_steps() {
    let failed = (
        200,
        format!(
            r#"{{"PipelineExecutionArn":"{ARN}","PipelineExecutionStatus":"Failed","FailureReason":"Step failure: One or multiple steps failed."}}"#
        ),
    );
    let page1 = (
        200,
        r#"{"PipelineExecutionSteps":[
            {"StepName":"Evaluate","StepStatus":"Stopped"},
            {"StepName":"Train","StepStatus":"Failed","AttemptCount":2,"FailureReason":"ClientError: bad data",
             "Metadata":{"TrainingJob":{"Arn":"arn:aws:sagemaker:us-east-1:123456789012:training-job/t1"}}}
        ],"NextToken":"page-2"}"#
            .to_owned(),
    );
    let page2 = (200, r#"{"PipelineExecutionSteps":[{"StepName":"Prepare","StepStatus":"Succeeded"}]}"#.to_owned());
    let script = Script::new(vec![
        ("DescribePipelineExecution", vec![status("Executing"), failed]),
        ("ListPipelineExecutionSteps", vec![page1, page2]),
    ]);
    let err = script.client().wait_for_pipeline_execution(ARN).wait(HOUR).await.unwrap_err();
    let ExecutionError::Ended(diagnosis) = &err else { panic!("{err:?}") };
    let names: Vec<&str> = diagnosis.steps.iter().map(|s| s.step_name().unwrap()).collect();
    assert_eq!(names, ["Evaluate", "Train"]);
    assert_eq!(diagnosis.status().map(|s| s.as_str()), Some("Failed"));
    assert_eq!(
        script.calls(),
        [
            "DescribePipelineExecution",
            "DescribePipelineExecution",
            "ListPipelineExecutionSteps",
            "ListPipelineExecutionSteps"
        ]
    );
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
    let script = Script::new(vec![("DescribePipelineExecution", vec![status("Succeeded")])]);
    let done = script.client().wait_for_pipeline_execution(ARN).wait(HOUR).await.unwrap();
    assert_eq!(done.pipeline_execution_arn(), Some(ARN));
    assert_eq!(script.calls(), ["DescribePipelineExecution"], "nothing is listed for a success");
    let script = Script::new(vec![("DescribePipelineExecution", vec![status("Executing")])]);
    let err = script.client().wait_for_pipeline_execution(ARN).wait(Duration::from_secs(90)).await.unwrap_err();
    assert!(err.to_string().starts_with("the pipeline execution had not finished within the maximum wait"), "{err}");
}
