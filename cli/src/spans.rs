//! Where each value of a JSON text is: a position index built in one pass over the text, so that a problem's JSON
//! path (`$.Steps[1].Arguments.ResourceConfig['InstanceTyp']`) can be shown at its line and column. serde_json and
//! the crate's reader keep no positions, hence this small scanner of its own.
//!
//! The scanner is iterative (an explicit stack), reads each byte a bounded number of times, and keeps one node per
//! value and a map from (parent, member name or index) to the child: building the index and resolving a path are
//! linear in the text and in the path.

use std::collections::HashMap;
use std::ops::Range;

/// One value of the text.
#[derive(Clone, Debug)]
struct Node {
    /// The value's bytes (for a string, the quotes included).
    span: Range<usize>,
    /// The member name's bytes (quotes included), when the value is an object member.
    key: Option<Range<usize>>,
}

/// A step of a path below a value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Seg {
    Member(String),
    Index(usize),
}

/// The position index of a JSON text.
#[derive(Debug, Default)]
pub struct Index {
    nodes: Vec<Node>,
    children: HashMap<(u32, Seg), u32>,
    /// The byte offset at which each line starts.
    line_starts: Vec<usize>,
}

/// Why a text is not JSON, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// The byte offset of the fault.
    pub offset: usize,
    /// What was expected or found.
    pub message: String,
}

/// Where a path points: the bytes to mark, and whether the whole path was found (else the nearest enclosing value).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    /// The bytes to mark.
    pub span: Range<usize>,
    /// The path named a value of the text (not only one of its ancestors).
    pub exact: bool,
}

impl Index {
    /// Index a text. A text that is not JSON gives the offset of the first fault.
    pub fn new(text: &str) -> Result<Index, SyntaxError> {
        let mut line_starts = vec![0];
        line_starts.extend(text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i + 1));
        let mut index = Index { nodes: Vec::new(), children: HashMap::new(), line_starts };
        Scanner { text: text.as_bytes(), pos: 0, index: &mut index }.run()?;
        Ok(index)
    }

    /// The 1-based line and column (in characters) of a byte offset of `text` (the text indexed).
    pub fn line_column(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let column = text.get(start..offset).map_or(offset - start, |s| s.chars().count()) + 1;
        (line, column)
    }

    /// The bytes of the line holding `offset` (without its line break) and its 1-based number.
    pub fn line_of(&self, text: &str, offset: usize) -> (Range<usize>, usize) {
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let mut end = self.line_starts.get(line).map_or(text.len(), |&next| next - 1);
        if end > start && text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        (start..end.max(start), line)
    }

    /// Where a JSON path (`$`, `.Name`, `['name']`, `["name"]`, `[0]`) points in the text: the value it names, or,
    /// when the text has no such value (a missing member), the nearest enclosing one. `None` for an empty text or a
    /// path that does not parse.
    pub fn locate(&self, path: &str) -> Option<Located> {
        let segs = parse_path(path)?;
        let mut node = 0u32;
        self.nodes.first()?;
        let mut exact = true;
        for seg in segs {
            match self.children.get(&(node, seg)) {
                Some(&child) => node = child,
                None => {
                    exact = false;
                    break;
                }
            }
        }
        let n = &self.nodes[node as usize];
        Some(Located { span: n.span.clone(), exact })
    }

    /// The member name's bytes of the value a path points at exactly, when it is an object member.
    pub fn key_of(&self, path: &str) -> Option<Range<usize>> {
        let segs = parse_path(path)?;
        let mut node = 0u32;
        self.nodes.first()?;
        for seg in segs {
            node = *self.children.get(&(node, seg))?;
        }
        self.nodes[node as usize].key.clone()
    }
}

