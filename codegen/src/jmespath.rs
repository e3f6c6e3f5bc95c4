//! A parser for the JMESPath expressions of waiter acceptors (`smithy.waiters#waitable` path matchers), into an
//! untyped syntax tree; `ir::waiters` type-checks the tree against the shapes and decides the Rust code.
//!
//! The grammar is JMESPath's, with its binding powers (a Pratt parser): identifiers (bare or quoted), sub-expressions
//! `a.b`, index `a[0]`, `a[-1]`, list projections `a[*]`, flatten `a[]`, filter projections `a[?cond]`, pipes `|`,
//! `||`, `&&`, `!`, comparisons, parentheses, `@`, literals (`` `json` `` and `'raw'`), and function calls. What it
//! does not parse (slices, multi-select lists and hashes, object projections `*`, expression references `&`) is an
//! error naming the construct, never a guess.

use serde_json::Value;

/// A JMESPath expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Ast {
    /// `@`: the current node.
    Current,
    /// A field of the current node.
    Field(String),
    /// `left.right`: `right` evaluated on the value of `left`.
    Subexpression(Box<Ast>, Box<Ast>),
    /// `left | right`: `right` evaluated on the value of `left` (ends a projection).
    Pipe(Box<Ast>, Box<Ast>),
    /// `left[n]`.
    Index(Box<Ast>, i64),
    /// `left[]`: the list with its list items spliced in.
    Flatten(Box<Ast>),
    /// A list projection: `right` evaluated on each item of `left` (which is a list), nulls dropped; with a filter,
    /// only on the items for which it is truthy.
    Projection {
        /// The list.
        left: Box<Ast>,
        /// What is taken from each item (`@` when nothing).
        right: Box<Ast>,
        /// `[?filter]`.
        filter: Option<Box<Ast>>,
    },
    /// A literal value.
    Literal(Value),
    /// `!x`.
    Not(Box<Ast>),
    /// `a && b`.
    And(Box<Ast>, Box<Ast>),
    /// `a || b`.
    Or(Box<Ast>, Box<Ast>),
    /// A comparison.
    Compare(Comparison, Box<Ast>, Box<Ast>),
    /// A function call.
    Function(String, Vec<Ast>),
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl Comparison {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            Comparison::Eq => "==",
            Comparison::Ne => "!=",
            Comparison::Lt => "<",
            Comparison::Le => "<=",
            Comparison::Gt => ">",
            Comparison::Ge => ">=",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Identifier(String),
    QuotedIdentifier(String),
    Literal(Value),
    Number(i64),
    Dot,
    Star,
    Flatten,
    Filter,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    LParen,
    RParen,
    Comma,
    Colon,
    At,
    Ampersand,
    And,
    Or,
    Pipe,
    Not,
    Compare(Comparison),
    Eof,
}

impl Token {
    /// JMESPath's binding power of the token as an infix operator.
    fn binding_power(&self) -> u8 {
        match self {
            Token::Pipe => 1,
            Token::Or => 2,
            Token::And => 3,
            Token::Compare(_) => 5,
            Token::Flatten => 9,
            Token::Star => 20,
            Token::Filter => 21,
            Token::Dot => 40,
            Token::Not => 45,
            Token::LBrace => 50,
            Token::LBracket => 55,
            Token::LParen => 60,
            _ => 0,
        }
    }
}

