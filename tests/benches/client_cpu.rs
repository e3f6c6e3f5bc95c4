//! Client CPU per call, side by side with a hand-written floor, in one run.
//!
//! The floor is the least a Rust program can do to make the same `DescribePipelineExecution` call over the same
//! pooled hyper connection: serde to write the input and read the output, aws-sigv4 to sign, hyper-util's pooled
//! client to send, no retries, no validation, no endpoint rules. The crate's client runs with its defaults (standard
//! retries, validation, endpoint resolution, idempotency, tracing spans).
//!
//! The server runs in a child process (this same binary, started with `CLIENT_CPU_SERVE=1`), so the CPU time this
//! process uses (its threads' CPU clocks together, `CLOCK_PROCESS_CPUTIME_ID`: user + system, every thread) is the
//! client's alone: its own work, the tokio runtime driving the sockets, and the kernel's side of its socket calls.
//! On a machine other builds share, the CPU time of a call moves with the load by more than the two sides differ,
//! so the sides run in short interleaved rounds (`CLIENT_CPU_ROUNDS` pairs of `CLIENT_CPU_CALLS` calls each, the
//! floor first in one pair and the crate first in the next), and the figure is the median of the pairs' ratios,
//! with its quartiles and extremes; the lines below the table give the user / system split, context switches and
//! minor page faults per call over all the rounds. `CLIENT_CPU_SELF=floor` (or `=crate`) checks the method: both
//! sides of every pair are that one client, so the ratio should be 1 within a few hundredths.
//!
//! `cargo bench -p project-tests --bench client_cpu` (30 pairs of 2,000 calls by default;
//! `CLIENT_CPU_PROFILE=crate` or `=floor` runs only that side, 5 rounds of 20,000 calls by default, sequentially
//! or `CLIENT_CPU_IN_FLIGHT` at a time, for a profiler to attach to, and prints each thread's time on a CPU per call (`/proc/self/task/*/schedstat`);
//! `CLIENT_CPU_WARMUP` sets the warm-up's calls per side and concurrency, 2,000 by default; `CLIENT_CPU_SIZES=1`
//! prints the size of a call's future and of its output, which are copied as they move). Instructions per call,
//! the stable comparison on a shared machine: run one side under `valgrind --tool=callgrind --trace-children=no`
//! (the server is a child process, not counted) with `CLIENT_CPU_ROUNDS=1` and two values of `CLIENT_CPU_CALLS`;
//! the difference of the two totals divided by the difference of the calls leaves out start-up and warm-up.
//! `CLIENT_CPU_NO_TIMEOUT=1` runs the crate's client without its default attempt timeout (a tokio timer per
//! attempt), to see that timer's share.
//! `CLIENT_CPU_ALLOCS=1` with `CLIENT_CPU_PROFILE` counts the allocations per call by size (the process's allocator
//! counts only while that is set: a relaxed load of one flag per allocation otherwise, on both sides alike).

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
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

/// The system allocator, counting allocations by requested size while [`COUNTING`] is set.
struct Counting;

/// Whether [`Counting`] counts.
static COUNTING: AtomicBool = AtomicBool::new(false);
/// Allocations (and reallocations, by their new size) by size in 16-byte steps up to 4 KiB, then one for larger.
static BY_SIZE: [AtomicU64; 257] = [const { AtomicU64::new(0) }; 257];

impl Counting {
    fn count(size: usize) {
        if COUNTING.load(Ordering::Relaxed) {
            BY_SIZE[size.div_ceil(16).min(256)].fetch_add(1, Ordering::Relaxed);
        }
    }
}

// SAFETY: every call is passed to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        Self::count(layout.size());
        // SAFETY: the caller's guarantees are the system allocator's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        Self::count(layout.size());
        // SAFETY: as `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as `alloc`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        Self::count(new_size);
        // SAFETY: as `alloc`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The allocations counted so far, by size class, and a reset.
fn take_allocations() -> Vec<u64> {
    BY_SIZE.iter().map(|c| c.swap(0, Ordering::Relaxed)).collect()
}

