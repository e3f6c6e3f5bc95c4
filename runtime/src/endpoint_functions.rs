//! The functions of the Smithy rules engine's standard library and of its AWS extensions that endpoint rule sets call
//! beyond `isSet`, `not`, the equalities, `getAttr` and `aws.partition`: `substring`, `uriEncode`, `isValidHostLabel`,
//! `parseURL`, `split`, `aws.parseArn` and `aws.isVirtualHostableS3Bucket`, with the semantics the specification gives
//! them. A crate gets this module when its rule set calls one of them; the generator compiles the same file into
//! itself to evaluate the model's endpoint tests, so both answer from one source.
//!
//! Every function is linear in its input and never panics.
#![allow(dead_code)] // A rule set calls only some of them.

/// What `parseURL` returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    /// The scheme, without `://` (`https`).
    pub scheme: String,
    /// Host and port, as written (`example.com:8443`); no user information.
    pub authority: String,
    /// The path as written (empty when there is none).
    pub path: String,
    /// The path starting and ending with `/`.
    pub normalized_path: String,
    /// Whether the host is an IPv4 address or a bracketed IPv6 address.
    pub is_ip: bool,
}

/// What `aws.parseArn` returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arn {
    /// The partition (`aws`).
    pub partition: String,
    /// The service namespace (`sns`).
    pub service: String,
    /// The region; may be empty.
    pub region: String,
    /// The account id; may be empty.
    pub account_id: String,
    /// The resource, split on `:` and `/`.
    pub resource_id: Vec<String>,
}

/// `substring(input, start, end, reverse)`: the characters `start..end` (counted from the end when `reverse`), or
/// `None` when the input is too short, the range is empty or reversed, or the input is not all ASCII.
pub fn substring(input: &str, start: usize, end: usize, reverse: bool) -> Option<&str> {
    let len = input.len();
    if start >= end || len < end || !input.is_ascii() {
        return None;
    }
    if reverse {
        input.get(len - end..len - start)
    } else {
        input.get(start..end)
    }
}

/// `uriEncode(value)`: RFC 3986 percent-encoding of every byte of the UTF-8 text but the unreserved characters
/// (`A-Z a-z 0-9 - _ . ~`), in uppercase hexadecimal.
pub fn uri_encode(value: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len());
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
    }
    out
}

/// `isValidHostLabel(value, allowSubDomains)`: an RFC 1123 label (1 to 63 ASCII letters, digits and `-`, not starting
/// with `-`); with `allow_sub_domains`, one or more such labels joined by `.`.
pub fn is_valid_host_label(value: &str, allow_sub_domains: bool) -> bool {
    if allow_sub_domains {
        !value.is_empty() && value.split('.').all(valid_label)
    } else {
        valid_label(value)
    }
}

fn valid_label(label: &str) -> bool {
    let bytes = label.as_bytes();
    (1..=63).contains(&bytes.len())
        && bytes[0].is_ascii_alphanumeric()
        && bytes[1..].iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
}

/// `parseURL(value)`: `scheme://authority[path]`, or `None` when the text is not such a URL or has a query (`?`).
/// A fragment (`#…`) is not part of the path.
pub fn parse_url(value: &str) -> Option<Url> {
    let (scheme, rest) = value.split_once("://")?;
    let mut chars = scheme.chars();
    if !chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        || !chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return None;
    }
    if rest.contains('?') {
        return None;
    }
    let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    // No user information, no whitespace, and a host.
    if authority.is_empty() || authority.contains('@') || authority.chars().any(|c| c.is_whitespace()) {
        return None;
    }
    let host = if authority.starts_with('[') {
        let end = authority.find(']')?;
        let after = &authority[end + 1..];
        if !(after.is_empty() || valid_port(after.strip_prefix(':')?)) {
            return None;
        }
        &authority[..=end]
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) if valid_port(port) => host,
            Some(_) => return None,
            None => authority,
        }
    };
    if host.is_empty() {
        return None;
    }
    let normalized_path = match (path.starts_with('/'), path.ends_with('/')) {
        _ if path.trim().is_empty() => "/".to_owned(),
        (true, true) => path.to_owned(),
        (true, false) => format!("{path}/"),
        (false, true) => format!("/{path}"),
        (false, false) => format!("/{path}/"),
    };
    Some(Url {
        scheme: scheme.to_owned(),
        authority: authority.to_owned(),
        path: path.to_owned(),
        normalized_path,
        is_ip: is_ip(host),
    })
}

