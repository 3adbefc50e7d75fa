/**
 * Seeded pseudo-random numbers (xoshiro128**, seeded through splitmix32).
 *
 * Every random choice in Ascent goes through an `Rng` built from an explicit seed, so the same seed
 * always gives the same trials. The state is four 32-bit words and can be saved and restored, which
 * lets a resumed run continue the exact stream an uninterrupted run would have drawn.
 */
export class Rng {
  private readonly s: Uint32Array;
  private spareNormal: number | null = null;

  /** @param seed any finite number; non-integers are truncated. */
  constructor(seed = 0) {
    this.s = new Uint32Array(4);
    let x = Math.trunc(seed) >>> 0;
    // splitmix32 spreads even tiny or similar seeds over the whole state space.
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if ((this.s[0]! | this.s[1]! | this.s[2]! | this.s[3]!) === 0) this.s[0] = 1;
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2] = (s[2]! ^ s[0]!) >>> 0;
    s[3] = (s[3]! ^ s[1]!) >>> 0;
    s[1] = (s[1]! ^ s[2]!) >>> 0;
    s[0] = (s[0]! ^ s[3]!) >>> 0;
    s[2] = (s[2]! ^ t) >>> 0;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n). @throws RangeError when n is not a positive integer. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0)
      throw new RangeError(`Rng.int: n must be a positive integer, got ${n}`);
    return Math.floor(this.next() * n);
  }

  /** Standard normal draw (Marsaglia polar method). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * f;
    return u * f;
  }

  /** A new generator seeded from this one, for an independent sub-stream. */
  fork(): Rng {
    return new Rng(this.nextUint32());
  }

  /** The state, as four unsigned 32-bit integers, for storage. */
  getState(): [number, number, number, number] {
    this.spareNormal = null;
    return [this.s[0]!, this.s[1]!, this.s[2]!, this.s[3]!];
  }

  /** A generator that continues exactly from a state returned by {@link Rng.getState}. */
  static fromState(state: readonly number[]): Rng {
    const rng = new Rng(0);
    for (let i = 0; i < 4; i++) rng.s[i] = (state[i] ?? 0) >>> 0;
    if ((rng.s[0]! | rng.s[1]! | rng.s[2]! | rng.s[3]!) === 0) rng.s[0] = 1;
    return rng;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
