/**
 * Discrepancy measures of point sets in the unit cube, to compare the uniformity of designs.
 */

/**
 * Squared centered L2 discrepancy (Hickernell 1998) of `n` points in [0, 1]^d, in O(n² d):
 *
 * CD² = (13/12)^d − (2/n) Σ_i Π_k (1 + ½|z_ik| − ½ z_ik²)
 *     + (1/n²) Σ_i Σ_l Π_k (1 + ½|z_ik| + ½|z_lk| − ½|x_ik − x_lk|),  with z = x − ½.
 *
 * Lower is more uniform. Like `scipy.stats.qmc.discrepancy(X, method="CD")`, this returns the
 * **square** of the discrepancy; take `Math.sqrt` for CD itself.
 *
 * @param X points, shape [n, d], row-major.
 * @param n number of points (rows), ≥ 1.
 * @param d dimension (columns), ≥ 1.
 * @throws RangeError when n or d is not a positive integer, `X.length !== n * d`, or a value is outside
 * [0, 1].
 */
export function centeredL2Discrepancy(X: Float64Array, n: number, d: number): number {
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(d) || d < 1) {
    throw new RangeError(`centeredL2Discrepancy: n and d must be positive integers, got n=${n}, d=${d}.`);
  }
  if (X.length !== n * d) {
    throw new RangeError(`centeredL2Discrepancy: X has ${X.length} values, expected n * d = ${n * d}.`);
  }
  const absZ = new Float64Array(n * d);
  for (let i = 0; i < n * d; i++) {
    const x = X[i]!;
    if (!(x >= 0 && x <= 1)) {
      throw new RangeError(
        `centeredL2Discrepancy: value ${x} at row ${Math.floor(i / d)}, column ${i % d} is outside [0, 1].`,
      );
    }
    absZ[i] = Math.abs(x - 0.5);
  }

  let single = 0;
  for (let i = 0; i < n; i++) {
    let prod = 1;
    for (let k = 0; k < d; k++) {
      const z = absZ[i * d + k]!;
      prod *= 1 + 0.5 * z - 0.5 * z * z;
    }
    single += prod;
  }

  // The pair term is symmetric in (i, l): sum the upper triangle twice plus the diagonal.
  let pairs = 0;
  for (let i = 0; i < n; i++) {
    const ri = i * d;
    let diag = 1;
    for (let k = 0; k < d; k++) diag *= 1 + absZ[ri + k]!;
    pairs += diag;
    for (let l = i + 1; l < n; l++) {
      const rl = l * d;
      let prod = 1;
      for (let k = 0; k < d; k++) {
        prod *= 1 + 0.5 * absZ[ri + k]! + 0.5 * absZ[rl + k]! - 0.5 * Math.abs(X[ri + k]! - X[rl + k]!);
      }
      pairs += 2 * prod;
    }
  }

  return (13 / 12) ** d - (2 / n) * single + pairs / (n * n);
}
