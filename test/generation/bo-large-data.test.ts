import { describe, expect, it } from "vitest";
import { Experiment } from "../../src/core/experiment.js";
import { ReportedMetric } from "../../src/core/metric.js";
import { Objective } from "../../src/core/objective.js";
import { OptimizationConfig } from "../../src/core/optimization-config.js";
import { SearchSpace } from "../../src/core/search-space.js";
import { BoTorchGenerator } from "../../src/generation/bo-generator.js";
import { SobolGenerator } from "../../src/generation/sobol-generator.js";
import { branin } from "../../src/numerics/test-functions.js";
import { FakeClock } from "../../src/util/clock.js";
import { Rng } from "../../src/util/rng.js";
import { completeRun, type Evaluate, float } from "./helpers.js";

/**
 * Bayesian optimization past 128 observations, where the GP's fit, factorization and acquisition
 * queries take the subset-ladder and WebAssembly paths: the suggestions must still be valid and good.
 */
const space = () => new SearchSpace({ parameters: [float("x1", -5, 10), float("x2", 0, 15)] });

async function braninAfterSobol(n: number, evaluate: Evaluate, sem: number | null): Promise<Experiment> {
  const experiment = new Experiment({
    name: "large",
    searchSpace: space(),
    optimizationConfig: new OptimizationConfig({
      objective: new Objective({ metric: new ReportedMetric({ name: "f" }), minimize: true }),
    }),
    clock: new FakeClock(),
  });
  const sobol = new SobolGenerator({ searchSpace: space(), seed: 5 });
  completeRun(experiment, await sobol.gen({ experiment, n, pendingArms: [] }), evaluate, sem);
  return experiment;
}

const trueValue = (p: Record<string, unknown>) => branin(p.x1 as number, p.x2 as number);

describe("BoTorchGenerator with 160 observations", () => {
  it("suggests new arms near a minimum of noise-free Branin with LogEI", async () => {
    const experiment = await braninAfterSobol(160, (p) => ({ f: trueValue(p) }), 0);
    const run = await new BoTorchGenerator({ searchSpace: space(), seed: 0 }).gen({
      experiment,
      n: 2,
      pendingArms: [],
    });
    const observed = new Set([...experiment.trials.values()].map((t) => t.arms[0]!.signature));
    expect(run.candidateMetadata[0]!.acquisitionFunction).toBe("LogEI");
    for (const arm of run.arms) {
      expect(space().checkMembership(arm.parameters)).toBe(true);
      expect(observed.has(arm.signature)).toBe(false);
    }
    expect(new Set(run.arms.map((a) => a.signature)).size).toBe(2);
    // The best of 160 Sobol points is within about 0.5 of the optimum 0.398; the model refines it.
    expect(trueValue(run.arms[0]!.parameters)).toBeLessThan(0.6);
  });

  it("suggests arms the model predicts well, with unknown noise and qLogNEI", async () => {
    const rng = new Rng(9);
    const experiment = await braninAfterSobol(160, (p) => ({ f: trueValue(p) + 2 * rng.normal() }), null);
    const run = await new BoTorchGenerator({ searchSpace: space(), seed: 0 }).gen({
      experiment,
      n: 2,
      pendingArms: [],
    });
    expect(run.candidateMetadata[0]!.acquisitionFunction).toBe("qLogNEI");
    for (const [i, arm] of run.arms.entries()) {
      expect(space().checkMembership(arm.parameters)).toBe(true);
      const meta = run.candidateMetadata[i]!;
      // Branin's values span 0.4 to 300: noise of sd 2 hides little, and both arms are near a minimum.
      expect(trueValue(arm.parameters)).toBeLessThan(5);
      expect(Math.abs((meta.predictedMean as number) - trueValue(arm.parameters))).toBeLessThan(
        3 * (meta.predictedSem as number) + 1,
      );
    }
  });
});
