//! A pattern's checks compiled into the automata the generated crate runs (its runtime module `automaton`), so that
//! the crate needs no regex engine.
//!
//! Each check is a `regex` crate expression (the translation in the parent module) that must, or must not, find a
//! match somewhere in the value. `regex-syntax`, the `regex` crate's parser, turns it into a syntax tree, and that into
//! an NFA over code points ([`Nfa`]): one state per character class (kept as code-point ranges), two-way splits, and
//! the assertions the translations use (`\A`, `\z`, ASCII `\b` and `\B`); counted repetitions are copies, the
//! optional ones nested so that each copy has one way out. Then the check becomes one of two automata, both exact and
//! both linear in the input:
//!
//! - **A DFA over the bytes of the value** ([`Dfa`], the usual case), answering "is there a match": a match found
//!   ends the walk with *yes* (state [`MATCHED`]), a state from which no match can follow ends it with *no* (state
//!   [`DEAD`]), and one more column per state holds the answer at the end of the value. The subset construction runs
//!   over code points (the search starts again at every position, so a check without `\A` finds a match anywhere);
//!   each state's transitions are then spelled out over UTF-8 bytes. A byte that valid UTF-8 cannot have at some
//!   point never comes there (the value is a Rust string), so it goes wherever keeps the automaton smallest: a lead
//!   byte of which every character leads to one state goes there at once, and in each state the bytes that cannot
//!   come join any class. A match ending inside a character is not one: neither `regex` nor ECMAScript sees positions
//!   inside a code point. The states are minimized (Hopcroft), numbered breadth-first from the start, and the bytes
//!   that every state treats alike are merged into classes. The tests build the same DFA another way, with
//!   `regex-automata`'s determinizer, and find the same tables.
//! - **The NFA itself**, simulated by the runtime with a set of states, when the DFA would have more than
//!   [`Budget::dfa_cells`] cells (states × columns), take more than [`Budget::determinize_steps`] to build, or take
//!   more than [`Budget::dfa_over_nfa`] times the NFA's room: long counted repetitions and large Unicode classes make
//!   DFAs big (a class such as `\p{L}` spelled out byte by byte takes hundreds of states, against a list of ranges).
//!   Its time is the value's length times the NFA's size. An NFA over [`Budget::nfa_states`] states (when the DFA does
//!   not fit either) is refused with an error: nothing is ever accepted unchecked.
//!
//! The same expression always gives the same tables: every numbering is breadth-first or in the order of the syntax
//! tree, and nothing depends on hashing order.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use regex_syntax::hir::{Class, Hir, HirKind, Look};

pub mod bits;
pub use bits::Bits;

/// A hash map with [`Fx`] hashing.
type Map<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// Limits on the automata of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// The most cells (states × columns) a DFA may have; a bigger one becomes an NFA.
    pub dfa_cells: usize,
    /// How many times bigger than the NFA's tables the DFA's table may be (in bytes): a DFA that spells out a large
    /// Unicode class byte by byte is much bigger than the NFA's list of code-point ranges, and the NFA is used.
    pub dfa_over_nfa: usize,
    /// The most steps the construction of the DFA may take (each following one NFA state); beyond it, the check
    /// becomes an NFA.
    pub determinize_steps: usize,
    /// The most states an NFA may have (the runtime's state sets are sized for this); beyond it, the pattern is
    /// refused.
    pub nfa_states: usize,
    /// The limits of the position automaton, the first choice when the DFA is over the budget (the NFA is the
    /// second).
    pub bits: bits::Limits,
}

/// The budget the generator uses: a DFA of at most 32,768 cells (64 KiB of table, whose cells, rows of 16 bits, then
/// all fit), at most 8 times the size of the NFA's tables; else a position automaton of at most 16,384 positions
/// (bitsets of 2 KiB on the stack) whose step touches at most 2,048 words; else an NFA of at most 8,192 states, whose
/// state sets take 1 KiB each on the stack while a value is checked.
pub const BUDGET: Budget = Budget {
    dfa_cells: 32 * 1024,
    dfa_over_nfa: 8,
    determinize_steps: 8_000_000,
    nfa_states: NFA_MAX_STATES,
    bits: bits::Limits { positions: BITS_MAX_WORDS * 64, edges: 1 << 20, step_words: 2048 },
};

/// The most words of 64 positions of a position automaton (`automaton::Bits`: bitsets of 256 words).
pub const BITS_MAX_WORDS: usize = 256;

/// The largest NFA the runtime simulates (`automaton::Nfa`: state sets of 128 words of 64 bits).
pub const NFA_MAX_STATES: usize = 8192;

/// A check, compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Automaton {
    /// A DFA over bytes.
    Dfa(Dfa),
    /// A position automaton over code points, walked bit-parallel, with the reason the DFA was not used.
    Bits(Bits, String),
    /// An NFA over code points, with the reason the DFA and the position automaton were not used.
    Nfa(Nfa, String),
}

impl Automaton {
    /// A short description for the generated documentation: the kind and the size.
    pub fn describe(&self) -> String {
        match self {
            Automaton::Dfa(d) => format!("a DFA of {} states over {} byte classes", d.states(), d.class_count),
            Automaton::Bits(b, why) => {
                let count = |n: usize, what: &str| match (n, what.ends_with('s')) {
                    (1, _) => format!("{n} {what}"),
                    (_, true) => format!("{n} {what}es"),
                    _ => format!("{n} {what}s"),
                };
                format!(
                    "a bit-parallel position automaton of {} in {} of 64, over {} with {}, touching at most {} a \
                     character ({why})",
                    count(b.positions, "position"),
                    count(b.words(), "word"),
                    count(b.classes(), "character class"),
                    count(b.groups.len(), "edge group"),
                    count(b.step_words(), "word")
                )
            }
            Automaton::Nfa(n, why) => {
                let sets = match n.sets.len() {
                    1 => "1 character set".to_owned(),
                    count => format!("{count} character sets"),
                };
                format!("an NFA of {} states over {sets} ({why})", n.states.len())
            }
        }
    }
}

/// The state a DFA walk ends in without a match: no match can follow.
pub const DEAD: u32 = 0;
/// The state a DFA walk ends in with a match.
pub const MATCHED: u32 = 1;

/// A DFA over the bytes of UTF-8 text, answering whether a check's regex finds a match. State [`DEAD`] and state
/// [`MATCHED`] are always there (they end the walk); every row has `class_count + 1` cells, the last taken at the end
/// of the text (it is [`DEAD`] or [`MATCHED`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dfa {
    /// The column of each byte value.
    pub classes: Box<[u8; 256]>,
    /// The number of byte classes.
    pub class_count: usize,
    /// Where the walk starts.
    pub start: u32,
    /// The transitions, row by row.
    pub next: Vec<u32>,
}

impl Dfa {
    /// Cells per row: the byte classes and the end of the text.
    pub fn stride(&self) -> usize {
        self.class_count + 1
    }

    /// The number of states.
    pub fn states(&self) -> usize {
        self.next.len() / self.stride()
    }

    /// The size of the transition table in the generated crate: two bytes per cell.
    pub fn table_bytes(&self) -> usize {
        self.next.len() * 2
    }

    /// The classes as runs: each byte value where a new class starts, and that class.
    pub fn class_runs(&self) -> Vec<(u8, u8)> {
        let mut runs: Vec<(u8, u8)> = Vec::new();
        for (b, &c) in self.classes.iter().enumerate() {
            if runs.last().is_none_or(|&(_, last)| last != c) {
                runs.push((b as u8, c));
            }
        }
        runs
    }

