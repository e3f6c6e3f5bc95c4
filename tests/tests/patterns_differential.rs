//! Every `@pattern` of every awsJson service model AWS publishes (`tests/data/aws-patterns.txt`, written by `cargo
//! xtask aws-patterns`), of the full upstream SageMaker models in `../shared` (when present), and sets of patterns
//! that exercise the rewrites, the ECMAScript engine and Java's dialect, checked by the generated crate's validator
//! and by real engines, must give the same answers over a corpus of strings.
//!
//! - The validator side is the generated crate's own code: the plan the generator emits for the pattern (with the
//!   `@length` bound of the values it checks), run by the runtime modules `validation`, `automaton` and `ecma` (from
//!   the `codegen-runtime` crate, whose source is written unchanged into every generated crate). Each pattern on
//!   automata is also run with every check compiled as a position automaton (what a check whose DFA is over the
//!   budget runs) and as an NFA (the last resort), which must answer the same.
//! - The oracle is Node's `new RegExp(p, "u").test(s)` for patterns valid under the `u` flag, and Java's
//!   `Pattern.compile(p).matcher(s).find()` (a JDK 17) for the patterns the `u` flag rejects.
//! - Java's reading of every pattern (`pattern::plan_as_java`, whether or not the pattern is valid under `u`) is
//!   compared with Java's answers too: that checks the Java dialect on every pattern AWS wrote, not only on those
//!   that need it. Where a `u`-valid pattern's answer (ECMAScript's, Smithy's semantics) differs from Java's, the
//!   difference is listed with the construct the two dialects read differently.
//!
//! Every disagreement is either explained (a code point the oracle's Unicode version does not assign; JDK 17's `\b`,
//! which counts non-ASCII letters as word characters, where Java 19 and ECMAScript do not) and counted by its reason,
//! or fails the test.
//!
//! The corpus holds generic strings (empty, ASCII and non-ASCII letters and digits, white space and line
//! terminators, astral code points), strings built from each pattern to match it (repetitions at their minimum and
//! at their maximum, every alternative), and near misses made from those (one character more or less, a character
//! swapped for a non-ASCII one, a line terminator appended).
//!
//! CI compares every sixth pattern of the AWS list (about 20 minutes of two cores for them all);
//! `PATTERNS_DIFFERENTIAL=all` compares every one.
//!
//! Needs `node` and a JDK; skipped with a printed reason when one is absent, except under CI, where a missing engine
//! fails the test.

use codegen_runtime::validation;

use std::collections::{BTreeMap, BTreeSet};
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

