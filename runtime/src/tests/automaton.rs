//! Tests of `automaton`: the DFA walk (early stops, the end column, byte classes, tables read from text) and the NFA
//! search (sets, splits, loops without reading, assertions, anchoring, state sets of every size), and the
//! bit-parallel walk of position automata (shifts forward and back across words, groups into one position, conditions,
//! the empty match, bitsets of every size), on small tables written by hand. The generator's tests check the tables it makes against the `regex` crate, through this module.

use crate::automaton::*;

/// `[0-9]`, searched anywhere: digits are class 1. Rows: dead, matched, the start (a digit matches).
pub(super) const DIGIT: Automaton = Automaton::Dfa(Dfa {
    classes: &byte_classes(&[0x00, 0, 0x30, 1, 0x3A, 0]),
    stride: 3,
    start: 2,
    next: &rows::<9>("0 0 0, 1 1 1, 2 1 0", 3),
});

/// `\A[a-z]+\z`: lower-case letters are class 1. Rows: dead, matched, the start (a letter is needed), after letters
/// (more, or the end matches).
pub(super) const LOWER: Automaton =
    Automaton::Dfa(Dfa { classes: &LETTERS, stride: 3, start: 2, next: &rows::<12>("0*3, 1*3, 0 3 0, 0 3 1", 3) });

/// `\A[a-z]*\z`.
pub(super) const LOWER_OR_EMPTY: Automaton =
    Automaton::Dfa(Dfa { classes: &LETTERS, stride: 3, start: 2, next: &rows::<9>("0*3, 1*3, 0 2 1", 3) });

const LETTERS: [u8; 256] = byte_classes(&[0x00, 0, 0x61, 1, 0x7B, 0]);

/// `\Aadmin`: `a`, `d`, `m`, `i`, `n` are classes 1 to 5; after the `n`, the rest does not matter.
pub(super) const ADMIN_PREFIX: Automaton = Automaton::Dfa(Dfa {
    classes: &byte_classes(&[0x00, 0, 0x61, 1, 0x62, 0, 0x64, 2, 0x65, 0, 0x69, 4, 0x6A, 0, 0x6D, 3, 0x6E, 5, 0x6F, 0]),
    stride: 7,
    start: 2,
    next: &rows::<49>("0*7, 1*7, 0 3 0*5, 0 0 4 0*4, 0*3 5 0*3, 0*4 6 0 0, 0*5 1 0", 7),
});

/// A prefix of distinct bytes, searched at the start only (`\Aprefix`), as a DFA of `prefix.len() + 2` states: each
/// byte of the prefix is its own class.
fn prefix_dfa(prefix: &[u8]) -> Dfa {
    let mut classes = [0u8; 256];
    for (i, &b) in prefix.iter().enumerate() {
        classes[usize::from(b)] = i as u8 + 1;
    }
    let stride = prefix.len() + 2;
    let mut next = vec![0u16; stride];
    next.extend(std::iter::repeat_n(1u16, stride));
    for i in 0..prefix.len() {
        let mut row = vec![0u16; stride];
        row[i + 1] = if i + 1 == prefix.len() { 1 } else { i as u16 + 3 };
        next.extend(row);
    }
    let next: Vec<u16> = next.into_iter().map(|n| n * stride as u16).collect();
    Dfa { classes: Box::leak(Box::new(classes)), stride: stride as u16, start: 2, next: next.leak() }
}

#[test]
fn tables_are_read_from_text() {
    assert_eq!(cells::<7>("1 2*3, 0,\n 40*2"), [1, 2, 2, 2, 0, 40, 40]);
    assert_eq!(cells::<0>(" , "), [0u16; 0]);
    assert_eq!(rows::<4>("0 1 2 3", 5), [0, 5, 10, 15]);
    assert_eq!(ranges::<6>("41-5a e9 1f600-10ffff"), ['A', 'Z', 'é', 'é', '😀', '\u{10FFFF}']);
}

