//! Client overhead and requests per second for `DescribePipelineExecution`.
//!
//! - in memory: a transport that returns a fixed response, so the figure is the client's own work per call
//!   (validation, serialization, endpoint, SigV4 signing, decoding);
//! - loopback: a small keep-alive HTTP server on 127.0.0.1 returning the same fixed response, sequential calls over
//!   one pooled connection.
//!
//! `cargo bench -p project-tests --bench client`

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sagemaker_pipelines::config::retry::RetryConfig;
use sagemaker_pipelines::Client;

mod loopback;

use loopback::{response_body, serve, ARN};

fn config() -> sagemaker_pipelines::config::Builder {
    project_tests::raw::config().retry_config(RetryConfig::disabled())
}

fn describe(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let mut group = c.benchmark_group("DescribePipelineExecution");
    group.throughput(Throughput::Elements(1));
    group.measurement_time(Duration::from_secs(5));

    let client = Client::from_conf(config().http_client(project_tests::raw::Raw::unrecorded(response_body())).build());
    group.bench_function("in memory (client work per call)", |b| {
        b.iter(|| rt.block_on(client.describe_pipeline_execution().pipeline_execution_arn(ARN).send()).expect("call"))
    });

    // The same with one interceptor that adds a header before signing: what interceptors cost.
    let client = Client::from_conf(
        config().http_client(project_tests::raw::Raw::unrecorded(response_body())).interceptor(AddHeader).build(),
    );
    group.bench_function("in memory, one interceptor", |b| {
        b.iter(|| rt.block_on(client.describe_pipeline_execution().pipeline_execution_arn(ARN).send()).expect("call"))
    });

    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    rt.spawn(serve(listener, response_body()));
    let client = Client::from_conf(config().endpoint_url(url).build());
    group.bench_function("loopback server, one connection", |b| {
        b.iter(|| rt.block_on(client.describe_pipeline_execution().pipeline_execution_arn(ARN).send()).expect("call"))
    });
    group.finish();
}

/// Adds one header before signing.
#[derive(Debug)]
struct AddHeader;

impl aws_smithy_runtime_api::client::interceptors::Intercept for AddHeader {
    fn name(&self) -> &'static str {
        "AddHeader"
    }

    fn modify_before_signing(
        &self,
        context: &mut aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextMut<'_>,
        _: &aws_smithy_runtime_api::client::runtime_components::RuntimeComponents,
        _: &mut aws_smithy_types::config_bag::ConfigBag,
    ) -> Result<(), aws_smithy_runtime_api::box_error::BoxError> {
        context.request_mut().headers_mut().insert("x-team", "ml-platform");
        Ok(())
    }
}

criterion_group!(benches, describe);
criterion_main!(benches);