fn lex(text: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let until = |i: usize, close: char| -> Result<(String, usize), String> {
        let mut j = i + 1;
        let mut s = String::new();
        while j < chars.len() && chars[j] != close {
            if chars[j] == '\\' && j + 1 < chars.len() {
                s.push(chars[j]);
                j += 1;
            }
            s.push(chars[j]);
            j += 1;
        }
        if j >= chars.len() {
            return Err(format!("unterminated `{close}` starting at character {}", i + 1));
        }
        Ok((s, j + 1))
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let (token, len) = match c {
            ' ' | '\t' | '\n' | '\r' => {
                i += 1;
                continue;
            }
            'a'..='z' | 'A'..='Z' | '_' => {
                let mut j = i;
                while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
                    j += 1;
                }
                (Token::Identifier(chars[i..j].iter().collect()), j - i)
            }
            '0'..='9' | '-' => {
                let mut j = i + 1;
                while j < chars.len() && chars[j].is_ascii_digit() {
                    j += 1;
                }
                let digits: String = chars[i..j].iter().collect();
                let n = digits.parse().map_err(|_| format!("`{digits}` is not a number"))?;
                (Token::Number(n), j - i)
            }
            '"' => {
                let (s, end) = until(i, '"')?;
                let name: String = serde_json::from_str(&format!("\"{s}\""))
                    .map_err(|e| format!("invalid quoted identifier \"{s}\": {e}"))?;
                out.push(Token::QuotedIdentifier(name));
                i = end;
                continue;
            }
            '\'' => {
                let (s, end) = until(i, '\'')?;
                out.push(Token::Literal(Value::String(s.replace("\\'", "'"))));
                i = end;
                continue;
            }
            '`' => {
                let (s, end) = until(i, '`')?;
                let json = s.replace("\\`", "`");
                let value: Value =
                    serde_json::from_str(json.trim()).map_err(|e| format!("invalid literal `{json}`: {e}"))?;
                out.push(Token::Literal(value));
                i = end;
                continue;
            }
            '.' => (Token::Dot, 1),
            '*' => (Token::Star, 1),
            '[' if next == Some(']') => (Token::Flatten, 2),
            '[' if next == Some('?') => (Token::Filter, 2),
            '[' => (Token::LBracket, 1),
            ']' => (Token::RBracket, 1),
            '{' => (Token::LBrace, 1),
            '}' => (Token::RBrace, 1),
            '(' => (Token::LParen, 1),
            ')' => (Token::RParen, 1),
            ',' => (Token::Comma, 1),
            ':' => (Token::Colon, 1),
            '@' => (Token::At, 1),
            '&' if next == Some('&') => (Token::And, 2),
            '&' => (Token::Ampersand, 1),
            '|' if next == Some('|') => (Token::Or, 2),
            '|' => (Token::Pipe, 1),
            '!' if next == Some('=') => (Token::Compare(Comparison::Ne), 2),
            '!' => (Token::Not, 1),
            '=' if next == Some('=') => (Token::Compare(Comparison::Eq), 2),
            '<' if next == Some('=') => (Token::Compare(Comparison::Le), 2),
            '<' => (Token::Compare(Comparison::Lt), 1),
            '>' if next == Some('=') => (Token::Compare(Comparison::Ge), 2),
            '>' => (Token::Compare(Comparison::Gt), 1),
            other => return Err(format!("unexpected character `{other}` at character {}", i + 1)),
        };
        out.push(token);
        i += len;
    }
    out.push(Token::Eof);
    Ok(out)
}

/// The longest path parsed, in bytes. The waiter paths of AWS's models are a few dozen characters; the bound keeps a
/// hostile model from building a tree deep enough to exhaust a stack anywhere it is walked.
pub const MAX_PATH_LEN: usize = 1024;

/// The deepest nesting of a parsed path (each sub-expression, projection, operator or call a level).
pub const MAX_DEPTH: usize = 64;

/// Parse a JMESPath expression; the error says what is wrong or not supported.
pub fn parse(text: &str) -> Result<Ast, String> {
    if text.len() > MAX_PATH_LEN {
        return Err(format!(
            "the path is {} bytes long, more than the {MAX_PATH_LEN} this generator reads",
            text.len()
        ));
    }
    let tokens = lex(text)?;
    let mut p = Parser { tokens, at: 0, depth: 0 };
    let ast = p.expression(0)?;
    match p.peek() {
        Token::Eof => {}
        t => return Err(format!("unexpected {} after a complete expression", describe(t))),
    }
    if depth(&ast) > MAX_DEPTH {
        return Err(format!("the path nests deeper than {MAX_DEPTH} levels"));
    }
    Ok(ast)
}

