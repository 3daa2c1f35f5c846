//! The `AccountId` rule, shared by a send's validation and the reads the
//! signing proxy forwards: a positive integer, and, through the proxy, an
//! account the server sends for.

use crate::issues::IssueCode;
use crate::read::{number_text, MAX_SAFE_INTEGER};

/// The account `n` names, or the finding against it.
pub fn account_id(n: f64, allowed: Option<&[u64]>) -> Result<u64, (IssueCode, String)> {
    if n.fract() != 0.0 || !(1.0..=MAX_SAFE_INTEGER).contains(&n) {
        return Err((IssueCode::InvalidAccountId, not_an_account(&number_text(n))));
    }
    let id = n as u64;
    match allowed.filter(|a| !a.contains(&id)) {
        Some([]) => Err((
            IssueCode::AccountNotAllowed,
            "is not accepted through this proxy: the server chooses the account".into(),
        )),
        Some(_) => {
            Err((IssueCode::AccountNotAllowed, format!("{id} is not an account this proxy sends for")))
        }
        None => Ok(id),
    }
}

/// The message for a value that is not an account id at all.
pub fn not_an_account(shown: &str) -> String {
    format!("must be a positive integer, got {shown}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_are_positive_integers_the_server_allows() {
        assert_eq!(account_id(7.0, None), Ok(7));
        assert_eq!(account_id(7.0, Some(&[7])), Ok(7));
        assert_eq!(account_id(0.5, None).unwrap_err().0, IssueCode::InvalidAccountId);
        assert_eq!(account_id(0.0, None).unwrap_err().0, IssueCode::InvalidAccountId);
        assert_eq!(account_id(8.0, Some(&[7])).unwrap_err().0, IssueCode::AccountNotAllowed);
        assert_eq!(account_id(8.0, Some(&[])).unwrap_err().0, IssueCode::AccountNotAllowed);
    }
}
