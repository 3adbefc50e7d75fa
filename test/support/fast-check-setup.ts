/**
 * Makes every fast-check property reproducible: the runs that do not pass their own seed use the seed of
 * {@link fastCheckSeed} instead of one drawn from the clock. Loaded before each test file through
 * `setupFiles` in vitest.config.ts.
 */
import fc from "fast-check";
import { fastCheckSeed } from "./fast-check-seed.js";

fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: fastCheckSeed() });
