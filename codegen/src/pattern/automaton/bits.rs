//! The bit-parallel position automaton ([`Bits`]): what a check runs when its DFA is over the budget.
//!
//! The automaton has one *position* per character class of the expression (counted repetitions copied), numbered in
//! the order of the syntax tree, and no moves that read nothing: a position is entered by reading a character of its
//! class (Glushkov's construction). Which positions follow which, across the zero-width assertions in between, is a
//! list of edges, each with the assertions it needs at the boundary it crosses (`\A`, `\z`, ASCII `\b`, `\B`). The
//! set of positions the automaton may be in is a bitset, and a step is a few operations per 64 positions: the edges
//! are grouped by how far they go (`to - from`) and by their assertions, so that a group moves all its sources at once
//! with a shift, and the positions that read the character are kept with an AND of its class's mask. Counted
//! repetitions, whose copies are what make DFAs and set-of-states simulations slow, give a handful of groups: the
//! edges from each copy to the next go the same distance. The time per character is the number of words the groups
//! span, whatever the input; the runtime walks it with the bitsets on the stack, without allocating.

use std::collections::BTreeMap;

use regex_syntax::hir::{Class, Hir, HirKind, Look};

/// The assertions an edge, a start or an end needs at its boundary, as bits.
pub type Cond = u8;
/// `\A`: the start of the text.
pub const AT_START: Cond = 1;
/// `\z`: the end of the text.
pub const AT_END: Cond = 2;
/// ASCII `\b`: a word character on exactly one side.
pub const WORD: Cond = 4;
/// ASCII `\B`: not a word boundary.
pub const NOT_WORD: Cond = 8;
/// `(?mR:$)`: the end, or before `\r`, or before `\n` but not after `\r`.
pub const BEFORE_LINE_END: Cond = 16;

/// The assertions that hold between two characters (`None`: the start or the end of the text).
pub fn holding(before: Option<char>, after: Option<char>) -> Cond {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    let mut held = if word(before) != word(after) { WORD } else { NOT_WORD };
    if before.is_none() {
        held |= AT_START;
    }
    if after.is_none() {
        held |= AT_END;
    }
    if super::end_crlf(before, after) {
        held |= BEFORE_LINE_END;
    }
    held
}

/// Limits on the construction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most positions (the runtime's bitsets are sized for them); 0: no position automaton at all.
    pub positions: usize,
    /// The most edges the construction may make before they are grouped.
    pub edges: usize,
    /// The most words a step may touch (the groups' spans, the starts and ends, the class mask).
    pub step_words: usize,
}

/// A bit-parallel position automaton, answering whether a check's regex finds a match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bits {
    /// The number of positions.
    pub positions: usize,
    /// The character class of each position (index into `sets`).
    pub position_set: Vec<u32>,
    /// The character sets, as sorted, disjoint, inclusive ranges of code points.
    pub sets: Vec<Vec<(char, char)>>,
    /// The code points that some set holds, as intervals each with its class (from 1; 0 is "no position reads it");
    /// sorted.
    pub intervals: Vec<(char, char, u16)>,
    /// For each class from 1, the positions that read it: `words()` words each.
    pub class_masks: Vec<u64>,
    /// The edge groups: every edge of a group needs the same assertions and goes the same distance.
    pub groups: Vec<Group>,
    /// Where a match may start: the positions read first, by the assertions needed before them.
    pub first: Vec<(Cond, Vec<u64>)>,
    /// Where a match may end: the positions read last, by the assertions needed after them.
    pub last: Vec<(Cond, Vec<u64>)>,
    /// Bit `c` set: the empty string matches where the assertions `c` hold.
    pub nullable: u32,
}

/// Edges that all need the assertions `cond` and go `shift` positions on (back when negative); or, when `into` is
/// set, that all go to that one position from sources at different distances (the exits of the optional copies of a
/// counted repetition lead to what follows it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub cond: Cond,
    pub shift: i32,
    pub into: Option<u32>,
    /// The first word of the sources.
    pub from_word: usize,
    /// The sources, a bitset from `from_word` on.
    pub sources: Vec<u64>,
}

