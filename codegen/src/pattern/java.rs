//! Java's `java.util.regex` dialect, for the patterns the ECMAScript `u` flag rejects: its character properties
//! (`\p{…}`), and its meaning written out as an ECMAScript pattern for the backtracking engine.
//!
//! The properties follow the JDK's `Pattern` documentation and were checked code point by code point against a
//! JDK 17 (`tests/tests/patterns_differential.rs`): the POSIX classes are ASCII (`\p{Punct}` is ASCII punctuation),
//! the `java…` classes are the `java.lang.Character` predicates, `Is…` names a Unicode binary property (Java's
//! Unicode definitions of `Alnum`, `Punct`, `Graph`, … included), a general category or a script, and `script=`,
//! `general_category=` (and `sc=`, `gc=`) name those explicitly. Unicode blocks (`\p{InGreek}`, `block=`) have no
//! table here and are refused. Under `(?i)` (Java's ASCII case folding, without `UNICODE_CASE`) the case classes
//! (`Lu`, `Ll`, `Lt`, `Lower`, `Upper`, `javaLowerCase`, `IsUppercase`, …) match letters of either case, as Java's do.
//!
//! The character data is the `regex-syntax` crate's (a newer Unicode than a JDK 17's 13.0): a character assigned
//! since may be in a class here and not in Java's.

use super::{Class, Item, Node};

/// A property of `regex-syntax`, as a class item.
fn prop(name: &str) -> Item {
    Item::Prop(name.to_owned(), false)
}

fn range(lo: char, hi: char) -> Item {
    Item::Range(lo, hi)
}

/// A union of items.
fn union(items: Vec<Item>) -> Class {
    Class::of(items)
}

/// `a` without the characters of `b`.
fn minus(a: Vec<Item>, b: Vec<Item>) -> Class {
    Class { negated: false, items: a, minus: vec![Class::of(b)] }
}

/// The POSIX classes: US-ASCII only (Java's default, without `UNICODE_CHARACTER_CLASS`).
fn posix(name: &str, case_insensitive: bool) -> Option<Class> {
    let r = range;
    let items = match name {
        "Lower" | "Upper" if case_insensitive => vec![r('a', 'z'), r('A', 'Z')],
        "Lower" => vec![r('a', 'z')],
        "Upper" => vec![r('A', 'Z')],
        "ASCII" => vec![r('\0', '\x7F')],
        "Alpha" => vec![r('a', 'z'), r('A', 'Z')],
        "Digit" => vec![r('0', '9')],
        "Alnum" => vec![r('a', 'z'), r('A', 'Z'), r('0', '9')],
        "Punct" => vec![r('!', '/'), r(':', '@'), r('[', '`'), r('{', '~')],
        "Graph" => vec![r('!', '~')],
        "Print" => vec![r(' ', '~')],
        "Blank" => vec![r(' ', ' '), r('\t', '\t')],
        "Cntrl" => vec![r('\0', '\x1F'), r('\x7F', '\x7F')],
        "XDigit" => vec![r('0', '9'), r('a', 'f'), r('A', 'F')],
        "Space" => vec![r('\t', '\r'), r(' ', ' ')],
        _ => return None,
    };
    Some(union(items))
}

/// Letters of either case: what Java's case classes match under `(?i)`.
fn cased() -> Class {
    union(vec![prop("Lowercase"), prop("Uppercase"), prop("Lt")])
}

/// `Character.isIdentifierIgnorable`.
fn identifier_ignorable() -> Vec<Item> {
    vec![range('\0', '\x08'), range('\x0E', '\x1B'), range('\x7F', '\u{9F}'), prop("Cf")]
}

