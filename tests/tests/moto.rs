//! End-to-end against a real, independent implementation of the service: moto's server (`moto[server]` from
//! PyPI), which `cargo xtask test` installs into a virtual environment under `target/`, starts on 127.0.0.1 and
//! points these tests at with `MOTO_ENDPOINT`. moto routes requests by the SigV4 credential scope, so every request
//! here is really signed. Without `MOTO_ENDPOINT` the tests print why they skip (and fail under CI).

use sagemaker_pipelines::config::Region;
use sagemaker_pipelines::error::SdkError;
use sagemaker_pipelines::types::Parameter;
use sagemaker_pipelines::{Client, Config};

fn endpoint() -> Option<String> {
    match std::env::var("MOTO_ENDPOINT") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var_os("CI").is_some() => {
            panic!("MOTO_ENDPOINT is not set; run the tests with `cargo xtask test`")
        }
        _ => {
            println!("skipped: MOTO_ENDPOINT is not set (`cargo xtask test` starts moto and sets it)");
            None
        }
    }
}

fn client(url: &str) -> Client {
    Client::from_conf(
        Config::builder()
            .region(Region::new("us-east-1"))
            .credentials_provider(sagemaker_pipelines::config::Credentials::new(
                "testing", "testing", None, None, "test",
            ))
            .endpoint_url(url)
            .build(),
    )
}

const ROLE: &str = "arn:aws:iam::123456789012:role/SageMakerRole";

fn definition() -> String {
    serde_json::json!({
        "Version": "2020-12-01",
        "Parameters": [{"Name": "Epochs", "Type": "Integer", "DefaultValue": 1}],
        "Steps": [{"Name": "Wait", "Type": "Fail", "Arguments": {"ErrorMessage": "demo"}}]
    })
    .to_string()
}

/// A name unique to this run, so reruns against the same server do not collide.
fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("{prefix}-{}", nanos % 1_000_000_000_000)
}

#[tokio::test]
async fn create_start_describe_update_delete() {
    let Some(url) = endpoint() else { return };
    let c = client(&url);
    let name = unique("flow");
    let created = c
        .create_pipeline()
        .pipeline_name(&name)
        .pipeline_definition(definition())
        .pipeline_description("first")
        .role_arn(ROLE)
        .send()
        .await
        .unwrap();
    let arn = created.pipeline_arn().unwrap().to_owned();
    assert!(arn.ends_with(&format!("pipeline/{name}")), "{arn}");

    let started = c
        .start_pipeline_execution()
        .pipeline_name(&name)
        .pipeline_execution_display_name("run-1")
        .pipeline_parameters(Parameter::builder().name("Epochs").value("3").build())
        .send()
        .await
        .unwrap();
    let exec_arn = started.pipeline_execution_arn().unwrap().to_owned();

    let described = c.describe_pipeline_execution().pipeline_execution_arn(&exec_arn).send().await.unwrap();
    assert_eq!(described.pipeline_arn(), Some(arn.as_str()));
    assert_eq!(described.pipeline_execution_display_name(), Some("run-1"));
    assert!(described.pipeline_execution_status().is_some());
    assert!(described.creation_time().is_some());

    // The project's waiter, through moto: moto reports an execution `Succeeded` as soon as it starts, so the first
    // poll ends the wait. (moto has no `ListPipelineExecutionSteps`, so the diagnosis of a failed execution is tested
    // on a scripted transport in `pipeline_waiters.rs` instead.)
    use sagemaker_pipelines::client::Waiters;
    let poll = c
        .wait_until_pipeline_execution_complete()
        .pipeline_execution_arn(&exec_arn)
        .wait(std::time::Duration::from_secs(120))
        .await
        .unwrap();
    let done = poll.into_result().unwrap();
    assert_eq!(done.pipeline_execution_status().map(|s| s.as_str()), Some("Succeeded"));
    let done = c.wait_for_pipeline_execution(&exec_arn).wait(std::time::Duration::from_secs(120)).await.unwrap();
    assert_eq!(done.pipeline_execution_arn(), Some(exec_arn.as_str()));

    let params = c.list_pipeline_parameters_for_execution().pipeline_execution_arn(&exec_arn).send().await.unwrap();
    let given: Vec<(&str, &str)> =
        params.pipeline_parameters().iter().map(|p| (p.name().unwrap(), p.value().unwrap())).collect();
    assert!(given.contains(&("Epochs", "3")), "{given:?}");

    let def = c.describe_pipeline_definition_for_execution().pipeline_execution_arn(&exec_arn).send().await.unwrap();
    assert!(def.pipeline_definition().unwrap().contains("\"Steps\""));

    let executions = c.list_pipeline_executions().pipeline_name(&name).send().await.unwrap();
    assert_eq!(executions.pipeline_execution_summaries().len(), 1);

    c.update_pipeline().pipeline_name(&name).pipeline_description("second").send().await.unwrap();
    let pipeline = c.describe_pipeline().pipeline_name(&name).send().await.unwrap();
    assert_eq!(pipeline.pipeline_description(), Some("second"));

    let deleted = c.delete_pipeline().pipeline_name(&name).send().await.unwrap();
    assert_eq!(deleted.pipeline_arn(), Some(arn.as_str()));
}