impl Bits {
    /// Words per bitset of positions.
    pub fn words(&self) -> usize {
        self.positions.div_ceil(64).max(1)
    }

    /// The number of character classes (without class 0).
    pub fn classes(&self) -> usize {
        self.class_masks.len() / self.words()
    }

    /// The words a step touches at most: the groups' sources, the starts, the ends and the class mask.
    pub fn step_words(&self) -> usize {
        let span = |bits: &Vec<u64>| {
            let from = bits.iter().position(|&w| w != 0).unwrap_or(0);
            bits.iter().rposition(|&w| w != 0).map_or(0, |w| w + 1 - from)
        };
        let ends: usize = self.first.iter().chain(&self.last).map(|(_, bits)| span(bits)).sum();
        self.groups.iter().map(|g| g.sources.len()).sum::<usize>() + ends + self.words()
    }

    /// The size of the tables in the generated crate: the masks (8 bytes a word), five 16-bit numbers per group, two
    /// per start and end, and four bytes per interval and two per its class.
    pub fn table_bytes(&self) -> usize {
        let words = self.class_masks.len()
            + self.groups.iter().map(|g| g.sources.len()).sum::<usize>()
            + (self.first.len() + self.last.len()) * self.words();
        8 * words + 10 * self.groups.len() + 4 * (self.first.len() + self.last.len()) + 10 * self.intervals.len()
    }

    /// The class of a character: 0 when no position reads it.
    pub fn class(&self, c: char) -> u16 {
        let i = self.intervals.partition_point(|&(_, hi, _)| hi < c);
        match self.intervals.get(i) {
            Some(&(lo, _, class)) if lo <= c => class,
            _ => 0,
        }
    }

    /// Whether the check's regex finds a match in `text`: the runtime's walk, written plainly (with allocation) as
    /// the reference for tests.
    pub fn is_match(&self, text: &str) -> bool {
        let w = self.words();
        let chars: Vec<char> = text.chars().collect();
        let mut current = vec![0u64; w];
        for k in 0..=chars.len() {
            let before = k.checked_sub(1).map(|j| chars[j]);
            let after = chars.get(k).copied();
            let held = holding(before, after);
            let holds = |cond: Cond| cond & !held == 0;
            if (0..32).any(|c| self.nullable >> c & 1 == 1 && holds(c as Cond)) {
                return true;
            }
            let meets = |mask: &[u64]| mask.iter().zip(&current).any(|(m, d)| m & d != 0);
            if self.last.iter().any(|(cond, mask)| holds(*cond) && meets(mask)) {
                return true;
            }
            let Some(c) = after else { return false };
            let mut next = vec![0u64; w];
            for g in self.groups.iter().filter(|g| holds(g.cond)) {
                for (i, &m) in g.sources.iter().enumerate() {
                    let x = current[g.from_word + i] & m;
                    for bit in 0..64 {
                        if x >> bit & 1 == 1 {
                            let to = match g.into {
                                Some(to) => i64::from(to),
                                None => (g.from_word + i) as i64 * 64 + bit + i64::from(g.shift),
                            };
                            next[to as usize / 64] |= 1 << (to % 64);
                        }
                    }
                }
            }
            for (cond, mask) in &self.first {
                if holds(*cond) {
                    next.iter_mut().zip(mask).for_each(|(n, m)| *n |= m);
                }
            }
            let class = usize::from(self.class(c));
            for (i, n) in next.iter_mut().enumerate() {
                *n &= if class == 0 { 0 } else { self.class_masks[(class - 1) * w + i] };
            }
            current = next;
        }
        false
    }
}

/// What a piece of the expression starts and ends with, and when it matches the empty string.
#[derive(Debug, Clone, Default)]
struct Piece {
    /// The positions read first, with the assertions needed before them.
    first: Vec<(u32, Cond)>,
    /// The positions read last, with the assertions needed after them.
    last: Vec<(u32, Cond)>,
    /// Bit `c`: the piece matches the empty string where the assertions `c` hold.
    nullable: u32,
}

fn empty() -> Piece {
    Piece { first: Vec::new(), last: Vec::new(), nullable: 1 }
}

/// Whether assertions can hold together at one boundary.
fn possible(cond: Cond) -> bool {
    cond & (WORD | NOT_WORD) != WORD | NOT_WORD
}