/// The steps of a path, or `None` when it is not one.
fn parse_path(path: &str) -> Option<Vec<Seg>> {
    let rest = path.strip_prefix('$')?;
    let mut segs = Vec::new();
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '.' => {
                let start = i + 1;
                let mut end = rest.len();
                while let Some(&(j, c)) = chars.peek() {
                    if c == '.' || c == '[' {
                        end = j;
                        break;
                    }
                    chars.next();
                }
                segs.push(Seg::Member(rest[start..end].to_owned()));
            }
            '[' => match chars.next()? {
                (_, q @ ('\'' | '"')) => {
                    let mut name = String::new();
                    loop {
                        match chars.next()? {
                            (_, '\\') => {
                                let (_, escaped) = chars.next()?;
                                name.push(escaped);
                            }
                            (_, c) if c == q => break,
                            (_, c) => name.push(c),
                        }
                    }
                    if chars.next()?.1 != ']' {
                        return None;
                    }
                    segs.push(Seg::Member(name));
                }
                (_, d) if d.is_ascii_digit() => {
                    let mut n = d.to_digit(10)? as usize;
                    loop {
                        match chars.next()? {
                            (_, ']') => break,
                            (_, d) if d.is_ascii_digit() => {
                                n = n.checked_mul(10)?.checked_add(d.to_digit(10)? as usize)?;
                            }
                            _ => return None,
                        }
                    }
                    segs.push(Seg::Index(n));
                }
                _ => return None,
            },
            _ => return None,
        }
    }
    Some(segs)
}

/// The value to read next: its link to its parent, and its member name's bytes.
type Pending = (Option<(u32, Seg)>, Option<Range<usize>>);

/// A container being read.
enum Open {
    Object { node: u32 },
    Array { node: u32, next: usize },
}

struct Scanner<'a> {
    text: &'a [u8],
    pos: usize,
    index: &'a mut Index,
}

