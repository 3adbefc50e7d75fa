/**
 * The problems of `npm run bench -- bo-suite`, in table order, grouped by the difficulty they stand for.
 * Budgets are 10·d to 20·d evaluations. Basin thresholds sit between the global minimum's regret (0) and
 * the best local minimum's (found by multi-start local optimization; quoted in each function's TSDoc).
 */
import type { SuiteProblem } from "../problem.js";
import { boxProblem } from "./box.js";
import { gramacy, hartmann6L1 } from "./constrained.js";
import { BraninEmbedded10 } from "./embedded.js";
import { mixedProblem } from "./mixed.js";
import { braninNoisy, hartmann6Noisy, rosenbrockNoisy } from "./noisy.js";
import { ackley, levy, Michalewicz5, styblinskiTang } from "./rugged.js";
import { BraninExact, Hartmann3, Hartmann6Exact, Shekel10, SixHumpCamel } from "./smooth.js";
import { dixonPrice, GoldsteinPrice, rosenbrock } from "./valley.js";

export const SUITE_PROBLEMS: readonly SuiteProblem[] = [
  boxProblem(BraninExact, { key: "branin", family: "smooth", budget: 30 }),
  boxProblem(Hartmann3, {
    key: "hartmann3",
    family: "smooth",
    budget: 40,
    basinRegret: 0.09,
    basinNote: "the next local minimum's regret is 0.18",
  }),
  boxProblem(Hartmann6Exact, {
    key: "hartmann6",
    family: "smooth",
    budget: 60,
    basinRegret: 0.05,
    basinNote: "the next local minimum's regret is 0.119",
  }),
  boxProblem(rosenbrock(4), {
    key: "rosenbrock",
    family: "valley",
    budget: 50,
    basinRegret: 1,
    basinNote: "the local minimum near (−0.78, 0.61, 0.38, 0.15) has regret 3.70",
  }),
  boxProblem(GoldsteinPrice, {
    key: "goldstein-price",
    family: "valley",
    budget: 30,
    basinRegret: 10,
    basinNote: "local minima 30, 84, 840 have regrets 27, 81, 837",
  }),
  boxProblem(dixonPrice(4), { key: "dixon-price", family: "valley", budget: 50 }),
  boxProblem(ackley(5), {
    key: "ackley",
    family: "rugged",
    budget: 60,
    basinRegret: 1,
    basinNote: "the nearest local minima have regret 1.646",
  }),
  boxProblem(levy(5), {
    key: "levy",
    family: "rugged",
    budget: 60,
    basinRegret: 0.045,
    basinNote: "the next local minima have regret 0.0895",
  }),
  boxProblem(styblinskiTang(4), {
    key: "styblinski-tang",
    family: "rugged",
    budget: 50,
    basinRegret: 7,
    basinNote: "one coordinate in its second well costs 14.137",
  }),
  boxProblem(Michalewicz5, {
    key: "michalewicz",
    family: "plateau",
    budget: 60,
    basinRegret: 0.02,
    basinNote: "the next local minimum's regret is 0.0418",
  }),
  boxProblem(Shekel10, {
    key: "shekel",
    family: "deep-basins",
    budget: 50,
    basinRegret: 2,
    basinNote: "the next well's regret is 5.36",
  }),
  boxProblem(SixHumpCamel, {
    key: "six-hump-camel",
    family: "deep-basins",
    budget: 30,
    basinRegret: 0.4,
    basinNote: "the local minima's regret is 0.816",
  }),
  boxProblem(BraninEmbedded10, { key: "branin-10d", family: "embedded", budget: 100 }),
  mixedProblem,
  gramacy,
  hartmann6L1,
  hartmann6Noisy,
  braninNoisy,
  rosenbrockNoisy,
];

/** The problems named by `keys`, in the given order. */
export function problemsByKey(keys: readonly string[]): SuiteProblem[] {
  return keys.map((key) => {
    const problem = SUITE_PROBLEMS.find((p) => p.key === key);
    if (!problem)
      throw new Error(`Unknown problem ${key}; known: ${SUITE_PROBLEMS.map((p) => p.key).join(", ")}`);
    return problem;
  });
}
