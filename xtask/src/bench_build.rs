//! `cargo xtask bench-build`: what adding this crate costs a real program's build, measured side by side with
//! `aws-sdk-sagemaker` in one run (the README's "Measurements"). Not run in CI: it takes many minutes and gigabytes.
//!
//! - Added build: a host program (`aws-config`, `aws-sdk-s3`, `tokio`, one S3 call) is built once in the debug
//!   profile from a clean target directory. Its project, lock file and built target directory are copied twice; one
//!   copy gets this crate, with the dependency line the README gives for programs that use `aws-config`, and one
//!   call, the other gets `aws-sdk-sagemaker` and the same call. Each added build is timed, and cargo's JSON messages
//!   tell which of the program's crates were recompiled and which crates are new. Before anything is added, each copy
//!   is built once unchanged (a control): it must rebuild nothing, or the copy itself would be part of the figure.
//!   This crate is a path dependency there, which cargo would compile incrementally in the debug profile; a profile
//!   override compiles it as a dependency from crates.io is compiled (no incremental cache), as aws-sdk-sagemaker is.
//! - Standalone: clean release builds of a one-call program against this crate (default features) and of one
//!   against `aws-config` + `aws-sdk-sagemaker`: time, peak target directory size, binary size.
//!
//! - `--model FILE`: the added build of a crate with every operation of FILE instead of `generated/`, generated as
//!   `cargo xtask scale` generates each model (same crate name, so the same dependency line and call) into
//!   `<dir>/model-crate`, which is removed at the end. It implies `--skip-standalone`.
//!
//! Every build runs with the same `-j`. The output ends with markdown tables for the README.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use codegen::Error;
use serde_json::Value;

/// The host program's package name (excluded from "recompiled": its own crate always rebuilds).
const HOST: &str = "bench-host";

const AWS_CONFIG_DEPENDENCY: &str = r#"aws-config = { version = "1", features = ["behavior-version-latest"] }"#;
const S3_DEPENDENCY: &str = r#"aws-sdk-s3 = "1""#;
const TOKIO_DEPENDENCY: &str = r#"tokio = { version = "1", features = ["macros", "rt-multi-thread"] }"#;
/// The host program's one call.
const S3_CALL: &str = "aws_sdk_s3::Client::new(&conf).list_buckets().send().await";

/// This crate added to a program that uses `aws-config`: the dependency line the README documents for such programs
/// (`{path}` becomes the absolute path of `generated/`).
const CRATE_DEPENDENCY_AWS_CONFIG: &str = r#"sagemaker-pipelines = { path = "{path}", default-features = false }"#;
/// The same with the `definitions` feature (`--definitions`).
const CRATE_DEPENDENCY_DEFINITIONS: &str =
    r#"sagemaker-pipelines = { path = "{path}", default-features = false, features = ["definitions"] }"#;
/// The client of the added call in such a program, made from the program's `SdkConfig` (`conf`).
const CRATE_CLIENT_FROM_SDK_CONFIG: &str = "sagemaker_pipelines::Client::new(&conf)";
/// This crate in a program of its own: default features.
const CRATE_DEPENDENCY_STANDALONE: &str = r#"sagemaker-pipelines = { path = "{path}" }"#;
/// The client of a program of its own: the crate's standalone configuration.
const CRATE_CLIENT_STANDALONE: &str =
    "sagemaker_pipelines::Client::from_conf(sagemaker_pipelines::Config::from_env().build())";

const SDK_DEPENDENCY: &str = r#"aws-sdk-sagemaker = "1""#;
const SDK_CLIENT: &str = "aws_sdk_sagemaker::Client::new(&conf)";
const SDK_PACKAGE: &str = "aws-sdk-sagemaker";
const CRATE_PACKAGE: &str = "sagemaker-pipelines";

/// The call both sides make, after the client expression.
const CALL: &str = r#".describe_pipeline_execution().pipeline_execution_arn("arn").send().await"#;

/// How often the target directory's size is sampled during a build, for its peak.
const SIZE_SAMPLE_INTERVAL: Duration = Duration::from_secs(2);
/// How often a running build prints that it is still running.
const PROGRESS_INTERVAL: Duration = Duration::from_secs(60);
/// Lines of a failed command's stderr shown with the error.
const STDERR_TAIL: usize = 40;

#[derive(clap::Args)]
pub struct BenchBuildArgs {
    /// Work directory for the programs and their target directories (relative paths are taken from the workspace
    /// root). Its projects are rewritten and their target directories removed at the start of each build.
    #[arg(long, default_value = "target/bench-build")]
    dir: PathBuf,
    /// Parallel jobs for every build (default: all cores).
    #[arg(long, short = 'j')]
    jobs: Option<usize>,
    /// Run only the added build.
    #[arg(long, conflicts_with = "skip_added")]
    skip_standalone: bool,
    /// Run only the standalone clean release builds.
    #[arg(long)]
    skip_added: bool,
    /// In the added build, also add this crate with its `definitions` feature (a third copy of the program).
    #[arg(long, conflicts_with = "skip_added")]
    definitions: bool,
    /// Measure the added build of a crate with every operation of this Smithy model instead of `generated/`
    /// (implies `--skip-standalone`).
    #[arg(long, conflicts_with_all = ["skip_added", "definitions"])]
    model: Option<PathBuf>,
    /// Replace the dependency line of this crate in the added build (`{path}` is the crate's directory).
    #[arg(long, hide = true)]
    added_dependency: Option<String>,
    /// Replace the client expression of this crate's call in the added build (`conf` is the program's `SdkConfig`).
    #[arg(long, hide = true)]
    added_client: Option<String>,
}

/// One side of a comparison: what is added to a program.
struct Side {
    label: &'static str,
    /// The copy's directory name.
    dir: &'static str,
    dependency: String,
    client: String,
    /// The package whose own compile time is reported.
    package: &'static str,
}