#[test]
fn byte_classes_expand_runs() {
    let classes = byte_classes(&[0x00, 0, 0x30, 1, 0x3A, 2, 0x80, 3]);
    assert_eq!((classes[0], classes[0x2F], classes[0x30], classes[0x39]), (0, 0, 1, 1));
    assert_eq!((classes[0x3A], classes[0x7F], classes[0x80], classes[0xFF]), (2, 2, 3, 3));
    assert_eq!(byte_classes(&[]), [0; 256]);
}

#[test]
fn a_search_stops_at_the_first_match() {
    assert!(DIGIT.is_match("ab1cd"));
    assert!(DIGIT.is_match("9"));
    assert!(DIGIT.is_match("é1"));
    assert!(!DIGIT.is_match("abcd"));
    assert!(!DIGIT.is_match(""));
}

#[test]
fn an_anchored_dfa_needs_the_end_column() {
    assert!(LOWER.is_match("abc"));
    assert!(!LOWER.is_match("abC"));
    assert!(!LOWER.is_match(""));
    assert!(!LOWER.is_match("abc\n"));
    assert!(!LOWER.is_match("é"));
    assert!(LOWER_OR_EMPTY.is_match(""));
    assert!(LOWER_OR_EMPTY.is_match("xyz"));
    assert!(!LOWER_OR_EMPTY.is_match("x y"));
}

#[test]
fn the_dead_and_matched_states_end_the_walk() {
    assert!(ADMIN_PREFIX.is_match("admin"));
    assert!(ADMIN_PREFIX.is_match("administrator\u{0}\u{10FFFF}"));
    assert!(!ADMIN_PREFIX.is_match("admi"));
    assert!(!ADMIN_PREFIX.is_match("xadmin"));
    for start in [0, 1] {
        let always = Dfa { classes: &LETTERS, stride: 3, start, next: &[0, 0, 0, 3, 3, 3] };
        for text in ["", "a", "any text at all"] {
            assert_eq!(always.is_match(text), start == 1, "{start} {text:?}");
        }
    }
}

#[test]
fn rows_past_256_states() {
    let dfa = prefix_dfa(b"arn:");
    assert!(dfa.is_match("arn:aws:sagemaker"));
    assert!(dfa.is_match("arn:"));
    assert!(!dfa.is_match("arn"));
    assert!(!dfa.is_match(" arn:"));
    // `\Aa{300}`: 302 states.
    let mut next = vec![0u16, 0, 0, 3, 3, 3];
    for k in 2..302u16 {
        next.extend([0, if k == 301 { 3 } else { (k + 1) * 3 }, 0]);
    }
    let classes = const { &byte_classes(&[0x00, 0, 0x61, 1, 0x62, 0]) };
    let dfa = Dfa { classes, stride: 3, start: 2, next: next.leak() };
    assert!(dfa.is_match(&"a".repeat(300)));
    assert!(dfa.is_match(&"a".repeat(301)));
    assert!(!dfa.is_match(&"a".repeat(299)));
}

/// A set from ASCII characters and ranges of others.
fn set(ascii: &str, ranges: &'static [char]) -> Set {
    Set { ascii: ascii.chars().fold(0u128, |m, c| m | 1 << c as u32), ranges }
}

#[test]
fn a_set_holds_its_ascii_characters_and_ranges() {
    let s = set("az_", &['é', 'é', 'Σ', 'Ω', '\u{1F600}', '\u{10FFFF}']);
    for c in ['a', 'z', '_', 'é', 'Σ', 'Ψ', 'Ω', '😀', '\u{10FFFF}'] {
        assert!(s.contains(c), "{c:?}");
    }
    for c in ['b', '\0', '\u{7F}', '\u{80}', 'è', 'ê', 'Ρ', 'ω', '\u{1F5FF}'] {
        assert!(!s.contains(c), "{c:?}");
    }
    assert!(!set("", &[]).contains('a'));
}