/// The conditions of `a` and of `b` joined pairwise (both must hold).
fn both(a: u32, b: u32) -> u32 {
    let mut out = 0;
    for x in 0..32u32 {
        if a >> x & 1 == 0 {
            continue;
        }
        for y in 0..32u32 {
            if b >> y & 1 == 1 && possible((x | y) as Cond) {
                out |= 1 << (x | y);
            }
        }
    }
    out
}

fn dedup(list: &mut Vec<(u32, Cond)>) {
    list.sort_unstable();
    list.dedup();
}

struct Builder {
    limits: Limits,
    position_set: Vec<u32>,
    sets: Vec<Vec<(char, char)>>,
    set_index: BTreeMap<Vec<(char, char)>, u32>,
    /// Edges `(from, to)` with their assertions.
    edges: Vec<(u32, u32, Cond)>,
}

impl Builder {
    fn position(&mut self, ranges: Vec<(char, char)>) -> Result<u32, String> {
        if self.position_set.len() >= self.limits.positions {
            return Err(format!("more than {} positions", self.limits.positions));
        }
        let fresh = self.sets.len() as u32;
        let set = *self.set_index.entry(ranges.clone()).or_insert_with(|| fresh);
        if set == fresh {
            self.sets.push(ranges);
        }
        self.position_set.push(set);
        Ok(self.position_set.len() as u32 - 1)
    }

    /// Edges from every end of `a` to every start of `b`, across one boundary.
    fn link(&mut self, last: &[(u32, Cond)], first: &[(u32, Cond)]) -> Result<(), String> {
        for &(p, c) in last {
            for &(q, d) in first {
                let cond = c | d;
                // An edge crosses a boundary between two characters: never the start or the end of the text.
                if possible(cond) && cond & (AT_START | AT_END) == 0 {
                    self.edges.push((p, q, cond));
                }
            }
        }
        if self.edges.len() > self.limits.edges {
            return Err(format!("more than {} edges", self.limits.edges));
        }
        Ok(())
    }

    fn concat(&mut self, a: Piece, b: Piece) -> Result<Piece, String> {
        self.link(&a.last, &b.first)?;
        let mut first = a.first;
        for x in 0..32u32 {
            if a.nullable >> x & 1 == 1 {
                first.extend(b.first.iter().map(|&(q, d)| (q, d | x as Cond)).filter(|&(_, c)| possible(c)));
            }
        }
        let mut last = b.last;
        for y in 0..32u32 {
            if b.nullable >> y & 1 == 1 {
                last.extend(a.last.iter().map(|&(p, c)| (p, c | y as Cond)).filter(|&(_, c)| possible(c)));
            }
        }
        dedup(&mut first);
        dedup(&mut last);
        Ok(Piece { first, last, nullable: both(a.nullable, b.nullable) })
    }

    fn alternate(a: Piece, b: Piece) -> Piece {
        let mut first = a.first;
        first.extend(b.first);
        let mut last = a.last;
        last.extend(b.last);
        dedup(&mut first);
        dedup(&mut last);
        Piece { first, last, nullable: a.nullable | b.nullable }
    }

