//! Every `@pattern` of every awsJson service model AWS publishes (`tests/data/aws-patterns.txt`, 1,454 patterns) on
//! hostile inputs of 100,000 characters: near misses that keep the automata busy to the end (a long match of each
//! alternative, cut or repeated to the length, then a character it cannot take; the same with a quarter of its
//! characters replaced at random by others of it; `a`s). Each pattern is planned as the generator plans it (with the `@length` bound of its values)
//! and run by the generated crate's runtime (`codegen-runtime`, whose modules the generator copies); the figure of a
//! pattern is the time of its slowest input (the least of three runs). A pattern on the ECMAScript engine refuses a
//! value longer than its input bound unchecked; its inputs are cut to the bound, the longest it runs on. The survey prints the distribution over all
//! patterns, every pattern with a check over the DFA budget (a position automaton or an NFA) and the slowest overall,
//! and for the slowest few the time the same checks take as NFA simulations (what such a check ran before position
//! automata); criterion then measures the five slowest precisely.
//!
//! `cargo bench -p project-tests --bench patterns` (`-- --survey` for the survey alone)

use std::time::{Duration, Instant};

use codegen::pattern::automaton::Automaton;
use codegen_runtime::validation::Outcome;
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
            // The same match with a quarter of its characters past the first 256 (the prefixes before anything
            // repeats are shorter) replaced by others of it, chosen by a fixed xorshift sequence: paths through the
            // automaton that one repeated character does not take.
            let chars: Vec<char> = s.chars().collect();
            let mut state = 0x9e37_79b9_7f4a_7c15u64 ^ s.len() as u64;
            let mut mixed: String = long
                .chars()
                .enumerate()
                .map(|(i, c)| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    if i < 256 || !state.is_multiple_of(4) {
                        c
                    } else {
                        chars[(state >> 2) as usize % chars.len()]
                    }
                })
                .collect();
            mixed.push('\u{0}');
            out.push(mixed);
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

/// How a pattern is checked.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Kind {
    /// Every check a DFA.
    Dfa,
    /// Some check over the DFA budget: a position automaton or an NFA.
    OverBudget,
    /// The ECMAScript engine, with its input bound.
    Engine,
}

struct Measured {
    pattern: String,
    plan: codegen::pattern::Plan,
    kind: Kind,
    worst: Duration,
    input: String,
    /// The outcome on the slowest input (an engine pattern may refuse it as longer than its bound).
    outcome: Outcome,
    automata: String,
}

fn describe(plan: &codegen::pattern::Plan) -> String {
    if plan.ecma().is_some() {
        return "ECMAScript engine".to_owned();
    }
    let each: Vec<String> = plan
        .checks
        .iter()
        .map(|c| match &c.automaton {
            Automaton::Dfa(d) => format!("DFA of {} states", d.states()),
            Automaton::Bits(b, _) => {
                format!("position automaton of {} positions, {} words a step", b.positions, b.step_words())
            }
            Automaton::Nfa(n, _) => format!("NFA of {} states", n.states.len()),
        })
        .collect();
    if each.is_empty() {
        "no check".to_owned()
    } else {
        each.join(" + ")
    }
}

fn survey() -> Vec<Measured> {
    let text = std::fs::read_to_string(project_tests::root().join("tests/data/aws-patterns.txt")).unwrap();
    let mut measured = Vec::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let mut fields = line.splitn(3, '\t');
        let (_, max, pattern) = (fields.next(), fields.next(), fields.next().unwrap_or_default());
        let plan = codegen::pattern::plan_for_values(pattern, max.and_then(|m| m.parse().ok())).unwrap();
        let validator = project_tests::validator_pattern(&plan);
        let kind = match () {
            _ if plan.ecma().is_some() => Kind::Engine,
            _ if plan.checks.iter().all(|c| matches!(c.automaton, Automaton::Dfa(_))) => Kind::Dfa,
            _ => Kind::OverBudget,
        };
        let mut inputs = inputs(&plan);
        inputs.push(format!("{}\u{0}", "a".repeat(LENGTH)));
        // The engine refuses a value longer than its bound unchecked: its hostile inputs are cut to the bound (the
        // character that spoils the match kept at the end), the longest values it runs on.
        if let Some(bound) = plan.ecma().and_then(|e| e.max_chars()) {
            for input in &mut inputs {
                let keep = (bound as usize).saturating_sub(1);
                let last = input.chars().last().unwrap_or_default();
                *input = input.chars().take(keep).chain([last]).collect();
            }
        }
        let (worst, input) =
            inputs.into_iter().map(|s| (time(&validator, &s), s)).max_by_key(|(t, _)| *t).unwrap_or_default();
        let outcome = validator.check(&input);
        measured.push(Measured {
            pattern: pattern.to_owned(),
            automata: describe(&plan),
            plan,
            kind,
            worst,
            input,
            outcome,
        });
    }
    measured.sort_by_key(|m| std::cmp::Reverse(m.worst));
    measured
}

