//! Every `@pattern` of the full upstream SageMaker models (the one the project tracks and the 2026-07-16 one), and
//! a set of patterns that need the ECMAScript engine, checked by the generated crate's validator and by real engines,
//! must give the same answers over a corpus of strings.
//!
//! - The validator side is the generated crate's own code: the plan the generator emits for the pattern, run by the
//!   runtime modules `validation`, `automaton` and `ecma` (from the `codegen-runtime` crate, whose source is written
//!   unchanged into every crate). Each pattern on automata is also run with every check compiled as an NFA (what a
//!   check whose DFA is over the budget runs), which must answer the same.
//! - The oracle is Node's `new RegExp(p, "u").test(s)` for patterns valid under the `u` flag. For the patterns it
//!   rejects, Java's `Pattern.compile(p).matcher(s).find()` is the oracle (the README lists them and their meaning).
//!
//! The corpus holds generic strings (empty, ASCII and non-ASCII letters and digits, white space and line
//! terminators, astral code points), strings built from each pattern to match it (repetitions at their minimum and
//! at their maximum, every alternative), and near misses made from those (one character more or less, a character
//! swapped for a non-ASCII one, a line terminator appended).
//!
//! Needs `../shared`, `node` and a JDK; skipped with a printed reason when one is absent, except under CI, where a
//! missing engine fails the test.

use codegen_runtime::validation;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use codegen::pattern::{self, Engine, Mode};
use regex_syntax::hir::{Class, Hir, HirKind, Look};

/// The upstream models whose patterns are checked: the full model the project tracks, and a later one that has
/// `MetricsEndpointPath`'s lookahead after a one-character prefix.
const MODELS: &[&str] = &["models/sagemaker-2017-07-24.json", "models/sagemaker-2017-07-24.2026-07-16.json"];

/// Lookaround at a fixed offset, which the generator rewrites into `regex` crate checks, with strings that exercise
/// it (the generic corpus and strings sampled from the checks are added).
const REWRITTEN_PATTERNS: &[(&str, &[&str])] = &[
    (r"^ab(?!.*x)", &["ab", "aby", "ab\nx", "ab\r\nx", "ab\u{2028}x", "ab\u{85}x", "abx", "ab😀x"]),
    (r"^ab(?=.*x)", &["ab", "abx", "ab\nx", "ab\u{2029}x", "ab😀x"]),
    (r"^(?:ab|cd)(?=e)", &["abe", "cdef", "abf", "xabe"]),
    (r"^a(?=b)b(?!c)", &["ab", "abd", "ac", "abc"]),
    (r"^\b\w{2}(?:^|)(?!z)\w", &["abc", "abz", "a", "a-c"]),
    (r"^[a-z]{3}(?<![aeiou])\d", &["abc1", "aax9", "aba1", "abc"]),
    (r"^.(?<=\u{1F600})(?=$)", &["😀", "a", "😀😀"]),
    (r"^ab(?<=xab)", &["ab", "xab"]),
    (r"^a(?<!xa)b", &["ab", "xab"]),
    (r"^[\w.]+(?<!\.)@", &["a.b@", "a.@", "@", "a@b.", "é@"]),
    (r"^(?=[^\d]*\d)(?=.*[A-Z]).{6,}$", &["abcD1e", "abcdef", "ABC123", "aB1", "a\nB1cdef", "😀😀😀😀A1"]),
];