/// Patterns in Java's dialect (all invalid under the ECMAScript `u` flag; `\_?` makes some so), one or more of each
/// construct, with strings that exercise them (the generic corpus and strings sampled from the checks are added).
const JAVA_PATTERNS: &[(&str, &[&str])] = &[
    (r"^\p{Punct}\p{Alnum}\p{Alpha}\p{Lower}\p{Upper}\p{Digit}$", &["!aBcD1", "«aBcD1", "!éBcD1", "_1xyZ0\n"]),
    (r"^[\p{XDigit}\p{Space}\p{Blank}\p{Cntrl}]+\p{ASCII}$", &["aF 0\t\u{b}\u{7f}", "g", "\u{a0}a", "F\u{80}"]),
    (r"^\p{Print}+\p{Graph}$", &["a b!", "a\tb!", "ab ", "é!", "~~"]),
    (r"^\p{LD}+\p{L1}\p{IsAlphabetic}$", &["a9٣ÿⅣ", "_ÿa", "aĀa", "٣\u{0}ª"]),
    (
        r"^\p{javaLowerCase}\p{javaUpperCase}\p{javaWhitespace}\p{javaLetterOrDigit}\p{javaDigit}\p{javaLetter}$",
        &["ªÉ\u{1c}٣٣ж", "aE\u{a0}a1b", "aE\u{2007}a1b", "aE\u{2008}a1b", "aE\u{85}a1b", "ǅE a1b"],
    ),
    (r"^[\p{javaAlphabetic}\p{javaIdeographic}\p{javaTitleCase}\p{javaMirrored}]+$", &["aⅣ中ǅ(«", "a1", "〇", "∈"]),
    (r"^[\p{javaSpaceChar}\p{javaISOControl}]+\p{javaDefined}$", &["\u{a0}\u{9f}a", "\t\u{2028}\u{378}", " \u{85}\n"]),
    (r"^\p{javaJavaIdentifierStart}\p{javaJavaIdentifierPart}*$", &["$a1_\u{ad}", "_", "1a", "a-b", "€x\u{0}"]),
    (
        r"^\p{javaUnicodeIdentifierStart}\p{javaUnicodeIdentifierPart}*\p{javaIdentifierIgnorable}?$",
        &["℘a·\u{ad}", "$a", "a\u{200b}", "ⅣⅣ", "a\u{1369}"],
    ),
    (
        r"^\p{IsPunct}\p{IsAlnum}\p{IsDigit}\p{IsLatin}\p{IsGreek}\p{IsWhite_Space}$",
        &["¿é٣aα\u{85}", "!a1aα ", "+a1aα ", "!_1aα "],
    ),
    (
        r"^[\p{IsGraph}&&\P{IsPunctuation}]\p{IsPrint}\p{IsBlank}\p{IsWord}\p{IsHex_Digit}\p{IsControl}$",
        &["a \u{a0}_F\u{85}", "! \ta٣\u{0}", "a\t a0\u{0}", "a  \u{300}Ｆ\u{9f}"],
    ),
    (r"^\p{sc=Cyrillic}\p{script=Han}\p{gc=Nd}\p{general_category=Lu}\pL\PN$", &["ж中٣Éaa", "a中٣Éaa", "ж中٣Éa1"]),
    (
        r"^(?i)\p{Lu}\p{Ll}\p{Lower}\p{IsUppercase}\p{javaLowerCase}\p{Upper}$",
        &["aAAaAa", "éÉzÉéz", "ßǅaéǅé", "1Aaaaa"],
    ),
    (r"^\Aab\z", &["ab", "ab\n", "xab"]),
    (r"\Gab\Z", &["ab", "ab\n", "ab\r\n", "xab", "ab\n\n", "ab\u{85}"]),
    (r"^[^/:|\000-\037]+$", &["a b", "a\u{1f}", "a/", "\u{7f}"]),
    (r"^\0101\0400\x{1F600}\cA\c?\e\a\t$", &["A 0😀\u{1}\u{7f}\u{1b}\u{7}\t", "A\u{20}0😀"]),
    (r"^\h+\v\R$", &["\u{a0}\u{85}\r\n", " \n\u{2028}", "\u{180e}\u{b}\r", "\n\n\n", " \nx"]),
    (r"^\Qa.b$\E[\Q]-^\E]+$", &["a.b$]", "a.b$-^", "axb$]", "a.b$x"]),
    (r"^[a-c[x-z]&&[b-y]]+$", &["bx", "a", "z", "cy"]),
    (r"^[^a-z&&[c-e]][\w&&[^\d]][\d-z]$", &["aa1", "ca1", "a1-", "1_z", "a_y"]),
    (r"^[]a]+[^]b]$", &["]ac", "a]b", "]]]"]),
    (r"^[0-9A-Z]{2}+$", &["A0", "A0\n", "A", "A0B"]),
    (r"^a*+a\_?$", &["a", "aa", ""]),
    (r"^(?>ab|a)b\_?$", &["ab", "abb"]),
    (r"^(?:a|ab)++c\_?$", &["ac", "abc", "aabc"]),
    (r"^(?>a{2}|b)c\_?$", &["aac", "bc", "ac"]),
    (r"(?m)^b$\_?", &["a\nb", "a\r\nb\r\n", "a\u{85}b", "a\rb\n", "ab", "b\r\n\n"]),
    (r"^(?m)a$", &["a\nb", "b\na", "a\r\n", "a\u{2028}"]),
    (
        r"^(?ms)\s*^-----BEGIN (?-s:.*)KEY-----$.*?^-----END (?-s:.*)KEY-----$\s*$",
        &[
            "-----BEGIN A KEY-----\nx\n-----END A KEY-----\n",
            "-----BEGIN A KEY-----x\n-----END A KEY-----",
            " \n-----BEGIN KEY-----\r\n-----END KEY-----",
        ],
    ),
    (r"^(\w)\1\_?$", &["aa", "ab", "éé"]),
    (r"^(?<n>a|b)\k<n>\_?$", &["aa", "bb", "ab"]),
    (r"^(a)\11\_?$", &["aa1", "a"]),
    (r"^(a)\2\_?$", &["a", "aa"]),
    (r"^a\r\_?$", &["a\r", "a\r\n", "a\r\r", "a\n"]),
    (r"^[a-z\r\_]+$", &["ab\r", "ab\r\n", "ab\n", "a\r\r\n"]),
    (r"^\p{IsL}\p{LC}\p{Cn}?\p{all}$", &["aA\u{378}x", "aa\u{0}", "1Aa"]),
];

