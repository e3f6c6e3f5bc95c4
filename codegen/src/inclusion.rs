//! Whether one `@pattern` accepts more, fewer or other strings than another, decided on exactly what the generated
//! validators run.
//!
//! The generated crate checks a pattern with its [`Plan`]: a list of `regex` crate expressions, each of which must
//! (or must not) find a match somewhere in the value, and optional bounds on the number of code points (the crate
//! runs each expression as an automaton compiled from it, `pattern::automaton`). Such a plan accepts a regular
//! language of strings, so two plans can be compared exactly:
//!
//! - every check becomes a dense DFA (`regex-automata`, parsing with the `regex` crate's syntax, as the generated
//!   crate's automata are built), built unanchored so that it answers "is there a match anywhere", as
//!   `Regex::is_match` does; a check that must not match is the complement, decided at the end;
//! - the bytes of the value go through all the DFAs at once, together with a small automaton that admits only valid
//!   UTF-8 (values are Rust strings) and a code-point counter capped just above the largest bound;
//! - a breadth-first search of that product automaton looks for the shortest value the old plan accepts and the new
//!   one refuses, and the shortest one the new plan accepts and the old one refuses. It moves one character at a
//!   time: the machines' states between characters form a tuple, and each tuple's successors by one character are
//!   worked out once (through the bytes of that character), whatever the count, so that a bound of 2,048 code points
//!   costs thousands of states, not millions.
//!
//! A DFA reports any match, empty ones included, while `Regex::is_match` in UTF-8 mode ignores an empty match that
//! would split a character; the translated checks only match the empty string at anchors and between characters,
//! where the two agree.
//!
//! When the search ends, the answer is exact: no such value exists, or here is one. The product can be large in
//! principle, so the search has a budget of states (and each DFA a size limit); a search that runs out of budget
//! says so, with whatever example it already found, and the caller treats the change as breaking.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use regex_automata::dfa::{dense, Automaton, StartKind};
use regex_automata::nfa::thompson;
use regex_automata::util::primitives::StateID;
use regex_automata::util::start;
use regex_automata::{Anchored, MatchKind};

use crate::pattern::automaton::Fx;
use crate::pattern::Plan;

/// Limits on one comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// States of the product automaton to visit at most.
    pub states: usize,
    /// Bytes each DFA may take (determinization included).
    pub dfa_bytes: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Budget { states: 1_000_000, dfa_bytes: 32 << 20 }
    }
}

/// How the strings the new validator accepts relate to those the old one accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Relation {
    /// Exactly the same strings.
    Same,
    /// Strictly more strings: `accepted` is one the old validator refused and the new one accepts.
    Relaxed {
        /// Accepted now, refused before.
        accepted: String,
    },
    /// Strictly fewer strings: `refused` is one the old validator accepted and the new one refuses.
    Tightened {
        /// Accepted before, refused now.
        refused: String,
    },
    /// Each accepts strings the other refuses.
    Incomparable {
        /// Accepted before, refused now.
        refused: String,
        /// Accepted now, refused before.
        accepted: String,
    },
    /// The budget ran out (or a DFA could not be built) before the question was settled.
    Undecided {
        /// Why.
        reason: String,
        /// A string accepted before and refused now, if one was found.
        refused: Option<String>,
        /// A string accepted now and refused before, if one was found.
        accepted: Option<String>,
    },
}

/// The answer and what it cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    /// The relation between the two validators.
    pub relation: Relation,
    /// Product states visited.
    pub states: usize,
}

/// Compare two patterns as the generated crate checks them; `None` is "no pattern" (every string is accepted).
pub fn compare_patterns(old: Option<&str>, new: Option<&str>, budget: &Budget) -> Comparison {
    let plan = |p: Option<&str>| -> Result<Plan, String> {
        match p {
            Some(p) => crate::pattern::plan(p).map_err(|e| format!("pattern `{p}` cannot be translated: {e}")),
            None => Ok(accept_all()),
        }
    };
    match (plan(old), plan(new)) {
        (Ok(a), Ok(b)) if a.ecma().is_some() || b.ecma().is_some() => Comparison {
            relation: Relation::Undecided {
                reason: "a pattern checked by the ECMAScript engine is not a finite automaton".into(),
                refused: None,
                accepted: None,
            },
            states: 0,
        },
        (Ok(a), Ok(b)) => compare(&a, &b, budget),
        (Err(reason), _) | (_, Err(reason)) => {
            Comparison { relation: Relation::Undecided { reason, refused: None, accepted: None }, states: 0 }
        }
    }
}

