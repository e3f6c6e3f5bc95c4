"""Pipelines built with the SageMaker Python SDK 3.x, written to ../corpus/sdk3/.

Run through regenerate.sh, which installs the versions pinned in requirements-3.txt.
SDK 3.x splits the SDK into sagemaker-core (sessions, shapes, parameters, functions, conditions,
processing, transform), sagemaker-train (ModelTrainer, HyperparameterTuner), sagemaker-serve
(ModelBuilder) and sagemaker-mlops (Pipeline and the steps).
Each function builds one pipeline; together they use every step kind SDK 3.x can write.
"""

import os
import sys

import offline  # noqa: F401  (first: fixes the environment and refuses the network)
from offline import ACCOUNT, BUCKET, IMAGE, LAMBDA_ARN, MODEL_DATA, REGION, ROLE, SQS_URL

from sagemaker.core.workflow.pipeline_context import PipelineSession

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "corpus", "sdk3")
SESSION = offline.session(PipelineSession)


def s3(path):
    return f"s3://{BUCKET}/{path}"


def training_processing():
    """Parameters of every type, Processing with a property file, Training (ModelTrainer),
    Transform, retry policies, cache config, execution variables, Join and Get, an experiment
    config and the top-level MlflowConfig."""
    from sagemaker.core.processing import ScriptProcessor
    from sagemaker.core.shapes import (
        MlflowConfig,
        ProcessingInput,
        ProcessingOutput,
        ProcessingS3Input,
        ProcessingS3Output,
    )
    from sagemaker.core.transformer import Transformer
    from sagemaker.core.workflow.execution_variables import ExecutionVariables
    from sagemaker.core.workflow.functions import Join
    from sagemaker.core.workflow.parameters import (
        ParameterBoolean,
        ParameterFloat,
        ParameterInteger,
        ParameterString,
    )
    from sagemaker.core.workflow.properties import PropertyFile
    from sagemaker.mlops.workflow.pipeline import Pipeline
    from sagemaker.mlops.workflow.pipeline_experiment_config import PipelineExperimentConfig
    from sagemaker.mlops.workflow.retry import (
        SageMakerJobExceptionTypeEnum,
        SageMakerJobStepRetryPolicy,
        StepExceptionTypeEnum,
        StepRetryPolicy,
    )
    from sagemaker.mlops.workflow.steps import (
        CacheConfig,
        ProcessingStep,
        TrainingStep,
        TransformStep,
    )
    from sagemaker.train import ModelTrainer
    from sagemaker.train.configs import Compute, InputData, StoppingCondition

    instance_type = ParameterString(
        name="InstanceType",
        default_value="ml.m5.xlarge",
        enum_values=["ml.m5.xlarge", "ml.m5.2xlarge", "ml.c5.xlarge"],
    )
    instance_count = ParameterInteger(name="InstanceCount", default_value=1)
    input_data = ParameterString(name="InputData", default_value=s3("data/raw/"))
    learning_rate = ParameterFloat(name="LearningRate", default_value=0.1)
    use_spot = ParameterBoolean(name="UseSpot", default_value=False)
    no_default = ParameterString(name="Note")

    processor = ScriptProcessor(
        image_uri=IMAGE,
        command=["python3"],
        role=ROLE,
        instance_count=instance_count,
        instance_type=instance_type,
        volume_size_in_gb=50,
        max_runtime_in_seconds=3600,
        env={"STAGE": "prep", "RUN": ExecutionVariables.PIPELINE_EXECUTION_ID},
        sagemaker_session=SESSION,
    )

    def output(name, uri):
        return ProcessingOutput(
            output_name=name,
            s3_output=ProcessingS3Output(
                s3_uri=uri, local_path=f"/opt/ml/processing/{name}", s3_upload_mode="EndOfJob"
            ),
        )

    stats = PropertyFile(name="Statistics", output_name="stats", path="statistics.json")
    prep = ProcessingStep(
        name="Prepare",
        display_name="Prepare data",
        description="Splits the raw data",
        step_args=processor.run(
            code=s3("code/prepare.py"),
            inputs=[
                ProcessingInput(
                    input_name="raw",
                    s3_input=ProcessingS3Input(
                        s3_uri=input_data,
                        local_path="/opt/ml/processing/input",
                        s3_data_type="S3Prefix",
                        s3_input_mode="File",
                        s3_data_distribution_type="ShardedByS3Key",
                    ),
                )
            ],
            outputs=[
                output("train", s3("prepared/train")),
                output(
                    "test",
                    Join(
                        on="/",
                        values=[
                            "s3:/",
                            BUCKET,
                            ExecutionVariables.PIPELINE_NAME,
                            ExecutionVariables.PIPELINE_EXECUTION_ID,
                            "test",
                        ],
                    ),
                ),
                output("stats", s3("prepared/stats")),
            ],
            arguments=["--split", "0.8", "--started", ExecutionVariables.START_DATETIME],
        ),
        property_files=[stats],
        cache_config=CacheConfig(enable_caching=True, expire_after="P30D"),
        retry_policies=[
            StepRetryPolicy(
                exception_types=[
                    StepExceptionTypeEnum.SERVICE_FAULT,
                    StepExceptionTypeEnum.THROTTLING,
                ],
                interval_seconds=5,
                backoff_rate=2.0,
                max_attempts=3,
            ),
            SageMakerJobStepRetryPolicy(
                exception_types=[SageMakerJobExceptionTypeEnum.CAPACITY_ERROR],
                expire_after_mins=60,
            ),
        ],
    )

    trainer = ModelTrainer(
        training_image=IMAGE,
        role=ROLE,
        compute=Compute(instance_type=instance_type, instance_count=1, volume_size_in_gb=30),
        stopping_condition=StoppingCondition(max_runtime_in_seconds=7200),
        base_job_name="corpus-train",
        hyperparameters={"lr": learning_rate, "epochs": 10, "spot": use_spot},
        environment={"MODE": "train"},
        input_data_config=[
            InputData(
                channel_name="train",
                data_source=prep.properties.ProcessingOutputConfig.Outputs[
                    "train"
                ].S3Output.S3Uri,
                content_type="text/csv",
            ),
            InputData(
                channel_name="test",
                data_source=prep.properties.ProcessingOutputConfig.Outputs["test"].S3Output.S3Uri,
            ),
        ],
        sagemaker_session=SESSION,
    )
    train = TrainingStep(
        name="Train",
        step_args=trainer.train(),
        cache_config=CacheConfig(enable_caching=False),
        retry_policies=[
            SageMakerJobStepRetryPolicy(
                failure_reason_types=[SageMakerJobExceptionTypeEnum.INTERNAL_ERROR],
                interval_seconds=30,
                backoff_rate=1.5,
                max_attempts=5,
            )
        ],
    )

    transformer = Transformer(
        model_name="corpus-model",
        instance_count=1,
        instance_type="ml.m5.large",
        output_path=Join(on="/", values=[s3("transform"), ExecutionVariables.PIPELINE_EXECUTION_ID]),
        accept="text/csv",
        assemble_with="Line",
        base_transform_job_name="corpus-transform",
        sagemaker_session=SESSION,
    )
    transform = TransformStep(
        name="BatchScore",
        step_args=transformer.transform(
            data=prep.properties.ProcessingOutputConfig.Outputs["test"].S3Output.S3Uri,
            content_type="text/csv",
            split_type="Line",
            input_filter="$[1:]",
            join_source="Input",
        ),
        depends_on=[train],
    )

    return Pipeline(
        name="corpus-training-processing",
        parameters=[instance_type, instance_count, input_data, learning_rate, use_spot, no_default],
        pipeline_experiment_config=PipelineExperimentConfig(
            experiment_name=Join(on="-", values=["corpus", ExecutionVariables.PIPELINE_NAME]),
            trial_name=ExecutionVariables.PIPELINE_EXECUTION_ID,
        ),
        mlflow_config=MlflowConfig(
            mlflow_resource_arn=f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:mlflow-tracking-server/corpus",
            mlflow_experiment_name="corpus-experiment",
        ),
        steps=[prep, train, transform],
        sagemaker_session=SESSION,
    )