/// The patterns of `tests/data/aws-patterns.txt`: each with the largest `@length` maximum of the values it checks.
fn aws_patterns() -> Vec<(String, Option<u64>)> {
    let text = std::fs::read_to_string(project_tests::root().join("tests/data/aws-patterns.txt")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .map(|line| {
            let mut fields = line.splitn(3, '\t');
            let (_service, max, pattern) = (fields.next(), fields.next(), fields.next());
            (pattern.expect("three fields").to_owned(), max.and_then(|m| m.parse().ok()))
        })
        .collect()
}

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
/// on in a fresh worker. The generated validator answers those strings too; only the oracle is missing. For each
/// string, also whether it holds a code point Node's Unicode does not assign (`\p{Cn}`).
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
  const unassigned = /\p{Cn}/u;
  for (const { p, s } of cases) out.push({ u: await runAll(p, "u", s), cn: s.map((x) => unassigned.test(x)) });
  fs.writeFileSync(process.argv[3], JSON.stringify(out));
})();
"#;

/// Java: for each pattern `P` (compiled) or `E` (rejected); for each string `1` or `0`, then `u` when the string
/// holds a code point Java's Unicode does not define, and `w` when it holds a non-ASCII letter or digit (a word
/// character for JDK 17's `\b`); or `T` when the match took longer than its budget of 500 ms (no answer).
const JAVA: &str = r#"
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import java.util.regex.*;

public class Oracle {
    /// The text, giving up (by throwing) once the time budget of a match is spent: Java's backtracking takes
    /// exponential time on some of these patterns, and cannot be interrupted otherwise.
    static final class Budgeted implements CharSequence {
        final String s;
        final long deadline;
        Budgeted(String s, long deadline) { this.s = s; this.deadline = deadline; }
        public char charAt(int i) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("timeout");
            return s.charAt(i);
        }
        public int length() { return s.length(); }
        public CharSequence subSequence(int a, int b) { return new Budgeted(s.substring(a, b), deadline); }
        public String toString() { return s; }
    }
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
                String s = hex(kv[1]);
                String flags = "";
                if (s.codePoints().anyMatch(c -> !Character.isDefined(c))) flags += "u";
                if (s.codePoints().anyMatch(c -> c >= 128 && Character.isLetterOrDigit(c))) flags += "w";
                if (p == null) { out.add("E"); continue; }
                try {
                    boolean found = p.matcher(new Budgeted(s, System.nanoTime() + 500_000_000L)).find();
                    out.add((found ? "1" : "0") + flags);
                } catch (IllegalStateException e) {
                    out.add("T");
                }
            }
        }
        Files.write(Paths.get(args[1]), out);
    }
}
"#;

fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

/// Where the patterns of a case came from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Origin {
    /// `tests/data/aws-patterns.txt` (and the SageMaker models of `../shared`).
    Aws,
    Rewritten,
    Engine,
    Java,
}

struct Case {
    plan: pattern::Plan,
    /// Java's reading of the pattern, when it has one.
    java: Option<pattern::Plan>,
    strings: Vec<String>,
}

/// One answer of an oracle.
#[derive(Clone, Copy)]
struct Answer {
    matched: bool,
    /// The string holds a code point the oracle's Unicode does not assign.
    unassigned: bool,
    /// Java only: the string holds a non-ASCII letter or digit.
    non_ascii_word: bool,
}

/// Java-mode answers of the generator known to differ from Java's, by pattern, with the reason.
const KNOWN_DEVIATIONS: &[(&str, &str)] = &[(
    r"^(?:(a)|b)\1$",
    "a backreference to a group that took no part in the match: Java's fails, the ECMAScript engine (which runs \
     Java's patterns that need backtracking) matches it as empty",
)];