    fn compile(&mut self, hir: &Hir) -> Result<Piece, String> {
        Ok(match hir.kind() {
            HirKind::Empty => empty(),
            HirKind::Literal(lit) => {
                let text = std::str::from_utf8(&lit.0).map_err(|_| "a literal that is not UTF-8".to_owned())?;
                let mut piece = empty();
                for c in text.chars() {
                    let p = self.position(vec![(c, c)])?;
                    piece = self.concat(piece, Piece { first: vec![(p, 0)], last: vec![(p, 0)], nullable: 0 })?;
                }
                piece
            }
            HirKind::Class(Class::Unicode(class)) => {
                let p = self.position(class.ranges().iter().map(|r| (r.start(), r.end())).collect())?;
                Piece { first: vec![(p, 0)], last: vec![(p, 0)], nullable: 0 }
            }
            // `regex-syntax` writes a class that matches nothing as an empty byte class.
            HirKind::Class(Class::Bytes(class)) if class.ranges().is_empty() => {
                let p = self.position(Vec::new())?;
                Piece { first: vec![(p, 0)], last: vec![(p, 0)], nullable: 0 }
            }
            HirKind::Class(Class::Bytes(_)) => return Err("a byte class".into()),
            HirKind::Look(look) => {
                let cond = match look {
                    Look::Start => AT_START,
                    Look::End => AT_END,
                    Look::WordAscii => WORD,
                    Look::WordAsciiNegate => NOT_WORD,
                    Look::EndCRLF => BEFORE_LINE_END,
                    other => return Err(format!("the assertion {other:?}")),
                };
                Piece { first: Vec::new(), last: Vec::new(), nullable: 1 << cond }
            }
            HirKind::Capture(c) => self.compile(&c.sub)?,
            HirKind::Concat(parts) => {
                let mut piece = empty();
                for p in parts {
                    let next = self.compile(p)?;
                    piece = self.concat(piece, next)?;
                }
                piece
            }
            HirKind::Alternation(alts) => {
                let mut piece = Piece::default();
                for a in alts {
                    let next = self.compile(a)?;
                    piece = Self::alternate(piece, next);
                }
                piece
            }
            HirKind::Repetition(r) => {
                let mut piece = empty();
                // `X{m,}` is `X{m-1}` and `X+`, whose one copy of `X` leads back to itself.
                let loops = usize::from(r.max.is_none() && r.min > 0);
                for _ in 0..r.min as usize - loops {
                    let copy = self.compile(&r.sub)?;
                    piece = self.concat(piece, copy)?;
                }
                if loops == 1 {
                    let body = self.compile(&r.sub)?;
                    self.link(&body.last.clone(), &body.first.clone())?;
                    return self.concat(piece, body);
                }
                match r.max {
                    // The optional copies nested, `(X(X(X)?)?)?`, so that each copy leads only to the next.
                    Some(max) => {
                        let copies =
                            (r.min..max).map(|_| self.compile(&r.sub)).collect::<Result<Vec<Piece>, String>>()?;
                        let mut tail = empty();
                        for copy in copies.into_iter().rev() {
                            let inner = self.concat(copy, tail)?;
                            tail = Self::alternate(inner, empty());
                        }
                        piece = self.concat(piece, tail)?;
                    }
                    // A loop: its ends lead back to its starts.
                    None => {
                        let body = self.compile(&r.sub)?;
                        self.link(&body.last.clone(), &body.first.clone())?;
                        let looped = Self::alternate(body, empty());
                        piece = self.concat(piece, looped)?;
                    }
                }
                piece
            }
        })
    }
}

/// How many edges into one position make a group of their own.
const FAN_IN: usize = 4;