impl Scanner<'_> {
    fn fail<T>(&self, message: impl Into<String>) -> Result<T, SyntaxError> {
        Err(SyntaxError { offset: self.pos.min(self.text.len()), message: message.into() })
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.text.get(self.pos) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    /// A string starting at `pos` (its opening quote): its decoded text and bytes.
    fn string(&mut self) -> Result<(String, Range<usize>), SyntaxError> {
        let start = self.pos;
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            match self.peek() {
                None => return self.fail("a string is not closed"),
                Some(b'"') => {
                    self.pos += 1;
                    break;
                }
                Some(b'\\') => {
                    self.pos += 1;
                    match self.peek() {
                        Some(b'"') => out.push(b'"'),
                        Some(b'\\') => out.push(b'\\'),
                        Some(b'/') => out.push(b'/'),
                        Some(b'b') => out.push(8),
                        Some(b'f') => out.push(12),
                        Some(b'n') => out.push(b'\n'),
                        Some(b'r') => out.push(b'\r'),
                        Some(b't') => out.push(b'\t'),
                        Some(b'u') => {
                            let unit = self.hex4()?;
                            let c = if (0xD800..0xDC00).contains(&unit) {
                                if self.text.get(self.pos + 1..self.pos + 3) != Some(b"\\u") {
                                    return self.fail("a lone surrogate in a \\u escape");
                                }
                                self.pos += 2;
                                let low = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&low) {
                                    return self.fail("a lone surrogate in a \\u escape");
                                }
                                char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                            } else {
                                char::from_u32(unit)
                            };
                            let Some(c) = c else { return self.fail("a lone surrogate in a \\u escape") };
                            out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                        }
                        _ => return self.fail("an invalid escape in a string"),
                    }
                    self.pos += 1;
                }
                Some(b) if b < 0x20 => return self.fail("a control character in a string"),
                Some(b) => {
                    out.push(b);
                    self.pos += 1;
                }
            }
        }
        // The text is a `str`, and only whole escapes were decoded.
        let s = String::from_utf8(out).unwrap_or_default();
        Ok((s, start..self.pos))
    }

    /// The four hex digits after `\u` (at `pos`); leaves `pos` on the last.
    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let digits = self.text.get(self.pos + 1..self.pos + 5);
        let Some(n) = digits.and_then(|d| std::str::from_utf8(d).ok()).and_then(|d| u32::from_str_radix(d, 16).ok())
        else {
            return self.fail("a \\u escape needs four hex digits");
        };
        self.pos += 4;
        Ok(n)
    }

    fn literal(&mut self) -> Result<(), SyntaxError> {
        let rest = &self.text[self.pos..];
        for word in [&b"true"[..], b"false", b"null"] {
            if rest.starts_with(word) {
                self.pos += word.len();
                return Ok(());
            }
        }
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let digits = |s: &mut Self| {
            let from = s.pos;
            while s.peek().is_some_and(|b| b.is_ascii_digit()) {
                s.pos += 1;
            }
            s.pos - from
        };
        let int_start = self.pos;
        let n = digits(self);
        if n == 0 {
            self.pos = start;
            return self.fail("expected a value");
        }
        if n > 1 && self.text[int_start] == b'0' {
            self.pos = int_start + 1;
            return self.fail("a number has a leading zero");
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if digits(self) == 0 {
                return self.fail("expected a digit after the decimal point");
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return self.fail("expected a digit in the exponent");
            }
        }
        Ok(())
    }

    fn node(&mut self, parent: Option<(u32, Seg)>, start: usize, key: Option<Range<usize>>) -> u32 {
        let id = self.index.nodes.len() as u32;
        self.index.nodes.push(Node { span: start..start, key });
        if let Some(parent) = parent {
            // A repeated member name: the first one is the one the reader keeps, so the first one is found.
            self.index.children.entry(parent).or_insert(id);
        }
        id
    }

    fn run(mut self) -> Result<(), SyntaxError> {
        let mut stack: Vec<Open> = Vec::new();
        let mut pending: Option<Pending> = Some((None, None));
        loop {
            if let Some((parent, key)) = pending.take() {
                self.skip_ws();
                let start = self.pos;
                match self.peek() {
                    None => return self.fail("expected a value, found the end of the text"),
                    Some(b'{') => {
                        let node = self.node(parent, start, key);
                        self.pos += 1;
                        stack.push(Open::Object { node });
                        self.skip_ws();
                        if self.peek() == Some(b'}') {
                            self.pos += 1;
                            stack.pop();
                            self.index.nodes[node as usize].span.end = self.pos;
                        } else {
                            pending = self.member(node)?;
                            continue;
                        }
                    }
                    Some(b'[') => {
                        let node = self.node(parent, start, key);
                        self.pos += 1;
                        stack.push(Open::Array { node, next: 1 });
                        self.skip_ws();
                        if self.peek() == Some(b']') {
                            self.pos += 1;
                            stack.pop();
                            self.index.nodes[node as usize].span.end = self.pos;
                        } else {
                            pending = Some((Some((node, Seg::Index(0))), None));
                            continue;
                        }
                    }
                    Some(b'"') => {
                        let node = self.node(parent, start, key);
                        self.string()?;
                        self.index.nodes[node as usize].span.end = self.pos;
                    }
                    Some(_) => {
                        self.literal()?;
                        let node = self.node(parent, start, key);
                        self.index.nodes[node as usize].span.end = self.pos;
                    }
                }
            }
            // A value has ended: what follows it?
            self.skip_ws();
            match stack.last_mut() {
                None => {
                    if self.pos < self.text.len() {
                        return self.fail("more text after the JSON value");
                    }
                    return Ok(());
                }
                Some(Open::Object { node }) => {
                    let node = *node;
                    match self.peek() {
                        Some(b',') => {
                            self.pos += 1;
                            pending = self.member(node)?;
                        }
                        Some(b'}') => {
                            self.pos += 1;
                            stack.pop();
                            self.index.nodes[node as usize].span.end = self.pos;
                        }
                        _ => return self.fail("expected `,` or `}` after an object member"),
                    }
                }
                Some(Open::Array { node, next }) => {
                    let (node, i) = (*node, *next);
                    match self.peek() {
                        Some(b',') => {
                            self.pos += 1;
                            if let Some(Open::Array { next, .. }) = stack.last_mut() {
                                *next += 1;
                            }
                            pending = Some((Some((node, Seg::Index(i))), None));
                        }
                        Some(b']') => {
                            self.pos += 1;
                            stack.pop();
                            self.index.nodes[node as usize].span.end = self.pos;
                        }
                        _ => return self.fail("expected `,` or `]` after an array item"),
                    }
                }
            }
        }
    }

    /// A member's name and colon; the value is read next.
    fn member(&mut self, object: u32) -> Result<Option<Pending>, SyntaxError> {
        self.skip_ws();
        if self.peek() != Some(b'"') {
            return self.fail("expected a member name in double quotes");
        }
        let (name, key) = self.string()?;
        self.skip_ws();
        if self.peek() != Some(b':') {
            return self.fail("expected `:` after a member name");
        }
        self.pos += 1;
        Ok(Some((Some((object, Seg::Member(name))), Some(key))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at<'a>(text: &'a str, index: &Index, path: &str) -> &'a str {
        &text[index.locate(path).unwrap().span]
    }

    #[test]
    fn paths_find_their_values() {
        let text = "{\n  \"A\": [1, {\"b c\": \"x\"}, [true]],\n  \"Std:J\": {\"it's\": null}, \"A\": 2\n}";
        let index = Index::new(text).unwrap();
        assert_eq!(at(text, &index, "$"), text);
        assert_eq!(at(text, &index, "$.A"), "[1, {\"b c\": \"x\"}, [true]]");
        assert_eq!(at(text, &index, "$.A[0]"), "1");
        assert_eq!(at(text, &index, "$.A[1]['b c']"), "\"x\"");
        assert_eq!(at(text, &index, "$.A[1][\"b c\"]"), "\"x\"");
        assert_eq!(at(text, &index, "$.A[2][0]"), "true");
        assert_eq!(at(text, &index, "$['Std:J']['it\\'s']"), "null");
        assert_eq!(&text[index.key_of("$.A[1]['b c']").unwrap()], "\"b c\"");
        // A missing member: the nearest enclosing value, marked not exact.
        let missing = index.locate("$.A[1].Nope").unwrap();
        assert!(!missing.exact);
        assert_eq!(&text[missing.span], "{\"b c\": \"x\"}");
        assert!(index.locate("$.A[1]").unwrap().exact);
        assert_eq!(index.locate("not a path"), None);
        assert_eq!(index.line_column(text, text.find("true").unwrap()), (2, 27));
        assert_eq!(index.line_column(text, text.find("null").unwrap()), (3, 21));
    }

    #[test]
    fn columns_count_characters_and_lines_drop_their_break() {
        let text = "{\"é\":\r\n \"ü\"}";
        let index = Index::new(text).unwrap();
        let offset = text.find("\"ü\"").unwrap();
        assert_eq!(index.line_column(text, offset), (2, 2));
        let (line, n) = index.line_of(text, offset);
        assert_eq!((&text[line], n), (" \"ü\"}", 2));
        let (line, n) = index.line_of(text, 0);
        assert_eq!((&text[line], n), ("{\"é\":", 1));
    }

    #[test]
    fn syntax_errors_say_where() {
        for (text, offset) in [
            ("{\"a\": 1,}", 8),
            ("{\"a\" 1}", 5),
            ("[1 2]", 3),
            ("{\"a\": tru}", 6),
            ("{\"a\": \"x", 8),
            ("{} x", 3),
            ("", 0),
            ("{\"a\": 01}", 7),
            ("\"\\ud800\"", 6),
        ] {
            let err = Index::new(text).unwrap_err();
            assert_eq!(err.offset, offset, "{text}: {}", err.message);
        }
    }

    #[test]
    fn deep_nesting_is_read_without_recursion() {
        let depth = 1_000_000;
        let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let index = std::thread::Builder::new()
            .stack_size(64 * 1024)
            .spawn(move || Index::new(&text).map(|i| i.nodes.len()))
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(index.unwrap(), depth);
    }
}
