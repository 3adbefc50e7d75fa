export { type ContentSecurityPolicyOptions, contentSecurityPolicy } from "./content-security-policy.js";
export { escapeHtml } from "./escape-html.js";
export { type HtmlValue, html, rawHtml, SafeHtml } from "./html.js";
export { checkInlineScript, jsonForScript } from "./json-for-script.js";
export { PACKED_MARKER, packJson, UNPACK_JSON_SOURCE } from "./packed-json.js";