/// The `java.lang.Character` classes (`\p{javaLowerCase}`: `Character.isLowerCase`, …).
fn java_lang_character(name: &str, case_insensitive: bool) -> Option<Class> {
    let class = match name {
        "javaLowerCase" | "javaUpperCase" | "javaTitleCase" if case_insensitive => cased(),
        "javaLowerCase" => union(vec![prop("Lowercase")]),
        "javaUpperCase" => union(vec![prop("Uppercase")]),
        "javaTitleCase" => union(vec![prop("Lt")]),
        "javaDigit" => union(vec![prop("Nd")]),
        "javaDefined" => union(vec![Item::Prop("Cn".into(), true)]),
        "javaLetter" => union(vec![prop("L")]),
        "javaLetterOrDigit" => union(vec![prop("L"), prop("Nd")]),
        "javaAlphabetic" => union(vec![prop("Alphabetic")]),
        "javaIdeographic" => union(vec![prop("Ideographic")]),
        "javaMirrored" => union(vec![prop("Bidi_Mirrored")]),
        "javaSpaceChar" => union(vec![prop("Z")]),
        "javaISOControl" => union(vec![range('\0', '\x1F'), range('\x7F', '\u{9F}')]),
        // Space separators but the no-break spaces, and the ASCII controls of white space and of separators.
        "javaWhitespace" => union(vec![
            Item::Class(minus(
                vec![prop("Z")],
                vec![range('\u{A0}', '\u{A0}'), range('\u{2007}', '\u{2007}'), range('\u{202F}', '\u{202F}')],
            )),
            range('\t', '\r'),
            range('\x1C', '\x1F'),
        ]),
        "javaIdentifierIgnorable" => union(identifier_ignorable()),
        "javaJavaIdentifierStart" => union(vec![prop("L"), prop("Nl"), prop("Sc"), prop("Pc")]),
        "javaJavaIdentifierPart" => {
            let mut items = vec![prop("L"), prop("Sc"), prop("Pc"), prop("Nd"), prop("Nl"), prop("Mc"), prop("Mn")];
            items.extend(identifier_ignorable());
            union(items)
        }
        // Letters, letter numbers and the characters of Unicode's Other_ID_Start.
        "javaUnicodeIdentifierStart" => union(vec![prop("L"), prop("Nl"), other_id_start()]),
        "javaUnicodeIdentifierPart" => {
            let mut items = vec![prop("L"), prop("Pc"), prop("Nd"), prop("Nl"), prop("Mc"), prop("Mn")];
            items.extend(identifier_ignorable());
            items.push(other_id_start());
            // Other_ID_Continue.
            items.push(Item::Class(union(vec![
                range('\u{B7}', '\u{B7}'),
                range('\u{387}', '\u{387}'),
                range('\u{1369}', '\u{1371}'),
                range('\u{19DA}', '\u{19DA}'),
            ])));
            union(items)
        }
        _ => return None,
    };
    Some(class)
}

/// Unicode's Other_ID_Start, which `regex-syntax` does not name.
fn other_id_start() -> Item {
    Item::Class(union(vec![
        range('\u{1885}', '\u{1886}'),
        range('\u{2118}', '\u{2118}'),
        range('\u{212E}', '\u{212E}'),
        range('\u{309B}', '\u{309C}'),
    ]))
}

/// The general categories by their abbreviations, and Java's own `LD` (letter or digit), `L1` (Latin-1) and `all`.
fn category(name: &str, case_insensitive: bool) -> Option<Class> {
    const CATEGORIES: &[&str] = &[
        "L", "Lu", "Ll", "Lt", "Lm", "Lo", "LC", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No", "Z", "Zs", "Zl", "Zp",
        "C", "Cc", "Cf", "Co", "Cs", "Cn", "P", "Pd", "Ps", "Pe", "Pc", "Po", "Pi", "Pf", "S", "Sm", "Sc", "Sk", "So",
    ];
    Some(match name {
        "Lu" | "Ll" | "Lt" if case_insensitive => union(vec![prop("LC")]),
        "LD" => union(vec![prop("L"), prop("Nd")]),
        "L1" => union(vec![range('\0', '\u{FF}')]),
        // Surrogates, which no Rust string holds (and `regex-syntax` has no table of).
        "Cs" => union(Vec::new()),
        "all" => union(vec![range('\0', char::MAX)]),
        n if CATEGORIES.contains(&n) => union(vec![prop(n)]),
        _ => return None,
    })
}

