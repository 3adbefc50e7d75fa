import { dot, smallCholeskyInPlace, smallCholeskySolveInPlace } from "../linalg/index.js";

const EPS = 2.220446049250313e-16;

/**
 * The limited-memory BFGS matrix in compact form (Byrd, Nocedal and Schnabel 1994):
 * B = θI − W M Wᵀ with W = [Y, θS] (n × 2c) and M = K⁻¹, K = [[−D, Lᵀ], [L, θSᵀS]] (2c × 2c), where
 * the c ≤ m stored pairs (sᵢ, yᵢ) are ordered oldest first, D = diag(sᵢᵀyᵢ) and L is the strictly
 * lower triangle of SᵀY. M is never formed: products with it go through the Cholesky factor of the
 * positive definite Schur complement J = θSᵀS + L D⁻¹ Lᵀ. Also offers H = B⁻¹ products through the
 * two-loop recursion.
 *
 * Pairs whose curvature sᵀy is not safely positive are rejected, so B stays positive definite.
 */
export class LbfgsMemory {
  /** Number of stored pairs c (0 ≤ c ≤ m). */
  count = 0;
  /** Scaling θ = yᵀy / sᵀy of the newest pair (1 when empty). */
  theta = 1;
  /** W = [Y, θS], n rows of stride 2m; row b holds (y₁[b] … y_c[b], θs₁[b] … θs_c[b]). */
  readonly W: Float64Array;
  private readonly S: Float64Array[] = [];
  private readonly Y: Float64Array[] = [];
  private readonly SY: Float64Array;
  private readonly SS: Float64Array;
  /** Cholesky factor of J (c × c, packed with stride c). */
  private readonly J: Float64Array;
  /** P = L D⁻¹ (c × c, packed with stride c). */
  private readonly P: Float64Array;
  private readonly alpha: Float64Array;

  /**
   * @param n problem dimension.
   * @param m memory (number of pairs kept), m ≥ 1.
   */
  constructor(
    readonly n: number,
    readonly m: number,
  ) {
    this.W = new Float64Array(n * 2 * m);
    this.SY = new Float64Array(m * m);
    this.SS = new Float64Array(m * m);
    this.J = new Float64Array(m * m);
    this.P = new Float64Array(m * m);
    this.alpha = new Float64Array(m);
  }

  /** Forgets every pair (B becomes the identity). */
  reset(): void {
    this.count = 0;
    this.theta = 1;
  }

  /**
   * Adds the pair s = x₊ − x, y = g₊ − g, dropping the oldest when full.
   * @returns false when the pair was rejected for lack of curvature (or J was not numerically
   *   positive definite, in which case the memory is reset).
   */
  update(s: Float64Array, y: Float64Array): boolean {
    const n = this.n;
    const sy = dot(s, y, n);
    const yy = dot(y, y, n);
    if (!(sy > EPS * yy) || !Number.isFinite(yy)) return false;
    if (this.count === this.m) this.dropOldest();
    const c = this.count;
    const sNew = this.S[c] ?? new Float64Array(n);
    const yNew = this.Y[c] ?? new Float64Array(n);
    sNew.set(s.subarray(0, n));
    yNew.set(y.subarray(0, n));
    this.S[c] = sNew;
    this.Y[c] = yNew;
    const m = this.m;
    for (let i = 0; i <= c; i++) {
      this.SY[i * m + c] = dot(this.S[i]!, yNew, n);
      this.SY[c * m + i] = dot(sNew, this.Y[i]!, n);
      const ss = dot(this.S[i]!, sNew, n);
      this.SS[i * m + c] = ss;
      this.SS[c * m + i] = ss;
    }
    this.count = c + 1;
    this.theta = yy / sy;
    this.buildW();
    if (!this.factorJ()) {
      this.reset();
      return false;
    }
    return true;
  }

  /** out[0, 2c) = Wᵀ v. */
  wtv(v: Float64Array, out: Float64Array): void {
    const c = this.count;
    const stride = 2 * this.m;
    out.fill(0, 0, 2 * c);
    for (let b = 0; b < this.n; b++) {
      const vb = v[b]!;
      if (vb === 0) continue;
      const row = b * stride;
      for (let j = 0; j < 2 * c; j++) out[j]! += this.W[row + j]! * vb;
    }
  }