/// Patterns the `regex` crate cannot check exactly, which the generated crate runs on the ECMAScript engine, with
/// strings that exercise them (the generic corpus is added).
const ENGINE_PATTERNS: &[(&str, &[&str])] = &[
    (r"^[a-z]+(?<!x)\.(?=\d)", &["ab.1", "ax.1", "ab.x", "abx.1", "ab.1x", "é.1", "ab.\n1"]),
    (r"(?<=\d)x(?!y)", &["1x", "a1xz", "1xy", "x", "1xy2x", "٣x", "😀1x"]),
    (r"^(?:(?!--)[a-z-])+$", &["a-b-c", "a--b", "-", "a-\n-"]),
    (r"^[\w.]+(?<=\.)@", &["a.b@", "a.@", "@", "a@b.", "é.@"]),
    (
        r"^[a-z]+:(?=[^\d]*\d)(?=.*[A-Z]).{4,}$",
        &["pw:abD1e", "pw:abcdef", "pw:ABC123", "x:aB1", "x:a\nB1cdef", "x:😀😀A1"],
    ),
    (r"\b(?<!-)\w+(?=-)", &["a-b", "-a-", "a", "é-", "_-"]),
    (r#"^(?<q>['"])\w+\k<q>$"#, &["'ab'", "\"ab\"", "'ab\"", "ab", "''"]),
    (r"^(?:(a)|b)\1$", &["aa", "b", "ba", "ab", ""]),
    (r"^(\w)(?!\1)\w$", &["ab", "aa", "a😀", "a"]),
    (r"^(?:a|aa)+(?=b)", &["aab", "ab", "aac", "b"]),
    (r"(?<![\s\S]{3})\S", &["a", "   a", "  a", "\u{a0}\u{a0}a", "\u{feff}x"]),
];

fn upstream_patterns(dir: &Path) -> Vec<String> {
    let mut set = BTreeSet::new();
    for file in MODELS {
        model_patterns(&dir.join(file), &mut set);
    }
    set.into_iter().collect()
}

fn model_patterns(file: &Path, set: &mut BTreeSet<String>) {
    let model = codegen::model::load(file).unwrap();
    for shape in model.shapes.values() {
        if let Some(p) = shape.traits().get("smithy.api#pattern").and_then(|v| v.as_str()) {
            set.insert(p.to_owned());
        }
        for (_, m) in shape.all_members() {
            if let Some(p) = m.traits.get("smithy.api#pattern").and_then(|v| v.as_str()) {
                set.insert(p.to_owned());
            }
        }
    }
}

/// A small deterministic generator (xorshift), so the corpus is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
}

#[derive(Clone, Copy)]
enum Reps {
    Min,
    Max,
    Random,
}

/// A string matching `hir` (as an anchored whole), choosing repetitions by `reps`.
fn sample(hir: &Hir, reps: Reps, rng: &mut Rng, out: &mut String) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(l) => out.push_str(&String::from_utf8_lossy(&l.0)),
        HirKind::Class(Class::Unicode(c)) => {
            let ranges = c.ranges();
            if ranges.is_empty() {
                return;
            }
            let r = &ranges[rng.below(ranges.len() as u64) as usize];
            let span = u64::from(r.end()) - u64::from(r.start());
            let pick = match reps {
                Reps::Min => u32::from(r.start()),
                Reps::Max => u32::from(r.end()),
                Reps::Random => u32::from(r.start()) + rng.below(span + 1) as u32,
            };
            out.push(char::from_u32(pick).unwrap_or(r.start()));
        }
        HirKind::Class(Class::Bytes(c)) => {
            if let Some(r) = c.ranges().first() {
                out.push(char::from(r.start()));
            }
        }
        HirKind::Repetition(rep) => {
            let max = rep.max.unwrap_or(rep.min + 3).min(rep.min + 300);
            let n = match reps {
                Reps::Min => rep.min,
                Reps::Max => max,
                Reps::Random => rep.min + rng.below(u64::from(max - rep.min) + 1) as u32,
            };
            for _ in 0..n {
                sample(&rep.sub, reps, rng, out);
            }
        }
        HirKind::Capture(c) => sample(&c.sub, reps, rng, out),
        HirKind::Concat(v) => v.iter().for_each(|h| sample(h, reps, rng, out)),
        HirKind::Alternation(v) => {
            let i = match reps {
                Reps::Min => 0,
                Reps::Max => v.len() - 1,
                Reps::Random => rng.below(v.len() as u64) as usize,
            };
            sample(&v[i], reps, rng, out);
        }
    }
}

fn has_word_boundary(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Look(l) => !matches!(l, Look::Start | Look::End),
        HirKind::Repetition(r) => has_word_boundary(&r.sub),
        HirKind::Capture(c) => has_word_boundary(&c.sub),
        HirKind::Concat(v) | HirKind::Alternation(v) => v.iter().any(has_word_boundary),
        _ => false,
    }
}

