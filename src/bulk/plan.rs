//! Bulk planning: any number of targets, split into requests of at most
//! `chunk_size` numbers. Large tasks are split, small ones packed together
//! (several templates may share a request, as the API allows); every target
//! keeps its own fields and its place in the input.

use crate::model::{RequestView, SendBatchRequest, Target, Task, TaskView, MAX_TARGETS_PER_REQUEST};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

/// Where a target was in the caller's input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub task: usize,
    pub target: usize,
}

impl Position {
    pub fn path(self) -> String {
        self.to_string()
    }
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        // Piece by piece: a report writes 100,000 of these, and `write!`
        // parses its format arguments each time (`core::fmt::write` was
        // 6 % of a 100,000-number sendBulk to a canned fetch).
        f.write_str("TaskContent[")?;
        std::fmt::Display::fmt(&self.task, f)?;
        f.write_str("].Target[")?;
        std::fmt::Display::fmt(&self.target, f)?;
        f.write_str("]")
    }
}

/// A position written as its path (`TaskContent[0].Target[3]`) when
/// serialised, without a `String` per report entry (100,000 of them
/// measured 4 MB of a report's peak wasm memory): put together on the stack
/// with itoa and handed over as one `str`. Through `collect_str` each piece
/// went through the formatter and serde_json's escaper on its own.
impl serde::Serialize for Position {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // 12 + 20 + 9 + 20 + 1 bytes at most (two u64 in decimal).
        let mut out = [0u8; 64];
        let mut len = 0;
        let (mut task, mut target) = (itoa::Buffer::new(), itoa::Buffer::new());
        let pieces = ["TaskContent[", task.format(self.task), "].Target[", target.format(self.target), "]"];
        for piece in pieces {
            if let Some(slot) = out.get_mut(len..len + piece.len()) {
                slot.copy_from_slice(piece.as_bytes());
                len += piece.len();
            }
        }
        serializer.serialize_str(std::str::from_utf8(out.get(..len).unwrap_or_default()).unwrap_or_default())
    }
}

/// One input target, flattened, with where it came from. The task's
/// TemplateId and SenderId are shared by its targets, not copied into each
/// (100,000 copies measured 4 MB of a plan's peak wasm memory).
#[derive(Debug, Clone)]
pub struct PlannedTarget {
    pub at: Position,
    pub template_id: Rc<str>,
    pub sender_id: Option<Rc<str>>,
    pub target: Target,
}

/// One request's worth of targets: indices into [`Plan::targets`].
#[derive(Debug, Clone)]
pub struct Chunk {
    pub index: usize,
    pub members: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub account_id: Option<u64>,
    /// The targets that will be sent, in input order.
    pub targets: Vec<PlannedTarget>,
    pub chunks: Vec<Chunk>,
    /// Targets dropped as repeats: (position, position of the kept one).
    pub duplicates: Vec<(Position, Position)>,
    /// Targets whose number is on the suppression list: never sent.
    pub suppressed: Vec<PlannedTarget>,
}

#[derive(Debug, Clone)]
pub struct PlanOptions {
    pub chunk_size: usize,
    /// Drop repeated (TemplateId, phone, params) targets.
    pub dedupe: bool,
    /// Numbers never to text, normalised as targets are.
    pub suppress: BTreeSet<String>,
    /// Price per SMS part by country calling code, for the cost estimate.
    pub prices: Option<BTreeMap<String, f64>>,
}

impl Default for PlanOptions {
    fn default() -> Self {
        PlanOptions {
            chunk_size: MAX_TARGETS_PER_REQUEST,
            dedupe: false,
            suppress: BTreeSet::new(),
            prices: None,
        }
    }
}

/// Plans an already validated (normalised) request.
/// Takes the request: its targets move into the plan instead of being
/// copied (a second copy of 100,000 targets was most of a plan's peak memory).
pub fn plan(request: SendBatchRequest, options: &PlanOptions) -> Plan {
    let chunk_size = options.chunk_size.clamp(1, MAX_TARGETS_PER_REQUEST);
    let account_id = request.account_id;
    let mut targets: Vec<PlannedTarget> = Vec::with_capacity(request.target_count());
    let mut suppressed = Vec::new();
    for (i, task) in request.task_content.into_iter().enumerate() {
        let template_id: Rc<str> = task.template_id.into();
        let sender_id: Option<Rc<str>> = task.sender_id.map(Into::into);
        for (j, target) in task.target.into_iter().enumerate() {
            // Sorted out here, before repeats are looked for (a suppressed
            // number is never sent, whichever of its lines would be kept),
            // and without a second list of every target at the peak.
            let into = if options.suppress.contains(&target.phone) { &mut suppressed } else { &mut targets };
            into.push(PlannedTarget {
                at: Position { task: i, target: j },
                template_id: Rc::clone(&template_id),
                sender_id: sender_id.clone(),
                target,
            });
        }
    }
    let duplicates = if options.dedupe { drop_repeats(&mut targets) } else { Vec::new() };
    let chunks = (0..targets.len())
        .collect::<Vec<_>>()
        .chunks(chunk_size)
        .enumerate()
        .map(|(index, members)| Chunk { index, members: members.to_vec() })
        .collect();
    Plan { account_id, targets, chunks, duplicates, suppressed }
}