/// The plan of "no pattern".
fn accept_all() -> Plan {
    Plan {
        original: String::new(),
        mode: crate::pattern::Mode::EcmaUnicode,
        checks: Vec::new(),
        chars: None,
        engine: crate::pattern::Engine::Regex,
        notes: Vec::new(),
    }
}

/// One distinct check, as a DFA, and what each plan expects of it (`None`: the plan does not have this check).
struct Machine {
    regex: String,
    dfa: dense::DFA<Vec<u32>>,
    start: StateID,
    old: Option<bool>,
    new: Option<bool>,
}

/// A machine's state once it has seen a match: no later byte can undo a match.
const MATCHED: u32 = u32::MAX;

/// Compare two plans.
pub fn compare(old: &Plan, new: &Plan, budget: &Budget) -> Comparison {
    if old.checks == new.checks && old.chars == new.chars {
        return Comparison { relation: Relation::Same, states: 0 };
    }
    let undecided = |reason: String| Comparison {
        relation: Relation::Undecided { reason, refused: None, accepted: None },
        states: 0,
    };
    let mut machines: Vec<Machine> = Vec::new();
    for (plan, is_new) in [(old, false), (new, true)] {
        for check in &plan.checks {
            // A check both plans make is run once.
            let at = match machines.iter().position(|m| m.regex == check.regex) {
                Some(i) => i,
                None => match build(&check.regex, budget) {
                    Ok((dfa, start)) => {
                        machines.push(Machine { regex: check.regex.clone(), dfa, start, old: None, new: None });
                        machines.len() - 1
                    }
                    Err(reason) => return undecided(reason),
                },
            };
            let slot = if is_new { &mut machines[at].new } else { &mut machines[at].old };
            if slot.is_some_and(|e| e != check.expect) {
                // Required and forbidden at once: the plan accepts nothing. Plans never say this; do not guess.
                return undecided(format!("`{}` is both required and forbidden", check.regex));
            }
            *slot = Some(check.expect);
        }
    }
    // Counting code points only matters up to one past the largest bound either plan has.
    let bounds = [old.chars, new.chars].into_iter().flatten().flat_map(|(min, max)| [Some(min), max]).flatten();
    let cap = bounds.max().map_or(0, |b| b.saturating_add(1));
    let mut product = Product { alphabet: alphabet(&machines), machines: &machines, ..Product::default() };
    let first = product.tuple(machines.iter().map(|m| m.start.as_u32()).collect());

    // Breadth-first over (machine states, code points read): states are numbered in the order they are found, so
    // visiting them in that order is breadth-first, and the first example of each kind is a shortest one (in code
    // points). `trail` holds, for each state, where it was first reached from and by which character.
    let mut visits: Vec<(u32, u32)> = vec![(first, 0)];
    let mut trail: Vec<(u32, char)> = vec![(0, '\0')];
    let mut seen: HashMap<(u32, u32), u32, BuildHasherDefault<Fx>> = HashMap::default();
    seen.insert((first, 0), 0);
    let (mut refused, mut accepted) = (None, None);
    let mut exhausted = true;
    let mut at = 0usize;
    'search: while at < visits.len() {
        let (tuple, count) = visits[at];
        let within = |chars: Option<(u32, Option<u32>)>| {
            chars.is_none_or(|(min, max)| count >= min && max.is_none_or(|m| count <= m))
        };
        let (was, is) = product.verdicts(tuple);
        let (was, is) = (was && within(old.chars), is && within(new.chars));
        if was && !is && refused.is_none() {
            refused = Some(text(&trail, at));
        }
        if is && !was && accepted.is_none() {
            accepted = Some(text(&trail, at));
        }
        if refused.is_some() && accepted.is_some() {
            break;
        }
        let steps = match product.successors(tuple) {
            Ok(steps) => steps,
            Err(reason) => {
                return Comparison {
                    relation: Relation::Undecided { reason, refused, accepted },
                    states: visits.len() + product.inner,
                }
            }
        };
        let next_count = count.saturating_add(1).min(cap);
        for &(next, c) in steps.iter() {
            if seen.contains_key(&(next, next_count)) {
                continue;
            }
            if visits.len() + product.inner >= budget.states {
                exhausted = false;
                break 'search;
            }
            seen.insert((next, next_count), visits.len() as u32);
            visits.push((next, next_count));
            trail.push((at as u32, c));
        }
        at += 1;
    }
    let states = visits.len() + product.inner;
    let relation = match (refused, accepted) {
        (Some(refused), Some(accepted)) => Relation::Incomparable { refused, accepted },
        (refused, accepted) if !exhausted => Relation::Undecided {
            reason: format!("not settled within the budget of {} automaton states", budget.states),
            refused,
            accepted,
        },
        (Some(refused), None) => Relation::Tightened { refused },
        (None, Some(accepted)) => Relation::Relaxed { accepted },
        (None, None) => Relation::Same,
    };
    Comparison { relation, states }
}

