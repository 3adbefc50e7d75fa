/**
 * The Matérn-3/2 kernel: φ(r) = (1 + √3r)·exp(−√3r), once differentiable, for functions rougher than
 * the default Matérn-5/2 assumes.
 */
import type { CovarianceKernel } from "./covariance-kernel.js";

const SQRT3 = Math.sqrt(3);

/** Matérn-3/2: k = s²(1 + √3r)e^{−√3r}, radial factor g = 3s²e^{−√3r}. */
export const matern32: CovarianceKernel = {
  name: "matern32",
  covariance(r2: number, outputscale: number): number {
    const r = Math.sqrt(r2);
    return outputscale * (1 + SQRT3 * r) * Math.exp(-SQRT3 * r);
  },
  covariancesWithRadial(r2, ro, k, ko, g, go, count, outputscale): void {
    for (let p = 0; p < count; p++) {
      const r = Math.sqrt(r2[ro + p]!);
      const e = outputscale * Math.exp(-SQRT3 * r);
      k[ko + p] = (1 + SQRT3 * r) * e;
      g[go + p] = 3 * e;
    }
  },
};
