//! The automata that check `@pattern`s. The generator translates each pattern into one or more regular expressions
//! with the ECMAScript meaning spelled out (`crate::validation::Pattern`), and compiles each into one of these, as
//! static tables in the crate's `patterns` module (each with its pattern in its documentation). No regex engine runs
//! here: a check walks the value once, in time linear in its length, without allocating.
//!
//! - [`Dfa`]: a deterministic automaton over the bytes of the value, the usual case. Each byte value has a class (a
//!   column), each state a row of transitions, one per class, and a last column for the end of the value; a
//!   transition holds where the next state's row starts, so a step is one addition and two loads. State [`DEAD`]
//!   means no match can follow and state [`MATCHED`] that one was found: the walk stops at either.
//! - [`Bits`]: a position automaton over the code points of the value, walked bit-parallel, for checks whose DFA
//!   would be too big (long counted repetitions, large Unicode classes). The set of positions it may be in is a
//!   bitset on the stack; a step moves the sources of each group of edges at once with a shift and keeps the
//!   positions that read the character with an AND: a few operations per 64 positions, whatever the input.
//! - [`Nfa`]: a nondeterministic automaton over code points with moves that read nothing, walked as a set of states,
//!   for what the position automaton does not fit; its time is the value's length times the automaton's size.
//!
//! This module is written once by the generator; the tables come from the generator's `pattern::automaton`.

/// The state of a [`Dfa`] from which no match can follow.
pub const DEAD: usize = 0;
/// The state of a [`Dfa`] after a match.
pub const MATCHED: usize = 1;

/// One check of a pattern: whether a regular expression finds a match somewhere in a value.
#[derive(Debug)]
pub enum Automaton {
    /// A DFA over bytes.
    Dfa(Dfa),
    /// A position automaton over code points, walked bit-parallel.
    Bits(Bits),
    /// An NFA over code points.
    Nfa(Nfa),
}

impl Automaton {
    /// Whether the check's expression finds a match in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        match self {
            Automaton::Dfa(d) => d.is_match(text),
            Automaton::Bits(b) => b.is_match(text),
            Automaton::Nfa(n) => n.is_match(text),
        }
    }
}

/// A DFA over the bytes of UTF-8 text.
#[derive(Debug)]
pub struct Dfa {
    /// The class (column) of each byte value.
    pub classes: &'static [u8; 256],
    /// The cells of a row: one per class, then the end of the text.
    pub stride: u16,
    /// Where the walk starts (a state number).
    pub start: u16,
    /// The transitions, row by row: the cell of a state and a class holds the next state's row, its number times
    /// `stride` (so [`DEAD`]'s row is 0 and [`MATCHED`]'s is `stride`); in the last column, one of those two.
    pub next: &'static [u16],
}

/// The byte classes of a [`Dfa`] from runs: pairs of the first byte value of a run and its class, in order (the first
/// run starts at 0); each run ends where the next starts, the last at 255. Evaluated at compile time in the tables.
pub const fn byte_classes(runs: &[u8]) -> [u8; 256] {
    let mut classes = [0u8; 256];
    let mut i = 0;
    while i + 1 < runs.len() {
        let end = if i + 2 < runs.len() { runs[i + 2] as usize } else { 256 };
        let mut b = runs[i] as usize;
        while b < end {
            classes[b] = runs[i + 1];
            b += 1;
        }
        i += 2;
    }
    classes
}

/// The cells of a table written as text, read at compile time: decimal numbers separated by white space or commas
/// (which only help the reader), each `value` or `value*count` (that many cells of one value). Compilation fails
/// unless there are exactly `N`.
pub const fn cells<const N: usize>(text: &str) -> [u16; N] {
    let bytes = text.as_bytes();
    let mut out = [0u16; N];
    let (mut i, mut n) = (0, 0);
    while i < bytes.len() {
        if bytes[i].is_ascii_whitespace() || bytes[i] == b',' {
            i += 1;
            continue;
        }
        let (value, after) = number(bytes, i, 10);
        let (count, after) =
            if after < bytes.len() && bytes[after] == b'*' { number(bytes, after + 1, 10) } else { (1, after) };
        assert!(value <= u16::MAX as u32, "a cell is too large");
        let mut k = 0;
        while k < count {
            assert!(n < N, "more cells than the table has");
            out[n] = value as u16;
            n += 1;
            k += 1;
        }
        i = after;
    }
    assert!(n == N, "fewer cells than the table has");
    out
}

