//! Template variables: uSpeedo templates say `{1}`, `{2}`, ... numbered from 1.

/// One piece of a template: literal text or a variable reference.
enum Piece<'a> {
    Text(&'a str),
    Variable(usize),
}

/// Splits a template into text and `{n}` variables (n ≥ 1, at most 4 digits;
/// anything else in braces is literal text).
fn pieces(template: &str) -> impl Iterator<Item = Piece<'_>> {
    let mut rest = template;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut search_from = 0;
        while let Some(offset) = rest.get(search_from..).and_then(|r| r.find('{')) {
            let open = search_from + offset;
            let after = rest.get(open + 1..).unwrap_or("");
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            let closes = after.as_bytes().get(digits) == Some(&b'}');
            let index = after.get(..digits).and_then(|d| d.parse::<usize>().ok());
            match index {
                Some(n) if closes && n >= 1 && digits <= 4 => {
                    if open > 0 {
                        let text = rest.get(..open).unwrap_or("");
                        rest = rest.get(open..).unwrap_or("");
                        return Some(Piece::Text(text));
                    }
                    rest = after.get(digits + 1..).unwrap_or("");
                    return Some(Piece::Variable(n));
                }
                _ => search_from = open + 1,
            }
        }
        let text = rest;
        rest = "";
        Some(Piece::Text(text))
    })
}

/// How many parameters the template takes: its highest variable number.
pub fn variable_count(template: &str) -> usize {
    pieces(template)
        .filter_map(|p| match p {
            Piece::Variable(n) => Some(n),
            Piece::Text(_) => None,
        })
        .max()
        .unwrap_or(0)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub text: String,
    /// Variable numbers that had no parameter; they stay as `{n}` in `text`.
    pub missing: Vec<usize>,
}

pub fn render(template: &str, params: &[String]) -> Rendered {
    let mut text = String::with_capacity(template.len() + params.iter().map(String::len).sum::<usize>());
    let mut missing = Vec::new();
    for piece in pieces(template) {
        match piece {
            Piece::Text(t) => text.push_str(t),
            Piece::Variable(n) => match params.get(n - 1) {
                Some(value) => text.push_str(value),
                None => {
                    text.push_str(&format!("{{{n}}}"));
                    if !missing.contains(&n) {
                        missing.push(n);
                    }
                }
            },
        }
    }
    Rendered { text, missing }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn counts_variables() {
        assert_eq!(variable_count("your code is {1}"), 1);
        assert_eq!(variable_count("{2} and {1}, again {2}"), 2);
        assert_eq!(variable_count("no variables {} {0} {x} {12345}"), 0);
        assert_eq!(variable_count(""), 0);
        assert_eq!(variable_count("{{1}}"), 1);
    }

    #[test]
    fn renders_in_order_and_reports_missing() {
        let r = render("Hi {2}, code {1} {1}", &strings(&["42", "Ann"]));
        assert_eq!(r.text, "Hi Ann, code 42 42");
        assert!(r.missing.is_empty());
        let r = render("a{1}b{3}c{0}", &strings(&["x"]));
        assert_eq!(r.text, "axb{3}c{0}");
        assert_eq!(r.missing, vec![3]);
        assert_eq!(render("{1}", &strings(&["{2}"])).text, "{2}");
    }
}
