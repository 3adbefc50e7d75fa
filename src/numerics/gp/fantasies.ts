/**
 * Conditioning a GP on pending points with fantasized outcomes, by extending its Cholesky factor
 * (O(n²k)) instead of refitting or refactoring.
 */
import { ModelFittingError, NumericalError } from "../../errors.js";
import { choleskyAppend, choleskySolve } from "../linalg/index.js";
import type { GpState } from "./gp-state.js";
import { crossCovarianceScaled, scaleInputs } from "./kernels/kernel-matrices.js";

/**
 * The state of the GP conditioned on k extra observations at Xpending, with the same hyperparameters and
 * output standardization, and each new observation carrying the model's new-point noise (σ², or the mean
 * fixed noise; for noiseless data the tiny stability floor, so the variance there drops to ≈ 0).
 *
 * @param Xpending k×d, row-major, unit cube.
 * @param Yfantasy length k, original scale; default the posterior mean at Xpending (kriging believer),
 *   which leaves the posterior mean unchanged and only shrinks the variance.
 * @throws NumericalError on a shape mismatch or a non-finite entry.
 * @throws ModelFittingError when the extended covariance is not positive definite even after jitter.
 */
export function appendFantasies(
  state: GpState,
  Xpending: Float64Array,
  k: number,
  Yfantasy?: Float64Array,
): GpState {
  const { n, d, hyperparameters: h, transform: t } = state;
  if (!Number.isInteger(k) || k < 0 || Xpending.length !== k * d || (Yfantasy && Yfantasy.length !== k)) {
    throw new NumericalError(
      `withFantasies: Xpending must hold k×d = ${k}×${d} numbers and Yfantasy ${k}, got ${Xpending.length}` +
        `${Yfantasy ? ` and ${Yfantasy.length}` : ""}`,
    );
  }
  if (!Xpending.every(Number.isFinite) || (Yfantasy && !Yfantasy.every(Number.isFinite))) {
    throw new NumericalError("withFantasies: Xpending and Yfantasy must be finite");
  }
  if (k === 0) return state;
  const Zp = scaleInputs(Xpending, k, d, h.lengthscales);
  const B = crossCovarianceScaled(state.kernel, state.Z, n, Zp, k, d, h.outputscale);
  const C = crossCovarianceScaled(state.kernel, Zp, k, Zp, k, d, h.outputscale);
  // The same diagonal shift as the old block (noise plus its jitter), so L stays the factor of one matrix.
  const shift = state.newPointNoise + state.jitter;
  for (let a = 0; a < k; a++) C[a * k + a]! += shift;
  let appended: { L: Float64Array; jitter: number };
  try {
    appended = choleskyAppend(state.L, n, B, C, k);
  } catch (error) {
    if (!(error instanceof NumericalError)) throw error;
    throw new ModelFittingError(`withFantasies: ${error.message}`, { cause: error });
  }
  const N = n + k;
  const y = new Float64Array(N);
  y.set(state.y);
  for (let a = 0; a < k; a++) {
    if (Yfantasy) {
      y[n + a] = (Yfantasy[a]! - t.mean) / t.std;
    } else {
      let mu = h.constantMean;
      for (let j = 0; j < n; j++) mu += B[j * k + a]! * state.alpha[j]!;
      y[n + a] = mu;
    }
  }
  const X = new Float64Array(N * d);
  X.set(state.X);
  X.set(Xpending, n * d);
  const Z = new Float64Array(N * d);
  Z.set(state.Z);
  Z.set(Zp, n * d);
  const diagonal = new Float64Array(N);
  diagonal.set(state.diagonal);
  diagonal.fill(shift + appended.jitter, n);
  return {
    ...state,
    X,
    n: N,
    Z,
    y,
    diagonal,
    L: appended.L,
    alpha: choleskySolve(
      appended.L,
      N,
      y.map((v) => v - h.constantMean),
    ),
  };
}