/// What Java's `forProperty` knows: categories, POSIX classes and the `java.lang.Character` classes.
fn for_property(name: &str, case_insensitive: bool) -> Option<Class> {
    category(name, case_insensitive)
        .or_else(|| posix(name, case_insensitive))
        .or_else(|| java_lang_character(name, case_insensitive))
}

/// The Unicode binary properties after `Is` (any case), with Java's Unicode definitions of the POSIX names.
fn binary_property(name: &str, case_insensitive: bool) -> Option<Class> {
    let upper = name.to_ascii_uppercase();
    let class = match upper.as_str() {
        "LOWERCASE" | "UPPERCASE" | "TITLECASE" | "LOWER" | "UPPER" if case_insensitive => cased(),
        "ALPHABETIC" | "ALPHA" => union(vec![prop("Alphabetic")]),
        "LETTER" => union(vec![prop("L")]),
        "IDEOGRAPHIC" => union(vec![prop("Ideographic")]),
        "LOWERCASE" | "LOWER" => union(vec![prop("Lowercase")]),
        "UPPERCASE" | "UPPER" => union(vec![prop("Uppercase")]),
        "TITLECASE" => union(vec![prop("Lt")]),
        "WHITE_SPACE" | "WHITESPACE" | "SPACE" => union(vec![prop("White_Space")]),
        "CONTROL" | "CNTRL" => union(vec![prop("Cc")]),
        "PUNCTUATION" | "PUNCT" => union(vec![prop("P")]),
        "HEX_DIGIT" | "HEXDIGIT" | "XDIGIT" => union(vec![prop("Nd"), prop("Hex_Digit")]),
        "ASSIGNED" => union(vec![Item::Prop("Cn".into(), true)]),
        "NONCHARACTER_CODE_POINT" | "NONCHARACTERCODEPOINT" => union(vec![prop("Noncharacter_Code_Point")]),
        "DIGIT" => union(vec![prop("Nd")]),
        "ALNUM" => union(vec![prop("Alphabetic"), prop("Nd")]),
        "BLANK" => union(vec![prop("Zs"), range('\t', '\t')]),
        "GRAPH" => graph(),
        "PRINT" => {
            let blank = Item::Class(union(vec![prop("Zs"), range('\t', '\t')]));
            minus(vec![Item::Class(graph()), blank], vec![prop("Cc")])
        }
        "WORD" => union(vec![prop("Alphabetic"), prop("M"), prop("Nd"), prop("Pc"), prop("Join_Control")]),
        "JOIN_CONTROL" | "JOINCONTROL" => union(vec![prop("Join_Control")]),
        _ => return None,
    };
    Some(class)
}

/// Java's Unicode `Graph`: neither white space, control, surrogate (no Rust string holds one) nor unassigned.
fn graph() -> Class {
    union(vec![prop("White_Space"), prop("Cc"), prop("Cn")]).negate()
}

/// A script by name (any case, full or short), checked against `regex-syntax`'s tables.
fn script(name: &str) -> Option<Class> {
    let item = format!("Script={name}");
    let valid = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && regex_syntax::Parser::new().parse(&format!(r"\p{{{item}}}")).is_ok();
    valid.then(|| union(vec![Item::Prop(item, false)]))
}

