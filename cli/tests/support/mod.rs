//! What the tests that run the binary against a server share: the binary run as a user runs it, and its output.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};

/// The binary with `args` against the endpoint `url`, credentials and region from the environment (no profile, no
/// instance metadata), `stdin` written to its standard input.
pub fn cli(url: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let none = root.join("target/no-such-aws-file");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sagemaker-pipelines"));
    cmd.args(["--endpoint-url", url, "--region", "us-east-1"])
        .args(args)
        .current_dir(root)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env_remove("NO_COLOR")
        .env("AWS_CONFIG_FILE", &none)
        .env("AWS_SHARED_CREDENTIALS_FILE", &none)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or_default().as_bytes()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

/// The exit status, standard output and standard error.
pub fn out(o: &Output) -> (i32, String, String) {
    (
        o.status.code().unwrap(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}