def _evaluation_processor():
    from sagemaker.core.processing import ScriptProcessor

    return ScriptProcessor(
        image_uri=IMAGE,
        command=["python3"],
        role=ROLE,
        instance_count=1,
        instance_type="ml.m5.large",
        sagemaker_session=SESSION,
    )


def _processing_output(name, uri=None):
    from sagemaker.core.shapes import ProcessingOutput, ProcessingS3Output

    return ProcessingOutput(
        output_name=name,
        s3_output=ProcessingS3Output(
            s3_uri=uri or s3(f"outputs/{name}"),
            local_path=f"/opt/ml/processing/{name}",
            s3_upload_mode="EndOfJob",
        ),
    )


def conditions_lambda_emr():
    """Condition steps (every comparison the SDK has, In, Not, Or, a step status, JsonGet of a
    property file, nested condition steps in both branches), Fail, Lambda and Callback with
    output parameters, EMR on an existing cluster and on a new one, EMR Serverless on an
    existing application and on a new one, DependsOn entries with run-condition triggers, and
    a Cleanup step."""
    from sagemaker.core.lambda_helper import Lambda
    from sagemaker.core.workflow.conditions import (
        ConditionEquals,
        ConditionGreaterThan,
        ConditionGreaterThanOrEqualTo,
        ConditionIn,
        ConditionLessThan,
        ConditionLessThanOrEqualTo,
        ConditionNot,
        ConditionOr,
    )
    from sagemaker.core.workflow.execution_variables import ExecutionVariables
    from sagemaker.core.workflow.functions import Join, JsonGet
    from sagemaker.core.workflow.parameters import (
        ParameterFloat,
        ParameterInteger,
        ParameterString,
    )
    from sagemaker.core.workflow.properties import PropertyFile
    from sagemaker.mlops.workflow.callback_step import (
        CallbackOutput,
        CallbackOutputTypeEnum,
        CallbackStep,
    )
    from sagemaker.mlops.workflow.cleanup_step import CleanupStep, S3CleanupSource
    from sagemaker.mlops.workflow.condition_step import ConditionStep
    from sagemaker.mlops.workflow.emr_serverless_step import (
        EMRServerlessJobConfig,
        EMRServerlessStep,
    )
    from sagemaker.mlops.workflow.emr_step import EMRStep, EMRStepConfig
    from sagemaker.mlops.workflow.fail_step import FailStep
    from sagemaker.mlops.workflow.lambda_step import (
        LambdaOutput,
        LambdaOutputTypeEnum,
        LambdaStep,
    )
    from sagemaker.mlops.workflow.pipeline import Pipeline
    from sagemaker.mlops.workflow.retry import StepExceptionTypeEnum, StepRetryPolicy
    from sagemaker.mlops.workflow.step_dependency import StepDependency, TriggerCondition
    from sagemaker.mlops.workflow.steps import CacheConfig, ProcessingStep

    threshold = ParameterFloat(name="AccuracyThreshold", default_value=0.75)
    max_errors = ParameterInteger(name="MaxErrors", default_value=3)
    region = ParameterString(
        name="Region", default_value="us-east-1", enum_values=["us-east-1", "eu-west-1"]
    )
    report = PropertyFile(name="EvaluationReport", output_name="evaluation", path="evaluation.json")
    evaluate = ProcessingStep(
        name="Evaluate",
        step_args=_evaluation_processor().run(
            code=s3("code/evaluate.py"),
            outputs=[
                _processing_output("evaluation"),
                _processing_output(
                    "scratch",
                    Join(on="/", values=[s3("scratch"), ExecutionVariables.PIPELINE_EXECUTION_ID]),
                ),
            ],
        ),
        property_files=[report],
    )
    accuracy = JsonGet(
        step_name=evaluate.name, property_file=report, json_path="metrics.accuracy.value"
    )

    check = LambdaStep(
        name="CheckData",
        lambda_func=Lambda(function_arn=LAMBDA_ARN, session=SESSION),
        inputs={
            "report": evaluate.properties.ProcessingOutputConfig.Outputs[
                "evaluation"
            ].S3Output.S3Uri,
            "region": region,
            "execution": ExecutionVariables.PIPELINE_EXECUTION_ARN,
            "limit": 5,
        },
        outputs=[
            LambdaOutput(output_name="status", output_type=LambdaOutputTypeEnum.String),
            LambdaOutput(output_name="count", output_type=LambdaOutputTypeEnum.Integer),
            LambdaOutput(output_name="score", output_type=LambdaOutputTypeEnum.Float),
            LambdaOutput(output_name="ready", output_type=LambdaOutputTypeEnum.Boolean),
        ],
        cache_config=CacheConfig(enable_caching=True, expire_after="PT1H"),
    )
    review = CallbackStep(
        name="ManualReview",
        sqs_queue_url=SQS_URL,
        inputs={"score": check.properties.Outputs["score"], "accuracy": accuracy},
        outputs=[
            CallbackOutput(output_name="approved", output_type=CallbackOutputTypeEnum.Boolean),
            CallbackOutput(output_name="reviewer"),
        ],
        display_name="Manual review",
        description="Waits for a person to approve",
    )
    emr_existing = EMRStep(
        name="SparkOnCluster",
        display_name="Spark on an existing cluster",
        description="Runs a Spark step on a running cluster",
        cluster_id="j-1ABCDEFGHIJKL",
        step_config=EMRStepConfig(
            jar="command-runner.jar",
            args=["spark-submit", "--deploy-mode", "cluster", s3("code/job.py")],
            properties=[{"Key": "spark.executor.memory", "Value": "2g"}],
        ),
        execution_role_arn=f"arn:aws:iam::{ACCOUNT}:role/CorpusEmrRuntimeRole",
        cache_config=CacheConfig(enable_caching=False),
    )
    emr_new = EMRStep(
        name="SparkOnNewCluster",
        display_name="Spark on a new cluster",
        description="Creates a cluster for one step",
        cluster_id=None,
        step_config=EMRStepConfig(jar=s3("jars/job.jar"), main_class="org.example.Main"),
        cluster_config={
            "Instances": {
                "InstanceGroups": [
                    {
                        "Name": "Primary",
                        "InstanceRole": "MASTER",
                        "InstanceType": "m5.xlarge",
                        "InstanceCount": 1,
                    }
                ]
            },
            "ReleaseLabel": "emr-7.2.0",
            "Applications": [{"Name": "Spark"}],
        },
        depends_on=[emr_existing],
    )
    serverless_job = EMRServerlessJobConfig(
        job_driver={
            "sparkSubmit": {
                "entryPoint": s3("code/serverless.py"),
                "entryPointArguments": ["--date", ExecutionVariables.START_DATETIME],
                "sparkSubmitParameters": "--conf spark.executor.cores=2",
            }
        },
        execution_role_arn=f"arn:aws:iam::{ACCOUNT}:role/CorpusEmrServerlessRole",
        configuration_overrides={
            "monitoringConfiguration": {
                "s3MonitoringConfiguration": {"logUri": s3("emr-serverless-logs/")}
            }
        },
        execution_timeout_minutes=60,
        name="corpus-serverless-job",
        tags={"team": "corpus"},
    )
    serverless_existing = EMRServerlessStep(
        name="ServerlessOnApplication",
        display_name="EMR Serverless on an application",
        description="Runs a job on an existing application",
        job_config=serverless_job,
        application_id="00fabcdefghij123",
        cache_config=CacheConfig(enable_caching=True, expire_after="P1D"),
        retry_policies=[
            StepRetryPolicy(exception_types=[StepExceptionTypeEnum.THROTTLING], max_attempts=3)
        ],
    )
    serverless_new = EMRServerlessStep(
        name="ServerlessOnNewApplication",
        display_name="EMR Serverless on a new application",
        description="Creates an application for one job",
        job_config=serverless_job,
        application_id=None,
        application_config={
            "name": "corpus-application",
            "releaseLabel": "emr-7.2.0",
            "type": "SPARK",
        },
        depends_on=[serverless_existing],
    )

    too_many = FailStep(
        name="TooManyErrors",
        error_message=Join(
            on=" ", values=["Errors:", check.properties.Outputs["count"], "over", max_errors]
        ),
    )
    low_accuracy = FailStep(
        name="LowAccuracy",
        error_message=Join(on=": ", values=["Accuracy below threshold", threshold]),
        display_name="Low accuracy",
        description="Stops the pipeline",
    )
    rejected = FailStep(name="Rejected", error_message="Rejected by the reviewer")
    inner = ConditionStep(
        name="ReviewOutcome",
        conditions=[
            ConditionEquals(left=review.properties.Outputs["approved"], right=True),
            ConditionNot(
                expression=ConditionEquals(left=review.properties.Outputs["reviewer"], right="")
            ),
        ],
        if_steps=[emr_existing, emr_new, serverless_existing, serverless_new],
        else_steps=[rejected],
    )
    errors_check = ConditionStep(
        name="ErrorCount",
        conditions=[
            ConditionLessThanOrEqualTo(left=check.properties.Outputs["count"], right=max_errors)
        ],
        if_steps=[review, inner],
        else_steps=[too_many],
    )
    gate = ConditionStep(
        name="QualityGate",
        display_name="Quality gate",
        description="Every comparison the SDK writes",
        conditions=[
            ConditionGreaterThanOrEqualTo(left=accuracy, right=threshold),
            ConditionGreaterThan(left=check.properties.Outputs["score"], right=0.5),
            ConditionLessThan(left=check.properties.Outputs["count"], right=100),
            ConditionEquals(left=check.properties.Outputs["ready"], right=True),
            ConditionEquals(left=evaluate.properties.ProcessingJobStatus, right="Completed"),
            ConditionIn(value=region, in_values=["us-east-1", "eu-west-1"]),
            ConditionNot(
                expression=ConditionIn(
                    value=check.properties.Outputs["status"], in_values=["FAILED", "STOPPED"]
                )
            ),
            ConditionOr(
                conditions=[
                    ConditionGreaterThan(left=accuracy, right=0.9),
                    ConditionIn(value=ExecutionVariables.PIPELINE_NAME, in_values=["nightly"]),
                    ConditionNot(expression=ConditionLessThan(left=max_errors, right=1)),
                ]
            ),
        ],
        if_steps=[errors_check],
        else_steps=[low_accuracy],
    )
    notify = LambdaStep(
        name="NotifyOnFailure",
        lambda_func=Lambda(function_arn=LAMBDA_ARN, session=SESSION),
        inputs={"failed": "Evaluate"},
        depends_on=[
            StepDependency(evaluate, TriggerCondition.FAILED),
            StepDependency("CheckData", TriggerCondition.STOPPED),
        ],
    )
    cleanup = CleanupStep(
        name="CleanUp",
        description="Deletes the evaluation's scratch output",
        s3_sources=[
            S3CleanupSource(
                step=evaluate,
                s3_uris=[
                    Join(
                        on="/",
                        values=[
                            s3("scratch"),
                            ExecutionVariables.PIPELINE_EXECUTION_ID,
                            "part-0000.csv",
                        ],
                    )
                ],
            ),
        ],
        depends_on=[StepDependency(gate, TriggerCondition.ANY), check],
    )
    return Pipeline(
        name="corpus-conditions-lambda-emr",
        parameters=[threshold, max_errors, region],
        steps=[evaluate, check, gate, notify, cleanup],
        sagemaker_session=SESSION,
    )


