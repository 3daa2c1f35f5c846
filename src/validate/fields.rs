//! The checks of single fields: ids, phone numbers, parameters against
//! their template, and the duplicate-number warnings.

use super::*;
use crate::invisible::is_invisible_control;

impl Checker<'_> {
    /// An identifier field (`TemplateId`, `SenderId`, `ExtendCode`, `UserId`).
    pub(super) fn id(
        &mut self,
        slot: Slot<String>,
        field: &str,
        path: Loc,
        required: bool,
    ) -> Option<String> {
        let s = match slot {
            Slot::Missing | Slot::Null => {
                if required {
                    self.error(&|| join(path, field), IssueCode::Required, "is required".to_string());
                }
                return None;
            }
            Slot::Wrong(got) => {
                self.wrong(&|| join(path, field), "a string", &got);
                return None;
            }
            Slot::Got(s) => s,
        };
        if s.is_empty() {
            let message =
                if required { "must not be empty" } else { "must not be empty; omit the field instead" };
            self.error(&|| join(path, field), IssueCode::Empty, message.into());
        } else if let Some(c) = s.chars().find(|&c| is_invisible_control(c)) {
            let message = format!("contains the control character {}", quoted_char(c));
            self.error(&|| join(path, field), IssueCode::ControlCharacter, message);
        } else if s.trim() != s {
            let message = "has leading or trailing whitespace".to_string();
            self.error(&|| join(path, field), IssueCode::SurroundingWhitespace, message);
        }
        Some(s)
    }

    pub(super) fn phone(&mut self, slot: Slot<String>, path: Loc) -> Option<String> {
        let raw = match slot {
            Slot::Missing | Slot::Null => {
                self.error(&|| join(path, "Phone"), IssueCode::Required, "is required".into());
                return None;
            }
            Slot::Got(s) => s,
            Slot::Wrong(got) => {
                self.wrong(&|| join(path, "Phone"), "a string such as \"(852)55311111\"", &got);
                return None;
            }
        };
        match normalize_phone(&raw) {
            Ok(phone) => Some(phone),
            Err(e) => {
                use crate::phone::PhoneError::*;
                let code = match e {
                    Empty => IssueCode::Empty,
                    InvalidCharacters(_) => IssueCode::PhoneInvalidCharacters,
                    UnknownCountryCode(_) => IssueCode::PhoneUnknownCountryCode,
                    TooShort(_) => IssueCode::PhoneTooShort,
                    TooLong(_) => IssueCode::PhoneTooLong,
                };
                let message = format!("{} {}", quoted(&raw), e.describe());
                self.error(&|| join(path, "Phone"), code, message);
                None
            }
        }
    }

    pub(super) fn params(&mut self, slot: Slot<Vec<Slot<String>>>, path: Loc) -> Option<Vec<String>> {
        let items = match slot {
            Slot::Missing | Slot::Null => return Some(Vec::new()),
            Slot::Got(items) => items,
            Slot::Wrong(got) => {
                self.wrong(&|| join(path, "TemplateParams"), "an array of strings", &got);
                return None;
            }
        };
        let given = items.len();
        // Collected in place: the read list's allocation takes the strings,
        // instead of a new list per target (an allocation and a free per
        // number, in a 100,000-number plan).
        let params: Vec<String> = items
            .into_iter()
            .enumerate()
            .filter_map(|(k, item)| {
                let at = || format!("{path}.TemplateParams[{k}]");
                match item {
                    Slot::Got(s) => match control_in_param(&s) {
                        Some(c) => {
                            let message = format!("contains the control character {}", quoted_char(c));
                            self.error(&at, IssueCode::ControlCharacter, message);
                            None
                        }
                        None => Some(s),
                    },
                    Slot::Wrong(got) if got.kind == Kind::Unreadable => {
                        self.wrong(&at, "a string", &got);
                        None
                    }
                    Slot::Wrong(got) => {
                        let message = format!(
                            "must be a string, got {} (write it as \"{}\")",
                            got.describe(),
                            got.text
                        );
                        self.error(&at, IssueCode::WrongType, message);
                        None
                    }
                    Slot::Missing | Slot::Null => {
                        self.error(&at, IssueCode::WrongType, "must be a string, got null".into());
                        None
                    }
                }
            })
            .collect();
        // A parameter is left out exactly when an issue was reported for it.
        let mut ok = params.len() == given;
        if let Some(max) = self.options.limits.max_params.filter(|max| params.len() > *max) {
            ok = false;
            let message = format!("{} parameters; this proxy accepts at most {max}", params.len());
            self.error(&|| join(path, "TemplateParams"), IssueCode::TooManyParams, message);
        }
        if let Some(max) = self.options.limits.max_param_length {
            for (k, p) in params.iter().enumerate().filter(|(_, p)| p.chars().count() > max) {
                ok = false;
                let message = format!("{} characters; this proxy accepts at most {max}", p.chars().count());
                self.error(&|| format!("{path}.TemplateParams[{k}]"), IssueCode::ParamTooLong, message);
            }
        }
        ok.then_some(params)
    }

    pub(super) fn against_template(&mut self, template_id: &str, text: &str, params: &[String], path: Loc) {
        let wanted = variable_count(text);
        if params.len() != wanted {
            let message = format!(
                "template {template_id} takes {wanted} parameter{}, got {}",
                if wanted == 1 { "" } else { "s" },
                params.len()
            );
            self.error(&|| join(path, "TemplateParams"), IssueCode::ParamsCountMismatch, message);
            return;
        }
        let characters = render(text, params).text.chars().count();
        if characters > MAX_MESSAGE_CHARS {
            let message = format!(
                "the rendered message has {characters} characters; at most {MAX_MESSAGE_CHARS} are allowed"
            );
            self.error(&|| join(path, "TemplateParams"), IssueCode::MessageTooLong, message);
        }
    }

    /// `SenderId` against the proxy's `allowSenderIds`.
    pub(super) fn sender_allowed(&mut self, sender_id: Option<&str>, path: Loc) {
        let Some(allowed) = &self.options.limits.allow_sender_ids else { return };
        // A value already refused (empty, control characters, whitespace)
        // gets one issue, not two.
        let well_formed =
            |id: &&str| !id.is_empty() && id.trim() == *id && !id.chars().any(is_invisible_control);
        let Some(id) = sender_id.filter(well_formed).filter(|id| !allowed.iter().any(|a| a == id)) else {
            return;
        };
        let message = format!("sender {} is not in the allowed list", quoted(id));
        self.error(&|| join(path, "SenderId"), IssueCode::SenderNotAllowed, message);
    }

    /// Warns about each repeat of a (TemplateId, phone) in the normalised
    /// request, in input order, pointing at the first.
    pub(super) fn warn_duplicates(&mut self, request: &SendBatchRequest) {
        let kept_at = std::mem::take(&mut self.kept_at);
        let keys = || {
            request.task_content.iter().flat_map(|task| {
                task.target.iter().map(move |t| (task.template_id.as_str(), t.phone.as_str()))
            })
        };
        let first_of = crate::order::first_occurrences(keys(), kept_at.len());
        for (((template_id, phone), dup), first) in keys().zip(&kept_at).zip(first_of) {
            let Some(orig) = first.and_then(|f| kept_at.get(f)) else {
                continue;
            };
            let message = format!("{phone} already appears for template {template_id} at {orig}");
            let path = || join(*dup, "Phone");
            if self.options.limits.reject_duplicates {
                self.errors.push(&path, IssueCode::DuplicatePhone, message);
            } else {
                self.warnings.push(&path, IssueCode::DuplicatePhone, message);
            }
        }
    }
}

/// The first control character of a parameter other than a line break:
/// line breaks are text an SMS can carry; other control characters are
/// mistakes (or attempts) and would be sent. Most parameters are printable
/// ASCII, checked a byte at a time without decoding characters (a
/// 100,000-number plan: 529M → 523M instructions).
fn control_in_param(s: &str) -> Option<char> {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return None;
    }
    s.chars().find(|c| c.is_control() && *c != '\n' && *c != '\r')
}

#[cfg(test)]
mod tests {
    use super::control_in_param;

    #[test]
    fn control_characters_in_params_are_found_and_line_breaks_are_not() {
        for ok in ["Ada", "line\nbreak\r\n", "café", "", "~ 100%"] {
            assert_eq!(control_in_param(ok), None, "{ok:?}");
        }
        let bad = [
            ("bell\u{7}", '\u{7}'),
            ("del\u{7f}", '\u{7f}'),
            ("tab\there", '\t'),
            ("café \u{9b}31m", '\u{9b}'),
        ];
        for (text, c) in bad {
            assert_eq!(control_in_param(text), Some(c), "{text:?}");
        }
    }
}