/// Why an answer of ours may differ from an oracle's, when it does.
fn excuse(answer: &Answer, pattern: &str, java: bool) -> Option<&'static str> {
    if let Some((_, why)) = KNOWN_DEVIATIONS.iter().find(|(p, _)| java && *p == pattern) {
        return Some(why);
    }
    if answer.unassigned {
        return Some(if java {
            "a code point JDK 17's Unicode 13 does not assign (ours: regex-syntax's newer Unicode)"
        } else {
            "a code point Node's Unicode does not assign (ours: regex-syntax's newer Unicode)"
        });
    }
    if java && answer.non_ascii_word && (pattern.contains(r"\b") || pattern.contains(r"\B")) {
        return Some(
            "JDK 17's `\\b` counts non-ASCII letters and digits as word characters (Java 19 and ECMAScript do not)",
        );
    }
    None
}

/// The construct that a `u`-valid pattern's ECMAScript reading and Java's read differently, seen on `s`.
fn dialect_difference(pattern: &str, s: &str) -> &'static str {
    let terminators = ['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}'];
    let unicode_space = |c: char| c.is_whitespace() && !c.is_ascii() || c == '\u{feff}';
    if pattern.contains('$') && s.ends_with(terminators) {
        "`$`: Java's also matches before a final line terminator"
    } else if (pattern.contains(r"\s") || pattern.contains(r"\S")) && s.chars().any(unicode_space) {
        "`\\s`: ECMAScript's is Unicode white space, Java's ASCII"
    } else if pattern.contains('.') && s.contains('\u{85}') {
        "`.`: Java's does not match U+0085"
    } else if pattern.contains(r"\v") {
        "`\\v`: ECMAScript's is U+000B, Java's vertical white space"
    } else {
        "another construct"
    }
}