/// `\A[aé]+\z`: anchored, a loop back through a split.
static A_OR_E_ACUTE: Nfa = Nfa {
    start: 0,
    anchored: true,
    #[rustfmt::skip]
    states: &[
        ASSERT, START, 1,
        CHAR, 0, 2,
        SPLIT, 1, 3,
        ASSERT, END, 4,
        MATCH, 0, 0,
    ],
    sets: &[Set { ascii: 1 << b'a', ranges: &['é', 'é'] }],
};

#[test]
fn an_anchored_nfa() {
    for yes in ["a", "é", "aéa", "éééa"] {
        assert!(A_OR_E_ACUTE.is_match(yes), "{yes:?}");
    }
    for no in ["", "b", "ab", "ba", "a\n", "e"] {
        assert!(!A_OR_E_ACUTE.is_match(no), "{no:?}");
    }
}

/// `\bcat\b`, searched anywhere.
static CAT: Nfa = Nfa {
    start: 0,
    anchored: false,
    #[rustfmt::skip]
    states: &[
        ASSERT, WORD_BOUNDARY, 1,
        CHAR, 0, 2,
        CHAR, 1, 3,
        CHAR, 2, 4,
        ASSERT, WORD_BOUNDARY, 5,
        MATCH, 0, 0,
    ],
    sets: &[
        Set { ascii: 1 << b'c', ranges: &[] },
        Set { ascii: 1 << b'a', ranges: &[] },
        Set { ascii: 1 << b't', ranges: &[] },
    ],
};

#[test]
fn word_boundaries_are_ascii() {
    for yes in ["cat", "a cat sat", "cat.", "écaté", "(cat)"] {
        assert!(CAT.is_match(yes), "{yes:?}");
    }
    for no in ["concat", "cats", "_cat", "ca t", ""] {
        assert!(!CAT.is_match(no), "{no:?}");
    }
}

/// `\Bx\B|\Ay\z`: not at a word boundary, and the start and the end.
static NOT_BOUNDARY: Nfa = Nfa {
    start: 0,
    anchored: false,
    #[rustfmt::skip]
    states: &[
        SPLIT, 1, 4,
        ASSERT, NOT_WORD_BOUNDARY, 2,
        CHAR, 0, 3,
        ASSERT, NOT_WORD_BOUNDARY, 7,
        ASSERT, START, 5,
        CHAR, 1, 6,
        ASSERT, END, 7,
        MATCH, 0, 0,
    ],
    sets: &[Set { ascii: 1 << b'x', ranges: &[] }, Set { ascii: 1 << b'y', ranges: &[] }],
};

#[test]
fn not_a_word_boundary_and_the_anchors() {
    for yes in ["axb", "x_x_x", "y"] {
        assert!(NOT_BOUNDARY.is_match(yes), "{yes:?}");
    }
    for no in ["x", "ax", " x ", "yy", " y", "y "] {
        assert!(!NOT_BOUNDARY.is_match(no), "{no:?}");
    }
}

/// `(?:a?)*b`, searched anywhere: the loop's body can read nothing, so the states loop without reading (a split back
/// to a lower-numbered split).
static NULLABLE_LOOP: Nfa = Nfa {
    start: 0,
    anchored: false,
    #[rustfmt::skip]
    states: &[
        SPLIT, 1, 3,
        SPLIT, 2, 0,
        CHAR, 0, 0,
        CHAR, 1, 4,
        MATCH, 0, 0,
    ],
    sets: &[Set { ascii: 1 << b'a', ranges: &[] }, Set { ascii: 1 << b'b', ranges: &[] }],
};

#[test]
fn a_loop_that_reads_nothing_ends() {
    for yes in ["b", "aab", "xb", "ab"] {
        assert!(NULLABLE_LOOP.is_match(yes), "{yes:?}");
    }
    for no in ["", "a", "aaa", "c"] {
        assert!(!NULLABLE_LOOP.is_match(no), "{no:?}");
    }
}

