//! A worker for a pipeline's callback step: it receives the step's callback token (here from the `CALLBACK_TOKEN`
//! variable; in practice from the message the step put on its SQS queue), does the work, and reports the outcome with
//! `SendPipelineExecutionStepSuccess` (with output parameters) or `SendPipelineExecutionStepFailure`.
//!
//! The report is retried safely: one `ClientRequestToken` is chosen per report and kept across attempts, so if an
//! attempt reached SageMaker but its answer was lost, the retry is recognised as the same report rather than a
//! second one. The client retries throttling and transient failures on its own; this loop only adds a few rounds
//! for failures that outlast them (a network outage), with the same token.
//!
//! `WORK_FAILS=1` reports a failure instead.

use std::time::Duration;

use sagemaker_pipelines::error::SdkError;
use sagemaker_pipelines::types::OutputParameter;
use sagemaker_pipelines::{Client, Config};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_conf(Config::from_env().build());
    let token = std::env::var("CALLBACK_TOKEN").map_err(|_| "set CALLBACK_TOKEN to the step's callback token")?;

    let outcome = do_the_work().await;

    // One idempotency token per report, reused by every attempt of that report. (Left unset, the client would fill
    // in a new one per call, and a retried call would be a new report.)
    let request_token = format!("report-{}", &token[..token.len().min(32)]);
    for round in 1..=3 {
        let sent = match &outcome {
            Ok(model_uri) => client
                .send_pipeline_execution_step_success()
                .callback_token(&token)
                .client_request_token(&request_token)
                .output_parameters(OutputParameter::builder().name("ModelUri").value(model_uri).build())
                .output_parameters(OutputParameter::builder().name("Status").value("ok").build())
                .send()
                .await
                .map(|_| ())
                .map_err(|e| e.map_service_error(|e| e.code().unwrap_or_default().to_owned())),
            Err(reason) => client
                .send_pipeline_execution_step_failure()
                .callback_token(&token)
                .client_request_token(&request_token)
                .failure_reason(reason.as_str())
                .send()
                .await
                .map(|_| ())
                .map_err(|e| e.map_service_error(|e| e.code().unwrap_or_default().to_owned())),
        };
        match sent {
            Ok(()) => {
                println!("reported {} for the callback step", if outcome.is_ok() { "success" } else { "failure" });
                return Ok(());
            }
            // Not worth another round: the token is unknown or already used, or the request is invalid.
            Err(SdkError::ServiceError(e)) => return Err(format!("SageMaker refused the report: {}", e.err()).into()),
            Err(SdkError::Validation(e)) => return Err(e.into()),
            // Timeouts and connection failures that outlasted the client's own retries: try again, same token.
            Err(e) => {
                eprintln!("round {round}: {e}; retrying with the same request token");
                tokio::time::sleep(Duration::from_secs(5 * round)).await;
            }
        }
    }
    Err("could not report the step's outcome".into())
}

/// The step's work: the URI of what it produced, or why it failed.
async fn do_the_work() -> Result<String, String> {
    if std::env::var("WORK_FAILS").is_ok_and(|v| v == "1") {
        Err("the input data set is empty".to_owned())
    } else {
        Ok("s3://example-bucket/models/model.tar.gz".to_owned())
    }
}
