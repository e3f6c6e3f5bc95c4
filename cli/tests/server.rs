//! The commands that moto cannot answer (`status`, `stop`, `retry`, a deploy's version, `run --wait` to each end),
//! run as a user runs them: the binary, aws-config's credentials from the environment, and a scripted SageMaker on
//! 127.0.0.1 that answers each operation (by its `x-amz-target`) from the test's script and records every request.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

mod support;
use support::{cli, out};

/// An answer: HTTP status and JSON body.
type Answer = (u16, Value);

/// The script: for each operation, the answers in order; the last one repeats.
#[derive(Default)]
struct Script(HashMap<&'static str, Vec<Answer>>);

impl Script {
    fn on(mut self, op: &'static str, answers: Vec<Answer>) -> Self {
        self.0.insert(op, answers);
        self
    }
}

/// A request the server received: the operation and its JSON body.
#[derive(Debug, Clone)]
struct Received {
    op: String,
    body: Value,
}

struct Server {
    url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Server {
    fn start(script: Script) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let received = Arc::new(Mutex::new(Vec::new()));
        let state = Arc::new(Mutex::new((script, HashMap::<String, usize>::new())));
        let log = received.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { return };
                let (state, log) = (state.clone(), log.clone());
                std::thread::spawn(move || serve(conn, &state, &log));
            }
        });
        Server { url, received }
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    fn ops(&self) -> Vec<String> {
        self.received().into_iter().map(|r| r.op).collect()
    }
}

/// Answer the requests of one keep-alive connection until the client closes it.
fn serve(conn: TcpStream, state: &Mutex<(Script, HashMap<String, usize>)>, log: &Mutex<Vec<Received>>) {
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let mut writer = conn;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let (mut length, mut op) = (0usize, String::new());
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            let (name, value) = header.split_once(':').unwrap();
            match name.to_ascii_lowercase().as_str() {
                "content-length" => length = value.trim().parse().unwrap(),
                "x-amz-target" => op = value.trim().trim_start_matches("SageMaker.").to_owned(),
                _ => {}
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let body: Value = serde_json::from_slice(&body).unwrap();
        log.lock().unwrap().push(Received { op: op.clone(), body });
        let (status, answer) = {
            let mut state = state.lock().unwrap();
            let (script, calls) = &mut *state;
            let n = calls.entry(op.clone()).or_default();
            *n += 1;
            match script.0.get(op.as_str()) {
                Some(answers) => answers[(*n - 1).min(answers.len() - 1)].clone(),
                None => (400, json!({"__type": "UnknownOperationException", "message": format!("no script for {op}")})),
            }
        };
        let text = answer.to_string();
        let head = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: application/x-amz-json-1.1\r\nx-amzn-requestid: req-{op}\r\n\
             content-length: {}\r\n\r\n",
            text.len()
        );
        if writer.write_all(head.as_bytes()).and_then(|()| writer.write_all(text.as_bytes())).is_err() {
            return;
        }
    }
}

const PIPELINE: &str = "arn:aws:sagemaker:us-east-1:123456789012:pipeline/train";
const EXECUTION: &str = "arn:aws:sagemaker:us-east-1:123456789012:pipeline/train/execution/abc123";
const JOB: &str = "arn:aws:sagemaker:us-east-1:123456789012:training-job/pipelines-abc123-train";
const ROLE: &str = "arn:aws:iam::123456789012:role/SageMakerRole";

fn ok(body: Value) -> Answer {
    (200, body)
}

fn execution(status: &str) -> Answer {
    let mut e = json!({
        "PipelineArn": PIPELINE,
        "PipelineExecutionArn": EXECUTION,
        "PipelineExecutionDisplayName": "nightly",
        "PipelineExecutionStatus": status,
        // 2026-12-06T10:00:00Z
        "CreationTime": 1_796_551_200,
    });
    if status == "Failed" {
        e["FailureReason"] = json!("Step failure: One or multiple steps failed.");
    }
    ok(e)
}

fn failed_train() -> Value {
    json!({
        "StepName": "Train",
        "StepStatus": "Failed",
        "StartTime": 1_796_551_260,
        "EndTime": 1_796_551_500,
        "AttemptCount": 2,
        "FailureReason": "ClientError: instance type ml.p9.huge is not available",
        "Metadata": {"TrainingJob": {"Arn": JOB}},
    })
}

fn prepare(status: &str) -> Value {
    json!({"StepName": "Prepare", "StepStatus": status, "StartTime": 1_796_551_200, "EndTime": 1_796_551_245,
        "Metadata": {"ProcessingJob": {"Arn": "arn:aws:sagemaker:us-east-1:123456789012:processing-job/prep"}}})
}

