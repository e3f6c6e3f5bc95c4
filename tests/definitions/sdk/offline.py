"""Shared set-up for the corpus scripts: an offline SageMaker session and a stable writer.

Import this module before anything from `sagemaker`: it fixes the environment the SDK reads at
import time, and it refuses every network connection, so a script that would have called AWS
fails instead of writing a definition that depended on an answer.
"""

import atexit
import json
import logging
import os
import random
import shutil
import socket
import sys
import tempfile
import time
import uuid

# Fixed values every corpus definition uses, so that no output depends on the machine.
REGION = "us-east-1"
ACCOUNT = "111122223333"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/CorpusPipelineRole"
BUCKET = "corpus-bucket"
IMAGE = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/corpus-image:1.0"
MODEL_DATA = f"s3://{BUCKET}/models/model.tar.gz"
SQS_URL = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/corpus-callbacks"
LAMBDA_ARN = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:corpus-function"

os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "AKIDCORPUSEXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "corpus-secret-not-used",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
        "SAGEMAKER_SUPPRESS_V2_WARNING": "1",
        # SDK 3.x checks an execution role through IAM unless told not to.
        "SAGEMAKER_VALIDATE_ROLE": "false",
    }
)
for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SAGEMAKER"):
    os.environ.pop(key, None)

ATTEMPTS = []
UPLOADS = []


def _refuse(*args, **kwargs):
    ATTEMPTS.append(repr(args[:2]))
    raise OSError("corpus scripts run offline: network access refused")


socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
socket.create_connection = _refuse
socket.getaddrinfo = _refuse

# Names the SDK makes from the clock or from uuid4 (job-definition names, upload keys) come out
# the same on every run: the clock stands at FIXED_TIME and uuid4 counts up from 1.
FIXED_TIME = 1767225600.125  # 2026-01-01T00:00:00.125Z
_strftime = time.strftime
time.time = lambda: FIXED_TIME
time.strftime = lambda fmt, t=None: _strftime(fmt, time.gmtime(FIXED_TIME) if t is None else t)
_uuid_counter = iter(())
uuid.uuid4 = lambda: uuid.UUID(int=next(_uuid_counter), version=4)


class _TempNames(tempfile._RandomNameSequence):
    """Temporary file names (one lands in a definition: the `@step` dependency file) from a
    fixed seed."""

    _fixed = random.Random(0)

    @property
    def rng(self):
        return self._fixed


tempfile._name_sequence = _TempNames()
_runs = iter(range(1, 1 << 16))


def reset():
    """Start one pipeline's build from the same state whichever pipelines ran before it: the
    uuid4 count, the random seeds, and an empty temporary directory."""
    global _uuid_counter
    _uuid_counter = iter(range(1, 1 << 32))
    random.seed(0)
    _TempNames._fixed.seed(0)
    tempfile.tempdir = os.path.join(_CONFIG_DIR, f"run-{next(_runs)}")
    os.mkdir(tempfile.tempdir)

logging.basicConfig(level=logging.ERROR)
logging.getLogger("sagemaker").setLevel(logging.ERROR)

# The SDK's defaults configuration: telemetry off (never reached), and the default bucket
# fixed. Sessions the SDK makes on its own (the `@step` decorator's, for one) read it from the
# file named by SAGEMAKER_USER_CONFIG_OVERRIDE (JSON is YAML), and no other defaults file is read.
SDK_CONFIG = {
    "SchemaVersion": "1.0",
    "SageMaker": {
        "PythonSDK": {
            "Modules": {"TelemetryOptOut": True, "Session": {"DefaultS3Bucket": BUCKET}}
        }
    },
}
# Everything the SDK writes to a temporary file goes to a fresh directory, removed at exit, so a
# name drawn below never collides with a leftover of an earlier run.
_CONFIG_DIR = tempfile.mkdtemp(prefix="corpus-sdk-")
atexit.register(shutil.rmtree, _CONFIG_DIR, ignore_errors=True)
tempfile.tempdir = _CONFIG_DIR
with open(os.path.join(_CONFIG_DIR, "config.yaml"), "w", encoding="utf-8") as _config:
    json.dump(SDK_CONFIG, _config)
os.environ["SAGEMAKER_USER_CONFIG_OVERRIDE"] = os.path.join(_CONFIG_DIR, "config.yaml")
os.environ["SAGEMAKER_ADMIN_CONFIG_OVERRIDE"] = os.environ["SAGEMAKER_USER_CONFIG_OVERRIDE"]


class _Body:
    def __init__(self, data=b""):
        self.data = data

    def stream(self, **kwargs):
        yield self.data

    def read(self, *args, **kwargs):
        return self.data


_BUCKET_LIST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
    f"<Owner><ID>corpus</ID></Owner><Buckets><Bucket><Name>{BUCKET}</Name>"
    "<CreationDate>2026-01-01T00:00:00.000Z</CreationDate></Bucket></Buckets>"
    "</ListAllMyBucketsResult>"
).encode()


def _fake_s3(request, **kwargs):
    """Answer the S3 uploads some steps make while they are built (Clarify's analysis
    configuration, for one), without sending them: the definition only holds the object's URI."""
    from botocore.awsrequest import AWSResponse

    url = request.url.split("?")[0]
    if request.method == "GET" and url.rstrip("/").endswith("amazonaws.com"):
        # ListBuckets: the default bucket exists.
        return AWSResponse(request.url, 200, {}, _Body(_BUCKET_LIST))
    if request.method not in ("PUT", "HEAD"):
        raise OSError(f"corpus scripts run offline: refused S3 {request.method} {request.url}")
    UPLOADS.append(f"{request.method} {url}")
    return AWSResponse(request.url, 200, {"ETag": '"corpus"'}, _Body())


def session(pipeline_session_class):
    """A pipeline session that needs no AWS call: fixed region, bucket and credentials, and
    S3 uploads answered locally."""
    import boto3

    # The default boto3 session is this one, so sessions the SDK makes itself share the fake S3.
    boto3.setup_default_session(
        aws_access_key_id="AKIDCORPUSEXAMPLE",
        aws_secret_access_key="corpus-secret-not-used",
        region_name=REGION,
    )
    boto = boto3.DEFAULT_SESSION
    boto.events.register("before-send.s3", _fake_s3)
    pipeline_session = pipeline_session_class(
        boto_session=boto, default_bucket=BUCKET, sagemaker_config=SDK_CONFIG
    )
    # `default_bucket()` checks (and would create) the bucket on its first call; mark it checked.
    pipeline_session._default_bucket = BUCKET
    return pipeline_session


def write(pipeline, directory, name):
    """Write `pipeline.definition()` as `<directory>/<name>.json`, indented, keys in the SDK's order."""
    text = pipeline.definition()
    if ATTEMPTS:
        sys.exit(f"{name}: the SDK tried to reach the network: {ATTEMPTS}")
    document = json.loads(text)
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, f"{name}.json")
    with open(path, "w", encoding="utf-8") as out:
        out.write(json.dumps(document, indent=2, ensure_ascii=False))
        out.write("\n")
    print(f"wrote {path}: {len(document['Steps'])} top-level steps")


def main(pipelines, directory, names):
    """Build and write the named pipelines (all of them when `names` is empty), each from the
    same starting state, and fail if anything tried the network."""
    for name in names or pipelines:
        if name not in pipelines:
            sys.exit(f"unknown pipeline {name!r}; known: {', '.join(pipelines)}")
        reset()
        write(pipelines[name](), directory, name)
    if ATTEMPTS:
        sys.exit(f"the SDK tried to reach the network: {ATTEMPTS}")
