//! `sagemaker-pipelines check` as a user runs it: the built binary on the SageMaker Python SDK corpus, on each of
//! its realistic mistakes, on stdin, and on bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// Run the binary in the repository's root (so the file names it prints are relative), colour off.
fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sagemaker-pipelines"));
    cmd.args(args).current_dir(root()).env_remove("NO_COLOR");
    cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() });
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Some(bytes) = stdin {
        use std::io::Write;
        let mut pipe = child.stdin.take().unwrap();
        let bytes = bytes.to_vec();
        std::thread::spawn(move || pipe.write_all(&bytes));
    }
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn files(dir: &str) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| p.strip_prefix(root()).unwrap().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

/// The documented exception of the corpus: SDK 3.27 puts a Float and a Boolean parameter as bare `Get`s into
/// `HyperParameters`, whose values are strings.
const NOT_CLEAN: &str = "tests/definitions/corpus/sdk3/training_processing.json";

#[test]
fn the_corpus_is_clean_but_the_documented_file() {
    let mut corpus = files("tests/definitions/corpus/sdk2");
    corpus.extend(files("tests/definitions/corpus/sdk3"));
    assert_eq!(corpus.len(), 12);
    let clean: Vec<&str> = corpus.iter().map(String::as_str).filter(|f| *f != NOT_CLEAN).collect();
    let mut args = vec!["check"];
    args.extend(&clean);
    let o = run(&args, None);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(stdout(&o), "checked 11 files: no problems\n");

    let o = run(&["check", NOT_CLEAN], None);
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!("corpus_sdk3_training_processing", stdout(&o));
}

/// The value a JSON path names, by serde_json (independent of the binary's own position index).
fn pointer<'a>(value: &'a serde_json::Value, path: &str) -> Option<&'a serde_json::Value> {
    let mut v = value;
    let mut rest = path.strip_prefix('$')?;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("['") {
            let end = r.find("']")?;
            v = v.get(&r[..end])?;
            rest = &r[end + 2..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']')?;
            v = v.get(r[..end].parse::<usize>().ok()?)?;
            rest = &r[end + 1..];
        } else {
            let r = rest.strip_prefix('.')?;
            let end = r.find(['.', '[']).unwrap_or(r.len());
            v = v.get(&r[..end])?;
            rest = &r[end..];
        }
    }
    Some(v)
}

/// The text at a 1-based line and column (in characters).
fn at(text: &str, line: usize, column: usize) -> &str {
    let l = text.split('\n').nth(line - 1).unwrap();
    let offset = l.char_indices().nth(column - 1).map_or(l.len(), |(i, _)| i);
    &l[offset..]
}

#[test]
fn each_mistake_is_found_at_its_value() {
    // The mistakes' README names, for each file, the path a checker must report.
    let readme = std::fs::read_to_string(root().join("tests/definitions/mistakes/README.md")).unwrap();
    let expected: Vec<(String, String)> = readme
        .lines()
        .filter(|l| l.starts_with("| `") && l.contains(".json`"))
        .map(|l| {
            let cells: Vec<&str> = l.split(" | ").collect();
            let file = cells[0].trim_start_matches("| `").trim_end_matches('`').to_owned();
            let path = cells[3].split('`').nth(1).unwrap().to_owned();
            (file, path)
        })
        .collect();
    assert_eq!(expected.len(), 41);
    for (file, path) in expected {
        let rel = format!("tests/definitions/mistakes/{file}");
        let o = run(&["check", "--format", "json", &rel], None);
        assert_eq!(o.status.code(), Some(1), "{file}");
        let problems: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        let text = std::fs::read_to_string(root().join(&rel)).unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        // The README abbreviates one path with `…`: its start must match.
        let prefix = path.split('…').next().unwrap();
        let found = problems
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["path"].as_str().unwrap().starts_with(prefix))
            .unwrap_or_else(|| panic!("{file}: no problem at {path}: {problems:#}"));
        assert_eq!(found["file"], rel.as_str());
        let (line, column) = (found["line"].as_u64().unwrap() as usize, found["column"].as_u64().unwrap() as usize);
        let marked = at(&text, line, column);
        let reported = found["path"].as_str().unwrap();
        match pointer(&json, reported) {
            // The marker is under the value when it fits on one line, else under its member name.
            Some(value) => {
                let mut de = serde_json::Deserializer::from_str(marked).into_iter::<serde_json::Value>();
                let first = de.next().unwrap().unwrap();
                let name = reported.rsplit(['.', '[']).next().unwrap().trim_end_matches(']').trim_matches('\'');
                let is_value = &first == value && !value.is_object() && !value.is_array();
                let is_name = first == serde_json::Value::String(name.to_owned());
                assert!(is_value || is_name, "{file}:{line}:{column} marks {marked:.40} for {reported}");
            }
            // A missing member: the enclosing member's name is marked.
            None => {
                let parent = &reported[..reported.rfind('.').unwrap()];
                let name = parent.rsplit('.').next().unwrap();
                assert!(marked.starts_with(&format!("\"{name}\"")), "{file}: {marked:.40}");
            }
        }
        let human = run(&["check", &rel], None);
        insta::assert_snapshot!(format!("mistake_{}", file.trim_end_matches(".json")), stdout(&human));
    }
}

