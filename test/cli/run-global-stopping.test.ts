import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TrialStatus } from "../../src/core/trial-status.js";
import { tempDir } from "../support/temp-dir.js";
import { ascent, loadStored } from "./run-fixture.js";

/** A config of 30 trials, one at a time, whose `globalStopping:` section is `rule` (none when empty). */
function configWith(dir: string, url: string, rule: string): string {
  writeFileSync(join(dir, "evaluate.mjs"), "export default ({ x }) => ({ loss: (x - 1) ** 2 });\n");
  const path = join(dir, "experiment.yaml");
  writeFileSync(
    path,
    [
      "name: stops",
      "parameters: [{ name: x, type: range, bounds: [-3, 3] }]",
      "objectives: { loss: { minimize: true } }",
      "runner: { type: function, module: ./evaluate.mjs }",
      "scheduler: { totalTrials: 30, maxParallelism: 1, initSecondsBetweenPolls: 0.05, minSecondsBeforePoll: 0 }",
      ...(rule === "" ? [] : [`globalStopping: ${rule}`]),
      `storage: ${JSON.stringify(url)}`,
      "seed: 0",
    ].join("\n"),
  );
  return path;
}

describe("ascent run with globalStopping", () => {
  it("ends before totalTrials when the rule fires, prints why, and resume stops by the recorded rule", async () => {
    const dir = tempDir();
    const url = `sqlite:${join(dir, "ascent.db")}`;
    // A bar no improvement reaches: the rule stops as soon as it may judge, after 6 completed trials.
    const path = configWith(dir, url, "{ type: improvement, minTrials: 6, improvementBar: 1000 }");
    const r = await ascent(["run", path, "--quiet"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^Stopped by the global stopping rule \(globalStopping\): The best loss improved by .* less than improvementBar 1000\.$/m,
    );
    expect(r.out).toContain('Experiment "stops": 6 trials: 6 completed');
    const stored = await loadStored(url, "stops");
    expect(stored?.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(6);
    // The rule was recorded with the experiment: a resume asks it first and launches nothing.
    const resumed = await ascent(["resume", "stops", "--storage", url, "--quiet"]);
    expect(resumed.code).toBe(0);
    expect(resumed.out).toContain("Stopped by the global stopping rule (globalStopping)");
    expect((await loadStored(url, "stops"))?.numTrials).toBe(6);
  });

  it("refuses a bad section with the path of the option, before writing anything", async () => {
    const dir = tempDir();
    const url = `sqlite:${join(dir, "ascent.db")}`;
    const bad = await ascent(["run", configWith(dir, url, "{ type: improvement, windowSize: 1 }")]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("globalStopping.windowSize: must be an integer >= 2");
    expect(await loadStored(url, "stops")).toBeNull();
  });
});
