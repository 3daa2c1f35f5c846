//! Phone numbers into the form uSpeedo documents: `(CC)national`, e.g.
//! `(852)55311111`. Plain digit strings without a country code pass through
//! (the API accepts them); everything else is checked against the ITU table.

use crate::calling_codes::{calling_code_len, is_calling_code};
use crate::text::quoted_char;

/// E.164 allows at most 15 digits, country code included.
pub const MAX_DIGITS: usize = 15;
/// The shortest national numbers in use (e.g. Niue, Saint Helena) have 4.
pub const MIN_NATIONAL_DIGITS: usize = 4;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhoneError {
    Empty,
    /// A character that is neither a digit nor one of `+ ( ) - .` and space.
    InvalidCharacters(char),
    UnknownCountryCode(String),
    TooShort(usize),
    TooLong(usize),
}

impl PhoneError {
    pub fn describe(&self) -> String {
        match self {
            PhoneError::Empty => "is empty".into(),
            PhoneError::InvalidCharacters(c) => format!(
                "contains {}; a phone number may hold digits, a leading + or 00, \
                 brackets around the country code, spaces, dashes and dots",
                quoted_char(*c)
            ),
            PhoneError::UnknownCountryCode(code) => {
                format!("starts with unknown country calling code {code}")
            }
            PhoneError::TooShort(n) => {
                format!("has {n} digits in its national part; at least {MIN_NATIONAL_DIGITS} are needed")
            }
            PhoneError::TooLong(n) => {
                format!("has {n} digits; E.164 allows at most {MAX_DIGITS} with the country code")
            }
        }
    }
}

fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '.' | '(' | ')' | '\t')
}

/// Appends the digits of `s` to `out`, skipping separators; any other
/// character is an error.
fn push_digits(out: &mut String, s: &str) -> Result<(), PhoneError> {
    for (i, b) in s.bytes().enumerate() {
        if b.is_ascii_digit() {
            out.push(char::from(b));
        } else if !is_separator(char::from(b)) {
            // Every byte before this one is ASCII, so a character starts here.
            let c = s.get(i..).and_then(|rest| rest.chars().next()).unwrap_or(char::from(b));
            return Err(PhoneError::InvalidCharacters(c));
        }
    }
    Ok(())
}

fn check_lengths(code_len: usize, national_len: usize) -> Result<(), PhoneError> {
    let total = code_len + national_len;
    if total > MAX_DIGITS {
        return Err(PhoneError::TooLong(total));
    }
    if national_len < MIN_NATIONAL_DIGITS {
        return Err(PhoneError::TooShort(national_len));
    }
    Ok(())
}

/// The country calling code of a normalised number (`(852)55311111` →
/// `852`); none for plain digits passed through without one.
pub fn calling_code_of(normalized: &str) -> Option<&str> {
    normalized.strip_prefix('(').and_then(|p| p.split_once(')')).map(|(code, _)| code)
}

