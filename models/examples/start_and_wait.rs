//! Start a pipeline execution and wait for it to finish by polling `DescribePipelineExecution`.
//!
//! Configuration comes from the environment (`AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_ENDPOINT_URL`, …). The pipeline
//! is named by `PIPELINE_NAME` (default `example-pipeline`); if it does not exist yet, it is created from a small
//! definition with the role in `PIPELINE_ROLE_ARN`. `cargo xtask example` runs this against a local moto server.

use std::time::Duration;

use sagemaker_pipelines::error::SdkError;
use sagemaker_pipelines::types::{Parameter, PipelineExecutionStatus};
use sagemaker_pipelines::{Client, Config};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_conf(Config::from_env().build());
    let name = std::env::var("PIPELINE_NAME").unwrap_or_else(|_| "example-pipeline".into());
    let polls: u32 = std::env::var("MAX_POLLS").ok().and_then(|v| v.parse().ok()).unwrap_or(10);

    // Create the pipeline on first use.
    match client.describe_pipeline().pipeline_name(&name).send().await {
        Ok(p) => println!("using pipeline {}", p.pipeline_arn().unwrap_or(&name)),
        Err(SdkError::ServiceError(e)) if e.raw().status().as_u16() == 400 || e.err().is_resource_not_found() => {
            let role = std::env::var("PIPELINE_ROLE_ARN")
                .unwrap_or_else(|_| "arn:aws:iam::123456789012:role/SageMakerPipelineRole".into());
            let definition = r#"{"Version":"2020-12-01","Parameters":[{"Name":"Epochs","Type":"Integer","DefaultValue":1}],"Steps":[]}"#;
            let created = client
                .create_pipeline()
                .pipeline_name(&name)
                .pipeline_definition(definition)
                .role_arn(role)
                .send()
                .await?;
            println!("created pipeline {}", created.pipeline_arn().unwrap_or(&name));
        }
        Err(e) => return Err(e.into()),
    }

    // Start it; the idempotency token is filled in automatically.
    let started = client
        .start_pipeline_execution()
        .pipeline_name(&name)
        .pipeline_execution_display_name("example-run")
        .pipeline_parameters(Parameter::builder().name("Epochs").value("2").build())
        .send()
        .await?;
    let arn = started.pipeline_execution_arn().ok_or("no execution ARN in the response")?.to_owned();
    println!("started {arn}");

    // Poll until the execution reaches a final status.
    for poll in 1..=polls {
        let execution = client.describe_pipeline_execution().pipeline_execution_arn(&arn).send().await?;
        let status = execution.pipeline_execution_status().map(|s| s.as_str().to_owned()).unwrap_or_default();
        println!("poll {poll}: {status}");
        match execution.pipeline_execution_status() {
            Some(PipelineExecutionStatus::Succeeded) => return Ok(()),
            Some(PipelineExecutionStatus::Failed) | Some(PipelineExecutionStatus::Stopped) => {
                return Err(format!("execution ended as {status}: {}", execution.failure_reason().unwrap_or("")).into())
            }
            _ => tokio::time::sleep(Duration::from_secs(1)).await,
        }
    }
    println!("still running after {polls} polls; stopping the wait here");
    Ok(())
}
