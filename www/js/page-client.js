// The page's one way to reach uSpeedo: the package's Client in proxy mode.
// The page holds no key; the demo server's signing proxy at /sms signs.
import { Client } from "uspeedo-sms";

export const PROXY_URL = "/sms";

/**
 * The token the demo server printed with the page's URL; kept for this tab
 * so a reload still works.
 */
function demoToken() {
  const fromUrl = new URLSearchParams(location.search).get("token");
  if (fromUrl) sessionStorage.setItem("demo-token", fromUrl);
  return fromUrl ?? sessionStorage.getItem("demo-token") ?? "";
}

/** A client for this page; `templates` (TemplateId -> text) enables the text checks. */
export function pageClient(templates) {
  return new Client({ proxyUrl: PROXY_URL, templates, headers: { "X-Demo-Token": demoToken() } });
}
