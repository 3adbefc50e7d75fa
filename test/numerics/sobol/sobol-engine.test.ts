import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  centeredL2Discrepancy,
  SOBOL_MAX_DIMENSION,
  SOBOL_MAX_POINTS,
  SobolEngine,
} from "../../../src/numerics/sobol/index.js";
import { Rng } from "../../../src/util/rng.js";

/** test/fixtures/sobol-reference.json, written by scripts/fixtures/sobol-reference.py from scipy. */
interface SobolReference {
  unscrambled: { d: number; n: number; points: number[][] }[];
  highDimension: { d: number; n: number; columns: number[]; points: number[][] };
  discrepancy: { name: string; n: number; d: number; points: number[][]; cd: number }[];
}

const reference = JSON.parse(
  readFileSync(new URL("../../fixtures/sobol-reference.json", import.meta.url), "utf8"),
) as SobolReference;

const flat = (rows: number[][]): Float64Array => Float64Array.from(rows.flat());

/** Column j of an n × d row-major matrix. */
function column(X: Float64Array, d: number, j: number): number[] {
  const out: number[] = [];
  for (let i = j; i < X.length; i += d) out.push(X[i]!);
  return out;
}

/** Whether every interval [c/2^k, (c+1)/2^k) holds exactly one of the 2^k values. */
function oneValuePerInterval(values: number[], k: number): boolean {
  const counts = new Uint32Array(2 ** k);
  for (const v of values) counts[Math.floor(v * 2 ** k)]!++;
  return values.length === 2 ** k && counts.every((c) => c === 1);
}

