//! Delivery receipts: `Data[]` of `{ SessionNo, ReceiptSet[] }`, read
//! tolerantly, each receipt with a status the caller can act on.

use super::{bad_data, ReadAction};
use crate::outcome::ErrorInfo;
use crate::read::Any;
use crate::response::{integer, list, object, text, Parsed};
use serde::Serialize;

/// Where a number's SMS stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "ReceiptStatus", rename_all = "lowercase"))]
pub enum ReceiptStatus {
    Delivered,
    Failed,
    Pending,
}

impl ReceiptStatus {
    /// `Success` → delivered; `Fail`, `SubmitFail` → failed; `Unknow`
    /// (uSpeedo's spelling) and anything else → pending.
    pub fn of(result: &str) -> ReceiptStatus {
        match result {
            "Success" => ReceiptStatus::Delivered,
            "Fail" | "SubmitFail" => ReceiptStatus::Failed,
            _ => ReceiptStatus::Pending,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Receipt {
    pub session_no: String,
    pub phone: String,
    pub user_id: String,
    /// uSpeedo's value as it came (`Success`, `Fail`, `SubmitFail`, `Unknow`).
    pub receipt_result: String,
    pub receipt_code: String,
    pub receipt_desc: String,
    /// Unix seconds, as uSpeedo gives it (0 when absent).
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub receipt_time: i64,
    /// SMS parts billed.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub cost_count: i64,
    #[serde(rename = "status")]
    pub status: ReceiptStatus,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ReceiptsResult {
    pub receipts: Vec<Receipt>,
    /// Sessions asked for that have no receipt yet (or that uSpeedo does not know).
    pub sessions_without_receipts: Vec<String>,
    /// The request id of each call made.
    pub request_ids: Vec<String>,
}

fn receipt(session_no: &str, value: &Any) -> Parsed<Receipt> {
    let r = object(value, "ReceiptSet[]")?;
    let receipt_result = text(r, "ReceiptResult")?.unwrap_or_default();
    Ok(Receipt {
        session_no: session_no.to_string(),
        phone: text(r, "Phone")?.unwrap_or_default(),
        user_id: text(r, "UserId")?.unwrap_or_default(),
        status: ReceiptStatus::of(&receipt_result),
        receipt_result,
        receipt_code: text(r, "ReceiptCode")?.unwrap_or_default(),
        receipt_desc: text(r, "ReceiptDesc")?.unwrap_or_default(),
        receipt_time: integer(r, "ReceiptTime")?.unwrap_or(0),
        cost_count: integer(r, "CostCount")?.unwrap_or(0),
    })
}

/// Adds one call's `Data` to `out`; `asked` are the SessionNos of the call.
pub fn add_page(out: &mut ReceiptsResult, data: &Any, asked: &[String]) -> Result<(), ErrorInfo> {
    let parse = || -> Parsed<Vec<(String, Vec<Receipt>)>> {
        let holder = Any::Object(vec![("Data".into(), data.clone())]);
        list(&holder, "Data")?
            .iter()
            .map(|session| {
                let s = object(session, "Data[]")?;
                let no = text(s, "SessionNo")?.unwrap_or_default();
                let receipts =
                    list(s, "ReceiptSet")?.iter().map(|r| receipt(&no, r)).collect::<Parsed<_>>()?;
                Ok((no, receipts))
            })
            .collect()
    };
    let sessions = parse().map_err(|e| bad_data(ReadAction::Receipts, e))?;
    for no in asked {
        let found: Vec<&Receipt> = sessions.iter().filter(|(n, _)| n == no).flat_map(|(_, r)| r).collect();
        if found.is_empty() {
            out.sessions_without_receipts.push(no.clone());
        }
        out.receipts.extend(found.into_iter().cloned());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_receipt_result_maps_to_a_status() {
        for (raw, status) in [
            ("Success", ReceiptStatus::Delivered),
            ("Fail", ReceiptStatus::Failed),
            ("SubmitFail", ReceiptStatus::Failed),
            ("Unknow", ReceiptStatus::Pending),
            ("", ReceiptStatus::Pending),
            ("Delivered?", ReceiptStatus::Pending),
        ] {
            assert_eq!(ReceiptStatus::of(raw), status, "{raw}");
        }
    }

    #[test]
    fn pages_are_read_tolerantly_and_only_for_what_was_asked() {
        let data = Any::from_json(
            r#"[{"SessionNo":"a","ReceiptSet":[{"Phone":"(86)1","CostCount":"2","ReceiptResult":"Success",
                "ReceiptCode":"DELIVRD","ReceiptTime":1700000000,"UserId":"u","Extra":1}]},
                {"SessionNo":"b","ReceiptSet":[]},{"SessionNo":"zzz","ReceiptSet":[{"Phone":"x"}]}]"#,
        )
        .unwrap();
        let mut out = ReceiptsResult::default();
        add_page(&mut out, &data, &["a".into(), "b".into(), "c".into()]).unwrap();
        assert_eq!(out.receipts.len(), 1);
        assert_eq!((out.receipts[0].cost_count, out.receipts[0].status), (2, ReceiptStatus::Delivered));
        assert_eq!(out.sessions_without_receipts, ["b", "c"]);
        let mut out = ReceiptsResult::default();
        assert!(add_page(&mut out, &Any::from_json(r#"[{"ReceiptSet":"x"}]"#).unwrap(), &[]).is_err());
        assert!(add_page(&mut out, &Any::from_json(r#"{"x":1}"#).unwrap(), &[]).is_err());
        assert!(add_page(&mut out, &Any::Null, &["a".into()]).is_ok());
    }
}