/// The transitions of a [`Dfa`] written as text, read at compile time: [`cells`] holding state numbers, each
/// multiplied by `stride` (the row where the state's cells start). Compilation fails if a row is past 65,535.
pub const fn rows<const N: usize>(text: &str, stride: u16) -> [u16; N] {
    let mut out: [u16; N] = cells(text);
    let mut i = 0;
    while i < N {
        let row = out[i] as u32 * stride as u32;
        assert!(row <= u16::MAX as u32, "a row is past the table's numbers");
        out[i] = row as u16;
        i += 1;
    }
    out
}

/// 64-bit words written as text, read at compile time: hexadecimal numbers separated by white space or commas, each
/// `value` or `value*count` (the count in decimal). Compilation fails unless there are exactly `N`.
pub const fn words<const N: usize>(text: &str) -> [u64; N] {
    let bytes = text.as_bytes();
    let mut out = [0u64; N];
    let (mut i, mut n) = (0, 0);
    while i < bytes.len() {
        if bytes[i].is_ascii_whitespace() || bytes[i] == b',' {
            i += 1;
            continue;
        }
        let start = i;
        let mut value: u64 = 0;
        while i < bytes.len() {
            let digit = match bytes[i] {
                b @ b'0'..=b'9' => (b - b'0') as u64,
                b @ b'a'..=b'f' => (b - b'a' + 10) as u64,
                _ => break,
            };
            assert!(i - start < 16, "a word has more than 16 hexadecimal digits");
            value = value << 4 | digit;
            i += 1;
        }
        assert!(i > start, "a word was expected");
        let (count, after) = if i < bytes.len() && bytes[i] == b'*' { number(bytes, i + 1, 10) } else { (1, i) };
        let mut k = 0;
        while k < count {
            assert!(n < N, "more words than the table has");
            out[n] = value;
            n += 1;
            k += 1;
        }
        i = after;
    }
    assert!(n == N, "fewer words than the table has");
    out
}

/// The ranges of a [`Set`] written as text, read at compile time: hexadecimal code points separated by white space,
/// each `first-last` or one character (a range of one); as pairs of first and last. Compilation fails unless there
/// are exactly `N / 2` ranges.
pub const fn ranges<const N: usize>(text: &str) -> [char; N] {
    let bytes = text.as_bytes();
    let mut out = ['\0'; N];
    let (mut i, mut n) = (0, 0);
    while i < bytes.len() {
        if bytes[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let (first, after) = number(bytes, i, 16);
        let (last, after) =
            if after < bytes.len() && bytes[after] == b'-' { number(bytes, after + 1, 16) } else { (first, after) };
        assert!(n + 1 < N, "more ranges than the set has");
        out[n] = code_point(first);
        out[n + 1] = code_point(last);
        n += 2;
        i = after;
    }
    assert!(n == N, "fewer ranges than the set has");
    out
}

const fn code_point(value: u32) -> char {
    match char::from_u32(value) {
        Some(c) => c,
        None => panic!("not a code point"),
    }
}

/// The number in `radix` (10 or 16) at `bytes[i..]`, and where it ends.
const fn number(bytes: &[u8], mut i: usize, radix: u32) -> (u32, usize) {
    let start = i;
    let mut value: u32 = 0;
    while i < bytes.len() {
        let digit = match bytes[i] {
            b @ b'0'..=b'9' => (b - b'0') as u32,
            b @ b'a'..=b'f' if radix == 16 => (b - b'a' + 10) as u32,
            _ => break,
        };
        value = value * radix + digit;
        i += 1;
    }
    assert!(i > start, "a number was expected");
    (value, i)
}

impl Dfa {
    /// Whether the check's expression finds a match in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        let stride = usize::from(self.stride);
        // The current state's row: DEAD's is 0 and MATCHED's `stride`, both ending the walk.
        let mut row = usize::from(self.start) * stride;
        for &b in text.as_bytes() {
            if row <= stride {
                return row == stride;
            }
            row = usize::from(self.next[row + usize::from(self.classes[usize::from(b)])]);
        }
        if row <= stride {
            return row == stride;
        }
        usize::from(self.next[row + stride - 1]) == stride
    }
}