#[test]
fn json_format_has_every_field() {
    let o = run(&["check", "--format", "json", "tests/definitions/mistakes/member_typo.json"], None);
    let problems: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let typo = problems.as_array().unwrap().iter().find(|p| p["path"].as_str().unwrap().ends_with("InstanceTyp"));
    assert_eq!(
        typo.unwrap(),
        &serde_json::json!({
            "file": "tests/definitions/mistakes/member_typo.json",
            "line": 251,
            "column": 11,
            "path": "$.Steps[1].Arguments.ResourceConfig.InstanceTyp",
            "message": "`InstanceTyp` is not a member of ResourceConfig",
            "help": "did you mean `InstanceType`?",
        })
    );
    // A clean file: an empty array, exit 0.
    let o = run(&["check", "--format", "json", "tests/definitions/corpus/sdk2/checks.json"], None);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o).trim(), "[]");
}

#[test]
fn stdin_is_read_for_a_dash() {
    let text = std::fs::read(root().join("tests/definitions/mistakes/enum_case_input_mode.json")).unwrap();
    let o = run(&["check", "-"], Some(&text));
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("--> <stdin>:209:32"), "{out}");
    assert!(out.contains("help: did you mean \"File\"?"), "{out}");
    let clean = std::fs::read(root().join("tests/definitions/corpus/sdk2/job_names.json")).unwrap();
    assert_eq!(run(&["check", "-"], Some(&clean)).status.code(), Some(0));
}

#[test]
fn an_unreadable_file_exits_2_and_the_others_are_still_checked() {
    let o = run(&["check", "tests/definitions/no_such_file.json", "tests/definitions/mistakes/member_typo.json"], None);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.starts_with("error: cannot read tests/definitions/no_such_file.json: "), "{err}");
    assert!(stdout(&o).contains("InstanceTyp"));
    // A directory cannot be read as a file either.
    assert_eq!(run(&["check", "tests"], None).status.code(), Some(2));
}

#[test]
fn text_that_is_not_a_definition_is_a_problem_at_its_place() {
    let o = run(
        &["check", "-"],
        Some(b"{\n  \"Version\": \"2020-12-01\",\n  \"Steps\": [\n    {\"Name\": \"A\",}\n  ]\n}\n"),
    );
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!("not_json", stdout(&o));
    let o = run(&["check", "-"], Some(b"[1, 2]"));
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("not a pipeline definition: expected an object, found an array"), "{}", stdout(&o));
    let o = run(&["check", "-"], Some(b"{\"Version\": \"\xff\"}"));
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("not UTF-8 text"), "{}", stdout(&o));
    let o = run(&["check", "-"], Some(b""));
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("not JSON"), "{}", stdout(&o));
}

/// A definition of `n` Fail steps, each depending on the one before, as one line.
fn chain(n: usize, cycle: bool) -> String {
    let steps: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            let mut s =
                serde_json::json!({"Name": format!("S{i}"), "Type": "Fail", "Arguments": {"ErrorMessage": "x"}});
            if i > 0 || cycle {
                s["DependsOn"] = serde_json::json!([format!("S{}", (i + n - 1) % n)]);
            }
            s
        })
        .collect();
    serde_json::json!({"Version": "2020-12-01", "Steps": steps}).to_string()
}

#[test]
fn hostile_input_gets_a_clear_error_never_a_panic() {
    // 1,000 steps in a chain: clean.
    let o = run(&["check", "-"], Some(chain(1000, false).as_bytes()));
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    // The same with the first depending on the last: a cycle.
    let o = run(&["check", "-"], Some(chain(1000, true).as_bytes()));
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("in a cycle"), "{:.400}", stdout(&o));
    // 10 MB: over the model's length of `PipelineDefinition`, said once, on a text of one line.
    let big = format!(
        "{{\"Version\": \"2020-12-01\", \"Metadata\": {{\"pad\": \"{}\"}}, \"Steps\": []}}",
        "x".repeat(10 << 20)
    );
    let o = run(&["check", "-"], Some(big.as_bytes()));
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.len() < 4096, "the output is bounded: {} bytes", out.len());
    assert!(out.contains("characters long, more than the 1048576 allowed"), "{out}");
    // Nesting far deeper than the reader goes: one problem, where the nesting goes too deep.
    let deep = format!("{{\"Metadata\": {}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    let o = run(&["check", "-"], Some(deep.as_bytes()));
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("deeper than"), "{:.400}", stdout(&o));
    // Not closed: the end of the text.
    let o = run(&["check", "-"], Some(b"{\"Steps\": [{\"Name\": \"A\""));
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("<stdin>:1:24"), "{}", stdout(&o));
}
