import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ProgressFile } from "../../../src/runners/command/progress-file.js";
import { tempDir } from "../../support/temp-dir.js";

function reader() {
  const path = join(tempDir(), "progress.jsonl");
  const malformed: string[] = [];
  const file = new ProgressFile(path, (line, why) => malformed.push(`${line}: ${why}`));
  return { path, file, malformed };
}

describe("ProgressFile", () => {
  it("has no progress before the file exists, then reads each complete line once", () => {
    const { path, file } = reader();
    expect(file.read()).toEqual([]);
    writeFileSync(path, '{"step": 1, "loss": 0.9}\n{"step": 2, "loss": 0.8}\n');
    expect(file.read().map((r) => r.progression.step)).toEqual([1, 2]);
    expect(file.read()).toEqual([]);
    appendFileSync(path, '{"progression": {"epoch": 3}, "loss": 0.7}\n');
    expect(file.read()).toEqual([{ progression: { epoch: 3 }, values: { loss: 0.7 } }]);
  });

  it("keeps a partial last line for later", () => {
    const { path, file } = reader();
    writeFileSync(path, '{"step": 1, "loss": 0.9}\n{"step": 2, "lo');
    expect(file.read().map((r) => r.values.loss)).toEqual([0.9]);
    expect(file.read()).toEqual([]);
    appendFileSync(path, 'ss": 0.8}\n');
    expect(file.read()).toEqual([{ progression: { step: 2 }, values: { loss: 0.8 } }]);
  });

  it("skips malformed lines, naming them, and goes on", () => {
    const { path, file, malformed } = reader();
    writeFileSync(
      path,
      `${[
        '{"step": 1, "loss": 0.9}',
        "not json",
        '{"loss": 0.5}',
        "",
        '{"step": 3, "loss": "x"}',
        '{"step": 4, "loss": 0.4}',
      ].join("\n")}\n`,
    );
    expect(file.read().map((r) => r.progression.step)).toEqual([1, 4]);
    expect(malformed).toHaveLength(3);
    expect(malformed[0]).toMatch(/^2: not JSON: not json/);
    expect(malformed[1]).toMatch(/^3: .*progression must be/);
    expect(malformed[2]).toMatch(/^5: value of "loss"/);
  });

  it("reads UTF-8 metric names", () => {
    const { path, file } = reader();
    writeFileSync(path, '{"step": 1, "lössé": 0.9}\n');
    expect(file.read()).toEqual([{ progression: { step: 1 }, values: { lössé: 0.9 } }]);
  });
});