/// A position automaton over the code points of text, walked bit-parallel: each position reads one character class,
/// and the set of positions the automaton may be in is a bitset. Conditions are sets of assertions that must hold at a
/// boundary between characters, as bits: [`AT_START`], [`AT_END`], [`WORD`] (an ASCII `\b`), [`NOT_WORD`] (`\B`),
/// [`BEFORE_LINE_END`] (`(?mR:$)`).
#[derive(Debug)]
pub struct Bits {
    /// Words of 64 positions per bitset.
    pub words: u16,
    /// The class of each ASCII character (the first 128 entries; 0: no position reads it).
    pub ascii: &'static [u8; 256],
    /// The other characters some position reads: intervals as pairs of first and last character, sorted.
    pub intervals: &'static [char],
    /// The class of each interval.
    pub interval_classes: &'static [u16],
    /// For each class from 1, the positions that read it: `words` words each.
    pub classes: &'static [u64],
    /// The groups of edges, five numbers each: the condition, how far they go plus 32,768, the first word of their
    /// sources, the number of words, and where the sources start in `masks`. A condition with bit 15 set marks a
    /// group whose edges all go to one position, given instead of the distance.
    pub groups: &'static [u16],
    /// The sources of the groups, and the starts and ends.
    pub masks: &'static [u64],
    /// Where matches start, four numbers each: a condition, then the positions read first under it: the first word,
    /// the number of words, and where they start in `masks`.
    pub first: &'static [u16],
    /// Where matches end, likewise: a condition, and the positions read last under it.
    pub last: &'static [u16],
    /// Bit `c`: the empty string matches where the conditions `c` hold.
    pub nullable: u32,
    /// Whether a match may start after the start of the text (some start does not need [`AT_START`]).
    pub restarts: bool,
}

/// A condition of [`Bits`]: the start of the text.
pub const AT_START: u16 = 1;
/// A condition of [`Bits`]: the end of the text.
pub const AT_END: u16 = 2;
/// A condition of [`Bits`]: an ASCII word character on exactly one side.
pub const WORD: u16 = 4;
/// A condition of [`Bits`]: not a word boundary.
pub const NOT_WORD: u16 = 8;
/// A condition of [`Bits`]: `(?mR:$)`, the end, or before `\r`, or before `\n` but not after `\r`.
pub const BEFORE_LINE_END: u16 = 16;

/// The mark of a group of [`Bits`] whose edges all go to one position.
const INTO: u16 = 1 << 15;

/// The most words of 64 positions a [`Bits`] may have: its bitsets, on the stack, take 2 KiB each.
pub const BITS_MAX_WORDS: usize = 256;

impl Bits {
    /// Whether the check's expression finds a match in `text`.
    ///
    /// # Panics
    ///
    /// If the automaton has more than [`BITS_MAX_WORDS`] words; the generator makes none.
    pub fn is_match(&self, text: &str) -> bool {
        match self.words {
            0..=1 => self.search::<1>(text),
            2 => self.search::<2>(text),
            3..=4 => self.search::<4>(text),
            5..=8 => self.search::<8>(text),
            9..=16 => self.search::<16>(text),
            17..=32 => self.search::<32>(text),
            33..=64 => self.search::<64>(text),
            65..=128 => self.search::<128>(text),
            _ => self.search::<256>(text),
        }
    }

    /// The class of a character: 0 when no position reads it.
    fn class(&self, c: char) -> usize {
        if c.is_ascii() {
            return usize::from(self.ascii[c as usize]);
        }
        let (mut lo, mut hi) = (0, self.interval_classes.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if c < self.intervals[2 * mid] {
                hi = mid;
            } else if c > self.intervals[2 * mid + 1] {
                lo = mid + 1;
            } else {
                return usize::from(self.interval_classes[mid]);
            }
        }
        0
    }

