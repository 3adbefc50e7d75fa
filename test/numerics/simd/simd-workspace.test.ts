import { describe, expect, it } from "vitest";
import {
  blockedCholeskyInPlace,
  blockedInverseLower,
  choleskyInPlace,
  choleskyInverse,
  solveLowerRows,
  solveLowerTriangular,
  solveUpperTriangularTransposed,
} from "../../../src/numerics/linalg/index.js";
import { SimdWorkspace } from "../../../src/numerics/simd/index.js";
import {
  lowerTimesTranspose,
  randomGram,
  rbfKernel,
  relativeError,
  uniformPoints,
} from "../linalg/helpers.js";

function kernelFor(A: Float64Array, n: number): SimdWorkspace {
  const kernel = SimdWorkspace.create(n * n);
  if (kernel === null) throw new Error("WebAssembly SIMD is unavailable");
  kernel.matrix.set(A);
  return kernel;
}

/** Lower triangle (diagonal included) of an n×n matrix, row by row. */
function lower(A: ArrayLike<number>, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) out.push(A[i * n + j]!);
  return out;
}

describe("SimdWorkspace.create", () => {
  it("returns null beyond a 32-bit memory, so callers keep the TypeScript routines", () => {
    expect(SimdWorkspace.create(2 ** 29)).toBeNull();
    expect(SimdWorkspace.create(16)).not.toBeNull();
  });
});

describe("SimdWorkspace.dot4x2", () => {
  it.each([0, 1, 2, 7, 64, 101])("gives the eight dot products of four rows with two (length %i)", (len) => {
    const kernel = SimdWorkspace.create(6 * 128)!;
    const M = kernel.matrix;
    for (let i = 0; i < M.length; i++) M[i] = Math.sin(1.7 * i + 0.3);
    // Rows at arbitrary (odd, overlapping-free) offsets.
    const rows = [3, 131, 260, 389, 517, 640];
    kernel.dot4x2(rows[0]!, rows[1]!, rows[2]!, rows[3]!, rows[4]!, rows[5]!, len);
    for (let c = 0; c < 2; c++) {
      for (let r = 0; r < 4; r++) {
        let s = 0;
        for (let k = 0; k < len; k++) s += M[rows[r]! + k]! * M[rows[4 + c]! + k]!;
        expect(kernel.sums[4 * c + r]).toBeCloseTo(s, 12);
      }
    }
  });
});

describe("blockedCholeskyInPlace with the SIMD workspace", () => {
  it.each([1, 2, 3, 4, 5, 8, 31, 97, 130, 203])(
    "agrees with choleskyInPlace to rounding and zeroes the upper triangle (order %i)",
    (n) => {
      const A = randomGram(n, n + 2, n, 0.1);
      const L = A.slice();
      expect(choleskyInPlace(L, n)).toBe(true);
      const kernel = kernelFor(A, n);
      expect(blockedCholeskyInPlace(kernel, n)).toBe(true);
      const S = kernel.matrix.slice(0, n * n);
      expect(relativeError(S, L)).toBeLessThanOrEqual(1e-13);
      expect(relativeError(lowerTimesTranspose(S, n), A)).toBeLessThanOrEqual(1e-14);
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(S[i * n + j]).toBe(0);
    },
  );

  it("reports a matrix that is not positive definite", () => {
    const n = 9;
    const A = randomGram(n, n + 2, 3, 0.1);
    A[5 * n + 5] = -1;
    expect(blockedCholeskyInPlace(kernelFor(A, n), n)).toBe(false);
  });
});

describe("blockedInverseLower with the SIMD workspace", () => {
  it.each([1, 2, 3, 5, 8, 17, 130, 257])(
    "agrees with choleskyInverse on a GP kernel matrix (order %i)",
    (n) => {
      const K = rbfKernel(uniformPoints(n, 3, n), n, 3, 0.4, 1e-3);
      const L = K.slice();
      expect(choleskyInPlace(L, n)).toBe(true);
      const expected = choleskyInverse(L, n);
      const kernel = kernelFor(L, n);
      blockedInverseLower(
        kernel,
        n,
        Float64Array.from({ length: n }, (_, i) => 1 / L[i * n + i]!),
      );
      expect(relativeError(lower(kernel.matrix, n), lower(expected, n))).toBeLessThanOrEqual(1e-11);
    },
  );
});

