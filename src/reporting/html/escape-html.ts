const ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * A string as HTML text or as the value of a quoted attribute: `& < > " '` become entities, so no user
 * string (an experiment, parameter or metric name, a failure reason) can open a tag, close an attribute
 * or start an entity. Attributes must be quoted (`title="..."`); unquoted attribute values and
 * `<script>`/`<style>` contents need other treatment (see {@link jsonForScript}).
 * @example escapeHtml('<img src=x onerror="alert(1)">') // "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"
 */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}
