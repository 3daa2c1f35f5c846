//! Templates as uSpeedo has them: `Data` is an array of templates or, as
//! one docs example shows, a single object.

use super::{bad_data, ReadAction};
use crate::issues::IssueCode;
use crate::outcome::ErrorInfo;
use crate::read::Any;
use crate::response::{integer, object, text, Parsed};
use crate::text::quoted;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename = "TemplateStatus", rename_all = "snake_case")
)]
pub enum TemplateStatus {
    Pending,
    InReview,
    Approved,
    Rejected,
    Disabled,
    /// A status number this package does not know.
    Unknown,
}

impl TemplateStatus {
    /// 0 pending, 1 in review, 2 approved, 3 rejected, 4 disabled.
    pub fn of(status: i64) -> TemplateStatus {
        match status {
            0 => TemplateStatus::Pending,
            1 => TemplateStatus::InReview,
            2 => TemplateStatus::Approved,
            3 => TemplateStatus::Rejected,
            4 => TemplateStatus::Disabled,
            _ => TemplateStatus::Unknown,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Template {
    pub template_id: String,
    /// The text, with `{1}`, `{2}`… for the parameters.
    pub template: String,
    pub template_name: String,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub purpose: i64,
    /// uSpeedo's number as it came.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub status: i64,
    pub remark: String,
    pub err_desc: String,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub create_time: i64,
    #[serde(rename = "status")]
    #[cfg_attr(feature = "typescript", ts(rename = "status"))]
    pub state: TemplateStatus,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct TemplatesResult {
    pub templates: Vec<Template>,
    /// Ids asked for that uSpeedo did not return.
    pub unknown: Vec<String>,
}

/// What this client learnt from uSpeedo about templates: approved texts, and
/// the ids that cannot be sent (with the issue each gets in validation).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateBook {
    texts: crate::text::StringMap,
    refused: BTreeMap<String, (IssueCode, String)>,
}

impl TemplateBook {
    /// Records an answer of `getTemplates`.
    pub fn learn(&mut self, result: &TemplatesResult) {
        for t in &result.templates {
            self.texts.remove(&t.template_id);
            self.refused.remove(&t.template_id);
            if t.state == TemplateStatus::Approved {
                self.texts.insert(t.template_id.clone(), t.template.clone());
            } else {
                let status = serde_json::to_string(&t.state).unwrap_or_default();
                let message = format!(
                    "template {} is not approved (Status {}, {status})",
                    quoted(&t.template_id),
                    t.status
                );
                self.refused.insert(t.template_id.clone(), (IssueCode::TemplateNotApproved, message));
            }
        }
        for id in &result.unknown {
            self.texts.remove(id);
            let message = format!("uSpeedo does not know the template {}", quoted(id));
            self.refused.insert(id.clone(), (IssueCode::TemplateUnknown, message));
        }
    }

    /// The book as flat text, three strings per template (`text` or the
    /// refusal's issue code, the id, the text or message): a client carries it
    /// into a fresh instance when the package gives its memory back
    /// (pkg/src/wasm.js). Flat strings cross the boundary as they are; a
    /// serde reading of the book cost the browser build 5.8 KB gzip.
    pub fn to_parts(&self) -> Vec<String> {
        let texts = self.texts.iter().map(|(id, text)| (TEXT, id, text));
        let refused = self.refused.iter().map(|(id, (code, message))| (code.as_str(), id, message));
        texts
            .chain(refused)
            .flat_map(|(kind, id, value)| [kind.to_string(), id.clone(), value.clone()])
            .collect()
    }

    /// The book `to_parts` wrote; `None` for anything it does not write.
    pub fn from_parts(parts: &[String]) -> Option<TemplateBook> {
        let mut book = TemplateBook::default();
        let mut rest = parts.chunks_exact(3);
        for part in &mut rest {
            let [kind, id, value] = part else { return None };
            if kind == TEXT {
                book.texts.insert(id.clone(), value.clone());
                continue;
            }
            let code = [IssueCode::TemplateNotApproved, IssueCode::TemplateUnknown]
                .into_iter()
                .find(|code| code.as_str() == kind)?;
            book.refused.insert(id.clone(), (code, value.clone()));
        }
        rest.remainder().is_empty().then_some(book)
    }

    /// The ids of `ids` this book knows nothing about, each once.
    pub fn missing(&self, ids: &[String]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for id in ids {
            if !self.texts.contains_key(id) && !self.refused.contains_key(id) && !out.contains(id) {
                out.push(id.clone());
            }
        }
        out
    }

    /// Every id this book knows (for a refresh).
    pub fn ids(&self) -> Vec<String> {
        self.texts.keys().chain(self.refused.keys()).cloned().collect()
    }

    /// Feeds the book into validation; texts given by hand win.
    pub fn apply(&self, options: &mut crate::validate::ValidateOptions) {
        // An approved template whose text did not come back is known, but
        // checks nothing: an empty text would demand zero parameters.
        for (id, text) in self.texts.iter().filter(|(_, text)| !text.is_empty()) {
            options.templates.entry(id.clone()).or_insert_with(|| text.clone());
        }
        for (id, refusal) in &self.refused {
            options.refused_templates.insert(id.clone(), refusal.clone());
        }
    }
}

/// `to_parts`' kind of an approved text.
const TEXT: &str = "text";

fn template(value: &Any) -> Parsed<Template> {
    let t = object(value, "Data[]")?;
    let status = integer(t, "Status")?.unwrap_or(-1);
    Ok(Template {
        template_id: text(t, "TemplateId")?.unwrap_or_default(),
        template: text(t, "Template")?.unwrap_or_default(),
        template_name: text(t, "TemplateName")?.unwrap_or_default(),
        purpose: integer(t, "Purpose")?.unwrap_or(0),
        status,
        remark: text(t, "Remark")?.unwrap_or_default(),
        err_desc: text(t, "ErrDesc")?.unwrap_or_default(),
        create_time: integer(t, "CreateTime")?.unwrap_or(0),
        state: TemplateStatus::of(status),
    })
}

/// Adds one call's `Data` to `out`; `asked` are the ids of the call.
pub fn add_page(out: &mut TemplatesResult, data: &Any, asked: &[String]) -> Result<(), ErrorInfo> {
    let found: Vec<Template> = match data {
        Any::Null => Ok(Vec::new()),
        Any::Array(items) => items.iter().map(template).collect::<Parsed<_>>(),
        single @ Any::Object(_) => template(single).map(|t| vec![t]),
        other => Err(crate::response::wrong("Data", "an array of templates", other)),
    }
    .map_err(|e| bad_data(ReadAction::Templates, e))?;
    for id in asked {
        match found.iter().find(|t| &t.template_id == id) {
            Some(t) => out.templates.push(t.clone()),
            None => out.unknown.push(id.clone()),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_and_data_may_be_one_object() {
        let states: Vec<TemplateStatus> = (-1..=5).map(TemplateStatus::of).collect();
        use TemplateStatus::*;
        assert_eq!(states, [Unknown, Pending, InReview, Approved, Rejected, Disabled, Unknown]);
        let one = Any::from_json(r#"{"TemplateId":"T1","Template":"code {1}","Status":"2"}"#).unwrap();
        let mut out = TemplatesResult::default();
        add_page(&mut out, &one, &["T1".into(), "T2".into()]).unwrap();
        assert_eq!((out.templates[0].state, out.unknown.as_slice()), (Approved, &["T2".to_string()][..]));
        assert!(add_page(&mut out, &Any::String("x".into()), &[]).is_err());
        assert!(add_page(&mut out, &Any::from_json(r#"[{"Status":{}}]"#).unwrap(), &[]).is_err());
    }

    #[test]
    fn the_book_is_carried_as_flat_parts() {
        let answer = Any::from_json(
            r#"[{"TemplateId":"OK","Template":"Code {1}","Status":2},{"TemplateId":"NO","Template":"x","Status":3}]"#,
        )
        .unwrap();
        let mut result = TemplatesResult::default();
        add_page(&mut result, &answer, &["OK".into(), "NO".into(), "GONE".into()]).unwrap();
        let mut book = TemplateBook::default();
        book.learn(&result);
        let parts = book.to_parts();
        assert_eq!(parts.len(), 9);
        assert_eq!(TemplateBook::from_parts(&parts), Some(book));
        assert_eq!(TemplateBook::from_parts(&[]), Some(TemplateBook::default()));
        let text = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(TemplateBook::from_parts(&text(&["text", "A"])), None, "not whole triples");
        assert_eq!(TemplateBook::from_parts(&text(&["WRONG_TYPE", "A", "m"])), None, "not a refusal code");
    }

    #[test]
    fn the_book_feeds_validation_and_hand_given_texts_win() {
        let answer = Any::from_json(
            r#"[{"TemplateId":"OK","Template":"Code {1}","Status":2},{"TemplateId":"NO","Template":"x","Status":3},
                {"TemplateId":"BLANK","Template":"","Status":2}]"#,
        )
        .unwrap();
        let mut result = TemplatesResult::default();
        add_page(&mut result, &answer, &["OK".into(), "NO".into(), "BLANK".into(), "GONE".into()]).unwrap();
        let mut book = TemplateBook::default();
        book.learn(&result);
        assert_eq!(book.missing(&["OK".into(), "BLANK".into(), "NEW".into(), "NEW".into()]), ["NEW"]);
        let mut options = crate::validate::ValidateOptions::single_request();
        options.templates.insert("NO".into(), "given by hand {1}".into());
        book.apply(&mut options);
        assert_eq!(options.templates["OK"], "Code {1}");
        assert_eq!(options.templates["NO"], "given by hand {1}");
        assert_eq!(options.refused_templates["GONE"].0, IssueCode::TemplateUnknown);
        assert!(
            !options.templates.contains_key("BLANK"),
            "an approved template without its text checks nothing"
        );
        let request = |id: &str| {
            format!(
                r#"{{"TaskContent":[{{"TemplateId":"{id}","Target":[{{"Phone":"+85255311111","TemplateParams":["1"]}}]}}]}}"#
            )
        };
        let check = |id: &str, options: &crate::validate::ValidateOptions| {
            let input = crate::read::from_json(&request(id));
            crate::validate::validate(input, options).errors.items.iter().map(|i| i.code).collect::<Vec<_>>()
        };
        assert_eq!(check("GONE", &options), [IssueCode::TemplateUnknown]);
        assert_eq!(check("OK", &options), Vec::<IssueCode>::new());
        assert_eq!(check("NO", &options), Vec::<IssueCode>::new(), "the hand-given text wins");
        let mut bare = crate::validate::ValidateOptions::single_request();
        book.apply(&mut bare);
        assert_eq!(check("NO", &bare), [IssueCode::TemplateNotApproved]);
    }
}
