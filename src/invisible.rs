//! Characters that reorder or hide text, refused in ids.

/// Unicode's format characters (General_Category Cf, Unicode 15.1: bidi
/// controls and marks, zero-width characters, invisible operators, tags)
/// and the line and paragraph separators: they reorder or hide text, and
/// none belongs in an id.
const INVISIBLE: &[(char, char)] = &[
    ('\u{00ad}', '\u{00ad}'),
    ('\u{0600}', '\u{0605}'),
    ('\u{061c}', '\u{061c}'),
    ('\u{06dd}', '\u{06dd}'),
    ('\u{070f}', '\u{070f}'),
    ('\u{0890}', '\u{0891}'),
    ('\u{08e2}', '\u{08e2}'),
    ('\u{180e}', '\u{180e}'),
    ('\u{200b}', '\u{200f}'),
    ('\u{2028}', '\u{202e}'),
    ('\u{2060}', '\u{2064}'),
    ('\u{2066}', '\u{206f}'),
    ('\u{feff}', '\u{feff}'),
    ('\u{fff9}', '\u{fffb}'),
    ('\u{110bd}', '\u{110bd}'),
    ('\u{110cd}', '\u{110cd}'),
    ('\u{13430}', '\u{1343f}'),
    ('\u{1bca0}', '\u{1bca3}'),
    ('\u{1d173}', '\u{1d17a}'),
    ('\u{e0001}', '\u{e0001}'),
    ('\u{e0020}', '\u{e007f}'),
];

/// Control characters and the invisible format characters above.
pub fn is_invisible_control(c: char) -> bool {
    c.is_control() || INVISIBLE.iter().any(|&(lo, hi)| (lo..=hi).contains(&c))
}

#[cfg(test)]
mod tests {
    use super::is_invisible_control;

    #[test]
    fn every_format_character_is_refused_and_ordinary_text_is_not() {
        for c in [
            '\u{00ad}',
            '\u{061c}',
            '\u{180e}',
            '\u{200b}',
            '\u{200d}',
            '\u{200e}',
            '\u{200f}',
            '\u{202a}',
            '\u{202e}',
            '\u{2028}',
            '\u{2060}',
            '\u{2066}',
            '\u{2069}',
            '\u{feff}',
            '\u{e0041}',
            '\u{0007}',
        ] {
            assert!(is_invisible_control(c), "U+{:04X} must be refused", c as u32);
        }
        for c in ['a', 'Z', '0', '-', '_', ' ', '验', 'ü', '\u{0627}', '\u{05d0}', '😀'] {
            assert!(!is_invisible_control(c), "U+{:04X} is ordinary text", c as u32);
        }
    }
}
