//! `cargo xtask scale --models DIR`: the scale check over all of AWS (not run in CI).
//!
//! Every service model of an `aws/api-models-aws` checkout whose service shape has `aws.protocols#awsJson1_0` or
//! `aws.protocols#awsJson1_1` is generated with every operation, and the crates are type-checked with warnings
//! denied (`cargo check --no-default-features`, as the scale check of `cargo xtask test`). All of them go first
//! (generation is fast), into one cargo workspace with one target directory so that the dependencies are checked
//! once; then the dependencies are checked with the smallest crate, and each crate on its own (`cargo check -p`),
//! smallest first, timed. A model of another protocol is generated too, only to record the error it gets (one line
//! naming the protocols); it is counted as skipped, not checked.
//!
//! The table (service, protocol, operations, shapes, seconds to generate and to check, result) is printed as each
//! crate finishes and written to `--table`. The crates and their target directory are deleted at the end unless
//! `--keep`.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{ExitCode, Stdio};
use std::sync::Mutex;
use std::time::Instant;

use codegen::{model, resolve, traits, write, Request, Selection};

#[derive(clap::Args)]
pub struct ScaleArgs {
    /// A checkout of `aws/api-models-aws`: its `models/<service>/service/<version>/<service>-<version>.json` files
    /// (or the same under the checkout's root, as in older snapshots) are read.
    #[arg(long)]
    models: PathBuf,
    /// Only these services (their directory names in the checkout), comma-separated.
    #[arg(long, value_delimiter = ',')]
    only: Option<Vec<String>>,
    /// Parallel jobs of each `cargo check`.
    #[arg(long, default_value_t = 2)]
    jobs: u32,
    /// Keep the generated crates and their target directory (by default both are deleted at the end).
    #[arg(long)]
    keep: bool,
    /// Generate only: no type-check.
    #[arg(long)]
    generate_only: bool,
    /// Where the crates and their target directory go.
    #[arg(long, default_value = "target/scale")]
    dir: PathBuf,
    /// What the models are, for the table's header (e.g. `aws/api-models-aws 56c8953 of 2025-04-02`); by default
    /// the commit and date of the checkout when it is a git checkout.
    #[arg(long)]
    source: Option<String>,
    /// Where the table is written (beside being printed).
    #[arg(long, default_value = "target/scale-table.md")]
    table: PathBuf,
}

/// What became of one model.
#[derive(Clone, Debug)]
enum Outcome {
    /// Generated (and, unless generation only, waiting for its check).
    Generated,
    /// Generated and type-checked without warnings.
    Ok,
    /// Another protocol than awsJson: the error the generator gives.
    Skipped(String),
    /// The generator refused an awsJson model: its error.
    Refused(String),
    /// The generator panicked: the panic's message.
    Panicked(String),
    /// `cargo check` failed: its first error.
    CheckFailed(String),
}

struct Row {
    service: String,
    protocol: String,
    crate_name: String,
    operations: usize,
    shapes: usize,
    /// Bytes of Rust the crate has (to order the checks, smallest first).
    size: usize,
    generate_secs: f64,
    check_secs: Option<f64>,
    outcome: Outcome,
}

/// The message of the last panic, caught by the hook installed in [`run`].
static PANIC: Mutex<Option<String>> = Mutex::new(None);

