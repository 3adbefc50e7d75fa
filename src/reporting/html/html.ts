import { escapeHtml } from "./escape-html.js";

/**
 * A piece of HTML that is already safe to place in a page: built by the {@link html} tag (which escaped
 * every value) or declared trusted with {@link rawHtml}. Strings are never trusted implicitly.
 */
export class SafeHtml {
  /** The markup. */
  readonly html: string;
  constructor(markup: string) {
    this.html = markup;
  }
  toString(): string {
    return this.html;
  }
}

/**
 * What the {@link html} tag accepts between `${}`: strings and numbers are escaped, `SafeHtml` is kept,
 * null, undefined and false vanish, and arrays are joined (each item by the same rules).
 */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

/**
 * A tag for HTML templates that escapes every interpolated value (text and quoted attributes alike), so
 * a page assembled from user strings cannot be broken by them. Attribute values must be quoted.
 * @example html`<td title="${name}">${name}</td>` // name "<b>" gives <td title="&lt;b&gt;">&lt;b&gt;</td>
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

/**
 * Markup trusted as is: for the page's own constant fragments and for output of other trusted renderers.
 * Never pass it a user string.
 */
export function rawHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.html;
  if (value === null || value === undefined || value === false) return "";
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}