/// The `q` quantile of durations sorted from the slowest.
fn quantile(sorted: &[Duration], q: f64) -> Duration {
    let from_fastest = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted.get(sorted.len().saturating_sub(1 + from_fastest)).copied().unwrap_or_default()
}

fn distribution(what: &str, list: &[&Measured]) {
    let times: Vec<Duration> = list.iter().map(|m| m.worst).collect();
    println!(
        "{what}: {} patterns; median {:.2?}, 90th percentile {:.2?}, 99th {:.2?}, slowest {:.2?}; {} over 100 ms",
        times.len(),
        quantile(&times, 0.5),
        quantile(&times, 0.9),
        quantile(&times, 0.99),
        quantile(&times, 1.0),
        times.iter().filter(|t| **t > Duration::from_millis(100)).count()
    );
}

fn main() {
    let started = Instant::now();
    let measured = survey();
    println!(
        "{} patterns of tests/data/aws-patterns.txt, each on its hostile inputs of {LENGTH} characters (the slowest \
         input of each, the least of three runs), surveyed in {:.1} s.",
        measured.len(),
        started.elapsed().as_secs_f64()
    );
    let of = |kind: Kind| measured.iter().filter(|m| m.kind == kind).collect::<Vec<_>>();
    distribution("all", &measured.iter().collect::<Vec<_>>());
    distribution("every check a DFA", &of(Kind::Dfa));
    distribution("a check over the DFA budget", &of(Kind::OverBudget));
    let engine = of(Kind::Engine);
    let refused = engine.iter().filter(|m| m.plan.ecma().and_then(|e| e.max_chars()).is_some()).count();
    distribution("on the ECMAScript engine", &engine);
    println!("  their inputs cut to their bound ({refused} refuse the whole input unchecked):");
    for m in &engine {
        let bound = m.plan.ecma().and_then(|e| e.max_chars()).map_or("none".to_owned(), |n| n.to_string());
        println!("{:>10.2?}  {}  (bound {bound}: {:?})", m.worst, m.pattern, m.outcome);
    }
    println!("\nEvery pattern with a check over the DFA budget, slowest first:");
    for m in of(Kind::OverBudget) {
        println!("{:>10.2?}  {}  ({})", m.worst, m.pattern, m.automata);
    }
    println!("\nThe slowest patterns:");
    for m in measured.iter().take(15) {
        println!("{:>10.2?}  {}  ({})", m.worst, m.pattern, m.automata);
    }
    println!("\nThe slowest over the DFA budget, with their checks as NFA simulations instead (one run):");
    for m in of(Kind::OverBudget).iter().take(3) {
        let Some(nfas) = project_tests::runtime_pattern_on_nfas(&m.plan) else { continue };
        let start = Instant::now();
        black_box(nfas.check(black_box(&m.input)));
        println!("{:>10.2?} as NFAs, {:>10.2?} as planned  {}", start.elapsed(), m.worst, m.pattern);
    }
    if std::env::args().any(|a| a == "--survey") {
        return;
    }
    let mut c = Criterion::default().configure_from_args().sample_size(10);
    let mut group = c.benchmark_group("hostile input of 100,000 characters");
    for m in measured.iter().take(5) {
        let validator = project_tests::validator_pattern(&m.plan);
        group.throughput(Throughput::Bytes(m.input.len() as u64));
        group.bench_function(m.pattern.as_str(), |b| b.iter(|| validator.check(black_box(&m.input))));
    }
    group.finish();
    c.final_summary();
}
