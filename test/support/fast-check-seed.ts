/**
 * The seed of fast-check properties that do not pass their own: FAST_CHECK_SEED (any 32-bit integer, e.g.
 * the seed a failure report printed) or a fixed default. `fast-check-setup.ts` installs it.
 */

/** Seed used when FAST_CHECK_SEED is unset. */
export const DEFAULT_FAST_CHECK_SEED = 20261203;

/**
 * The seed for this run: FAST_CHECK_SEED when it is set, the default otherwise.
 * @throws Error when FAST_CHECK_SEED is set but is not a 32-bit integer, so a typo never turns into a
 * different (silently random) run.
 */
export function fastCheckSeed(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.FAST_CHECK_SEED;
  if (raw === undefined || raw.trim() === "") return DEFAULT_FAST_CHECK_SEED;
  const seed = Number(raw);
  if (!Number.isInteger(seed) || seed < -(2 ** 31) || seed >= 2 ** 32) {
    throw new Error(
      `FAST_CHECK_SEED must be a 32-bit integer, got "${raw}"; unset it to use ${DEFAULT_FAST_CHECK_SEED}.`,
    );
  }
  return seed;
}