    /// Whether the check's regex finds a match in `text` (the walk the runtime does).
    pub fn is_match(&self, text: &str) -> bool {
        let stride = self.stride();
        let mut s = self.start;
        for &b in text.as_bytes() {
            if s <= MATCHED {
                return s == MATCHED;
            }
            s = self.next[s as usize * stride + usize::from(self.classes[usize::from(b)])];
        }
        if s <= MATCHED {
            return s == MATCHED;
        }
        self.next[s as usize * stride + stride - 1] == MATCHED
    }
}

/// An assertion an NFA checks between two characters (numbered as the runtime numbers them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Assertion {
    /// `\A`: the start of the text.
    Start = 0,
    /// `\z`: the end of the text.
    End = 1,
    /// `(?-u:\b)`: an ASCII word character on exactly one side.
    WordBoundary = 2,
    /// `(?-u:\B)`: not a word boundary.
    NotWordBoundary = 3,
    /// `(?mR:$)`: the end of the text, or before `\r`, or before `\n` but not after `\r` (Java's `$` is never
    /// between `\r` and `\n`).
    EndCrlf = 4,
}

impl Assertion {
    fn holds(self, before: Option<char>, after: Option<char>) -> bool {
        let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        match self {
            Assertion::Start => before.is_none(),
            Assertion::End => after.is_none(),
            Assertion::WordBoundary => word(before) != word(after),
            Assertion::NotWordBoundary => word(before) == word(after),
            Assertion::EndCrlf => end_crlf(before, after),
        }
    }
}

/// Whether `(?mR:$)` holds between two characters (`None`: the start or the end of the text).
fn end_crlf(before: Option<char>, after: Option<char>) -> bool {
    match after {
        None | Some('\r') => true,
        Some('\n') => before != Some('\r'),
        Some(_) => false,
    }
}

/// One NFA state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NfaState {
    /// A character of the set moves to `next`.
    Char {
        /// Index into [`Nfa::sets`].
        set: u32,
        /// The state after it.
        next: u32,
    },
    /// Both states, without reading anything.
    Split(u32, u32),
    /// `next`, if the assertion holds here.
    Assert(Assertion, u32),
    /// A match.
    Match,
}

/// An NFA over code points, answering whether a check's regex finds a match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nfa {
    /// Where every match starts.
    pub start: u32,
    /// Whether every match starts at the start of the text (`\A`): then the search does not start again at every
    /// character.
    pub anchored: bool,
    /// The states.
    pub states: Vec<NfaState>,
    /// The character sets, as sorted, disjoint, inclusive ranges of code points.
    pub sets: Vec<Vec<(char, char)>>,
}

impl Nfa {
    /// The states as the runtime reads them: three numbers each (`automaton::CHAR`, the set and the next state;
    /// `SPLIT` and two states; `ASSERT`, which, and the next state; `MATCH`, 0, 0).
    pub fn encoded_states(&self) -> Vec<u16> {
        self.states
            .iter()
            .flat_map(|s| {
                let (kind, a, b) = match *s {
                    NfaState::Char { set, next } => (0, set, next),
                    NfaState::Split(x, y) => (1, x, y),
                    NfaState::Assert(assertion, next) => (2, assertion as u32, next),
                    NfaState::Match => (3, 0, 0),
                };
                [kind, a as u16, b as u16]
            })
            .collect()
    }

    /// The character sets as the runtime reads them: a bitmap of the ASCII characters, and the other characters as
    /// pairs of the first and last of each range.
    pub fn encoded_sets(&self) -> Vec<(u128, Vec<char>)> {
        self.sets
            .iter()
            .map(|ranges| {
                let mut ascii: u128 = 0;
                let mut others = Vec::new();
                for &(lo, hi) in ranges {
                    for c in (lo as u32)..=(hi as u32).min(127) {
                        ascii |= 1 << c;
                    }
                    if hi as u32 >= 128 {
                        others.extend([lo.max('\u{80}'), hi]);
                    }
                }
                (ascii, others)
            })
            .collect()
    }

    /// The size of the tables in the generated crate: three 16-bit numbers per state, and per character set an
    /// ASCII bitmap and two 32-bit numbers per range.
    pub fn table_bytes(&self) -> usize {
        6 * self.states.len() + self.sets.iter().map(|s| 16 + 8 * s.len()).sum::<usize>()
    }

    /// Whether the check's regex finds a match in `text`: the set-of-states simulation the runtime does, written
    /// plainly (with allocation) as the reference for tests.
    pub fn is_match(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        let mut current: Vec<bool> = vec![false; self.states.len()];
        for i in 0..=chars.len() {
            let before = i.checked_sub(1).map(|j| chars[j]);
            let after = chars.get(i).copied();
            if (i == 0 || !self.anchored) && self.close(self.start, before, after, &mut current) {
                return true;
            }
            let Some(c) = after else { return false };
            let mut next = vec![false; self.states.len()];
            let after_next = chars.get(i + 1).copied();
            for (s, on) in current.iter().enumerate() {
                if let (true, NfaState::Char { set, next: to }) = (*on, self.states[s]) {
                    if self.sets[set as usize].iter().any(|&(lo, hi)| lo <= c && c <= hi)
                        && self.close(to, Some(c), after_next, &mut next)
                    {
                        return true;
                    }
                }
            }
            current = next;
        }
        false
    }

    fn close(&self, from: u32, before: Option<char>, after: Option<char>, set: &mut [bool]) -> bool {
        let mut stack = vec![from];
        while let Some(s) = stack.pop() {
            if std::mem::replace(&mut set[s as usize], true) {
                continue;
            }
            match self.states[s as usize] {
                NfaState::Match => return true,
                NfaState::Split(a, b) => stack.extend([b, a]),
                NfaState::Assert(a, to) if a.holds(before, after) => stack.push(to),
                NfaState::Assert(..) | NfaState::Char { .. } => {}
            }
        }
        false
    }
}

/// Compile one check's regex (`regex` crate syntax) within `budget`: its DFA; or, where the DFA is over the budget or
/// much bigger than the NFA, its position automaton, or else its NFA; an error when none fits.
pub fn compile(regex: &str, budget: &Budget) -> Result<Automaton, String> {
    let hir = regex_automata::util::syntax::parse(regex).map_err(|e| format!("`{regex}` does not parse: {e}"))?;
    // The NFA the DFA is made from may be bigger than the NFA the runtime would simulate.
    let nfa = nfa(&hir, budget.nfa_states.max(DETERMINIZE_NFA_STATES));
    let dfa = match &nfa {
        Ok(n) => dfa(n, budget),
        Err(e) => Err(e.clone()),
    };
    // The DFA is measured against the NFA's tables (the smaller, with a large Unicode class), or the position
    // automaton's when there is no NFA.
    let nfa = nfa.and_then(|n| {
        if n.states.len() <= budget.nfa_states {
            Ok(n)
        } else {
            Err(format!("the NFA has {} states, more than {}", n.states.len(), budget.nfa_states))
        }
    });
    let bits = bits::build(&hir, &budget.bits);
    let fallback_bytes = match (&nfa, &bits) {
        (Ok(n), _) => Some(n.table_bytes()),
        (Err(_), Ok(b)) => Some(b.table_bytes()),
        _ => None,
    };
    let why = match dfa {
        Ok(d) if fallback_bytes.is_none_or(|f| d.table_bytes() <= budget.dfa_over_nfa.saturating_mul(f)) => {
            return Ok(Automaton::Dfa(d));
        }
        Ok(d) => format!(
            "the DFA's table, {} states × {} columns, would take {} bytes, more than {} times the NFA's {}",
            d.states(),
            d.stride(),
            d.table_bytes(),
            budget.dfa_over_nfa,
            fallback_bytes.unwrap_or_default()
        ),
        Err(why) => why,
    };
    match (bits, nfa) {
        (Ok(b), _) => Ok(Automaton::Bits(b, why)),
        (Err(_), Ok(n)) => Ok(Automaton::Nfa(n, why)),
        (Err(bits), Err(nfa)) => Err(format!("{why}; the position automaton: {bits}; {nfa}")),
    }
}

