//! The commands that call SageMaker.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

use aws_config::{BehaviorVersion, Region};
use sagemaker_pipelines::definition::PipelineDefinition;
use sagemaker_pipelines::types::Parameter;
use sagemaker_pipelines::Client;
use sagemaker_pipelines_cli::aws::{self, error_chain};
use sagemaker_pipelines_cli::check;

use crate::{read_definition, shown, AwsArgs, Command};

/// The client, on aws-config's configuration (credentials, region, retries, timeouts) and the crate's transport.
async fn client(a: &AwsArgs) -> Client {
    let mut loader =
        aws_config::defaults(BehaviorVersion::latest()).http_client(sagemaker_pipelines::http::HyperClient::new());
    if let Some(p) = &a.profile {
        loader = loader.profile_name(p);
    }
    if let Some(r) = &a.region {
        loader = loader.region(Region::new(r.clone()));
    }
    if let Some(u) = &a.endpoint_url {
        loader = loader.endpoint_url(u);
    }
    Client::new(&loader.load().await)
}

fn fail(what: &str, err: &(dyn std::error::Error + 'static)) -> ExitCode {
    eprintln!("error: {what}: {}", error_chain(err));
    ExitCode::from(1)
}

pub async fn run(a: &AwsArgs, command: Command) -> ExitCode {
    match command {
        Command::Deploy { file, name, role, description } => deploy(a, &file, &name, &role, description).await,
        Command::Run { name, params, wait, max_wait, poll, display_name } => {
            start(a, &name, &params, wait, Duration::from_secs(max_wait * 60), Duration::from_secs(poll), display_name)
                .await
        }
        Command::Status { arn } => status(a, &arn).await,
        Command::Stop { arn } => {
            let c = client(a).await;
            match c.stop_pipeline_execution().pipeline_execution_arn(&arn).send().await {
                Ok(out) => {
                    println!("stopping {}", out.pipeline_execution_arn().unwrap_or(&arn));
                    ExitCode::SUCCESS
                }
                Err(e) => fail("StopPipelineExecution", &e),
            }
        }
        Command::Retry { arn } => {
            let c = client(a).await;
            match c.retry_pipeline_execution().pipeline_execution_arn(&arn).send().await {
                Ok(out) => {
                    println!("retrying {}", out.pipeline_execution_arn().unwrap_or(&arn));
                    ExitCode::SUCCESS
                }
                Err(e) => fail("RetryPipelineExecution", &e),
            }
        }
        Command::Check { .. } | Command::Graph { .. } => ExitCode::from(2),
    }
}

async fn deploy(a: &AwsArgs, file: &str, name: &str, role: &str, description: Option<String>) -> ExitCode {
    let definition = match read_definition(file) {
        Ok(d) => d,
        Err(code) => return code,
    };
    if definition.check().is_err() {
        // The text as read: the problems at their lines.
        let bytes = crate::read(file).unwrap_or_default();
        let problems = check::check_bytes(&bytes);
        eprint!("{}", check::render_human(shown(file), &String::from_utf8_lossy(&bytes), &problems, false));
        eprintln!("error: not deployed: {} problem(s) in {}", problems.len(), shown(file));
        return ExitCode::from(1);
    }
    let text = definition.to_json();
    let c = client(a).await;
    let created = c
        .create_pipeline()
        .pipeline_name(name)
        .pipeline_definition(&text)
        .role_arn(role)
        .set_pipeline_description(description.clone())
        .send()
        .await;
    let (verb, arn, version) = match created {
        Ok(out) => {
            // CreatePipeline answers no version: the newest listed is this one.
            let versions = c
                .list_pipeline_versions()
                .pipeline_name(out.pipeline_arn().unwrap_or(name))
                .sort_order(sagemaker_pipelines::types::SortOrder::Descending)
                .max_results(1)
                .send()
                .await;
            let version = versions.ok().and_then(|v| v.pipeline_version_summaries().first()?.pipeline_version_id());
            ("created", out.pipeline_arn().map(str::to_owned), version)
        }
        Err(e) if exists(&e) => {
            let updated = c
                .update_pipeline()
                .pipeline_name(name)
                .pipeline_definition(&text)
                .role_arn(role)
                .set_pipeline_description(description)
                .send()
                .await;
            match updated {
                Ok(out) => ("updated", out.pipeline_arn().map(str::to_owned), out.pipeline_version_id()),
                Err(e) => return fail("UpdatePipeline", &e),
            }
        }
        Err(e) => return fail("CreatePipeline", &e),
    };
    match version {
        Some(v) => println!("{verb} {} (version {v})", arn.as_deref().unwrap_or(name)),
        None => println!("{verb} {}", arn.as_deref().unwrap_or(name)),
    }
    ExitCode::SUCCESS
}

/// Whether `CreatePipeline` failed because the pipeline exists.
fn exists(
    e: &sagemaker_pipelines::error::SdkError<sagemaker_pipelines::operation::create_pipeline::CreatePipelineError>,
) -> bool {
    use sagemaker_pipelines::error::ProvideErrorMetadata;
    let code = e.code().unwrap_or_default();
    let message = e.message().unwrap_or_default().to_lowercase();
    code == "ResourceInUse" || code == "ConflictException" || message.contains("already exist")
}

async fn start(
    a: &AwsArgs,
    name: &str,
    params: &[(String, String)],
    wait: bool,
    max_wait: Duration,
    poll: Duration,
    display_name: Option<String>,
) -> ExitCode {
    let c = client(a).await;
    if !params.is_empty() {
        // The declared types, from the pipeline's current definition.
        match c.describe_pipeline().pipeline_name(name).send().await {
            Ok(d) => {
                if let Some(Ok(definition)) = d.pipeline_definition().map(PipelineDefinition::from_json) {
                    if let Err(problems) = aws::check_params(&definition, params) {
                        for p in problems {
                            eprintln!("error: {p}");
                        }
                        return ExitCode::from(1);
                    }
                }
            }
            Err(e) => return fail("DescribePipeline", &e),
        }
    }
    let started = c
        .start_pipeline_execution()
        .pipeline_name(name)
        .set_pipeline_execution_display_name(display_name)
        .set_pipeline_parameters(Some(
            params.iter().map(|(k, v)| Parameter::builder().name(k).value(v).build()).collect(),
        ))
        .send()
        .await;
    let arn = match started {
        Ok(out) => out.pipeline_execution_arn().unwrap_or_default().to_owned(),
        Err(e) => return fail("StartPipelineExecution", &e),
    };
    println!("started {arn}");
    if !wait {
        return ExitCode::SUCCESS;
    }
    // On a terminal, a live line with the time beside the printed ones; elsewhere plain lines.
    let bar = std::io::stdout().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            console_plain(&bar);
        }
        bar.set_message("waiting");
        bar.enable_steady_tick(Duration::from_millis(500));
        bar
    });
    let mut print = |line: &str| match &bar {
        Some(bar) => bar.println(line),
        None => println!("{line}"),
    };
    let ended = aws::watch(&c, &arn, poll, max_wait, &mut print).await;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    match &ended {
        aws::Ended::Succeeded => println!("succeeded"),
        aws::Ended::TimedOut => eprintln!("error: the execution had not ended after the maximum wait"),
        aws::Ended::Error(e) => eprintln!("error: {e}"),
        aws::Ended::Unsuccessful(_) => {}
    }
    ExitCode::from(ended.code())
}

/// A spinner without colour (its default template has none; kept explicit for NO_COLOR).
fn console_plain(bar: &indicatif::ProgressBar) {
    if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {elapsed} {msg}") {
        bar.set_style(style);
    }
}

async fn status(a: &AwsArgs, arn: &str) -> ExitCode {
    let c = client(a).await;
    let described = match c.describe_pipeline_execution().pipeline_execution_arn(arn).send().await {
        Ok(d) => d,
        Err(e) => return fail("DescribePipelineExecution", &e),
    };
    let steps = c.list_pipeline_execution_steps().pipeline_execution_arn(arn).into_paginator().items().send();
    let steps = match steps.try_collect().await {
        Ok(s) => s,
        Err(e) => return fail("ListPipelineExecutionSteps", &e),
    };
    print!("{}", aws::render_status(&described, &steps));
    ExitCode::SUCCESS
}