/// The allocations per call by size (`at most N bytes: count`), and in total, and those glibc serves from its large
/// bins (over 1,024 bytes, past its per-thread cache).
fn allocation_line(by_size: &[u64], calls: usize) -> String {
    let per = |n: u64| n as f64 / calls as f64;
    let total: u64 = by_size.iter().sum();
    let large: u64 = by_size[65..].iter().sum();
    let sizes: Vec<String> = by_size
        .iter()
        .enumerate()
        .filter(|(_, &n)| per(n) >= 0.01)
        .map(|(i, &n)| if i == 256 { format!(">4096: {:.2}", per(n)) } else { format!("<={}: {:.2}", i * 16, per(n)) })
        .collect();
    format!("{:.2} allocations per call, {:.2} over 1,024 bytes; by size: {}", per(total), per(large), sizes.join(", "))
}

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

/// What `getrusage(RUSAGE_SELF)` counts for this process (every thread): CPU time in user mode and in the kernel,
/// context switches (voluntary: the thread waited; involuntary: it was preempted) and minor page faults.
#[derive(Clone, Copy, Default)]
struct Usage {
    user: Duration,
    system: Duration,
    voluntary_switches: i64,
    involuntary_switches: i64,
    minor_faults: i64,
}

impl Usage {
    fn now() -> Usage {
        let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
        // SAFETY: getrusage writes a `rusage` into the pointer it is given, which points to one.
        let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) };
        assert_eq!(rc, 0, "getrusage failed");
        // SAFETY: getrusage returned 0, so it filled the struct.
        let usage = unsafe { usage.assume_init() };
        let tv = |t: libc::timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
        Usage {
            user: tv(usage.ru_utime),
            system: tv(usage.ru_stime),
            voluntary_switches: usage.ru_nvcsw,
            involuntary_switches: usage.ru_nivcsw,
            minor_faults: usage.ru_minflt,
        }
    }

    /// What was used since `before`.
    fn since(self, before: Usage) -> Usage {
        Usage {
            user: self.user - before.user,
            system: self.system - before.system,
            voluntary_switches: self.voluntary_switches - before.voluntary_switches,
            involuntary_switches: self.involuntary_switches - before.involuntary_switches,
            minor_faults: self.minor_faults - before.minor_faults,
        }
    }
}