/// The most NFA states the DFA construction starts from.
const DETERMINIZE_NFA_STATES: usize = 1 << 16;

/// The DFA of `nfa`, or why there is none within the budget.
///
/// First a DFA over code points: the subset construction, each state being the NFA states reached by the last
/// character (before following the moves that read nothing, which depend on the characters around) and whether the
/// last position was the start or after an ASCII word character; the search starts again at every position, so the
/// NFA's start joins every state (an anchored NFA's `\A` fails after the start). Code points fall into classes that
/// every character set and the word-character test treat alike. Then each state's transitions are spelled out over
/// UTF-8 bytes: a lead byte leads to an intermediate state that knows only which state each possible rest of the
/// character leads to, so characters of one block share them; bytes that valid UTF-8 cannot have there are left
/// open ([`Unminimized::from_rows`]). Last, [`Unminimized::minimized`].
fn dfa(nfa: &Nfa, budget: &Budget) -> Result<Dfa, String> {
    let alphabet = Alphabet::of(nfa);
    let code_points = Determinizer::new(nfa, &alphabet, budget).run()?;
    let bytes = code_points.to_bytes(&alphabet, budget)?;
    let dfa = bytes.minimized();
    let cells = dfa.next.len();
    if cells > budget.dfa_cells {
        return Err(format!(
            "the DFA has {} states × {} columns = {cells} cells, more than {}",
            dfa.states(),
            dfa.stride(),
            budget.dfa_cells
        ));
    }
    Ok(dfa)
}

/// What the assertions of an NFA see of a character: whether it is an ASCII word character ([`WORD_CHAR`]), and
/// whether it is `\r` ([`CR`]) or `\n` ([`LF`]) — each only when the NFA has assertions that look at it.
type Context = u8;
const WORD_CHAR: Context = 1;
const CR: Context = 2;
const LF: Context = 4;

/// Classes of code points that the NFA does not tell apart: intervals that every character set holds or not alike,
/// and that its assertions see alike (ASCII word characters when the NFA has `\b` or `\B`; `\r` and `\n` when it has
/// `(?mR:$)`).
struct Alphabet {
    /// The first code point of each interval, from 0, in order; the last interval ends at `char::MAX`.
    starts: Vec<u32>,
    /// The class of each interval.
    class_of: Vec<u32>,
    /// For each class, what the assertions see of it.
    context: Vec<Context>,
    /// For each character set of the NFA, the classes it holds, as a bitset.
    sets: Vec<Vec<u64>>,
}

impl Alphabet {
    fn of(nfa: &Nfa) -> Alphabet {
        let words = nfa
            .states
            .iter()
            .any(|s| matches!(s, NfaState::Assert(Assertion::WordBoundary | Assertion::NotWordBoundary, _)));
        let crlf = nfa.states.iter().any(|s| matches!(s, NfaState::Assert(Assertion::EndCrlf, _)));
        let context = |c: u32| {
            let word = words && char::from_u32(c).is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
            let line = match (crlf, c) {
                (true, 0x0D) => CR,
                (true, 0x0A) => LF,
                _ => 0,
            };
            Context::from(word) | line
        };
        let mut starts: Vec<u32> = vec![0];
        for set in &nfa.sets {
            for &(lo, hi) in set {
                starts.push(lo as u32);
                starts.push(hi as u32 + 1);
            }
        }
        if words {
            starts.extend([0x30, 0x3A, 0x41, 0x5B, 0x5F, 0x60, 0x61, 0x7B]);
        }
        if crlf {
            starts.extend([0x0A, 0x0B, 0x0D, 0x0E]);
        }
        starts.sort_unstable();
        starts.dedup();
        starts.retain(|&c| c <= char::MAX as u32);
        let inside = |set: &[(char, char)], c: u32| {
            let i = set.partition_point(|&(_, hi)| (hi as u32) < c);
            set.get(i).is_some_and(|&(lo, _)| lo as u32 <= c)
        };
        let mut signatures: HashMap<(Vec<bool>, Context), u32> = HashMap::new();
        let mut class_of = Vec::with_capacity(starts.len());
        let mut contexts = Vec::new();
        let mut members: Vec<Vec<bool>> = Vec::new();
        for &c in &starts {
            let signature: Vec<bool> = nfa.sets.iter().map(|set| inside(set, c)).collect();
            let key = (signature, context(c));
            let next = signatures.len() as u32;
            let class = *signatures.entry(key.clone()).or_insert_with(|| {
                contexts.push(key.1);
                members.push(key.0);
                next
            });
            class_of.push(class);
        }
        let count = contexts.len();
        let sets = (0..nfa.sets.len())
            .map(|set| {
                let mut bits = vec![0u64; count.div_ceil(64)];
                for (class, m) in members.iter().enumerate() {
                    if m[set] {
                        bits[class / 64] |= 1 << (class % 64);
                    }
                }
                bits
            })
            .collect();
        Alphabet { starts, class_of, context: contexts, sets }
    }

    fn count(&self) -> usize {
        self.context.len()
    }

    fn class(&self, c: u32) -> u32 {
        self.class_of[self.starts.partition_point(|&s| s <= c) - 1]
    }
}

/// A DFA over code points: per state, the next state for each class and at the end of the text.
struct CodePointDfa {
    /// Rows of `classes + 1` cells; states [`DEAD`] and [`MATCHED`] first.
    next: Vec<u32>,
    start: u32,
}

/// The subset construction of [`dfa`].
struct Determinizer<'a> {
    nfa: &'a Nfa,
    alphabet: &'a Alphabet,
    /// Whether the NFA has `\A` (then the start position is a state of its own), and the assertions' view of the last
    /// character (a [`Context`]) that makes states of their own (whether it was a word character, when the NFA has
    /// `\b` or `\B`; whether it was `\r`, when it has `(?mR:$)`).
    starts: bool,
    words: bool,
    /// The states made so far (from 2 on, after [`DEAD`] and [`MATCHED`]): the NFA states reached by the last
    /// character, whether at the start, and what the assertions see of the last character.
    pending: Vec<(Vec<u32>, bool, Context)>,
    /// The states by the hash of their key.
    index: Map<u64, Vec<u32>>,
    max_states: usize,
    /// Steps of closure left: a bound on the time.
    work: usize,
    seen: Vec<u32>,
    stamp: u32,
    /// A bitset of the NFA's states, all zeros between uses.
    scratch: Vec<u64>,
}

impl<'a> Determinizer<'a> {
    fn new(nfa: &'a Nfa, alphabet: &'a Alphabet, budget: &Budget) -> Self {
        let has =
            |f: &dyn Fn(Assertion) -> bool| nfa.states.iter().any(|s| matches!(s, NfaState::Assert(a, _) if f(*a)));
        Determinizer {
            nfa,
            alphabet,
            starts: has(&|a| a == Assertion::Start),
            // Without `\b`, `\B` and `(?mR:$)`, the alphabet's contexts are all 0.
            words: has(&|a| matches!(a, Assertion::WordBoundary | Assertion::NotWordBoundary | Assertion::EndCrlf)),
            index: Map::default(),
            pending: Vec::new(),
            // A DFA over code points with more states than this does not fit the budget over bytes: every state keeps
            // at least its own column and the end of the text, and minimization rarely halves the states.
            max_states: budget.dfa_cells / 4,
            work: budget.determinize_steps,
            seen: vec![0; nfa.states.len()],
            stamp: 0,
            scratch: vec![0; nfa.states.len().div_ceil(64)],
        }
    }

