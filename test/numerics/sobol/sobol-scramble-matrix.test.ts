import { describe, expect, it } from "vitest";
import { SobolEngine } from "../../../src/numerics/sobol/index.js";

/** The 32-bit digits of each coordinate: x = (k + offset)·2^-32, offset 0.5 scrambled and 0 plain. */
function digits(points: Float64Array, scrambled: boolean): Uint32Array {
  return Uint32Array.from(points, (x) => Math.floor(x * 2 ** 32 - (scrambled ? 0.5 : 0)));
}

/**
 * A digital shift alone XORs every point with the same word, so the XOR of two points (their digital
 * difference) is that of the plain sequence. The linear matrix scramble multiplies the differences by a
 * random lower-triangular matrix: most of them change. This is what separates Owen's linear matrix
 * scramble + shift from a shift alone, which every stratification check passes just as well.
 */
describe("SobolEngine, linear matrix scramble", () => {
  const d = 8;
  const n = 64;

  it("changes the digital differences between points, in every dimension and for every seed", () => {
    const plain = digits(new SobolEngine({ dimension: d, scramble: false }).draw(n), false);
    for (const seed of [0, 1, 7, 12345]) {
      const scrambled = digits(new SobolEngine({ dimension: d, seed }).draw(n), true);
      for (let j = 0; j < d; j++) {
        let changed = 0;
        for (let i = 1; i < n; i++) {
          const difference = (scrambled[i * d + j]! ^ scrambled[j]!) >>> 0;
          const plainDifference = (plain[i * d + j]! ^ plain[j]!) >>> 0;
          if (difference !== plainDifference) changed++;
        }
        // A random unit lower-triangular matrix keeps a nonzero difference only when its lower digits
        // happen to cancel: with 31 random rows that is rare, so nearly all 63 differences change.
        expect(changed, `seed ${seed}, dimension ${j}`).toBeGreaterThan(n / 2);
      }
    }
  });

  it("keeps the leading digit of each difference (unit diagonal), so the net structure survives", () => {
    const plain = digits(new SobolEngine({ dimension: d, scramble: false }).draw(n), false);
    const scrambled = digits(new SobolEngine({ dimension: d, seed: 3 }).draw(n), true);
    for (let i = 1; i < n; i++) {
      for (let j = 0; j < d; j++) {
        const difference = (scrambled[i * d + j]! ^ scrambled[j]!) >>> 0;
        const plainDifference = (plain[i * d + j]! ^ plain[j]!) >>> 0;
        // Lower triangular with unit diagonal: the most significant set digit stays where it was.
        expect(Math.clz32(difference)).toBe(Math.clz32(plainDifference));
      }
    }
  });
});