/// How deeply `ast` nests (a leaf is 1).
fn depth(ast: &Ast) -> usize {
    1 + match ast {
        Ast::Current | Ast::Field(_) | Ast::Literal(_) => 0,
        Ast::Index(a, _) | Ast::Flatten(a) | Ast::Not(a) => depth(a),
        Ast::Subexpression(a, b) | Ast::Pipe(a, b) | Ast::And(a, b) | Ast::Or(a, b) | Ast::Compare(_, a, b) => {
            depth(a).max(depth(b))
        }
        Ast::Projection { left, right, filter } => {
            depth(left).max(depth(right)).max(filter.as_deref().map_or(0, depth))
        }
        Ast::Function(_, args) => args.iter().map(depth).max().unwrap_or(0),
    }
}

fn describe(t: &Token) -> String {
    match t {
        Token::Identifier(s) | Token::QuotedIdentifier(s) => format!("identifier `{s}`"),
        Token::Literal(v) => format!("literal {v}"),
        Token::Number(n) => format!("number {n}"),
        Token::Eof => "end of expression".into(),
        other => format!("`{}`", symbol(other)),
    }
}

fn symbol(t: &Token) -> &'static str {
    match t {
        Token::Dot => ".",
        Token::Star => "*",
        Token::Flatten => "[]",
        Token::Filter => "[?",
        Token::LBracket => "[",
        Token::RBracket => "]",
        Token::LBrace => "{",
        Token::RBrace => "}",
        Token::LParen => "(",
        Token::RParen => ")",
        Token::Comma => ",",
        Token::Colon => ":",
        Token::At => "@",
        Token::Ampersand => "&",
        Token::And => "&&",
        Token::Or => "||",
        Token::Pipe => "|",
        Token::Not => "!",
        Token::Compare(c) => c.as_str(),
        _ => "?",
    }
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    /// Calls of [`Parser::expression`] in progress: the recursion is cut at [`MAX_DEPTH`].
    depth: usize,
}

impl Parser {
    fn peek(&self) -> &Token {
        self.tokens.get(self.at).unwrap_or(&Token::Eof)
    }

    fn peek2(&self) -> &Token {
        self.tokens.get(self.at + 1).unwrap_or(&Token::Eof)
    }

    fn next(&mut self) -> Token {
        let t = self.peek().clone();
        self.at += 1;
        t
    }

    fn expect(&mut self, want: Token) -> Result<(), String> {
        let got = self.next();
        if got == want {
            Ok(())
        } else {
            Err(format!("expected {}, found {}", describe(&want), describe(&got)))
        }
    }

    fn expression(&mut self, rbp: u8) -> Result<Ast, String> {
        if self.depth >= MAX_DEPTH {
            return Err(format!("the path nests deeper than {MAX_DEPTH} levels"));
        }
        self.depth += 1;
        let mut left = self.nud()?;
        while rbp < self.peek().binding_power() {
            left = self.led(left)?;
        }
        self.depth -= 1;
        Ok(left)
    }

    fn nud(&mut self) -> Result<Ast, String> {
        match self.next() {
            Token::Literal(v) => Ok(Ast::Literal(v)),
            Token::Identifier(s) | Token::QuotedIdentifier(s) => Ok(Ast::Field(s)),
            Token::At => Ok(Ast::Current),
            Token::Not => Ok(Ast::Not(Box::new(self.expression(Token::Not.binding_power())?))),
            Token::LParen => {
                let e = self.expression(0)?;
                self.expect(Token::RParen)?;
                Ok(e)
            }
            Token::Flatten => {
                let right = self.projection_rhs(Token::Flatten.binding_power())?;
                Ok(Ast::Projection { left: Box::new(Ast::Flatten(Box::new(Ast::Current))), right, filter: None })
            }
            Token::Filter => self.filter(Ast::Current),
            Token::LBracket => self.bracket(Ast::Current),
            Token::Star => Err("object projections (`*`) are not supported".into()),
            Token::LBrace => Err("multi-select hashes (`{...}`) are not supported".into()),
            Token::Ampersand => Err("expression references (`&`) are not supported".into()),
            other => Err(format!("unexpected {}", describe(&other))),
        }
    }