    fn intern(&mut self, key: (Vec<u32>, bool, Context)) -> u32 {
        let hash = key.0.iter().fold(u64::from(key.1) << 8 | u64::from(key.2), |h, &s| Fx::mix(h, u64::from(s)));
        let bucket = self.index.entry(hash).or_default();
        if let Some(&id) = bucket.iter().find(|&&id| self.pending[id as usize - 2] == key) {
            return id;
        }
        let fresh = self.pending.len() as u32 + 2;
        bucket.push(fresh);
        self.pending.push(key);
        fresh
    }

    /// The states reachable from `kernel` and the start without reading, between a character (`at_start`: none) the
    /// assertions see as `before` and one they see as `after` (`None`: the end): the ones that read a character,
    /// whether a match is among them, and the states after `\z` (and `(?mR:$)`) assertions that did not hold (where
    /// [`Determinizer::at_end`] goes on).
    fn closure(
        &mut self,
        kernel: &[u32],
        at_start: bool,
        before: Context,
        after: Option<Context>,
    ) -> Result<(Vec<u32>, bool, Vec<u32>), String> {
        self.stamp += 1;
        let mut stack: Vec<u32> = kernel.iter().rev().copied().collect();
        stack.push(self.nfa.start);
        let mut chars = Vec::new();
        let mut ends = Vec::new();
        let matched = self.follow(stack, at_start, before, after, &mut chars, &mut ends)?;
        Ok((chars, matched, ends))
    }

    /// Whether a match follows at the end of the text, from a [`Determinizer::closure`] before a character that
    /// found none: through the `\z` assertions that did not hold there, and the states not yet seen. (Only without
    /// word-boundary assertions, which may also answer otherwise at the end.)
    fn at_end(&mut self, ends: Vec<u32>, at_start: bool) -> Result<bool, String> {
        self.follow(ends, at_start, 0, None, &mut Vec::new(), &mut Vec::new())
    }

    fn follow(
        &mut self,
        mut stack: Vec<u32>,
        at_start: bool,
        before: Context,
        after: Option<Context>,
        chars: &mut Vec<u32>,
        ends: &mut Vec<u32>,
    ) -> Result<bool, String> {
        let word = |c: Context| c & WORD_CHAR != 0;
        let stamp = self.stamp;
        let mut matched = false;
        while let Some(s) = stack.pop() {
            if self.seen[s as usize] == stamp {
                continue;
            }
            self.seen[s as usize] = stamp;
            self.work = self.work.checked_sub(1).ok_or("the DFA takes too many steps to build")?;
            match self.nfa.states[s as usize] {
                NfaState::Char { .. } => chars.push(s),
                NfaState::Split(a, b) => stack.extend([b, a]),
                NfaState::Assert(Assertion::End, to) if after.is_some() => ends.push(to),
                // Before a character it holds only before `\r` or a `\n` not after `\r`; it always does at the end.
                NfaState::Assert(Assertion::EndCrlf, to)
                    if after.is_some_and(|a| a & CR == 0 && (a & LF == 0 || before & CR != 0)) =>
                {
                    ends.push(to)
                }
                NfaState::Assert(a, to) => {
                    let holds = match a {
                        Assertion::Start => at_start,
                        Assertion::End => after.is_none(),
                        Assertion::WordBoundary => word(before) != after.is_some_and(word),
                        Assertion::NotWordBoundary => word(before) == after.is_some_and(word),
                        Assertion::EndCrlf => true,
                    };
                    if holds {
                        stack.push(to);
                    }
                }
                NfaState::Match => matched = true,
            }
        }
        Ok(matched)
    }

    fn run(mut self) -> Result<CodePointDfa, String> {
        let classes = self.alphabet.count();
        let stride = classes + 1;
        let mut next: Vec<u32> = Vec::new();
        next.extend(std::iter::repeat_n(DEAD, stride));
        next.extend(std::iter::repeat_n(MATCHED, stride));
        let start = self.intern((Vec::new(), self.starts, 0));
        // What the assertions may see of a character: the closures after which each may come.
        let mut contexts: Vec<Context> = self.alphabet.context.clone();
        contexts.sort_unstable();
        contexts.dedup();
        let mut done = 0;
        while done < self.pending.len() {
            if done >= self.max_states {
                return Err(format!("the DFA has more than {} states over code points", self.max_states));
            }
            let (kernel, at_start, before) = self.pending[done].clone();
            done += 1;
            let mut row = vec![DEAD; stride];
            let mut end = None;
            for &after in &contexts {
                let (closure, matched, ends) = self.closure(&kernel, at_start, before, Some(after))?;
                if !self.words {
                    end = Some(matched || self.at_end(ends, at_start)?);
                }
                if matched {
                    for (cell, &context) in row.iter_mut().zip(&self.alphabet.context) {
                        if context == after {
                            *cell = MATCHED;
                        }
                    }
                    continue;
                }
                // The classes that the character sets met here hold alike lead to the same state: group them, and
                // work out each group's targets once.
                let chars: Vec<(u32, u32)> = closure
                    .iter()
                    .filter_map(|&q| match self.nfa.states[q as usize] {
                        NfaState::Char { set, next } => Some((set, next)),
                        _ => None,
                    })
                    .collect();
                let mut present = vec![false; self.nfa.sets.len()];
                for &(set, _) in &chars {
                    present[set as usize] = true;
                }
                let sets: Vec<u32> = (0..self.nfa.sets.len() as u32).filter(|&set| present[set as usize]).collect();
                let mut groups: Map<Vec<bool>, u32> = Map::default();
                for (class, &context) in self.alphabet.context.iter().enumerate() {
                    if context != after {
                        continue;
                    }
                    let holds = |set: u32| self.alphabet.sets[set as usize][class / 64] >> (class % 64) & 1 == 1;
                    let signature: Vec<bool> = sets.iter().map(|&set| holds(set)).collect();
                    if let Some(&id) = groups.get(&signature) {
                        row[class] = id;
                        continue;
                    }
                    // Sorted without sorting: through a bitset of the NFA's states.
                    let (mut lo, mut hi) = (usize::MAX, 0);
                    for &(set, next) in &chars {
                        if holds(set) {
                            let w = next as usize / 64;
                            self.scratch[w] |= 1 << (next % 64);
                            (lo, hi) = (lo.min(w), hi.max(w + 1));
                        }
                    }
                    let mut targets: Vec<u32> = Vec::new();
                    for w in lo.min(hi)..hi {
                        let mut bits = std::mem::take(&mut self.scratch[w]);
                        while bits != 0 {
                            targets.push((w * 64) as u32 + bits.trailing_zeros());
                            bits &= bits - 1;
                        }
                    }
                    let id = self.intern((targets, false, after));
                    groups.insert(signature, id);
                    row[class] = id;
                }
            }
            let matched = match end {
                Some(matched) => matched,
                None => self.closure(&kernel, at_start, before, None)?.1,
            };
            row[classes] = if matched { MATCHED } else { DEAD };
            next.extend(row);
        }
        Ok(CodePointDfa { next, start })
    }
}

/// The number of continuation bytes after a lead byte, and the first code point its sequences would encode if
/// every continuation byte were `0x80` (overlong and out-of-range ones included: the valid ones are sorted out by
/// [`valid`]).
fn lead(b: u8) -> Option<(u32, u32)> {
    match b {
        0xC2..=0xDF => Some((1, u32::from(b & 0x1F) << 6)),
        0xE0..=0xEF => Some((2, u32::from(b & 0x0F) << 12)),
        0xF0..=0xF4 => Some((3, u32::from(b & 0x07) << 18)),
        _ => None,
    }
}