/// The tuples one character away from a tuple, each with a character that leads there.
type Steps = std::rc::Rc<[(u32, char)]>;

/// The machines run side by side. A *tuple* is one state per machine (or [`MATCHED`]) between two characters; each
/// distinct tuple gets a number, its verdicts and its successors by one character are computed once, whatever the
/// code-point count, which is what keeps long counted patterns cheap.
#[derive(Default)]
struct Product<'a> {
    machines: &'a [Machine],
    alphabet: Vec<u8>,
    ids: HashMap<Box<[u32]>, u32, BuildHasherDefault<Fx>>,
    tuples: Vec<Box<[u32]>>,
    successors: Vec<Option<Steps>>,
    /// States visited inside characters (between the bytes of one code point), for the budget.
    inner: usize,
}

impl Product<'_> {
    fn tuple(&mut self, states: Box<[u32]>) -> u32 {
        if let Some(&id) = self.ids.get(&states) {
            return id;
        }
        let id = self.tuples.len() as u32;
        self.ids.insert(states.clone(), id);
        self.tuples.push(states);
        self.successors.push(None);
        id
    }

    /// Whether the old and the new plan's checks hold for a value that ends at this tuple.
    fn verdicts(&self, tuple: u32) -> (bool, bool) {
        let (mut was, mut is) = (true, true);
        for (m, &s) in self.machines.iter().zip(self.tuples[tuple as usize].iter()) {
            let matched =
                s == MATCHED || m.dfa.is_match_state(m.dfa.next_eoi_state(StateID::new_unchecked(s as usize)));
            if m.old.is_some_and(|e| e != matched) {
                was = false;
            }
            if m.new.is_some_and(|e| e != matched) {
                is = false;
            }
        }
        (was, is)
    }

    /// The distinct tuples one character away, each with the first (most readable) character that leads there.
    fn successors(&mut self, tuple: u32) -> Result<Steps, String> {
        if let Some(done) = &self.successors[tuple as usize] {
            return Ok(done.clone());
        }
        // Breadth-first through the bytes of one character; states inside the character are deduplicated locally.
        let start = self.tuples[tuple as usize].clone();
        let mut inside: HashMap<(Box<[u32]>, u8), (), BuildHasherDefault<Fx>> = HashMap::default();
        let mut queue: std::collections::VecDeque<(Box<[u32]>, u8, Vec<u8>)> =
            std::collections::VecDeque::from([(start, 0u8, Vec::new())]);
        let mut found: Vec<(Box<[u32]>, char)> = Vec::new();
        let mut found_set: HashMap<Box<[u32]>, (), BuildHasherDefault<Fx>> = HashMap::default();
        while let Some((states, utf8, bytes)) = queue.pop_front() {
            for &byte in &self.alphabet {
                let Some(utf8_next) = utf8_step(utf8, byte) else { continue };
                let mut next = Vec::with_capacity(states.len());
                for (m, &s) in self.machines.iter().zip(states.iter()) {
                    next.push(if s == MATCHED {
                        MATCHED
                    } else {
                        let t = m.dfa.next_state(StateID::new_unchecked(s as usize), byte);
                        if m.dfa.is_quit_state(t) {
                            return Err("a translated check needs a DFA feature the comparison lacks".into());
                        }
                        // A match state reports a match that ended before this byte: the check has matched.
                        if m.dfa.is_match_state(t) {
                            MATCHED
                        } else {
                            t.as_u32()
                        }
                    });
                }
                let next: Box<[u32]> = next.into();
                let mut path = bytes.clone();
                path.push(byte);
                if utf8_next == 0 {
                    if found_set.insert(next.clone(), ()).is_none() {
                        let c = std::str::from_utf8(&path).ok().and_then(|t| t.chars().next()).unwrap_or('\0');
                        found.push((next, c));
                    }
                } else if inside.insert((next.clone(), utf8_next), ()).is_none() {
                    self.inner += 1;
                    queue.push_back((next, utf8_next, path));
                }
            }
        }
        let steps: Steps = found.into_iter().map(|(states, c)| (self.tuple(states), c)).collect::<Vec<_>>().into();
        self.successors[tuple as usize] = Some(steps.clone());
        Ok(steps)
    }
}

/// The string spelled by the path to state `at`.
fn text(trail: &[(u32, char)], mut at: usize) -> String {
    let mut chars = Vec::new();
    while at != 0 {
        let (from, c) = trail[at];
        chars.push(c);
        at = from as usize;
    }
    chars.iter().rev().collect()
}

