//! `cargo xtask fuzz --minutes N`: the property tests of `tests/tests/fuzz_*.rs` run for longer than in CI.
//!
//! Each target is one test, run on its own for `N` minutes (`FUZZ_SECONDS`: the harness in
//! `tests/tests/fuzz_support` runs batch after batch of cases with fresh seeds until the time is up, or until a case
//! fails and has been shrunk). Each writes a report into `target/fuzz-reports/`; this command prints, per target, the
//! executions, the minutes, the slowest case and each failure with its minimized input; for the decoders, how the
//! time per byte of hostile bodies grows from 1 KiB to 1 MiB; for the definitions, how the allocations of reading
//! and checking hostile definitions grow from 128 KiB to 256 KiB. A failure's seed is also saved in
//! `tests/proptest-regressions/`, so the ordinary test replays it from then on.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// The fuzz targets: report name, test file, test function.
const TARGETS: &[(&str, &str, &str)] = &[
    ("model_mutations", "fuzz_model", "mutated_models_generate_or_are_refused_without_panicking"),
    ("model_text", "fuzz_model", "damaged_model_text_is_refused_without_panicking"),
    ("patterns", "fuzz_patterns", "planned_patterns_agree_with_regress_and_others_are_refused_with_a_reason"),
    ("decoders", "fuzz_decoders", "every_operation_decodes_damaged_and_arbitrary_responses_without_panicking"),
    ("definitions", "fuzz_definitions", "mutated_definitions_read_check_and_write_back_without_panicking"),
];

#[derive(clap::Args)]
pub struct FuzzArgs {
    /// Minutes per target.
    #[arg(long, default_value_t = 1.0)]
    minutes: f64,
    /// Only these targets (comma-separated): model_mutations, model_text, patterns, decoders, definitions.
    #[arg(long, value_delimiter = ',')]
    targets: Option<Vec<String>>,
}

fn test_command(file: &str, test: &str) -> Command {
    let mut cmd = cargo();
    cmd.args(["test", "--quiet", "-p", "project-tests", "--test", file, test, "--", "--exact", "--nocapture"]);
    cmd
}

use crate::cargo;

pub fn run(a: FuzzArgs, root: &Path) -> Result<ExitCode, codegen::Error> {
    let chosen: Vec<_> =
        TARGETS.iter().filter(|(name, ..)| a.targets.as_ref().is_none_or(|t| t.iter().any(|x| x == name))).collect();
    if chosen.is_empty() {
        let names: Vec<_> = TARGETS.iter().map(|t| t.0).collect();
        return Err(codegen::Error::new(format!("no such target; the targets are {}", names.join(", "))));
    }
    let reports = root.join("target/fuzz-reports");
    let _ = std::fs::remove_dir_all(&reports);
    let seconds = (a.minutes * 60.0).round().max(1.0) as u64;
    let mut build = cargo();
    build.args(["test", "--quiet", "--no-run", "-p", "project-tests"]);
    let mut files: Vec<&str> = TARGETS.iter().map(|t| t.1).collect();
    files.dedup();
    for file in files {
        build.args(["--test", file]);
    }
    crate::run("building the fuzz targets", &mut build)?;
    for (name, file, test) in &chosen {
        println!("\n==> {name}: {seconds} s");
        // A failing target still writes its report; the exit status is read from the report.
        let _ =
            test_command(file, test).env("FUZZ_SECONDS", seconds.to_string()).env("FUZZ_REPORT_DIR", &reports).status();
    }
    if chosen.iter().any(|(name, ..)| *name == "decoders") {
        println!("\n==> decoders: hostile bodies of 1 KiB and 1 MiB");
        // `FUZZ_SECONDS` set: bodies of 1 MiB, not the test suite's 256 KiB.
        let _ = test_command("fuzz_decoders", "decoding_hostile_bodies_costs_allocations_linear_in_their_size")
            .env("FUZZ_SECONDS", "1")
            .env("FUZZ_REPORT_DIR", &reports)
            .status();
    }
    let mut linear = true;
    if chosen.iter().any(|(name, ..)| *name == "definitions") {
        println!("\n==> definitions: hostile definitions of 128 KiB and 256 KiB");
        // Allocations counted, so the same in every run: a failure is a cost that grows faster than the text.
        linear = test_command(
            "fuzz_definitions",
            "reading_and_checking_hostile_definitions_costs_allocations_linear_in_their_size",
        )
        .status()
        .is_ok_and(|s| s.success());
    }
    let code = summarize(&chosen, &reports)?;
    if !linear {
        println!("\ndefinitions: reading and checking hostile definitions is not linear (see above)");
        return Ok(ExitCode::FAILURE);
    }
    Ok(code)
}

fn read(path: PathBuf) -> Option<serde_json::Value> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

fn summarize(chosen: &[&(&str, &str, &str)], reports: &Path) -> Result<ExitCode, codegen::Error> {
    println!("\n| target | executions | minutes | slowest case | failures |\n| --- | --- | --- | --- | --- |");
    let mut failed = Vec::new();
    for (name, ..) in chosen {
        let Some(r) = read(reports.join(format!("{name}.json"))) else {
            println!("| {name} | - | - | - | no report: the test did not run to its end |");
            failed.push(format!("{name}: no report"));
            continue;
        };
        let failures: Vec<String> = r["failures"]
            .as_array()
            .map(|f| f.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect())
            .unwrap_or_default();
        println!(
            "| {name} | {} | {:.1} | {:.2} s | {} |",
            r["executions"],
            r["seconds"].as_f64().unwrap_or(0.0) / 60.0,
            r["slowest_case_seconds"].as_f64().unwrap_or(0.0),
            failures.len()
        );
        failed.extend(failures.into_iter().map(|f| format!("{name}: {f}")));
    }
    if let Some(r) = read(reports.join("decoders_linearity.json")) {
        println!(
            "\nDecoding hostile bodies: the time per byte at 1 MiB is at most {:.2} times that at 1 KiB ({}).",
            r["worst_growth"].as_f64().unwrap_or(f64::NAN),
            r["worst"].as_str().unwrap_or("?")
        );
    }
    if failed.is_empty() {
        println!("\nno failures");
        Ok(ExitCode::SUCCESS)
    } else {
        println!("\n{} failures (seeds saved in tests/proptest-regressions/):", failed.len());
        for f in &failed {
            println!("\n{f}");
        }
        Ok(ExitCode::FAILURE)
    }
}
