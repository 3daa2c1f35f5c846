//! Validation and normalisation of a `SendBatchUSMSMessage` request, done on
//! the raw JSON value so that every problem is found at once, wrong types
//! included, each with the path of the field it is about.

pub mod account;
mod fields;

use crate::issues::{IssueCode, IssueList};
use crate::model::{SendBatchRequest, Target, Task, MAX_TARGETS_PER_REQUEST, SEND_BATCH_ACTION};
use crate::phone::normalize_phone;
use crate::preview::MAX_MESSAGE_CHARS;
use crate::read::{
    Extra, Kind, RawRequest, RawTarget, RawTask, Slot, Wrong, ROOT_FIELDS, TARGET_FIELDS, TASK_FIELDS,
};
use crate::template::{render, variable_count};
use crate::text::StringMap;
use crate::text::{quoted, quoted_char};

#[derive(Debug, Clone, Default)]
pub struct ValidateOptions {
    /// Known template texts by `TemplateId`, for parameter and length checks.
    pub templates: StringMap,
    /// Most numbers allowed in this request; `None` for no limit (bulk input).
    pub max_targets: Option<usize>,
    /// When set, only these `TemplateId`s are allowed (the proxy's allow-list).
    pub allow_templates: Option<Vec<String>>,
    /// When set, a request may name only these `AccountId`s (the proxy's:
    /// the account is the server's decision, never the browser's).
    pub allow_account_ids: Option<Vec<u64>>,
    /// Templates uSpeedo said cannot be sent (not approved, unknown), with
    /// the issue each gets; texts given by hand in `templates` win.
    pub refused_templates: std::collections::BTreeMap<String, (IssueCode, String)>,
    /// The proxy's abuse controls; see [`Limits`].
    pub limits: Limits,
    /// Repeats of a number for one template are not looked for unless
    /// they are errors (`limits.reject_duplicates`). For callers that show
    /// no warnings: a bulk job's report and a campaign have none, and the
    /// look (a hash of every number) came before a `sendBulk`'s first
    /// request (see the README's performance section).
    pub skip_duplicate_warnings: bool,
}

/// What a signing proxy may add to validation so a page cannot abuse it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Limits {
    /// Only these `SenderId`s (task and per-target); `None`: any.
    pub allow_sender_ids: Option<Vec<String>>,
    /// A number twice for one template is an error, not a warning.
    pub reject_duplicates: bool,
    /// Most parameters per target.
    pub max_params: Option<usize>,
    /// Most characters per parameter.
    pub max_param_length: Option<usize>,
}

impl ValidateOptions {
    /// The rules for one API call: the documented 1000-number ceiling.
    pub fn single_request() -> Self {
        ValidateOptions { max_targets: Some(MAX_TARGETS_PER_REQUEST), ..Self::default() }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Validation {
    pub errors: IssueList,
    pub warnings: IssueList,
    /// The checked request with phones normalised; `None` when there are errors.
    pub normalized: Option<SendBatchRequest>,
}

impl Validation {
    pub fn ok(&self) -> bool {
        self.errors.is_empty()
    }
}

/// Where a field is. Paths are only written out when an issue is reported:
/// formatting one per target cost a fifth of validating 100,000 numbers.
#[derive(Clone, Copy)]
enum Loc {
    Root,
    Task(usize),
    Target(usize, usize),
}

impl std::fmt::Display for Loc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Loc::Root => Ok(()),
            Loc::Task(i) => write!(f, "TaskContent[{i}]"),
            Loc::Target(i, j) => write!(f, "TaskContent[{i}].Target[{j}]"),
        }
    }
}

fn join(path: Loc, field: &str) -> String {
    match path {
        Loc::Root => field.to_string(),
        _ => format!("{path}.{field}"),
    }
}

/// Walks the input, collecting issues and building the normalised request.
struct Checker<'a> {
    options: &'a ValidateOptions,
    errors: IssueList,
    warnings: IssueList,
    /// The input position (task, target) of each target kept in the
    /// normalised request, in its order: duplicate warnings point there.
    kept_at: Vec<Loc>,
}

/// The message for a field of the wrong type.
fn wrong_type(expected: &str, got: &Wrong) -> String {
    format!("must be {expected}, got {}", got.describe())
}