/// The most memory the NFA of one translated check may take.
const NFA_SIZE_LIMIT: usize = 16 << 20;

/// An unanchored DFA for one translated check, and its start state at the beginning of the value.
fn build(regex: &str, budget: &Budget) -> Result<(dense::DFA<Vec<u32>>, StateID), String> {
    let config = dense::DFA::config()
        .start_kind(StartKind::Unanchored)
        .match_kind(MatchKind::All)
        .dfa_size_limit(Some(budget.dfa_bytes))
        .determinize_size_limit(Some(budget.dfa_bytes));
    let dfa = dense::Builder::new()
        .configure(config)
        .thompson(thompson::Config::new().nfa_size_limit(Some(NFA_SIZE_LIMIT)))
        .build(regex)
        .map_err(|e| format!("no DFA within the budget for `{regex}`: {e}"))?;
    let start = dfa
        .start_state(&start::Config::new().anchored(Anchored::No))
        .map_err(|e| format!("no start state for `{regex}`: {e}"))?;
    Ok((dfa, start))
}

/// One byte for each class of bytes that every DFA and the UTF-8 automaton treat alike, the most readable first
/// (lower-case letters, digits, upper case, other printable ASCII, then the rest), so examples read well.
fn alphabet(machines: &[Machine]) -> Vec<u8> {
    let signature = |b: u8| -> Vec<u16> {
        let mut sig: Vec<u16> = machines.iter().map(|m| u16::from(m.dfa.byte_classes().get(b))).collect();
        sig.extend((0..8).map(|s| utf8_step(s, b).map_or(u16::MAX, u16::from)));
        sig
    };
    let rank = |b: u8| match b {
        b'a'..=b'z' => (0, b),
        b'0'..=b'9' => (1, b),
        b'A'..=b'Z' => (2, b),
        b'!'..=b'~' => (3, b),
        b' ' => (4, b),
        0xC3 | 0xA9 => (5, b), // `é`, when a non-ASCII character is needed
        _ => (6, b),
    };
    let mut bytes: Vec<u8> = (0..=255).collect();
    bytes.sort_by_key(|&b| rank(b));
    let mut seen = std::collections::HashSet::new();
    bytes.into_iter().filter(|&b| seen.insert(signature(b))).collect()
}

