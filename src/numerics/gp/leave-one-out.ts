/**
 * Leave-one-out cross-validation of a GP in closed form, for fixed hyperparameters (Rasmussen & Williams
 * 2006, §5.4.2): with K the training covariance (noise included) and r = y − c the standardized
 * residuals from the constant mean,
 *   μ₋ᵢ = yᵢ − [K⁻¹r]ᵢ / [K⁻¹]ᵢᵢ,   v₋ᵢ = 1 / [K⁻¹]ᵢᵢ,
 * which equal conditioning on all points but i (same hyperparameters, same output standardization) and
 * predicting the observation yᵢ, noise included. One factorization and one inverse: O(n³) in all,
 * instead of n factorizations of size n − 1.
 */
import { ModelFittingError } from "../../errors.js";
import { choleskyInverse } from "../linalg/index.js";
import { type CreateGpInput, createGpState } from "./gp-model.js";
import { MIN_VARIANCE } from "./posterior.js";

/** Leave-one-out predictions of every training observation, original output scale. */
export interface LeaveOneOutPredictions {
  /** Predicted mean of observation i from the other n − 1, length n. */
  mean: Float64Array;
  /** Predictive variance of observation i (latent variance + its observation noise), length n. */
  variance: Float64Array;
  /** Variance of the latent f at point i given the others (noise excluded), length n. */
  latentVariance: Float64Array;
}

/**
 * Closed-form leave-one-out predictions of a GP with given hyperparameters (nothing is refitted; the
 * output standardization, the noise and the jitter are those of the model on all n points, exactly as
 * `createGp` builds it). Pass the fitted model's `hyperparameters`, `outcomeTransform` and `kernel`
 * to cross-validate it.
 *
 * @param input the dataset (X n×d, Y, Yvar) and the model's hyperparameters; n ≥ 2.
 * @throws ModelFittingError as `createGp` does (invalid data or hyperparameters, or a covariance that
 *   cannot be factored), and when n < 2 (nothing to predict a point from).
 * @example
 * const loo = leaveOneOut({ X, n, d, Y, Yvar, hyperparameters: model.hyperparameters,
 *   outcomeTransform: model.outcomeTransform, kernel: model.kernel });
 */
export function leaveOneOut(input: CreateGpInput): LeaveOneOutPredictions {
  const state = createGpState(input);
  const { n, L, alpha, y, diagonal, transform } = state;
  if (n < 2) {
    throw new ModelFittingError(
      `leaveOneOut: needs at least 2 observations to predict one from the others, got ${n}`,
    );
  }
  // Only the diagonal of K⁻¹ is needed; the lower triangle holds it without mirroring.
  const Kinv = choleskyInverse(L, n, undefined, { mirror: false });
  const s2 = transform.std * transform.std;
  const mean = new Float64Array(n);
  const variance = new Float64Array(n);
  const latentVariance = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const precision = Kinv[i * n + i]!;
    const v = 1 / precision;
    mean[i] = transform.mean + transform.std * (y[i]! - alpha[i]! * v);
    variance[i] = s2 * v;
    latentVariance[i] = s2 * Math.max(v - diagonal[i]!, MIN_VARIANCE);
  }
  return { mean, variance, latentVariance };
}