    fn led(&mut self, left: Ast) -> Result<Ast, String> {
        let token = self.next();
        let bp = token.binding_power();
        match token {
            Token::Dot => {
                let right = match self.peek() {
                    Token::Identifier(_) | Token::QuotedIdentifier(_) => self.expression(bp)?,
                    Token::Star => return Err("object projections (`.*`) are not supported".into()),
                    Token::LBracket => return Err("multi-select lists (`.[...]`) are not supported".into()),
                    Token::LBrace => return Err("multi-select hashes (`.{...}`) are not supported".into()),
                    t => return Err(format!("expected an identifier after `.`, found {}", describe(t))),
                };
                Ok(Ast::Subexpression(Box::new(left), Box::new(right)))
            }
            Token::Pipe => Ok(Ast::Pipe(Box::new(left), Box::new(self.expression(bp)?))),
            Token::Or => Ok(Ast::Or(Box::new(left), Box::new(self.expression(bp)?))),
            Token::And => Ok(Ast::And(Box::new(left), Box::new(self.expression(bp)?))),
            Token::Compare(c) => Ok(Ast::Compare(c, Box::new(left), Box::new(self.expression(bp)?))),
            Token::Flatten => {
                let right = self.projection_rhs(bp)?;
                Ok(Ast::Projection { left: Box::new(Ast::Flatten(Box::new(left))), right, filter: None })
            }
            Token::Filter => self.filter(left),
            Token::LBracket => self.bracket(left),
            Token::LParen => {
                let Ast::Field(name) = left else {
                    return Err("only a function name may be called".into());
                };
                let mut args = Vec::new();
                if self.peek() != &Token::RParen {
                    loop {
                        args.push(self.expression(0)?);
                        if self.peek() == &Token::Comma {
                            self.next();
                        } else {
                            break;
                        }
                    }
                }
                self.expect(Token::RParen)?;
                Ok(Ast::Function(name, args))
            }
            Token::Star => Err("object projections (`*`) are not supported".into()),
            Token::LBrace => Err("multi-select hashes (`{...}`) are not supported".into()),
            Token::Not => Err("`!` cannot follow an expression".into()),
            other => Err(format!("unexpected {}", describe(&other))),
        }
    }

    /// After `[`: an index, `*]` (a projection), or something unsupported.
    fn bracket(&mut self, left: Ast) -> Result<Ast, String> {
        match (self.peek().clone(), self.peek2().clone()) {
            (Token::Number(n), Token::RBracket) => {
                self.at += 2;
                Ok(Ast::Index(Box::new(left), n))
            }
            (Token::Star, Token::RBracket) => {
                self.at += 2;
                let right = self.projection_rhs(Token::Star.binding_power())?;
                Ok(Ast::Projection { left: Box::new(left), right, filter: None })
            }
            (Token::Number(_) | Token::Colon, _) => Err("slices (`[a:b]`) are not supported".into()),
            _ => Err("multi-select lists (`[a, b]`) are not supported".into()),
        }
    }

    /// After `[?`: the condition, `]`, and what the projection takes from each item.
    fn filter(&mut self, left: Ast) -> Result<Ast, String> {
        let condition = self.expression(0)?;
        self.expect(Token::RBracket)?;
        let right = self.projection_rhs(Token::Filter.binding_power())?;
        Ok(Ast::Projection { left: Box::new(left), right, filter: Some(Box::new(condition)) })
    }

