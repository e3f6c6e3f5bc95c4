//! The commands that call SageMaker, run as a user runs them, against moto's server (which `cargo xtask test`
//! starts and names in `MOTO_ENDPOINT`; without it these tests print why they skip, and fail under CI). Credentials
//! and region come through aws-config from the environment, as for a user. moto has no `ListPipelineVersions`,
//! `ListPipelineExecutionSteps`, `StopPipelineExecution` or `RetryPipelineExecution`: for the commands that need
//! them, the test checks the error is one readable line (`server.rs` runs them to success against a scripted server).

mod support;
use support::{cli, out};

fn endpoint() -> Option<String> {
    match std::env::var("MOTO_ENDPOINT") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var_os("CI").is_some() => {
            panic!("MOTO_ENDPOINT is not set; run the tests with `cargo xtask test`")
        }
        _ => {
            println!("skipped: MOTO_ENDPOINT is not set (`cargo xtask test` starts moto and sets it)");
            None
        }
    }
}

fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("{prefix}-{}", nanos % 1_000_000_000_000)
}

const ROLE: &str = "arn:aws:iam::123456789012:role/SageMakerRole";

fn definition(message: &str) -> String {
    serde_json::json!({
        "Version": "2020-12-01",
        "Parameters": [{"Name": "Epochs", "Type": "Integer", "DefaultValue": 1}],
        "Steps": [{"Name": "Stop", "Type": "Fail", "Arguments": {"ErrorMessage": message}}]
    })
    .to_string()
}

#[test]
fn deploy_creates_then_updates_and_run_starts() {
    let Some(url) = endpoint() else { return };
    let name = unique("cli");
    let (code, stdout, stderr) = out(&cli(
        &url,
        &["deploy", "-", "--name", &name, "--role", ROLE, "--description", "first"],
        Some(&definition("a")),
    ));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("created arn:aws:sagemaker:us-east-1:") && stdout.contains(&format!("pipeline/{name}")),
        "{stdout}"
    );

    // Deployed again: the pipeline exists, so it is updated.
    let (code, stdout, stderr) =
        out(&cli(&url, &["deploy", "-", "--name", &name, "--role", ROLE], Some(&definition("b"))));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("updated arn:aws:sagemaker:us-east-1:"), "{stdout}");
    // moto's UpdatePipeline answers no version, and it has no ListPipelineVersions: no version is printed then.
    assert!(!stdout.contains("(version"), "{stdout}");

    // A parameter of the wrong type is refused before the start; a right one starts an execution.
    let (code, _, stderr) = out(&cli(&url, &["run", &name, "--param", "Epochs=many"], None));
    assert_eq!((code, stderr.as_str()), (1, "error: parameter `Epochs` is Integer: `many` is not an Integer\n"));
    let (code, stdout, stderr) =
        out(&cli(&url, &["run", &name, "--param", "Epochs=3", "--display-name", "nightly"], None));
    assert_eq!(code, 0, "{stderr}");
    let arn = stdout.strip_prefix("started ").unwrap().trim();
    assert!(arn.contains(&format!("pipeline/{name}/execution/")), "{arn}");

    // moto has no ListPipelineExecutionSteps: `status` says so in one line, no Debug output.
    let (code, _, stderr) = out(&cli(&url, &["status", arn], None));
    assert_eq!(code, 1);
    assert!(stderr.starts_with("error: ListPipelineExecutionSteps: ") && stderr.lines().count() == 1, "{stderr}");
    eprintln!("{stderr}");
    assert!(!stderr.contains("ErrorMetadata {") && !stderr.contains("Some("), "{stderr}");
    for cmd in ["stop", "retry"] {
        let (code, _, stderr) = out(&cli(&url, &[cmd, arn], None));
        assert_eq!(code, 1, "{cmd}: {stderr}");
        assert!(stderr.starts_with("error: ") && stderr.lines().count() == 1, "{stderr}");
    }
}

#[test]
fn deploy_refuses_a_definition_with_problems_and_calls_nothing() {
    let Some(url) = endpoint() else { return };
    let name = unique("cli-bad");
    let (code, stdout, stderr) = out(&cli(
        &url,
        &["deploy", "tests/definitions/mistakes/member_typo.json", "--name", &name, "--role", ROLE],
        None,
    ));
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    assert!(stderr.contains("`InstanceTyp` is not a member of ResourceConfig"), "{stderr}");
    assert!(
        stderr.ends_with("error: not deployed: 3 problem(s) in tests/definitions/mistakes/member_typo.json\n"),
        "{stderr}"
    );
    // Nothing was created.
    let (code, _, stderr) = out(&cli(&url, &["run", &name], None));
    assert_eq!(code, 1);
    assert!(stderr.starts_with("error: StartPipelineExecution: "), "{stderr}");
}

#[test]
fn an_unreachable_endpoint_is_one_readable_line() {
    // A port nothing listens on (bound, then closed).
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}");
    let (code, _, stderr) =
        out(&cli(&url, &["stop", "arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/e"], None));
    assert_eq!(code, 1);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("error: StopPipelineExecution: ") && stderr.contains("refused"), "{stderr}");
}