#[test]
fn status_prints_the_execution_and_every_page_of_its_steps() {
    // Two pages of steps: the command follows NextToken.
    let server = Server::start(Script::default().on("DescribePipelineExecution", vec![execution("Failed")]).on(
        "ListPipelineExecutionSteps",
        vec![
            ok(json!({"PipelineExecutionSteps": [failed_train()], "NextToken": "page-2"})),
            ok(json!({"PipelineExecutionSteps": [prepare("Succeeded")]})),
        ],
    ));
    let (code, stdout, stderr) = out(&cli(&server.url, &["status", EXECUTION], None));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        format!(
            "execution  {EXECUTION}
name       nightly
status     Failed
reason     Step failure: One or multiple steps failed.
started    2026-12-06T10:00:00Z

STEP     STATUS     TIME   DETAIL
Train    Failed     4m00s  ClientError: instance type ml.p9.huge is not available
Prepare  Succeeded  45s    processing job arn:aws:sagemaker:us-east-1:123456789012:processing-job/prep
"
        )
    );
    let received = server.received();
    assert_eq!(server.ops(), ["DescribePipelineExecution", "ListPipelineExecutionSteps", "ListPipelineExecutionSteps"]);
    assert_eq!(received[0].body, json!({"PipelineExecutionArn": EXECUTION}));
    assert_eq!(received[2].body["NextToken"], "page-2");
}

#[test]
fn stop_and_retry_send_the_execution_with_an_idempotency_token() {
    let server = Server::start(
        Script::default()
            .on("StopPipelineExecution", vec![ok(json!({"PipelineExecutionArn": EXECUTION}))])
            .on("RetryPipelineExecution", vec![ok(json!({"PipelineExecutionArn": EXECUTION}))]),
    );
    let (code, stdout, stderr) = out(&cli(&server.url, &["stop", EXECUTION], None));
    assert_eq!((code, stdout.as_str()), (0, format!("stopping {EXECUTION}\n").as_str()), "{stderr}");
    let (code, stdout, stderr) = out(&cli(&server.url, &["retry", EXECUTION], None));
    assert_eq!((code, stdout.as_str()), (0, format!("retrying {EXECUTION}\n").as_str()), "{stderr}");
    let received = server.received();
    assert_eq!(server.ops(), ["StopPipelineExecution", "RetryPipelineExecution"]);
    for r in &received {
        assert_eq!(r.body["PipelineExecutionArn"], EXECUTION, "{r:?}");
        // The model marks ClientRequestToken an idempotency token: the client fills it (32 to 128 characters).
        let token = r.body["ClientRequestToken"].as_str().unwrap_or_default();
        assert!((32..=128).contains(&token.len()), "{r:?}");
    }
    assert_ne!(received[0].body["ClientRequestToken"], received[1].body["ClientRequestToken"]);
}

#[test]
fn an_error_from_the_service_is_one_line_with_its_code_and_message() {
    let server = Server::start(Script::default().on(
        "RetryPipelineExecution",
        vec![(400, json!({"__type": "ResourceNotFound", "Message": "Pipeline execution abc123 does not exist."}))],
    ));
    let (code, stdout, stderr) = out(&cli(&server.url, &["retry", EXECUTION], None));
    assert_eq!(code, 1);
    assert!(stdout.is_empty(), "{stdout}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: RetryPipelineExecution: ")
            && stderr.contains("ResourceNotFound")
            && stderr.contains("Pipeline execution abc123 does not exist."),
        "{stderr}"
    );
    // A client error is not retried.
    assert_eq!(server.ops(), ["RetryPipelineExecution"]);
}

#[test]
fn deploy_prints_the_version_it_created_or_updated() {
    let definition = json!({
        "Version": "2020-12-01",
        "Parameters": [{"Name": "Epochs", "Type": "Integer", "DefaultValue": 1}],
        "Steps": [{"Name": "Stop", "Type": "Fail", "Arguments": {"ErrorMessage": "stop"}}]
    });
    let server = Server::start(
        Script::default()
            .on(
                "CreatePipeline",
                vec![
                    ok(json!({"PipelineArn": PIPELINE})),
                    (400, json!({"__type": "ResourceInUse", "Message": "Pipeline train already exists."})),
                ],
            )
            .on(
                "ListPipelineVersions",
                vec![ok(json!({"PipelineVersionSummaries": [{"PipelineArn": PIPELINE, "PipelineVersionId": 1}]}))],
            )
            .on("UpdatePipeline", vec![ok(json!({"PipelineArn": PIPELINE, "PipelineVersionId": 2}))]),
    );
    let text = definition.to_string();
    let args = ["deploy", "-", "--name", "train", "--role", ROLE];
    let (code, stdout, stderr) = out(&cli(&server.url, &args, Some(&text)));
    assert_eq!((code, stdout.as_str()), (0, format!("created {PIPELINE} (version 1)\n").as_str()), "{stderr}");
    let (code, stdout, stderr) = out(&cli(&server.url, &args, Some(&text)));
    assert_eq!((code, stdout.as_str()), (0, format!("updated {PIPELINE} (version 2)\n").as_str()), "{stderr}");

    let received = server.received();
    assert_eq!(server.ops(), ["CreatePipeline", "ListPipelineVersions", "CreatePipeline", "UpdatePipeline"]);
    // The definition sent is the file's, as JSON values; the newest version is asked for, one.
    for i in [0, 2, 3] {
        let sent: Value = serde_json::from_str(received[i].body["PipelineDefinition"].as_str().unwrap()).unwrap();
        assert_eq!(sent, definition);
        assert_eq!(received[i].body["RoleArn"], ROLE);
    }
    assert_eq!(
        received[1].body,
        json!({"PipelineName": PIPELINE, "SortOrder": "Descending", "MaxResults": 1}),
        "{:?}",
        received[1]
    );
}