pub fn run(a: BenchBuildArgs, root: &Path) -> Result<ExitCode, Error> {
    let jobs = a.jobs.unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)).max(1);
    let dir = if a.dir.is_absolute() { a.dir.clone() } else { root.join(&a.dir) };
    std::fs::create_dir_all(&dir).map_err(|e| Error::new(format!("cannot create {}: {e}", dir.display())))?;
    let model_crate = dir.join("model-crate");
    let crate_dir = match &a.model {
        Some(model) => {
            let model = if model.is_absolute() { model.clone() } else { root.join(model) };
            generate_model_crate(&model, &model_crate, &root.join("models/partitions.json"))?;
            model_crate.clone()
        }
        None => root.join("generated"),
    };
    let crate_dir = crate_dir
        .canonicalize()
        .map_err(|e| Error::new(format!("cannot find the generated crate at {}: {e}", crate_dir.display())))?;
    let crate_path = toml_escape(&crate_dir.to_string_lossy());

    let rustc = Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
        .arg("-V")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "rustc (version unknown)".into());
    println!("bench-build: {rustc}, -j {jobs}, work directory {}", dir.display());

    let mut report = String::new();
    if !a.skip_added {
        let ours = Side {
            label: "this crate",
            dir: "ours",
            dependency: a
                .added_dependency
                .as_deref()
                .unwrap_or(CRATE_DEPENDENCY_AWS_CONFIG)
                .replace("{path}", &crate_path),
            client: a.added_client.clone().unwrap_or_else(|| CRATE_CLIENT_FROM_SDK_CONFIG.into()),
            package: CRATE_PACKAGE,
        };
        let sdk = Side {
            label: SDK_PACKAGE,
            dir: "sdk",
            dependency: SDK_DEPENDENCY.into(),
            client: SDK_CLIENT.into(),
            package: SDK_PACKAGE,
        };
        let definitions = a.definitions.then(|| Side {
            label: "this crate with `definitions`",
            dir: "ours-definitions",
            dependency: CRATE_DEPENDENCY_DEFINITIONS.replace("{path}", &crate_path),
            client: CRATE_CLIENT_FROM_SDK_CONFIG.into(),
            package: CRATE_PACKAGE,
        });
        report.push_str(&added_build(&dir.join("added"), jobs, &ours, &sdk, definitions.as_ref())?);
    }
    if !a.skip_standalone && a.model.is_none() {
        let ours = Side {
            label: "this crate",
            dir: "ours",
            dependency: CRATE_DEPENDENCY_STANDALONE.replace("{path}", &crate_path),
            client: CRATE_CLIENT_STANDALONE.into(),
            package: CRATE_PACKAGE,
        };
        let sdk = Side {
            label: SDK_PACKAGE,
            dir: "sdk",
            dependency: SDK_DEPENDENCY.into(),
            client: SDK_CLIENT.into(),
            package: SDK_PACKAGE,
        };
        if !report.is_empty() {
            report.push('\n');
        }
        report.push_str(&standalone(&dir.join("standalone"), jobs, &ours, &sdk)?);
    }
    if a.model.is_some() {
        remove_dir(&model_crate)?;
    }
    println!("\n{report}");
    let saved = dir.join("report.md");
    match std::fs::write(&saved, &report) {
        Ok(()) => println!("(also written to {})", saved.display()),
        Err(e) => eprintln!("warning: cannot write {}: {e}", saved.display()),
    }
    Ok(ExitCode::SUCCESS)
}