/// `\Aa{n}\z` as a chain of `n` states reading `a` (plus the anchors and the match): state sets of every size.
fn exactly(n: usize) -> Nfa {
    let mut states = vec![ASSERT, START, 1];
    for i in 0..n {
        states.extend([CHAR, 0, i as u16 + 2]);
    }
    let end = n as u16 + 2;
    states.extend([ASSERT, END, end]);
    states.extend([MATCH, 0, 0]);
    Nfa { start: 0, anchored: true, states: Vec::leak(states), sets: Box::leak(Box::new([set("a", &[])])) }
}

#[test]
fn state_sets_of_every_size() {
    for n in [1, 61, 62, 63, 200, 1000, 4000, NFA_MAX_STATES - 3] {
        let nfa = exactly(n);
        assert!(nfa.states.len() / 3 <= NFA_MAX_STATES);
        assert!(nfa.is_match(&"a".repeat(n)), "{n}");
        assert!(!nfa.is_match(&"a".repeat(n - 1)), "{n}");
        assert!(!nfa.is_match(&"a".repeat(n + 1)), "{n}");
    }
}

#[test]
fn an_automaton_dispatches_to_its_kind() {
    assert!(DIGIT.is_match("x1"));
    let nfa = Automaton::Nfa(exactly(2));
    assert!(nfa.is_match("aa"));
    assert!(!nfa.is_match("a"));
}

#[test]
fn words_are_read_from_text() {
    assert_eq!(words::<5>("ff 0*3,\n1"), [0xff, 0, 0, 0, 1]);
    assert_eq!(words::<2>("ffffffffffffffff 8000000000000000"), [u64::MAX, 1 << 63]);
    assert_eq!(words::<0>(""), [0u64; 0]);
}

/// A position automaton written by hand, encoded as the generator encodes one.
#[derive(Default)]
struct Positions {
    /// The characters each position reads.
    reads: Vec<Vec<char>>,
    /// Edges `(condition, distance, sources)`: each source goes `distance` positions on.
    shifts: Vec<(u16, i32, Vec<usize>)>,
    /// Edges `(condition, target, sources)`: each source goes to `target`.
    into: Vec<(u16, usize, Vec<usize>)>,
    /// Where matches start and end, under a condition.
    first: Vec<(u16, Vec<usize>)>,
    last: Vec<(u16, Vec<usize>)>,
    nullable: u32,
    restarts: bool,
}

impl Positions {
    fn build(&self) -> Bits {
        let n = self.reads.len();
        let words = n.div_ceil(64).max(1);
        let bitset = |list: &[usize]| {
            let mut bits = vec![0u64; words];
            list.iter().for_each(|&p| bits[p / 64] |= 1 << (p % 64));
            bits
        };
        // A class per set of positions that read a character alike.
        let mut chars: Vec<char> = self.reads.iter().flatten().copied().collect();
        chars.sort_unstable();
        chars.dedup();
        let mut classes: Vec<Vec<u64>> = Vec::new();
        let mut ascii = [0u8; 256];
        let (mut intervals, mut interval_classes) = (Vec::new(), Vec::new());
        for c in chars {
            let reading: Vec<usize> = (0..n).filter(|&p| self.reads[p].contains(&c)).collect();
            let mask = bitset(&reading);
            let class = match classes.iter().position(|m| *m == mask) {
                Some(i) => i + 1,
                None => {
                    classes.push(mask);
                    classes.len()
                }
            };
            if c.is_ascii() {
                ascii[c as usize] = class as u8;
            } else {
                intervals.extend([c, c]);
                interval_classes.push(class as u16);
            }
        }
        let mut masks: Vec<u64> = Vec::new();
        let mut groups: Vec<u16> = Vec::new();
        let mut group = |cond: u16, second: u16, sources: &[usize]| {
            if sources.is_empty() {
                return;
            }
            let from = sources.iter().min().unwrap() / 64;
            let to = sources.iter().max().unwrap() / 64 + 1;
            groups.extend([cond, second, from as u16, (to - from) as u16, masks.len() as u16]);
            masks.extend(&bitset(sources)[from..to]);
        };
        for (cond, shift, sources) in &self.shifts {
            group(*cond, (shift + 32_768) as u16, sources);
        }
        for (cond, target, sources) in &self.into {
            group(cond | 1 << 15, *target as u16, sources);
        }
        let mut ends = |list: &[(u16, Vec<usize>)]| {
            let mut out = Vec::new();
            for (cond, positions) in list {
                out.extend([*cond, 0, words as u16, masks.len() as u16]);
                masks.extend(bitset(positions));
            }
            out
        };
        let (first, last) = (ends(&self.first), ends(&self.last));
        Bits {
            words: words as u16,
            ascii: Box::leak(Box::new(ascii)),
            intervals: intervals.leak(),
            interval_classes: interval_classes.leak(),
            classes: classes.concat().leak(),
            groups: groups.leak(),
            masks: masks.leak(),
            first: first.leak(),
            last: last.leak(),
            nullable: self.nullable,
            restarts: self.restarts,
        }
    }
}

