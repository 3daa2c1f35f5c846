//! The `SendBatchUSMSMessage` request as read, before validation: every
//! field a [`Slot`], every other key remembered. Reading never fails; the
//! validator turns what was found into issues with paths.

use super::{Extra, Key, Lenient, Slot};
use serde::de::MapAccess;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawRequest {
    pub action: Slot<String>,
    pub account_id: Slot<f64>,
    pub task_content: Slot<Vec<Slot<RawTask>>>,
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawTask {
    pub template_id: Slot<String>,
    pub sender_id: Slot<String>,
    pub target: Slot<Vec<Slot<RawTarget>>>,
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawTarget {
    pub phone: Slot<String>,
    pub template_params: Slot<Vec<Slot<String>>>,
    pub sender_id: Slot<String>,
    pub extend_code: Slot<String>,
    pub user_id: Slot<String>,
    pub extra: Extra,
}

pub const ROOT_FIELDS: &[&str] = &["Action", "AccountId", "TaskContent"];
pub const TASK_FIELDS: &[&str] = &["TemplateId", "SenderId", "Target"];
pub const TARGET_FIELDS: &[&str] = &["Phone", "TemplateParams", "SenderId", "ExtendCode", "UserId"];

impl Lenient for RawRequest {
    fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        let mut r = RawRequest::default();
        while let Some(Key(key)) = map.next_key()? {
            match &*key {
                "Action" => r.extra.put(&mut r.action, &key, &mut map)?,
                "AccountId" => r.extra.put(&mut r.account_id, &key, &mut map)?,
                "TaskContent" => r.extra.put(&mut r.task_content, &key, &mut map)?,
                _ => r.extra.skip(key.into_owned(), &mut map)?,
            }
        }
        Ok(Some(r))
    }
}

impl Lenient for RawTask {
    fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        let mut t = RawTask::default();
        while let Some(Key(key)) = map.next_key()? {
            match &*key {
                "TemplateId" => t.extra.put(&mut t.template_id, &key, &mut map)?,
                "SenderId" => t.extra.put(&mut t.sender_id, &key, &mut map)?,
                "Target" => t.extra.put(&mut t.target, &key, &mut map)?,
                _ => t.extra.skip(key.into_owned(), &mut map)?,
            }
        }
        Ok(Some(t))
    }
}

impl Lenient for RawTarget {
    fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        let mut t = RawTarget::default();
        while let Some(Key(key)) = map.next_key()? {
            match &*key {
                "Phone" => t.extra.put(&mut t.phone, &key, &mut map)?,
                "TemplateParams" => t.extra.put(&mut t.template_params, &key, &mut map)?,
                "SenderId" => t.extra.put(&mut t.sender_id, &key, &mut map)?,
                "ExtendCode" => t.extra.put(&mut t.extend_code, &key, &mut map)?,
                "UserId" => t.extra.put(&mut t.user_id, &key, &mut map)?,
                _ => t.extra.skip(key.into_owned(), &mut map)?,
            }
        }
        Ok(Some(t))
    }
}