/// The UTF-8 automaton: 0 at a character boundary; 1, 2, 3 expecting that many continuation bytes; 4 to 7 after the
/// lead bytes `E0`, `ED`, `F0`, `F4`, whose next byte has a narrower range. `None`: not valid UTF-8.
pub(crate) fn utf8_step(state: u8, b: u8) -> Option<u8> {
    match (state, b) {
        (0, 0x00..=0x7F) => Some(0),
        (0, 0xC2..=0xDF) => Some(1),
        (0, 0xE0) => Some(4),
        (0, 0xE1..=0xEC | 0xEE..=0xEF) => Some(2),
        (0, 0xED) => Some(5),
        (0, 0xF0) => Some(6),
        (0, 0xF1..=0xF3) => Some(3),
        (0, 0xF4) => Some(7),
        (1, 0x80..=0xBF) => Some(0),
        (2, 0x80..=0xBF) => Some(1),
        (3, 0x80..=0xBF) => Some(2),
        (4, 0xA0..=0xBF) => Some(1),
        (5, 0x80..=0x9F) => Some(1),
        (6, 0x90..=0xBF) => Some(2),
        (7, 0x80..=0x8F) => Some(2),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(old: Option<&str>, new: Option<&str>) -> Relation {
        compare_patterns(old, new, &Budget::default()).relation
    }

    /// The example is really accepted or refused as claimed, by the plans the generated crate runs.
    fn accepts(pattern: Option<&str>, s: &str) -> bool {
        let Some(p) = pattern else { return true };
        let plan = crate::pattern::plan(p).unwrap();
        let n = s.chars().count() as u32;
        plan.chars.is_none_or(|(min, max)| n >= min && max.is_none_or(|m| n <= m))
            && plan.checks.iter().all(|c| regex::Regex::new(&c.regex).unwrap().is_match(s) == c.expect)
    }

    fn check(old: Option<&str>, new: Option<&str>, r: &Relation) {
        let (refused, accepted) = match r {
            Relation::Relaxed { accepted } => (None, Some(accepted)),
            Relation::Tightened { refused } => (Some(refused), None),
            Relation::Incomparable { refused, accepted } => (Some(refused), Some(accepted)),
            _ => (None, None),
        };
        if let Some(s) = refused {
            assert!(accepts(old, s) && !accepts(new, s), "{s:?} should be accepted by {old:?} and refused by {new:?}");
        }
        if let Some(s) = accepted {
            assert!(!accepts(old, s) && accepts(new, s), "{s:?} should be refused by {old:?} and accepted by {new:?}");
        }
    }

    #[test]
    fn the_account_field_that_also_accepts_aws_is_a_relaxation() {
        let old = r"^arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]*:[0-9]{12}:pipeline/";
        let new = r"^arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]*:([0-9]{12}|aws):pipeline/";
        let r = rel(Some(old), Some(new));
        assert_eq!(r, Relation::Relaxed { accepted: "arn:aws:sagemaker::aws:pipeline/".into() });
        check(Some(old), Some(new), &r);
        let r = rel(Some(new), Some(old));
        assert_eq!(r, Relation::Tightened { refused: "arn:aws:sagemaker::aws:pipeline/".into() });
    }

    #[test]
    fn incomparable_patterns_give_both_examples() {
        let (old, new) = (Some("^[a-c]+$"), Some("^[b-d]+$"));
        let r = rel(old, new);
        assert_eq!(r, Relation::Incomparable { refused: "a".into(), accepted: "d".into() });
        check(old, new, &r);
    }

    #[test]
    fn search_semantics_and_anchors() {
        // Unanchored: `[0-9]` finds a digit anywhere, `^[0-9]` only at the start.
        let r = rel(Some("[0-9]"), Some("^[0-9]"));
        assert_eq!(r, Relation::Tightened { refused: "a0".into() });
        // Different spellings of one language are the same.
        assert_eq!(rel(Some("^a+$"), Some("^aa*$")), Relation::Same);
        assert_eq!(rel(Some(r"^\d{2}$"), Some("^[0-9][0-9]$")), Relation::Same);
        // `.*` accepts everything, as no pattern does.
        assert_eq!(rel(Some(".*"), None), Relation::Same);
        let r = rel(None, Some("^[a-z]+$"));
        assert_eq!(r, Relation::Tightened { refused: String::new() });
    }

    #[test]
    fn lookaheads_are_complemented_checks() {
        // Same body; the new one forbids an all-blank value.
        let r = rel(Some(r"^.*$"), Some(r"^(?!\s*$).*$"));
        assert_eq!(r, Relation::Tightened { refused: String::new() });
        check(Some(r"^.*$"), Some(r"^(?!\s*$).*$"), &r);
        let r = rel(Some(r"^(?!\s*$).+$"), Some(r"^(?![ ]*$).+$"));
        // `\t` was blank for the old check, and is not for the new one.
        check(Some(r"^(?!\s*$).+$"), Some(r"^(?![ ]*$).+$"), &r);
        assert!(matches!(r, Relation::Relaxed { .. }), "{r:?}");
    }

    #[test]
    fn code_point_counts_are_exact() {
        // Long runs of one class are checked by counting code points (the plan's `chars`).
        let old = r"^[\p{L}\p{N}]{0,1024}$";
        let new = r"^[\p{L}\p{N}]{0,2048}$";
        let r = rel(Some(old), Some(new));
        match &r {
            Relation::Relaxed { accepted } => assert_eq!(accepted.chars().count(), 1025),
            other => panic!("{other:?}"),
        }
        check(Some(old), Some(new), &r);
        // Counting is in code points, not bytes: `é` is two bytes and one character.
        let r = rel(Some(r"^[\p{Ll}]{0,100}$"), Some(r"^[a-z]{0,100}$"));
        assert_eq!(r, Relation::Tightened { refused: "é".into() });
    }

    #[test]
    fn java_mode_end_of_input() {
        // `\_` makes these Java patterns, where `$` also matches before a final line terminator.
        let r = rel(Some(r"^[a-z\_]+$"), Some(r"^[a-z_]+$"));
        assert_eq!(r, Relation::Tightened { refused: "a\n".into() });
    }

    #[test]
    fn untranslatable_patterns_and_small_budgets_are_undecided() {
        match rel(Some("(a)\\1"), Some("^a$")) {
            Relation::Undecided { reason, .. } => assert!(reason.contains("cannot be translated"), "{reason}"),
            other => panic!("{other:?}"),
        }
        let tiny = Budget { states: 5, ..Budget::default() };
        let r = compare_patterns(Some("^[a-z]{10}$"), Some("^[a-z]{10}x?$"), &tiny);
        match r.relation {
            Relation::Undecided { reason, refused: None, accepted: None } => assert!(reason.contains("budget")),
            other => panic!("{other:?}"),
        }
    }
}
