use codegen::pattern::{self, automaton::Automaton};
fn main() {
    let text = std::fs::read_to_string("tests/data/aws-patterns.txt").unwrap();
    let (mut refused, mut nfa, mut bits, mut ecma, mut java) = (0, 0, 0, 0, 0);
    let mut worst = Vec::new();
    let t0 = std::time::Instant::now();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let mut parts = line.splitn(3, '\t');
        let (svc, max, p) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
        let max = max.parse().ok();
        let t = std::time::Instant::now();
        match pattern::plan_for_values(p, max) {
            Err(e) => {
                refused += 1;
                println!("REFUSED [{svc}] {p}\n    {e}");
            }
            Ok(plan) => {
                if plan.mode == pattern::Mode::Java {
                    java += 1;
                }
                if let Some(e) = plan.ecma() {
                    ecma += 1;
                    println!("ECMA [{svc}] {p}: {} {:?} {:?}", e.reason, e.bound, e.degree);
                }
                for c in &plan.checks {
                    match &c.automaton {
                        Automaton::Nfa(n, why) => {
                            nfa += 1;
                            println!("NFA {} [{svc}] {p}: {why}", n.states.len());
                        }
                        Automaton::Bits(b, _) => {
                            bits += 1;
                            worst.push((b.step_words(), b.positions, b.groups.len(), b.table_bytes(), p.to_owned()));
                        }
                        _ => {}
                    }
                }
            }
        }
        let el = t.elapsed().as_millis();
        if el > 200 {
            println!("SLOW {el} ms {p}");
        }
    }
    worst.sort();
    for w in worst.iter().rev().take(25) {
        println!("BITS step_words {} positions {} groups {} bytes {} {}", w.0, w.1, w.2, w.3, w.4);
    }
    println!("refused {refused} nfa {nfa} bits {bits} ecma {ecma} java {java} in {:?}", t0.elapsed());
}