fn check(bits: &Bits, yes: &[&str], no: &[&str]) {
    for text in yes {
        assert!(bits.is_match(text), "{text:?}");
    }
    for text in no {
        assert!(!bits.is_match(text), "{text:?}");
    }
}

#[test]
fn positions_move_forward_and_back() {
    // `\A(?:ab)+\z`: `a` (0) goes on to `b` (1), which goes back to `a`.
    let bits = Positions {
        reads: vec![vec!['a'], vec!['b']],
        shifts: vec![(0, 1, vec![0]), (0, -1, vec![1])],
        first: vec![(AT_START, vec![0])],
        last: vec![(AT_END, vec![1])],
        ..Positions::default()
    }
    .build();
    check(&bits, &["ab", "abab", "ababab"], &["", "a", "aba", "ba", "abb", "xab", "ab\n"]);
}

/// `\Aa{n}\z` as `n` positions `step` apart (the ones between read nothing), in order or from the last back to the
/// first.
fn chain(n: usize, step: usize, backwards: bool) -> Bits {
    let at = |i: usize| if backwards { (n - 1 - i) * step } else { i * step };
    let mut reads = vec![Vec::new(); (n - 1) * step + 1];
    (0..n).for_each(|i| reads[at(i)] = vec!['a']);
    let distance = if backwards { -(step as i32) } else { step as i32 };
    Positions {
        reads,
        shifts: vec![(0, distance, (0..n - 1).map(at).collect())],
        first: vec![(AT_START, vec![at(0)])],
        last: vec![(AT_END, vec![at(n - 1)])],
        ..Positions::default()
    }
    .build()
}

#[test]
fn bitsets_of_every_size_and_shifts_across_words() {
    // Every size of bitset the walk has (1 to 256 words), and positions at both ends of words.
    for n in [1, 2, 63, 64, 65, 130, 300, 1000, 2000, 4000, 8000, BITS_MAX_WORDS * 64] {
        for backwards in [false, true] {
            let bits = chain(n, 1, backwards);
            assert!(usize::from(bits.words) <= BITS_MAX_WORDS);
            assert!(bits.is_match(&"a".repeat(n)), "{n} {backwards}");
            assert!(!bits.is_match(&"a".repeat(n - 1)), "{n} {backwards}");
            assert!(!bits.is_match(&"a".repeat(n + 1)), "{n} {backwards}");
        }
    }
    // Distances of a word and more, forward and back.
    for step in [63, 64, 65, 70, 128, 200] {
        for backwards in [false, true] {
            let bits = chain(9, step, backwards);
            check(&bits, &["aaaaaaaaa"], &["aaaaaaaa", "aaaaaaaaaa", "aaaabaaaa"]);
        }
    }
}