const GENERIC: &[&str] = &[
    "",
    "a",
    "Z",
    "0",
    "9",
    "_",
    "-",
    ".",
    "/",
    ":",
    "@",
    " ",
    "\t",
    "\n",
    "\r",
    "\r\n",
    "\u{b}",
    "\u{c}",
    "\u{85}",
    "\u{a0}",
    "\u{2028}",
    "\u{2029}",
    "\u{feff}",
    "\u{3000}",
    "é",
    "ß",
    "Ω",
    "中文",
    "٣",
    "😀",
    "a😀b",
    "abc",
    "ABC",
    "abc123",
    "a-b",
    "a_b",
    "a.b",
    "a b",
    "-a",
    "a-",
    ".a",
    "a\n",
    "\na",
    "abc\n",
    "   ",
    "p{Alnum}",
    "1.2.3.4",
    "255.255.255.255",
    "256.1.1.1",
    "10.0.0.1.",
    "ip-10-0-0-1.ec2.internal",
    "https://example.com/a/b",
    "arn:aws:sagemaker:us-east-1:123456789012:pipeline/p",
    "arn:aws:lambda:us-east-1:123456789012:function:f",
    "s3://bucket/key",
    "/a/b.c",
    "/a/../b",
    "/..",
    "/a\n..",
];

fn corpus(plan: &pattern::Plan, extra: &[&str], rng: &mut Rng) -> Vec<String> {
    let mut set: BTreeSet<String> = GENERIC.iter().chain(extra).map(|s| s.to_string()).collect();
    set.insert("x".repeat(64));
    set.insert("é".repeat(300));
    for check in &plan.checks {
        let Ok(hir) = regex_syntax::ParserBuilder::new().build().parse(&check.regex) else { continue };
        let mut built = Vec::new();
        for reps in [Reps::Min, Reps::Max, Reps::Random, Reps::Random, Reps::Random] {
            let mut s = String::new();
            sample(&hir, reps, rng, &mut s);
            built.push(s);
        }
        // Word boundaries are not sampled; separators between repeated parts help hit both sides.
        if has_word_boundary(&hir) {
            built.push("1.2.3.4".into());
            built.push("ip-1-2-3-4.x".into());
        }
        for s in built {
            let chars: Vec<char> = s.chars().collect();
            let mut near = vec![
                format!("{s}a"),
                format!("{s}-"),
                format!("{s}é"),
                format!("{s}😀"),
                format!("{s}\n"),
                format!("{s}\r\n"),
                format!(" {s}"),
                format!("{s}{s}"),
            ];
            if !chars.is_empty() {
                near.push(chars[..chars.len() - 1].iter().collect());
                near.push(chars[1..].iter().collect());
                let mid = chars.len() / 2;
                for repl in ['é', '😀', ' ', '-', 'A'] {
                    let mut c = chars.clone();
                    c[mid] = repl;
                    near.push(c.into_iter().collect());
                }
            }
            set.insert(s);
            set.extend(near);
        }
    }
    if let Some((min, max)) = plan.chars {
        for n in [
            min.saturating_sub(1),
            min,
            min + 1,
            max.unwrap_or(min + 5).saturating_sub(1),
            max.unwrap_or(min + 5),
            max.unwrap_or(min + 5) + 1,
        ] {
            set.insert("a".repeat(n as usize));
            set.insert("😀".repeat(n as usize));
        }
    }
    set.into_iter().collect()
}

fn tool(name: &str, arg: &str) -> bool {
    Command::new(name).arg(arg).output().is_ok_and(|o| o.status.success())
}

fn missing(what: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("{what} is needed for the differential pattern tests in CI");
    }
    println!("skipped: {what} is absent");
}

/// Node, with a worker per run of strings: a backtracking engine can take exponential time on some of these
/// patterns, so a string that takes longer than the budget is reported as `"timeout"` (no answer) and the run goes
/// on in a fresh worker. The generated validator answers those strings too; only the oracle is missing.
const NODE: &str = r#"
const fs = require("fs");
const { Worker } = require("worker_threads");
const cases = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const BUDGET_MS = 500;
const workerCode = `
const { parentPort } = require("worker_threads");
parentPort.on("message", ({ p, flags, s }) => {
  let re = null;
  try { re = new RegExp(p, flags); } catch (e) { parentPort.postMessage({ invalid: true }); return; }
  for (const x of s) parentPort.postMessage({ r: re.test(x) });
  parentPort.postMessage({ done: true });
});`;
function runAll(p, flags, strings) {
  return new Promise((resolve) => {
    const results = [];
    const start = (from) => {
      if (from >= strings.length) return resolve(results);
      const w = new Worker(workerCode, { eval: true });
      let timer = null;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => { w.terminate(); results.push("timeout"); start(results.length); }, BUDGET_MS);
      };
      w.on("message", (m) => {
        if (m.invalid) { clearTimeout(timer); w.terminate(); return resolve(null); }
        if (m.done) { clearTimeout(timer); w.terminate(); return resolve(results); }
        results.push(m.r);
        arm();
      });
      arm();
      w.postMessage({ p, flags, s: strings.slice(from) });
    };
    start(0);
  });
}
(async () => {
  const out = [];
  for (const { p, s } of cases) out.push({ u: await runAll(p, "u", s) });
  fs.writeFileSync(process.argv[3], JSON.stringify(out));
})();
"#;

