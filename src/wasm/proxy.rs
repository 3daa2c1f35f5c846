//! The signing proxy's core (server builds): its settings checked once, and
//! the decision for each browser request.

use super::convert::{any, error, to_js};
use crate::api_proxy::{proxy_prepare, proxy_rejection, proxy_upstream_error};
use crate::options::Checked;
use crate::proxy::ProxySettings;
use crate::read::from_json;
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct ProxyCore {
    checked: Checked,
    settings: ProxySettings,
}

/// What to do with one browser request: forward this, or answer that.
#[derive(Serialize)]
#[serde(rename_all = "camelCase", untagged)]
enum Decision {
    Forward { prepared: crate::prepare::Prepared, account_id: Option<u64> },
    Refuse { refusal: crate::proxy::Refusal },
}

#[wasm_bindgen]
impl ProxyCore {
    #[wasm_bindgen(constructor)]
    pub fn new(client_options: JsValue, proxy_options: JsValue) -> Result<ProxyCore, JsValue> {
        let config = |m: String| error(&crate::outcome::ErrorInfo::config(m));
        let checked = crate::ops::client(&any(client_options)).map_err(|e| error(&e))?;
        let settings = crate::proxy::proxy_settings(&any(proxy_options)).map_err(config)?;
        Ok(ProxyCore { checked, settings })
    }

    #[wasm_bindgen(js_name = maxBodyBytes)]
    pub fn max_body_bytes(&self) -> f64 {
        self.settings.max_body_bytes as f64
    }

    /// The browser's body (JSON text, read with duplicate keys refused),
    /// checked again and signed: `{ prepared, accountId }` or `{ refusal }`.
    pub fn decide(&self, body: &str, timestamp_s: f64, nonce: &str) -> JsValue {
        let decision = match proxy_prepare(from_json(body), &self.checked, &self.settings, timestamp_s, nonce)
        {
            Ok(call) => Decision::Forward { prepared: call.prepared, account_id: call.account_id },
            Err(refusal) => Decision::Refuse { refusal },
        };
        to_js(&decision)
    }

    /// A refusal decided before the body is read: `{ status, body }`.
    pub fn refuse(kind: &str, detail: &str) -> JsValue {
        to_js(&proxy_rejection(kind, detail))
    }

    /// The refusal for an upstream failure: `{ status, body }`.
    #[wasm_bindgen(js_name = upstreamError)]
    pub fn upstream_error(error: JsValue) -> JsValue {
        to_js(&proxy_upstream_error(&any(error)))
    }
}