/// Normalises one phone number; see the module comment for the forms.
///
/// The digits are written straight into the String that is returned: one
/// allocation per number, where a String of digits and then one of
/// `(code)national` made two (a 100,000-number `sendBulk` allocates for
/// each of its numbers several times before its first request).
pub fn normalize_phone(input: &str) -> Result<String, PhoneError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(PhoneError::Empty);
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('(');
    if let Some(rest) = s.strip_prefix('(') {
        // `(852)5531 1111` or `(+852) 5531 1111`: the code is given explicitly.
        let close = rest.find(')').ok_or(PhoneError::InvalidCharacters('('))?;
        let (inside, after) = rest.split_at(close);
        // `(852)`, `(+852)` and `(00852)` all name the code.
        let code = inside.trim().trim_start_matches('+');
        let code = if code.len() > 3 { code.strip_prefix("00").unwrap_or(code) } else { code };
        if let Some(c) = code.chars().find(|c| !c.is_ascii_digit()) {
            return Err(PhoneError::InvalidCharacters(c));
        }
        if !is_calling_code(code) {
            return Err(PhoneError::UnknownCountryCode(code.to_string()));
        }
        out.push_str(code);
        out.push(')');
        push_digits(&mut out, after.get(1..).unwrap_or(""))?;
        check_lengths(code.len(), out.len() - code.len() - 2)?;
        return Ok(out);
    }
    // `+CC...` or `00CC...` (the international prefix, after any separators:
    // `-0044 ...` must read as `0044 ...`, or the output would change when
    // normalised again). Plain digits never start with 00 afterwards.
    let (plus, rest) = match s.trim_start_matches(is_separator).strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    // The digits follow the `(`, which stays if they start with a code.
    push_digits(&mut out, rest)?;
    if !plus {
        if out.get(1..3) == Some("00") {
            // `remove`, not `replace_range`: +0.5 KB gzip in the browser build.
            out.remove(1);
            out.remove(1);
        } else {
            // No country code: the API accepts plain digits as they are.
            out.remove(0);
            check_lengths(0, out.len())?;
            return Ok(out);
        }
    }
    let digits = out.get(1..).unwrap_or("");
    if digits.is_empty() {
        return Err(PhoneError::TooShort(0));
    }
    if digits.len() > MAX_DIGITS {
        return Err(PhoneError::TooLong(digits.len()));
    }
    let code_len = calling_code_len(digits)
        .ok_or_else(|| PhoneError::UnknownCountryCode(digits.chars().take(3).collect()))?;
    check_lengths(code_len, digits.len() - code_len)?;
    out.insert(1 + code_len, ')');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_forms() {
        let cases = [
            ("(852)55311111", "(852)55311111"),
            ("+852 5531 1111", "(852)55311111"),
            ("+85255311111", "(852)55311111"),
            ("00852-5531-1111", "(852)55311111"),
            ("(86)13812345678", "(86)13812345678"),
            ("+86 138.1234.5678", "(86)13812345678"),
            ("(1)4155550100", "(1)4155550100"),
            ("+1 (415) 555-0100", "(1)4155550100"),
            ("+44 7911 123456", "(44)7911123456"),
            ("+7 912 345-67-89", "(7)9123456789"),
            ("+55 21 2345 6780", "(55)2123456780"),
            ("+234 803 123 4567", "(234)8031234567"),
            ("+683 4002", "(683)4002"),
            ("(+33) 6 12 34 56 78", "(33)612345678"),
            ("(00852)5531 1111", "(852)55311111"),
            ("  +49 151 23456789 ", "(49)15123456789"),
            ("55212345780", "55212345780"),
            ("1111", "1111"),
            ("555-0100", "5550100"),
        ];
        for (input, want) in cases {
            assert_eq!(normalize_phone(input).as_deref(), Ok(want), "{input}");
        }
    }

    #[test]
    fn rejected_forms() {
        use PhoneError::*;
        let cases = [
            ("", Empty),
            ("   ", Empty),
            ("+1 415 CALL NOW", InvalidCharacters('C')),
            ("+852 5531_1111", InvalidCharacters('_')),
            ("852+55311111", InvalidCharacters('+')),
            ("(852 55311111", InvalidCharacters('(')),
            ("(0)55311111", UnknownCountryCode("0".into())),
            ("(259)1234567", UnknownCountryCode("259".into())),
            ("+2591234567", UnknownCountryCode("259".into())),
            ("+0123456", UnknownCountryCode("012".into())),
            ("+852 123", TooShort(3)),
            ("123", TooShort(3)),
            ("+", TooShort(0)),
            ("+ - ", TooShort(0)),
            ("+86 13812345678901", TooLong(16)),
            ("(86)13812345678901", TooLong(16)),
            ("1234567890123456", TooLong(16)),
        ];
        for (input, want) in cases {
            assert_eq!(normalize_phone(input), Err(want), "{input}");
        }
    }

    #[test]
    fn normalised_output_is_a_fixed_point() {
        for input in [
            "+852 5531 1111",
            "0044 7911 123456",
            "5550100",
            " )001234",
            "-0044 7911 123456",
            ".00852 5531 1111",
        ] {
            if let Ok(once) = normalize_phone(input) {
                assert_eq!(normalize_phone(&once), Ok(once.clone()), "{input}");
            }
        }
    }
}
