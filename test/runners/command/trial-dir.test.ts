import { mkdirSync, symlinkSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CommandRunnerError } from "../../../src/errors.js";
import { safePathSegment, trialDirectory } from "../../../src/runners/command/index.js";
import { createTrialDirectory } from "../../../src/runners/command/trial-dir.js";
import { tempDir } from "../../support/temp-dir.js";

const HOSTILE_NAMES = [
  "..",
  ".",
  "",
  "../escape",
  "../../../../etc/passwd",
  "/etc",
  "/",
  "C:\\Windows",
  "..\\..\\x",
  "a/b",
  "a\0b",
  "\0",
  ".hidden",
  "CON",
  "con.txt",
  "nul",
  "COM1",
  "lpt9.log",
  "name.",
  "name ",
  "Exp",
  "exp",
  "EXP",
  "ünïcødé",
  "日本語",
  "x".repeat(300),
  "~",
  "$(touch pwned)",
  "a+b",
];

function isStrictlyInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== "" && !rel.startsWith("..") && !rel.startsWith(sep) && !resolve(root, rel).includes("\0");
}

describe("safePathSegment", () => {
  it("keeps plain lower-case names as they are", () => {
    for (const name of ["branin", "exp-1", "a_b.c", "2024-01-01", "x".repeat(64)]) {
      expect(safePathSegment(name)).toBe(name);
    }
  });

  it("turns any other name into one readable segment with a hash, never a path of its own", () => {
    expect(safePathSegment("../../etc/passwd")).toMatch(/^etc_passwd\+[0-9a-f]{10}$/);
    expect(safePathSegment("")).toMatch(/^experiment\+[0-9a-f]{10}$/);
    expect(safePathSegment("CON")).toMatch(/^CON\+[0-9a-f]{10}$/);
    expect(safePathSegment("My Experiment")).toMatch(/^My_Experiment\+[0-9a-f]{10}$/);
    for (const name of HOSTILE_NAMES) {
      const segment = safePathSegment(name);
      expect(segment).toMatch(/^[A-Za-z0-9_-][A-Za-z0-9._+-]*$/);
      expect(segment.length).toBeLessThanOrEqual(64 + 11);
      expect([".", ".."]).not.toContain(segment);
    }
  });

  it("never maps two names to the same segment, even ignoring case", () => {
    const segments = HOSTILE_NAMES.map((n) => safePathSegment(n).toLowerCase());
    expect(new Set(segments).size).toBe(HOSTILE_NAMES.length);
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        fc.pre(a !== b);
        expect(safePathSegment(a).toLowerCase()).not.toBe(safePathSegment(b).toLowerCase());
      }),
    );
  });
});

describe("trialDirectory", () => {
  it("puts every trial directly under <workDir>/<segment>/<index>", () => {
    const root = tempDir();
    for (const name of HOSTILE_NAMES) {
      const dir = trialDirectory(root, name, 12);
      expect(isStrictlyInside(root, dir)).toBe(true);
      expect(dir).toBe(join(root, safePathSegment(name), "12"));
    }
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.nat(), (name, index) => {
        expect(isStrictlyInside(root, trialDirectory(root, name, index))).toBe(true);
      }),
    );
  });

  it("refuses an index that is not a non-negative integer", () => {
    for (const index of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => trialDirectory("/tmp/x", "e", index)).toThrow(CommandRunnerError);
    }
  });

  it("refuses a trial directory that a symbolic link sends out of the work directory", () => {
    const root = tempDir();
    const outside = tempDir();
    const work = join(root, "work");
    mkdirSync(work);
    symlinkSync(outside, join(work, "exp"));
    const dir = trialDirectory(work, "exp", 0);
    expect(() => createTrialDirectory(work, dir)).toThrow(/not inside the work directory/);
  });
});