/// The crate with every operation of `model`, written into `dir` (replacing what was there).
fn generate_model_crate(model: &Path, dir: &Path, partitions: &Path) -> Result<(), Error> {
    println!("generating every operation of {} into {}", model.display(), dir.display());
    let started = Instant::now();
    let (protocol, operations, shapes, generated) =
        crate::scale::generate_every_operation(model, CRATE_PACKAGE, partitions)
            .map_err(|(_, e)| Error::new(format!("cannot generate every operation of {}: {e}", model.display())))?;
    remove_dir(dir)?;
    codegen::write::write(dir, &generated.files)?;
    let lines: usize = generated.files.iter().filter(|(p, _)| p.ends_with(".rs")).map(|(_, t)| t.lines().count()).sum();
    println!(
        "{protocol}: {operations} operations, {shapes} shapes, {lines} lines of Rust, generated in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Part 1: the host program built once, then each side added to a copy of it (`definitions`, when given, third).
fn added_build(dir: &Path, jobs: usize, ours: &Side, sdk: &Side, definitions: Option<&Side>) -> Result<String, Error> {
    println!("\n== Added build (debug profile)");
    let host_deps = [AWS_CONFIG_DEPENDENCY, S3_DEPENDENCY, TOKIO_DEPENDENCY];
    let base_dir = dir.join("base");
    new_project(&base_dir, &host_deps, &program(true, &[S3_CALL.to_string()]))?;
    fetch(&base_dir)?;
    let base = cargo_build("host program, clean debug build", &base_dir, jobs, Profile::Debug, false)?;
    let base_packages = packages(&base.units, HOST);
    println!(
        "host program (aws-config, aws-sdk-s3, tokio; one S3 call): {} from clean, {} crates, target/ {}",
        secs(base.secs),
        base_packages.len(),
        size(base.final_bytes)
    );

    let mut results = Vec::new();
    for side in [ours, sdk].into_iter().chain(definitions) {
        let copy = dir.join(side.dir);
        println!("\n-- {} added", side.label);
        println!("copying the built host program to {}", copy.display());
        remove_dir(&copy)?;
        copy_tree(&base_dir, &copy)?;
        let control = cargo_build("control: the copy, unchanged", &copy, jobs, Profile::Debug, false)?;
        let control_rebuilt = compare(&base.units, &control.units, HOST);
        if control_rebuilt.recompiled.is_empty() && control_rebuilt.new.is_empty() {
            println!("control: the copy, built unchanged, rebuilt nothing ({})", secs(control.secs));
        } else {
            println!(
                "warning: the copy, built unchanged, rebuilt {} (the copy itself costs a rebuild; the figures below \
                 start after it)",
                control_rebuilt.recompiled.iter().chain(&control_rebuilt.new).cloned().collect::<Vec<_>>().join(", ")
            );
        }
        write_project(
            &copy,
            &[AWS_CONFIG_DEPENDENCY, S3_DEPENDENCY, TOKIO_DEPENDENCY, &side.dependency],
            &program(true, &[S3_CALL.to_string(), format!("{}{CALL}", side.client)]),
        )?;
        println!("dependency: {}", side.dependency);
        println!("call: {}{CALL}", side.client);
        fetch(&copy)?;
        let added = cargo_build(&format!("{} added", side.label), &copy, jobs, Profile::Debug, true)?;
        let diff = compare(&base.units, &added.units, HOST);
        let own = own_compile_secs(&copy.join("target"), side.package);
        let version = package_version(&added.units, side.package);
        println!("added build: {}", secs(added.secs));
        println!("own compile time of {}: {}", side.package, own.map(secs).unwrap_or_else(|| "n/a".into()));
        print_list("recompiled (the program had built them)", &diff.recompiled);
        print_list("new to the program", &diff.new);
        results.push((added, diff, own, version));
    }
    let [(a_ours, d_ours, own_ours, _), (a_sdk, d_sdk, own_sdk, v_sdk), with_definitions @ ..] = &results[..] else {
        unreachable!("two sides or three")
    };
    print_comparison("added build", (ours.label, a_ours.secs), (sdk.label, a_sdk.secs));
    if let (Some(side), [(a_defs, ..)]) = (definitions, with_definitions) {
        print_comparison("added build", (side.label, a_defs.secs), (sdk.label, a_sdk.secs));
    }

    let mut t = String::new();
    let _ = writeln!(
        t,
        "Added build: a debug-built program with `aws-config`, `aws-sdk-s3` and `tokio` and one S3 call ({} from clean, \
         {} crates) gets one crate and one `DescribePipelineExecution` call added (`-j {jobs}`).",
        secs(base.secs),
        base_packages.len()
    );
    if !d_ours.new_variants.is_empty() || !d_sdk.new_variants.is_empty() {
        t.push_str(
            "A recompiled crate marked \"new variant\" was built again under a new hash, beside the program's own \
             build of it: with the features it gained (+) and lost (-), or for its dependencies' new variants.\n",
        );
    }
    t.push('\n');
    let _ = writeln!(
        t,
        "| | this crate (`default-features = false`) | `{SDK_PACKAGE}` {} | ratio |",
        v_sdk.as_deref().unwrap_or("1.x")
    );
    t.push_str("| --- | --- | --- | --- |\n");
    let _ = writeln!(
        t,
        "| added build time | {} | {} | {} |",
        secs(a_ours.secs),
        secs(a_sdk.secs),
        ratio(a_sdk.secs, a_ours.secs)
    );
    let own_ratio = match (own_ours, own_sdk) {
        (Some(o), Some(s)) => ratio(*s, *o),
        _ => String::new(),
    };
    let _ = writeln!(
        t,
        "| the crate's own compile time | {} | {} | {own_ratio} |",
        own_ours.map(secs).unwrap_or_else(|| "n/a".into()),
        own_sdk.map(secs).unwrap_or_else(|| "n/a".into())
    );
    let _ = writeln!(
        t,
        "| program's crates recompiled | {} | {} | |",
        list_cell(&d_ours.recompiled),
        list_cell(&d_sdk.recompiled)
    );
    let _ = writeln!(t, "| crates new to the program | {} | {} | |", list_cell(&d_ours.new), list_cell(&d_sdk.new));
    if let [(a_defs, d_defs, own_defs, _)] = with_definitions {
        let own_ratio = match (own_defs, own_sdk) {
            (Some(o), Some(s)) => ratio(*s, *o),
            _ => String::new(),
        };
        let _ = writeln!(
            t,
            "| with `features = [\"definitions\"]`: added build time | {} | {} | {} |",
            secs(a_defs.secs),
            secs(a_sdk.secs),
            ratio(a_sdk.secs, a_defs.secs)
        );
        let _ = writeln!(
            t,
            "| with `definitions`: the crate's own compile time | {} | {} | {own_ratio} |",
            own_defs.map(secs).unwrap_or_else(|| "n/a".into()),
            own_sdk.map(secs).unwrap_or_else(|| "n/a".into())
        );
        let _ = writeln!(
            t,
            "| with `definitions`: recompiled / new to the program | {} / {} | | |",
            list_cell(&d_defs.recompiled),
            list_cell(&d_defs.new)
        );
    }
    let _ = writeln!(
        t,
        "| `target/` after (before: {}) | {} | {} | |",
        size(base.final_bytes),
        size(a_ours.final_bytes),
        size(a_sdk.final_bytes)
    );
    Ok(t)
}

/// Part 2: each side as a one-call program of its own, clean release builds.
fn standalone(dir: &Path, jobs: usize, ours: &Side, sdk: &Side) -> Result<String, Error> {
    println!("\n== Standalone clean release builds");
    let mut results = Vec::new();
    for side in [ours, sdk] {
        let project = dir.join(side.dir);
        let uses_aws_config = side.client.contains("&conf");
        let mut deps = vec![side.dependency.as_str(), TOKIO_DEPENDENCY];
        if uses_aws_config {
            deps.insert(0, AWS_CONFIG_DEPENDENCY);
        }
        new_project(&project, &deps, &program(uses_aws_config, &[format!("{}{CALL}", side.client)]))?;
        println!("\n-- {}: {}", side.label, deps.join("; "));
        fetch(&project)?;
        let build = cargo_build(&format!("{} standalone", side.label), &project, jobs, Profile::Release, false)?;
        let binary = project.join("target").join("release").join(format!("{HOST}{}", std::env::consts::EXE_SUFFIX));
        let binary_bytes = std::fs::metadata(&binary)
            .map_err(|e| Error::new(format!("cannot read the built binary {}: {e}", binary.display())))?
            .len();
        let crates = packages(&build.units, HOST).len();
        println!(
            "clean release build: {}, peak target/ {}, binary {}, {crates} crates",
            secs(build.secs),
            size(build.peak_bytes),
            size(binary_bytes)
        );
        let version = package_version(&build.units, side.package);
        results.push((build, binary_bytes, crates, version));
    }
    let [(b_ours, bin_ours, n_ours, _), (b_sdk, bin_sdk, n_sdk, v_sdk)] = &results[..] else {
        unreachable!("two sides")
    };
    print_comparison("clean release build", (ours.label, b_ours.secs), (sdk.label, b_sdk.secs));
    let mut t = String::new();
    let _ = writeln!(
        t,
        "Clean release build of a program that makes one `DescribePipelineExecution` call (`-j {jobs}`, dependencies \
         already downloaded; peak `target/` size sampled every {} s):",
        SIZE_SAMPLE_INTERVAL.as_secs()
    );
    t.push('\n');
    let _ =
        writeln!(t, "| | this crate | `{SDK_PACKAGE}` {} + `aws-config` | ratio |", v_sdk.as_deref().unwrap_or("1.x"));
    t.push_str("| --- | --- | --- | --- |\n");
    let _ = writeln!(
        t,
        "| build time | {} | {} | {} |",
        secs(b_ours.secs),
        secs(b_sdk.secs),
        ratio(b_sdk.secs, b_ours.secs)
    );
    let _ = writeln!(
        t,
        "| peak `target/` size | {} | {} | {} |",
        size(b_ours.peak_bytes),
        size(b_sdk.peak_bytes),
        ratio(b_sdk.peak_bytes as f64, b_ours.peak_bytes as f64)
    );
    let _ = writeln!(
        t,
        "| binary size | {} | {} | {} |",
        size(*bin_ours),
        size(*bin_sdk),
        ratio(*bin_sdk as f64, *bin_ours as f64)
    );
    let _ = writeln!(t, "| crates compiled | {n_ours} | {n_sdk} | {} |", ratio(*n_sdk as f64, *n_ours as f64));
    Ok(t)
}

/// The source of a one-call program: `conf` is loaded with aws-config when `load_config`; each call's result is
/// printed (`is_ok`) so that nothing is optimized away.
fn program(load_config: bool, calls: &[String]) -> String {
    let mut s = String::from("// Written by `cargo xtask bench-build`.\n#[tokio::main]\nasync fn main() {\n");
    if load_config {
        s.push_str("    let conf = aws_config::load_from_env().await;\n");
    }
    for (i, call) in calls.iter().enumerate() {
        let _ = writeln!(s, "    let r{i} = {call};");
        let _ = writeln!(s, "    println!(\"{{}}\", r{i}.is_ok());");
    }
    s.push_str("}\n");
    s
}

fn manifest(dependencies: &[&str]) -> String {
    let mut m = format!(
        "# Written by `cargo xtask bench-build`.\n[package]\nname = \"{HOST}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\
         publish = false\n\n[dependencies]\n{}\n\n# A workspace of its own, outside the repository's.\n[workspace]\n",
        dependencies.join("\n")
    );
    // Cargo compiles a path dependency incrementally in the debug profile, a registry one (as users get this crate,
    // and as aws-sdk-sagemaker comes) not: the incremental cache would cost the crate a quarter more CPU time that no
    // user pays. Each path dependency is compiled as a registry one is.
    for d in dependencies.iter().filter(|d| d.contains(" path = ")) {
        let package = d.split_once(" =").map_or(*d, |(name, _)| name).trim();
        m.push_str(&format!(
            "\n# A path dependency, compiled as from a registry.\n[profile.dev.package.{package}]\nincremental = false\n"
        ));
    }
    m
}

/// Writes the program's manifest and `src/main.rs` into `dir`, keeping anything else there (lock file, target).
fn write_project(dir: &Path, dependencies: &[&str], main: &str) -> Result<(), Error> {
    let io = |e: std::io::Error| Error::new(format!("cannot write the program in {}: {e}", dir.display()));
    std::fs::create_dir_all(dir.join("src")).map_err(io)?;
    std::fs::write(dir.join("Cargo.toml"), manifest(dependencies)).map_err(io)?;
    std::fs::write(dir.join("src").join("main.rs"), main).map_err(io)
}

/// A program written from scratch: no lock file (dependencies resolved anew) and no target directory.
fn new_project(dir: &Path, dependencies: &[&str], main: &str) -> Result<(), Error> {
    remove_dir(dir)?;
    write_project(dir, dependencies, main)
}

/// The variables `cargo run` sets for xtask itself, which a plain shell does not have. Left in, they would reach the
/// measured builds: build scripts declare some of them with `rerun-if-env-changed` (ring's does, for
/// `CARGO_MANIFEST_DIR` and `CARGO_PKG_*`), so a program built here would rebuild when built again by hand.
const XTASK_RUN_VARIABLES: &[&str] = &[
    "CARGO_MANIFEST_DIR",
    "CARGO_MANIFEST_PATH",
    "CARGO_CRATE_NAME",
    "CARGO_BIN_NAME",
    "CARGO_PRIMARY_PACKAGE",
    "CARGO_TARGET_TMPDIR",
    "OUT_DIR",
];

fn cargo_cmd(project: &Path) -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    // The builds measured use the target directory of their own project, never the one xtask was built in.
    cmd.current_dir(project).env_remove("CARGO_TARGET_DIR").env_remove("CARGO_BUILD_TARGET_DIR");
    for (name, _) in std::env::vars_os() {
        let name_str = name.to_string_lossy();
        if name_str.starts_with("CARGO_PKG_") || XTASK_RUN_VARIABLES.contains(&name_str.as_ref()) {
            cmd.env_remove(&name);
        }
    }
    cmd
}

fn command_line(cmd: &Command) -> String {
    let quote = |s: &std::ffi::OsStr| {
        let s = s.to_string_lossy();
        if s.contains(' ') {
            format!("'{s}'")
        } else {
            s.into_owned()
        }
    };
    let mut parts = vec![quote(cmd.get_program())];
    parts.extend(cmd.get_args().map(quote));
    let cwd = cmd.get_current_dir().map(|d| format!("cd {} && ", quote(d.as_os_str()))).unwrap_or_default();
    format!("{cwd}{}", parts.join(" "))
}

fn failure(label: &str, cmd: &Command, status: impl std::fmt::Display, stderr: &str) -> Error {
    let lines: Vec<&str> = stderr.lines().collect();
    let tail = lines[lines.len().saturating_sub(STDERR_TAIL)..].join("\n    ");
    Error::new(format!(
        "{label} failed ({status})\n  command: {}\n  last lines of its stderr:\n    {tail}",
        command_line(cmd)
    ))
}

/// Resolves and downloads the program's dependencies (kept out of the timed build). An existing lock file is kept:
/// only new dependencies are resolved.
fn fetch(project: &Path) -> Result<(), Error> {
    let mut cmd = cargo_cmd(project);
    cmd.args(["fetch", "--manifest-path"]).arg(project.join("Cargo.toml"));
    if let Some(host) = host_triple() {
        cmd.args(["--target", &host]);
    }
    let out = cmd.output().map_err(|e| Error::new(format!("cannot start `{}`: {e}", command_line(&cmd))))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(failure("fetching the dependencies", &cmd, out.status, &String::from_utf8_lossy(&out.stderr)))
    }
}

