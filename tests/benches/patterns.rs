//! Every `@pattern` of every awsJson service model AWS publishes (`tests/data/aws-patterns.txt`) on hostile inputs
//! of 100,000 characters: near misses that keep the automata busy to the end. Each pattern is planned as the
//! generator plans it (with the `@length` bound of its values) and run by the generated crate's runtime; the time of
//! the slowest input of each pattern is the figure. The survey prints the slowest patterns; criterion then measures
//! the five slowest precisely.
//!
//! `cargo bench -p project-tests --bench patterns` (`-- --survey` for the survey alone)

use std::time::{Duration, Instant};

use codegen::pattern::automaton::Automaton;
use criterion::{black_box, Criterion, Throughput};
use regex_syntax::hir::{Class, Hir, HirKind};

/// The length of the hostile inputs, in characters.
const LENGTH: usize = 100_000;

/// A string matching `hir` (as an anchored whole), picking ASCII letters where a class has them, repeating each
/// unbounded or long repetition until the string is `LENGTH` characters long.
fn sample(hir: &Hir, out: &mut String) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(l) => out.push_str(&String::from_utf8_lossy(&l.0)),
        HirKind::Class(Class::Unicode(c)) => {
            let ranges = c.ranges();
            let letter = ranges.iter().find(|r| r.start() <= 'a' && 'a' <= r.end()).map(|_| 'a');
            if let Some(c) = letter.or_else(|| ranges.first().map(|r| r.start())) {
                out.push(c);
            }
        }
        HirKind::Class(Class::Bytes(_)) => {}
        HirKind::Repetition(rep) => {
            let max = rep.max.unwrap_or(u32::MAX);
            let mut n = 0;
            while n < max && (n < rep.min || out.len() < LENGTH) {
                let before = out.len();
                sample(&rep.sub, out);
                n += 1;
                if out.len() == before {
                    break;
                }
            }
        }
        HirKind::Capture(c) => sample(&c.sub, out),
        HirKind::Concat(v) => v.iter().for_each(|h| sample(h, out)),
        // The last alternative, often the longest; `inputs` tries each of the top level.
        HirKind::Alternation(v) => sample(&v[v.len() - 1], out),
    }
}

/// The hostile inputs of a plan: for each check, a long match cut at `LENGTH` characters (or repeated up to them)
/// and followed by a character it cannot take (`\0`, `!`), each alternative of the check's top level in turn.
fn inputs(plan: &codegen::pattern::Plan) -> Vec<String> {
    let mut out = Vec::new();
    for check in &plan.checks {
        let Ok(hir) = regex_syntax::ParserBuilder::new().build().parse(&check.regex) else { continue };
        let alternatives: Vec<Hir> = match hir.kind() {
            HirKind::Alternation(v) => v.clone(),
            _ => vec![hir.clone()],
        };
        for alternative in alternatives {
            let mut s = String::new();
            sample(&alternative, &mut s);
            if s.is_empty() {
                continue;
            }
            let mut long: String = s.chars().take(LENGTH).collect();
            while long.chars().count() < LENGTH {
                long.push_str(&s);
            }
            let long: String = long.chars().take(LENGTH).collect();
            out.push(format!("{long}\u{0}"));
            out.push(format!("{long}!"));
        }
    }
    out
}

/// The least of three runs.
fn time(pattern: &codegen_runtime::validation::Pattern, input: &str) -> Duration {
    (0..3)
        .map(|_| {
            let start = Instant::now();
            black_box(pattern.check(black_box(input)));
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

struct Measured {
    pattern: String,
    worst: Duration,
    input: String,
    automata: String,
}

fn survey() -> Vec<Measured> {
    let text = std::fs::read_to_string(project_tests::root().join("tests/data/aws-patterns.txt")).unwrap();
    let mut measured = Vec::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let mut fields = line.splitn(3, '\t');
        let (_, max, pattern) = (fields.next(), fields.next(), fields.next().unwrap_or_default());
        let plan = codegen::pattern::plan_for_values(pattern, max.and_then(|m| m.parse().ok())).unwrap();
        let validator = project_tests::validator_pattern(&plan);
        let automata: Vec<&str> = plan
            .checks
            .iter()
            .map(|c| match c.automaton {
                Automaton::Dfa(_) => "DFA",
                Automaton::Bits(..) => "position automaton",
                Automaton::Nfa(..) => "NFA",
            })
            .collect();
        let automata = if plan.ecma().is_some() { "ECMAScript engine".to_owned() } else { automata.join(" + ") };
        let mut inputs = inputs(&plan);
        inputs.push(format!("{}\u{0}", "a".repeat(LENGTH)));
        let (worst, input) =
            inputs.into_iter().map(|s| (time(&validator, &s), s)).max_by_key(|(t, _)| *t).unwrap_or_default();
        measured.push(Measured { pattern: pattern.to_owned(), worst, input, automata });
    }
    measured.sort_by_key(|m| std::cmp::Reverse(m.worst));
    measured
}

fn main() {
    let started = Instant::now();
    let measured = survey();
    println!(
        "{} patterns, each on its hostile inputs of {LENGTH} characters (the slowest input of each, the least of three \
         runs), in {:.1} s:",
        measured.len(),
        started.elapsed().as_secs_f64()
    );
    for m in measured.iter().take(15) {
        println!("{:>10.2?}  {}  ({})", m.worst, m.pattern, m.automata);
    }
    let over = measured.iter().filter(|m| m.worst > Duration::from_millis(100)).count();
    println!("{over} over 100 ms");
    if std::env::args().any(|a| a == "--survey") {
        return;
    }
    let mut c = Criterion::default().configure_from_args().sample_size(10);
    let mut group = c.benchmark_group("hostile input of 100,000 characters");
    for m in measured.iter().take(5) {
        let plan = codegen::pattern::plan(&m.pattern).or_else(|_| codegen::pattern::plan_for_values(&m.pattern, None));
        let validator = project_tests::validator_pattern(&plan.unwrap());
        group.throughput(Throughput::Bytes(m.input.len() as u64));
        group.bench_function(m.pattern.as_str(), |b| b.iter(|| validator.check(black_box(&m.input))));
    }
    group.finish();
    c.final_summary();
}