fn valid_port(port: &str) -> bool {
    !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit())
}

/// Whether a host is a bracketed IPv6 address or four dot-separated groups of one to three digits without a
/// leading zero (the range 0–255 is not checked, as in the specification's reference).
pub fn is_ip(host: &str) -> bool {
    if host.len() >= 2 && host.starts_with('[') && host.ends_with(']') {
        return true;
    }
    let groups: Vec<&str> = host.splitn(5, '.').collect();
    groups.len() == 4
        && groups.iter().all(|g| {
            let b = g.as_bytes();
            (1..=3).contains(&b.len()) && b.iter().all(u8::is_ascii_digit) && (b.len() == 1 || b[0] != b'0')
        })
}

/// `split(value, delimiter, limit)`: the parts between occurrences of `delimiter`; `limit` 0 splits at every one,
/// otherwise into at most `limit` parts. An empty delimiter does not split.
pub fn split(value: &str, delimiter: &str, limit: usize) -> Vec<String> {
    if delimiter.is_empty() || limit == 1 || value.is_empty() {
        return vec![value.to_owned()];
    }
    let parts: Vec<String> = if limit == 0 {
        value.split(delimiter).map(str::to_owned).collect()
    } else {
        value.splitn(limit, delimiter).map(str::to_owned).collect()
    };
    parts
}

/// `getAttr(array, "[index]")`: the element, counted from the end when `index` is negative (`-1` is the last).
pub fn index(array: &[String], index: i64) -> Option<&str> {
    let i = if index < 0 {
        array.len().checked_sub(usize::try_from(index.unsigned_abs()).ok()?)?
    } else {
        usize::try_from(index).ok()?
    };
    array.get(i).map(String::as_str)
}

/// `aws.parseArn(value)`: `arn:partition:service:region:account:resource`, with the resource split on `:` and `/`;
/// `None` unless it starts with `arn:` and partition, service and resource are not empty.
pub fn parse_arn(value: &str) -> Option<Arn> {
    let rest = value.strip_prefix("arn:")?;
    let mut parts = rest.splitn(5, ':');
    let partition = parts.next()?;
    let service = parts.next()?;
    let region = parts.next()?;
    let account_id = parts.next()?;
    let resource = parts.next()?;
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    Some(Arn {
        partition: partition.to_owned(),
        service: service.to_owned(),
        region: region.to_owned(),
        account_id: account_id.to_owned(),
        resource_id: resource.split([':', '/']).map(str::to_owned).collect(),
    })
}

