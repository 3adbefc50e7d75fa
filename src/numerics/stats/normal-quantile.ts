/**
 * Inverse of the standard normal distribution function, by Wichura's algorithm AS 241 (PPND16,
 * Applied Statistics 37, 1988): three rational approximations of degree 7, relative error about 1e-16.
 * Coefficients are the published ones rounded to the nearest double (written in shortest round-trip form).
 */

// Central region |p − 1/2| ≤ 0.425, in r = 0.180625 − (p − 1/2)².
const A = [
  3.3871328727963665, 133.14166789178438, 1971.5909503065513, 13731.69376550946, 45921.95393154987,
  67265.7709270087, 33430.57558358813, 2509.0809287301227,
] as const;
const B = [
  1, 42.31333070160091, 687.1870074920579, 5394.196021424751, 21213.794301586597, 39307.89580009271,
  28729.085735721943, 5226.495278852854,
] as const;
// Intermediate tail, r = √(−log q) ≤ 5 (q = min(p, 1 − p) ≥ 1.4e-11), in r − 1.6.
const C = [
  1.4234371107496835, 4.630337846156546, 5.769497221460691, 3.6478483247632045, 1.2704582524523684,
  0.2417807251774506, 0.022723844989269184, 0.0007745450142783414,
] as const;
const D = [
  1, 2.053191626637759, 1.6763848301838038, 0.6897673349851, 0.14810397642748008, 0.015198666563616457,
  0.0005475938084995345, 1.0507500716444169e-9,
] as const;
// Far tail, r > 5, in r − 5.
const E = [
  6.657904643501103, 5.463784911164114, 1.7848265399172913, 0.29656057182850487, 0.026532189526576124,
  0.0012426609473880784, 0.000027115555687434876, 2.0103343992922881e-7,
] as const;
const F = [
  1, 0.599832206555888, 0.1369298809227358, 0.014875361290850615, 0.0007868691311456133,
  0.000018463183175100548, 1.421511758316446e-7, 2.0442631033899397e-15,
] as const;

/** c[0] + c[1]·x + … + c[7]·x⁷. */
function poly7(c: readonly number[], x: number): number {
  let s = c[7]!;
  for (let i = 6; i >= 0; i--) s = s * x + c[i]!;
  return s;
}

/**
 * Standard normal quantile Φ⁻¹(p): the x with Φ(x) = p.
 *
 * Relative error about 1e-16 over the whole range, from p = 1e-300 (x ≈ −37.04) to p = 1 − 2⁻⁵³
 * (x ≈ 8.2095, the largest quantile a double p below 1 can express). The upper tail is computed from
 * 1 − p, which is exact there, so it mirrors the lower tail. Returns −Infinity at 0, Infinity at 1 and
 * NaN outside [0, 1].
 *
 * @example
 * normalQuantile(0.975); // 1.959963984540054
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * poly7(A, r)) / poly7(B, r);
  }
  const tail = q < 0 ? p : 1 - p;
  const r = Math.sqrt(-Math.log(tail));
  const x = r <= 5 ? poly7(C, r - 1.6) / poly7(D, r - 1.6) : poly7(E, r - 5) / poly7(F, r - 5);
  return q < 0 ? -x : x;
}
