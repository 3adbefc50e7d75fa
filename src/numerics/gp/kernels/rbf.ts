/**
 * The squared-exponential (RBF) kernel: φ(r) = exp(−r²/2), infinitely differentiable, for very smooth
 * functions.
 */
import type { CovarianceKernel } from "./covariance-kernel.js";

/** RBF: k = s²e^{−r²/2}, radial factor g = k (since ∂k/∂r = −r·k). */
export const rbf: CovarianceKernel = {
  name: "rbf",
  covariance(r2: number, outputscale: number): number {
    return outputscale * Math.exp(-0.5 * r2);
  },
  covariancesWithRadial(r2, ro, k, ko, g, go, count, outputscale): void {
    for (let p = 0; p < count; p++) {
      const v = outputscale * Math.exp(-0.5 * r2[ro + p]!);
      k[ko + p] = v;
      g[go + p] = v;
    }
  },
};