#[test]
fn generated_validators_agree_with_node_and_java() {
    if !tool("node", "--version") {
        return missing("node");
    }
    if !tool("javac", "-version") || !tool("java", "-version") {
        return missing("a JDK (javac and java)");
    }
    // Every pattern once, with the largest `@length` maximum of its values (`None`: one has none) and its origin.
    let mut patterns: BTreeMap<String, (Option<u64>, Origin, &[&str])> = BTreeMap::new();
    let aws = aws_patterns();
    assert!(aws.len() >= 1400, "tests/data/aws-patterns.txt has {} patterns", aws.len());
    // The whole list takes about 20 minutes of two cores, most of CI's time: CI compares every sixth pattern (the
    // same ones each run); `PATTERNS_DIFFERENTIAL=all` compares them all (before a release, and after a change to
    // the pattern planner or the automata).
    let every = if std::env::var("PATTERNS_DIFFERENTIAL").is_ok_and(|v| v == "all") { 1 } else { 6 };
    println!("comparing every {every} of the {} AWS patterns (PATTERNS_DIFFERENTIAL=all: every one)", aws.len());
    for (p, max) in aws.into_iter().step_by(every) {
        patterns.insert(p, (max, Origin::Aws, &[]));
    }
    let mut models = 0;
    if let Some(dir) = project_tests::shared() {
        let upstream = upstream_patterns(&dir);
        assert!(upstream.len() >= 230, "found {} patterns", upstream.len());
        assert!(upstream.iter().any(|p| p == r"^/(?!.*\.\.)[a-zA-Z0-9/_.\-]+$"), "MetricsEndpointPath's pattern");
        models = upstream.len();
        for p in upstream {
            // As the generator plans it for a value without `@length`; every SageMaker pattern is on automata.
            let plan = pattern::plan_for_values(&p, None).unwrap_or_else(|e| panic!("{p}: {e}"));
            assert_eq!(plan.engine, Engine::Regex, "{p} needs the ECMAScript engine");
            patterns.entry(p).or_insert((None, Origin::Aws, &[]));
        }
    }
    for (origin, list) in
        [(Origin::Rewritten, REWRITTEN_PATTERNS), (Origin::Engine, ENGINE_PATTERNS), (Origin::Java, JAVA_PATTERNS)]
    {
        for (p, extra) in list {
            patterns.insert(p.to_string(), (None, origin, extra));
        }
    }
    let mut rng = Rng(0x5eed_1234_abcd_9876);
    let mut cases = Vec::new();
    let mut refused = Vec::new();
    for (p, (max_len, origin, extra)) in &patterns {
        let plan = match pattern::plan_for_values(p, *max_len) {
            Ok(plan) => plan,
            Err(e) => {
                refused.push(format!("{p}: {e}"));
                continue;
            }
        };
        match origin {
            Origin::Rewritten => assert_eq!(plan.engine, Engine::Regex, "{p} was meant to be rewritten"),
            Origin::Engine => assert!(plan.ecma().is_some(), "{p} was meant to need the ECMAScript engine"),
            Origin::Java => assert_eq!(plan.mode, Mode::Java, "{p} was meant to be invalid under `u`"),
            Origin::Aws => {}
        }
        let java = match plan.mode {
            Mode::Java => Some(plan.clone()),
            Mode::EcmaUnicode => pattern::plan_as_java(p, *max_len).ok(),
        };
        // Strings sampled from the checks of both readings.
        let mut strings = corpus(&plan, extra, &mut rng);
        if let Some(j) = java.as_ref().filter(|j| j.mode != plan.mode || j.checks != plan.checks) {
            strings.extend(corpus(j, &[], &mut rng));
            strings.sort();
            strings.dedup();
        }
        cases.push(Case { plan, java, strings });
    }
    assert!(refused.is_empty(), "{} patterns refused:\n{}", refused.len(), refused.join("\n"));

    let work = project_tests::root().join("target/pattern-oracles");
    std::fs::create_dir_all(&work).unwrap();
    // Node.
    let input: Vec<serde_json::Value> =
        cases.iter().map(|c| serde_json::json!({"p": c.plan.original, "s": c.strings})).collect();
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
    // Java, on every pattern.
    let mut lines = Vec::new();
    for case in &cases {
        lines.push(format!("P\t{}", hex(&case.plan.original)));
        lines.extend(case.strings.iter().map(|s| format!("S\t{}", hex(s))));
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
    let mut java_out = java_lines.lines();

    let mut mismatches = Vec::new();
    let mut excused: BTreeMap<&str, usize> = BTreeMap::new();
    let mut differences: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let (mut evaluated, mut timeouts, mut beyond_bound, mut engine_answers) = (0, 0, 0, 0);
    let (mut bits_answers, mut nfa_answers) = (0, 0);
    let (mut java_compared, mut java_rejects, mut java_unread) = (0, Vec::new(), Vec::new());
    let mut java_mode = 0;
    for (case, node) in cases.iter().zip(&node) {
        let plan = &case.plan;
        let node_u = node["u"].as_array();
        let node_cn = node["cn"].as_array();
        let java_compiled = java_out.next() == Some("P");
        let java_answers: Vec<Option<Answer>> = case
            .strings
            .iter()
            .map(|_| {
                let line = java_out.next().unwrap_or("E");
                let matched = match line.as_bytes().first() {
                    Some(b'1') => true,
                    Some(b'0') => false,
                    _ => return None,
                };
                Some(Answer { matched, unassigned: line.contains('u'), non_ascii_word: line.contains('w') })
            })
            .collect();
        // The generator's classification must match Node's: `u`-valid patterns get ECMAScript semantics.
        match (plan.mode, node_u.is_some()) {
            (Mode::EcmaUnicode, true) => {}
            (Mode::Java, false) => {
                java_mode += 1;
                assert!(java_compiled, "Java rejects {:?}, which then has no oracle", plan.original);
            }
            (mode, valid) => {
                mismatches.push(format!(
                    "{:?}: generator chose {mode:?} but Node says valid-under-u = {valid}",
                    plan.original
                ));
                continue;
            }
        }
        let ours = project_tests::validator_pattern(plan);
        if plan.ecma().is_some() {
            engine_answers += case.strings.len();
        }
        // The same checks on position automata only (what a check whose DFA is over the budget runs), and on NFAs only
        // (what one whose position automaton is over its budget too runs).
        let on_bits = project_tests::runtime_pattern_on_bits(plan);
        let on_nfas = project_tests::runtime_pattern_on_nfas(plan);
        // Java's reading, when the pattern is `u`-valid (else it is `ours`).
        let java_reading = match (&case.java, plan.mode) {
            (Some(j), Mode::EcmaUnicode) if java_compiled => Some(project_tests::validator_pattern(j)),
            (Some(_), Mode::EcmaUnicode) => {
                java_rejects.push(plan.original.clone());
                None
            }
            (None, Mode::EcmaUnicode) if java_compiled => {
                java_unread.push(plan.original.clone());
                None
            }
            _ => None,
        };
        for (i, s) in case.strings.iter().enumerate() {
            let java_answer = java_answers[i];
            let oracle = match plan.mode {
                Mode::EcmaUnicode => node_u.and_then(|a| a.get(i)).and_then(|v| v.as_bool()).map(|matched| Answer {
                    matched,
                    unassigned: node_cn.and_then(|a| a.get(i)).and_then(|v| v.as_bool()).unwrap_or(false),
                    non_ascii_word: false,
                }),
                Mode::Java => java_answer,
            };
            let java = plan.mode == Mode::Java;
            let mut compare = |what: &str, got: bool, expected: &Answer, java: bool| {
                if got == expected.matched {
                    return;
                }
                match excuse(expected, &plan.original, java) {
                    Some(why) => *excused.entry(why).or_default() += 1,
                    None => mismatches.push(format!(
                        "{:?} ({}) on {s:?}: {what} says {got}, {} says {}",
                        plan.original,
                        if java { "Java" } else { "ECMAScript" },
                        if java { "Java" } else { "Node" },
                        expected.matched
                    )),
                }
            };
            match oracle {
                None => {
                    timeouts += 1;
                    // No oracle answer in time; the validator must still answer (it runs in linear time).
                    let _ = ours.is_match(s);
                }
                Some(expected) => match ours.check(s) {
                    // Refused by the input bound, unchecked: no answer to compare.
                    validation::Outcome::TooLong { .. } => beyond_bound += 1,
                    outcome => {
                        evaluated += 1;
                        let got = outcome == validation::Outcome::Match;
                        compare("the validator", got, &expected, java);
                        if let Some(bits) = &on_bits {
                            bits_answers += 1;
                            compare("the validator on position automata", bits.is_match(s), &expected, java);
                        }
                        if let Some(nfas) = &on_nfas {
                            nfa_answers += 1;
                            compare("the validator on NFAs", nfas.is_match(s), &expected, java);
                        }
                        if let (Mode::EcmaUnicode, Some(j)) = (plan.mode, java_answer) {
                            if got != j.matched && excuse(&j, &plan.original, true).is_none() {
                                differences
                                    .entry(dialect_difference(&plan.original, s))
                                    .or_default()
                                    .push(format!("{:?} on {s:?}", plan.original));
                            }
                        }
                    }
                },
            }
            if let (Some(reading), Some(expected)) = (&java_reading, java_answer) {
                if let outcome @ (validation::Outcome::Match | validation::Outcome::NoMatch) = reading.check(s) {
                    java_compared += 1;
                    compare("Java's reading", outcome == validation::Outcome::Match, &expected, true);
                }
            }
        }
    }
    let mut report = format!(
        "{} patterns ({} of tests/data/aws-patterns.txt and the models' {models}, {} on the ECMAScript engine, {java_mode} \
         with Java semantics): {evaluated} answers compared with Node's or Java's, {bits_answers} of them also on position \
         automata and {nfa_answers} on NFAs, \
         {java_compared} answers of Java's reading of the `u`-valid patterns compared with Java's; {timeouts} strings \
         on which the oracle's backtracking ran out of its time budget; {beyond_bound} beyond an engine's input bound \
         ({engine_answers} strings on the engine).\nDisagreements explained:",
        cases.len(),
        patterns.values().filter(|(_, o, _)| *o == Origin::Aws).count(),
        cases.iter().filter(|c| c.plan.ecma().is_some()).count(),
    );
    for (why, n) in &excused {
        report.push_str(&format!("\n  {n}: {why}"));
    }
    report.push_str("\nWhere the ECMAScript reading of a `u`-valid pattern (Smithy's) and Java's differ:");
    for (what, list) in &differences {
        report.push_str(&format!("\n  {}: {what}, e.g. {}", list.len(), list[..list.len().min(3)].join("; ")));
    }
    report.push_str(&format!(
        "\n`u`-valid patterns whose Java reading the generator has but the JDK rejects: {} {:?}\n`u`-valid patterns \
         the JDK reads but the generator's Java reading refuses: {} {:?}",
        java_rejects.len(),
        java_rejects,
        java_unread.len(),
        java_unread
    ));
    println!("{report}");
    assert!(evaluated > 100_000 / every, "only {evaluated} answers compared");
    assert!(mismatches.is_empty(), "{} disagreements:\n{}", mismatches.len(), mismatches.join("\n"));
    assert!(differences.keys().all(|k| *k != "another construct"), "unexplained dialect differences:\n{report}");
}
