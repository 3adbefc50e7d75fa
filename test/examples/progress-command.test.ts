import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TrialStatus } from "../../src/core/trial-status.js";
import { ascent, loadStored } from "../cli/run-fixture.js";
import { tempDir } from "../support/temp-dir.js";

describe("examples/progress-command (ascent run with progress lines and earlyStopping)", () => {
  it("stores every trial's curve, stops some early, and keeps their last loss as result", async () => {
    const dir = tempDir();
    copyFileSync("examples/progress-command/train.mjs", join(dir, "train.mjs"));
    const text = readFileSync("examples/progress-command/experiment.yaml", "utf8").replace(
      "totalTrials: 12",
      "totalTrials: 8",
    );
    writeFileSync(join(dir, "experiment.yaml"), text);
    const r = await ascent(["run", join(dir, "experiment.yaml")]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/^trial \d+ stopped early/m);
    const stored = (await loadStored(`sqlite:${join(dir, "ascent.db")}`, "progress_command"))!;
    const stopped = [...stored.trialIndicesWithStatus(TrialStatus.EARLY_STOPPED)];
    expect(stopped.length).toBeGreaterThan(0);
    expect(stored.countTrialsWithStatus(TrialStatus.COMPLETED) + stopped.length).toBe(8);
    for (const trial of stored.trials.values()) {
      const curve = stored.curve(trial.index, "loss");
      expect(curve.map((p) => p.progression)).toEqual(Array.from({ length: curve.length }, (_, i) => i + 1));
      const [latest] = stored.lookupData({ trialIndices: [trial.index] }).rows;
      expect(latest?.mean).toBe(curve.at(-1)!.mean);
      if (trial.status === TrialStatus.EARLY_STOPPED) {
        const step = Number(
          /^loss .* at step (\d+) is worse than the 50th percentile/.exec(trial.failureReason ?? "")?.[1],
        );
        expect(step).toBeGreaterThanOrEqual(5);
        expect(step).toBeLessThan(35);
        expect(curve.length).toBeGreaterThanOrEqual(step);
      } else expect(curve).toHaveLength(40);
    }
  });
});