pub fn run(a: ScaleArgs, root: &Path) -> Result<ExitCode, codegen::Error> {
    let base = if a.models.join("models").is_dir() { a.models.join("models") } else { a.models.clone() };
    let mut files = model_files(&base)?;
    if let Some(only) = &a.only {
        let wanted: BTreeSet<&str> = only.iter().map(String::as_str).collect();
        files.retain(|(service, _)| wanted.contains(service.as_str()));
        let found: BTreeSet<&str> = files.iter().map(|(s, _)| s.as_str()).collect();
        if let Some(missing) = wanted.difference(&found).next() {
            return Err(codegen::Error::new(format!("--only: no model of `{missing}` in {}", base.display())));
        }
    }
    if files.is_empty() {
        return Err(codegen::Error::new(format!(
            "no <service>/service/<version>/<service>-<version>.json under {}: is it an aws/api-models-aws checkout?",
            base.display()
        )));
    }
    // Only the checkout's own repository: a directory inside another one (an extracted snapshot under `target/`)
    // is not at that repository's commit.
    let revision = a.models.join(".git").exists().then(|| codegen::import::checkout_revision(&a.models)).flatten();
    let source = match (&a.source, revision) {
        (Some(s), _) => s.clone(),
        (None, Some((commit, date))) => format!("aws/api-models-aws {} of {date}", &commit[..commit.len().min(12)]),
        (None, None) => format!("{} (commit unknown: no git checkout)", a.models.display()),
    };
    println!("==> {} service models in {source}", files.len());

    // Panics become rows, with their message, instead of ending the run.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|info| {
        let message = match info.payload().downcast_ref::<&str>() {
            Some(s) => (*s).to_owned(),
            None => info.payload().downcast_ref::<String>().cloned().unwrap_or_else(|| "(no message)".into()),
        };
        let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        if let Ok(mut last) = PANIC.lock() {
            *last = Some(format!("{message}{at}"));
        }
    }));
    let partitions = root.join("models/partitions.json");
    let mut rows = Vec::new();
    for (service, path) in &files {
        rows.push(generate_one(service, path, &a.dir, &partitions));
    }
    std::panic::set_hook(default_hook);

    let generated: Vec<usize> = {
        let mut g: Vec<usize> = (0..rows.len()).filter(|&i| matches!(rows[i].outcome, Outcome::Generated)).collect();
        g.sort_by_key(|&i| (rows[i].size, rows[i].service.clone()));
        g
    };
    for row in &rows {
        if !matches!(row.outcome, Outcome::Generated | Outcome::Skipped(_)) {
            println!("{}: {}", row.service, result_text(&row.outcome));
        }
    }
    println!(
        "==> generated {} awsJson crates in {:.1} s; {} other models skipped",
        generated.len(),
        rows.iter().filter(|r| matches!(r.outcome, Outcome::Generated)).map(|r| r.generate_secs).sum::<f64>(),
        rows.iter().filter(|r| matches!(r.outcome, Outcome::Skipped(_))).count()
    );

    let mut deps_secs = None;
    if !a.generate_only && !generated.is_empty() {
        let members: Vec<String> = generated.iter().map(|&i| format!("\"{}\"", rows[i].crate_name)).collect();
        let manifest = a.dir.join("Cargo.toml");
        std::fs::write(&manifest, format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", ")))
            .map_err(|e| codegen::Error::new(format!("cannot write: {e}")).in_file(&manifest))?;
        let target = a.dir.join("target");
        // The dependencies: the smallest crate checked, then again after a touch; the difference is theirs.
        let first = generated[0];
        let (with_deps, _) = check(&manifest, &target, &rows[first].crate_name, a.jobs)?;
        touch(&a.dir.join(&rows[first].crate_name).join("src/lib.rs"));
        deps_secs = Some(with_deps);
        println!("==> dependencies and {} checked in {with_deps:.1} s; now each crate", rows[first].crate_name);
        for &i in &generated {
            let (secs, error) = check(&manifest, &target, &rows[i].crate_name, a.jobs)?;
            rows[i].check_secs = Some(secs);
            rows[i].outcome = match error {
                None => Outcome::Ok,
                Some(e) => Outcome::CheckFailed(e),
            };
            if i == first {
                deps_secs = Some((with_deps - secs).max(0.0));
            }
            // The table so far, so that a run cut short still leaves one.
            write_table(&a.table, &table(&rows, &source, deps_secs, false))?;
            let row = &rows[i];
            println!(
                "{} ({} operations, {} shapes): {:.1} s, {}",
                row.service,
                row.operations,
                row.shapes,
                secs,
                result_text(&row.outcome)
            );
        }
    }

    let table = table(&rows, &source, deps_secs, a.generate_only);
    println!("\n{table}");
    write_table(&a.table, &table)?;
    println!("table written to {}", a.table.display());
    if !a.keep {
        if let Err(e) = std::fs::remove_dir_all(&a.dir) {
            eprintln!("warning: cannot remove {}: {e}", a.dir.display());
        }
    }
    let bad =
        rows.iter().any(|r| matches!(r.outcome, Outcome::Refused(_) | Outcome::Panicked(_) | Outcome::CheckFailed(_)));
    Ok(if bad { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// Each `<service>/service/<version>/<service>-<version>.json` under `base`, the latest version of each service,
/// sorted by service.
fn model_files(base: &Path) -> Result<Vec<(String, PathBuf)>, codegen::Error> {
    let list = |dir: &Path| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> =
            std::fs::read_dir(dir).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
        v.sort();
        v
    };
    if !base.is_dir() {
        return Err(codegen::Error::new(format!("{} is no directory", base.display())));
    }
    let mut out = Vec::new();
    for dir in list(base) {
        let Some(service) = dir.file_name().map(|n| n.to_string_lossy().into_owned()) else { continue };
        if service.starts_with('.') {
            continue;
        }
        let latest = list(&dir.join("service"))
            .into_iter()
            .filter_map(|v| {
                let version = v.file_name()?.to_string_lossy().into_owned();
                let file = v.join(format!("{service}-{version}.json"));
                file.is_file().then_some(file)
            })
            .next_back();
        if let Some(file) = latest {
            out.push((service, file));
        }
    }
    Ok(out)
}

/// Generate one model with every operation into `dir/scale-<service>`.
fn generate_one(service: &str, path: &Path, dir: &Path, partitions: &Path) -> Row {
    let crate_name = format!("scale-{service}");
    let mut row = Row {
        service: service.to_owned(),
        protocol: String::new(),
        crate_name: crate_name.clone(),
        operations: 0,
        shapes: 0,
        size: 0,
        generate_secs: 0.0,
        check_secs: None,
        outcome: Outcome::Generated,
    };
    let started = Instant::now();
    let caught = std::panic::catch_unwind(|| generate_every_operation(path, &crate_name, partitions));
    row.generate_secs = started.elapsed().as_secs_f64();
    let aws_json = |p: &str| p.split('+').any(|p| p == "awsJson1_0" || p == "awsJson1_1");
    match caught {
        Ok(Ok((protocol, operations, shapes, generated))) => {
            row.protocol = protocol;
            row.operations = operations;
            row.shapes = shapes;
            row.size = generated.files.iter().filter(|(p, _)| p.ends_with(".rs")).map(|(_, t)| t.len()).sum();
            if let Err(e) = write::write(&dir.join(&crate_name), &generated.files) {
                row.outcome = Outcome::Refused(format!("cannot write the crate: {e}"));
            }
        }
        Ok(Err((protocol, error))) => {
            let error = one_line(&error);
            row.outcome = if !protocol.is_empty() && !aws_json(&protocol) {
                Outcome::Skipped(error)
            } else if error.contains("generator thread panicked") {
                Outcome::Panicked(PANIC.lock().ok().and_then(|mut p| p.take()).unwrap_or(error))
            } else {
                Outcome::Refused(error)
            };
            row.protocol = protocol;
        }
        Err(_) => {
            row.outcome = Outcome::Panicked(
                PANIC.lock().ok().and_then(|mut p| p.take()).unwrap_or_else(|| "(no message)".into()),
            );
        }
    }
    row
}

/// A crate named `crate_name` with every operation of the model at `path` (the scale check's generation, which
/// `cargo xtask bench-build --model` reuses): its protocol (`awsJson1_1`, or the names joined with `+`), the counts
/// of operations and shapes, and the files; or the protocol (when known) and the generator's error.
pub fn generate_every_operation(
    path: &Path,
    crate_name: &str,
    partitions: &Path,
) -> Result<(String, usize, usize, codegen::Generated), (String, String)> {
    let model = model::load(path).map_err(|e| (String::new(), e.to_string()))?;
    // The protocols of the model's service shapes (AWS's models have one), known before anything can fail.
    let protocols: BTreeSet<&str> = model
        .shapes
        .values()
        .filter_map(|shape| match shape {
            model::Shape::Service(s) => Some(s.traits.0.keys()),
            _ => None,
        })
        .flatten()
        .filter(|k| k.starts_with("aws.protocols#") || k.starts_with("smithy.protocols#"))
        .map(String::as_str)
        .filter(|k| *k != traits::AWS_QUERY_COMPATIBLE)
        .collect();
    let protocol = protocols.iter().map(|p| p.split('#').nth(1).unwrap_or(p)).collect::<Vec<_>>().join("+");
    let resolved = resolve::resolve(&model, None, &Selection::All).map_err(|e| (protocol.clone(), e.to_string()))?;
    let source = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let generated = codegen::generate_model_report(
        &model,
        &Request {
            service: None,
            selection: &Selection::All,
            crate_name,
            crate_version: "0.0.0",
            model_source: &source,
            partitions: Some(partitions),
            examples: None,
            modules: None,
            definitions: None,
        },
    )
    .map_err(|e| (protocol.clone(), e.to_string()))?;
    Ok((protocol, resolved.operations.len(), resolved.shapes.len(), generated))
}

/// `cargo check -p <name>` in the workspace, warnings denied: the seconds it took and its first error.
fn check(manifest: &Path, target: &Path, name: &str, jobs: u32) -> Result<(f64, Option<String>), codegen::Error> {
    let started = Instant::now();
    let out = crate::cargo()
        .args(["check", "--quiet", "--no-default-features", "--message-format=short", "-j"])
        .arg(jobs.to_string())
        .args(["-p", name, "--manifest-path"])
        .arg(manifest)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .env("RUSTFLAGS", "-D warnings")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| codegen::Error::new(format!("cannot run cargo check: {e}")))?;
    let secs = started.elapsed().as_secs_f64();
    if out.status.success() {
        return Ok((secs, None));
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let first = stderr
        .lines()
        .find(|l| {
            (l.contains("error") || l.contains("warning"))
                && !l.starts_with("error: could not compile")
                && !l.contains("aborting due to")
        })
        .or_else(|| stderr.lines().find(|l| !l.trim().is_empty()))
        .unwrap_or("cargo check failed without a message");
    Ok((secs, Some(first.to_owned())))
}

fn write_table(path: &Path, table: &str) -> Result<(), codegen::Error> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| codegen::Error::new(format!("cannot create: {e}")).in_file(dir))?;
    }
    std::fs::write(path, table).map_err(|e| codegen::Error::new(format!("cannot write: {e}")).in_file(path))
}

