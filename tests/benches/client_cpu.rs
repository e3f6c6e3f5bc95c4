//! Client CPU per call, side by side with a hand-written floor, in one run.
//!
//! The floor is the least a Rust program can do to make the same `DescribePipelineExecution` call over the same
//! pooled hyper connection: serde to write the input and read the output, aws-sigv4 to sign, hyper-util's pooled
//! client to send, no retries, no validation, no endpoint rules. The crate's client runs with its defaults (standard
//! retries, validation, endpoint resolution, idempotency, tracing spans).
//!
//! The server runs in a child process (this same binary, started with `CLIENT_CPU_SERVE=1`), so the CPU time this
//! process uses (`getrusage(RUSAGE_SELF)`: user + system, every thread) is the client's alone: its own work, the
//! tokio runtime driving the sockets, and the kernel's side of its socket calls. Each round measures every client
//! once per concurrency (1 call in flight, then 64), in alternating order; the table gives the median of the rounds.
//!
//! `cargo bench -p project-tests --bench client_cpu` (`CLIENT_CPU_CALLS`, `CLIENT_CPU_ROUNDS` to change the size;
//! `CLIENT_CPU_PROFILE=crate` or `=floor` runs only that side, sequentially, for a profiler to attach to;
//! `CLIENT_CPU_WARMUP` sets the warm-up's calls per side and concurrency, 2,000 by default). Instructions per call,
//! the stable comparison on a shared machine: run one side under `valgrind --tool=callgrind --trace-children=no`
//! (the server is a child process, not counted) with `CLIENT_CPU_ROUNDS=1` and two values of `CLIENT_CPU_CALLS`;
//! the difference of the two totals divided by the difference of the calls leaves out start-up and warm-up.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::rt::TokioExecutor;
use sagemaker_pipelines::Client;
use serde::{Deserialize, Serialize};

mod loopback;

use loopback::{response_body, serve, ARN};

// ---------------------------------------------------------------------------------------------------------------
// The server (child process)

fn run_server() {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        println!("{}", listener.local_addr().expect("addr").port());
        // The parent reads the port; the server runs until the parent kills it or its stdin closes.
        std::thread::spawn(|| {
            let mut sink = String::new();
            let _ = std::io::stdin().read_line(&mut sink);
            std::process::exit(0);
        });
        serve(listener, response_body()).await;
    });
}

struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start() -> Server {
        let exe = std::env::current_exe().expect("current exe");
        let mut child = Command::new(exe)
            .env("CLIENT_CPU_SERVE", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the server process");
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().expect("stdout")).read_line(&mut line).expect("read the port");
        let port = line.trim().parse().expect("a port");
        Server { child, port }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The floor

#[derive(Serialize)]
struct DescribeInput<'a> {
    #[serde(rename = "PipelineExecutionArn")]
    pipeline_execution_arn: &'a str,
}

#[derive(Deserialize)]
#[allow(dead_code)] // read, as a client would, but not looked at
struct DescribeOutput {
    #[serde(rename = "PipelineArn")]
    pipeline_arn: Option<String>,
    #[serde(rename = "PipelineExecutionArn")]
    pipeline_execution_arn: Option<String>,
    #[serde(rename = "PipelineExecutionDisplayName")]
    pipeline_execution_display_name: Option<String>,
    #[serde(rename = "PipelineExecutionStatus")]
    pipeline_execution_status: Option<String>,
    #[serde(rename = "CreationTime")]
    creation_time: Option<f64>,
    #[serde(rename = "LastModifiedTime")]
    last_modified_time: Option<f64>,
    #[serde(rename = "PipelineVersionId")]
    pipeline_version_id: Option<i64>,
}

/// Serde + aws-sigv4 + a pooled hyper client: no retries, no validation, no endpoint rules.
#[derive(Clone)]
struct Floor {
    http: HyperClient<HttpConnector, Full<bytes::Bytes>>,
    uri: http::Uri,
    host: String,
    identity: aws_smithy_runtime_api::client::identity::Identity,
}

