fn main() {
    for p in std::env::args().skip(1) {
        match codegen::pattern::plan_as_java(&p, None) {
            Ok(plan) => {
                for c in &plan.checks {
                    println!("{p}: {}", c.automaton.describe());
                }
            }
            Err(e) => println!("{p}: ERR {e}"),
        }
        match codegen::pattern::plan(&p) {
            Ok(plan) => {
                for c in &plan.checks {
                    println!("  default {p}: {}", c.automaton.describe());
                }
            }
            Err(e) => println!("  default {p}: ERR {e}"),
        }
    }
}