    /// The walk with bitsets of `W` words. `current` holds the positions the automaton may be in after the
    /// character before the boundary; its words outside `active` are zero, and so are all of `next` between steps.
    fn search<const W: usize>(&self, text: &str) -> bool {
        let words = usize::from(self.words);
        let (mut current, mut next) = ([0u64; W], [0u64; W]);
        // The words of `current` that may be non-zero: `active.0..active.1`.
        let mut active = (0, 0);
        let mut chars = text.chars();
        let (mut before, mut after) = (None, chars.next());
        loop {
            let held = holding(before, after);
            // A condition holds when all its assertions do.
            let holds = |cond: u16| cond & !held == 0;
            if self.nullable & SUBSETS[usize::from(held)] != 0 {
                return true;
            }
            for end in self.last.chunks_exact(4) {
                let (from, count, at) = (usize::from(end[1]), usize::from(end[2]), usize::from(end[3]));
                if holds(end[0])
                    && (from.max(active.0)..(from + count).min(active.1))
                        .any(|w| current[w] & self.masks[at + w - from] != 0)
                {
                    return true;
                }
            }
            let Some(c) = after else { return false };
            if active.0 == active.1 && !self.restarts && before.is_some() {
                return false;
            }
            // Where the groups lead, then the starts (`lo..hi`: the words of `next` written), kept where the character
            // is read.
            let (mut lo, mut hi) = (W, 0);
            for g in self.groups.chunks_exact(5) {
                let (from, count) = (usize::from(g[2]), usize::from(g[3]));
                let (start, end) = (from.max(active.0), (from + count).min(active.1));
                if start >= end || !holds(g[0] & !INTO) {
                    continue;
                }
                let mask = &self.masks[usize::from(g[4]) + start - from..];
                if g[0] & INTO != 0 {
                    // Into one position: whether any source is there.
                    if (start..end).zip(mask).any(|(w, m)| current[w] & m != 0) {
                        let to = usize::from(g[1]);
                        next[to / 64] |= 1 << (to % 64);
                        (lo, hi) = (lo.min(to / 64), hi.max(to / 64 + 1));
                    }
                    continue;
                }
                let shift = isize::from(g[1] as i16 ^ i16::MIN);
                let (q, r) = (shift.div_euclid(64), shift.rem_euclid(64) as u32);
                let to = start as isize + q;
                if r == 0 {
                    for (i, w) in (start..end).enumerate() {
                        next[(to + i as isize) as usize] |= current[w] & mask[i];
                    }
                    (lo, hi) = (lo.min(to as usize), hi.max((to as usize) + end - start));
                    continue;
                }
                // Each bit goes to word `w + q`, or the next when it crosses a word: either part, when not empty,
                // holds positions that exist.
                for (i, w) in (start..end).enumerate() {
                    let x = current[w] & mask[i];
                    if x == 0 {
                        continue;
                    }
                    let t = to + i as isize;
                    let (low, high) = (x << r, x >> (64 - r));
                    if low != 0 {
                        next[t as usize] |= low;
                    }
                    if high != 0 {
                        next[(t + 1) as usize] |= high;
                    }
                }
                (lo, hi) =
                    (lo.min(to.max(0) as usize), hi.max(((to + (end - start) as isize + 1) as usize).min(words)));
            }
            for start in self.first.chunks_exact(4) {
                if holds(start[0]) {
                    let (from, count, at) = (usize::from(start[1]), usize::from(start[2]), usize::from(start[3]));
                    for (i, w) in (from..from + count).enumerate() {
                        next[w] |= self.masks[at + i];
                    }
                    (lo, hi) = (lo.min(from), hi.max(from + count));
                }
            }
            current[active.0..active.1].fill(0);
            active = (0, 0);
            let class = self.class(c);
            let mask = if class == 0 { &[][..] } else { &self.classes[(class - 1) * words..class * words] };
            let (mut first, mut last) = (usize::MAX, 0);
            for w in lo..hi {
                let x = next[w] & mask.get(w).copied().unwrap_or(0);
                next[w] = 0;
                if x != 0 {
                    current[w] = x;
                    (first, last) = (first.min(w), w + 1);
                }
            }
            if first < last {
                active = (first, last);
            }
            (before, after) = (Some(c), chars.next());
        }
    }
}

