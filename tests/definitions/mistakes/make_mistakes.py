"""Writes the mistake files of this folder: each one a corpus definition (or a part of one) with
exactly one mistake put in. Plain Python, no SDK: run it after the corpus changes
(`python3 tests/definitions/mistakes/make_mistakes.py`); README.md describes every file.
"""

import copy
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "..", "corpus")


def load(name):
    with open(os.path.join(CORPUS, name), encoding="utf-8") as f:
        return json.load(f)


def training():
    """sdk3/training_processing.json: Prepare (Processing), Train (Training), BatchScore
    (Transform), six parameters, a property file."""
    return load("sdk3/training_processing.json")


def named_jobs():
    """sdk2/job_names.json: two independent steps that keep their job names."""
    return load("sdk2/job_names.json")


def gate():
    """sdk3/conditions_lambda_emr.json cut to Evaluate and a QualityGate holding its first
    condition (a JsonGet of Evaluate's property file) and the LowAccuracy Fail step."""
    document = load("sdk3/conditions_lambda_emr.json")
    evaluate, _check, quality_gate = document["Steps"][:3]
    arguments = quality_gate["Arguments"]
    arguments["Conditions"] = arguments["Conditions"][:1]
    arguments["IfSteps"] = []
    document["Parameters"] = [p for p in document["Parameters"] if p["Name"] == "AccuracyThreshold"]
    document["Steps"] = [evaluate, quality_gate]
    return document


def emr(kind="EMR"):
    """sdk3/conditions_lambda_emr.json cut to its two EMR steps: SparkOnCluster (a cluster id and
    a runtime role) and SparkOnNewCluster (a ClusterConfig), taken out of their condition; with
    `kind="EMRServerless"`, to its two EMR Serverless steps: ServerlessOnApplication (an
    application id) and ServerlessOnNewApplication (an ApplicationConfig)."""
    document = load("sdk3/conditions_lambda_emr.json")
    found = []

    def walk(steps):
        for s in steps:
            if s["Type"] == kind:
                found.append(s)
            if s["Type"] == "Condition":
                walk(s["Arguments"]["IfSteps"])
                walk(s["Arguments"]["ElseSteps"])

    walk(document["Steps"])
    document["Parameters"] = []
    document["Steps"] = found
    return document


def lineage():
    """sdk3/deploy_lineage.json as it is: CreateModel, EndpointConfig, Endpoint,
    InferenceComponent, and RecordLineage (Lineage, `Steps[4]`)."""
    return load("sdk3/deploy_lineage.json")


def conditions():
    """sdk3/conditions_lambda_emr.json as it is; its Cleanup step CleanUp is `Steps[4]`."""
    return load("sdk3/conditions_lambda_emr.json")


def step(document, name):
    return next(s for s in document["Steps"] if s["Name"] == name)