/// The automaton of a parsed check, or why there is none within `limits`.
pub fn build(hir: &Hir, limits: &Limits) -> Result<Bits, String> {
    if limits.positions == 0 {
        return Err("no position automaton (a limit of 0 positions)".into());
    }
    let mut b = Builder {
        limits: *limits,
        position_set: Vec::new(),
        sets: Vec::new(),
        set_index: BTreeMap::new(),
        edges: Vec::new(),
    };
    let piece = b.compile(hir)?;
    let positions = b.position_set.len();
    let words = positions.div_ceil(64).max(1);
    let bitset = |list: &mut dyn Iterator<Item = u32>| {
        let mut bits = vec![0u64; words];
        for p in list {
            bits[p as usize / 64] |= 1 << (p % 64);
        }
        bits
    };
    // Starts and ends by their assertions (a start never needs `\z`, an end never `\A`: a character is between).
    let by_cond = |list: &[(u32, Cond)], never: Cond| -> Vec<(Cond, Vec<u64>)> {
        let mut conds: Vec<Cond> = list.iter().map(|&(_, c)| c).filter(|c| c & never == 0).collect();
        conds.sort_unstable();
        conds.dedup();
        conds.into_iter().map(|c| (c, bitset(&mut list.iter().filter(|&&(_, d)| d == c).map(|&(p, _)| p)))).collect()
    };
    let first = by_cond(&piece.first, AT_END);
    let last = by_cond(&piece.last, AT_START);
    // The edges into a position that many edges go to make one group (one test of its sources: the exits of the
    // optional copies of a counted repetition lead to what follows it, each from another distance); the others are
    // grouped by assertions and distance, each group's sources a bitset over the words they span.
    let mut edges = b.edges;
    edges.sort_unstable();
    edges.dedup();
    let mut by_target: BTreeMap<(Cond, u32), Vec<u32>> = BTreeMap::new();
    for &(from, to, cond) in &edges {
        by_target.entry((cond, to)).or_default().push(from);
    }
    by_target.retain(|_, sources| sources.len() >= FAN_IN);
    let mut by_shift: BTreeMap<(Cond, i32), Vec<u32>> = BTreeMap::new();
    for (from, to, cond) in edges {
        if !by_target.contains_key(&(cond, to)) {
            by_shift.entry((cond, to as i32 - from as i32)).or_default().push(from);
        }
    }
    let group = |cond: Cond, shift: i32, into: Option<u32>, mut sources: Vec<u32>| {
        sources.sort_unstable();
        let from_word = sources[0] as usize / 64;
        let to_word = sources[sources.len() - 1] as usize / 64;
        let mut bits = vec![0u64; to_word - from_word + 1];
        for s in sources {
            bits[s as usize / 64 - from_word] |= 1 << (s % 64);
        }
        Group { cond, shift, into, from_word, sources: bits }
    };
    let mut groups: Vec<Group> = Vec::new();
    for ((cond, shift), sources) in by_shift {
        groups.push(group(cond, shift, None, sources));
    }
    for ((cond, to), sources) in by_target {
        groups.push(group(cond, 0, Some(to), sources));
    }
    // Classes of code points: intervals that every set holds or not alike; the class of an interval no set holds is 0.
    let mut starts: Vec<u32> = vec![0];
    for set in &b.sets {
        for &(lo, hi) in set {
            starts.push(lo as u32);
            starts.push(hi as u32 + 1);
        }
    }
    starts.sort_unstable();
    starts.dedup();
    starts.retain(|&c| c <= char::MAX as u32);
    let inside = |set: &[(char, char)], c: u32| {
        let i = set.partition_point(|&(_, hi)| (hi as u32) < c);
        set.get(i).is_some_and(|&(lo, _)| lo as u32 <= c)
    };
    let mut classes: BTreeMap<Vec<bool>, u16> = BTreeMap::new();
    let mut class_sets: Vec<Vec<bool>> = Vec::new();
    let mut intervals: Vec<(char, char, u16)> = Vec::new();
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(char::MAX as u32, |&next| next - 1);
        // Surrogates are no characters: an interval that starts among them starts after them.
        let start = if (0xD800..0xE000).contains(&start) { 0xE000 } else { start };
        if start > end {
            continue;
        }
        let signature: Vec<bool> = b.sets.iter().map(|set| inside(set, start)).collect();
        if !signature.contains(&true) {
            continue;
        }
        let fresh = classes.len() as u16 + 1;
        let class = *classes.entry(signature.clone()).or_insert_with(|| {
            class_sets.push(signature);
            fresh
        });
        let (Some(lo), Some(hi)) = (char::from_u32(start), char::from_u32(end).or(char::from_u32(0xD7FF))) else {
            continue;
        };
        match intervals.last_mut() {
            Some(last) if last.2 == class && last.1 as u32 + 1 == start => last.1 = hi,
            _ => intervals.push((lo, hi, class)),
        }
    }
    if classes.len() > usize::from(u16::MAX) {
        return Err("more character classes than the tables number".into());
    }
    let mut class_masks = Vec::with_capacity(class_sets.len() * words);
    for signature in &class_sets {
        let mut reads = b.position_set.iter().enumerate().filter(|&(_, &set)| signature[set as usize]);
        class_masks.extend(bitset(&mut reads.by_ref().map(|(p, _)| p as u32)));
    }
    let bits = Bits {
        positions,
        position_set: b.position_set,
        sets: b.sets,
        intervals,
        class_masks,
        groups,
        first,
        last,
        nullable: piece.nullable,
    };
    bits.encoded()?;
    if bits.step_words() > limits.step_words {
        return Err(format!(
            "a step would touch {} words of 64 positions, more than {}",
            bits.step_words(),
            limits.step_words
        ));
    }
    Ok(bits)
}