fn host_triple() -> Option<String> {
    let out = Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into())).arg("-vV").output().ok()?;
    String::from_utf8_lossy(&out.stdout).lines().find_map(|l| l.strip_prefix("host: ").map(str::to_string))
}

#[derive(Clone, Copy, PartialEq)]
enum Profile {
    Debug,
    Release,
}

/// One build's figures.
struct Build {
    secs: f64,
    units: Vec<Unit>,
    peak_bytes: u64,
    final_bytes: u64,
}

/// `cargo build` of the program in `project` into `project/target`, timed (wall clock of the cargo process), its
/// JSON messages read, its target directory's size sampled while it runs.
fn cargo_build(label: &str, project: &Path, jobs: usize, profile: Profile, timings: bool) -> Result<Build, Error> {
    let target = project.join("target");
    let mut cmd = cargo_cmd(project);
    cmd.args(["build", "--message-format=json-render-diagnostics", "-j", &jobs.to_string()]);
    if profile == Profile::Release {
        cmd.arg("--release");
    }
    if timings {
        cmd.arg("--timings");
        remove_dir(&target.join("cargo-timings"))?;
    }
    cmd.arg("--manifest-path").arg(project.join("Cargo.toml")).arg("--target-dir").arg(&target);
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    println!("building: {label} …");
    let start = Instant::now();
    let mut child = cmd.spawn().map_err(|e| Error::new(format!("cannot start `{}`: {e}", command_line(&cmd))))?;
    let stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let stop = AtomicBool::new(false);
    let (status, secs, units, peak, stderr) = std::thread::scope(|s| {
        let errors = s.spawn(move || {
            let mut buf = Vec::new();
            let _ = stderr.read_to_end(&mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        });
        let sampler = s.spawn(|| {
            let mut peak = 0;
            let mut next_note = start + PROGRESS_INTERVAL;
            loop {
                let now = dir_size(&target);
                peak = peak.max(now);
                if Instant::now() >= next_note {
                    println!("  … {}, target/ {}", self::secs(start.elapsed().as_secs_f64()), size(now));
                    next_note += PROGRESS_INTERVAL;
                }
                let until = Instant::now() + SIZE_SAMPLE_INTERVAL;
                while Instant::now() < until {
                    if stop.load(Ordering::Relaxed) {
                        return peak;
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
            }
        });
        let units: Vec<Unit> =
            BufReader::new(stdout).lines().map_while(Result::ok).filter_map(|l| parse_unit(&l)).collect();
        let status = child.wait();
        let secs = start.elapsed().as_secs_f64();
        stop.store(true, Ordering::Relaxed);
        (status, secs, units, sampler.join().unwrap_or(0), errors.join().unwrap_or_default())
    });
    let status = status.map_err(|e| Error::new(format!("`{}`: {e}", command_line(&cmd))))?;
    if !status.success() {
        return Err(failure(label, &cmd, status, &stderr));
    }
    let final_bytes = dir_size(&target);
    println!("built: {label}: {}", self::secs(secs));
    Ok(Build { secs, units, peak_bytes: peak.max(final_bytes), final_bytes })
}

/// A unit cargo compiled or found fresh (`compiler-artifact`), named by package and target.
#[derive(Debug, Clone, PartialEq)]
struct Unit {
    name: String,
    version: String,
    /// The target's kinds, joined: `lib`, `bin`, `proc-macro`, `custom-build`, …
    kind: String,
    target: String,
    fresh: bool,
    /// The artifacts' file names (without directories, which differ from one copy of the program to another); a
    /// different hash in the name means a different build of the unit (other features or dependencies).
    files: Vec<String>,
    /// The package's features enabled for this unit.
    features: Vec<String>,
}

impl Unit {
    fn key(&self) -> (&str, &str, &str, &str) {
        (&self.name, &self.version, &self.kind, &self.target)
    }
}

/// The unit of one line of `cargo build --message-format=json…` output, if it is a `compiler-artifact` message.
fn parse_unit(line: &str) -> Option<Unit> {
    let v: Value = serde_json::from_str(line).ok()?;
    if v.get("reason")?.as_str()? != "compiler-artifact" {
        return None;
    }
    let (name, version) = package_name_version(v.get("package_id")?.as_str()?)?;
    let target = v.get("target")?;
    let kind = target.get("kind")?.as_array()?.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(",");
    let files = v
        .get("filenames")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(|f| Path::new(f).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| f.into()))
                .collect()
        })
        .unwrap_or_default();
    Some(Unit {
        name,
        version,
        kind,
        target: target.get("name")?.as_str()?.to_string(),
        fresh: v.get("fresh")?.as_bool()?,
        files,
        features: v
            .get("features")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
            .unwrap_or_default(),
    })
}

