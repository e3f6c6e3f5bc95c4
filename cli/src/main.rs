use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use sagemaker_pipelines::definition::PipelineDefinition;
use sagemaker_pipelines_cli::{check, graph};

mod remote;

/// Check, draw, deploy, run and watch SageMaker pipeline definitions.
#[derive(Parser)]
#[command(name = "sagemaker-pipelines", version, after_help = EXIT_CODES)]
struct Cli {
    #[command(flatten)]
    aws: AwsArgs,
    #[command(subcommand)]
    command: Command,
}

const EXIT_CODES: &str = "Exit status: 0 success; 1 a problem (a definition's, a parameter's, or a call's error); 2 a \
file that cannot be read, or bad arguments; for `run --wait`: 3 the execution failed, 4 it was stopped, 5 the maximum \
wait passed first.";

/// Where the calls go, and as whom (otherwise as every AWS tool finds it: environment, profiles, SSO, …).
#[derive(clap::Args)]
struct AwsArgs {
    /// The named profile of the shared config and credentials files.
    #[arg(long, global = true)]
    profile: Option<String>,
    /// The region (e.g. `us-east-1`).
    #[arg(long, global = true)]
    region: Option<String>,
    /// Send the calls to this endpoint instead of SageMaker's (a local test server).
    #[arg(long, global = true)]
    endpoint_url: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Check pipeline definitions offline: every problem, at its line and column, with its JSON path.
    ///
    /// Exit status: 0 when every file is clean, 1 when any file has a problem (text that is not UTF-8, not JSON or
    /// not a definition counts as one, at its line and column), 2 when a file cannot be read.
    Check {
        /// Definition files (`pipeline.definition()` saved to a file, or `DescribePipeline`'s); `-` reads stdin.
        #[arg(required = true)]
        files: Vec<String>,
        /// `human` (rustc-style) or `json` (one array of {file, line, column, path, message, help}).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Draw a definition's steps: nodes with their kinds; edges from DependsOn, from data references (labelled with
    /// the property) and from a condition step to its branches (`if`, `else`).
    ///
    /// Exit status: 0 drawn, 1 the text is not a definition, 2 the file cannot be read.
    Graph {
        /// The definition; `-` reads stdin.
        file: String,
        /// `mermaid` (renders in GitHub pull requests and READMEs) or `dot` (Graphviz).
        #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
        format: GraphFormat,
    },
    /// Check a definition, then create the pipeline, or update it when it exists; prints its ARN and version.
    Deploy {
        /// The definition; `-` reads stdin.
        file: String,
        /// The pipeline's name.
        #[arg(long)]
        name: String,
        /// The IAM role the pipeline runs as.
        #[arg(long)]
        role: String,
        /// The pipeline's description.
        #[arg(long)]
        description: Option<String>,
    },
    /// Start an execution; with `--wait`, follow it to its end and say what went wrong.
    ///
    /// Parameters are checked against the types the pipeline's definition declares before the start. Exit status
    /// with `--wait`: 0 the execution succeeded, 3 it failed, 4 it was stopped, 5 `--max-wait` passed first, 1 a
    /// call failed.
    Run {
        /// The pipeline's name or ARN.
        name: String,
        /// A parameter, `KEY=VALUE` (repeat for several).
        #[arg(long = "param", value_parser = parse_param)]
        params: Vec<(String, String)>,
        /// Follow the execution: one line per change of its status or a step's, with the time since the start,
        /// then the diagnosis of a failed or stopped execution.
        #[arg(long)]
        wait: bool,
        /// The longest `--wait` waits, in minutes.
        #[arg(long, default_value_t = 1440)]
        max_wait: u64,
        /// Seconds between polls of `--wait`.
        #[arg(long, default_value_t = 15)]
        poll: u64,
        /// The execution's display name.
        #[arg(long)]
        display_name: Option<String>,
    },
    /// An execution and its steps, as a table.
    Status {
        /// The execution's ARN.
        arn: String,
    },
    /// Stop an execution.
    Stop {
        /// The execution's ARN.
        arn: String,
    },
    /// Retry a failed execution from its failed steps.
    Retry {
        /// The execution's ARN.
        arn: String,
    },
}

fn parse_param(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_owned(), v.to_owned())),
        _ => Err(format!("`{s}` is not KEY=VALUE")),
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum GraphFormat {
    Mermaid,
    Dot,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { files, format } => check_cmd(&files, format),
        Command::Graph { file, format } => graph_cmd(&file, format),
        command => {
            let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("error: cannot start the async runtime: {e}");
                    return ExitCode::from(1);
                }
            };
            runtime.block_on(remote::run(&cli.aws, command))
        }
    }
}