def for_each():
    """ForEach steps: a literal item list and a parameter that holds a JSON list, the current
    item and its fields in body steps, a selector over an iteration output, and downstream
    references to Selected, IterationOutputs and the aggregate counts."""
    from sagemaker.core.lambda_helper import Lambda
    from sagemaker.core.workflow.conditions import ConditionGreaterThan
    from sagemaker.core.workflow.execution_variables import ExecutionVariables
    from sagemaker.core.workflow.functions import Join
    from sagemaker.core.workflow.parameters import ParameterString
    from sagemaker.mlops.workflow.condition_step import ConditionStep
    from sagemaker.mlops.workflow.fail_step import FailStep
    from sagemaker.mlops.workflow.for_each_step import (
        CurrentItem,
        ForEachSelector,
        ForEachSelectorPickType,
        ForEachStep,
        IterationOutput,
    )
    from sagemaker.mlops.workflow.lambda_step import (
        LambdaOutput,
        LambdaOutputTypeEnum,
        LambdaStep,
    )
    from sagemaker.mlops.workflow.pipeline import Pipeline
    from sagemaker.mlops.workflow.steps import ProcessingStep
    from sagemaker.train import ModelTrainer
    from sagemaker.train.configs import Compute
    from sagemaker.mlops.workflow.steps import TrainingStep

    regions = ParameterString(name="Regions", default_value='["us-east-1", "eu-west-1"]')
    item = CurrentItem()

    score_body = LambdaStep(
        name="ScoreCandidate",
        lambda_func=Lambda(function_arn=LAMBDA_ARN, session=SESSION),
        inputs={"candidate": item.name, "depth": item["max_depth"], "whole": item},
        outputs=[
            LambdaOutput(output_name="Score", output_type=LambdaOutputTypeEnum.Float),
            LambdaOutput(output_name="ModelUri", output_type=LambdaOutputTypeEnum.String),
        ],
    )
    candidates = ForEachStep(
        name="TryCandidates",
        description="Scores each candidate configuration",
        iterable_items=[
            '{"name": "small", "max_depth": 3}',
            '{"name": "large", "max_depth": 8}',
            ExecutionVariables.PIPELINE_EXECUTION_ID,
        ],
        max_concurrency=2,
        for_each_body=[score_body],
        selector=ForEachSelector(
            pick=ForEachSelectorPickType.MAX_BY,
            field=IterationOutput(score_body).OutputParameters["Score"],
        ),
    )

    prepare_body = ProcessingStep(
        name="PrepareRegion",
        step_args=_evaluation_processor().run(
            code=s3("code/region.py"),
            outputs=[
                _processing_output(
                    "prepared",
                    Join(on="/", values=[s3("regions"), item, ExecutionVariables.PIPELINE_EXECUTION_ID]),
                )
            ],
            arguments=["--region", item],
        ),
    )
    trainer = ModelTrainer(
        training_image=IMAGE,
        role=ROLE,
        compute=Compute(instance_type="ml.m5.large", instance_count=1),
        base_job_name="corpus-region-train",
        hyperparameters={"region": item},
        sagemaker_session=SESSION,
    )
    train_body = TrainingStep(name="TrainRegion", step_args=trainer.train())
    per_region = ForEachStep(
        name="PerRegion",
        iterable_items=regions,
        max_concurrency=5,
        for_each_body=[prepare_body, train_body],
        depends_on=[candidates],
    )
    use_best = LambdaStep(
        name="UseBest",
        lambda_func=Lambda(function_arn=LAMBDA_ARN, session=SESSION),
        inputs={
            "best_uri": candidates.properties.Selected.OutputParameters["ModelUri"],
            "first_score": candidates.properties.IterationOutputs[0].ScoreCandidate.OutputParameters[
                "Score"
            ],
            "items": candidates.properties.InputItemCount,
            "first_region_model": per_region.properties.IterationOutputs[
                0
            ].TrainRegion.ModelArtifacts.S3ModelArtifacts,
        },
    )
    all_ok = ConditionStep(
        name="AllRegionsDone",
        conditions=[
            ConditionGreaterThan(left=per_region.properties.FailedStepCount, right=0),
        ],
        if_steps=[FailStep(name="SomeRegionFailed", error_message=Join(
            on=" ", values=[per_region.properties.FailedStepCount, "of", per_region.properties.TotalStepCount, "failed"]
        ))],
        else_steps=[use_best],
    )
    return Pipeline(
        name="corpus-for-each",
        parameters=[regions],
        steps=[candidates, per_region, all_ok],
        sagemaker_session=SESSION,
    )


