//! Smithy documentation is HTML; rustdoc wants markdown. This module converts one to the other.
//!
//! The converter is deliberately small: it knows the tags AWS models use (`p`, `code`, `a`, lists, `b`/`i`,
//! `note`/`important`, `pre`, definition lists, headings) and drops the rest while keeping their text. Text is escaped
//! so that nothing in it becomes markdown by accident: brackets (which rustdoc would read as intra-doc links), angle
//! brackets (HTML), emphasis characters and bare URLs (wrapped in `<…>`). Preformatted blocks become ```` ```text ````
//! fences so they never run as doctests, and no line of output starts with four spaces.

/// Convert Smithy HTML documentation to rustdoc markdown.
pub fn html_to_markdown(html: &str) -> String {
    let mut conv = Converter::default();
    for token in tokenize(html) {
        conv.token(token);
    }
    conv.finish()
}

#[derive(Debug, PartialEq)]
enum Token<'a> {
    Text(String),
    Open(&'a str, Option<String>),
    Close(&'a str),
}

fn tokenize(html: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        match rest.find('<') {
            None => {
                out.push(Token::Text(decode_entities(rest)));
                break;
            }
            Some(i) => {
                if i > 0 {
                    out.push(Token::Text(decode_entities(&rest[..i])));
                }
                let after = &rest[i..];
                match parse_tag(after) {
                    Some((token, len)) => {
                        if let Some(t) = token {
                            out.push(t);
                        }
                        rest = &after[len..];
                    }
                    None => {
                        // A lone `<` is text.
                        out.push(Token::Text("<".into()));
                        rest = &after[1..];
                    }
                }
            }
        }
    }
    out
}

/// Parse a tag at the start of `s` (which begins with `<`). Returns the token (None for comments) and its length.
fn parse_tag(s: &str) -> Option<(Option<Token<'_>>, usize)> {
    if let Some(body) = s.strip_prefix("<!--") {
        let end = body.find("-->")?;
        return Some((None, 4 + end + 3));
    }
    let end = s.find('>')?;
    let inner = &s[1..end];
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(r) => (true, r),
        None => (false, inner),
    };
    let inner = inner.trim_end_matches('/').trim();
    let name_end = inner.find(|c: char| c.is_whitespace()).unwrap_or(inner.len());
    let name = &inner[..name_end];
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let token = if closing { Token::Close(name) } else { Token::Open(name, attr(&inner[name_end..], "href")) };
    Some((Some(token), end + 1))
}

