//! Bulk sending, typed: `planBulk` (pure) and the job a sending loop drives
//! chunk by chunk (prepare, send, record), ending in a report that accounts
//! for every input target.

use crate::bulk::cost::{estimate, CostEstimate};
use crate::bulk::job::{Counts, Job};
use crate::bulk::plan::{chunk_view, plan, Plan, PlanOptions};
use crate::bulk::report::Report;
use crate::issues::Issue;
use crate::options::bulk::{bulk_options, LoopSettings};
use crate::options::Checked;
use crate::outcome::{ErrorInfo, SendResult};
use crate::prepare::Prepared;
use crate::read::{Any, RawRequest, Slot};
use crate::validate::{validate, ValidateOptions};
use serde::Serialize;

/// `planBulk`'s answer: what would be sent; nothing is.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "BulkPlan"))]
pub struct PlanSummary {
    pub targets: usize,
    pub sent: usize,
    pub duplicates_dropped: usize,
    /// Targets whose number is on the `suppress` list: never sent.
    pub suppressed: usize,
    pub chunk_count: usize,
    pub chunk_sizes: Vec<usize>,
    /// SMS parts (and, with `prices`, the cost) the plan will use.
    pub cost: CostEstimate,
    pub warnings: Vec<Issue>,
    pub warning_count: usize,
}

/// A validated, planned input, with what validation knew.
pub(crate) struct Planned {
    pub(crate) plan: Plan,
    warnings: crate::issues::IssueList,
    /// The template texts validation used (given by hand, or loaded).
    texts: crate::text::StringMap,
}

/// Whether the caller shows validation's warnings: `planBulk` does; a
/// job's report and a campaign have none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Warnings {
    Shown,
    NotShown,
}

/// Validates the whole input (no 1000 limit) and plans it.
pub(crate) fn make_plan(
    input: Slot<RawRequest>,
    checked: &Checked,
    plan_options: &PlanOptions,
    warnings: Warnings,
) -> Result<Planned, ErrorInfo> {
    let mut options = ValidateOptions {
        templates: checked.settings.templates.clone(),
        skip_duplicate_warnings: warnings == Warnings::NotShown,
        ..ValidateOptions::default()
    };
    checked.book.apply(&mut options);
    let validation = validate(input, &options);
    match validation.normalized {
        Some(request) if validation.errors.is_empty() => Ok(Planned {
            plan: plan(request, plan_options),
            warnings: validation.warnings,
            texts: options.templates,
        }),
        _ => Err(ErrorInfo::validation(validation.errors)),
    }
}

/// `planBulk`. Nothing is sent.
pub fn plan_bulk(
    input: Slot<RawRequest>,
    checked: &Checked,
    options: &Any,
) -> Result<PlanSummary, ErrorInfo> {
    let (plan_options, _) = bulk_options(options).map_err(ErrorInfo::config)?;
    let Planned { plan, warnings, texts } = make_plan(input, checked, &plan_options, Warnings::Shown)?;
    Ok(PlanSummary {
        targets: plan.targets.len() + plan.duplicates.len() + plan.suppressed.len(),
        sent: plan.targets.len(),
        duplicates_dropped: plan.duplicates.len(),
        suppressed: plan.suppressed.len(),
        chunk_count: plan.chunks.len(),
        chunk_sizes: plan.chunks.iter().map(|c| c.members.len()).collect(),
        cost: estimate(&plan, &texts, plan_options.prices.as_ref()),
        warnings: warnings.items,
        warning_count: warnings.total,
    })
}

/// A bulk job between chunks.
pub struct BulkSession {
    job: Job,
    settings: LoopSettings,
    /// The client's checked options, kept so chunks are signed without
    /// reading the options again for each of them.
    checked: Checked,
}

impl BulkSession {
    /// The job, or the error (VALIDATION, CONFIG) that prevents it.
    /// `options` as `options::bulk::bulk_options` read them.
    pub fn create(
        input: Slot<RawRequest>,
        checked: &Checked,
        options: (PlanOptions, LoopSettings),
    ) -> Result<BulkSession, ErrorInfo> {
        let (plan_options, settings) = options;
        let planned = make_plan(input, checked, &plan_options, Warnings::NotShown)?;
        Ok(BulkSession { job: Job::new(planned.plan), settings, checked: checked.clone() })
    }

    /// The checked loop settings (concurrency, rate, deadline, resendUnknown).
    pub fn settings(&self) -> LoopSettings {
        self.settings
    }

    pub fn chunk_count(&self) -> usize {
        self.job.plan().chunks.len()
    }

    /// Signs chunk `index` (or shapes it for the proxy), with the account
    /// it goes to. Nothing of the chunk is copied: the job matches
    /// uSpeedo's failure list against the plan itself ([`Job::record_result`]).
    pub fn prepare_chunk(
        &self,
        index: usize,
        timestamp_s: f64,
        nonce: &str,
    ) -> Result<(Prepared, Option<u64>), ErrorInfo> {
        let Some(chunk) = self.job.plan().chunks.get(index) else {
            return Err(ErrorInfo::config(format!("there is no chunk {index}")));
        };
        let request = chunk_view(self.job.plan(), chunk);
        crate::ops::prepare_view(&request, &self.checked, timestamp_s, nonce)
    }

    pub fn record_result(&mut self, index: usize, result: &SendResult) -> Result<(), String> {
        self.job.record_result(index, &result.response, result.request_id.as_deref())
    }

    /// Records a chunk's final error; whether the job must stop.
    pub fn record_error(&mut self, index: usize, error: &ErrorInfo) -> Result<bool, String> {
        self.job.record_error(index, error)
    }

    pub fn record_not_attempted(&mut self, index: usize, why: &str) {
        self.job.record_not_attempted(index, why)
    }

    pub fn progress(&self) -> Counts {
        self.job.counts()
    }

    /// See [`Job::chunks_in_order`].
    pub fn chunks_in_order(&self) -> bool {
        self.job.chunks_in_order()
    }

    /// See [`Job::accepted_in_chunk`].
    pub fn accepted_in_chunk(&self, index: usize) -> (usize, crate::bulk::report::Entries<'_>) {
        self.job.accepted_in_chunk(index)
    }

    pub fn report(&self, include_unknown: bool) -> Report<'_> {
        self.job.report(include_unknown)
    }
}