impl Checker<'_> {
    /// Whether repeated numbers are looked for (see
    /// [`ValidateOptions::skip_duplicate_warnings`]).
    fn looks_for_duplicates(&self) -> bool {
        self.options.limits.reject_duplicates || !self.options.skip_duplicate_warnings
    }

    fn error(&mut self, path: &dyn Fn() -> String, code: IssueCode, message: String) {
        self.errors.push(path, code, message);
    }

    /// Unknown fields (with a spelling hint) and keys given twice.
    fn extra(&mut self, extra: &Extra, known: &[&str], path: Loc) {
        for key in extra.unknown() {
            let hint = crate::hint::did_you_mean(key, known);
            let message = format!("unknown field {}{hint}; it would not be sent", quoted(key));
            self.error(&|| join(path, key), IssueCode::UnknownField, message);
        }
        for key in extra.repeated() {
            let message = format!("the key {} appears more than once", quoted(key));
            self.error(&|| join(path, key), IssueCode::InvalidJson, message);
        }
    }

    /// A value JSON cannot express is INVALID_JSON; any other wrong type WRONG_TYPE.
    fn wrong(&mut self, path: &dyn Fn() -> String, expected: &str, got: &Wrong) {
        let code = if got.kind == Kind::Unreadable { IssueCode::InvalidJson } else { IssueCode::WrongType };
        self.error(path, code, wrong_type(expected, got));
    }

    /// A required non-empty array field.
    fn array<T>(&mut self, slot: Slot<Vec<T>>, field: &str, path: Loc) -> Option<Vec<T>> {
        match slot {
            Slot::Missing | Slot::Null => {
                self.error(&|| join(path, field), IssueCode::Required, "is required".to_string());
                None
            }
            Slot::Got(items) if items.is_empty() => {
                let message = "must not be empty".to_string();
                self.error(&|| join(path, field), IssueCode::Empty, message);
                None
            }
            Slot::Got(items) => Some(items),
            Slot::Wrong(got) => {
                self.wrong(&|| join(path, field), "an array", &got);
                None
            }
        }
    }

    fn object<T>(&mut self, slot: Slot<T>, path: &dyn Fn() -> String) -> Option<T> {
        match slot {
            Slot::Got(value) => Some(value),
            Slot::Wrong(got) => {
                self.wrong(path, "an object", &got);
                None
            }
            Slot::Missing | Slot::Null => {
                self.error(path, IssueCode::WrongType, "must be an object, got null".into());
                None
            }
        }
    }

    fn root(&mut self, input: Slot<RawRequest>) -> Option<SendBatchRequest> {
        let root = self.object(input, &String::new)?;
        self.extra(&root.extra, ROOT_FIELDS, Loc::Root);
        match root.action {
            Slot::Missing | Slot::Null => {}
            Slot::Got(a) if a == SEND_BATCH_ACTION => {}
            Slot::Got(a) => {
                let message = format!("must be \"{SEND_BATCH_ACTION}\" or omitted, got {}", quoted(&a));
                self.error(&|| "Action".into(), IssueCode::WrongAction, message);
            }
            Slot::Wrong(got) => {
                let message = format!("must be \"{SEND_BATCH_ACTION}\" or omitted, got {}", got.shown());
                self.error(&|| "Action".into(), IssueCode::WrongAction, message);
            }
        }
        let account_id = match root.account_id {
            Slot::Missing | Slot::Null => None,
            Slot::Got(n) => match account::account_id(n, self.options.allow_account_ids.as_deref()) {
                Ok(id) => Some(id),
                Err((code, message)) => {
                    self.error(&|| "AccountId".into(), code, message);
                    // A refused account is still the one asked for; a
                    // malformed one is none.
                    (code == IssueCode::AccountNotAllowed).then_some(n as u64)
                }
            },
            Slot::Wrong(got) => {
                let message = account::not_an_account(&got.shown());
                self.error(&|| "AccountId".into(), IssueCode::InvalidAccountId, message);
                None
            }
        };
        let tasks = self.array(root.task_content, "TaskContent", Loc::Root)?;
        let total: usize = tasks
            .iter()
            .filter_map(|t| match t {
                Slot::Got(RawTask { target: Slot::Got(targets), .. }) => Some(targets.len()),
                _ => None,
            })
            .sum();
        if let Some(max) = self.options.max_targets.filter(|max| total > *max) {
            let message = format!(
                "has {total} numbers; one request takes at most {max}. \
                 sendBulk splits any number of recipients into requests of at most {MAX_TARGETS_PER_REQUEST}"
            );
            self.error(&|| "TaskContent".into(), IssueCode::TooManyTargets, message);
        }
        let task_content = tasks.into_iter().enumerate().filter_map(|(i, task)| self.task(task, i)).collect();
        Some(SendBatchRequest { account_id, task_content })
    }

    fn task(&mut self, value: Slot<RawTask>, index: usize) -> Option<Task> {
        let path = Loc::Task(index);
        let task = self.object(value, &|| path.to_string())?;
        self.extra(&task.extra, TASK_FIELDS, path);
        let template_id = self.id(task.template_id, "TemplateId", path, true);
        if let (Some(id), Some(allowed)) = (&template_id, &self.options.allow_templates) {
            if !allowed.contains(id) {
                let message = format!("template {} is not in the allowed list", quoted(id));
                self.error(&|| join(path, "TemplateId"), IssueCode::TemplateNotAllowed, message);
            }
        }
        if let Some(id) = template_id.as_ref().filter(|id| !self.options.templates.contains_key(*id)) {
            if let Some((code, message)) = self.options.refused_templates.get(id) {
                let (code, message) = (*code, message.clone());
                self.error(&|| join(path, "TemplateId"), code, message);
            }
        }
        let sender_id = self.id(task.sender_id, "SenderId", path, false);
        self.sender_allowed(sender_id.as_deref(), path);
        let targets = self.array(task.target, "Target", path);
        let template_id = template_id?;
        let options = self.options;
        let template_text = options.templates.get(&template_id);
        let targets = targets?;
        // Pushed into a list of their own size: `collect` would reuse the
        // read targets' buffer, twice as large per item, for as long as the
        // request lives (measured 6 MB of a 100,000-number plan's peak).
        let mut target = Vec::with_capacity(targets.len());
        for (j, t) in targets.into_iter().enumerate() {
            target.extend(self.target(t, (index, j), &template_id, template_text));
        }
        Some(Task { template_id, sender_id, target })
    }

    fn target(
        &mut self,
        value: Slot<RawTarget>,
        at: (usize, usize),
        template_id: &str,
        template: Option<&String>,
    ) -> Option<Target> {
        let path = Loc::Target(at.0, at.1);
        let target = self.object(value, &|| path.to_string())?;
        self.extra(&target.extra, TARGET_FIELDS, path);
        let phone = self.phone(target.phone, path);
        let params = self.params(target.template_params, path);
        let sender_id = self.id(target.sender_id, "SenderId", path, false);
        self.sender_allowed(sender_id.as_deref(), path);
        let extend_code = self.id(target.extend_code, "ExtendCode", path, false);
        let user_id = self.id(target.user_id, "UserId", path, false);
        let (phone, params) = (phone?, params?);
        if let Some(text) = template {
            self.against_template(template_id, text, &params, path);
        }
        if self.looks_for_duplicates() {
            self.kept_at.push(path);
        }
        Some(Target { phone, template_params: params, sender_id, extend_code, user_id })
    }
}