def mistakes():
    made = {}

    d = training()
    arguments = step(d, "Train")["Arguments"]
    arguments["ResourceConfig"] = {
        ("InstanceTyp" if key == "InstanceType" else key): value
        for key, value in arguments["ResourceConfig"].items()
    }
    made["member_typo"] = d

    d = training()
    step(d, "BatchScore")["Arguments"]["TransformResources"]["InstanceType"] = "ml.M5.large"
    made["enum_case_instance_type"] = d

    d = training()
    step(d, "Train")["Arguments"]["AlgorithmSpecification"]["TrainingInputMode"] = "file"
    made["enum_case_input_mode"] = d

    d = training()
    source = step(d, "Train")["Arguments"]["InputDataConfig"][0]["DataSource"]["S3DataSource"]
    source["S3Uri"] = {"Get": "Steps.Preprocess.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri"}
    made["get_missing_step"] = d

    d = training()
    source = step(d, "Train")["Arguments"]["InputDataConfig"][0]["DataSource"]["S3DataSource"]
    source["S3Uri"] = {"Get": "Steps.Prepare.ModelArtifacts.S3ModelArtifacts"}
    made["get_wrong_property"] = d

    d = named_jobs()
    step(d, "NamedProcessing")["DependsOn"] = ["NamedTraining"]
    step(d, "NamedTraining")["DependsOn"] = ["NamedProcessing"]
    made["depends_on_cycle"] = d

    d = training()
    inputs = step(d, "Prepare")["Arguments"]["ProcessingInputs"]
    inputs[0]["S3Input"]["S3Uri"] = {"Get": "Steps.Train.ModelArtifacts.S3ModelArtifacts"}
    made["data_reference_cycle"] = d

    d = training()
    step(d, "Prepare")["Arguments"]["AppSpecification"]["ImageUri"] = {
        "Get": "Parameters.InstanceCount"
    }
    made["integer_parameter_as_string"] = d

    d = training()
    next(p for p in d["Parameters"] if p["Name"] == "InstanceCount")["DefaultValue"] = 0
    made["parameter_default_out_of_range"] = d

    d = training()
    step(d, "Prepare")["Arguments"]["ProcessingResources"]["ClusterConfig"]["VolumeSizeInGB"] = 0
    made["volume_size_zero"] = d

    d = training()
    step(d, "Train")["Arguments"]["StoppingCondition"]["MaxRuntimeInSeconds"] = 0
    made["max_runtime_zero"] = d

    d = named_jobs()
    step(d, "NamedTraining")["Arguments"]["TrainingJobName"] = (
        "corpus-named-training-job-for-the-nightly-retraining-of-the-churn-model"
    )
    made["job_name_too_long"] = d

    d = training()
    step(d, "Train")["Arguments"]["OutputDataConfig"]["S3OutputPath"] = "corpus-bucket/corpus-train"
    made["s3_uri_without_scheme"] = d

    d = training()
    step(d, "Train")["Arguments"]["RoleArn"] = "CorpusPipelineRole"
    made["role_not_an_arn"] = d

    d = training()
    del step(d, "Train")["Arguments"]["AlgorithmSpecification"]["TrainingInputMode"]
    made["missing_required_member"] = d

    d = training()
    step(d, "BatchScore")["Name"] = "Train"
    made["duplicate_step_name"] = d

    d = training()
    step(d, "Prepare")["Name"] = "Prepare data"
    text = json.dumps(d).replace("Steps.Prepare.", "Steps.Prepare data.")
    made["step_name_pattern"] = json.loads(text)

    d = gate()
    condition = step(d, "QualityGate")["Arguments"]["Conditions"][0]
    condition["LeftValue"]["Std:JsonGet"]["PropertyFile"] = {
        "Get": "Steps.Evaluate.PropertyFiles.Metrics"
    }
    made["json_get_undeclared_property_file"] = d

    d = gate()
    d["Steps"].append(copy.deepcopy(step(d, "QualityGate")["Arguments"]["ElseSteps"][0]))
    made["branch_step_also_top_level"] = d

    d = training()
    step(d, "Train")["Arguments"]["ResourceConfig"]["InstanceType"] = {
        "Get": "Parameters.TrainInstanceType"
    }
    made["undeclared_parameter"] = d

    d = training()
    step(d, "Prepare")["Arguments"]["AppSpecification"]["ContainerEntrypoint"] = (
        "python3 /opt/ml/processing/input/code/prepare.py"
    )
    made["string_for_list"] = d

    d = emr()
    hadoop = step(d, "SparkOnNewCluster")["Arguments"]["StepConfig"]["HadoopJarStep"]
    hadoop["MainClas"] = hadoop.pop("MainClass")
    made["emr_member_typo"] = d

    d = emr()
    step(d, "SparkOnCluster")["Arguments"]["StepConfig"]["ActionOnFailure"] = "Continue"
    made["emr_action_on_failure_case"] = d

    d = emr()
    groups = step(d, "SparkOnNewCluster")["Arguments"]["ClusterConfig"]["Instances"]["InstanceGroups"]
    groups[0]["InstanceRole"] = "PRIMARY"
    made["emr_instance_role_primary"] = d

    d = emr()
    config = step(d, "SparkOnNewCluster")["Arguments"]["ClusterConfig"]
    config["Instances"]["KeepJobFlowAliveWhenNoSteps"] = True
    made["emr_cluster_kept_alive"] = d

    d = emr()
    step(d, "SparkOnCluster")["Arguments"]["StepConfig"]["Name"] = "spark-step"
    made["emr_step_name"] = d

    d = emr()
    # The cluster of the other step named as well: the step would both make a cluster and use one.
    arguments = step(d, "SparkOnNewCluster")["Arguments"]
    arguments["ClusterId"] = step(d, "SparkOnCluster")["Arguments"]["ClusterId"]
    made["emr_cluster_id_and_config"] = d

    d = emr()
    # A runtime role for a cluster the step makes: EMR takes one only for a step added to a running cluster.
    step(d, "SparkOnNewCluster")["Arguments"]["ExecutionRoleArn"] = step(d, "SparkOnCluster")["Arguments"][
        "ExecutionRoleArn"
    ]
    made["emr_role_without_cluster_id"] = d

    d = emr()
    # EMR's uniform form (one instance type and count) for the new cluster's instances.
    instances = step(d, "SparkOnNewCluster")["Arguments"]["ClusterConfig"]["Instances"]
    del instances["InstanceGroups"]
    instances["MasterInstanceType"] = instances["SlaveInstanceType"] = "m5.xlarge"
    instances["InstanceCount"] = 3
    made["emr_uniform_instances"] = d

    d = emr("EMRServerless")
    del step(d, "ServerlessOnNewApplication")["Arguments"]["ApplicationConfig"]
    made["emr_serverless_no_application"] = d

    d = lineage()
    step(d, "RecordLineage")["Arguments"]["Associations"][0]["AssociationType"] = "Contributed"
    made["lineage_association_type"] = d

    d = lineage()
    step(d, "RecordLineage")["Arguments"]["Associations"][0]["Source"]["Type"] = "Model"
    made["lineage_entity_type"] = d

    d = lineage()
    action = step(d, "RecordLineage")["Arguments"]["Actions"][0]
    action["Status"] = "completed"
    made["lineage_action_status_case"] = d

    d = lineage()
    del step(d, "RecordLineage")["Arguments"]["Artifacts"][0]["Source"]["SourceUri"]
    made["lineage_artifact_without_source_uri"] = d

    d = lineage()
    # The second association's destination, an existing context by ARN, also given a name and type.
    destination = step(d, "RecordLineage")["Arguments"]["Associations"][1]["Destination"]
    destination["Name"], destination["Type"] = "corpus-project", "Context"
    made["lineage_end_arn_and_name"] = d

    d = lineage()
    del step(d, "RecordLineage")["Arguments"]["Associations"][0]["Source"]["Type"]
    made["lineage_end_name_without_type"] = d

    d = conditions()
    step(d, "CleanUp")["Arguments"]["Resources"]["S3"][0]["StepName"] = "Evaluation"
    made["cleanup_unknown_step"] = d

    d = conditions()
    source = step(d, "CleanUp")["Arguments"]["Resources"]["S3"][0]
    source["S3Uri"] = source.pop("S3Uris")
    made["cleanup_member_typo"] = d

    d = conditions()
    step(d, "CleanUp")["Arguments"]["Resources"]["S3"][0]["S3Uris"] = ["corpus-bucket/scratch/part-0000.csv"]
    made["cleanup_s3_uri_without_scheme"] = d

    d = emr("EMRServerless")
    # The application id of the SDK's own unit test: EMR Serverless ids are lower-case letters and digits.
    arguments = step(d, "ServerlessOnApplication")["Arguments"]
    arguments["ApplicationId"] = arguments["JobConfig"]["applicationId"] = "app-123"
    made["emr_serverless_application_id"] = d

    d = emr("EMRServerless")
    driver = step(d, "ServerlessOnNewApplication")["Arguments"]["JobConfig"]["jobDriver"]
    driver["SparkSubmit"] = driver.pop("sparkSubmit")
    made["emr_serverless_job_driver_case"] = d
    return made


def main():
    for name, document in mistakes().items():
        with open(os.path.join(HERE, f"{name}.json"), "w", encoding="utf-8") as f:
            f.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        print(f"wrote {name}.json")


if __name__ == "__main__":
    main()