    /// What a projection takes from each item: nothing (`@`) when the next token binds less than a projection does.
    fn projection_rhs(&mut self, bp: u8) -> Result<Box<Ast>, String> {
        const PROJECTION_STOP: u8 = 10;
        let next = self.peek().clone();
        if next.binding_power() < PROJECTION_STOP {
            return Ok(Box::new(Ast::Current));
        }
        match next {
            Token::LBracket | Token::Filter => Ok(Box::new(self.expression(bp)?)),
            Token::Dot => {
                self.next();
                match self.peek() {
                    Token::Identifier(_) | Token::QuotedIdentifier(_) => Ok(Box::new(self.expression(bp)?)),
                    t => Err(format!("expected an identifier after `.`, found {}", describe(t))),
                }
            }
            t => Err(format!("unexpected {} after a projection", describe(&t))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(s: &str) -> Box<Ast> {
        Box::new(Ast::Field(s.into()))
    }

    #[test]
    fn parses_the_paths_of_the_aws_models() {
        assert_eq!(parse("EndpointStatus").unwrap(), Ast::Field("EndpointStatus".into()));
        assert_eq!(
            parse("Cluster.Status.State").unwrap(),
            Ast::Subexpression(Box::new(Ast::Subexpression(field("Cluster"), field("Status"))), field("State"))
        );
        assert_eq!(
            parse("Connections[].Status").unwrap(),
            Ast::Projection {
                left: Box::new(Ast::Flatten(field("Connections"))),
                right: field("Status"),
                filter: None
            }
        );
        let ecs =
            parse("length(services[?!(length(deployments) == `1` && runningCount == desiredCount)]) == `0`").unwrap();
        let Ast::Compare(Comparison::Eq, left, right) = ecs else { panic!("{ecs:?}") };
        assert_eq!(*right, Ast::Literal(serde_json::json!(0)));
        let Ast::Function(name, args) = *left else { panic!() };
        assert_eq!(name, "length");
        let Ast::Projection { left, right, filter: Some(filter) } = &args[0] else { panic!("{args:?}") };
        assert_eq!(**left, Ast::Field("services".into()));
        assert_eq!(**right, Ast::Current);
        let Ast::Not(inner) = &**filter else { panic!("{filter:?}") };
        assert!(matches!(&**inner, Ast::And(..)), "{inner:?}");
    }

    #[test]
    fn projections_continue_until_something_binds_less() {
        // `a[].b.c` projects `b.c`; `a[].b | c` projects `b` and applies `c` to the list.
        let Ast::Projection { right, .. } = parse("a[].b.c").unwrap() else { panic!() };
        assert_eq!(*right, Ast::Subexpression(field("b"), field("c")));
        let Ast::Pipe(left, right) = parse("a[].b | c").unwrap() else { panic!() };
        assert!(matches!(*left, Ast::Projection { .. }));
        assert_eq!(*right, Ast::Field("c".into()));
        // `a[*].b[0]`, `a[-1]`, `'raw'`, `"quoted"` and `@`.
        let Ast::Projection { right, .. } = parse("a[*].b[0]").unwrap() else { panic!() };
        assert_eq!(*right, Ast::Index(field("b"), 0));
        assert_eq!(parse("a[-1]").unwrap(), Ast::Index(field("a"), -1));
        assert_eq!(parse("'it''s'").unwrap_err(), "unexpected literal \"s\" after a complete expression");
        assert_eq!(parse("\"a b\" == @").unwrap(), Ast::Compare(Comparison::Eq, field("a b"), Box::new(Ast::Current)));
    }

    #[test]
    fn unsupported_constructs_are_named() {
        for (path, why) in [
            ("a.*", "object projections"),
            ("a[1:2]", "slices"),
            ("a.[b, c]", "multi-select lists"),
            ("{a: b}", "multi-select hashes"),
            ("sort_by(a, &b)", "expression references"),
            ("a ==", "unexpected end of expression"),
            ("a[?b", "expected `]`"),
            ("`{`", "invalid literal"),
            ("a $ b", "unexpected character `$`"),
        ] {
            let err = parse(path).unwrap_err();
            assert!(err.contains(why), "{path}: {err}");
        }
    }

    #[test]
    fn hostile_paths_are_refused_before_they_nest_deep() {
        let long = "a.".repeat(600) + "a";
        assert!(parse(&long).unwrap_err().contains("more than the 1024"), "{long}");
        let chain = "a.".repeat(100) + "a";
        assert_eq!(parse(&chain).unwrap_err(), "the path nests deeper than 64 levels");
        let parens = "(".repeat(200) + "a" + &")".repeat(200);
        assert_eq!(parse(&parens).unwrap_err(), "the path nests deeper than 64 levels");
        let nots = "!".repeat(300) + "a";
        assert_eq!(parse(&nots).unwrap_err(), "the path nests deeper than 64 levels");
        // Within the bounds, deep paths still parse.
        assert!(parse(&("a.".repeat(30) + "a")).is_ok());
    }
}