/// Whether `c` is a code point that UTF-8 encodes with `rest` continuation bytes (not overlong, not a surrogate, not
/// past `char::MAX`): if so, where the run of such code points that holds it ends.
fn valid(c: u32, rest: u32) -> Option<u32> {
    let (lo, end) = match rest {
        1 => (0x80, 0x800),
        2 if c < 0xD800 => (0x800, 0xD800),
        2 => (0xE000, 0x1_0000),
        _ => (0x1_0000, 0x11_0000),
    };
    (lo..end).contains(&c).then_some(end)
}

/// The first code point from `c` on that UTF-8 encodes with `rest` continuation bytes.
fn next_valid(c: u32, rest: u32) -> u32 {
    let starts: &[u32] = match rest {
        1 => &[0x80],
        2 => &[0x800, 0xE000],
        _ => &[0x1_0000],
    };
    starts.iter().copied().find(|&s| s >= c).unwrap_or(u32::MAX)
}

/// The state each rest of a character leads to: runs of `(length, state)` over the code points with one prefix, in
/// order; [`DEAD`] where the bytes would not be valid UTF-8.
type Runs = Vec<(u32, u32)>;

impl CodePointDfa {
    /// The same automaton over UTF-8 bytes.
    fn to_bytes(&self, alphabet: &Alphabet, budget: &Budget) -> Result<Unminimized, String> {
        let stride = alphabet.count() + 1;
        let states = self.next.len() / stride;
        let cp = |s: u32, c: u32| self.next[s as usize * stride + alphabet.class(c) as usize];
        // Rows over all 256 bytes and the end; intermediate states after the boundary states.
        let mut rows: Vec<[u32; 257]> = Vec::with_capacity(states);
        let mut index: Map<(u32, Runs), u32> = Map::default();
        let mut pending: Vec<(u32, Runs)> = Vec::new();
        let mut intern = |key: (u32, Runs), pending: &mut Vec<(u32, Runs)>| -> u32 {
            if let Some(&id) = index.get(&key) {
                return id;
            }
            let fresh = (states + index.len()) as u32;
            index.insert(key.clone(), fresh);
            pending.push(key);
            fresh
        };
        // States that go to the same states on every class of characters past ASCII go to the same states on every
        // lead byte.
        let wide: Vec<usize> = (0..alphabet.count())
            .filter(|&k| {
                alphabet.starts.iter().zip(&alphabet.class_of).enumerate().any(|(i, (&start, &class))| {
                    class as usize == k && alphabet.starts.get(i + 1).is_none_or(|&end| end > 0x80.max(start))
                })
            })
            .collect();
        let mut leads: Map<Vec<u32>, [u32; 51]> = Map::default();
        for s in 0..states as u32 {
            let mut row = [INVALID; 257];
            if s <= MATCHED {
                row = [s; 257];
            } else {
                for b in 0..=0x7Fu8 {
                    row[usize::from(b)] = cp(s, u32::from(b));
                }
                let key: Vec<u32> = wide.iter().map(|&k| self.next[s as usize * stride + k]).collect();
                if let Some(known) = leads.get(&key) {
                    row[0xC2..=0xF4].copy_from_slice(known);
                    row[256] = self.next[s as usize * stride + stride - 1];
                    rows.push(row);
                    continue;
                }
                for b in 0xC2..=0xF4u8 {
                    let Some((rest, base)) = lead(b) else { continue };
                    let span = 1u32 << (6 * rest);
                    // The states of the characters that start with `b`, as runs.
                    let mut runs: Runs = Vec::new();
                    let mut c = base;
                    while c < base + span {
                        let (to, end) = if let Some(valid_end) = valid(c, rest) {
                            let i = alphabet.starts.partition_point(|&x| x <= c);
                            let end = alphabet.starts.get(i).copied().unwrap_or(u32::MAX);
                            (cp(s, c), end.min(valid_end).min(base + span))
                        } else {
                            (INVALID, next_valid(c, rest).min(base + span))
                        };
                        match runs.last_mut() {
                            Some((len, last)) if *last == to => *len += end - c,
                            _ => runs.push((end - c, to)),
                        }
                        c = end;
                    }
                    // A match before this character is there whatever the character (none is a word character).
                    let valid_targets = || runs.iter().filter(|&&(_, t)| t != INVALID);
                    row[usize::from(b)] = if valid_targets().all(|&(_, t)| t == MATCHED) {
                        MATCHED
                    } else if valid_targets().all(|&(_, t)| t == DEAD) {
                        DEAD
                    } else {
                        intern((rest, runs), &mut pending)
                    };
                }
                leads.insert(key, row[0xC2..=0xF4].try_into().unwrap_or([INVALID; 51]));
                row[256] = self.next[s as usize * stride + stride - 1];
            }
            rows.push(row);
        }
        let mut done = 0;
        while done < pending.len() {
            // As many states as half the cells: minimization rarely halves them, and each has two columns at least.
            if rows.len() > budget.dfa_cells / 2 {
                return Err(format!("the DFA has more than {} states over bytes", budget.dfa_cells / 2));
            }
            let (rest, runs) = pending[done].clone();
            done += 1;
            let mut row = [INVALID; 257];
            row[256] = DEAD;
            let span = 1u32 << (6 * (rest - 1));
            let mut runs = runs.into_iter().peekable();
            let mut carry: Option<(u32, u32)> = None;
            for j in 0..64u32 {
                // The runs of the `span` code points after continuation byte `0x80 + j`.
                let mut sub: Runs = Vec::new();
                let mut need = span;
                while need > 0 {
                    let (len, to) = match carry.take() {
                        Some(r) => r,
                        None => runs.next().unwrap_or((need, INVALID)),
                    };
                    let take = len.min(need);
                    match sub.last_mut() {
                        Some((l, last)) if *last == to => *l += take,
                        _ => sub.push((take, to)),
                    }
                    need -= take;
                    if take < len {
                        carry = Some((len - take, to));
                    }
                }
                row[0x80 + j as usize] = if rest == 1 || sub.len() == 1 && matches!(sub[0].1, DEAD | INVALID) {
                    sub[0].1
                } else {
                    intern((rest - 1, sub), &mut pending)
                };
            }
            rows.push(row);
        }
        let boundary: Vec<bool> = (0..rows.len()).map(|s| s < states).collect();
        Ok(Unminimized::from_rows(rows, &boundary, self.start))
    }
}

/// A DFA over bytes before minimization: states [`DEAD`] and [`MATCHED`] first.
struct Unminimized {
    /// The byte classes: bytes that every state treats alike.
    classes: [u8; 256],
    /// One byte of each class.
    representatives: Vec<u8>,
    /// Rows of `representatives.len() + 1` cells (the last: the end of the text).
    next: Vec<u32>,
    start: u32,
}

/// A cell of a byte that valid UTF-8 cannot have there: it never comes, so any state will do.
const INVALID: u32 = u32::MAX;