/// Removes repeats of (TemplateId, phone, params), keeping the first.
fn drop_repeats(targets: &mut Vec<PlannedTarget>) -> Vec<(Position, Position)> {
    fn key(t: &PlannedTarget) -> (&str, &String, &Vec<String>) {
        (&t.template_id, &t.target.phone, &t.target.template_params)
    }
    // kept_as[i] = Some(k): target i repeats target k (the first of its kind).
    let kept_as = crate::order::first_occurrences(targets.iter().map(key), targets.len());
    // In input order, like everything else in the report.
    let duplicates = kept_as
        .iter()
        .enumerate()
        .filter_map(|(i, k)| Some((targets.get(i)?.at, targets.get((*k)?)?.at)))
        .collect();
    let mut flags = kept_as.into_iter();
    targets.retain(|_| flags.next().flatten().is_none());
    duplicates
}

/// Targets (in input order) grouped back into tasks, borrowed:
/// consecutive targets of the same input task share one task entry, with
/// its TemplateId and SenderId.
pub fn group_into_views<'a>(targets: impl Iterator<Item = &'a PlannedTarget>) -> Vec<TaskView<'a>> {
    let mut tasks: Vec<TaskView<'a>> = Vec::new();
    let mut last_task: Option<usize> = None;
    for t in targets {
        match tasks.last_mut() {
            Some(task) if last_task == Some(t.at.task) => task.target.push(&t.target),
            _ => tasks.push(TaskView {
                template_id: &t.template_id,
                sender_id: t.sender_id.as_deref(),
                target: vec![&t.target],
            }),
        }
        last_task = Some(t.at.task);
    }
    tasks
}

/// The same grouping as [`group_into_views`], as owned tasks.
pub fn group_into_tasks<'a>(targets: impl Iterator<Item = &'a PlannedTarget>) -> Vec<Task> {
    group_into_views(targets).iter().map(TaskView::to_task).collect()
}

/// The request for one chunk.
pub fn chunk_request(plan: &Plan, chunk: &Chunk) -> SendBatchRequest {
    let tasks = group_into_tasks(chunk.members.iter().filter_map(|&i| plan.targets.get(i)));
    SendBatchRequest { account_id: plan.account_id, task_content: tasks }
}

/// The request for one chunk as a view over the plan's targets: what is
/// serialised and signed, with nothing copied.
pub fn chunk_view<'a>(plan: &'a Plan, chunk: &Chunk) -> RequestView<'a> {
    let tasks = group_into_views(chunk.members.iter().filter_map(|&i| plan.targets.get(i)));
    RequestView { account_id: plan.account_id, task_content: tasks }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_is_written_as_its_path() {
        for (task, target) in [(0, 0), (12, 345), (usize::MAX, usize::MAX)] {
            let at = Position { task, target };
            assert_eq!(serde_json::to_string(&at).unwrap(), format!("\"{at}\""));
        }
        assert_eq!(Position { task: 1, target: 20 }.path(), "TaskContent[1].Target[20]");
    }

    fn request(sizes: &[usize]) -> SendBatchRequest {
        SendBatchRequest {
            account_id: Some(7),
            task_content: sizes
                .iter()
                .enumerate()
                .map(|(i, &n)| Task {
                    template_id: format!("T{i}"),
                    sender_id: None,
                    target: (0..n)
                        .map(|j| Target { phone: format!("{}", 10_000_000 + j), ..Default::default() })
                        .collect(),
                })
                .collect(),
        }
    }

    #[test]
    fn splits_large_tasks_and_packs_small_ones() {
        let p = plan(request(&[2500, 3, 4, 995]), &PlanOptions::default());
        let sizes: Vec<usize> = p.chunks.iter().map(|c| c.members.len()).collect();
        assert_eq!(sizes, vec![1000, 1000, 1000, 502]);
        for chunk in &p.chunks {
            let (owned, view) = (chunk_request(&p, chunk), chunk_view(&p, chunk));
            assert_eq!(owned.view(), view, "a chunk's view holds what its request holds");
            assert_eq!(serde_json::to_string(&owned).unwrap(), serde_json::to_string(&view).unwrap());
        }
        let third = chunk_request(&p, &p.chunks[2]);
        let ids: Vec<&str> = third.task_content.iter().map(|t| t.template_id.as_str()).collect();
        assert_eq!(ids, vec!["T0", "T1", "T2", "T3"]);
        assert_eq!(third.target_count(), 1000);
        assert_eq!(third.account_id, Some(7));
        let mut all: Vec<usize> = p.chunks.iter().flat_map(|c| c.members.clone()).collect();
        all.sort_unstable();
        assert_eq!(all, (0..3502).collect::<Vec<_>>());
    }

    #[test]
    fn dedupe_keeps_the_first_and_says_which() {
        let mut req = request(&[3]);
        req.task_content[0].target[2].phone = req.task_content[0].target[0].phone.clone();
        let options = PlanOptions { chunk_size: 2, dedupe: true, ..PlanOptions::default() };
        let p = plan(req.clone(), &options);
        assert_eq!(p.targets.len(), 2);
        assert_eq!(p.duplicates, vec![(Position { task: 0, target: 2 }, Position { task: 0, target: 0 })]);
        let p = plan(req, &PlanOptions { dedupe: false, ..options });
        assert_eq!(p.targets.len(), 3);
        assert_eq!(p.chunks.len(), 2);
    }

    #[test]
    fn suppressed_numbers_are_never_planned() {
        let mut req = request(&[4]);
        req.task_content[0].target[3].phone = req.task_content[0].target[0].phone.clone();
        let suppress = [req.task_content[0].target[0].phone.clone()].into_iter().collect();
        let p = plan(req, &PlanOptions { dedupe: true, suppress, ..PlanOptions::default() });
        assert_eq!(p.targets.len(), 2);
        let at: Vec<usize> = p.suppressed.iter().map(|t| t.at.target).collect();
        assert_eq!(at, vec![0, 3], "both lines of the number, and no duplicate reported");
        assert!(p.duplicates.is_empty());
    }
}
