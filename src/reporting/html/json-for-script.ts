/** Characters that could end a `<script>` element or an HTML comment, or end a line inside a JS string. */
const UNSAFE_IN_SCRIPT: Readonly<Record<string, string>> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

/**
 * A value as JSON to place inside an inline `<script>` element: `<`, `>` and `&` are written as `\u003c`
 * escapes (so `</script>` and `<!--` inside a string cannot end or hide the script), and so are U+2028
 * and U+2029 (line terminators older JavaScript parsers reject in string literals). The result is
 * still valid JSON, and a valid JavaScript expression, that parses to the same value.
 * @throws TypeError when the value is not JSON-serializable (undefined, a function, a cycle).
 * @example `<script>const data = ${jsonForScript(data)};</script>`
 */
export function jsonForScript(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`jsonForScript: ${typeof value} is not JSON-serializable.`);
  return scriptSafeJsonText(json);
}

/** {@link jsonForScript} of JSON text already serialized (e.g. kept once for many pages). */
export function scriptSafeJsonText(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => UNSAFE_IN_SCRIPT[c]!);
}

/**
 * A script's source checked for what would end or confuse its `<script>` element (`</script`, `<!--`,
 * `<script`, any case): such text cannot be escaped without knowing the JavaScript around it, so it is
 * refused rather than risked. For the page's own scripts and vendored runtimes, never for user data
 * (data goes through {@link jsonForScript}).
 * @throws TypeError naming what was found.
 */
export function checkInlineScript(source: string): string {
  const found = /<\/script|<!--|<script/i.exec(source);
  if (found) {
    throw new TypeError(
      `checkInlineScript: the script contains "${found[0]}" at ${found.index}; it cannot be inlined.`,
    );
  }
  return source;
}