fn attr(attrs: &str, key: &str) -> Option<String> {
    let pos = attrs.find(&format!("{key}="))?;
    let rest = &attrs[pos + key.len() + 1..];
    let quote = rest.chars().next()?;
    if quote == '"' || quote == '\'' {
        let body = &rest[1..];
        let end = body.find(quote)?;
        Some(decode_entities(&body[..end]))
    } else {
        let end = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
        Some(decode_entities(&rest[..end]))
    }
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &after[1..e];
            let c = match name {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => {
                    let num = name.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            }?;
            Some((c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &after[len..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[derive(Default)]
struct Converter {
    /// Finished blocks.
    blocks: Vec<String>,
    /// The block being built.
    line: String,
    /// List nesting: `None` for `ul`, `Some(n)` for the next number of an `ol`.
    lists: Vec<Option<u32>>,
    /// Depth of `code` elements (inline code).
    code: usize,
    /// Inline code being collected.
    code_buf: String,
    /// Inside `pre`.
    pre: Option<String>,
    /// Open links: their href and the length of `line` when they started.
    links: Vec<(Option<String>, usize)>,
    /// The line holds only a prefix (a list marker or a note label) that the next block must continue.
    prefix_only: bool,
}

impl Converter {
    fn token(&mut self, token: Token<'_>) {
        if let Some(pre) = &mut self.pre {
            match token {
                Token::Text(t) => pre.push_str(&t),
                Token::Close(name) if name.eq_ignore_ascii_case("pre") => {
                    let body = self.pre.take().unwrap_or_default();
                    self.flush();
                    let body = body.trim_matches('\n');
                    let fence = "`".repeat(3.max(longest_run(body, '`') + 1));
                    let lines: Vec<&str> = body.lines().collect();
                    let indent = lines
                        .iter()
                        .filter(|l| !l.trim().is_empty())
                        .map(|l| l.len() - l.trim_start().len())
                        .min()
                        .unwrap_or(0);
                    let body: Vec<String> =
                        lines.iter().map(|l| l.get(indent..).unwrap_or("").trim_end().to_owned()).collect();
                    self.blocks.push(format!("{fence}text\n{}\n{fence}", body.join("\n")));
                }
                _ => {}
            }
            return;
        }
        match token {
            Token::Text(t) => {
                if self.code > 0 {
                    self.code_buf.push_str(&t);
                } else {
                    self.text(&t);
                }
            }
            Token::Open(name, href) => self.open(&name.to_ascii_lowercase(), href),
            Token::Close(name) => self.close(&name.to_ascii_lowercase()),
        }
    }

    fn open(&mut self, name: &str, href: Option<String>) {
        match name {
            "p" | "div" | "dl" | "dd" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "dt" => {
                if !self.prefix_only {
                    self.flush();
                }
                if name.starts_with('h') || name == "dt" {
                    self.line.push_str("**");
                }
            }
            "note" | "important" => {
                self.flush();
                self.line.push_str(if name == "note" { "**Note:** " } else { "**Important:** " });
                self.prefix_only = true;
            }
            "br" => self.line.push('\n'),
            "ul" => {
                self.flush();
                self.lists.push(None);
            }
            "ol" => {
                self.flush();
                self.lists.push(Some(1));
            }
            "li" => {
                self.flush();
                let depth = self.lists.len().saturating_sub(1);
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let m = format!("{n}. ");
                        *n += 1;
                        m
                    }
                    _ => "- ".to_owned(),
                };
                self.line.push_str(&"  ".repeat(depth.min(1)));
                self.line.push_str(&marker);
                self.prefix_only = true;
            }
            "code" | "tt" => self.code += 1,
            "pre" => self.pre = Some(String::new()),
            "b" | "strong" => self.line.push_str("**"),
            "i" | "em" => self.line.push('*'),
            "a" => self.links.push((href, self.line.len())),
            _ => {}
        }
    }

    fn close(&mut self, name: &str) {
        match name {
            "p" | "div" | "dl" | "dd" | "note" | "important" | "li" => self.flush(),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "dt" => {
                self.line.push_str("**");
                self.flush();
            }
            "ul" | "ol" => {
                self.flush();
                self.lists.pop();
            }
            "code" | "tt" if self.code > 0 => {
                self.code -= 1;
                if self.code == 0 {
                    let code = std::mem::take(&mut self.code_buf);
                    let code = code.split_whitespace().collect::<Vec<_>>().join(" ");
                    if !code.is_empty() {
                        self.line.push_str(&code_span(&code));
                        self.prefix_only = false;
                    }
                }
            }
            "b" | "strong" => self.line.push_str("**"),
            "i" | "em" => self.line.push('*'),
            "a" => {
                if let Some((href, start)) = self.links.pop() {
                    let text = self.line[start..].trim().to_owned();
                    match href.filter(|h| h.starts_with("http://") || h.starts_with("https://")) {
                        Some(url) if text.is_empty() || text == escape_text(&url) => {
                            self.line.truncate(start);
                            self.line.push_str(&format!("<{url}>"));
                        }
                        Some(url) => {
                            self.line.truncate(start);
                            self.line.push_str(&format!("[{text}]({})", url.replace(')', "%29").replace(' ', "%20")));
                        }
                        None => {}
                    }
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, t: &str) {
        let collapsed = collapse_ws(t);
        if collapsed.trim().is_empty() && (self.prefix_only || self.line.is_empty()) {
            return;
        }
        self.prefix_only = false;
        let collapsed = if self.line.is_empty() || self.line.ends_with(' ') || self.line.ends_with('\n') {
            collapsed.trim_start().to_owned()
        } else {
            collapsed
        };
        self.line.push_str(&escape_text(&collapsed));
    }

    fn flush(&mut self) {
        self.prefix_only = false;
        let block = std::mem::take(&mut self.line);
        let lines: Vec<String> = block.lines().map(|l| guard_line_start(l.trim())).collect();
        let block = lines.join("\n");
        let trimmed = block.trim();
        if trimmed.is_empty() || trimmed == "**" || trimmed == "****" || trimmed == "-" {
            return;
        }
        // A list item follows its sibling without a blank line.
        if let (Some(prev), true) = (self.blocks.last_mut(), is_list_item(trimmed)) {
            if is_list_item(prev.lines().last().unwrap_or("").trim_start()) {
                prev.push('\n');
                prev.push_str(&block);
                return;
            }
        }
        self.blocks.push(block);
    }

    fn finish(mut self) -> String {
        if let Some(pre) = self.pre.take() {
            self.text(&pre);
        }
        if !self.code_buf.is_empty() {
            let code = std::mem::take(&mut self.code_buf);
            self.text(&code);
        }
        self.flush();
        self.blocks.join("\n\n")
    }
}

fn is_list_item(line: &str) -> bool {
    let l = line.trim_start();
    l.starts_with("- ")
        || l.split_once(". ").is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// Keep a line from starting a heading, quote, or code block by accident. List markers we wrote are kept.
fn guard_line_start(line: &str) -> String {
    if line.starts_with('#') || line.starts_with('>') || line.starts_with('+') || line.starts_with('=') {
        return format!("\\{line}");
    }
    line.to_owned()
}

fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut ws = false;
    for c in s.chars() {
        if c.is_whitespace() {
            ws = true;
        } else {
            if ws {
                out.push(' ');
            }
            ws = false;
            out.push(c);
        }
    }
    if ws {
        out.push(' ');
    }
    out
}

/// A markdown code span holding `text` as it is, however many backticks it contains.
pub fn code_span(text: &str) -> String {
    let ticks = "`".repeat(longest_run(text, '`') + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

fn longest_run(s: &str, ch: char) -> usize {
    let (mut best, mut cur) = (0, 0);
    for c in s.chars() {
        if c == ch {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

/// Escape characters that markdown or rustdoc would interpret, and wrap bare URLs in `<…>`.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut rest = s;
    while !rest.is_empty() {
        let url_at = ["https://", "http://"].iter().filter_map(|p| rest.find(p)).min();
        let (plain, tail) = match url_at {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        for c in plain.chars() {
            if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~') {
                out.push('\\');
            }
            out.push(c);
        }
        if tail.is_empty() {
            break;
        }
        let end = tail.find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | ')')).unwrap_or(tail.len());
        let mut url = &tail[..end];
        while url.ends_with(['.', ',', ';', ':']) {
            url = &url[..url.len() - 1];
        }
        out.push('<');
        out.push_str(url);
        out.push('>');
        rest = &tail[url.len()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::html_to_markdown as md;

    #[test]
    fn plain_text_passes_through() {
        assert_eq!(md("Starts a pipeline execution."), "Starts a pipeline execution.");
        assert_eq!(md("  spaced \n  out  "), "spaced out");
        assert_eq!(md(""), "");
    }

    #[test]
    fn paragraphs_and_inline_code() {
        assert_eq!(md("<p>One <code>PipelineName</code>.</p><p>Two.</p>"), "One `PipelineName`.\n\nTwo.");
        assert_eq!(md("<p>tick <code>a`b</code></p>"), "tick ``a`b``");
    }

    #[test]
    fn escapes_brackets_angles_and_emphasis() {
        assert_eq!(md("<p>a [b] c</p>"), "a \\[b\\] c");
        assert_eq!(md("x &lt;tag&gt; y"), "x \\<tag\\> y");
        assert_eq!(md("2 * 3 and snake_case"), "2 \\* 3 and snake\\_case");
        assert_eq!(md("<p># not a heading</p>"), "\\# not a heading");
    }

    #[test]
    fn code_keeps_its_characters_unescaped() {
        assert_eq!(md("<code>a[0]_*</code>"), "`a[0]_*`");
    }

    #[test]
    fn links_and_bare_urls() {
        assert_eq!(
            md(r#"See <a href="https://docs.aws.amazon.com/x.html">the guide</a>."#),
            "See [the guide](https://docs.aws.amazon.com/x.html)."
        );
        assert_eq!(md("Go to https://example.com/a_b."), "Go to <https://example.com/a_b>.");
        assert_eq!(md(r#"<a href="https://e.com">https://e.com</a>"#), "<https://e.com>");
        // Relative links lose their target but keep the text.
        assert_eq!(md(r#"<a href="/x">text</a>"#), "text");
    }

    #[test]
    fn lists() {
        assert_eq!(md("<ul><li><p>one</p></li><li>two</li></ul><p>after</p>"), "- one\n- two\n\nafter");
        assert_eq!(md("<ol><li>a</li><li>b</li></ol>"), "1. a\n2. b");
    }

    #[test]
    fn preformatted_becomes_text_fence() {
        assert_eq!(md("<pre>    fn main() {}\n      x</pre>"), "```text\nfn main() {}\n  x\n```");
    }

    #[test]
    fn notes_and_emphasis() {
        assert_eq!(md("<note><p>Careful.</p></note>"), "**Note:** Careful.");
        assert_eq!(md("<b>bold</b> <i>it</i>"), "**bold** *it*");
    }

    #[test]
    fn entities_and_malformed_html_never_panic() {
        assert_eq!(md("a &amp; b &#39;c&#x27; &unknown; &"), "a & b 'c' &unknown; &");
        for s in ["<", "<p", "</", "<<>>", "<a href=", "<code>unclosed", "<pre>open", "&#xZZ;", "é<b>ü</b>"] {
            let _ = md(s);
        }
        assert_eq!(md("1 < 2"), "1 \\< 2");
    }

    #[test]
    fn no_line_starts_with_four_spaces() {
        let out = md("<ul><li><ul><li><ul><li>deep</li></ul></li></ul></li></ul>");
        assert!(out.lines().all(|l| !l.starts_with("    ")), "{out:?}");
    }
}