/// The time each thread of this process has spent on a CPU (the first field of `/proc/self/task/*/schedstat`, in
/// nanoseconds), by thread id and name; empty where `/proc` does not say.
fn thread_times() -> Vec<(String, String, u64)> {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else { return vec![] };
    let mut times = vec![];
    for task in tasks.flatten() {
        let path = task.path();
        let name = std::fs::read_to_string(path.join("comm")).unwrap_or_default().trim().to_string();
        let ran = std::fs::read_to_string(path.join("schedstat"))
            .ok()
            .and_then(|s| s.split_whitespace().next()?.parse().ok());
        if let Some(ran) = ran {
            times.push((task.file_name().to_string_lossy().into_owned(), name, ran));
        }
    }
    times
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Side {
    Floor,
    Crate,
}

/// The CPU time of this process so far: the sum of its threads' CPU clocks (`CLOCK_PROCESS_CPUTIME_ID`, the
/// scheduler's own account of the time each thread ran, user and kernel, in nanoseconds; not derived from wall time).
/// The server is another process, so this is the client's alone: the tokio workers, the main thread waiting in
/// `block_on`, and the kernel's side of their socket calls.
fn process_cpu() -> Duration {
    let mut t = std::mem::MaybeUninit::<libc::timespec>::zeroed();
    // SAFETY: clock_gettime writes a `timespec` into the pointer it is given, which points to one.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, t.as_mut_ptr()) };
    assert_eq!(rc, 0, "clock_gettime failed");
    // SAFETY: clock_gettime returned 0, so it filled the struct.
    let t = unsafe { t.assume_init() };
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// What one measurement gives: CPU time per call (µs, from [`process_cpu`]), wall time per call, and the process's
/// usage (see [`Usage`]) in total.
struct Measured {
    cpu: f64,
    wall: f64,
    usage: Usage,
    calls: usize,
}

/// Runs `calls` calls with `in_flight` of them at a time.
async fn measure(side: Side, floor: &Floor, client: &Client, calls: usize, in_flight: usize) -> Measured {
    let per_task = (calls / in_flight).max(1);
    let before = Usage::now();
    let cpu = process_cpu();
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
    let cpu = process_cpu() - cpu;
    let wall = wall.elapsed();
    let usage = Usage::now().since(before);
    let n = per_task * in_flight;
    Measured { cpu: cpu.as_secs_f64() * 1e6 / n as f64, wall: wall.as_secs_f64() * 1e6 / n as f64, usage, calls: n }
}

/// The usage of several measurements together.
fn total(runs: &[Measured]) -> Measured {
    let mut usage = Usage::default();
    let (mut cpu, mut wall, mut calls) = (0.0, 0.0, 0);
    for m in runs {
        usage.user += m.usage.user;
        usage.system += m.usage.system;
        usage.voluntary_switches += m.usage.voluntary_switches;
        usage.involuntary_switches += m.usage.involuntary_switches;
        usage.minor_faults += m.usage.minor_faults;
        cpu += m.cpu * m.calls as f64;
        wall += m.wall * m.calls as f64;
        calls += m.calls;
    }
    Measured { cpu: cpu / calls as f64, wall: wall / calls as f64, usage, calls }
}

/// Per call: user and system CPU time (µs), context switches (voluntary, involuntary) and minor page faults.
fn usage_line(m: &Measured) -> String {
    let n = m.calls as f64;
    let u = &m.usage;
    format!(
        "user {:.1} µs + sys {:.1} µs, switches {:.3} voluntary + {:.3} involuntary, minor faults {:.4}",
        u.user.as_secs_f64() * 1e6 / n,
        u.system.as_secs_f64() * 1e6 / n,
        u.voluntary_switches as f64 / n,
        u.involuntary_switches as f64 / n,
        u.minor_faults as f64 / n
    )
}

/// The value at quantile `q` (0 to 1) of `values`, sorted here (nearest rank).
fn quantile(values: &mut [f64], q: f64) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[((values.len() - 1) as f64 * q).round() as usize]
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() {
    if std::env::var_os("CLIENT_CPU_SERVE").is_some() {
        run_server();
        return;
    }
    if std::env::var_os("CLIENT_CPU_SIZES").is_some() {
        // What a call moves as its futures are made and awaited: the future `send` gives, and the output.
        use sagemaker_pipelines::operation::describe_pipeline_execution::DescribePipelineExecutionOutput;
        let client = Client::from_conf(project_tests::raw::config().endpoint_url("http://127.0.0.1:1").build());
        let call = client.describe_pipeline_execution().pipeline_execution_arn(ARN).send();
        let output = std::mem::size_of::<DescribePipelineExecutionOutput>();
        println!("a call's future: {} bytes; its output: {output} bytes", std::mem::size_of_val(&call));
        return;
    }
    let profile = std::env::var("CLIENT_CPU_PROFILE").ok();
    let calls = env_usize("CLIENT_CPU_CALLS", if profile.is_some() { 20_000 } else { 2_000 });
    let rounds = env_usize("CLIENT_CPU_ROUNDS", if profile.is_some() { 5 } else { 30 }).max(1);
    let warmup = env_usize("CLIENT_CPU_WARMUP", 2_000);
    let profile_in_flight = env_usize("CLIENT_CPU_IN_FLIGHT", 1).max(1);
    let server = Server::start();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let floor = Floor::new(server.port);
    let mut conf = project_tests::raw::config().endpoint_url(format!("http://127.0.0.1:{}", server.port));
    if std::env::var_os("CLIENT_CPU_NO_TIMEOUT").is_some_and(|v| v == "1") {
        conf = conf.timeout_config(sagemaker_pipelines::config::timeout::TimeoutConfig::disabled());
    }
    let client = Client::from_conf(conf.build());

    rt.block_on(async {
        // Warm both: connections pooled, credentials cached, code paged in.
        for in_flight in [1, 64] {
            measure(Side::Floor, &floor, &client, warmup, in_flight).await;
            measure(Side::Crate, &floor, &client, warmup, in_flight).await;
        }
    });

    if let Some(only) = profile {
        let side = if only == "floor" { Side::Floor } else { Side::Crate };
        let allocations = std::env::var_os("CLIENT_CPU_ALLOCS").is_some();
        for _ in 0..rounds {
            let threads = thread_times();
            take_allocations();
            COUNTING.store(allocations, Ordering::Relaxed);
            let m = rt.block_on(measure(side, &floor, &client, calls, profile_in_flight));
            COUNTING.store(false, Ordering::Relaxed);
            println!("{side:?}: {:.1} µs of CPU per call ({})", m.cpu, usage_line(&m));
            if allocations {
                println!("  {}", allocation_line(&take_allocations(), m.calls));
            }
            // Where the time went, by thread: the runtime's workers, and the main thread that waits in block_on.
            let mut shares = vec![];
            for (id, name, ran) in thread_times() {
                let before = threads.iter().find(|(i, ..)| *i == id).map_or(0, |t| t.2);
                let ran = ran.saturating_sub(before);
                if ran > 0 {
                    shares.push(format!("{name}[{id}] {:.1} µs", ran as f64 / 1e3 / m.calls as f64));
                }
            }
            println!("  on CPU per call, by thread: {}", shares.join(", "));
        }
        return;
    }

    // The two sides of each pair of rounds: the floor and the crate, or, to check the method, one side twice.
    let (a, b, names) = match std::env::var("CLIENT_CPU_SELF").as_deref() {
        Ok("floor") => (Side::Floor, Side::Floor, ["floor", "floor again"]),
        Ok(_) => (Side::Crate, Side::Crate, ["crate", "crate again"]),
        Err(_) => (Side::Floor, Side::Crate, ["floor", "crate"]),
    };
    println!(
        "client CPU per DescribePipelineExecution call: {rounds} pairs of rounds of {calls} calls, {} then {} and \
         {} then {} in turn; the ratio is {} / {} per pair",
        names[0], names[1], names[1], names[0], names[1], names[0]
    );
    println!(
        "| in flight | {0} CPU | {1} CPU | {1} / {0}: median | quartiles | least – most | {0} wall | {1} wall |",
        names[0], names[1]
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    let mut details = vec![];
    for in_flight in [1, 64] {
        let (mut a_runs, mut b_runs, mut ratios) = (vec![], vec![], vec![]);
        for round in 0..rounds {
            // Short rounds, alternating which side goes first, so that both sides meet the same load.
            let (first, second) = if round % 2 == 0 { (a, b) } else { (b, a) };
            let m1 = rt.block_on(measure(first, &floor, &client, calls, in_flight));
            let m2 = rt.block_on(measure(second, &floor, &client, calls, in_flight));
            let (ma, mb) = if round % 2 == 0 { (m1, m2) } else { (m2, m1) };
            ratios.push(mb.cpu / ma.cpu);
            a_runs.push(ma);
            b_runs.push(mb);
        }
        let mut a_cpu: Vec<f64> = a_runs.iter().map(|m| m.cpu).collect();
        let mut b_cpu: Vec<f64> = b_runs.iter().map(|m| m.cpu).collect();
        let mut a_wall: Vec<f64> = a_runs.iter().map(|m| m.wall).collect();
        let mut b_wall: Vec<f64> = b_runs.iter().map(|m| m.wall).collect();
        println!(
            "| {in_flight} | {:.1} µs | {:.1} µs | {:.3}× | {:.3}–{:.3} | {:.3}–{:.3} | {:.1} µs | {:.1} µs |",
            quantile(&mut a_cpu, 0.5),
            quantile(&mut b_cpu, 0.5),
            quantile(&mut ratios, 0.5),
            quantile(&mut ratios, 0.25),
            quantile(&mut ratios, 0.75),
            quantile(&mut ratios, 0.0),
            quantile(&mut ratios, 1.0),
            quantile(&mut a_wall, 0.5),
            quantile(&mut b_wall, 0.5)
        );
        let (ta, tb) = (total(&a_runs), total(&b_runs));
        details.push(format!(
            "{in_flight} in flight, all rounds: {} {}; {} {}; user {:.3}×, sys {:.3}×",
            names[0],
            usage_line(&ta),
            names[1],
            usage_line(&tb),
            tb.usage.user.as_secs_f64() / ta.usage.user.as_secs_f64(),
            tb.usage.system.as_secs_f64() / ta.usage.system.as_secs_f64()
        ));
    }
    for line in details {
        println!("{line}");
    }
    drop(server);
}
