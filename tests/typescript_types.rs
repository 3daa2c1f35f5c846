//! `pkg/types/wire.d.ts` is generated from the Rust types, so the request and
//! response types users see in TypeScript are the ones the core reads and
//! writes. Run `UPDATE_TYPES=1 cargo test --features typescript --test
//! typescript_types` after changing a type; CI fails when the file is stale.
#![cfg(feature = "typescript")]

use ts_rs::{Config, TS};
use uspeedo_sms::bulk::{
    cost::{CostEstimate, CountryCost},
    job::{ChunkError, Counts},
    report::{ChunkReport, Duplicate, Entry, Report, Suppressed, Totals},
    session::PlanSummary,
};
use uspeedo_sms::error_info::ErrorInfo;
use uspeedo_sms::issues::{Issue, IssueCode};
use uspeedo_sms::model::{FailedTarget, FailedTask, SendBatchRequest, SendBatchResponse, Target, Task};
use uspeedo_sms::ops::ValidationReport;
use uspeedo_sms::options::ClientSettings;
use uspeedo_sms::outcome::SendResult;
use uspeedo_sms::outcome::{Delivery, ErrorCode};
use uspeedo_sms::prepare::Prepared;
use uspeedo_sms::preview::{Encoding, Preview};
use uspeedo_sms::reads::delivery::{
    DeliveryReport, DeliveryStatus, Entry as DeliveryEntry, Totals as DeliveryTotals,
};
use uspeedo_sms::reads::{
    receipts::{Receipt, ReceiptStatus, ReceiptsResult},
    templates::{Template, TemplateStatus, TemplatesResult},
};
use uspeedo_sms::resend::FailedNumber;

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/pkg/types/wire.d.ts");

fn generate() -> String {
    let cfg = Config::default();
    let decls = [
        SendBatchRequest::decl(&cfg),
        Task::decl(&cfg),
        Target::decl(&cfg),
        SendBatchResponse::decl(&cfg),
        FailedTask::decl(&cfg),
        FailedTarget::decl(&cfg),
        FailedNumber::decl(&cfg),
        Issue::decl(&cfg),
        IssueCode::decl(&cfg),
        Preview::decl(&cfg),
        Encoding::decl(&cfg),
        ErrorCode::decl(&cfg),
        Delivery::decl(&cfg),
        Prepared::decl(&cfg),
        SendResult::decl(&cfg),
        ValidationReport::decl(&cfg),
        ClientSettings::decl(&cfg),
        ErrorInfo::decl(&cfg),
        PlanSummary::decl(&cfg),
        Counts::decl(&cfg),
        Report::decl(&cfg),
        Totals::decl(&cfg),
        Entry::decl(&cfg),
        Duplicate::decl(&cfg),
        Suppressed::decl(&cfg),
        CostEstimate::decl(&cfg),
        CountryCost::decl(&cfg),
        ChunkReport::decl(&cfg),
        ChunkError::decl(&cfg),
        ReceiptsResult::decl(&cfg),
        Receipt::decl(&cfg),
        ReceiptStatus::decl(&cfg),
        TemplatesResult::decl(&cfg),
        Template::decl(&cfg),
        TemplateStatus::decl(&cfg),
        DeliveryReport::decl(&cfg),
        DeliveryEntry::decl(&cfg),
        DeliveryTotals::decl(&cfg),
        DeliveryStatus::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by tests/typescript_types.rs (ts-rs). Do not edit:\n\
         // run `UPDATE_TYPES=1 cargo test --features typescript --test typescript_types`.\n\n",
    );
    for decl in decls {
        out.push_str("export ");
        out.push_str(&decl);
        out.push_str("\n\n");
    }
    out.trim_end().to_string() + "\n"
}

#[test]
fn wire_types_are_current() {
    let fresh = generate();
    if std::env::var_os("UPDATE_TYPES").is_some() {
        std::fs::write(PATH, &fresh).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(PATH).unwrap_or_default();
    assert!(committed == fresh, "pkg/types/wire.d.ts is stale; regenerate it (see the top of this file)");
}
