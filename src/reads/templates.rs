//! Templates as uSpeedo has them: `Data` is an array of templates or, as
//! one docs example shows, a single object.

use super::{bad_data, ReadAction};
use crate::outcome::ErrorInfo;
use crate::read::Any;
use crate::response::{integer, object, text, Parsed};
use serde::Serialize;

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
}