/// Checks `input` and returns every issue plus the normalised request.
pub fn validate(input: Slot<RawRequest>, options: &ValidateOptions) -> Validation {
    let mut checker = Checker {
        options,
        errors: IssueList::default(),
        warnings: IssueList::default(),
        kept_at: Vec::new(),
    };
    let request = checker.root(input);
    if let Some(request) = request.as_ref().filter(|_| checker.looks_for_duplicates()) {
        checker.warn_duplicates(request);
    }
    let normalized = if checker.errors.is_empty() { request } else { None };
    Validation { errors: checker.errors, warnings: checker.warnings, normalized }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_are_warned_in_input_order_pointing_at_the_first() {
        let input = crate::api::request(
            r#"{"TaskContent":[{"TemplateId":"A","Target":[{"Phone":"5550001"},{"Phone":"5550002"},
            {"Phone":"555-0001"},{"Phone":"5550002"}]},{"TemplateId":"A","Target":[{"Phone":"5550001"}]},
            {"TemplateId":"B","Target":[{"Phone":"5550001"}]}]}"#,
        );
        let v = validate(input, &ValidateOptions::single_request());
        assert!(v.ok());
        let got: Vec<(&str, &str)> =
            v.warnings.items.iter().map(|i| (i.path.as_str(), i.message.as_str())).collect();
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].0, "TaskContent[0].Target[2].Phone");
        assert!(got[0].1.ends_with("at TaskContent[0].Target[0]"));
        assert_eq!(got[1].0, "TaskContent[0].Target[3].Phone");
        assert!(got[1].1.ends_with("at TaskContent[0].Target[1]"));
        assert_eq!(got[2].0, "TaskContent[1].Target[0].Phone");
        assert!(got[2].1.ends_with("at TaskContent[0].Target[0]"));
    }

    #[test]
    fn duplicates_are_not_looked_for_when_no_warning_is_shown_unless_they_are_errors() {
        let input = || {
            crate::api::request(
                r#"{"TaskContent":[{"TemplateId":"A","Target":[{"Phone":"5550001"},{"Phone":"555-0001"}]}]}"#,
            )
        };
        let skip = ValidateOptions { skip_duplicate_warnings: true, ..ValidateOptions::single_request() };
        let v = validate(input(), &skip);
        assert!(v.ok() && v.warnings.items.is_empty(), "{:?}", v.warnings.items);
        assert_eq!(v.normalized.map(|r| r.task_content[0].target.len()), Some(2));
        let mut reject = skip.clone();
        reject.limits.reject_duplicates = true;
        let v = validate(input(), &reject);
        let codes: Vec<IssueCode> = v.errors.items.iter().map(|i| i.code).collect();
        assert_eq!(codes, [IssueCode::DuplicatePhone]);
    }
}

#[cfg(test)]
mod id_tests {
    use super::*;

    #[test]
    fn invisible_characters_are_refused_in_ids() {
        for id in ["UTA\u{202e}1", "UTA\u{200b}1", "UTA\u{2028}1", "\u{feff}UTA1", "UTA\u{7}1"] {
            let input = crate::api::request(&format!(
                r#"{{"TaskContent":[{{"TemplateId":{},"Target":[{{"Phone":"12345"}}]}}]}}"#,
                quoted(id)
            ));
            let v = validate(input, &ValidateOptions::single_request());
            assert_eq!(v.errors.items[0].code, IssueCode::ControlCharacter, "{id:?}");
        }
    }
}
