//! One bulk job on the bench's 100,000-number request, natively, for
//! counting instructions: `tests/bench/instructions.sh` runs it under
//! callgrind with 1 and 3 jobs and prints the difference per job. Counts
//! are repeatable whatever else the machine is doing, which timings on a
//! shared 2-core machine are not (the bulk ratio moved 1.33–1.84× between
//! runs of one build).
//!
//! `cargo run --release --example bulk_instructions -- JOBS [plan|send]`:
//! `plan` reads, validates and plans; `send` also signs every chunk.

use uspeedo_sms::bulk::session::BulkSession;
use uspeedo_sms::options::bulk::bulk_options;
use uspeedo_sms::options::client::check_options;
use uspeedo_sms::read::{from_exact_json, Any, RawRequest};

/// The i-th phone number, spelt as `tests/bench/lib/fixtures.mjs` spells it.
fn phone_at(i: usize) -> String {
    let (p8, p7) = (format!("{i:08}"), format!("{i:07}"));
    let (a8, b8) = p8.split_at(4);
    let (a7, b7) = p7.split_at(3);
    match i % 5 {
        0 => format!("+86 139 {a8} {b8}"),
        1 => format!("(852)5{p7}"),
        2 => format!("0044 7911 {i:06}"),
        3 => format!("+1 (415) {a7}-{b7}"),
        _ => format!("+55 21 {p8}"),
    }
}

/// The bench's request: 10 tasks of 10,000 numbers, two parameters each.
fn request_json() -> Vec<u8> {
    let tasks: Vec<serde_json::Value> = (0..10)
        .map(|t| {
            let targets: Vec<serde_json::Value> = (0..10_000)
                .map(|k| {
                    let i = t * 10_000 + k;
                    let params = [format!("{:06}", i % 1_000_000), "nickname".to_string()];
                    serde_json::json!({ "Phone": phone_at(i), "TemplateParams": params })
                })
                .collect();
            let id = format!("UTA2233108MUY{t:03}");
            serde_json::json!({ "TemplateId": id, "SenderId": "uSpeedo", "Target": targets })
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({ "TaskContent": tasks })).unwrap_or_default()
}

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let jobs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let send = args.next().as_deref() == Some("send");
    let text = request_json();
    let keys = r#"{"publicKey":"pk_bench_0001","privateKey":"sk_bench_7f3a9c0d5e21b4a8"}"#;
    let keys: Any = serde_json::from_str(keys).map_err(|e| e.to_string())?;
    let checked = check_options(&keys)?;
    let mut bodies = 0;
    for _ in 0..jobs {
        let input = from_exact_json::<RawRequest>(&text).ok_or("the request is not exact JSON")?;
        let session =
            BulkSession::create(input, &checked, bulk_options(&Any::Null)?).map_err(|e| e.message)?;
        if send {
            for chunk in 0..session.chunk_count() {
                let (prepared, _) = session
                    .prepare_chunk(chunk, 1_700_000_000.0, "0123456789abcdef0123456789abcdef")
                    .map_err(|e| e.message)?;
                bodies += prepared.body.len();
            }
        }
        bodies += session.chunk_count();
    }
    // Printed so that nothing above is optimised away.
    println!("{bodies}");
    Ok(())
}