/// The class of Java's `\p{name}`, or why there is none.
pub(super) fn property(name: &str, case_insensitive: bool) -> Result<Class, String> {
    let blocks = || format!("`\\p{{{name}}}` names a Unicode block, which is not supported (no table of blocks)");
    if let Some((key, value)) = name.split_once('=') {
        return match key {
            "sc" | "script" => script(value).ok_or_else(|| format!("unknown script `{value}`")),
            "gc" | "general_category" => {
                for_property(value, case_insensitive).ok_or_else(|| format!("unknown general category `{value}`"))
            }
            "blk" | "block" => Err(blocks()),
            _ => Err(format!("unknown property key `{key}`")),
        };
    }
    if name.starts_with("In") {
        return Err(blocks());
    }
    if let Some(rest) = name.strip_prefix("Is") {
        return binary_property(rest, case_insensitive)
            .or_else(|| for_property(rest, case_insensitive))
            .or_else(|| script(rest))
            .ok_or_else(|| format!("unknown Java property `{name}`"));
    }
    for_property(name, case_insensitive).ok_or_else(|| format!("unknown Java property `{name}`"))
}

/// Java's `\h`: horizontal white space.
pub(super) fn horizontal_space() -> Class {
    union(vec![
        range('\t', '\t'),
        range(' ', ' '),
        range('\u{A0}', '\u{A0}'),
        range('\u{1680}', '\u{1680}'),
        range('\u{180E}', '\u{180E}'),
        range('\u{2000}', '\u{200A}'),
        range('\u{202F}', '\u{202F}'),
        range('\u{205F}', '\u{205F}'),
        range('\u{3000}', '\u{3000}'),
    ])
}

/// Java's `\v`: vertical white space.
pub(super) fn vertical_space() -> Class {
    union(vec![range('\n', '\r'), range('\u{85}', '\u{85}'), range('\u{2028}', '\u{2029}')])
}

/// Java's `\R`: a line break, `\r\n` or one vertical white space character.
pub(super) fn line_break() -> Node {
    Node::Group(Box::new(Node::Alt(vec![
        Node::Concat(vec![Node::Char('\r'), Node::Char('\n')]),
        Node::Class(vertical_space()),
    ])))
}

/// An ECMAScript pattern (flag `u`) with the meaning Java gives `ast`, for the backtracking engine. Java's `(?i)` and
/// `(?s)` are already in the classes of the tree; the rest is spelled out: each class as its code points, Java's `$`
/// (the end, or before a final line terminator but not between `\r` and `\n`), `(?m)`'s `^` and `$` (at line
/// terminators, `\r\n` as one), an atomic group or possessive quantifier `(?>X)` as `(?=(X))\k` with a capture of its
/// own (the groups after it renumbered), and a backreference to a group that does not exist as a class that matches
/// nothing.
pub(super) fn ecma_source(ast: &Node) -> Result<String, String> {
    // The new number of each capture (in order), atomic groups taking numbers of their own.
    let mut numbers = Vec::new();
    let mut next = 0;
    number(ast, &mut numbers, &mut next);
    let mut out = String::new();
    let mut e = Emitter { numbers, captures: 0, atomics: 0, out: &mut out };
    e.node(ast)?;
    Ok(out)
}

/// The numbering pass of [`ecma_source`]: in the order of the opening parentheses, a number for each capture
/// (pushed to `numbers`) and for each atomic group.
fn number(n: &Node, numbers: &mut Vec<u32>, next: &mut u32) {
    match n {
        Node::Capture(i) => {
            *next += 1;
            numbers.push(*next);
            number(i, numbers, next);
        }
        Node::Atomic(i) => {
            *next += 1;
            number(i, numbers, next);
        }
        Node::Group(i) | Node::Look(_, _, i) | Node::Repeat(i, _, _) => number(i, numbers, next),
        Node::Concat(v) | Node::Alt(v) => v.iter().for_each(|i| number(i, numbers, next)),
        _ => {}
    }
}

struct Emitter<'a> {
    numbers: Vec<u32>,
    captures: usize,
    /// Atomic groups emitted so far, counted in the same order as [`number`].
    atomics: u32,
    out: &'a mut String,
}