describe("SobolEngine, unscrambled", () => {
  it.each([2, 10, 100])("matches scipy.stats.qmc.Sobol(d=%i, scramble=False) exactly", (d) => {
    const ref = reference.unscrambled.find((r) => r.d === d)!;
    const X = new SobolEngine({ dimension: d, scramble: false }).draw(ref.n);
    expect(Array.from(X)).toEqual(Array.from(flat(ref.points)));
  });

  it("matches scipy at the end of the direction-number table (d = 1111)", () => {
    const ref = reference.highDimension;
    expect(ref.d).toBe(SOBOL_MAX_DIMENSION);
    const X = new SobolEngine({ dimension: ref.d, scramble: false }).draw(ref.n);
    for (let i = 0; i < ref.n; i++) {
      expect(ref.columns.map((j) => X[i * ref.d + j])).toEqual(ref.points[i]);
    }
  });

  it("starts at the origin and stays in [0, 1)", () => {
    const X = new SobolEngine({ dimension: 4, scramble: false }).draw(1024);
    expect(Array.from(X.subarray(0, 4))).toEqual([0, 0, 0, 0]);
    expect(X.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

describe("SobolEngine, scrambled", () => {
  it("is deterministic per seed and differs across seeds", () => {
    const a = new SobolEngine({ dimension: 6, seed: 42 }).draw(100);
    const b = new SobolEngine({ dimension: 6, seed: 42 }).draw(100);
    const c = new SobolEngine({ dimension: 6, seed: 43 }).draw(100);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    // Not the unscrambled sequence either, and no coordinate is shared between seeds.
    expect(a).not.toEqual(new SobolEngine({ dimension: 6, scramble: false }).draw(100));
    expect(Array.from(a).some((x, i) => x === c[i])).toBe(false);
  });

  it("scrambles by default, with seed 0", () => {
    expect(new SobolEngine({ dimension: 3 }).getState()).toEqual({
      dimension: 3,
      scramble: true,
      seed: 0,
      numGenerated: 0,
    });
    expect(new SobolEngine({ dimension: 3 }).draw(8)).toEqual(
      new SobolEngine({ dimension: 3, scramble: true, seed: 0 }).draw(8),
    );
  });

  it("keeps the leading columns when the dimension grows (same seed)", () => {
    const small = new SobolEngine({ dimension: 3, seed: 5 }).draw(50);
    const large = new SobolEngine({ dimension: 9, seed: 5 }).draw(50);
    for (let j = 0; j < 3; j++) expect(column(large, 9, j)).toEqual(column(small, 3, j));
  });

  it("puts values strictly inside (0, 1)", () => {
    const X = new SobolEngine({ dimension: 8, seed: 1 }).draw(4096);
    expect(X.every((x) => x > 0 && x < 1)).toBe(true);
  });

  it("has one point per interval [j/2^k, (j+1)/2^k) in each 1-D projection of the first 2^k points", () => {
    const d = 24;
    for (const seed of [0, 1, 2]) {
      for (let k = 0; k <= 12; k++) {
        const X = new SobolEngine({ dimension: d, seed }).draw(2 ** k);
        for (let j = 0; j < d; j++) expect(oneValuePerInterval(column(X, d, j), k)).toBe(true);
      }
    }
  });

  it("keeps the stratification for every later block of 2^k points", () => {
    const d = 5;
    const engine = new SobolEngine({ dimension: d, seed: 9 });
    for (let block = 0; block < 8; block++) {
      const X = engine.draw(64);
      for (let j = 0; j < d; j++) expect(oneValuePerInterval(column(X, d, j), 6)).toBe(true);
    }
  });

  it("makes the first two dimensions a (0, m, 2)-net: one point per elementary box of area 2^-m", () => {
    const m = 8;
    const X = new SobolEngine({ dimension: 2, seed: 11 }).draw(2 ** m);
    for (let a = 0; a <= m; a++) {
      const counts = new Uint32Array(2 ** m);
      for (let i = 0; i < 2 ** m; i++) {
        const cx = Math.floor(X[2 * i]! * 2 ** a);
        const cy = Math.floor(X[2 * i + 1]! * 2 ** (m - a));
        counts[cx * 2 ** (m - a) + cy]!++;
      }
      expect(counts.every((c) => c === 1)).toBe(true);
    }
  });

  it("has lower centered L2 discrepancy than uniform random points (256 points, 5 dims)", () => {
    const n = 256;
    const d = 5;
    const sobol = centeredL2Discrepancy(new SobolEngine({ dimension: d, seed: 3 }).draw(n), n, d);
    const random: number[] = [];
    for (let seed = 0; seed < 10; seed++) {
      const rng = new Rng(seed);
      random.push(
        centeredL2Discrepancy(
          Float64Array.from({ length: n * d }, () => rng.next()),
          n,
          d,
        ),
      );
    }
    random.sort((x, y) => x - y);
    const median = (random[4]! + random[5]!) / 2;
    expect(sobol).toBeLessThan(median);
  });
});

describe("SobolEngine position", () => {
  it.each([true, false])("fastForward then draw equals a longer draw (scramble=%s)", (scramble) => {
    const d = 7;
    const all = new SobolEngine({ dimension: d, scramble, seed: 21 }).draw(300);
    for (const skip of [0, 1, 2, 37, 64, 255]) {
      const engine = new SobolEngine({ dimension: d, scramble, seed: 21 }).fastForward(skip);
      expect(engine.numGenerated).toBe(skip);
      expect(engine.draw(300 - skip)).toEqual(all.subarray(skip * d));
    }
    const mixed = new SobolEngine({ dimension: d, scramble, seed: 21 });
    mixed.draw(10);
    mixed.fastForward(90);
    expect(mixed.draw(200)).toEqual(all.subarray(100 * d));
  });

  it("fastForward over a million points equals drawing them", () => {
    const d = 3;
    const skip = 1_000_003;
    const drawn = new SobolEngine({ dimension: d, seed: 8 });
    drawn.draw(skip);
    const skipped = new SobolEngine({ dimension: d, seed: 8 }).fastForward(skip);
    expect(skipped.draw(20)).toEqual(drawn.draw(20));
  });

  it("fromState continues identically, also through JSON", () => {
    const engine = new SobolEngine({ dimension: 4, seed: 77 });
    engine.draw(37);
    engine.fastForward(5);
    const state = engine.getState();
    expect(state).toEqual({ dimension: 4, scramble: true, seed: 77, numGenerated: 42 });
    const restored = SobolEngine.fromState(JSON.parse(JSON.stringify(state)));
    expect(restored.numGenerated).toBe(42);
    expect(restored.draw(50)).toEqual(engine.draw(50));
  });

  it("reset starts over with the same scrambling", () => {
    const engine = new SobolEngine({ dimension: 3, seed: 4 });
    const first = engine.draw(20);
    engine.reset();
    expect(engine.numGenerated).toBe(0);
    expect(engine.draw(20)).toEqual(first);
  });

  it("produces the last of the 2^32 points and then refuses to go on", () => {
    const engine = new SobolEngine({ dimension: 2, scramble: false }).fastForward(SOBOL_MAX_POINTS - 1);
    expect(Array.from(engine.draw(1))).toEqual([2 ** -32, 1 - 2 ** -32]);
    expect(engine.draw(0)).toHaveLength(0);
    expect(() => engine.draw(1)).toThrow(RangeError);
    expect(() => new SobolEngine({ dimension: 2 }).fastForward(SOBOL_MAX_POINTS + 1)).toThrow(RangeError);
  });
});

describe("SobolEngine dimensions and validation", () => {
  it("works in 1,000 dimensions", () => {
    const d = 1000;
    const X = new SobolEngine({ dimension: d, seed: 2 }).draw(128);
    expect(X).toHaveLength(128 * d);
    expect(X.every((x) => x > 0 && x < 1)).toBe(true);
    for (const j of [0, 1, 500, 998, 999]) expect(oneValuePerInterval(column(X, d, j), 7)).toBe(true);
  });

  it.each([0, -1, 1.5, Number.NaN, SOBOL_MAX_DIMENSION + 1])(
    "rejects dimension %s with a RangeError",
    (d) => {
      expect(() => new SobolEngine({ dimension: d })).toThrow(RangeError);
      expect(() => new SobolEngine({ dimension: d })).toThrow(
        /dimension must be an integer between 1 and 1111/,
      );
    },
  );

  it("rejects bad counts and seeds", () => {
    const engine = new SobolEngine({ dimension: 2 });
    expect(() => engine.draw(-1)).toThrow(RangeError);
    expect(() => engine.draw(1.5)).toThrow(RangeError);
    expect(() => engine.fastForward(Number.NaN)).toThrow(RangeError);
    expect(() => new SobolEngine({ dimension: 2, seed: Number.POSITIVE_INFINITY })).toThrow(RangeError);
    expect(() => SobolEngine.fromState({ dimension: 2, scramble: true, seed: 0, numGenerated: -3 })).toThrow(
      RangeError,
    );
  });
});

describe("centeredL2Discrepancy", () => {
  it.each(reference.discrepancy.map((r) => [r.name, r] as const))("matches scipy for %s", (_name, ref) => {
    const value = centeredL2Discrepancy(flat(ref.points), ref.n, ref.d);
    expect(Math.abs(value - ref.cd)).toBeLessThanOrEqual(1e-12 * Math.abs(ref.cd) + 1e-15);
  });

  it("rejects shape mismatches and values outside [0, 1]", () => {
    expect(() => centeredL2Discrepancy(new Float64Array(5), 2, 3)).toThrow(RangeError);
    expect(() => centeredL2Discrepancy(new Float64Array(0), 0, 3)).toThrow(RangeError);
    expect(() => centeredL2Discrepancy(Float64Array.from([0.5, 1.5]), 1, 2)).toThrow(RangeError);
    expect(() => centeredL2Discrepancy(Float64Array.from([0.5, Number.NaN]), 1, 2)).toThrow(RangeError);
  });
});