/// Whether to colour stdout: a terminal, and `NO_COLOR` unset or empty.
fn colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn read(file: &str) -> std::io::Result<Vec<u8>> {
    if file == "-" {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes)?;
        Ok(bytes)
    } else {
        std::fs::read(file)
    }
}

fn check_cmd(files: &[String], format: Format) -> ExitCode {
    let styled = colour();
    let mut out = std::io::stdout().lock();
    let mut all = Vec::new();
    let (mut unreadable, mut with_problems, mut count) = (0, 0, 0);
    for file in files {
        let name = shown(file);
        let bytes = match read(file) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("error: cannot read {name}: {e}");
                unreadable += 1;
                continue;
            }
        };
        let problems = check::check_bytes(&bytes);
        if problems.is_empty() {
            continue;
        }
        with_problems += 1;
        count += problems.len();
        match format {
            Format::Human => {
                let text = String::from_utf8_lossy(&bytes);
                let _ = out.write_all(check::render_human(name, &text, &problems, styled).as_bytes());
            }
            Format::Json => all.extend(problems.into_iter().map(|p| (name.to_owned(), p))),
        }
    }
    match format {
        Format::Human => {
            let files_word = |n: usize| if n == 1 { "file" } else { "files" };
            let _ = writeln!(
                out,
                "checked {} {}: {}",
                files.len(),
                files_word(files.len()),
                match count {
                    0 => "no problems".to_owned(),
                    1 => format!("1 problem in 1 {}", files_word(1)),
                    n => format!("{n} problems in {with_problems} {}", files_word(with_problems)),
                }
            );
            if unreadable > 0 {
                let _ = writeln!(out, "{unreadable} {} could not be read", files_word(unreadable));
            }
        }
        Format::Json => {
            let _ = writeln!(out, "{}", check::render_json(&all));
        }
    }
    let _ = out.flush();
    if unreadable > 0 {
        ExitCode::from(2)
    } else if count > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The name a file is shown by.
fn shown(file: &str) -> &str {
    if file == "-" {
        "<stdin>"
    } else {
        file
    }
}

/// Read a definition for a command that needs one: a file that cannot be read exits 2, a text that is not a
/// definition exits 1 with the problem shown as `check` shows it.
fn read_definition(file: &str) -> Result<PipelineDefinition, ExitCode> {
    let name = shown(file);
    let bytes = read(file).map_err(|e| {
        eprintln!("error: cannot read {name}: {e}");
        ExitCode::from(2)
    })?;
    let problem = |problems: Vec<check::Problem>| {
        let text = String::from_utf8_lossy(&bytes);
        eprint!("{}", check::render_human(name, &text, &problems, false));
        ExitCode::from(1)
    };
    let text = std::str::from_utf8(&bytes).map_err(|_| problem(check::check_bytes(&bytes)))?;
    PipelineDefinition::from_json(text).map_err(|_| problem(check::check_text(text)))
}

fn graph_cmd(file: &str, format: GraphFormat) -> ExitCode {
    let definition = match read_definition(file) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let g = graph::graph(&definition);
    let text = match format {
        GraphFormat::Mermaid => graph::mermaid(&g),
        GraphFormat::Dot => graph::dot(&g),
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    ExitCode::SUCCESS
}
