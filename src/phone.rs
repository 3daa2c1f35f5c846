//! Phone numbers into the form uSpeedo documents: `(CC)national`, e.g.
//! `(852)55311111`. Plain digit strings without a country code pass through
//! (the API accepts them); everything else is checked against the ITU table.

use crate::calling_codes::{is_calling_code, split_calling_code};
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

/// Digits of `s` with separators removed; any other character is an error.
fn digits_only(s: &str) -> Result<String, PhoneError> {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_digit() {
            out.push(c);
        } else if !is_separator(c) {
            return Err(PhoneError::InvalidCharacters(c));
        }
    }
    Ok(out)
}

fn check_lengths(code: &str, national: &str) -> Result<(), PhoneError> {
    let total = code.len() + national.len();
    if total > MAX_DIGITS {
        return Err(PhoneError::TooLong(total));
    }
    if national.len() < MIN_NATIONAL_DIGITS {
        return Err(PhoneError::TooShort(national.len()));
    }
    Ok(())
}

fn with_code(code: &str, national: &str) -> Result<String, PhoneError> {
    check_lengths(code, national)?;
    // Pushed, not `format!`ed: once per number, and the formatting
    // machinery is most of the cost in wasm.
    let mut out = String::with_capacity(code.len() + national.len() + 2);
    out.push('(');
    out.push_str(code);
    out.push(')');
    out.push_str(national);
    Ok(out)
}

/// The country calling code of a normalised number (`(852)55311111` →
/// `852`); none for plain digits passed through without one.
pub fn calling_code_of(normalized: &str) -> Option<&str> {
    normalized.strip_prefix('(').and_then(|p| p.split_once(')')).map(|(code, _)| code)
}

/// Normalises one phone number; see the module comment for the forms.
pub fn normalize_phone(input: &str) -> Result<String, PhoneError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(PhoneError::Empty);
    }
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
        let national = digits_only(after.get(1..).unwrap_or(""))?;
        return with_code(code, &national);
    }
    // `+CC...` or `00CC...` (the international prefix, after any separators:
    // `-0044 ...` must read as `0044 ...`, or the output would change when
    // normalised again). Plain digits never start with 00 afterwards.
    let (plus, rest) = match s.trim_start_matches(is_separator).strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let digits = digits_only(rest)?;
    let international = if plus { Some(digits.as_str()) } else { digits.strip_prefix("00") };
    match international {
        Some(digits) => {
            if digits.is_empty() {
                return Err(PhoneError::TooShort(0));
            }
            if digits.len() > MAX_DIGITS {
                return Err(PhoneError::TooLong(digits.len()));
            }
            let (code, national) = split_calling_code(digits)
                .ok_or_else(|| PhoneError::UnknownCountryCode(digits.chars().take(3).collect()))?;
            with_code(code, national)
        }
        None => {
            // No country code: the API accepts plain digits as they are.
            check_lengths("", &digits)?;
            Ok(digits)
        }
    }
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
