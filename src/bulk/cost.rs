//! The cost estimate of a plan, before anything is sent: the SMS parts each
//! target will use (the preview's rules on its rendered text, for the
//! templates whose text is known), per chunk, per country calling code,
//! and, with a price table, the estimated cost.

use crate::bulk::plan::Plan;
use crate::phone::calling_code_of;
use crate::preview::preview;
use crate::text::StringMap;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "BulkCost"))]
pub struct CostEstimate {
    /// SMS parts of the targets whose template text is known.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub parts: u64,
    /// Targets counted in `parts`, and those whose template text is not
    /// known (load it with `loadTemplates`, or pass `templates`).
    pub targets_with_text: usize,
    pub targets_without_text: usize,
    pub templates_without_text: Vec<String>,
    /// Parts per chunk, in chunk order.
    #[cfg_attr(feature = "typescript", ts(type = "number[]"))]
    pub chunk_parts: Vec<u64>,
    pub by_country: BTreeMap<String, CountryCost>,
    /// With `prices`: the estimated cost of the priced countries' parts.
    #[cfg_attr(feature = "typescript", ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<f64>,
    /// With `prices`: countries with targets and no price (not in `total`).
    pub unpriced: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "BulkCountryCost"))]
pub struct CountryCost {
    pub targets: usize,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub parts: u64,
    #[cfg_attr(feature = "typescript", ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price: Option<f64>,
    #[cfg_attr(feature = "typescript", ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost: Option<f64>,
}

/// Money as shown: a price times a count, without binary noise.
fn money(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// The estimate for `plan` with the template texts known to validation.
pub fn estimate(plan: &Plan, texts: &StringMap, prices: Option<&BTreeMap<String, f64>>) -> CostEstimate {
    let mut parts_of = vec![None; plan.targets.len()];
    // A key is owned only when first seen: a `String` per target for its
    // template and its country measured 4 % of a 100,000-number planBulk (an
    // allocation, a free and a tree search each). Borrowed-key trees instead
    // cost 4 KB of browser wasm (a second tree instantiation), so the trees
    // stay `String`-keyed and are looked up by `&str` first.
    let mut without: BTreeSet<String> = BTreeSet::new();
    for (slot, t) in parts_of.iter_mut().zip(&plan.targets) {
        match texts.get(&*t.template_id) {
            Some(text) => *slot = Some(preview(text, &t.target.template_params).segments as u64),
            None if !without.contains(&*t.template_id) => {
                without.insert(t.template_id.to_string());
            }
            None => {}
        }
    }
    let mut by_country: BTreeMap<String, CountryCost> = BTreeMap::new();
    for (t, parts) in plan.targets.iter().zip(&parts_of) {
        let code = calling_code_of(&t.target.phone).unwrap_or("unknown");
        let country = match by_country.get_mut(code) {
            Some(country) => country,
            None => by_country.entry(code.to_string()).or_default(),
        };
        country.targets += 1;
        country.parts += parts.unwrap_or(0);
    }
    let mut unpriced = Vec::new();
    let mut total = None;
    if let Some(prices) = prices {
        let mut sum = 0.0;
        for (code, country) in by_country.iter_mut() {
            match prices.get(code) {
                Some(price) => {
                    let cost = money(price * country.parts as f64);
                    (country.price, country.cost) = (Some(*price), Some(cost));
                    sum += cost;
                }
                None => unpriced.push(code.clone()),
            }
        }
        total = Some(money(sum));
    }
    let chunk_parts = plan
        .chunks
        .iter()
        .map(|c| c.members.iter().filter_map(|&m| parts_of.get(m).copied().flatten()).sum())
        .collect();
    let with_text = parts_of.iter().filter(|p| p.is_some()).count();
    CostEstimate {
        parts: parts_of.iter().flatten().sum(),
        targets_with_text: with_text,
        targets_without_text: plan.targets.len() - with_text,
        templates_without_text: without.into_iter().collect(),
        chunk_parts,
        by_country,
        total,
        unpriced,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::plan::{plan, PlanOptions};
    use crate::model::{SendBatchRequest, Target, Task};

    fn target(phone: &str, param: &str) -> Target {
        Target { phone: phone.into(), template_params: vec![param.into()], ..Default::default() }
    }

    #[test]
    fn parts_by_chunk_and_country_and_the_priced_total() {
        let long = "x".repeat(150); // 160 GSM-7 units with the text: 1 part; 161+: 2
        let request = SendBatchRequest {
            account_id: None,
            task_content: vec![
                Task {
                    template_id: "T".into(),
                    sender_id: None,
                    target: vec![
                        target("(852)55311111", "1"),
                        target("(86)13800138000", &long),
                        target("(852)55311112", "é"),
                    ],
                },
                Task {
                    template_id: "NOTEXT".into(),
                    sender_id: None,
                    target: vec![target("(65)81234567", "1")],
                },
            ],
        };
        let p = plan(request, &PlanOptions { chunk_size: 2, ..PlanOptions::default() });
        let texts: StringMap = [("T".to_string(), "Code {1} is yours".to_string())].into_iter().collect();
        let prices: BTreeMap<String, f64> =
            [("852".to_string(), 0.045), ("86".to_string(), 0.1)].into_iter().collect();
        let e = estimate(&p, &texts, Some(&prices));
        assert_eq!((e.parts, e.targets_with_text, e.targets_without_text), (4, 3, 1));
        assert_eq!(e.chunk_parts, vec![3, 1], "chunk 0: 1 + 2 parts; chunk 1: 1 (é is GSM-7) + unknown");
        assert_eq!(e.templates_without_text, ["NOTEXT"]);
        assert_eq!((e.by_country["852"].parts, e.by_country["852"].cost), (2, Some(0.09)));
        assert_eq!(e.by_country["86"].cost, Some(0.2));
        assert_eq!(e.total, Some(0.29));
        assert_eq!(e.unpriced, ["65"]);
        let unpriced = estimate(&p, &texts, None);
        assert_eq!((unpriced.total, unpriced.unpriced.len()), (None, 0));
    }
}
