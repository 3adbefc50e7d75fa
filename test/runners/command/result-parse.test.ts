import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCommandResult, readTail } from "../../../src/runners/command/result-parse.js";
import { tempDir } from "../../support/temp-dir.js";

const parse = (stdout: string, resultFileText: string | null = null, stderr = "") =>
  parseCommandResult({ trialIndex: 4, resultFileText, stdout, stderr });

describe("parseCommandResult", () => {
  it("prefers the result file, object or number", () => {
    expect(parse('{"a": 1}', '{"loss": 2}')).toEqual({ ok: true, result: { loss: 2 } });
    expect(parse("", " 3.5\n")).toEqual({ ok: true, result: 3.5 });
    expect(parse('{"a": 1}', "   ")).toEqual({ ok: true, result: { a: 1 } });
  });

  it("refuses a result file that is not JSON, or not an object or number", () => {
    const bad = parse('{"a": 1}', "{oops");
    expect(bad.ok).toBe(false);
    expect((bad as { reason: string }).reason).toMatch(/^Trial 4: the result file .* is not JSON/);
    expect((parse("", "[1, 2]") as { reason: string }).reason).toContain("not a JSON object");
  });

  it("takes the last stdout line that is a JSON object", () => {
    expect(parse('{"loss": 1}\n{"loss": 2}\nnot json\n[1]\n{"broken": \n')).toEqual({
      ok: true,
      result: { loss: 2 },
    });
    expect(parse('  {"loss": 1}  \r\n')).toEqual({ ok: true, result: { loss: 1 } });
  });

  it("else a bare number on the last non-empty line", () => {
    expect(parse("epoch 1\n0.125\n\n")).toEqual({ ok: true, result: 0.125 });
    expect(parse("-3e2")).toEqual({ ok: true, result: -300 });
    expect(parse(".5")).toEqual({ ok: true, result: 0.5 });
    expect(parse("nan")).toEqual({ ok: true, result: Number.NaN });
    expect(parse("-inf")).toEqual({ ok: true, result: Number.NEGATIVE_INFINITY });
    expect(parse("0.5\nloss is low").ok).toBe(false);
    expect(parse("1,5").ok).toBe(false);
    expect(parse("0x10").ok).toBe(false);
  });

  it("explains a missing result with the tails of stdout and stderr", () => {
    const lines = Array.from({ length: 50 }, (_, i) => `line ${i}`).join("\n");
    const outcome = parse(lines, null, "Traceback: boom");
    expect(outcome.ok).toBe(false);
    const reason = (outcome as { reason: string }).reason;
    expect(reason).toContain("Trial 4");
    expect(reason).toContain("line 49");
    expect(reason).not.toContain("line 10\n");
    expect(reason).toContain("Traceback: boom");
    expect((parse("", null, "") as { reason: string }).reason).toContain(
      "stdout was empty. stderr was empty.",
    );
  });
});

describe("readTail", () => {
  it("reads the end of a large file from a whole line", () => {
    const dir = tempDir();
    const path = join(dir, "out.log");
    writeFileSync(path, `${`${"x".repeat(100)}\n`.repeat(1000)}{"loss": 1}\n`);
    const tail = readTail(path, 250);
    expect(tail.split("\n")[0]).toBe("x".repeat(100));
    expect(tail.endsWith('{"loss": 1}\n')).toBe(true);
    expect(readTail(join(dir, "missing"))).toBe("");
  });
});
