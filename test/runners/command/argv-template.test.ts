import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CommandTemplateError } from "../../../src/errors.js";
import { formatArgValue, parseArgvTemplate, renderArgv } from "../../../src/runners/command/index.js";

describe("argv templates", () => {
  it("substitutes placeholders inside elements, with {{ and }} for braces", () => {
    const t = parseArgvTemplate(["python3", "--lr={lr}", "{a}{b}", "{{a}}", "x}}y{{", "{lr}"]);
    expect([...t.placeholders].sort()).toEqual(["a", "b", "lr"]);
    expect(renderArgv(t, { lr: 0.5, a: "x y", b: true })).toEqual([
      "python3",
      "--lr=0.5",
      "x ytrue",
      "{a}",
      "x}y{",
      "0.5",
    ]);
  });

  it("keeps every element one element whatever the values hold", () => {
    const t = parseArgvTemplate(["prog", "{v}", "pre{v}post"]);
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes("\0")),
        (v) => {
          expect(renderArgv(t, { v })).toEqual(["prog", v, `pre${v}post`]);
        },
      ),
    );
  });

  it("names an unknown placeholder and the parameters there are", () => {
    const t = parseArgvTemplate(["prog", "--x={lr}"]);
    const error = (() => {
      try {
        renderArgv(t, { learning_rate: 1, layers: 2 });
      } catch (e) {
        return e as CommandTemplateError;
      }
      throw new Error("no error");
    })();
    expect(error).toBeInstanceOf(CommandTemplateError);
    expect(error.placeholder).toBe("lr");
    expect(error.argIndex).toBe(1);
    expect(error.message).toContain('no parameter "lr" (its parameters: "learning_rate", "layers")');
  });

  it("refuses malformed templates at parse time", () => {
    expect(() => parseArgvTemplate([])).toThrow(/non-empty array/);
    expect(() => parseArgvTemplate([""])).toThrow(/program/);
    expect(() => parseArgvTemplate(["a", 3 as unknown as string])).toThrow(/element 1 is number/);
    expect(() => parseArgvTemplate(["a", "{x"])).toThrow(/unclosed "\{"/);
    expect(() => parseArgvTemplate(["a", "{x{y}"])).toThrow(/unclosed/);
    expect(() => parseArgvTemplate(["a", "{}"])).toThrow(/empty placeholder/);
    expect(() => parseArgvTemplate(["a", "x}"])).toThrow(/lone "}"/);
    expect(() => parseArgvTemplate("python3 x" as unknown as string[])).toThrow(CommandTemplateError);
  });

  it("formats numbers so they read back exactly", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(Object.is(Number(formatArgValue(x)), x)).toBe(true);
      }),
    );
    expect(formatArgValue(1e21)).toBe("1000000000000000000000");
    expect(formatArgValue(42)).toBe("42");
    expect(formatArgValue(false)).toBe("false");
  });
});
