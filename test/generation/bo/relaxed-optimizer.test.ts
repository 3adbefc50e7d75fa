import { describe, expect, it } from "vitest";
import { SearchSpaceEncoding } from "../../../src/adapter/search-space-encoding.js";
import { SearchSpace } from "../../../src/core/search-space.js";
import { optimizeRelaxation } from "../../../src/generation/bo/relaxed-optimizer.js";
import type { AcquisitionFunction } from "../../../src/numerics/acquisition/index.js";
import { float } from "../helpers.js";

/**
 * −Rosenbrock over [−2, 2]³⁰ (the unit cube scaled), a curved valley that takes L-BFGS-B well over a
 * hundred evaluations from a far corner, counting its evaluations.
 */
function rosenbrockAcquisition(d: number): AcquisitionFunction & { calls: number } {
  const a = {
    calls: 0,
    evaluate: (x: Float64Array, g?: Float64Array) => {
      a.calls++;
      const z = Array.from(x, (v) => 4 * v - 2);
      let f = 0;
      g?.fill(0);
      for (let i = 0; i < d - 1; i++) {
        const r = z[i + 1]! - z[i]! ** 2;
        f += 100 * r * r + (1 - z[i]!) ** 2;
        if (g) {
          // Gradient of −f in the cube's coordinates (dz/dx = 4).
          g[i] = g[i]! - 4 * (-400 * r * z[i]! - 2 * (1 - z[i]!));
          g[i + 1] = g[i + 1]! - 4 * (200 * r);
        }
      }
      return -f;
    },
  };
  return a;
}

describe("optimizeRelaxation", () => {
  it("spends at most 100 acquisition evaluations on a start that would take about twice that, and climbs", () => {
    const d = 30;
    const encoding = new SearchSpaceEncoding(
      new SearchSpace({ parameters: Array.from({ length: d }, (_, i) => float(`x${i}`, 0, 1)) }),
    );
    const acquisition = rosenbrockAcquisition(d);
    // From this corner the run converges after 194 evaluations when nothing caps it.
    const start = new Float64Array(d).fill(0.97);
    const startValue = acquisition.evaluate(start);
    acquisition.calls = 0;
    const [best] = optimizeRelaxation({ acquisition, encoding, maxIterations: 1000 }, start, 1);
    expect(acquisition.calls).toBeGreaterThan(90);
    expect(acquisition.calls).toBeLessThanOrEqual(100);
    expect(best!.value).toBeGreaterThan(startValue / 100);
  });
});