/// Name and version from a cargo package id: `registry+https://…#tokio@1.54.1`, `path+file:///…/dir#0.1.0` (the
/// name is the directory's when left out), or the older `tokio 1.54.1 (registry+https://…)`.
fn package_name_version(id: &str) -> Option<(String, String)> {
    if let Some((spec, _source)) = id.split_once(" (") {
        let (name, version) = spec.split_once(' ')?;
        return Some((name.into(), version.into()));
    }
    let (url, fragment) = id.rsplit_once('#')?;
    match fragment.rsplit_once('@') {
        Some((name, version)) => Some((name.into(), version.into())),
        None => {
            let path = url.split(['?', '#']).next()?;
            let name = path.trim_end_matches('/').rsplit('/').next()?;
            Some((name.into(), fragment.into()))
        }
    }
}

/// The packages built (fresh or not), the host left out.
fn packages(units: &[Unit], host: &str) -> BTreeSet<(String, String)> {
    units.iter().filter(|u| u.name != host).map(|u| (u.name.clone(), u.version.clone())).collect()
}

fn package_version(units: &[Unit], name: &str) -> Option<String> {
    units.iter().find(|u| u.name == name).map(|u| u.version.clone())
}

/// What a build on top of a base build compiled, by package (`name version`), the host left out.
#[derive(Debug, Default, PartialEq)]
struct Diff {
    /// Packages the base build had built and this build compiled again. One whose unit got a new hash (instead of
    /// being rebuilt in place) is marked "new variant", with the features it gained and lost, or "dependencies" when
    /// its features are the same and only what it depends on changed.
    recompiled: Vec<String>,
    /// Packages the base build did not have.
    new: Vec<String>,
    /// The recompiled packages that got a new variant.
    new_variants: Vec<String>,
}