impl Unminimized {
    /// From rows over every byte and the end of the text, in which a byte that valid UTF-8 cannot have is
    /// [`INVALID`]; `boundary` tells the states between characters from those inside one.
    ///
    /// Such bytes never come, so their cells can be anything, and are chosen to make the automaton smaller: a state
    /// between characters stays where it is on them, and a lead byte of which every character leads to one state goes
    /// there at once (the rest of the character then keeps the walk there). A search that skips characters, or a
    /// class of many characters, then needs no states inside characters. In a state inside a character, they lead to
    /// [`DEAD`]. Then bytes that every state treats alike form one class.
    fn from_rows(mut rows: Vec<[u32; 257]>, boundary: &[bool], start: u32) -> Unminimized {
        // The state every valid rest of a character leads to from an intermediate state, if there is one.
        fn uniform(i: usize, rows: &[[u32; 257]], boundary: &[bool], memo: &mut [Option<Option<u32>>]) -> Option<u32> {
            if let Some(known) = memo[i] {
                return known;
            }
            let mut target = None;
            let mut one = true;
            for &cell in &rows[i][0x80..=0xBF] {
                let to = match cell {
                    INVALID => continue,
                    c if !boundary[c as usize] => uniform(c as usize, rows, boundary, memo),
                    c => Some(c),
                };
                match (to, target) {
                    (None, _) => one = false,
                    (Some(t), None) => target = Some(t),
                    (Some(t), Some(u)) if t != u => one = false,
                    _ => {}
                }
            }
            let answer = if one { target } else { None };
            memo[i] = Some(answer);
            answer
        }
        let mut memo = vec![None; rows.len()];
        for s in 0..rows.len() {
            if !boundary[s] {
                continue;
            }
            for b in 0xC2..=0xF4 {
                let i = rows[s][b];
                if i != INVALID && !boundary[i as usize] {
                    if let Some(t) = uniform(i as usize, &rows, boundary, &mut memo) {
                        rows[s][b] = t;
                    }
                }
            }
        }
        for (s, row) in rows.iter_mut().enumerate() {
            let stay = if boundary[s] { s as u32 } else { DEAD };
            for cell in row.iter_mut() {
                if *cell == INVALID {
                    *cell = stay;
                }
            }
        }
        // Bytes that every state treats alike form one class: grouped by a hash of their columns, then compared.
        let mut hashes = [0u64; 256];
        for r in &rows {
            for (h, &cell) in hashes.iter_mut().zip(r.iter()) {
                *h = Fx::mix(*h, u64::from(cell));
            }
        }
        let mut classes = [0u8; 256];
        let mut representatives: Vec<u8> = Vec::new();
        let mut by_hash: Map<u64, Vec<u8>> = Map::default();
        for b in 0..=255u8 {
            let bucket = by_hash.entry(hashes[usize::from(b)]).or_default();
            let same = bucket.iter().find(|&&k| {
                let (k, b) = (usize::from(representatives[usize::from(k)]), usize::from(b));
                rows.iter().all(|r| r[k] == r[b])
            });
            classes[usize::from(b)] = match same {
                Some(&class) => class,
                None => {
                    let class = representatives.len() as u8;
                    representatives.push(b);
                    bucket.push(class);
                    class
                }
            };
        }
        let mut next = Vec::with_capacity(rows.len() * (representatives.len() + 1));
        for r in &rows {
            next.extend(representatives.iter().map(|&b| r[usize::from(b)]));
            next.push(r[256]);
        }
        Unminimized { classes, representatives, next, start }
    }

    /// The minimal DFA ([`Unminimized::minimal`]), with fewer byte classes: in each state, the bytes that valid
    /// UTF-8 cannot bring there are told apart from no other byte (each class takes them where it needs).
    fn minimized(&self) -> Dfa {
        Unminimized::compacted(&self.minimal()).minimal()
    }

    /// `dfa` with its byte classes merged wherever the bytes that never come to a state allow: a byte is looked at in
    /// a state only if the state can be reached between characters (ASCII and lead bytes) or inside one
    /// (continuation bytes), and bytes go, in order, into the first class whose cells agree with theirs wherever
    /// both are looked at.
    fn compacted(dfa: &Dfa) -> Unminimized {
        let stride = dfa.stride();
        let states = dfa.states();
        let cell = |q: usize, b: usize| dfa.next[q * stride + usize::from(dfa.classes[b])];
        // Where each state can be: between characters (0) or with 1 to 3 continuation bytes to come.
        let mut at: Vec<[bool; 4]> = vec![[false; 4]; states];
        let mut queue = vec![(dfa.start as usize, 0usize)];
        while let Some((q, k)) = queue.pop() {
            if at[q][k] {
                continue;
            }
            at[q][k] = true;
            let bytes: Vec<(usize, usize)> = if k == 0 {
                (0..0x80)
                    .map(|b| (b, 0))
                    .chain((0xC2..=0xF4).map(|b| {
                        (
                            b,
                            if b < 0xE0 {
                                1
                            } else if b < 0xF0 {
                                2
                            } else {
                                3
                            },
                        )
                    }))
                    .collect()
            } else {
                (0x80..=0xBF).map(|b| (b, k - 1)).collect()
            };
            for (b, rest) in bytes {
                queue.push((cell(q, b) as usize, rest));
            }
        }
        let looked_at = |q: usize, b: usize| -> bool {
            let between = matches!(b, 0x00..=0x7F | 0xC2..=0xF4) && at[q][0];
            let inside = matches!(b, 0x80..=0xBF) && at[q][1..].iter().any(|&x| x);
            q <= MATCHED as usize || between || inside
        };
        // Greedy merging, in byte order: a class is its cells and where they are looked at. Bytes of one class of
        // `dfa` and of one kind (ASCII, continuation, lead, never valid) go together.
        let kind = |b: usize| match b {
            0x00..=0x7F => 0,
            0x80..=0xBF => 1,
            0xC2..=0xF4 => 2,
            _ => 3,
        };
        let mut columns: Vec<(Vec<u32>, Vec<bool>)> = Vec::new();
        let mut classes = [0u8; 256];
        let mut representatives: Vec<u8> = Vec::new();
        let mut done: Map<(u8, u8), u8> = Map::default();
        for (b, class_of_b) in classes.iter_mut().enumerate() {
            let key = (dfa.classes[b], kind(b));
            if let Some(&class) = done.get(&key) {
                *class_of_b = class;
                continue;
            }
            let fits = |(cells, looked): &(Vec<u32>, Vec<bool>)| {
                (0..states).all(|q| !looked[q] || !looked_at(q, b) || cells[q] == cell(q, b))
            };
            let class = match columns.iter().position(fits) {
                Some(c) => c,
                None => {
                    columns.push((vec![DEAD; states], vec![false; states]));
                    representatives.push(b as u8);
                    columns.len() - 1
                }
            };
            let (cells, looked) = &mut columns[class];
            for q in 0..states {
                if looked_at(q, b) {
                    cells[q] = cell(q, b);
                    looked[q] = true;
                }
            }
            *class_of_b = class as u8;
            done.insert(key, class as u8);
        }
        let mut next = Vec::with_capacity(states * (columns.len() + 1));
        for q in 0..states {
            next.extend(columns.iter().map(|(cells, _)| cells[q]));
            next.push(dfa.next[q * stride + stride - 1]);
        }
        Unminimized { classes, representatives, next, start: dfa.start }
    }

