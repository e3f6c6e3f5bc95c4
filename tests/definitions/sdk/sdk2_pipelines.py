"""Pipelines built with the SageMaker Python SDK 2.x, written to ../corpus/sdk2/.

Run through regenerate.sh, which installs the versions pinned in requirements-2.txt.
Each function builds one pipeline; together they use every step kind SDK 2.x can write.
"""

import os
import sys

import offline  # noqa: F401  (first: fixes the environment and refuses the network)
from offline import BUCKET, IMAGE, LAMBDA_ARN, MODEL_DATA, ROLE, SQS_URL

from sagemaker.workflow.pipeline_context import PipelineSession

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "corpus", "sdk2")
SESSION = offline.session(PipelineSession)


def s3(path):
    return f"s3://{BUCKET}/{path}"


def training_processing():
    """Parameters of every type, Processing with a property file, Training, Transform,
    retry policies, cache config, execution variables, Join and Get, an experiment config."""
    from sagemaker.estimator import Estimator
    from sagemaker.inputs import TrainingInput, TransformInput
    from sagemaker.processing import ProcessingInput, ProcessingOutput, ScriptProcessor
    from sagemaker.transformer import Transformer
    from sagemaker.workflow.execution_variables import ExecutionVariables
    from sagemaker.workflow.functions import Join
    from sagemaker.workflow.parameters import (
        ParameterBoolean,
        ParameterFloat,
        ParameterInteger,
        ParameterString,
    )
    from sagemaker.workflow.pipeline import Pipeline
    from sagemaker.workflow.pipeline_experiment_config import PipelineExperimentConfig
    from sagemaker.workflow.properties import PropertyFile
    from sagemaker.workflow.retry import (
        SageMakerJobExceptionTypeEnum,
        SageMakerJobStepRetryPolicy,
        StepExceptionTypeEnum,
        StepRetryPolicy,
    )
    from sagemaker.workflow.steps import CacheConfig, ProcessingStep, TrainingStep, TransformStep

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
    stats = PropertyFile(name="Statistics", output_name="stats", path="statistics.json")
    prep = ProcessingStep(
        name="Prepare",
        display_name="Prepare data",
        description="Splits the raw data",
        step_args=processor.run(
            code=s3("code/prepare.py"),
            inputs=[ProcessingInput(source=input_data, destination="/opt/ml/processing/input")],
            outputs=[
                ProcessingOutput(output_name="train", source="/opt/ml/processing/train"),
                ProcessingOutput(
                    output_name="test",
                    source="/opt/ml/processing/test",
                    destination=Join(
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
                ProcessingOutput(output_name="stats", source="/opt/ml/processing/stats"),
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
            SageMakerJobStepRetryPolicy(
                failure_reason_types=[
                    SageMakerJobExceptionTypeEnum.INTERNAL_ERROR,
                    SageMakerJobExceptionTypeEnum.RESOURCE_LIMIT,
                ],
                max_attempts=2,
            ),
        ],
    )

    estimator = Estimator(
        image_uri=IMAGE,
        role=ROLE,
        instance_count=1,
        instance_type=instance_type,
        volume_size=30,
        max_run=7200,
        use_spot_instances=True,
        max_wait=7200,
        output_path=s3("training"),
        hyperparameters={"lr": learning_rate, "epochs": 10, "spot": use_spot},
        metric_definitions=[{"Name": "validation:auc", "Regex": "auc=([0-9.]+)"}],
        environment={"MODE": "train"},
        sagemaker_session=SESSION,
    )
    train = TrainingStep(
        name="Train",
        step_args=estimator.fit(
            inputs={
                "train": TrainingInput(
                    s3_data=prep.properties.ProcessingOutputConfig.Outputs[
                        "train"
                    ].S3Output.S3Uri,
                    content_type="text/csv",
                ),
                "test": TrainingInput(
                    s3_data=prep.properties.ProcessingOutputConfig.Outputs["test"].S3Output.S3Uri,
                    input_mode="FastFile",
                ),
            }
        ),
        cache_config=CacheConfig(enable_caching=False),
        retry_policies=[
            SageMakerJobStepRetryPolicy(
                exception_types=[SageMakerJobExceptionTypeEnum.CAPACITY_ERROR],
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
    # TransformInput is exercised through transformer.transform above.
    del TransformInput

    return Pipeline(
        name="corpus-training-processing",
        parameters=[instance_type, instance_count, input_data, learning_rate, use_spot, no_default],
        pipeline_experiment_config=PipelineExperimentConfig(
            experiment_name=Join(on="-", values=["corpus", ExecutionVariables.PIPELINE_NAME]),
            trial_name=ExecutionVariables.PIPELINE_EXECUTION_ID,
        ),
        steps=[prep, train, transform],
        sagemaker_session=SESSION,
    )


def model_tuning_automl():
    """Tuning, AutoML, CreateModel and RegisterModel steps (ModelStep), with the model
    approval status as a parameter and drift-check baselines from a QualityCheck step."""
    from sagemaker.automl.automl import AutoML, AutoMLInput
    from sagemaker.drift_check_baselines import DriftCheckBaselines
    from sagemaker.estimator import Estimator
    from sagemaker.inputs import TrainingInput
    from sagemaker.model import Model
    from sagemaker.model_metrics import MetricsSource, ModelMetrics
    from sagemaker.tuner import (
        CategoricalParameter,
        ContinuousParameter,
        HyperparameterTuner,
        IntegerParameter,
    )
    from sagemaker.workflow.automl_step import AutoMLStep
    from sagemaker.workflow.model_step import ModelStep
    from sagemaker.workflow.parameters import ParameterString
    from sagemaker.workflow.pipeline import Pipeline
    from sagemaker.workflow.steps import CacheConfig, TuningStep

    approval = ParameterString(
        name="ModelApprovalStatus",
        default_value="PendingManualApproval",
        enum_values=["PendingManualApproval", "Approved", "Rejected"],
    )
    estimator = Estimator(
        image_uri=IMAGE,
        role=ROLE,
        instance_count=1,
        instance_type="ml.m5.xlarge",
        output_path=s3("tuning"),
        hyperparameters={"objective": "binary:logistic"},
        sagemaker_session=SESSION,
    )
    tuner = HyperparameterTuner(
        estimator=estimator,
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
        step_args=tuner.fit(
            inputs={
                "train": TrainingInput(s3("data/train/"), content_type="text/csv"),
                "validation": TrainingInput(s3("data/validation/"), content_type="text/csv"),
            }
        ),
        cache_config=CacheConfig(enable_caching=True, expire_after="PT12H"),
    )
    best_model = Model(
        image_uri=IMAGE,
        model_data=tune.get_top_model_s3_uri(top_k=0, s3_bucket=BUCKET, prefix="tuning"),
        role=ROLE,
        env={"SAGEMAKER_PROGRAM": "inference.py"},
        sagemaker_session=SESSION,
    )
    create = ModelStep(
        name="CreateBestModel",
        step_args=best_model.create(instance_type="ml.m5.large"),
    )
    metrics = ModelMetrics(
        model_statistics=MetricsSource(
            s3_uri=s3("evaluation/statistics.json"), content_type="application/json"
        )
    )
    baselines = DriftCheckBaselines(
        model_data_statistics=MetricsSource(
            s3_uri=s3("baselines/statistics.json"), content_type="application/json"
        ),
        model_data_constraints=MetricsSource(
            s3_uri=s3("baselines/constraints.json"), content_type="application/json"
        ),
    )
    register = ModelStep(
        name="RegisterBestModel",
        step_args=best_model.register(
            content_types=["text/csv"],
            response_types=["text/csv"],
            inference_instances=["ml.m5.large", "ml.m5.xlarge"],
            transform_instances=["ml.m5.xlarge"],
            model_package_group_name="corpus-models",
            approval_status=approval,
            model_metrics=metrics,
            drift_check_baselines=baselines,
            customer_metadata_properties={"team": "corpus"},
            description="Best model of the tuning job",
            domain="MACHINE_LEARNING",
            task="CLASSIFICATION",
        ),
    )

    automl = AutoML(
        role=ROLE,
        target_attribute_name="label",
        sagemaker_session=SESSION,
        max_candidates=3,
        mode="ENSEMBLING",
        problem_type="BinaryClassification",
        job_objective={"MetricName": "F1"},
        output_path=s3("automl"),
        base_job_name="corpus-automl",
    )
    auto = AutoMLStep(
        name="AutoPilot",
        step_args=automl.fit(
            inputs=[
                AutoMLInput(
                    inputs=s3("data/automl/train.csv"),
                    target_attribute_name="label",
                    channel_type="training",
                ),
                AutoMLInput(
                    inputs=s3("data/automl/validation.csv"),
                    target_attribute_name="label",
                    channel_type="validation",
                ),
            ]
        ),
    )
    auto_model = auto.get_best_auto_ml_model(role=ROLE, sagemaker_session=SESSION)
    register_auto = ModelStep(
        name="RegisterAutoMLModel",
        step_args=auto_model.register(
            content_types=["text/csv"],
            response_types=["text/csv"],
            inference_instances=["ml.m5.large"],
            transform_instances=["ml.m5.large"],
            model_package_group_name="corpus-automl-models",
            approval_status="Approved",
        ),
    )
    return Pipeline(
        name="corpus-model-tuning-automl",
        parameters=[approval],
        steps=[tune, create, register, auto, register_auto],
        sagemaker_session=SESSION,
    )


def checks():
    """ClarifyCheck (data bias, model bias, explainability), QualityCheck (data and model
    quality) and the MonitorBatchTransform collection, whose properties feed a registration."""
    from sagemaker.clarify import BiasConfig, DataConfig, ModelConfig, SHAPConfig
    from sagemaker.clarify import ModelPredictedLabelConfig
    from sagemaker.model_monitor import DatasetFormat
    from sagemaker.transformer import Transformer
    from sagemaker.workflow.check_job_config import CheckJobConfig
    from sagemaker.workflow.clarify_check_step import (
        ClarifyCheckStep,
        DataBiasCheckConfig,
        ModelBiasCheckConfig,
        ModelExplainabilityCheckConfig,
    )
    from sagemaker.workflow.execution_variables import ExecutionVariables
    from sagemaker.workflow.functions import Join
    from sagemaker.workflow.monitor_batch_transform_step import MonitorBatchTransformStep
    from sagemaker.workflow.parameters import ParameterBoolean, ParameterString
    from sagemaker.workflow.pipeline import Pipeline
    from sagemaker.workflow.quality_check_step import (
        DataQualityCheckConfig,
        ModelQualityCheckConfig,
        QualityCheckStep,
    )
    from sagemaker.workflow.steps import CacheConfig

    skip = ParameterBoolean(name="SkipChecks", default_value=False)
    register_baseline = ParameterBoolean(name="RegisterNewBaseline", default_value=False)
    supplied = ParameterString(name="SuppliedConstraints", default_value=s3("baselines/c.json"))
    job = CheckJobConfig(
        role=ROLE,
        instance_count=1,
        instance_type="ml.c5.xlarge",
        volume_size_in_gb=60,
        sagemaker_session=SESSION,
    )
    cache = CacheConfig(enable_caching=True, expire_after="P1D")

    def data_config(kind):
        return DataConfig(
            s3_data_input_path=s3("data/train.csv"),
            s3_output_path=Join(
                on="/", values=[s3(kind), ExecutionVariables.PIPELINE_EXECUTION_ID]
            ),
            s3_analysis_config_output_path=s3(f"{kind}/analysis-config"),
            label=0,
            headers=["label", "age", "income"],
            dataset_type="text/csv",
        )

    bias = BiasConfig(label_values_or_threshold=[1], facet_name="age", facet_values_or_threshold=[40])
    model_config = ModelConfig(
        model_name="corpus-model",
        instance_count=1,
        instance_type="ml.m5.large",
        content_type="text/csv",
        accept_type="text/csv",
    )
    data_bias = ClarifyCheckStep(
        name="DataBias",
        clarify_check_config=DataBiasCheckConfig(
            data_config=data_config("data-bias"), data_bias_config=bias, methods=["CI", "DPL"]
        ),
        check_job_config=job,
        skip_check=skip,
        register_new_baseline=register_baseline,
        supplied_baseline_constraints=supplied,
        model_package_group_name="corpus-models",
        cache_config=cache,
    )
    model_bias = ClarifyCheckStep(
        name="ModelBias",
        clarify_check_config=ModelBiasCheckConfig(
            data_config=data_config("model-bias"),
            data_bias_config=bias,
            model_config=model_config,
            model_predicted_label_config=ModelPredictedLabelConfig(probability_threshold=0.5),
        ),
        check_job_config=job,
        skip_check=False,
        register_new_baseline=True,
        model_package_group_name="corpus-models",
    )
    explain = ClarifyCheckStep(
        name="Explainability",
        clarify_check_config=ModelExplainabilityCheckConfig(
            data_config=data_config("explainability"),
            model_config=model_config,
            explainability_config=SHAPConfig(
                baseline=[[35, 50000]], num_samples=10, agg_method="mean_abs", seed=7
            ),
        ),
        check_job_config=job,
        skip_check=False,
        register_new_baseline=False,
        fail_on_violation=False,
        depends_on=[model_bias],
    )
    data_quality = QualityCheckStep(
        name="DataQuality",
        quality_check_config=DataQualityCheckConfig(
            baseline_dataset=s3("data/train.csv"),
            dataset_format=DatasetFormat.csv(header=True),
            output_s3_uri=s3("data-quality"),
        ),
        check_job_config=job,
        skip_check=skip,
        register_new_baseline=register_baseline,
        supplied_baseline_statistics=s3("baselines/statistics.json"),
        supplied_baseline_constraints=s3("baselines/constraints.json"),
        model_package_group_name="corpus-models",
        cache_config=cache,
    )
    model_quality = QualityCheckStep(
        name="ModelQuality",
        quality_check_config=ModelQualityCheckConfig(
            baseline_dataset=s3("predictions/"),
            dataset_format=DatasetFormat.json(lines=True),
            problem_type="BinaryClassification",
            inference_attribute="prediction",
            probability_attribute="probability",
            ground_truth_attribute="label",
            probability_threshold_attribute=0.5,
            output_s3_uri=s3("model-quality"),
        ),
        check_job_config=job,
        skip_check=False,
        register_new_baseline=False,
        fail_on_violation=True,
    )
    transformer = Transformer(
        model_name="corpus-model",
        instance_count=1,
        instance_type="ml.m5.large",
        output_path=s3("monitored-transform"),
        base_transform_job_name="corpus-monitored",
        sagemaker_session=SESSION,
    )
    monitored = MonitorBatchTransformStep(
        name="MonitoredScore",
        transform_step_args=transformer.transform(data=s3("data/score/"), content_type="text/csv"),
        monitor_configuration=DataQualityCheckConfig(
            baseline_dataset=s3("data/score/"),
            dataset_format=DatasetFormat.csv(header=False),
            output_s3_uri=s3("monitor"),
        ),
        check_job_configuration=job,
        monitor_before_transform=True,
        fail_on_violation=False,
        supplied_baseline_statistics=data_quality.properties.BaselineUsedForDriftCheckStatistics,
        supplied_baseline_constraints=data_quality.properties.BaselineUsedForDriftCheckConstraints,
    )
    return Pipeline(
        name="corpus-checks",
        parameters=[skip, register_baseline, supplied],
        steps=[data_bias, model_bias, explain, data_quality, model_quality, monitored],
        sagemaker_session=SESSION,
    )


def conditions_lambda_emr():
    """Condition steps (every comparison the SDK has, In, Not, Or, a step status, JsonGet of a
    property file, nested condition steps in both branches), Fail, Lambda and Callback with
    output parameters, EMR on an existing cluster and on a new one."""
    from sagemaker.lambda_helper import Lambda
    from sagemaker.processing import ProcessingOutput, ScriptProcessor
    from sagemaker.workflow.callback_step import (
        CallbackOutput,
        CallbackOutputTypeEnum,
        CallbackStep,
    )
    from sagemaker.workflow.condition_step import ConditionStep
    from sagemaker.workflow.conditions import (
        ConditionEquals,
        ConditionGreaterThan,
        ConditionGreaterThanOrEqualTo,
        ConditionIn,
        ConditionLessThan,
        ConditionLessThanOrEqualTo,
        ConditionNot,
        ConditionOr,
    )
    from sagemaker.workflow.emr_step import EMRStep, EMRStepConfig
    from sagemaker.workflow.execution_variables import ExecutionVariables
    from sagemaker.workflow.fail_step import FailStep
    from sagemaker.workflow.functions import Join, JsonGet
    from sagemaker.workflow.lambda_step import LambdaOutput, LambdaOutputTypeEnum, LambdaStep
    from sagemaker.workflow.parameters import ParameterFloat, ParameterInteger, ParameterString
    from sagemaker.workflow.pipeline import Pipeline
    from sagemaker.workflow.properties import PropertyFile
    from sagemaker.workflow.steps import CacheConfig, ProcessingStep

    threshold = ParameterFloat(name="AccuracyThreshold", default_value=0.75)
    max_errors = ParameterInteger(name="MaxErrors", default_value=3)
    region = ParameterString(
        name="Region", default_value="us-east-1", enum_values=["us-east-1", "eu-west-1"]
    )
    processor = ScriptProcessor(
        image_uri=IMAGE,
        command=["python3"],
        role=ROLE,
        instance_count=1,
        instance_type="ml.m5.large",
        sagemaker_session=SESSION,
    )
    report = PropertyFile(name="EvaluationReport", output_name="evaluation", path="evaluation.json")
    evaluate = ProcessingStep(
        name="Evaluate",
        step_args=processor.run(
            code=s3("code/evaluate.py"),
            outputs=[
                ProcessingOutput(output_name="evaluation", source="/opt/ml/processing/evaluation")
            ],
        ),
        property_files=[report],
    )
    accuracy = JsonGet(
        step_name=evaluate.name,
        property_file=report,
        json_path="metrics.accuracy.value",
    )

    status_out = LambdaOutput(output_name="status", output_type=LambdaOutputTypeEnum.String)
    count_out = LambdaOutput(output_name="count", output_type=LambdaOutputTypeEnum.Integer)
    score_out = LambdaOutput(output_name="score", output_type=LambdaOutputTypeEnum.Float)
    ready_out = LambdaOutput(output_name="ready", output_type=LambdaOutputTypeEnum.Boolean)
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
        outputs=[status_out, count_out, score_out, ready_out],
        cache_config=CacheConfig(enable_caching=True, expire_after="PT1H"),
    )
    approval_out = CallbackOutput(
        output_name="approved", output_type=CallbackOutputTypeEnum.Boolean
    )
    reviewer_out = CallbackOutput(output_name="reviewer")
    review = CallbackStep(
        name="ManualReview",
        sqs_queue_url=SQS_URL,
        inputs={"score": check.properties.Outputs["score"], "accuracy": accuracy},
        outputs=[approval_out, reviewer_out],
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
        execution_role_arn=f"arn:aws:iam::{offline.ACCOUNT}:role/CorpusEmrRuntimeRole",
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
        if_steps=[emr_existing, emr_new],
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
    return Pipeline(
        name="corpus-conditions-lambda-emr",
        parameters=[threshold, max_errors, region],
        steps=[evaluate, check, gate],
        sagemaker_session=SESSION,
    )


def deploy_lineage():
    """A model deployed through EndpointConfig, Endpoint and InferenceComponent steps, and a
    Lineage step recording what was made, referring to other steps' properties."""
    from sagemaker.lineage.action import Action
    from sagemaker.lineage.artifact import Artifact
    from sagemaker.lineage.context import Context
    from sagemaker.model import Model
    from sagemaker.workflow.endpoint_step import EndpointConfigStep, EndpointStep
    from sagemaker.workflow.execution_variables import ExecutionVariables
    from sagemaker.workflow.functions import Join
    from sagemaker.workflow.inference_component_step import InferenceComponentStep
    from sagemaker.workflow.lineage_step import (
        LineageAssociation,
        LineageEntityReference,
        LineageStep,
    )
    from sagemaker.workflow.model_step import ModelStep
    from sagemaker.workflow.parameters import ParameterInteger, ParameterString
    from sagemaker.workflow.pipeline import Pipeline
    from sagemaker.workflow.retry import StepExceptionTypeEnum, StepRetryPolicy
    from sagemaker.workflow.steps import CacheConfig

    endpoint_name = ParameterString(name="EndpointName", default_value="corpus-endpoint")
    copies = ParameterInteger(name="Copies", default_value=2)
    model = Model(
        image_uri=IMAGE,
        model_data=MODEL_DATA,
        role=ROLE,
        name="corpus-deployed-model",
        sagemaker_session=SESSION,
    )
    create = ModelStep(name="CreateModel", step_args=model.create(instance_type="ml.g5.xlarge"))
    config_name = Join(on="-", values=["corpus-config", ExecutionVariables.PIPELINE_EXECUTION_ID])
    config = EndpointConfigStep(
        name="EndpointConfig",
        step_args=SESSION.create_endpoint_config(
            name=config_name,
            model_name=None,
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
            inference_component_name=Join(on="-", values=["corpus-ic", ExecutionVariables.PIPELINE_EXECUTION_ID]),
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
    lineage = LineageStep(
        name="RecordLineage",
        actions=Action.create(
            action_name=Join(on="-", values=["deploy", ExecutionVariables.PIPELINE_EXECUTION_ID]),
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
                destination=LineageEntityReference(
                    name=Join(on="-", values=["deploy", ExecutionVariables.PIPELINE_EXECUTION_ID]),
                    type="Action",
                ),
                association_type="ContributedTo",
            ),
            LineageAssociation(
                source=LineageEntityReference(name="corpus-endpoint-context", type="Context"),
                destination=LineageEntityReference(
                    arn=f"arn:aws:sagemaker:{offline.REGION}:{offline.ACCOUNT}:context/corpus-project"
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


def function_steps():
    """`@step` functions: Training steps the SDK writes for Python functions, a function's
    result read back through `Std:JsonGet` on an S3 URI, and a Fail step."""
    from sagemaker.workflow.condition_step import ConditionStep
    from sagemaker.workflow.conditions import ConditionGreaterThanOrEqualTo
    from sagemaker.workflow.fail_step import FailStep
    from sagemaker.workflow.function_step import step
    from sagemaker.workflow.parameters import ParameterInteger
    from sagemaker.workflow.pipeline import Pipeline
    from sagemaker.workflow.retry import StepExceptionTypeEnum, StepRetryPolicy

    rows = ParameterInteger(name="Rows", default_value=1000)

    @step(
        name="make-features",
        description="Builds the feature table",
        image_uri=IMAGE,
        role=ROLE,
        instance_type="ml.m5.large",
        environment_variables={"STAGE": "features"},
        retry_policies=[
            StepRetryPolicy(exception_types=[StepExceptionTypeEnum.SERVICE_FAULT], max_attempts=2)
        ],
    )
    def make_features(count):
        return {"rows": count, "columns": 12}

    @step(
        name="score-features",
        description="Scores the feature table",
        image_uri=IMAGE,
        role=ROLE,
        instance_type="ml.m5.xlarge",
        keep_alive_period_in_seconds=300,
    )
    def score_features(features, weight):
        return features["rows"] * weight

    features = make_features(rows)
    score = score_features(features, 0.5)
    gate = ConditionStep(
        name="ScoreGate",
        conditions=[ConditionGreaterThanOrEqualTo(left=score, right=100.0)],
        if_steps=[],
        else_steps=[FailStep(name="ScoreTooLow", error_message="The score is below 100")],
    )
    return Pipeline(
        name="corpus-function-steps",
        parameters=[rows],
        steps=[gate],
        sagemaker_session=SESSION,
    )


def job_names():
    """`PipelineDefinitionConfig(use_custom_job_prefix=True)`: the job names stay in the
    arguments (the SDK removes them otherwise); no experiment config."""
    from sagemaker.estimator import Estimator
    from sagemaker.inputs import TrainingInput
    from sagemaker.processing import ProcessingInput, Processor
    from sagemaker.workflow.pipeline import Pipeline
    from sagemaker.workflow.pipeline_definition_config import PipelineDefinitionConfig
    from sagemaker.workflow.steps import ProcessingStep, TrainingStep

    processor = Processor(
        image_uri=IMAGE,
        role=ROLE,
        instance_count=1,
        instance_type="ml.m5.large",
        entrypoint=["python3", "/opt/program/run.py"],
        base_job_name="corpus-named-processing",
        sagemaker_session=SESSION,
    )
    process = ProcessingStep(
        name="NamedProcessing",
        step_args=processor.run(
            inputs=[ProcessingInput(source=s3("data/"), destination="/opt/ml/processing/in")],
            job_name="corpus-named-processing-job",
        ),
    )
    estimator = Estimator(
        image_uri=IMAGE,
        role=ROLE,
        instance_count=1,
        instance_type="ml.m5.large",
        base_job_name="corpus-named-training",
        output_path=s3("named"),
        disable_profiler=True,
        sagemaker_session=SESSION,
    )
    train = TrainingStep(
        name="NamedTraining",
        step_args=estimator.fit(
            inputs=TrainingInput(s3("data/train/")), job_name="corpus-named-training-job"
        ),
    )
    return Pipeline(
        name="corpus-job-names",
        steps=[process, train],
        pipeline_experiment_config=None,
        pipeline_definition_config=PipelineDefinitionConfig(use_custom_job_prefix=True),
        sagemaker_session=SESSION,
    )


PIPELINES = {
    "training_processing": training_processing,
    "model_tuning_automl": model_tuning_automl,
    "checks": checks,
    "conditions_lambda_emr": conditions_lambda_emr,
    "deploy_lineage": deploy_lineage,
    "function_steps": function_steps,
    "job_names": job_names,
}


if __name__ == "__main__":
    offline.main(PIPELINES, OUT, sys.argv[1:])