const JAVA: &str = r#"
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import java.util.regex.*;

public class Oracle {
    static String hex(String h) {
        byte[] b = new byte[h.length() / 2];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        return new String(b, StandardCharsets.UTF_8);
    }
    public static void main(String[] args) throws Exception {
        List<String> out = new ArrayList<>();
        Pattern p = null;
        for (String line : Files.readAllLines(Paths.get(args[0]))) {
            String[] kv = line.split("\t", -1);
            if (kv[0].equals("P")) {
                try { p = Pattern.compile(hex(kv[1])); out.add("P"); } catch (PatternSyntaxException e) { p = null; out.add("E"); }
            } else {
                out.add(p == null ? "E" : (p.matcher(hex(kv[1])).find() ? "1" : "0"));
            }
        }
        Files.write(Paths.get(args[1]), out);
    }
}
"#;

fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn generated_validators_agree_with_node_and_java() {
    let Some(dir) = project_tests::shared() else { return };
    if !tool("node", "--version") {
        return missing("node");
    }
    if !tool("javac", "-version") || !tool("java", "-version") {
        return missing("a JDK (javac and java)");
    }
    let patterns = upstream_patterns(&dir);
    assert!(patterns.len() >= 230, "found {} patterns", patterns.len());
    assert!(patterns.iter().any(|p| p == r"^/(?!.*\.\.)[a-zA-Z0-9/_.\-]+$"), "MetricsEndpointPath's pattern");
    let mut rng = Rng(0x5eed_1234_abcd_9876);
    let mut cases = Vec::new();
    for p in &patterns {
        // As the generator plans it for a value without `@length`; every upstream pattern has an exact translation.
        let plan = pattern::plan_for_values(p, None).unwrap_or_else(|e| panic!("{p}: {e}"));
        assert_eq!(plan.engine, Engine::Regex, "{p} needs the ECMAScript engine");
        let strings = corpus(&plan, &[], &mut rng);
        cases.push((plan, strings));
    }
    for (p, extra) in REWRITTEN_PATTERNS {
        let plan = pattern::plan_for_values(p, None).unwrap_or_else(|e| panic!("{p}: {e}"));
        assert_eq!(plan.engine, Engine::Regex, "{p} was meant to be rewritten");
        let strings = corpus(&plan, extra, &mut rng);
        cases.push((plan, strings));
    }
    for (p, extra) in ENGINE_PATTERNS {
        let plan = pattern::plan_for_values(p, None).unwrap_or_else(|e| panic!("{p}: {e}"));
        assert!(plan.ecma().is_some(), "{p} was meant to need the ECMAScript engine: {plan:?}");
        let strings = corpus(&plan, extra, &mut rng);
        cases.push((plan, strings));
    }

    let work = project_tests::root().join("target/pattern-oracles");
    std::fs::create_dir_all(&work).unwrap();
    // Node.
    let input: Vec<serde_json::Value> =
        cases.iter().map(|(plan, s)| serde_json::json!({"p": plan.original, "s": s})).collect();
    std::fs::write(work.join("cases.json"), serde_json::to_string(&input).unwrap()).unwrap();
    std::fs::write(work.join("oracle.js"), NODE).unwrap();
    let status = Command::new("node")
        .arg(work.join("oracle.js"))
        .arg(work.join("cases.json"))
        .arg(work.join("node.json"))
        .status()
        .unwrap();
    assert!(status.success());
    let node: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(work.join("node.json")).unwrap()).unwrap();
    // Java.
    let mut lines = Vec::new();
    for (plan, strings) in cases.iter().filter(|(p, _)| p.mode == Mode::Java) {
        lines.push(format!("P\t{}", hex(&plan.original)));
        lines.extend(strings.iter().map(|s| format!("S\t{}", hex(s))));
    }
    std::fs::write(work.join("java-cases.txt"), lines.join("\n") + "\n").unwrap();
    std::fs::write(work.join("Oracle.java"), JAVA).unwrap();
    let ok = Command::new("javac").arg("-d").arg(&work).arg(work.join("Oracle.java")).status().unwrap();
    assert!(ok.success());
    let ok = Command::new("java")
        .arg("-cp")
        .arg(&work)
        .arg("Oracle")
        .arg(work.join("java-cases.txt"))
        .arg(work.join("java.txt"))
        .status()
        .unwrap();
    assert!(ok.success());
    let java_lines = std::fs::read_to_string(work.join("java.txt")).unwrap();
    let mut java = java_lines.lines();

    let mut mismatches = Vec::new();
    let mut evaluated = 0;
    let mut timeouts = 0;
    let mut beyond_bound = 0;
    let mut engine_answers = 0;
    let mut nfa_answers = 0;
    let mut java_mode = Vec::new();
    for ((plan, strings), node) in cases.iter().zip(&node) {
        let node_u = node["u"].as_array();
        // The generator's classification must match Node's: `u`-valid patterns get ECMAScript semantics.
        match (plan.mode, node_u.is_some()) {
            (Mode::EcmaUnicode, true) | (Mode::Java, false) => {}
            (mode, valid) => {
                mismatches.push(format!(
                    "{:?}: generator chose {mode:?} but Node says valid-under-u = {valid}",
                    plan.original
                ));
                continue;
            }
        }
        let mut java_answers: Vec<Option<bool>> = Vec::new();
        if plan.mode == Mode::Java {
            assert_eq!(java.next(), Some("P"), "Java rejects {:?}, which then has no oracle", plan.original);
            java_answers = strings
                .iter()
                .map(|_| match java.next() {
                    Some("1") => Some(true),
                    Some("0") => Some(false),
                    _ => None,
                })
                .collect();
            java_mode.push(plan.original.clone());
        }
        let source = String::leak(plan.original.clone());
        let ours = match plan.ecma() {
            Some(ecma) => {
                engine_answers += strings.len();
                validation::Pattern::with_engine(source, codegen_runtime::ecma::compile, ecma.max_chars())
            }
            None => project_tests::runtime_pattern(plan).expect("not on the ECMAScript engine"),
        };
        // The same checks on NFAs only (what a pattern whose DFA is over the budget runs).
        let on_nfas = project_tests::runtime_pattern_on_nfas(plan);
        for (i, s) in strings.iter().enumerate() {
            let oracle = match plan.mode {
                Mode::EcmaUnicode => node_u.and_then(|a| a.get(i)).and_then(|v| v.as_bool()),
                Mode::Java => java_answers[i],
            };
            let Some(expected) = oracle else {
                timeouts += 1;
                // No oracle answer in time; the validator must still answer (it runs in linear time).
                let _ = ours.is_match(s);
                continue;
            };
            evaluated += 1;
            let got = match ours.check(s) {
                validation::Outcome::Match => true,
                validation::Outcome::NoMatch => false,
                // Refused by the input bound, unchecked: no answer to compare.
                validation::Outcome::TooLong { .. } => {
                    evaluated -= 1;
                    beyond_bound += 1;
                    continue;
                }
            };
            if got != expected {
                mismatches.push(format!(
                    "{:?} ({:?} oracle) on {s:?}: validator says {got}, oracle says {expected}",
                    plan.original, plan.mode
                ));
            }
            if let Some(nfas) = &on_nfas {
                nfa_answers += 1;
                let got = nfas.is_match(s);
                if got != expected {
                    mismatches.push(format!(
                        "{:?} ({:?} oracle) on {s:?}: the validator on NFAs says {got}, oracle says {expected}",
                        plan.original, plan.mode
                    ));
                }
            }
        }
    }
    println!(
        "{evaluated} answers compared over {} patterns ({} on the ECMAScript engine, {engine_answers} strings), and \
         {nfa_answers} of the same checks run on NFAs; {timeouts} strings on which Node's backtracking engine ran out \
         of its time budget; {beyond_bound} beyond an engine's input bound; Java-semantics patterns: {java_mode:?}",
        cases.len(),
        ENGINE_PATTERNS.len()
    );
    assert!(evaluated > 10_000, "only {evaluated} answers compared");
    assert!(mismatches.is_empty(), "{} disagreements:\n{}", mismatches.len(), mismatches.join("\n"));
    assert_eq!(java_mode.len(), 6, "the six patterns Node rejects under `u`");
}
