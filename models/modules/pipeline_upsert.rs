//! Creating a pipeline, or updating it when it already exists (feature `definitions`).
//!
//! [`Client::upsert_pipeline`](crate::Client::upsert_pipeline) does what the SageMaker Python SDK's
//! `pipeline.upsert()` does: it sends `CreatePipeline`, and when SageMaker answers that a pipeline of that name
//! already exists (a `ValidationException` whose message says `already exists`), it sends `UpdatePipeline` with the
//! same name, display name, description, role, parallelism configuration and definition. Any other answer to
//! `CreatePipeline` (success, another error, an input refused before sending) is the result as it is.
//!
//! ```no_run
//! # async fn f(client: sagemaker_pipelines::Client, definition: sagemaker_pipelines::definition::PipelineDefinition)
//! # -> Result<(), Box<dyn std::error::Error>> {
//! let upserted = client
//!     .upsert_pipeline()
//!     .pipeline_name("train-and-register")
//!     .role_arn("arn:aws:iam::111122223333:role/SageMakerPipelines")
//!     .definition(&definition) // checked now; what `check()` finds fails `send` before anything is sent
//!     .send()
//!     .await?;
//! println!("{} {}", if upserted.created() { "created" } else { "updated" }, upserted.pipeline_arn().unwrap_or("?"));
//! # Ok(()) }
//! ```
//!
//! Tags go with `CreatePipeline` only: updating a pipeline's tags takes `AddTags`, which is not one of this crate's
//! operations. This module is the project's own (`models/modules/pipeline_upsert.rs`, copied into the crate), not
//! generated from the model.
#![cfg(feature = "definitions")]
#![cfg_attr(docsrs, doc(cfg(feature = "definitions")))]

use std::fmt;

use crate::config::ConfigOverride;
use crate::definition::PipelineDefinition;
use crate::error::SdkError;
use crate::operation::create_pipeline::builders::CreatePipelineFluentBuilder;
use crate::operation::create_pipeline::CreatePipelineError;
use crate::operation::update_pipeline::UpdatePipelineError;
use crate::types::{ParallelismConfiguration, Tag};

impl crate::Client {
    /// Creates a pipeline, or updates it if one of that name already exists: set its members, then call
    /// [`send`](UpsertPipeline::send). See [`crate::pipeline_upsert`].
    pub fn upsert_pipeline(&self) -> UpsertPipeline {
        UpsertPipeline { client: self.clone(), create: self.create_pipeline() }
    }
}

/// A `CreatePipeline` that becomes an `UpdatePipeline` when the pipeline exists; see [`crate::pipeline_upsert`].
#[derive(Debug, Clone)]
pub struct UpsertPipeline {
    client: crate::Client,
    create: CreatePipelineFluentBuilder,
}

impl UpsertPipeline {
    /// The name of the pipeline (`PipelineName`), created or updated.
    pub fn pipeline_name(mut self, input: impl Into<String>) -> Self {
        self.create = self.create.pipeline_name(input);
        self
    }

    /// The display name of the pipeline (`PipelineDisplayName`), sent by both calls.
    pub fn pipeline_display_name(mut self, input: impl Into<String>) -> Self {
        self.create = self.create.pipeline_display_name(input);
        self
    }

    /// A description of the pipeline (`PipelineDescription`), sent by both calls.
    pub fn pipeline_description(mut self, input: impl Into<String>) -> Self {
        self.create = self.create.pipeline_description(input);
        self
    }

    /// The role SageMaker Pipelines assumes to run the pipeline (`RoleArn`), sent by both calls. `CreatePipeline`
    /// requires it, so without it `send` fails before anything is sent.
    pub fn role_arn(mut self, input: impl Into<String>) -> Self {
        self.create = self.create.role_arn(input);
        self
    }

    /// The typed definition: its text is sent by both calls, and its `check()` runs now; what it finds is
    /// reported by [`send`](Self::send) as input validation (`SdkError::Validation` in
    /// [`UpsertPipelineError::Create`]), before anything is sent.
    pub fn definition(mut self, definition: &PipelineDefinition) -> Self {
        self.create = self.create.definition(definition);
        self
    }

    /// The definition as JSON text (`PipelineDefinition`), sent as it is by both calls (its length is checked, not
    /// its content; [`definition`](Self::definition) checks it).
    pub fn pipeline_definition(mut self, input: impl Into<String>) -> Self {
        self.create = self.create.pipeline_definition(input);
        self
    }