def deploy_lineage():
    """EndpointConfig, Endpoint and InferenceComponent steps made through the pipeline session,
    a Model step from ModelBuilder.build(), and a Lineage step."""
    from sagemaker.core.lineage.action import Action
    from sagemaker.core.lineage.artifact import Artifact
    from sagemaker.core.lineage.context import Context
    from sagemaker.core.workflow.execution_variables import ExecutionVariables
    from sagemaker.core.workflow.functions import Join
    from sagemaker.core.workflow.parameters import ParameterInteger, ParameterString
    from sagemaker.mlops.workflow.endpoint_step import EndpointConfigStep, EndpointStep
    from sagemaker.mlops.workflow.inference_component_step import InferenceComponentStep
    from sagemaker.mlops.workflow.lineage_step import (
        LineageAssociation,
        LineageEntityReference,
        LineageStep,
    )
    from sagemaker.mlops.workflow.model_step import ModelStep
    from sagemaker.mlops.workflow.pipeline import Pipeline
    from sagemaker.mlops.workflow.retry import StepExceptionTypeEnum, StepRetryPolicy
    from sagemaker.mlops.workflow.steps import CacheConfig
    from sagemaker.serve.model_builder import ModelBuilder

    endpoint_name = ParameterString(name="EndpointName", default_value="corpus-endpoint")
    copies = ParameterInteger(name="Copies", default_value=2)
    builder = ModelBuilder(
        s3_model_data_url=MODEL_DATA,
        image_uri=IMAGE,
        role_arn=ROLE,
        sagemaker_session=SESSION,
    )
    create = ModelStep(name="CreateModel", step_args=builder.build(model_name="corpus-deployed-model"))
    config = EndpointConfigStep(
        name="EndpointConfig",
        step_args=SESSION.create_endpoint_config(
            name=Join(on="-", values=["corpus-config", ExecutionVariables.PIPELINE_EXECUTION_ID]),
            production_variants=[
                {
                    "VariantName": "AllTraffic",
                    "InstanceType": "ml.g5.xlarge",
                    "InitialInstanceCount": 1,
                    "RoutingConfig": {"RoutingStrategy": "LEAST_OUTSTANDING_REQUESTS"},
                }
            ],
            role=ROLE,
        ),
        cache_config=CacheConfig(enable_caching=True, expire_after="P7D"),
        retry_policies=[
            StepRetryPolicy(exception_types=[StepExceptionTypeEnum.THROTTLING], max_attempts=4)
        ],
        depends_on=[create],
    )
    endpoint = EndpointStep(
        name="Endpoint",
        step_args=SESSION.create_endpoint(
            endpoint_name=endpoint_name,
            config_name=config.properties.EndpointConfigName,
            tags=[{"Key": "team", "Value": "corpus"}],
        ),
    )
    component = InferenceComponentStep(
        name="InferenceComponent",
        step_args=SESSION.create_inference_component(
            inference_component_name=Join(
                on="-", values=["corpus-ic", ExecutionVariables.PIPELINE_EXECUTION_ID]
            ),
            endpoint_name=endpoint.properties.EndpointName,
            variant_name="AllTraffic",
            specification={
                "ModelName": create.properties.ModelName,
                "ComputeResourceRequirements": {
                    "NumberOfAcceleratorDevicesRequired": 1,
                    "MinMemoryRequiredInMb": 4096,
                },
            },
            runtime_config={"CopyCount": copies},
        ),
        display_name="Inference component",
    )
    action_name = Join(on="-", values=["deploy", ExecutionVariables.PIPELINE_EXECUTION_ID])
    lineage = LineageStep(
        name="RecordLineage",
        actions=Action.create(
            action_name=action_name,
            source_uri=endpoint.properties.EndpointArn,
            action_type="ModelDeployment",
            status="Completed",
            sagemaker_session=SESSION,
        ),
        artifacts=[
            Artifact.create(
                artifact_name="model-data",
                source_uri=MODEL_DATA,
                artifact_type="Model",
                properties={"framework": "xgboost"},
                sagemaker_session=SESSION,
            ),
            Artifact.create(
                artifact_name="inference-component",
                source_uri=component.properties.InferenceComponentArn,
                artifact_type="InferenceComponent",
                sagemaker_session=SESSION,
            ),
        ],
        contexts=Context.create(
            context_name="corpus-endpoint-context",
            source_uri=endpoint.properties.EndpointArn,
            context_type="Endpoint",
            sagemaker_session=SESSION,
        ),
        associations=[
            LineageAssociation(
                source=LineageEntityReference(name="model-data", type="Artifact"),
                destination=LineageEntityReference(name=action_name, type="Action"),
                association_type="ContributedTo",
            ),
            LineageAssociation(
                source=LineageEntityReference(name="corpus-endpoint-context", type="Context"),
                destination=LineageEntityReference(
                    arn=f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:context/corpus-project"
                ),
            ),
        ],
        depends_on=[component],
    )
    return Pipeline(
        name="corpus-deploy-lineage",
        parameters=[endpoint_name, copies],
        steps=[create, config, endpoint, component, lineage],
        sagemaker_session=SESSION,
    )


