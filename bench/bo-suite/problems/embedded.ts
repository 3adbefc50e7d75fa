/**
 * Branin embedded in 10 dimensions: only x3 and x7 matter (rescaled from [0, 1] to Branin's box), the
 * other eight are inert. Tests whether the model finds the two effective dimensions within 100
 * evaluations.
 */
import type { TestFunction } from "../../../src/index.js";
import { BraninExact } from "./smooth.js";

/** The effective coordinates (0-based) of the embedding. */
const ACTIVE = [2, 6] as const;

const [[lo1, hi1], [lo2, hi2]] = BraninExact.bounds as [[number, number], [number, number]];

export const BraninEmbedded10: TestFunction = {
  name: "Branin-embedded",
  dimension: 10,
  bounds: Array.from({ length: 10 }, () => [0, 1] as const),
  optimalValue: BraninExact.optimalValue,
  optimizer: Array.from({ length: 10 }, (_, i) =>
    i === ACTIVE[0]
      ? (BraninExact.optimizer[0]! - lo1) / (hi1 - lo1)
      : i === ACTIVE[1]
        ? (BraninExact.optimizer[1]! - lo2) / (hi2 - lo2)
        : 0.5,
  ),
  evaluate: (x) =>
    BraninExact.evaluate([lo1 + (hi1 - lo1) * x[ACTIVE[0]]!, lo2 + (hi2 - lo2) * x[ACTIVE[1]]!]),
};