fn touch(path: &Path) {
    if let Ok(text) = std::fs::read(path) {
        let _ = std::fs::write(path, text);
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn result_text(o: &Outcome) -> String {
    match o {
        Outcome::Generated => "generated".into(),
        Outcome::Ok => "ok".into(),
        Outcome::Skipped(e) => format!("skipped: {e}"),
        Outcome::Refused(e) => format!("refused: {e}"),
        Outcome::Panicked(e) => format!("generator panic: {e}"),
        Outcome::CheckFailed(e) => format!("check failed: {e}"),
    }
}

/// The table in Markdown: the awsJson services, then the totals, then the skipped models by protocol.
fn table(rows: &[Row], source: &str, deps_secs: Option<f64>, generate_only: bool) -> String {
    let mut t = String::new();
    let _ = writeln!(t, "Scale check over {source}: every operation of every awsJson 1.0 / 1.1 service model.\n");
    let _ = writeln!(t, "| service | protocol | operations | shapes | generate s | check s | result |");
    let _ = writeln!(t, "| --- | --- | ---: | ---: | ---: | ---: | --- |");
    let json: Vec<&Row> = rows.iter().filter(|r| !matches!(r.outcome, Outcome::Skipped(_))).collect();
    for r in &json {
        let check = r.check_secs.map_or("-".to_owned(), |s| format!("{s:.1}"));
        let result = result_text(&r.outcome).replace('|', "\\|");
        let _ = writeln!(
            t,
            "| {} | {} | {} | {} | {:.2} | {check} | {result} |",
            r.service, r.protocol, r.operations, r.shapes, r.generate_secs
        );
    }
    let count = |f: fn(&Outcome) -> bool| json.iter().filter(|r| f(&r.outcome)).count();
    let ok = count(|o| matches!(o, Outcome::Ok));
    let generated = count(|o| matches!(o, Outcome::Ok | Outcome::Generated | Outcome::CheckFailed(_)));
    let operations: usize = json.iter().map(|r| r.operations).sum();
    let shapes: usize = json.iter().map(|r| r.shapes).sum();
    let gen_secs: f64 = json.iter().map(|r| r.generate_secs).sum();
    let check_secs: f64 = json.iter().filter_map(|r| r.check_secs).sum::<f64>() + deps_secs.unwrap_or(0.0);
    let _ = writeln!(t);
    let _ = writeln!(
        t,
        "Totals: {} awsJson services, {generated} generated, {} type-checked ok{}; {operations} operations, {shapes} \
         shapes; {gen_secs:.1} s generating, {check_secs:.1} s checking{}.",
        json.len(),
        if generate_only { "-".to_owned() } else { ok.to_string() },
        if generate_only { " (generation only)" } else { "" },
        deps_secs.map_or(String::new(), |d| format!(" (of which {d:.1} s the dependencies)"))
    );
    let unchecked = json.iter().filter(|r| r.check_secs.is_none() && !generate_only).count();
    if unchecked > 0 {
        let _ = writeln!(t, "{unchecked} awsJson services not type-checked (refused, panicked, or not reached).");
    }
    let mut skipped: std::collections::BTreeMap<&str, Vec<&Row>> = Default::default();
    for r in rows.iter().filter(|r| matches!(r.outcome, Outcome::Skipped(_))) {
        skipped.entry(r.protocol.as_str()).or_default().push(r);
    }
    let total: usize = skipped.values().map(Vec::len).sum();
    let _ = writeln!(t, "\nSkipped (another protocol): {total} models.");
    if total == 0 {
        return t;
    }
    let _ = writeln!(t, "\n| protocol | models | the error (of the first) |");
    let _ = writeln!(t, "| --- | ---: | --- |");
    for (protocol, services) in &skipped {
        let first = services[0];
        let error = result_text(&first.outcome).replace('|', "\\|");
        let _ = writeln!(t, "| {protocol} | {} | {error} (`{}`) |", services.len(), first.service);
    }
    t
}