  /**
   * out[0, 2c) = M v = K⁻¹ v by block elimination: u₂ = J⁻¹(v₂ + P v₁), u₁ = −D⁻¹v₁ + Pᵀu₂.
   * out must not alias v.
   */
  mv(v: Float64Array, out: Float64Array): void {
    const c = this.count;
    const m = this.m;
    const { P, SY } = this;
    for (let i = 0; i < c; i++) {
      let s = v[c + i]!;
      for (let k = 0; k < i; k++) s += P[i * c + k]! * v[k]!;
      out[c + i] = s;
    }
    const u2 = out.subarray(c, 2 * c);
    smallCholeskySolveInPlace(this.J, c, u2);
    for (let i = 0; i < c; i++) {
      let s = -v[i]! / SY[i * m + i]!;
      for (let k = i + 1; k < c; k++) s += P[k * c + i]! * u2[k]!;
      out[i] = s;
    }
  }

  /** Writes K = M⁻¹ = [[−D, Lᵀ], [L, θSᵀS]] (2c × 2c, packed with stride 2c) into out. */
  middle(out: Float64Array): void {
    const c = this.count;
    const c2 = 2 * c;
    const m = this.m;
    for (let i = 0; i < c; i++) {
      for (let j = 0; j < c; j++) {
        const l = i > j ? this.SY[i * m + j]! : 0;
        out[i * c2 + j] = i === j ? -this.SY[i * m + i]! : 0;
        out[(c + i) * c2 + j] = l;
        out[j * c2 + c + i] = l;
        out[(c + i) * c2 + c + j] = this.theta * this.SS[i * m + j]!;
      }
    }
  }

  /** Row b of W dotted with u (length 2c). */
  wRowDot(b: number, u: Float64Array): number {
    const row = b * 2 * this.m;
    let s = 0;
    for (let j = 0; j < 2 * this.count; j++) s += this.W[row + j]! * u[j]!;
    return s;
  }

  /** out = B v = θv − W M Wᵀ v; t1 and t2 are scratch vectors of length ≥ 2m. */
  bv(v: Float64Array, out: Float64Array, t1: Float64Array, t2: Float64Array): void {
    this.wtv(v, t1);
    this.mv(t1, t2);
    for (let b = 0; b < this.n; b++) out[b] = this.theta * v[b]! - this.wRowDot(b, t2);
  }

  /** out = H v with H = B⁻¹, by the two-loop recursion with H₀ = I/θ. */
  hv(v: Float64Array, out: Float64Array): void {
    const n = this.n;
    const m = this.m;
    out.set(v.subarray(0, n));
    for (let i = this.count - 1; i >= 0; i--) {
      const a = dot(this.S[i]!, out, n) / this.SY[i * m + i]!;
      this.alpha[i] = a;
      const y = this.Y[i]!;
      for (let b = 0; b < n; b++) out[b]! -= a * y[b]!;
    }
    const scale = 1 / this.theta;
    for (let b = 0; b < n; b++) out[b]! *= scale;
    for (let i = 0; i < this.count; i++) {
      const beta = dot(this.Y[i]!, out, n) / this.SY[i * m + i]!;
      const s = this.S[i]!;
      const a = this.alpha[i]!;
      for (let b = 0; b < n; b++) out[b]! += (a - beta) * s[b]!;
    }
  }

  private dropOldest(): void {
    const m = this.m;
    const s0 = this.S.shift()!;
    const y0 = this.Y.shift()!;
    this.S.push(s0);
    this.Y.push(y0);
    for (let i = 1; i < m; i++) {
      for (let j = 1; j < m; j++) {
        this.SY[(i - 1) * m + j - 1] = this.SY[i * m + j]!;
        this.SS[(i - 1) * m + j - 1] = this.SS[i * m + j]!;
      }
    }
    this.count = m - 1;
  }

  private buildW(): void {
    const c = this.count;
    const stride = 2 * this.m;
    for (let i = 0; i < c; i++) {
      const y = this.Y[i]!;
      const s = this.S[i]!;
      for (let b = 0; b < this.n; b++) {
        this.W[b * stride + i] = y[b]!;
        this.W[b * stride + c + i] = this.theta * s[b]!;
      }
    }
  }

  /** P = L D⁻¹ and the Cholesky factor of J = θSᵀS + L D⁻¹ Lᵀ. */
  private factorJ(): boolean {
    const c = this.count;
    const m = this.m;
    const { J, P, SY, SS } = this;
    for (let i = 0; i < c; i++) {
      for (let j = 0; j < c; j++) P[i * c + j] = i > j ? SY[i * m + j]! / SY[j * m + j]! : 0;
    }
    for (let i = 0; i < c; i++) {
      for (let j = 0; j <= i; j++) {
        let s = this.theta * SS[i * m + j]!;
        for (let k = 0; k < j; k++) s += P[i * c + k]! * SY[j * m + k]!;
        J[i * c + j] = s;
        J[j * c + i] = s;
      }
    }
    return smallCholeskyInPlace(J, c);
  }
}