def model_tuning():
    """Tuning (HyperparameterTuner over a ModelTrainer), and Model and RegisterModel steps from
    ModelBuilder, with the approval status as a parameter."""
    from sagemaker.core.parameter import (
        CategoricalParameter,
        ContinuousParameter,
        IntegerParameter,
    )
    from sagemaker.core.workflow.parameters import ParameterString
    from sagemaker.mlops.workflow.model_step import ModelStep
    from sagemaker.mlops.workflow.pipeline import Pipeline
    from sagemaker.mlops.workflow.steps import CacheConfig, TuningStep
    from sagemaker.serve.model_builder import ModelBuilder
    from sagemaker.train import ModelTrainer
    from sagemaker.train.configs import Compute, InputData
    from sagemaker.train.tuner import HyperparameterTuner

    approval = ParameterString(
        name="ModelApprovalStatus",
        default_value="PendingManualApproval",
        enum_values=["PendingManualApproval", "Approved", "Rejected"],
    )
    trainer = ModelTrainer(
        training_image=IMAGE,
        role=ROLE,
        compute=Compute(instance_type="ml.m5.xlarge", instance_count=1),
        base_job_name="corpus-tune",
        hyperparameters={"objective": "binary:logistic"},
        sagemaker_session=SESSION,
    )
    tuner = HyperparameterTuner(
        model_trainer=trainer,
        objective_metric_name="validation:auc",
        objective_type="Maximize",
        hyperparameter_ranges={
            "eta": ContinuousParameter(0.01, 0.3, scaling_type="Logarithmic"),
            "max_depth": IntegerParameter(3, 10),
            "booster": CategoricalParameter(["gbtree", "dart"]),
        },
        metric_definitions=[{"Name": "validation:auc", "Regex": "auc=([0-9.]+)"}],
        strategy="Bayesian",
        max_jobs=6,
        max_parallel_jobs=2,
        early_stopping_type="Auto",
        base_tuning_job_name="corpus-tune",
    )
    tune = TuningStep(
        name="Tune",
        step_args=tuner.tune(
            inputs=[
                InputData(channel_name="train", data_source=s3("data/train/")),
                InputData(channel_name="validation", data_source=s3("data/validation/")),
            ]
        ),
        cache_config=CacheConfig(enable_caching=True, expire_after="PT12H"),
    )
    builder = ModelBuilder(
        s3_model_data_url=tune.get_top_model_s3_uri(top_k=0, s3_bucket=BUCKET, prefix="tuning"),
        image_uri=IMAGE,
        role_arn=ROLE,
        sagemaker_session=SESSION,
    )
    create = ModelStep(name="CreateBestModel", step_args=builder.build())
    register = ModelStep(
        name="RegisterBestModel",
        step_args=builder.register(
            model_package_group_name="corpus-models",
            content_types=["text/csv"],
            response_types=["text/csv"],
            inference_instances=["ml.m5.large", "ml.m5.xlarge"],
            transform_instances=["ml.m5.xlarge"],
            approval_status=approval,
            customer_metadata_properties={"team": "corpus"},
            description="Best model of the tuning job",
        ),
    )
    return Pipeline(
        name="corpus-model-tuning",
        parameters=[approval],
        steps=[tune, create, register],
        sagemaker_session=SESSION,
    )


PIPELINES = {
    "training_processing": training_processing,
    "conditions_lambda_emr": conditions_lambda_emr,
    "for_each": for_each,
    "deploy_lineage": deploy_lineage,
    "model_tuning": model_tuning,
}


if __name__ == "__main__":
    offline.main(PIPELINES, OUT, sys.argv[1:])
