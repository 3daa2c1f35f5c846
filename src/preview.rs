//! Message preview: the rendered text, its length and how many SMS parts it
//! takes, by uSpeedo's rules: GSM-7 text fits 160 units in one SMS and 154 per
//! part beyond that; anything else is UCS-2, 70 in one SMS and 67 per part.

use crate::template::render;
use serde::Serialize;

/// uSpeedo's documented ceiling for one rendered message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum Encoding {
    #[serde(rename = "GSM-7")]
    #[cfg_attr(feature = "typescript", ts(rename = "GSM-7"))]
    Gsm7,
    #[serde(rename = "UCS-2")]
    #[cfg_attr(feature = "typescript", ts(rename = "UCS-2"))]
    Ucs2,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Gsm7 => "GSM-7",
            Encoding::Ucs2 => "UCS-2",
        }
    }

    fn single_limit(self) -> usize {
        match self {
            Encoding::Gsm7 => 160,
            Encoding::Ucs2 => 70,
        }
    }
    fn part_limit(self) -> usize {
        match self {
            Encoding::Gsm7 => 154,
            Encoding::Ucs2 => 67,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename = "MessagePreview", rename_all = "camelCase")
)]
pub struct Preview {
    pub text: String,
    /// Characters (Unicode scalar values), the unit of the 500 limit.
    pub characters: usize,
    pub encoding: Encoding,
    /// Encoding units: GSM-7 septets (extension characters count 2) or
    /// UTF-16 code units.
    pub units: usize,
    pub segments: usize,
    /// Variables `{n}` without a parameter.
    pub missing_params: Vec<usize>,
    /// More than 500 characters, uSpeedo's limit for one message.
    pub too_long: bool,
}

/// GSM 03.38 basic character set (one septet each).
const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// GSM 03.38 extension table: escape + character, two septets each.
const GSM_EXTENSION: &str = "^{}\\[~]|€\u{c}";

/// Septets for `c` in GSM-7, or `None` if it needs UCS-2.
fn gsm_units(c: char) -> Option<usize> {
    // The common case first: ASCII letters, digits and space are all basic.
    if c.is_ascii_alphanumeric() || c == ' ' || GSM_BASIC.contains(c) {
        Some(1)
    } else if GSM_EXTENSION.contains(c) {
        Some(2)
    } else {
        None
    }
}

/// Splits `costs` into parts greedily: a character (an escape pair, a
/// surrogate pair) never straddles two parts, as real encoders do.
fn count_segments(costs: impl Iterator<Item = usize> + Clone, encoding: Encoding) -> usize {
    let total: usize = costs.clone().sum();
    if total == 0 {
        return 0;
    }
    if total <= encoding.single_limit() {
        return 1;
    }
    let (mut parts, mut used) = (1, 0);
    for cost in costs {
        if used + cost > encoding.part_limit() {
            parts += 1;
            used = 0;
        }
        used += cost;
    }
    parts
}

/// Measures a finished text.
pub fn measure(text: &str) -> (Encoding, usize, usize) {
    let gsm = text.chars().all(|c| gsm_units(c).is_some());
    if gsm {
        let costs = text.chars().map(|c| gsm_units(c).unwrap_or(1));
        let units = costs.clone().sum();
        (Encoding::Gsm7, units, count_segments(costs, Encoding::Gsm7))
    } else {
        let costs = text.chars().map(char::len_utf16);
        let units = costs.clone().sum();
        (Encoding::Ucs2, units, count_segments(costs, Encoding::Ucs2))
    }
}

/// Renders `template` with `params` and measures the result.
pub fn preview(template: &str, params: &[String]) -> Preview {
    let rendered = render(template, params);
    let (encoding, units, segments) = measure(&rendered.text);
    let characters = rendered.text.chars().count();
    Preview {
        characters,
        encoding,
        units,
        segments,
        missing_params: rendered.missing,
        too_long: characters > MAX_MESSAGE_CHARS,
        text: rendered.text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(n: usize, c: char) -> String {
        std::iter::repeat(c).take(n).collect()
    }

    #[test]
    fn gsm7_boundaries() {
        assert_eq!(measure(""), (Encoding::Gsm7, 0, 0));
        assert_eq!(measure(&text(160, 'a')), (Encoding::Gsm7, 160, 1));
        assert_eq!(measure(&text(161, 'a')), (Encoding::Gsm7, 161, 2));
        assert_eq!(measure(&text(308, 'a')), (Encoding::Gsm7, 308, 2));
        assert_eq!(measure(&text(309, 'a')), (Encoding::Gsm7, 309, 3));
    }

    #[test]
    fn extension_characters_count_double_and_never_split() {
        assert_eq!(measure(&text(80, '€')), (Encoding::Gsm7, 160, 1));
        assert_eq!(measure("{}"), (Encoding::Gsm7, 4, 1));
        // 153 plain + one '€' (2 units) does not fit the 154-unit first part.
        let s = format!("{}€{}", text(153, 'a'), text(10, 'a'));
        assert_eq!(measure(&s), (Encoding::Gsm7, 165, 2));
        let s = format!("{}€{}", text(153, 'a'), text(154, 'a'));
        assert_eq!(measure(&s), (Encoding::Gsm7, 309, 3));
    }

    #[test]
    fn ucs2_boundaries_and_surrogates() {
        assert_eq!(measure(&text(70, '中')), (Encoding::Ucs2, 70, 1));
        assert_eq!(measure(&text(71, '中')), (Encoding::Ucs2, 71, 2));
        assert_eq!(measure(&text(134, '中')), (Encoding::Ucs2, 134, 2));
        assert_eq!(measure(&text(135, '中')), (Encoding::Ucs2, 135, 3));
        assert_eq!(measure(&text(35, '😀')), (Encoding::Ucs2, 70, 1));
        // 33 emoji = 66 units; the 34th would split a surrogate pair.
        assert_eq!(measure(&text(36, '😀')), (Encoding::Ucs2, 72, 2));
        assert_eq!(measure("aé"), (Encoding::Gsm7, 2, 1));
        assert_eq!(measure("aá"), (Encoding::Ucs2, 2, 1));
    }

    #[test]
    fn preview_renders_and_flags() {
        let p = preview("Code {1} for {2}", &["1234".to_string()]);
        assert_eq!(p.text, "Code 1234 for {2}");
        assert_eq!(p.missing_params, vec![2]);
        assert_eq!(p.characters, 17);
        assert!(!p.too_long);
        let p = preview("{1}", &[text(501, 'a')]);
        assert!(p.too_long);
        assert_eq!(p.segments, 4);
    }
}
