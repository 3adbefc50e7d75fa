import { describe, expect, it } from "vitest";
import {
  checkInlineScript,
  contentSecurityPolicy,
  escapeHtml,
  html,
  jsonForScript,
  rawHtml,
} from "../../../src/reporting/html/index.js";

describe("escapeHtml", () => {
  it("turns every character that can start a tag, end an attribute or start an entity into an entity", () => {
    expect(escapeHtml(`<img src=x onerror="alert(1)"> & 'q'`)).toBe(
      "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;q&#39;",
    );
    expect(escapeHtml("&amp;")).toBe("&amp;amp;");
    expect(escapeHtml("plain text, ünïcödé")).toBe("plain text, ünïcödé");
  });
});

describe("the html tag", () => {
  it("escapes strings and numbers, keeps SafeHtml, drops null/undefined/false, joins arrays", () => {
    const name = '"><script>alert(1)</script>';
    const out = html`<td title="${name}">${name}</td>${null}${undefined}${false}${[1, "<", html`<b>${"&"}</b>`]}`;
    expect(out.html).toBe(
      '<td title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</td>1&lt;<b>&amp;</b>',
    );
    expect(html`${rawHtml("<hr>")}`.toString()).toBe("<hr>");
  });
});

describe("jsonForScript", () => {
  const hostile = {
    a: "</script><script>alert(1)</script>",
    b: "<!-- x -->",
    c: "line\u2028sep\u2029",
    d: "&",
  };

  it("writes no character sequence that could end a script element or open a comment, and stays equal JSON", () => {
    const json = jsonForScript(hostile);
    expect(json).not.toMatch(/<|>|&|\u2028|\u2029/);
    expect(JSON.parse(json)).toEqual(hostile);
    // A valid JavaScript expression with the same value, too.
    expect(new Function(`return ${json};`)()).toEqual(hostile);
  });

  it("refuses what JSON cannot hold", () => {
    expect(() => jsonForScript(undefined)).toThrow(TypeError);
  });
});

describe("checkInlineScript", () => {
  it("passes ordinary scripts and refuses ones that would end or confuse their element", () => {
    expect(checkInlineScript("const a = 1 < 2;")).toBe("const a = 1 < 2;");
    expect(() => checkInlineScript('x = "</SCRIPT>"')).toThrow(/<\/SCRIPT/);
    expect(() => checkInlineScript("x = '<!--'")).toThrow(/<!--/);
  });
});

describe("contentSecurityPolicy", () => {
  it("allows only the given scripts by SHA-256 hash, loads nothing, and allows eval only when asked", () => {
    const policy = contentSecurityPolicy({ scripts: ["alert(1)"] });
    // sha256("alert(1)") in base64, as browsers compute it for <script>alert(1)</script>.
    expect(policy).toContain("script-src 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='");
    expect(policy).toContain("default-src 'none'");
    expect(policy).not.toContain("unsafe-eval");
    expect(contentSecurityPolicy({ scripts: [], allowEval: true })).toContain("script-src 'unsafe-eval'");
    expect(contentSecurityPolicy({ scripts: [] })).toContain("script-src 'none'");
  });
});