    /// The minimal DFA: equivalent states merged (Hopcroft), numbered breadth-first from the start
    /// after [`DEAD`] and [`MATCHED`], and bytes that every state treats alike merged into one class.
    fn minimal(&self) -> Dfa {
        let stride = self.representatives.len() + 1;
        let n = self.next.len() / stride;
        // A state that the end and every byte that can start a character (ASCII and lead bytes) lead to a match is
        // the matched state: whatever valid UTF-8 follows, it matches. Only the bytes that cannot start a character
        // (which never come there) told it apart. ASCII and the end alone are not enough: in `[\x00-\x7F]|\A\z` the
        // start matches at the end and before any ASCII character, but not before `é`.
        let mut starts: Vec<usize> = (0..0x80).chain(0xC2..=0xF4).map(|b| usize::from(self.classes[b])).collect();
        starts.sort_unstable();
        starts.dedup();
        let mut next = self.next.clone();
        let mut start = self.start;
        loop {
            let matched: Vec<bool> = (0..n)
                .map(|s| {
                    let row = &next[s * stride..(s + 1) * stride];
                    row[stride - 1] == MATCHED && starts.iter().all(|&c| row[c] == MATCHED)
                })
                .collect();
            if matched[start as usize] {
                start = MATCHED;
            }
            let mut changed = false;
            for cell in next.iter_mut() {
                if *cell != MATCHED && matched[*cell as usize] {
                    *cell = MATCHED;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        let block = hopcroft(n, stride, &next, MATCHED);
        // Number the blocks: dead, matched, then breadth-first from the start.
        let mut number: Vec<u32> = vec![u32::MAX; n];
        let mut order: Vec<usize> = Vec::new(); // a representative state of each new number
        let assign = |s: usize, number: &mut Vec<u32>, order: &mut Vec<usize>| -> u32 {
            let b = block[s] as usize;
            if number[b] == u32::MAX {
                number[b] = order.len() as u32;
                order.push(s);
            }
            number[b]
        };
        assign(DEAD as usize, &mut number, &mut order);
        assign(MATCHED as usize, &mut number, &mut order);
        let start = assign(start as usize, &mut number, &mut order);
        let mut rows: Vec<Vec<u32>> = Vec::new();
        let mut i = 0;
        while i < order.len() {
            let s = order[i];
            let row = (0..stride).map(|c| assign(next[s * stride + c] as usize, &mut number, &mut order)).collect();
            rows.push(row);
            i += 1;
        }
        // Merge the columns no state tells apart (the end column stays apart, and last): grouped by a hash of their
        // cells, then compared.
        let mut hashes = vec![0u64; stride - 1];
        for r in &rows {
            for (h, &cell) in hashes.iter_mut().zip(r.iter()) {
                *h = Fx::mix(*h, u64::from(cell));
            }
        }
        let mut column_of: Vec<u8> = Vec::with_capacity(stride - 1);
        let mut columns: Vec<usize> = Vec::new();
        let mut by_hash: Map<u64, Vec<u8>> = Map::default();
        for c in 0..stride - 1 {
            let bucket = by_hash.entry(hashes[c]).or_default();
            let same = bucket.iter().find(|&&k| rows.iter().all(|r| r[columns[usize::from(k)]] == r[c]));
            column_of.push(match same {
                Some(&k) => k,
                None => {
                    let k = columns.len() as u8;
                    columns.push(c);
                    bucket.push(k);
                    k
                }
            });
        }
        let classes = std::array::from_fn(|b| column_of[usize::from(self.classes[b])]);
        let mut next = Vec::with_capacity(rows.len() * (columns.len() + 1));
        for r in &rows {
            next.extend(columns.iter().map(|&c| r[c]));
            next.push(r[stride - 1]);
        }
        Dfa { classes: Box::new(classes), class_count: columns.len(), start, next }
    }
}

/// Hopcroft's partition refinement: the block of each of the `n` states of a complete DFA (`next`, rows of `stride`
/// cells) whose only accepting state is `accepting` (it and [`DEAD`] loop on every symbol). Two states share a block
/// exactly when the same strings lead them to `accepting`.
fn hopcroft(n: usize, stride: usize, next: &[u32], accepting: u32) -> Vec<u32> {
    // Predecessors by symbol, grouped by target: for symbol `c` and target `t`,
    // `sources[c][from[c][t]..from[c][t + 1]]`.
    let mut from: Vec<Vec<u32>> = vec![vec![0; n + 1]; stride];
    let mut sources: Vec<Vec<u32>> = vec![vec![0; n]; stride];
    for c in 0..stride {
        for s in 0..n {
            from[c][next[s * stride + c] as usize + 1] += 1;
        }
        for t in 0..n {
            from[c][t + 1] += from[c][t];
        }
        let mut fill = from[c].clone();
        for s in 0..n {
            let t = next[s * stride + c] as usize;
            sources[c][fill[t] as usize] = s as u32;
            fill[t] += 1;
        }
    }
    // The partition: `elements` holds each block's states in one segment, `first[b]..end[b]`; the marked states of
    // a block are moved to the front of its segment.
    let mut elements: Vec<u32> = Vec::with_capacity(n);
    elements.push(accepting);
    elements.extend((0..n as u32).filter(|&s| s != accepting));
    let mut position: Vec<usize> = vec![0; n];
    for (i, &s) in elements.iter().enumerate() {
        position[s as usize] = i;
    }
    let mut block: Vec<u32> = (0..n).map(|s| u32::from(s as u32 != accepting)).collect();
    let (mut first, mut end): (Vec<usize>, Vec<usize>) = (vec![0, 1], vec![1, n]);
    if n == 1 {
        first.pop();
        end.pop();
    }
    let mut marks: Vec<usize> = vec![0; first.len()];
    let mut waiting: Vec<u32> = vec![0];
    let mut touched: Vec<u32> = Vec::new();
    while let Some(a) = waiting.pop() {
        let splitter: Vec<u32> = elements[first[a as usize]..end[a as usize]].to_vec();
        for c in 0..stride {
            for &t in &splitter {
                let (lo, hi) = (from[c][t as usize] as usize, from[c][t as usize + 1] as usize);
                for &s in &sources[c][lo..hi] {
                    let b = block[s as usize] as usize;
                    let (i, j) = (position[s as usize], first[b] + marks[b]);
                    if i < j {
                        continue; // already marked
                    }
                    if marks[b] == 0 {
                        touched.push(b as u32);
                    }
                    let other = elements[j];
                    elements.swap(i, j);
                    position[other as usize] = i;
                    position[s as usize] = j;
                    marks[b] += 1;
                }
            }
            for b in touched.drain(..) {
                let b = b as usize;
                let marked = std::mem::take(&mut marks[b]);
                let size = end[b] - first[b];
                if marked == size {
                    continue;
                }
                // Split: the smaller part becomes the new block and waits (whether or not `b` is waiting, both
                // parts are then covered).
                let cut = first[b] + marked;
                let (new_first, new_end) = if marked <= size - marked { (first[b], cut) } else { (cut, end[b]) };
                if new_first == first[b] {
                    first[b] = cut;
                } else {
                    end[b] = cut;
                }
                let new = first.len() as u32;
                first.push(new_first);
                end.push(new_end);
                marks.push(0);
                for &s in &elements[new_first..new_end] {
                    block[s as usize] = new;
                }
                waiting.push(new);
            }
        }
    }
    block
}

/// A fast hash for automaton states (FxHash's mixing step); the keys are not attacker-controlled.
#[derive(Default)]
pub(crate) struct Fx(u64);

impl Fx {
    /// One step of the hash.
    fn mix(hash: u64, n: u64) -> u64 {
        (hash.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
    }
}

impl std::hash::Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = Fx::mix(self.0, n);
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = Fx::mix(self.0, u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

/// The NFA of a parsed check, built back to front (each part is compiled knowing the state that follows it), then
/// numbered front to back so that the start comes first.
fn nfa(hir: &Hir, max_states: usize) -> Result<Nfa, String> {
    let mut b = NfaBuilder { states: Vec::new(), sets: Vec::new(), set_index: HashMap::new(), max_states };
    let done = b.push(NfaState::Match)?;
    let start = b.compile(hir, done)?;
    // Reverse the numbering: built back to front, the start is the last state made.
    let last = b.states.len() as u32 - 1;
    let flip = |s: u32| last - s;
    let states = b
        .states
        .iter()
        .rev()
        .map(|s| match *s {
            NfaState::Char { set, next } => NfaState::Char { set, next: flip(next) },
            NfaState::Split(x, y) => NfaState::Split(flip(x), flip(y)),
            NfaState::Assert(a, next) => NfaState::Assert(a, flip(next)),
            NfaState::Match => NfaState::Match,
        })
        .collect();
    Ok(Nfa {
        start: flip(start),
        anchored: hir.properties().look_set_prefix().contains(Look::Start),
        states,
        sets: b.sets,
    })
}

struct NfaBuilder {
    states: Vec<NfaState>,
    sets: Vec<Vec<(char, char)>>,
    set_index: HashMap<Vec<(char, char)>, u32>,
    max_states: usize,
}

/// A split whose first branch is filled in once the loop body exists.
const PLACEHOLDER: u32 = u32::MAX;

impl NfaBuilder {
    fn push(&mut self, s: NfaState) -> Result<u32, String> {
        if self.states.len() >= self.max_states {
            return Err(format!("the NFA needs more than {} states", self.max_states));
        }
        self.states.push(s);
        Ok(self.states.len() as u32 - 1)
    }

    fn set(&mut self, ranges: Vec<(char, char)>) -> u32 {
        let fresh = self.sets.len() as u32;
        if let Some(&i) = self.set_index.get(&ranges) {
            return i;
        }
        self.set_index.insert(ranges.clone(), fresh);
        self.sets.push(ranges);
        fresh
    }

    /// The first state of `hir`, whose matches continue at `next`.
    fn compile(&mut self, hir: &Hir, next: u32) -> Result<u32, String> {
        match hir.kind() {
            HirKind::Empty => Ok(next),
            HirKind::Literal(lit) => {
                let text = std::str::from_utf8(&lit.0).map_err(|_| "a literal that is not UTF-8".to_owned())?;
                let mut at = next;
                for c in text.chars().rev() {
                    let set = self.set(vec![(c, c)]);
                    at = self.push(NfaState::Char { set, next: at })?;
                }
                Ok(at)
            }
            HirKind::Class(Class::Unicode(class)) => {
                let set = self.set(class.ranges().iter().map(|r| (r.start(), r.end())).collect());
                self.push(NfaState::Char { set, next })
            }
            // `regex-syntax` writes a class that matches nothing as an empty byte class.
            HirKind::Class(Class::Bytes(class)) if class.ranges().is_empty() => {
                let set = self.set(Vec::new());
                self.push(NfaState::Char { set, next })
            }
            HirKind::Class(Class::Bytes(_)) => Err("a byte class".into()),
            HirKind::Look(look) => {
                let a = match look {
                    Look::Start => Assertion::Start,
                    Look::End => Assertion::End,
                    Look::WordAscii => Assertion::WordBoundary,
                    Look::WordAsciiNegate => Assertion::NotWordBoundary,
                    Look::EndCRLF => Assertion::EndCrlf,
                    other => return Err(format!("the assertion {other:?}")),
                };
                self.push(NfaState::Assert(a, next))
            }
            HirKind::Capture(c) => self.compile(&c.sub, next),
            HirKind::Concat(parts) => {
                let mut at = next;
                for p in parts.iter().rev() {
                    at = self.compile(p, at)?;
                }
                Ok(at)
            }
            HirKind::Alternation(alts) => {
                let mut starts = Vec::with_capacity(alts.len());
                for a in alts.iter().rev() {
                    starts.push(self.compile(a, next)?);
                }
                // Splits chained in order: the first alternative's split is made last.
                let mut at = starts[0];
                for &s in &starts[1..] {
                    at = self.push(NfaState::Split(s, at))?;
                }
                Ok(at)
            }
            HirKind::Repetition(r) => {
                let mut at = next;
                match r.max {
                    // Optional copies nested: after each copy, one split leads out.
                    Some(max) => {
                        for _ in r.min..max {
                            let copy = self.compile(&r.sub, at)?;
                            at = self.push(NfaState::Split(copy, next))?;
                        }
                    }
                    // A loop: a split into the body or out; the body leads back to the split.
                    None => {
                        let split = self.push(NfaState::Split(PLACEHOLDER, next))?;
                        let body = self.compile(&r.sub, split)?;
                        self.states[split as usize] = NfaState::Split(body, next);
                        at = split;
                    }
                }
                for _ in 0..r.min {
                    at = self.compile(&r.sub, at)?;
                }
                Ok(at)
            }
        }
    }
}

/// The DFA made another way, to check [`compile`]'s in the tests.
#[cfg(test)]
pub(crate) mod reference {
    use std::collections::HashMap;

    use regex_automata::dfa::{dense, Automaton as _, StartKind};
    use regex_automata::nfa::thompson::{self, WhichCaptures};
    use regex_automata::util::primitives::StateID;
    use regex_automata::util::start;
    use regex_automata::{Anchored, MatchKind};

    use super::{Dfa, Unminimized, DEAD, INVALID, MATCHED};
    use crate::inclusion::utf8_step;

    /// The same DFA made another way, for the tests: determinized by `regex-automata` from the regex (unanchored,
    /// reporting every match), then walked together with the UTF-8 position of each byte ([`utf8_step`]); a match state
    /// entered on a byte means a match ended before it, which counts only at a character boundary. Minimal DFAs of one
    /// language are the same up to numbering, and both are numbered the same way: the tables must be identical.
    pub(crate) fn dfa(regex: &str) -> Result<Dfa, String> {
        const LIMIT: usize = 64 << 20;
        let config = dense::DFA::config()
            .start_kind(StartKind::Unanchored)
            .match_kind(MatchKind::All)
            .byte_classes(true)
            .minimize(false)
            .dfa_size_limit(Some(LIMIT))
            .determinize_size_limit(Some(LIMIT));
        let built = dense::Builder::new()
            .configure(config)
            .thompson(thompson::Config::new().which_captures(WhichCaptures::None))
            .build(regex)
            .map_err(|e| format!("no DFA: {e}"))?;
        let start = built
            .start_state(&start::Config::new().anchored(Anchored::No))
            .map_err(|e| format!("no start state: {e}"))?;
        Ok(walk(&built, start)?.minimized())
    }

    /// The walk of [`dfa`].
    fn walk(dfa: &dense::DFA<Vec<u32>>, start: StateID) -> Result<Unminimized, String> {
        let mut index: HashMap<(StateID, u8), u32> = HashMap::new();
        let mut pending: Vec<(StateID, u8)> = Vec::new();
        let mut rows: Vec<[u32; 257]> = vec![[DEAD; 257], [MATCHED; 257]];
        let mut boundary = vec![true, true];
        let mut intern = |key: (StateID, u8), pending: &mut Vec<(StateID, u8)>| -> u32 {
            let fresh = index.len() as u32 + 2;
            *index.entry(key).or_insert_with(|| {
                pending.push(key);
                fresh
            })
        };
        let start = if dfa.is_dead_state(start) { DEAD } else { intern((start, 0), &mut pending) };
        let mut done = 0;
        while done < pending.len() {
            let (s, u) = pending[done];
            done += 1;
            let mut row = [INVALID; 257];
            for b in 0..=255u8 {
                row[usize::from(b)] = match utf8_step(u, b) {
                    None => INVALID,
                    Some(u2) => {
                        let s2 = dfa.next_state(s, b);
                        // A match state is entered one byte late: the match ended before `b`, where the UTF-8
                        // position was `u`.
                        if dfa.is_match_state(s2) && u == 0 {
                            MATCHED
                        } else if dfa.is_dead_state(s2) {
                            DEAD
                        } else if dfa.is_quit_state(s2) {
                            return Err(format!("the DFA gives up on byte {b:#04x}"));
                        } else {
                            intern((s2, u2), &mut pending)
                        }
                    }
                };
            }
            let end = dfa.next_eoi_state(s);
            row[256] = if u == 0 && dfa.is_match_state(end) { MATCHED } else { DEAD };
            rows.push(row);
            boundary.push(u == 0);
        }
        Ok(Unminimized::from_rows(rows, &boundary, start))
    }
}

#[cfg(test)]
mod tests;