/// How a package the base build had was compiled again.
#[derive(Default)]
struct Rebuild {
    variant: bool,
    gained: BTreeSet<String>,
    lost: BTreeSet<String>,
}

fn compare(base: &[Unit], after: &[Unit], host: &str) -> Diff {
    type Key<'a> = (&'a str, &'a str, &'a str, &'a str);
    let mut base_files: BTreeMap<Key, HashSet<&str>> = BTreeMap::new();
    let mut base_features: BTreeMap<Key, BTreeSet<&str>> = BTreeMap::new();
    for u in base {
        base_files.entry(u.key()).or_default().extend(u.files.iter().map(String::as_str));
        base_features.entry(u.key()).or_default().extend(u.features.iter().map(String::as_str));
    }
    let base_packages = packages(base, host);
    let mut recompiled: BTreeMap<(String, String), Rebuild> = BTreeMap::new();
    let mut new = BTreeSet::new();
    for u in after.iter().filter(|u| !u.fresh && u.name != host) {
        let package = (u.name.clone(), u.version.clone());
        if !base_packages.contains(&package) {
            new.insert(package);
            continue;
        }
        let rebuild = recompiled.entry(package).or_default();
        let same_build =
            base_files.get(&u.key()).is_some_and(|files| u.files.iter().any(|f| files.contains(f.as_str())));
        if !same_build {
            rebuild.variant = true;
            let before = base_features.get(&u.key()).cloned().unwrap_or_default();
            let now: BTreeSet<&str> = u.features.iter().map(String::as_str).collect();
            rebuild.gained.extend(now.difference(&before).map(|f| f.to_string()));
            rebuild.lost.extend(before.difference(&now).map(|f| f.to_string()));
        }
    }
    let mut diff = Diff::default();
    for ((name, version), r) in recompiled {
        let package = format!("{name} {version}");
        if !r.variant {
            diff.recompiled.push(package);
            continue;
        }
        let changes: Vec<String> =
            r.gained.iter().map(|f| format!("+{f}")).chain(r.lost.iter().map(|f| format!("-{f}"))).collect();
        let why =
            if changes.is_empty() { "dependencies".to_string() } else { format!("features {}", changes.join(" ")) };
        diff.recompiled.push(format!("{package} (new variant: {why})"));
        diff.new_variants.push(package);
    }
    diff.new = new.into_iter().map(|(name, version)| format!("{name} {version}")).collect();
    diff
}

/// The compile time of a package's library in the last `--timings` build of `target`.
fn own_compile_secs(target: &Path, package: &str) -> Option<f64> {
    let html = std::fs::read_to_string(target.join("cargo-timings").join("cargo-timing.html")).ok()?;
    library_duration(&html, package)
}

/// Reads the unit table cargo's `--timings` report embeds (`const UNIT_DATA = [...]`): the duration of the
/// package's library unit (the longest, should it appear twice).
fn library_duration(html: &str, package: &str) -> Option<f64> {
    let start = html.find("const UNIT_DATA = ")? + "const UNIT_DATA = ".len();
    let units: Value = serde_json::Deserializer::from_str(&html[start..]).into_iter::<Value>().next()?.ok()?;
    units
        .as_array()?
        .iter()
        .filter(|u| {
            u.get("name").and_then(Value::as_str) == Some(package)
                && u.get("target").and_then(Value::as_str).is_some_and(|t| t.trim().is_empty())
                && u.get("mode").and_then(Value::as_str) != Some("run-custom-build")
        })
        .filter_map(|u| u.get("duration").and_then(Value::as_f64))
        .reduce(f64::max)
}

fn print_list(title: &str, items: &[String]) {
    if items.is_empty() {
        println!("{title}: none");
    } else {
        println!("{title} ({}): {}", items.len(), items.join(", "));
    }
}

/// A table cell for a list of packages: the count, with the names when there are few.
fn list_cell(items: &[String]) -> String {
    match items.len() {
        0 => "none".into(),
        n if n <= 8 => format!("{n}: {}", items.join(", ")),
        n => format!("{n} (listed in the output above)"),
    }
}

/// The closing line of a side-by-side part: both times and how many times faster this crate's side was.
fn print_comparison(what: &str, (ours, ours_secs): (&str, f64), (sdk, sdk_secs): (&str, f64)) {
    println!("\n{what}: {ours} {} vs {sdk} {}: {}", secs(ours_secs), secs(sdk_secs), ratio(sdk_secs, ours_secs));
}

fn secs(s: f64) -> String {
    if s >= 10.0 {
        format!("{s:.0} s")
    } else {
        format!("{s:.1} s")
    }
}

fn size(bytes: u64) -> String {
    let mb = bytes as f64 / 1e6;
    if mb >= 1000.0 {
        format!("{:.2} GB", mb / 1000.0)
    } else if mb >= 100.0 {
        format!("{mb:.0} MB")
    } else {
        format!("{mb:.1} MB")
    }
}

fn ratio(a: f64, b: f64) -> String {
    if b > 0.0 {
        format!("{:.1}×", a / b)
    } else {
        "n/a".into()
    }
}

/// A string for a TOML basic string (`"…"`).
fn toml_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

fn remove_dir(dir: &Path) -> Result<(), Error> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::new(format!("cannot remove {}: {e}", dir.display()))),
    }
}

