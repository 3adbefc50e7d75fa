import { createHash } from "node:crypto";

/** Options of {@link contentSecurityPolicy}. */
export interface ContentSecurityPolicyOptions {
  /** The exact text of every inline `<script>` the page has: only these may run (by SHA-256 hash). */
  readonly scripts: readonly string[];
  /**
   * Allow `new Function` / `eval`: the Vega runtime compiles chart expressions with them (its
   * expression interpreter is a separate package), so pages with charts need it. Default false.
   */
  readonly allowEval?: boolean;
}

/**
 * The policy of a self-contained page: nothing is loaded from anywhere (no network, no other file),
 * only the page's own inline scripts run (each allowed by its hash, so an injected script or event
 * handler would not run even if escaping failed), inline styles and `data:` images are allowed.
 * @example `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy({ scripts })}">`
 */
export function contentSecurityPolicy(options: ContentSecurityPolicyOptions): string {
  const hashes = options.scripts.map(
    (s) => `'sha256-${createHash("sha256").update(s, "utf8").digest("base64")}'`,
  );
  const script = [...hashes, ...(options.allowEval ? ["'unsafe-eval'"] : [])].join(" ");
  return [
    "default-src 'none'",
    `script-src ${script || "'none'"}`,
    "style-src 'unsafe-inline'",
    "img-src data:",
    "font-src data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}