#[tokio::test]
async fn list_pipelines_across_several_pages() {
    let Some(url) = endpoint() else { return };
    let c = client(&url);
    let prefix = unique("page");
    for i in 0..5 {
        c.create_pipeline()
            .pipeline_name(format!("{prefix}-{i}"))
            .pipeline_definition(definition())
            .role_arn(ROLE)
            .send()
            .await
            .unwrap();
    }
    let mut pages = c.list_pipelines().pipeline_name_prefix(&prefix).into_paginator().page_size(2).send();
    let mut sizes = Vec::new();
    let mut names = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.unwrap();
        sizes.push(page.pipeline_summaries().len());
        names.extend(page.pipeline_summaries().iter().map(|s| s.pipeline_name().unwrap().to_owned()));
    }
    names.sort();
    let want: Vec<String> = (0..5).map(|i| format!("{prefix}-{i}")).collect();
    assert_eq!(names, want);
    assert!(sizes.len() >= 3 && sizes.iter().all(|s| *s <= 2), "pages of at most 2: {sizes:?}");
    let items: Vec<_> = c
        .list_pipelines()
        .pipeline_name_prefix(&prefix)
        .into_paginator()
        .page_size(2)
        .items()
        .send()
        .collect::<Result<_, _>>()
        .await
        .unwrap();
    assert_eq!(items.len(), 5);
}

#[tokio::test]
async fn an_error_the_model_does_not_declare_keeps_its_code_and_message() {
    let Some(url) = endpoint() else { return };
    let missing = unique("missing");
    let err = client(&url).describe_pipeline().pipeline_name(&missing).send().await.unwrap_err();
    let SdkError::ServiceError(service) = &err else { panic!("expected a service error, got {err:?}") };
    assert!(service.err().is_unhandled());
    assert_eq!(service.err().code(), Some("ValidationException"));
    assert!(service.err().message().is_some_and(|m| m.contains(&missing)), "{err}");
    let context = sagemaker_pipelines::error::DisplayErrorContext(&err).to_string();
    assert!(context.starts_with("service error: ValidationException"), "{context}");
    assert_eq!(service.raw().status().as_u16(), 400);
}

#[tokio::test]
async fn invalid_input_is_rejected_before_it_reaches_moto() {
    let Some(url) = endpoint() else { return };
    let err = client(&url).start_pipeline_execution().pipeline_name("not a valid name!").send().await.unwrap_err();
    let SdkError::Validation(v) = &err else { panic!("expected a validation error, got {err:?}") };
    assert_eq!(v.violations().len(), 1);
    assert_eq!(v.violations()[0].path(), "PipelineName");
}

#[tokio::test]
async fn upsert_creates_then_updates() {
    use sagemaker_pipelines::definition::{Parameter, PipelineDefinition};
    use sagemaker_pipelines::steps::FailStep;
    let Some(url) = endpoint() else { return };
    let c = client(&url);
    let name = unique("upsert");
    let version = |message: &str| {
        PipelineDefinition::builder()
            .parameter(Parameter::string("Reason").default(message))
            .step(FailStep::new("Stop").error_message(&Parameter::string("Reason")))
            .build()
    };
    let (first, second) = (version("first"), version("second"));
    let created = c.upsert_pipeline().pipeline_name(&name).role_arn(ROLE).definition(&first).send().await.unwrap();
    assert!(created.created());
    let arn = created.pipeline_arn().unwrap().to_owned();
    assert!(arn.ends_with(&format!("pipeline/{name}")), "{arn}");
    // moto answers the second CreatePipeline as SageMaker does: ValidationException, "... already exists."
    let updated = c
        .upsert_pipeline()
        .pipeline_name(&name)
        .pipeline_description("second")
        .role_arn(ROLE)
        .definition(&second)
        .send()
        .await
        .unwrap();
    assert!(!updated.created());
    assert_eq!(updated.pipeline_arn(), Some(arn.as_str()));
    let described = c.describe_pipeline().pipeline_name(&name).send().await.unwrap();
    assert_eq!(described.pipeline_description(), Some("second"));
    let sent = PipelineDefinition::from_json(described.pipeline_definition().unwrap()).unwrap();
    assert_eq!(sent, second);
    c.delete_pipeline().pipeline_name(&name).send().await.unwrap();
}