    /// How many steps of an execution may run at once (`ParallelismConfiguration`), sent by both calls.
    pub fn parallelism_configuration(mut self, input: impl Into<ParallelismConfiguration>) -> Self {
        self.create = self.create.parallelism_configuration(input);
        self
    }

    /// A tag of the pipeline, appended to its `Tags`; sent with `CreatePipeline` only (see
    /// [the module](crate::pipeline_upsert)).
    pub fn tags(mut self, input: impl Into<Tag>) -> Self {
        self.create = self.create.tags(input);
        self
    }

    /// The `ClientRequestToken` of `CreatePipeline` (one is generated when it is not set).
    pub fn client_request_token(mut self, input: impl Into<String>) -> Self {
        self.create = self.create.client_request_token(input);
        self
    }

    /// Settings for both calls, over the client's configuration.
    pub fn config_override(mut self, config_override: impl Into<ConfigOverride>) -> Self {
        self.create = self.create.config_override(config_override);
        self
    }

    /// Sends `CreatePipeline`; when SageMaker answers that the pipeline already exists, sends `UpdatePipeline`.
    pub async fn send(self) -> Result<UpsertPipelineOutput, UpsertPipelineError> {
        let update = self
            .client
            .update_pipeline()
            .set_pipeline_name(self.create.get_pipeline_name().clone())
            .set_pipeline_display_name(self.create.get_pipeline_display_name().clone())
            .set_pipeline_description(self.create.get_pipeline_description().clone())
            .set_role_arn(self.create.get_role_arn().clone())
            .set_parallelism_configuration(self.create.get_parallelism_configuration().clone())
            .set_pipeline_definition(self.create.get_pipeline_definition().clone())
            .set_config_override(self.create.get_config_override().cloned());
        match self.create.send().await {
            Ok(created) => Ok(UpsertPipelineOutput { pipeline_arn: created.pipeline_arn, created: true }),
            Err(SdkError::ServiceError(e)) if already_exists(e.err()) => match update.send().await {
                Ok(updated) => Ok(UpsertPipelineOutput { pipeline_arn: updated.pipeline_arn, created: false }),
                Err(e) => Err(UpsertPipelineError::Update(e)),
            },
            Err(e) => Err(UpsertPipelineError::Create(e)),
        }
    }
}

/// How SageMaker refuses to create a pipeline whose name is taken (the test the Python SDK's `upsert` makes).
fn already_exists(e: &CreatePipelineError) -> bool {
    e.code() == Some("ValidationException") && e.message().is_some_and(|m| m.contains("already exists"))
}

/// The result of [`UpsertPipeline::send`]: the pipeline's ARN, and whether it was created or updated.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UpsertPipelineOutput {
    /// The ARN of the pipeline, as `CreatePipeline` or `UpdatePipeline` returned it.
    pub pipeline_arn: Option<String>,
    /// `true` when `CreatePipeline` created the pipeline, `false` when `UpdatePipeline` updated it.
    pub created: bool,
}

impl UpsertPipelineOutput {
    /// The ARN of the pipeline, as `CreatePipeline` or `UpdatePipeline` returned it.
    pub fn pipeline_arn(&self) -> Option<&str> {
        self.pipeline_arn.as_deref()
    }

    /// Whether `CreatePipeline` created the pipeline (`false`: it existed, and `UpdatePipeline` updated it).
    pub fn created(&self) -> bool {
        self.created
    }
}

/// Why [`UpsertPipeline::send`] failed: the call that failed, with its error.
#[derive(Debug)]
pub enum UpsertPipelineError {
    /// `CreatePipeline` failed otherwise than because the pipeline exists, or the input was refused before sending
    /// (`SdkError::Validation`, which includes what the definition's `check()` found).
    Create(SdkError<CreatePipelineError>),
    /// The pipeline existed, and `UpdatePipeline` failed.
    Update(SdkError<UpdatePipelineError>),
}

impl fmt::Display for UpsertPipelineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UpsertPipelineError::Create(e) => write!(f, "CreatePipeline failed: {e}"),
            UpsertPipelineError::Update(e) => write!(f, "the pipeline exists, and UpdatePipeline failed: {e}"),
        }
    }
}

impl std::error::Error for UpsertPipelineError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            UpsertPipelineError::Create(e) => Some(e),
            UpsertPipelineError::Update(e) => Some(e),
        }
    }
}