/// Copies a directory tree keeping modification times (cargo's freshness checks compare them).
fn copy_tree(from: &Path, to: &Path) -> Result<(), Error> {
    let io = |p: &Path, e: std::io::Error| Error::new(format!("cannot copy {}: {e}", p.display()));
    std::fs::create_dir_all(to).map_err(|e| io(to, e))?;
    for entry in std::fs::read_dir(from).map_err(|e| io(from, e))? {
        let entry = entry.map_err(|e| io(from, e))?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        let meta = std::fs::symlink_metadata(&src).map_err(|e| io(&src, e))?;
        if meta.is_dir() {
            copy_tree(&src, &dst)?;
        } else if meta.is_symlink() {
            let link = std::fs::read_link(&src).map_err(|e| io(&src, e))?;
            #[cfg(unix)]
            std::os::unix::fs::symlink(&link, &dst).map_err(|e| io(&src, e))?;
            #[cfg(not(unix))]
            {
                let _ = link;
                std::fs::copy(&src, &dst).map_err(|e| io(&src, e))?;
            }
        } else {
            std::fs::copy(&src, &dst).map_err(|e| io(&src, e))?;
            let times = std::fs::FileTimes::new()
                .set_modified(meta.modified().map_err(|e| io(&src, e))?)
                .set_accessed(meta.accessed().map_err(|e| io(&src, e))?);
            std::fs::File::options()
                .write(true)
                .open(&dst)
                .and_then(|f| f.set_times(times))
                .map_err(|e| io(&dst, e))?;
        }
    }
    Ok(())
}