/// For each set of assertions that hold (as the bits of [`Bits`]' conditions), the conditions among the 32 that then
/// hold: bit `c` when all of `c`'s assertions are in the set.
const SUBSETS: [u32; 32] = {
    let mut table = [0u32; 32];
    let mut held = 0;
    while held < 32 {
        let mut cond = 0;
        while cond < 32 {
            if cond & !held == 0 {
                table[held] |= 1 << cond;
            }
            cond += 1;
        }
        held += 1;
    }
    table
};

/// Whether `(?mR:$)` holds between two characters: at the end, before `\r`, or before `\n` but not after `\r`
/// (Java's `$` is never between `\r` and `\n`).
fn end_crlf(before: Option<char>, after: Option<char>) -> bool {
    match after {
        None | Some('\r') => true,
        Some('\n') => before != Some('\r'),
        Some(_) => false,
    }
}

/// The conditions of [`Bits`] that hold between two characters (`None`: the start or the end of the text).
fn holding(before: Option<char>, after: Option<char>) -> u16 {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    let mut held = if word(before) != word(after) { WORD } else { NOT_WORD };
    if before.is_none() {
        held |= AT_START;
    }
    if after.is_none() {
        held |= AT_END;
    }
    if end_crlf(before, after) {
        held |= BEFORE_LINE_END;
    }
    held
}

/// An NFA over the code points of text.
#[derive(Debug)]
pub struct Nfa {
    /// Where every match starts.
    pub start: u16,
    /// Whether every match starts at the start of the text; otherwise the search starts again at every character.
    pub anchored: bool,
    /// The states, three numbers each: [`CHAR`], a set (index into `sets`) and the next state; [`SPLIT`] and two
    /// next states; [`ASSERT`], an assertion ([`START`], [`END`], [`WORD_BOUNDARY`], [`NOT_WORD_BOUNDARY`]) and the
    /// next state; or [`MATCH`], 0, 0.
    pub states: &'static [u16],
    /// The character sets.
    pub sets: &'static [Set],
}

/// An [`Nfa`] state that reads a character of a set.
pub const CHAR: u16 = 0;
/// An [`Nfa`] state that goes on to two states.
pub const SPLIT: u16 = 1;
/// An [`Nfa`] state that goes on if an assertion holds.
pub const ASSERT: u16 = 2;
/// An [`Nfa`] state that matches.
pub const MATCH: u16 = 3;
/// `\A`: the start of the text.
pub const START: u16 = 0;
/// `\z`: the end of the text.
pub const END: u16 = 1;
/// `\b` with ASCII word characters (`[0-9A-Za-z_]`).
pub const WORD_BOUNDARY: u16 = 2;
/// `\B` with ASCII word characters.
pub const NOT_WORD_BOUNDARY: u16 = 3;
/// `(?mR:$)`: the end, or before `\r`, or before `\n` but not after `\r`.
pub const END_CRLF: u16 = 4;

/// The most states an [`Nfa`] may have: its state sets are bitsets of at most this many bits, on the stack.
pub const NFA_MAX_STATES: usize = 128 * 64;

/// A set of characters.
#[derive(Debug)]
pub struct Set {
    /// The ASCII characters of the set: bit `c` for character `c`.
    pub ascii: u128,
    /// The others, as inclusive ranges: pairs of first and last character, sorted.
    pub ranges: &'static [char],
}

