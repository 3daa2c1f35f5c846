//! "Did you mean ...?" for misspelt field and option names.

/// The known name closest to `key`: the same ignoring case, or within two
/// edits (optimal string alignment: a swapped pair counts once).
pub fn nearest<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    if let Some(k) = known.iter().find(|k| k.eq_ignore_ascii_case(key)) {
        return Some(k);
    }
    let lower = key.to_ascii_lowercase();
    known
        .iter()
        .map(|k| (strsim::osa_distance(&lower, &k.to_ascii_lowercase()), *k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// `" (did you mean X?)"` for the nearest known name, or nothing.
pub fn did_you_mean(key: &str, known: &[&str]) -> String {
    nearest(key, known).map(|k| format!(" (did you mean {k}?)")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::nearest;

    #[test]
    fn suggests_by_case_and_by_edits() {
        let known = ["Phone", "TemplateParams", "SenderId", "ExtendCode", "UserId"];
        assert_eq!(nearest("phone", &known), Some("Phone"));
        assert_eq!(nearest("TemplateParam", &known), Some("TemplateParams"));
        assert_eq!(nearest("SenderID", &known), Some("SenderId"));
        assert_eq!(nearest("Phnoe", &known), Some("Phone"));
        assert_eq!(nearest("Colour", &known), None);
        assert_eq!(nearest("Targets", &["TemplateId", "SenderId", "Target"]), Some("Target"));
    }
}