impl Floor {
    fn new(port: u16) -> Floor {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        Floor {
            http: HyperClient::builder(TokioExecutor::new()).build(connector),
            uri: format!("http://127.0.0.1:{port}/").parse().expect("uri"),
            host: format!("127.0.0.1:{port}"),
            identity: Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None, None, "bench")
                .into(),
        }
    }

    async fn describe(&self, arn: &str) -> DescribeOutput {
        let body = serde_json::to_vec(&DescribeInput { pipeline_execution_arn: arn }).expect("serialize");
        let mut request = http::Request::post(self.uri.clone())
            .header("host", &self.host)
            .header("content-type", "application/x-amz-json-1.1")
            .header("x-amz-target", "SageMaker.DescribePipelineExecution")
            .body(body)
            .expect("request");
        let params = v4::SigningParams::builder()
            .identity(&self.identity)
            .region("us-east-1")
            .name("sagemaker")
            .time(SystemTime::now())
            .settings(SigningSettings::default())
            .build()
            .expect("signing params")
            .into();
        let signable = SignableRequest::new(
            request.method().as_str(),
            request.uri().to_string(),
            request.headers().iter().map(|(k, v)| (k.as_str(), v.to_str().expect("ascii header"))),
            SignableBody::Bytes(request.body()),
        )
        .expect("signable");
        let (instructions, _) = sign(signable, &params).expect("sign").into_parts();
        instructions.apply_to_request_http1x(&mut request);
        let request = request.map(|b| Full::new(bytes::Bytes::from(b)));
        let response = self.http.request(request).await.expect("send");
        assert!(response.status().is_success(), "status {}", response.status());
        let bytes = response.into_body().collect().await.expect("body").to_bytes();
        serde_json::from_slice(&bytes).expect("decode")
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Measuring

/// User + system CPU time of this process (every thread).
fn cpu_time() -> Duration {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a `rusage` into the pointer it is given, which points to one.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) };
    assert_eq!(rc, 0, "getrusage failed");
    // SAFETY: getrusage returned 0, so it filled the struct.
    let usage = unsafe { usage.assume_init() };
    let tv = |t: libc::timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Side {
    Floor,
    Crate,
}

/// Runs `calls` calls with `in_flight` of them at a time; returns (CPU per call, wall per call).
async fn measure(side: Side, floor: &Floor, client: &Client, calls: usize, in_flight: usize) -> (f64, f64) {
    let per_task = calls / in_flight;
    let cpu = cpu_time();
    let wall = Instant::now();
    let mut tasks = Vec::with_capacity(in_flight);
    for _ in 0..in_flight {
        let floor = floor.clone();
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..per_task {
                match side {
                    Side::Floor => {
                        std::hint::black_box(floor.describe(ARN).await);
                    }
                    Side::Crate => {
                        let out = client.describe_pipeline_execution().pipeline_execution_arn(ARN).send().await;
                        std::hint::black_box(out.expect("call"));
                    }
                }
            }
        }));
    }
    for task in tasks {
        task.await.expect("task");
    }
    let n = (per_task * in_flight) as f64;
    ((cpu_time() - cpu).as_secs_f64() * 1e6 / n, wall.elapsed().as_secs_f64() * 1e6 / n)
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() {
    if std::env::var_os("CLIENT_CPU_SERVE").is_some() {
        run_server();
        return;
    }
    let calls = env_usize("CLIENT_CPU_CALLS", 20_000);
    let rounds = env_usize("CLIENT_CPU_ROUNDS", 5);
    let warmup = env_usize("CLIENT_CPU_WARMUP", 2_000);
    let server = Server::start();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let floor = Floor::new(server.port);
    let client = Client::from_conf(
        project_tests::raw::config().endpoint_url(format!("http://127.0.0.1:{}", server.port)).build(),
    );

    rt.block_on(async {
        // Warm both: connections pooled, credentials cached, code paged in.
        for in_flight in [1, 64] {
            measure(Side::Floor, &floor, &client, warmup, in_flight).await;
            measure(Side::Crate, &floor, &client, warmup, in_flight).await;
        }
    });

    if let Ok(only) = std::env::var("CLIENT_CPU_PROFILE") {
        let side = if only == "floor" { Side::Floor } else { Side::Crate };
        for _ in 0..rounds {
            let (cpu, _) = rt.block_on(measure(side, &floor, &client, calls, 1));
            println!("{side:?}: {cpu:.1} µs of CPU per call");
        }
        return;
    }
    println!("client CPU per DescribePipelineExecution call: {calls} calls per measurement, median of {rounds} rounds");
    println!("| in flight | floor CPU | crate CPU | crate / floor | floor wall | crate wall |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for in_flight in [1, 64] {
        let (mut floor_cpu, mut crate_cpu, mut floor_wall, mut crate_wall) = (vec![], vec![], vec![], vec![]);
        for round in 0..rounds {
            let order = if round % 2 == 0 { [Side::Floor, Side::Crate] } else { [Side::Crate, Side::Floor] };
            for side in order {
                let (cpu, wall) = rt.block_on(measure(side, &floor, &client, calls, in_flight));
                match side {
                    Side::Floor => {
                        floor_cpu.push(cpu);
                        floor_wall.push(wall);
                    }
                    Side::Crate => {
                        crate_cpu.push(cpu);
                        crate_wall.push(wall);
                    }
                }
            }
        }
        let (f, c) = (median(&mut floor_cpu), median(&mut crate_cpu));
        println!(
            "| {in_flight} | {f:.1} µs | {c:.1} µs | {:.2}× | {:.1} µs | {:.1} µs |",
            c / f,
            median(&mut floor_wall),
            median(&mut crate_wall)
        );
    }
    drop(server);
}
