import { describe, expect, it } from "vitest";
import { Rng } from "../../src/util/rng.js";

const draw = (rng: Rng, n: number, f: (r: Rng) => number = (r) => r.next()): number[] =>
  Array.from({ length: n }, () => f(rng));

describe("Rng", () => {
  it("matches the xoshiro128** reference outputs and state updates", () => {
    // Known-answer values of the reference C implementation for this state.
    const rng = Rng.fromState([0x964d4a0c, 0xd40ab895, 0xad7fdecb, 0x3006f0f0]);
    const outputs: number[] = [];
    const states: number[][] = [];
    for (let i = 0; i < 4; i++) {
      outputs.push(rng.nextUint32());
      states.push(rng.getState());
    }
    expect(outputs).toEqual([0xf1391922, 0x6fe53806, 0xa5be2840, 0xf510ee70]);
    expect(states).toEqual([
      [0x72410269, 0xef382c52, 0x2e43bec7, 0x62432f20],
      [0xff3a011b, 0xb33a90fc, 0x2c5a18ae, 0xd81b946b],
      [0x941b058c, 0x605a8949, 0xa641e1b5, 0x0824bb59],
      [0xfc65379c, 0x52006d70, 0x87487639, 0xf1908343],
    ]);
  });

  it("builds doubles from 27 + 26 high bits of two consecutive outputs", () => {
    const rng = Rng.fromState([0x964d4a0c, 0xd40ab895, 0xad7fdecb, 0x3006f0f0]);
    const expected = ((0xf1391922 >>> 5) * 2 ** 26 + (0x6fe53806 >>> 6)) / 2 ** 53;
    expect(rng.next()).toBe(expected);
    expect(rng.next()).toBe(((0xa5be2840 >>> 5) * 2 ** 26 + (0xf510ee70 >>> 6)) / 2 ** 53);
  });

  it("is deterministic per seed, and different seeds give different streams", () => {
    expect(draw(new Rng(123), 50)).toEqual(draw(new Rng(123), 50));
    expect(draw(new Rng(123), 50)).not.toEqual(draw(new Rng(124), 50));
    expect(draw(new Rng(0), 5)).not.toEqual(draw(new Rng(1), 5));
    expect(draw(new Rng(), 5)).toEqual(draw(new Rng(0), 5));
    expect(draw(new Rng(7.9), 5)).toEqual(draw(new Rng(7), 5)); // non-integers are truncated
  });

  it("gives distinct first draws for many nearby seeds", () => {
    const firsts = new Set(Array.from({ length: 1000 }, (_, s) => new Rng(s).nextUint32()));
    expect(firsts.size).toBe(1000);
  });

  it("draws doubles in [0, 1) and uint32 in range", () => {
    const rng = new Rng(5);
    const xs = draw(rng, 10_000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    for (const u of draw(rng, 1_000, (r) => r.nextUint32())) {
      expect(Number.isInteger(u) && u >= 0 && u < 2 ** 32).toBe(true);
    }
  });

  it("continues identically after getState / fromState", () => {
    const a = new Rng(99);
    draw(a, 17);
    a.normal(); // leaves a spare normal, which getState discards
    const state = a.getState();
    expect(state).toHaveLength(4);
    const b = Rng.fromState(state);
    expect(draw(b, 100)).toEqual(draw(a, 100));
    expect(draw(b, 20, (r) => r.normal())).toEqual(draw(a, 20, (r) => r.normal()));
    expect(draw(b, 20, (r) => r.int(10))).toEqual(draw(a, 20, (r) => r.int(10)));
  });

  it("restores a copy of the state, not a reference", () => {
    const a = new Rng(3);
    const state = a.getState();
    const b = Rng.fromState(state);
    const c = Rng.fromState(state);
    draw(b, 10);
    expect(draw(c, 5)).toEqual(draw(new Rng(3), 5));
    expect(state).toEqual(new Rng(3).getState());
  });

  it("replaces an all-zero state, which would emit zeros forever", () => {
    const rng = Rng.fromState([0, 0, 0, 0]);
    expect(draw(rng, 10, (r) => r.nextUint32()).some((u) => u !== 0)).toBe(true);
  });

  it("draws integers uniformly in [0, n)", () => {
    const rng = new Rng(11);
    const counts = new Array<number>(6).fill(0);
    let nonIntegers = 0;
    for (let i = 0; i < 60_000; i++) {
      const k = rng.int(6);
      if (!Number.isInteger(k)) nonIntegers++;
      counts[k]!++;
    }
    expect(nonIntegers).toBe(0);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(60_000);
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(draw(rng, 100, (r) => r.int(1)).every((k) => k === 0)).toBe(true);
  });

  it.each([0, -1, 2.5, Number.NaN, Number.POSITIVE_INFINITY])("rejects int(%d)", (n) => {
    expect(() => new Rng(1).int(n)).toThrow(RangeError);
    expect(() => new Rng(1).int(n)).toThrow(`n must be a positive integer, got ${n}`);
  });

  it("draws standard normals with mean ~0 and variance ~1", () => {
    const rng = new Rng(2026);
    const n = 100_000;
    let sum = 0;
    let sumSq = 0;
    let within1 = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      sum += z;
      sumSq += z * z;
      if (Math.abs(z) < 1) within1++;
    }
    const mean = sum / n;
    const variance = sumSq / n - mean * mean;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
    expect(Math.abs(within1 / n - 0.6827)).toBeLessThan(0.01);
  });

  it("forks an independent, reproducible sub-stream", () => {
    const parent = new Rng(8);
    const child = parent.fork();
    const parentAgain = new Rng(8);
    const childAgain = parentAgain.fork();
    const c = draw(child, 50);
    expect(c).toEqual(draw(childAgain, 50));
    // Drawing from the child does not move the parent.
    expect(draw(parent, 50)).toEqual(draw(parentAgain, 50));
    // The child's stream is not the parent's.
    expect(c).not.toEqual(draw(new Rng(8), 50));
    const p2 = new Rng(8);
    p2.fork();
    expect(c).not.toEqual(draw(p2, 50));
    // Two forks in a row differ.
    const r = new Rng(8);
    expect(draw(r.fork(), 10)).not.toEqual(draw(r.fork(), 10));
  });
});