#[test]
fn a_group_into_one_position() {
    // `\A(?:a|bb|ccc|dddd)x`: the last character of each alternative (0, 2, 5, 9) goes to `x` (10).
    let reads: Vec<Vec<char>> = "abbcccddddx".chars().map(|c| vec![c]).collect();
    let bits = Positions {
        reads,
        shifts: vec![(0, 1, vec![1, 3, 4, 6, 7, 8])],
        into: vec![(0, 10, vec![0, 2, 5, 9])],
        first: vec![(AT_START, vec![0, 1, 3, 6])],
        last: vec![(0, vec![10])],
        ..Positions::default()
    }
    .build();
    check(&bits, &["ax", "bbx", "cccx", "ddddx", "ddddxyz"], &["x", "bx", "ccx", "ccccx", "dddx", "abx", " ax"]);
}

#[test]
fn conditions_at_starts_ends_and_edges() {
    // `\bcat\b`, searched anywhere.
    let cat = Positions {
        reads: vec![vec!['c'], vec!['a'], vec!['t']],
        shifts: vec![(0, 1, vec![0, 1])],
        first: vec![(WORD, vec![0])],
        last: vec![(WORD, vec![2])],
        restarts: true,
        ..Positions::default()
    }
    .build();
    check(&cat, &["cat", "a cat sat", "cat.", "écaté", "(cat)", "concat cat"], &["concat", "cats", "_cat", "ca t", ""]);
    // `a\Bb|c\b-`: conditions on edges.
    let edges = Positions {
        reads: vec![vec!['a'], vec!['b'], vec!['c'], vec!['-']],
        shifts: vec![(NOT_WORD, 1, vec![0]), (WORD, 1, vec![2])],
        first: vec![(0, vec![0, 2])],
        last: vec![(0, vec![1, 3])],
        restarts: true,
        ..Positions::default()
    }
    .build();
    check(&edges, &["ab", "xc-"], &["a-", "cb", "a b"]);
    // `a(?mR:$)`: before the end, `\r`, or `\n` not after `\r`.
    let line_end = Positions {
        reads: vec![vec!['a', '\r']],
        last: vec![(BEFORE_LINE_END, vec![0])],
        first: vec![(0, vec![0])],
        restarts: true,
        ..Positions::default()
    }
    .build();
    check(&line_end, &["a", "ba\r", "a\nb", "\r\r", "a\r\n"], &["ab", "", "\r\n", "b\n"]);
}

#[test]
fn the_empty_string_where_its_conditions_hold() {
    // `\A\z`: the empty text only.
    let empty = Positions { reads: Vec::new(), nullable: 1 << (AT_START | AT_END), ..Positions::default() }.build();
    check(&empty, &[""], &["a", " "]);
    // `\b` anywhere: the text has an ASCII word character.
    let boundary = Positions { reads: Vec::new(), nullable: 1 << WORD, restarts: true, ..Positions::default() }.build();
    check(&boundary, &["a", " _", "é1"], &["", " ", "é-é"]);
    // `\B` holds in the empty text.
    let inside =
        Positions { reads: Vec::new(), nullable: 1 << NOT_WORD, restarts: true, ..Positions::default() }.build();
    check(&inside, &["", "ab", "a  "], &["a", "a-b"]);
}

#[test]
fn characters_past_ascii_by_interval() {
    // `\A[éΣ😀\u{10FFFF}]+\z` with each character its own position (all alike: one class, past ASCII only).
    let chars = ['é', 'Σ', '😀', '\u{10FFFF}'];
    let bits = Positions {
        reads: vec![chars.to_vec()],
        shifts: vec![(0, 0, vec![0])],
        first: vec![(AT_START, vec![0])],
        last: vec![(AT_END, vec![0])],
        ..Positions::default()
    }
    .build();
    check(&bits, &["é", "Σ😀é\u{10FFFF}"], &["", "e", "éa", "Ω", "😁", "\u{10FFFE}", "\u{80}"]);
}
