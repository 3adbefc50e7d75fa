/**
 * The Matérn-5/2 kernel, the GP's default (as BoTorch's): φ(r) = (1 + √5r + 5r²/3)·exp(−√5r), twice
 * differentiable, so sample paths are smooth enough for gradient-based acquisition optimization but not
 * as implausibly smooth as the RBF's.
 */
import type { CovarianceKernel } from "./covariance-kernel.js";

const SQRT5 = Math.sqrt(5);

/** Matérn-5/2: k = s²(1 + √5r + 5r²/3)e^{−√5r}, radial factor g = s²(5/3)(1 + √5r)e^{−√5r}. */
export const matern52: CovarianceKernel = {
  name: "matern52",
  covariance(r2: number, outputscale: number): number {
    const r = Math.sqrt(r2);
    return outputscale * (1 + SQRT5 * r + (5 / 3) * r2) * Math.exp(-SQRT5 * r);
  },
  covariancesWithRadial(r2, ro, k, ko, g, go, count, outputscale): void {
    for (let p = 0; p < count; p++) {
      const q = r2[ro + p]!;
      const r = Math.sqrt(q);
      const e = outputscale * Math.exp(-SQRT5 * r);
      k[ko + p] = (1 + SQRT5 * r + (5 / 3) * q) * e;
      g[go + p] = (5 / 3) * (1 + SQRT5 * r) * e;
    }
  },
};