/// A [`Bits`] as the runtime's tables (`automaton::Bits`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
    /// The class of each ASCII character, as runs: each character where a new class starts, and that class.
    pub ascii_runs: Vec<(u8, u8)>,
    /// The other characters some position reads: intervals, and the class of each.
    pub intervals: Vec<(char, char)>,
    pub interval_classes: Vec<u16>,
    /// The positions of each class from 1, `words` words each.
    pub classes: Vec<u64>,
    /// Five numbers a group: condition, shift + 32,768, first word, words, where its sources start in `masks`.
    pub groups: Vec<u16>,
    /// The groups' sources, then the starts' and the ends' positions.
    pub masks: Vec<u64>,
    /// Four numbers a start: condition, first word, words, where its positions start in `masks`; likewise the ends.
    pub first: Vec<u16>,
    pub last: Vec<u16>,
    pub nullable: u32,
    /// Whether a match may start after the start of the text.
    pub restarts: bool,
}

impl Bits {
    /// The runtime's tables; an error when a number does not fit them.
    pub fn encoded(&self) -> Result<Encoded, String> {
        let small =
            |n: usize, what: &str| u16::try_from(n).map_err(|_| format!("{what} ({n}) past the tables' numbers"));
        let mut ascii_runs: Vec<(u8, u8)> = Vec::new();
        let mut intervals = Vec::new();
        let mut interval_classes = Vec::new();
        let mut ascii = [0u8; 128];
        for &(lo, hi, class) in &self.intervals {
            for c in (lo as u32)..=(hi as u32).min(127) {
                ascii[c as usize] = u8::try_from(class).map_err(|_| "an ASCII class past 255".to_owned())?;
            }
            if hi as u32 >= 128 {
                intervals.push((lo.max('\u{80}'), hi));
                interval_classes.push(class);
            }
        }
        for (c, &class) in ascii.iter().enumerate() {
            if ascii_runs.last().is_none_or(|&(_, last)| last != class) {
                ascii_runs.push((c as u8, class));
            }
        }
        // The runtime's table holds 256 entries; the bytes past ASCII are never looked up.
        if ascii_runs.last().is_some_and(|&(_, last)| last != 0) {
            ascii_runs.push((128, 0));
        }
        let mut masks = Vec::new();
        let mut groups = Vec::new();
        for g in &self.groups {
            // A group into one position: its condition with bit 15 set, and the position.
            let (cond, shift) = match g.into {
                Some(to) => (u16::from(g.cond) | 1 << 15, small(to as usize, "a position")?),
                None => (u16::from(g.cond), small((g.shift + 32768) as usize, "a shift")?),
            };
            groups.extend([
                cond,
                shift,
                small(g.from_word, "a word")?,
                small(g.sources.len(), "a span")?,
                small(masks.len(), "an offset")?,
            ]);
            masks.extend(&g.sources);
        }
        // The words of a start or an end from the first that is not zero to the last.
        let mut ends = |list: &[(Cond, Vec<u64>)]| -> Result<Vec<u16>, String> {
            let mut out = Vec::new();
            for (cond, bits) in list {
                let from = bits.iter().position(|&w| w != 0).unwrap_or(0);
                let to = bits.iter().rposition(|&w| w != 0).map_or(from, |w| w + 1);
                out.extend([u16::from(*cond), small(from, "a word")?, small(to - from, "a span")?]);
                out.push(small(masks.len(), "an offset")?);
                masks.extend(&bits[from..to]);
            }
            Ok(out)
        };
        let first = ends(&self.first)?;
        let last = ends(&self.last)?;
        small(masks.len(), "the masks")?;
        let restarts = self.first.iter().any(|(c, _)| c & AT_START == 0)
            || (0..32).any(|c| self.nullable >> c & 1 == 1 && c & u32::from(AT_START) == 0);
        Ok(Encoded {
            ascii_runs,
            intervals,
            interval_classes,
            classes: self.class_masks.clone(),
            groups,
            masks,
            first,
            last,
            nullable: self.nullable,
            restarts,
        })
    }
}