/// `aws.isVirtualHostableS3Bucket(value, allowSubDomains)`: 3 to 63 characters, lowercase letters, digits and `-`
/// (and `.` with `allow_sub_domains`, never next to another `.` or before a `-`, nor after `-`), starting and
/// ending with a letter or digit, and (with dots) not shaped like an IPv4 address.
pub fn is_virtual_hostable_s3_bucket(value: &str, allow_sub_domains: bool) -> bool {
    let b = value.as_bytes();
    let lower_alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    if !(3..=63).contains(&b.len()) || !lower_alnum(b[0]) || !lower_alnum(b[b.len() - 1]) {
        return false;
    }
    if !allow_sub_domains {
        return b.iter().all(|&c| lower_alnum(c) || c == b'-');
    }
    let mut last = b[0];
    for &c in &b[1..] {
        let ok = match c {
            b'.' => last != b'.' && last != b'-',
            b'-' => last != b'.',
            _ => lower_alnum(c),
        };
        if !ok {
            return false;
        }
        last = c;
    }
    !is_ip(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substring_counts_from_either_end_and_refuses_what_it_cannot_cut() {
        assert_eq!(substring("abcdefg", 0, 4, false), Some("abcd"));
        assert_eq!(substring("abcdefg", 0, 4, true), Some("defg"));
        assert_eq!(substring("abcdefg", 1, 3, true), Some("ef"));
        assert_eq!(substring("abcdefg", 0, 7, false), Some("abcdefg"));
        assert_eq!(substring("abc", 0, 4, false), None, "too short");
        assert_eq!(substring("abc", 2, 2, false), None, "empty range");
        assert_eq!(substring("abc", 2, 1, false), None, "reversed range");
        assert_eq!(substring("ab\u{e9}cdef", 0, 2, false), None, "not ASCII");
        assert_eq!(substring("\u{1F600}abcd", 0, 1, true), None, "not ASCII, even outside the range");
    }

    #[test]
    fn uri_encode_keeps_only_the_unreserved_characters() {
        assert_eq!(uri_encode("AZaz09-_.~"), "AZaz09-_.~");
        assert_eq!(
            uri_encode("/:,?#[]{}|@! $&'()*+;=%<>\"^`\\"),
            "%2F%3A%2C%3F%23%5B%5D%7B%7D%7C%40%21%20%24%26%27%28%29%2A%2B%3B%3D%25%3C%3E%22%5E%60%5C"
        );
        assert_eq!(uri_encode("\u{e9}\u{1F600}"), "%C3%A9%F0%9F%98%80");
        assert_eq!(uri_encode(""), "");
    }

    #[test]
    fn host_labels_with_and_without_sub_domains() {
        assert!(is_valid_host_label("us-east-1", false));
        assert!(is_valid_host_label("A1", false));
        assert!(is_valid_host_label("9-", false), "a label may end with a hyphen in the specification's rule");
        assert!(!is_valid_host_label("-a", false));
        assert!(!is_valid_host_label("", false));
        assert!(!is_valid_host_label("a.b", false));
        assert!(!is_valid_host_label("a_b", false));
        assert!(is_valid_host_label(&"a".repeat(63), false));
        assert!(!is_valid_host_label(&"a".repeat(64), false));
        assert!(is_valid_host_label("a.b.c", true));
        assert!(!is_valid_host_label("a..b", true));
        assert!(!is_valid_host_label("a.", true));
        assert!(!is_valid_host_label(".a", true));
        assert!(!is_valid_host_label("a.-b", true));
        assert!(!is_valid_host_label("", true));
    }

    #[test]
    fn parse_url_gives_the_specification_examples() {
        let url = |s: &str, p: &str, n: &str, ip| Url {
            scheme: s.split("://").next().unwrap().to_owned(),
            authority: s.split("://").nth(1).unwrap().split('/').next().unwrap().to_owned(),
            path: p.to_owned(),
            normalized_path: n.to_owned(),
            is_ip: ip,
        };
        assert_eq!(parse_url("https://example.com"), Some(url("https://example.com", "", "/", false)));
        assert_eq!(parse_url("https://example.com:8443?foo=bar&faz=baz"), None);
        assert_eq!(
            parse_url("http://example.com:80/foo/bar"),
            Some(url("http://example.com:80", "/foo/bar", "/foo/bar/", false))
        );
        assert_eq!(parse_url("https://127.0.0.1"), Some(url("https://127.0.0.1", "", "/", true)));
        assert_eq!(parse_url("https://[fe80::1]"), Some(url("https://[fe80::1]", "", "/", true)));
        assert_eq!(parse_url("https://[fe80::1]:443/a/"), Some(url("https://[fe80::1]:443", "/a/", "/a/", true)));
        assert_eq!(parse_url("https://example.com/path/"), Some(url("https://example.com", "/path/", "/path/", false)));
        assert_eq!(parse_url("https://example.com/#frag"), Some(url("https://example.com", "/", "/", false)));
        for bad in
            ["example.com", "://example.com", "1http://a", "https://", "https://a:b", "https://u@a", "https://a b"]
        {
            assert_eq!(parse_url(bad), None, "{bad}");
        }
    }

    #[test]
    fn ip_addresses() {
        assert!(is_ip("127.0.0.1"));
        assert!(is_ip("192.168.5.4"));
        assert!(is_ip("[::1]"));
        assert!(is_ip("999.999.999.999"), "ranges are not checked");
        assert!(!is_ip("01.2.3.4"), "leading zero");
        assert!(!is_ip("1.2.3"));
        assert!(!is_ip("1.2.3.4.5"));
        assert!(!is_ip("123.com"));
        assert!(!is_ip("1.2.3.a"));
        assert!(!is_ip("1234.2.3.4"));
    }

    #[test]
    fn split_gives_the_specification_examples() {
        let s = |v: &[&str]| v.iter().map(|p| (*p).to_owned()).collect::<Vec<_>>();
        assert_eq!(split("a--b--c", "--", 0), s(&["a", "b", "c"]));
        assert_eq!(split("a--b--c", "--", 2), s(&["a", "b--c"]));
        assert_eq!(split("a--b--c", "--", 1), s(&["a--b--c"]));
        assert_eq!(split("", "--", 0), s(&[""]));
        assert_eq!(split("--", "--", 0), s(&["", ""]));
        assert_eq!(split("----", "--", 0), s(&["", "", ""]));
        assert_eq!(split("--b--", "--", 0), s(&["", "b", ""]));
        assert_eq!(split("--x-s3--azid--suffix", "--", 0), s(&["", "x-s3", "azid", "suffix"]));
        assert_eq!(split("--x-s3--azid--suffix", "--", 2), s(&["", "x-s3--azid--suffix"]));
        assert_eq!(split("abc", "x", 0), s(&["abc"]));
        assert_eq!(split("mybucket", "--", 1), s(&["mybucket"]));
        assert_eq!(split("abc", "", 0), s(&["abc"]));
    }

    #[test]
    fn index_counts_from_either_end() {
        let a = vec!["x".to_owned(), "y".to_owned(), "z".to_owned()];
        assert_eq!(index(&a, 0), Some("x"));
        assert_eq!(index(&a, 2), Some("z"));
        assert_eq!(index(&a, 3), None);
        assert_eq!(index(&a, -1), Some("z"));
        assert_eq!(index(&a, -3), Some("x"));
        assert_eq!(index(&a, -4), None);
        assert_eq!(index(&a, i64::MIN), None);
    }

    #[test]
    fn parse_arn_gives_the_specification_examples() {
        let arn = |p: &str, s: &str, r: &str, a: &str, res: &[&str]| Arn {
            partition: p.into(),
            service: s.into(),
            region: r.into(),
            account_id: a.into(),
            resource_id: res.iter().map(|x| (*x).to_owned()).collect(),
        };
        assert_eq!(
            parse_arn("arn:aws:sns:us-west-2:012345678910:example-sns-topic-name"),
            Some(arn("aws", "sns", "us-west-2", "012345678910", &["example-sns-topic-name"]))
        );
        assert_eq!(parse_arn("11111111-2222-3333-4444-555555555555"), None);
        assert_eq!(
            parse_arn("arn:aws:ec2:us-east-1:012345678910:vpc/vpc-0e9801d129EXAMPLE"),
            Some(arn("aws", "ec2", "us-east-1", "012345678910", &["vpc", "vpc-0e9801d129EXAMPLE"]))
        );
        assert_eq!(
            parse_arn("arn:aws:iam::012345678910:user/johndoe"),
            Some(arn("aws", "iam", "", "012345678910", &["user", "johndoe"]))
        );
        assert_eq!(parse_arn("arn:aws:s3:::bucket_name"), Some(arn("aws", "s3", "", "", &["bucket_name"])));
        assert_eq!(
            parse_arn("arn:aws:kinesis:us-east-1:1:stream/s:x/"),
            Some(arn("aws", "kinesis", "us-east-1", "1", &["stream", "s", "x", ""]))
        );
        for bad in ["arn:aws:s3:::", "arn::s3:::x", "arn:aws::::x", "arn:aws:s3:x", "ARN:aws:s3:::x", "arn:"] {
            assert_eq!(parse_arn(bad), None, "{bad}");
        }
    }

    #[test]
    fn virtual_hostable_buckets() {
        assert!(is_virtual_hostable_s3_bucket("bucket-name", false));
        assert!(is_virtual_hostable_s3_bucket("abc", false));
        assert!(!is_virtual_hostable_s3_bucket("ab", false));
        assert!(!is_virtual_hostable_s3_bucket(&"a".repeat(64), false));
        assert!(!is_virtual_hostable_s3_bucket("Bucket", false), "uppercase");
        assert!(!is_virtual_hostable_s3_bucket("-bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("bucket-", false));
        assert!(!is_virtual_hostable_s3_bucket("a.b.c", false), "dots need allowSubDomains");
        assert!(is_virtual_hostable_s3_bucket("a.b.c", true));
        assert!(!is_virtual_hostable_s3_bucket("a..bc", true));
        assert!(!is_virtual_hostable_s3_bucket("ab.-c", true));
        assert!(!is_virtual_hostable_s3_bucket("ab-.c", true));
        assert!(is_virtual_hostable_s3_bucket("a-b.c", true));
        assert!(!is_virtual_hostable_s3_bucket("192.168.5.4", true), "an IP address");
        assert!(!is_virtual_hostable_s3_bucket("a_b", true));
    }
}
