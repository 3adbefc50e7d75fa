/** The kernel a GP gets when none is given. */
import type { CovarianceKernel } from "./covariance-kernel.js";
import { matern52 } from "./matern52.js";

/** Matérn-5/2, as BoTorch's and Ax's default GP. */
export const DEFAULT_KERNEL: CovarianceKernel = matern52;