/// The bytes of the files under `dir` (a hard-linked file counted once; files that vanish while it runs skipped).
fn dir_size(dir: &Path) -> u64 {
    fn walk(dir: &Path, seen: &mut HashSet<(u64, u64)>) -> u64 {
        let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
        let mut total = 0;
        for entry in entries.flatten() {
            let Ok(meta) = entry.path().symlink_metadata() else { continue };
            if meta.is_dir() {
                total += walk(&entry.path(), seen);
            } else if meta.is_file() {
                #[cfg(unix)]
                {
                    use std::os::unix::fs::MetadataExt;
                    if meta.nlink() > 1 && !seen.insert((meta.dev(), meta.ino())) {
                        continue;
                    }
                }
                total += meta.len();
            }
        }
        total
    }
    walk(dir, &mut HashSet::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn artifact(package_id: &str, kind: &str, target: &str, file: &str, fresh: bool) -> String {
        artifact_with(package_id, kind, target, file, fresh, &[])
    }

    fn artifact_with(package_id: &str, kind: &str, target: &str, file: &str, fresh: bool, features: &[&str]) -> String {
        serde_json::json!({
            "reason": "compiler-artifact",
            "package_id": package_id,
            "manifest_path": "/x/Cargo.toml",
            "target": {"kind": [kind], "crate_types": [kind], "name": target, "src_path": "/x/src/lib.rs"},
            "profile": {"opt_level": "0"},
            "features": features,
            "filenames": [format!("/some/target/debug/deps/{file}")],
            "executable": null,
            "fresh": fresh,
        })
        .to_string()
    }

    const REGISTRY: &str = "registry+https://github.com/rust-lang/crates.io-index";

    fn units(lines: &[String]) -> Vec<Unit> {
        lines.iter().filter_map(|l| parse_unit(l)).collect()
    }

    #[test]
    fn package_ids_in_every_form_give_name_and_version() {
        let id = format!("{REGISTRY}#tokio@1.54.1");
        assert_eq!(package_name_version(&id), Some(("tokio".into(), "1.54.1".into())));
        assert_eq!(
            package_name_version("path+file:///work/target/bench-build/added/ours#bench-host@0.1.0"),
            Some(("bench-host".into(), "0.1.0".into()))
        );
        // The name is left out when it is the directory's.
        assert_eq!(
            package_name_version("path+file:///work/generated/sagemaker-pipelines#0.1.1"),
            Some(("sagemaker-pipelines".into(), "0.1.1".into()))
        );
        assert_eq!(
            package_name_version("git+https://github.com/o/r?branch=main#e3b0c442"),
            Some(("r".into(), "e3b0c442".into()))
        );
        assert_eq!(
            package_name_version(&format!("tokio 1.54.1 ({REGISTRY})")),
            Some(("tokio".into(), "1.54.1".into()))
        );
    }

    #[test]
    fn only_compiler_artifacts_are_units() {
        let line = artifact(
            &format!("{REGISTRY}#ring@0.17.14"),
            "custom-build",
            "build-script-build",
            "build-script-build-ab12",
            false,
        );
        assert_eq!(
            parse_unit(&line),
            Some(Unit {
                name: "ring".into(),
                version: "0.17.14".into(),
                kind: "custom-build".into(),
                target: "build-script-build".into(),
                fresh: false,
                files: vec!["build-script-build-ab12".into()],
                features: vec![],
            })
        );
        assert_eq!(parse_unit(r#"{"reason":"build-script-executed","package_id":"x"}"#), None);
        assert_eq!(parse_unit(r#"{"reason":"build-finished","success":true}"#), None);
        assert_eq!(parse_unit("   Compiling tokio v1.54.1"), None);
    }

    #[test]
    fn an_added_build_splits_into_recompiled_and_new_crates_without_the_host() {
        let base = units(&[
            artifact(&format!("{REGISTRY}#tokio@1.54.1"), "lib", "tokio", "libtokio-aaaa.rlib", false),
            artifact_with(&format!("{REGISTRY}#hyper@1.7.0"), "lib", "hyper", "libhyper-bbbb.rlib", false, &["client"]),
            artifact(&format!("{REGISTRY}#aws-runtime@1.10.2"), "lib", "aws_runtime", "libaws_runtime-1.rlib", false),
            artifact(
                &format!("{REGISTRY}#ring@0.17.14"),
                "custom-build",
                "build-script-build",
                "build-script-build-c",
                false,
            ),
            artifact(&format!("{REGISTRY}#ring@0.17.14"), "lib", "ring", "libring-dddd.rlib", false),
            artifact(&format!("{REGISTRY}#itoa@1.0.15"), "lib", "itoa", "libitoa-eeee.rlib", false),
            artifact("path+file:///w/added/base#bench-host@0.1.0", "bin", "bench-host", "bench-host", false),
        ]);
        let after = units(&[
            artifact(&format!("{REGISTRY}#tokio@1.54.1"), "lib", "tokio", "libtokio-aaaa.rlib", true),
            // Other features: a second build beside the program's own.
            artifact_with(&format!("{REGISTRY}#hyper@1.7.0"), "lib", "hyper", "libhyper-ffff.rlib", false, &["http2"]),
            // Same features, but a dependency is a new variant: a new variant too.
            artifact(&format!("{REGISTRY}#aws-runtime@1.10.2"), "lib", "aws_runtime", "libaws_runtime-2.rlib", false),
            // Rebuilt in place (same hash).
            artifact(
                &format!("{REGISTRY}#ring@0.17.14"),
                "custom-build",
                "build-script-build",
                "build-script-build-c",
                true,
            ),
            artifact(&format!("{REGISTRY}#ring@0.17.14"), "lib", "ring", "libring-dddd.rlib", false),
            // Another version of a crate the program has is new.
            artifact(&format!("{REGISTRY}#itoa@1.0.15"), "lib", "itoa", "libitoa-eeee.rlib", true),
            artifact(&format!("{REGISTRY}#itoa@0.4.8"), "lib", "itoa", "libitoa-9999.rlib", false),
            artifact(
                "path+file:///w/generated/sagemaker-pipelines#0.1.1",
                "lib",
                "sagemaker_pipelines",
                "libs-1.rlib",
                false,
            ),
            // The host rebuilds from another directory: left out either way.
            artifact("path+file:///w/added/ours#bench-host@0.1.0", "bin", "bench-host", "bench-host", false),
        ]);
        assert_eq!(
            compare(&base, &after, HOST),
            Diff {
                recompiled: vec![
                    "aws-runtime 1.10.2 (new variant: dependencies)".into(),
                    "hyper 1.7.0 (new variant: features +http2 -client)".into(),
                    "ring 0.17.14".into()
                ],
                new: vec!["itoa 0.4.8".into(), "sagemaker-pipelines 0.1.1".into()],
                new_variants: vec!["aws-runtime 1.10.2".into(), "hyper 1.7.0".into()],
            }
        );
        // A build of the same program rebuilds nothing but the host.
        let fresh: Vec<Unit> = base.iter().map(|u| Unit { fresh: u.name != HOST, ..u.clone() }).collect();
        assert_eq!(compare(&base, &fresh, HOST), Diff::default());
        assert_eq!(packages(&base, HOST).len(), 5);
    }

    #[test]
    fn the_timings_report_gives_the_library_unit_duration() {
        let html = r#"<script>
const UNIT_DATA = [
  {"i": 0, "name": "ring", "version": "0.17.14", "mode": "run-custom-build", "target": "", "duration": 9.0},
  {"i": 1, "name": "ring", "version": "0.17.14", "mode": "todo", "target": " build-script", "duration": 1.5},
  {"i": 2, "name": "ring", "version": "0.17.14", "mode": "todo", "target": "", "duration": 4.25},
  {"i": 3, "name": "bench-host", "version": "0.1.0", "mode": "todo", "target": " (bin \"bench-host\")", "duration": 2.0}
];
const CONCURRENCY_DATA = [];
</script>"#;
        assert_eq!(library_duration(html, "ring"), Some(4.25));
        assert_eq!(library_duration(html, "tokio"), None);
        assert_eq!(library_duration("no table", "ring"), None);
    }

    #[test]
    fn a_failed_command_shows_itself_and_the_end_of_its_stderr() {
        let mut cmd = Command::new("cargo");
        cmd.current_dir("/w/my project").args(["build", "-j", "2"]);
        let stderr: String = (1..=50).map(|i| format!("line {i}\n")).collect();
        let e = failure("this crate added", &cmd, "exit status: 101", &stderr).to_string();
        assert!(e.contains("this crate added failed (exit status: 101)"), "{e}");
        assert!(e.contains("command: cd '/w/my project' && cargo build -j 2"), "{e}");
        assert!(e.contains("line 11\n") && e.ends_with("line 50"), "{e}");
        assert!(!e.contains("line 10\n"), "{e}");
    }

    #[test]
    fn programs_load_the_config_only_when_asked_and_print_each_result() {
        let p = program(false, &[format!("{CRATE_CLIENT_STANDALONE}{CALL}")]);
        assert!(!p.contains("aws_config"));
        assert!(p.contains("let r0 = sagemaker_pipelines::Client::from_conf("));
        assert!(p.contains("println!(\"{}\", r0.is_ok());"));
        let m = manifest(&[
            AWS_CONFIG_DEPENDENCY,
            &CRATE_DEPENDENCY_AWS_CONFIG.replace("{path}", &toml_escape("C:\\w\\generated")),
        ]);
        assert!(m.contains(r#"path = "C:\\w\\generated", default-features = false"#));
        assert!(m.contains("\n[workspace]\n"));
        // The path dependency compiles as a registry one would, without the incremental cache; the others as they are.
        assert!(m.trim_end().ends_with("[profile.dev.package.sagemaker-pipelines]\nincremental = false"), "{m}");
        assert_eq!(m.matches("[profile.").count(), 1, "{m}");
    }

    #[test]
    fn a_model_crate_has_every_operation_under_this_crate_s_name_and_replaces_what_was_there() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf();
        let dir = std::env::temp_dir().join(format!("bench-build-model-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(dir.join("src/stale.rs"), "// @generated stale\n").unwrap();
        let model = root.join("tests/fixtures/pagination.json");
        generate_model_crate(&model, &dir, &root.join("models/partitions.json")).unwrap();
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        assert!(manifest.contains(&format!("name = \"{CRATE_PACKAGE}\"")), "{manifest}");
        assert!(!dir.join("src/stale.rs").exists());
        let client = std::fs::read_to_string(dir.join("src/client.rs")).unwrap();
        let model_text = std::fs::read_to_string(&model).unwrap();
        let model: Value = serde_json::from_str(&model_text).unwrap();
        let operations: Vec<&str> = model["shapes"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, s)| s["type"] == "operation")
            .map(|(id, _)| id.rsplit('#').next().unwrap())
            .collect();
        assert!(operations.len() > 1);
        for op in operations {
            assert!(client.contains(&format!("crate::operation::{}", codegen_module(op))), "{op} missing");
        }
        let missing = dir.join("absent.json");
        let e = generate_model_crate(&missing, &dir, &root.join("models/partitions.json")).unwrap_err().to_string();
        assert!(e.contains("cannot generate every operation of") && e.contains("absent.json"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// The snake-case module name of an operation (enough for the fixture's names).
    fn codegen_module(op: &str) -> String {
        let mut out = String::new();
        for (i, c) in op.chars().enumerate() {
            if c.is_ascii_uppercase() && i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        }
        out
    }
}
