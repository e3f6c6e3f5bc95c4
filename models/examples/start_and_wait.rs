//! Start a pipeline execution and wait for it to finish, with the crate's pipeline waiter; when it fails or stops,
//! print which steps did not succeed and why.
//!
//! Configuration comes from the environment (`AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_ENDPOINT_URL`, …). The pipeline
//! is named by `PIPELINE_NAME` (default `example-pipeline`); if it does not exist yet, it is created from a small
//! definition with the role in `PIPELINE_ROLE_ARN`. `MAX_WAIT_SECONDS` bounds the wait (default one hour).
//! `cargo xtask example` runs this against a local moto server.

use std::time::Duration;

use sagemaker_pipelines::error::SdkError;
use sagemaker_pipelines::pipeline_wait::ExecutionError;
use sagemaker_pipelines::types::Parameter;
use sagemaker_pipelines::{Client, Config};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_conf(Config::from_env().build());
    let name = std::env::var("PIPELINE_NAME").unwrap_or_else(|_| "example-pipeline".into());
    let max_wait = std::env::var("MAX_WAIT_SECONDS").ok().and_then(|v| v.parse().ok()).unwrap_or(3600);

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

    // Wait until it has finished: `PipelineExecutionComplete` polls `DescribePipelineExecution` (from every 30 s to
    // every 5 min), and stops at once on `Failed` or `Stopped`; the steps that did not succeed are then listed once.
    match client.wait_for_pipeline_execution(&arn).wait(Duration::from_secs(max_wait)).await {
        Ok(execution) => {
            println!("{arn} {}", execution.pipeline_execution_status().map_or("", |s| s.as_str()));
            Ok(())
        }
        // One value says what went wrong: the execution's failure reason and each failed or stopped step.
        Err(ExecutionError::Ended(diagnosis)) => {
            eprintln!("{diagnosis}");
            Err("the pipeline execution did not succeed".into())
        }
        Err(other) => Err(other.into()),
    }
}
