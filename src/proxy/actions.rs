//! Which uSpeedo action a browser asks the signing proxy for. It is named
//! the way uSpeedo's own endpoint names it, `?Action=` on the URL, so the
//! proxy knows it (and `authorize` can judge it) before reading the body.
//! Without one, a request is the send, as before reads went through.

use crate::issues::{IssueCode, IssueList};
use crate::model::SEND_BATCH_ACTION;
use crate::outcome::ErrorInfo;
use crate::reads::ReadAction;
use crate::text::quoted;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProxyAction {
    Send,
    Read(ReadAction),
}

/// Every action the proxy can forward, and its default `allowActions`.
pub const ALL_ACTIONS: [ProxyAction; 3] =
    [ProxyAction::Send, ProxyAction::Read(ReadAction::Receipts), ProxyAction::Read(ReadAction::Templates)];

impl ProxyAction {
    pub fn name(self) -> &'static str {
        match self {
            ProxyAction::Send => SEND_BATCH_ACTION,
            ProxyAction::Read(read) => read.name(),
        }
    }

    pub fn from_name(name: &str) -> Option<ProxyAction> {
        ALL_ACTIONS.into_iter().find(|a| a.name() == name)
    }
}

fn refused(code: IssueCode, message: String) -> ErrorInfo {
    let mut list = IssueList::default();
    list.push(&|| "Action".into(), code, message);
    ErrorInfo::validation(list)
}

fn names() -> String {
    ALL_ACTIONS.map(ProxyAction::name).join(", ")
}

/// The action `url` asks for, if it is one this proxy forwards. The query
/// is compared as it came (these names need no escaping), and `Action`
/// given twice is refused rather than guessed.
pub fn requested_action(url: &str, allowed: &[ProxyAction]) -> Result<ProxyAction, ErrorInfo> {
    let query = url.split('#').next().unwrap_or("").split_once('?').map_or("", |(_, q)| q);
    let mut given = query.split('&').filter_map(|pair| pair.strip_prefix("Action="));
    let action = match (given.next(), given.next()) {
        (None, _) => ProxyAction::Send,
        (Some(_), Some(_)) => {
            return Err(refused(IssueCode::WrongAction, "Action is given more than once in the URL".into()))
        }
        (Some(name), None) => ProxyAction::from_name(name).ok_or_else(|| {
            let message = format!("must be one of {}, got {}", names(), quoted(name));
            refused(IssueCode::WrongAction, message)
        })?,
    };
    if !allowed.contains(&action) {
        let message = format!("{} is not offered by this proxy (allowActions)", action.name());
        return Err(refused(IssueCode::ActionNotAllowed, message));
    }
    Ok(action)
}

/// `allowActions`: uSpeedo's action names, at least one.
pub fn allow_actions(names: &[Option<&str>]) -> Result<Vec<ProxyAction>, String> {
    let wrong = || format!("allowActions must be a non-empty array of {}", self::names());
    let actions: Option<Vec<ProxyAction>> =
        names.iter().map(|n| n.and_then(ProxyAction::from_name)).collect();
    actions.filter(|a| !a.is_empty()).ok_or_else(wrong)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(r: Result<ProxyAction, ErrorInfo>) -> IssueCode {
        r.unwrap_err().issues.unwrap()[0].code
    }

    #[test]
    fn the_action_is_read_from_the_url() {
        let all = &ALL_ACTIONS;
        assert_eq!(requested_action("http://h/sms", all).unwrap(), ProxyAction::Send);
        assert_eq!(requested_action("/sms?x=1&Action=SendBatchUSMSMessage", all).unwrap(), ProxyAction::Send);
        assert_eq!(
            requested_action("/sms?Action=GetUSMSSendReceipt#top", all).unwrap(),
            ProxyAction::Read(ReadAction::Receipts)
        );
        assert_eq!(code(requested_action("/sms?Action=DeleteUSMSTemplate", all)), IssueCode::WrongAction);
        let twice = "/sms?Action=QueryUSMSTemplate&Action=SendBatchUSMSMessage";
        assert_eq!(code(requested_action(twice, all)), IssueCode::WrongAction);
        let sends_only = &[ProxyAction::Send];
        let read = requested_action("/sms?Action=QueryUSMSTemplate", sends_only);
        assert_eq!(code(read), IssueCode::ActionNotAllowed);
    }

    #[test]
    fn allow_actions_names_real_actions() {
        assert_eq!(allow_actions(&[Some("GetUSMSSendReceipt")]).unwrap().len(), 1);
        assert!(allow_actions(&[]).is_err());
        assert!(allow_actions(&[Some("Send")]).is_err());
        assert!(allow_actions(&[None]).is_err());
    }
}