impl Emitter<'_> {
    /// The number the next capture or atomic group gets.
    fn next_number(&self) -> u32 {
        self.captures as u32 + self.atomics + 1
    }

    fn node(&mut self, n: &Node) -> Result<(), String> {
        match n {
            Node::Empty => {}
            Node::Char(c) => push_ecma_char(*c, false, self.out),
            Node::Class(c) => self.class(c)?,
            Node::Start => self.out.push('^'),
            Node::TextEnd => self.out.push('$'),
            Node::End => self.out.push_str(r"(?=(?:\r\n|[\r\u0085\u2028\u2029])?$|(?<!\r)\n$)"),
            Node::LineStart => {
                self.out.push_str(r"(?:(?<![\s\S])|(?<=[\n\u0085\u2028\u2029])|(?<=\r)(?!\n))(?=[\s\S])")
            }
            Node::LineEnd => self.out.push_str(r"(?:(?![\s\S])|(?=[\r\u0085\u2028\u2029])|(?<!\r)(?=\n))"),
            Node::WordBoundary(true) => self.out.push_str(r"\b"),
            Node::WordBoundary(false) => self.out.push_str(r"\B"),
            Node::Group(i) => {
                self.out.push_str("(?:");
                self.node(i)?;
                self.out.push(')');
            }
            Node::Capture(i) => {
                self.captures += 1;
                self.out.push('(');
                self.node(i)?;
                self.out.push(')');
            }
            Node::Atomic(i) => {
                let k = self.next_number();
                self.atomics += 1;
                self.out.push_str("(?=(");
                self.node(i)?;
                self.out.push_str(&format!("))\\{k}"));
                // A digit after the backreference would join its number.
                self.out.push_str("(?:)");
            }
            Node::Look(ahead, negated, i) => {
                self.out.push_str(match (ahead, negated) {
                    (true, false) => "(?=",
                    (true, true) => "(?!",
                    (false, false) => "(?<=",
                    (false, true) => "(?<!",
                });
                self.node(i)?;
                self.out.push(')');
            }
            Node::BackRef(0) => self.out.push_str("[]"),
            Node::BackRef(k) => match self.numbers.get(*k as usize - 1) {
                Some(new) => self.out.push_str(&format!("\\{new}(?:)")),
                None => self.out.push_str("[]"),
            },
            Node::Concat(v) => {
                for i in v {
                    if matches!(i, Node::Alt(_)) {
                        self.out.push_str("(?:");
                        self.node(i)?;
                        self.out.push(')');
                    } else {
                        self.node(i)?;
                    }
                }
            }
            Node::Alt(v) => {
                for (k, a) in v.iter().enumerate() {
                    if k > 0 {
                        self.out.push('|');
                    }
                    self.node(a)?;
                }
            }
            Node::Repeat(i, min, max) => {
                self.out.push_str("(?:");
                self.node(i)?;
                self.out.push(')');
                match (min, max) {
                    (m, None) => self.out.push_str(&format!("{{{m},}}")),
                    (m, Some(x)) if m == x => self.out.push_str(&format!("{{{m}}}")),
                    (m, Some(x)) => self.out.push_str(&format!("{{{m},{x}}}")),
                }
            }
        }
        Ok(())
    }

    /// A class as the code points it holds.
    fn class(&mut self, c: &Class) -> Result<(), String> {
        let mut text = String::new();
        super::emit_class(c, &mut text);
        let ranges = super::class_ranges(&text)?;
        self.out.push('[');
        for (lo, hi) in ranges {
            push_ecma_char(lo, true, self.out);
            if hi != lo {
                self.out.push('-');
                push_ecma_char(hi, true, self.out);
            }
        }
        self.out.push(']');
        Ok(())
    }
}

/// A character in ECMAScript syntax (flag `u`), inside a class or not.
fn push_ecma_char(c: char, in_class: bool, out: &mut String) {
    let special = if in_class { "\\]-^[" } else { "^$\\.*+?()[]{}|/" };
    if special.contains(c) {
        out.push('\\');
        out.push(c);
    } else if c.is_ascii_graphic() || c == ' ' {
        out.push(c);
    } else {
        out.push_str(&format!("\\u{{{:X}}}", c as u32));
    }
}
