//! A pipeline written in Rust: process the data, train a model, evaluate it (the evaluation writes a property file),
//! and when its mean squared error is low enough, register the model and create it; otherwise fail with the metric.
//! The definition is checked, printed as JSON, and, given a role ARN, sent with `upsert_pipeline` (created, or
//! updated when the pipeline exists).
//!
//! ```text
//! cargo run -p sagemaker-pipelines --features definitions --example pipeline_definition              # print it
//! cargo run -p sagemaker-pipelines --features definitions --example pipeline_definition -- <role ARN> # and send it
//! ```
//!
//! Sending reads its configuration from the environment (`AWS_REGION`, credentials, `AWS_ENDPOINT_URL` for a local
//! server such as moto); the pipeline is named by `PIPELINE_NAME` (default `example-train-and-register`).
// required-features: definitions

use sagemaker_pipelines::definition::{
    execution, CacheConfig, Condition, ConditionStep, Expr, FailStep, Parameter, PipelineDefinition, PropertyFile,
    RetryPolicy, Value,
};
use sagemaker_pipelines::pipeline_upsert::{UpsertPipelineError, UpsertPipelineOutput};
use sagemaker_pipelines::steps::{args, ModelStep, ProcessingStep, RegisterModelStep, TrainingStep};
use sagemaker_pipelines::{Client, Config};

const ACCOUNT_IMAGE: &str = "683313688378.dkr.ecr.us-east-1.amazonaws.com";
const BUCKET: &str = "s3://example-bucket/abalone";