impl Set {
    /// Whether `c` is in the set.
    pub fn contains(&self, c: char) -> bool {
        let code = c as u32;
        if code < 128 {
            return self.ascii >> code & 1 == 1;
        }
        let (mut lo, mut hi) = (0, self.ranges.len() / 2);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if c < self.ranges[2 * mid] {
                hi = mid;
            } else if c > self.ranges[2 * mid + 1] {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        false
    }
}

impl Nfa {
    /// Whether the check's expression finds a match in `text`.
    ///
    /// # Panics
    ///
    /// If the NFA has more than [`NFA_MAX_STATES`] states; the generator makes none.
    pub fn is_match(&self, text: &str) -> bool {
        match (self.states.len() / 3).div_ceil(64) {
            0..=1 => self.search::<1>(text),
            2..=4 => self.search::<4>(text),
            5..=16 => self.search::<16>(text),
            17..=64 => self.search::<64>(text),
            _ => self.search::<128>(text),
        }
    }

    /// The search with state sets of `W` words.
    fn search<const W: usize>(&self, text: &str) -> bool {
        let (mut current, mut next, mut pending) = ([0u64; W], [0u64; W], [0u64; W]);
        let mut chars = text.chars();
        let (mut before, mut after) = (None, chars.next());
        let mut at_start = true;
        loop {
            if (at_start || !self.anchored) && self.close(self.start, (before, after), &mut current, &mut pending) {
                return true;
            }
            at_start = false;
            let Some(c) = after else { return false };
            let ahead = chars.next();
            let mut moved = false;
            for (w, &word) in current.iter().enumerate() {
                let mut bits = word;
                while bits != 0 {
                    let s = w * 64 + bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    let (kind, set, to) = (self.states[3 * s], self.states[3 * s + 1], self.states[3 * s + 2]);
                    if kind == CHAR && self.sets[usize::from(set)].contains(c) {
                        moved = true;
                        if self.close(to, (Some(c), ahead), &mut next, &mut pending) {
                            return true;
                        }
                    }
                }
            }
            if !moved && self.anchored {
                return false;
            }
            current = next;
            next = [0; W];
            (before, after) = (Some(c), ahead);
        }
    }

    /// Add `from` and every state it reaches without reading (at the position between `around.0` and `around.1`) to
    /// `set`; whether that reaches a match. `pending` is all zeros before and after (unless a match is found): the
    /// states still to follow, taken lowest first, so that each is followed once.
    fn close<const W: usize>(
        &self,
        from: u16,
        around: (Option<char>, Option<char>),
        set: &mut [u64; W],
        pending: &mut [u64; W],
    ) -> bool {
        let mut word = usize::MAX;
        self.add(from, set, pending, &mut word);
        while word < W {
            let bits = pending[word];
            if bits == 0 {
                word += 1;
                continue;
            }
            pending[word] = bits & (bits - 1);
            let s = word * 64 + bits.trailing_zeros() as usize;
            let (kind, a, b) = (self.states[3 * s], self.states[3 * s + 1], self.states[3 * s + 2]);
            match kind {
                MATCH => return true,
                SPLIT => {
                    self.add(a, set, pending, &mut word);
                    self.add(b, set, pending, &mut word);
                }
                ASSERT if holds(a, around) => self.add(b, set, pending, &mut word),
                _ => {}
            }
        }
        false
    }

    /// Put `s` in `set`; if it was not there and does not read a character, also in `pending`, moving `word` (the
    /// word of `pending` to look at next) back to it.
    fn add<const W: usize>(&self, s: u16, set: &mut [u64; W], pending: &mut [u64; W], word: &mut usize) {
        let (w, bit) = (usize::from(s) / 64, 1u64 << (s % 64));
        if set[w] & bit != 0 {
            return;
        }
        set[w] |= bit;
        if self.states[3 * usize::from(s)] != CHAR {
            pending[w] |= bit;
            *word = (*word).min(w);
        }
    }
}

/// Whether an assertion holds between two characters (`None`: the start or the end of the text).
fn holds(assertion: u16, (before, after): (Option<char>, Option<char>)) -> bool {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    match assertion {
        START => before.is_none(),
        END => after.is_none(),
        WORD_BOUNDARY => word(before) != word(after),
        NOT_WORD_BOUNDARY => word(before) == word(after),
        END_CRLF => end_crlf(before, after),
        _ => false,
    }
}
