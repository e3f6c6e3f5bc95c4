use codegen::pattern;
use regex_syntax::hir::{Class, Hir, HirKind};
use std::time::Instant;

fn sample(hir: &Hir, budget: &mut usize, out: &mut String) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(l) => out.push_str(&String::from_utf8_lossy(&l.0)),
        HirKind::Class(Class::Unicode(c)) => {
            if let Some(r) = c.ranges().iter().find(|r| r.end() >= 'a' && r.start() <= 'z').or(c.ranges().first()) {
                let pick = if r.start() <= 'a' && 'a' <= r.end() { 'a' } else { r.start() };
                out.push(pick);
            }
        }
        HirKind::Class(Class::Bytes(_)) => {}
        HirKind::Repetition(rep) => {
            let max = rep.max.unwrap_or(u32::MAX);
            let mut n = 0;
            while n < max && (n < rep.min || out.len() < *budget) {
                let before = out.len();
                sample(&rep.sub, budget, out);
                n += 1;
                if out.len() == before {
                    break;
                }
            }
        }
        HirKind::Capture(c) => sample(&c.sub, budget, out),
        HirKind::Concat(v) => v.iter().for_each(|h| sample(h, budget, out)),
        HirKind::Alternation(v) => {
            // the longest-looking alternative: last
            sample(&v[v.len() - 1], budget, out)
        }
    }
}

fn main() {
    let file = std::env::args().nth(1).unwrap();
    let only_nfa = std::env::args().nth(2).is_none();
    let text = std::fs::read_to_string(file).unwrap();
    let mut worst = Vec::new();
    for line in text.lines() {
        if line.starts_with('#') {
            continue;
        }
        let p = line.splitn(3, "\t").nth(2).unwrap();
        let Ok(plan) = pattern::plan_for_values(p, None) else { continue };
        let nfa = plan.checks.iter().any(|c| !matches!(c.automaton, pattern::automaton::Automaton::Dfa(..)));
        if plan.ecma().is_some() {
            continue;
        }
        if only_nfa && !nfa {
            continue;
        }
        let ours = project_tests::runtime_pattern(&plan).unwrap();
        let mut inputs = Vec::new();
        for c in &plan.checks {
            let hir = regex_syntax::ParserBuilder::new().build().parse(&c.regex).unwrap();
            let mut s = String::new();
            let mut budget = 100_000;
            sample(&hir, &mut budget, &mut s);
            let mut t: String = s.chars().take(100_000).collect();
            while t.len() < 100_000 && !s.is_empty() {
                t.push_str(&s);
            }
            let t: String = t.chars().take(100_000).collect();
            inputs.push(format!("{t}\u{0}"));
            inputs.push(format!("{t}!"));
        }
        let mut max = 0.0f64;
        for s in &inputs {
            let t = Instant::now();
            std::hint::black_box(ours.is_match(s));
            max = max.max(t.elapsed().as_secs_f64());
        }
        worst.push((max, p.to_owned()));
    }
    worst.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap());
    for (t, p) in worst.iter().take(40) {
        println!("{:8.2} ms  {p}", t * 1000.0);
    }
}