/// `run --wait --poll 0` on a script where the execution runs, then ends as `end`.
fn run_to(end: &str) -> (Server, i32, String, String) {
    let steps = |list: Vec<Value>| ok(json!({"PipelineExecutionSteps": list}));
    let last = match end {
        "Failed" => vec![prepare("Succeeded"), failed_train()],
        "Stopped" => vec![prepare("Succeeded"), json!({"StepName": "Train", "StepStatus": "Stopped"})],
        _ => vec![prepare("Succeeded"), json!({"StepName": "Train", "StepStatus": "Succeeded"})],
    };
    let server = Server::start(
        Script::default()
            .on(
                "DescribePipeline",
                vec![ok(json!({"PipelineArn": PIPELINE, "PipelineDefinition":
                json!({"Version": "2020-12-01", "Parameters": [{"Name": "Epochs", "Type": "Integer"}], "Steps": []})
                    .to_string()}))],
            )
            .on("StartPipelineExecution", vec![ok(json!({"PipelineExecutionArn": EXECUTION}))])
            .on("DescribePipelineExecution", vec![execution("Executing"), execution("Executing"), execution(end)])
            .on(
                "ListPipelineExecutionSteps",
                vec![steps(vec![prepare("Executing")]), steps(vec![prepare("Succeeded")]), steps(last)],
            ),
    );
    let o = cli(&server.url, &["run", "train", "--param", "Epochs=3", "--wait", "--poll", "0"], None);
    let (code, stdout, stderr) = out(&o);
    (server, code, stdout, stderr)
}

/// The printed lines without their elapsed-time stamps (the real clock runs here; the stamps are checked on a
/// paused clock in `watch.rs`).
fn unstamped(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .map(|l| match l.strip_prefix('[').and_then(|r| r.split_once("] ")) {
            Some((_, rest)) => rest.to_owned(),
            None => l.to_owned(),
        })
        .collect()
}

#[test]
fn run_wait_follows_a_failed_execution_to_its_diagnosis_and_exits_3() {
    let (server, code, stdout, stderr) = run_to("Failed");
    assert_eq!(code, 3, "{stdout}{stderr}");
    assert_eq!(
        unstamped(&stdout),
        [
            format!("started {EXECUTION}"),
            "execution Executing".to_owned(),
            "step Prepare Executing".to_owned(),
            "step Prepare Succeeded".to_owned(),
            "execution Failed".to_owned(),
            "step Train Failed".to_owned(),
            format!("execution {EXECUTION} Failed: Step failure: One or multiple steps failed."),
            "  step Train Failed after 2 attempts: ClientError: instance type ml.p9.huge is not available".to_owned(),
            format!("    training job {JOB}"),
        ]
    );
    assert!(stderr.is_empty(), "{stderr}");
    let received = server.received();
    // The parameter was checked against the declared types, then sent.
    assert_eq!(&server.ops()[..2], ["DescribePipeline", "StartPipelineExecution"]);
    assert_eq!(received[1].body["PipelineParameters"], json!([{"Name": "Epochs", "Value": "3"}]));
}

#[test]
fn run_wait_exits_0_on_success_and_4_when_stopped() {
    let (_, code, stdout, stderr) = run_to("Succeeded");
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(unstamped(&stdout).last().map(String::as_str), Some("succeeded"));
    let (_, code, stdout, stderr) = run_to("Stopped");
    assert_eq!(code, 4, "{stdout}{stderr}");
    let lines = unstamped(&stdout);
    assert!(lines.contains(&format!("execution {EXECUTION} Stopped")), "{stdout}");
    assert!(lines.contains(&"  step Train Stopped".to_owned()), "{stdout}");
}

#[test]
fn run_refuses_a_parameter_of_the_wrong_type_and_starts_nothing() {
    let (server, ..) = run_to("Succeeded");
    let (code, stdout, stderr) = out(&cli(&server.url, &["run", "train", "--param", "Epochs=many"], None));
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert_eq!(stderr, "error: parameter `Epochs` is Integer: `many` is not an Integer\n");
    let ops = server.ops();
    assert_eq!(ops.iter().filter(|o| *o == "StartPipelineExecution").count(), 1, "{ops:?}");
}
