//! Validation findings: `{ path, code, message }`, collected with a bound so
//! that a 100,000-row mistake does not produce a 100,000-entry error.

use serde::Serialize;

/// How many findings of each kind (errors, warnings) are kept in full; the
/// rest are only counted.
pub const MAX_REPORTED: usize = 100;

/// Stable, documented codes. The README lists every one with what to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename_all = "SCREAMING_SNAKE_CASE"))]
pub enum IssueCode {
    /// The input is not JSON, or not the JSON type the field needs.
    InvalidJson,
    WrongType,
    Required,
    Empty,
    UnknownField,
    WrongAction,
    InvalidAccountId,
    TooManyTargets,
    ControlCharacter,
    SurroundingWhitespace,
    PhoneInvalidCharacters,
    PhoneUnknownCountryCode,
    PhoneTooShort,
    PhoneTooLong,
    ParamsCountMismatch,
    MessageTooLong,
    TemplateNotAllowed,
    /// Through the signing proxy: an `AccountId` the server does not allow.
    AccountNotAllowed,
    /// With templates loaded from uSpeedo: the template is not approved.
    TemplateNotApproved,
    /// With templates loaded from uSpeedo: uSpeedo does not know this id.
    TemplateUnknown,
    /// Through the signing proxy: a `SenderId` outside `allowSenderIds`.
    SenderNotAllowed,
    /// Through the signing proxy: more parameters than `maxParams`.
    TooManyParams,
    /// Through the signing proxy: a parameter longer than `maxParamLength`.
    ParamTooLong,
    /// Through the signing proxy: an action outside `allowActions`.
    ActionNotAllowed,
    /// A read (`getReceipts`, `getTemplates`) through the proxy: more ids
    /// than one uSpeedo call takes.
    TooManyIds,
    /// A SessionNo or TemplateId longer than any uSpeedo issues.
    IdTooLong,
    /// Warning only: the same number twice for the same template.
    DuplicatePhone,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Issue {
    /// Where the problem is, e.g. `TaskContent[0].Target[3].Phone`.
    pub path: String,
    pub code: IssueCode,
    pub message: String,
}

impl IssueCode {
    pub fn as_str(self) -> &'static str {
        use IssueCode::*;
        match self {
            InvalidJson => "INVALID_JSON",
            WrongType => "WRONG_TYPE",
            Required => "REQUIRED",
            Empty => "EMPTY",
            UnknownField => "UNKNOWN_FIELD",
            WrongAction => "WRONG_ACTION",
            InvalidAccountId => "INVALID_ACCOUNT_ID",
            TooManyTargets => "TOO_MANY_TARGETS",
            ControlCharacter => "CONTROL_CHARACTER",
            SurroundingWhitespace => "SURROUNDING_WHITESPACE",
            PhoneInvalidCharacters => "PHONE_INVALID_CHARACTERS",
            PhoneUnknownCountryCode => "PHONE_UNKNOWN_COUNTRY_CODE",
            PhoneTooShort => "PHONE_TOO_SHORT",
            PhoneTooLong => "PHONE_TOO_LONG",
            ParamsCountMismatch => "PARAMS_COUNT_MISMATCH",
            MessageTooLong => "MESSAGE_TOO_LONG",
            TemplateNotAllowed => "TEMPLATE_NOT_ALLOWED",
            AccountNotAllowed => "ACCOUNT_NOT_ALLOWED",
            TemplateNotApproved => "TEMPLATE_NOT_APPROVED",
            TemplateUnknown => "TEMPLATE_UNKNOWN",
            SenderNotAllowed => "SENDER_NOT_ALLOWED",
            TooManyParams => "TOO_MANY_PARAMS",
            ParamTooLong => "PARAM_TOO_LONG",
            ActionNotAllowed => "ACTION_NOT_ALLOWED",
            TooManyIds => "TOO_MANY_IDS",
            IdTooLong => "ID_TOO_LONG",
            DuplicatePhone => "DUPLICATE_PHONE",
        }
    }
}

/// A bounded list: keeps the first [`MAX_REPORTED`] findings, counts all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IssueList {
    pub items: Vec<Issue>,
    pub total: usize,
}

impl IssueList {
    pub fn push(&mut self, path: &dyn Fn() -> String, code: IssueCode, message: String) {
        self.total += 1;
        if self.items.len() < MAX_REPORTED {
            self.items.push(Issue { path: path(), code, message });
        }
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }
}