/// The pipeline: Preprocess → Train → Evaluate → CheckMSE → (RegisterModel, CreateModel) or Fail.
pub fn definition(role: &str) -> PipelineDefinition {
    let instance_type = Parameter::string("ProcessingInstanceType").default("ml.m5.xlarge");
    let instance_count = Parameter::integer("ProcessingInstanceCount").default(1);
    let input_data = Parameter::string("InputData").default(format!("{BUCKET}/abalone-dataset.csv"));
    let approval = Parameter::string("ModelApprovalStatus")
        .default("PendingManualApproval")
        .enum_values(["PendingManualApproval", "Approved"]);
    let mse_threshold = Parameter::float("MseThreshold").default(6.0);
    let sklearn = format!("{ACCOUNT_IMAGE}/sagemaker-scikit-learn:1.2-1-cpu-py3");
    let xgboost = format!("{ACCOUNT_IMAGE}/sagemaker-xgboost:1.7-1");
    // Where each execution writes its outputs: s3://…/<execution id>/<name>.
    let output = |name: &str| {
        Expr::join("/", [Value::from(BUCKET), execution::pipeline_execution_id().into(), Value::from(name)])
    };
    let processing_resources = || {
        args::ProcessingResources::builder().cluster_config(
            args::ProcessingClusterConfig::builder()
                .instance_type(&instance_type)
                .instance_count(&instance_count)
                .volume_size_in_gb(30),
        )
    };
    let processing_output = |name: &str| {
        args::ProcessingOutput::builder().output_name(name).s3_output(
            args::ProcessingS3Output::builder()
                .s3_uri(output(name))
                .local_path(format!("/opt/ml/processing/{name}"))
                .s3_upload_mode("EndOfJob"),
        )
    };
    let processing_input = |name: &str, uri: Expr<_>| {
        args::ProcessingInput::builder().input_name(name).s3_input(
            args::ProcessingS3Input::builder()
                .s3_uri(uri)
                .local_path(format!("/opt/ml/processing/{name}"))
                .s3_data_type("S3Prefix")
                .s3_input_mode("File"),
        )
    };
    let script = |name: &str| {
        args::AppSpecification::builder()
            .image_uri(sklearn.as_str())
            .container_entrypoint(["python3", &format!("/opt/ml/processing/code/{name}")])
    };

    // 1. Split the raw data into train, validation and test sets.
    let preprocess = ProcessingStep::new("Preprocess").arguments(
        args::CreateProcessingJobRequest::builder()
            .processing_resources(processing_resources())
            .app_specification(script("preprocess.py"))
            .role_arn(role)
            .processing_inputs([
                processing_input("input", (&input_data).into()),
                processing_input("code", Expr::from(format!("{BUCKET}/code/preprocess.py"))),
            ])
            .processing_output_config(args::ProcessingOutputConfig::builder().outputs([
                processing_output("train"),
                processing_output("validation"),
                processing_output("test"),
            ])),
    );
    let split =
        |name: &str| preprocess.properties().processing_output_config().outputs().named(name).s3_output().s3_uri();

    // 2. Train XGBoost on the train and validation sets.
    let channel = |name: &str| {
        args::Channel::builder().channel_name(name).content_type("text/csv").data_source(
            args::DataSource::builder()
                .s3_data_source(args::S3DataSource::builder().s3_data_type("S3Prefix").s3_uri(split(name))),
        )
    };
    let train = TrainingStep::new("Train")
        .arguments(
            args::CreateTrainingJobRequest::builder()
                .algorithm_specification(
                    args::AlgorithmSpecification::builder()
                        .training_image(xgboost.as_str())
                        .training_input_mode("File"),
                )
                .output_data_config(args::OutputDataConfig::builder().s3_output_path(format!("{BUCKET}/model")))
                .stopping_condition(args::StoppingCondition::builder().max_runtime_in_seconds(86400))
                .resource_config(
                    args::ResourceConfig::builder()
                        .instance_type("ml.m5.xlarge")
                        .instance_count(1)
                        .volume_size_in_gb(30),
                )
                .role_arn(role)
                .input_data_config([channel("train"), channel("validation")])
                .hyper_parameters([("objective", "reg:linear"), ("num_round", "50"), ("max_depth", "5")]),
        )
        .retry_policy(RetryPolicy::new(["SageMaker.CAPACITY_ERROR"]).max_attempts(3).interval_seconds(30))
        .cache_config(CacheConfig::enabled("P30D"));
    let model_data = || train.properties().model_artifacts().s3_model_artifacts();

    // 3. Evaluate the model on the test set; the script writes evaluation.json, declared as a property file.
    let evaluate = ProcessingStep::new("Evaluate")
        .arguments(
            args::CreateProcessingJobRequest::builder()
                .processing_resources(processing_resources())
                .app_specification(script("evaluate.py"))
                .role_arn(role)
                .processing_inputs([
                    processing_input("model", model_data()),
                    processing_input("test", split("test")),
                    processing_input("code", Expr::from(format!("{BUCKET}/code/evaluate.py"))),
                ])
                .processing_output_config(
                    args::ProcessingOutputConfig::builder().outputs([processing_output("evaluation")]),
                ),
        )
        .property_file(PropertyFile::new("EvaluationReport", "evaluation", "evaluation.json"));
    let mse = evaluate.json_get("EvaluationReport", "regression_metrics.mse.value");

    // 4a. Register the model in its group, with the evaluation as its quality metrics.
    let register = RegisterModelStep::new("RegisterModel").arguments(
        args::CreateModelPackageInput::builder()
            .model_package_group_name("AbaloneModels")
            .model_approval_status(&approval)
            .inference_specification(
                args::InferenceSpecification::builder()
                    .containers([args::ModelPackageContainerDefinition::builder()
                        .image(xgboost.as_str())
                        .model_data_url(model_data())])
                    .supported_content_types(["text/csv"])
                    .supported_response_mime_types(["text/csv"])
                    .supported_realtime_inference_instance_types(["ml.t2.medium", "ml.m5.large"])
                    .supported_transform_instance_types(["ml.m5.large"]),
            )
            .model_metrics(
                args::ModelMetrics::builder().model_quality(
                    args::ModelQuality::builder().statistics(
                        args::MetricsSource::builder().content_type("application/json").s3_uri(Expr::join(
                            "/",
                            [
                                Value::from(
                                    evaluate
                                        .properties()
                                        .processing_output_config()
                                        .outputs()
                                        .named("evaluation")
                                        .s3_output()
                                        .s3_uri(),
                                ),
                                Value::from("evaluation.json"),
                            ],
                        )),
                    ),
                ),
            ),
    );
    // 4b. Create a SageMaker model from the artifacts, ready for an endpoint.
    let create_model = ModelStep::new("CreateModel").arguments(
        args::CreateModelInput::builder().execution_role_arn(role).primary_container(
            args::ContainerDefinition::builder().image(xgboost.as_str()).model_data_url(model_data()),
        ),
    );
    // 4c. Otherwise stop, saying why.
    let fail = FailStep::new("MseTooHigh").error_message(Expr::join(
        " ",
        [Value::from("MSE above the threshold:"), Value::from(mse.clone()), Value::from(&mse_threshold)],
    ));
    let check = ConditionStep::new("CheckMSE")
        .condition(Condition::less_than_or_equal_to(mse, &mse_threshold))
        .if_step(register)
        .if_step(create_model)
        .else_step(fail);

    PipelineDefinition::builder()
        .parameter(instance_type)
        .parameter(instance_count)
        .parameter(input_data)
        .parameter(approval)
        .parameter(mse_threshold)
        .step(preprocess)
        .step(train)
        .step(evaluate)
        .step(check)
        .build()
}

/// Creates the pipeline `name`, or updates it when it exists.
pub async fn send(
    client: &Client,
    name: &str,
    role: &str,
    definition: &PipelineDefinition,
) -> Result<UpsertPipelineOutput, UpsertPipelineError> {
    client
        .upsert_pipeline()
        .pipeline_name(name)
        .pipeline_description("Preprocess, train, evaluate, and register the model when its MSE is low enough")
        .role_arn(role)
        .definition(definition)
        .send()
        .await
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let role = std::env::args().nth(1);
    let definition =
        definition(role.as_deref().unwrap_or("arn:aws:iam::111122223333:role/SageMakerPipelinesExecution"));
    // Every problem at once, each with its JSON path; `send` would refuse the same ones.
    definition.check()?;
    println!("{}", definition.to_json());
    if let Some(role) = role {
        let client = Client::from_conf(Config::from_env().build());
        let name = std::env::var("PIPELINE_NAME").unwrap_or_else(|_| "example-train-and-register".into());
        let sent = send(&client, &name, &role, &definition).await?;
        let done = if sent.created() { "created" } else { "updated" };
        eprintln!("{done} pipeline {}", sent.pipeline_arn().unwrap_or(&name));
    }
    Ok(())
}