describe("solveLowerRows with the SIMD workspace", () => {
  it.each([
    [1, 1],
    [6, 4],
    [33, 9],
    [150, 16],
  ])("solves L·v = b for each stored row like solveLowerTriangular (order %i, %i rows)", (n, mb) => {
    const L = randomGram(n, n + 2, 7 * n, 0.1);
    expect(choleskyInPlace(L, n)).toBe(true);
    const kernel = SimdWorkspace.create(n * n + mb * n)!;
    kernel.matrix.set(L);
    const B = Float64Array.from({ length: mb * n }, (_, i) => Math.cos(0.37 * i));
    kernel.matrix.set(B, n * n);
    solveLowerRows(kernel, n, n * n, mb);
    for (let r = 0; r < mb; r++) {
      const expected = solveLowerTriangular(L, n, B.slice(r * n, (r + 1) * n));
      const actual = kernel.matrix.slice(n * n + r * n, n * n + (r + 1) * n);
      expect(relativeError(actual, expected)).toBeLessThanOrEqual(1e-12);
    }
  });
});

describe("SimdWorkspace single-vector routines", () => {
  it.each([0, 1, 2, 3, 4, 5, 9, 130])("dot of length %i", (len) => {
    const kernel = SimdWorkspace.create(2 * len + 3)!;
    const M = kernel.matrix;
    for (let i = 0; i < M.length; i++) M[i] = Math.sin(0.9 * i + 0.2);
    let expected = 0;
    for (let k = 0; k < len; k++) expected += M[1 + k]! * M[len + 2 + k]!;
    expect(kernel.dot(1, len + 2, len)).toBeCloseTo(expected, 12);
  });

  it.each([1, 2, 3, 6, 37, 150])(
    "solveLower and solveUpper agree with the triangular solves (order %i)",
    (n) => {
      const L = randomGram(n, n + 2, 3 * n, 0.1);
      expect(choleskyInPlace(L, n)).toBe(true);
      const U = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) U[j * n + i] = L[i * n + j]!;
      const b = Float64Array.from({ length: n }, (_, i) => Math.cos(1.3 * i));
      const kernel = SimdWorkspace.create(2 * n * n + n)!;
      kernel.matrix.set(L);
      kernel.matrix.set(U, n * n);
      kernel.matrix.set(b, 2 * n * n);
      kernel.solveLower(0, n, 2 * n * n);
      const forward = solveLowerTriangular(L, n, b);
      expect(relativeError(kernel.matrix.slice(2 * n * n), forward)).toBeLessThanOrEqual(1e-12);
      kernel.solveUpper(n * n, n, 2 * n * n);
      const back = solveUpperTriangularTransposed(L, n, forward);
      expect(relativeError(kernel.matrix.slice(2 * n * n), back)).toBeLessThanOrEqual(1e-12);
    },
  );
});

describe("SimdWorkspace.axpy and matern52", () => {
  it.each([0, 1, 2, 7, 64])("axpy adds a·x to y (length %i)", (len) => {
    const kernel = SimdWorkspace.create(2 * len + 1)!;
    const M = kernel.matrix;
    for (let i = 0; i < M.length; i++) M[i] = Math.sin(0.3 * i);
    const expected = Array.from({ length: len }, (_, k) => M[len + 1 + k]! + 1.7 * M[k]!);
    kernel.axpy(len + 1, 0, 1.7, len);
    expect(Array.from(M.subarray(len + 1, 2 * len + 1))).toEqual(expected);
  });

  it("gives the Matérn-5/2 covariance and radial factor to a few ulps, at r = 0 and far out", () => {
    const count = 1001;
    const kernel = SimdWorkspace.create(3 * count)!;
    const M = kernel.matrix;
    for (let i = 0; i < count; i++) M[i] = i === 0 ? 0 : (0.05 * i) ** 2 * (i % 7 === 0 ? 50 : 1);
    const s2 = 1.3;
    kernel.matern52(0, count, 2 * count, count, s2);
    const SQRT5 = Math.sqrt(5);
    for (let i = 0; i < count; i++) {
      const q = M[i]!;
      const r = Math.sqrt(q);
      const e = s2 * Math.exp(-SQRT5 * r);
      const k = (1 + SQRT5 * r + (5 / 3) * q) * e;
      const g = (5 / 3) * (1 + SQRT5 * r) * e;
      expect(Math.abs(M[count + i]! - k)).toBeLessThanOrEqual(2e-15 * k + 1e-300);
      expect(Math.abs(M[2 * count + i]! - g)).toBeLessThanOrEqual(2e-15 * g + 1e-300);
    }
    expect(M[count]).toBe(s2);
  });
});
