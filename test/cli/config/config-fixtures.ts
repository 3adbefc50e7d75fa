import { writeFileSync } from "node:fs";
import { join } from "node:path";

/** The experiment config of the `ascent` documentation, exactly as written there. */
export const ISSUE_EXAMPLE = `name: cache_tuning
parameters:
  - { name: threads, type: range, bounds: [1, 64], valueType: int, logScale: true }
  - { name: cacheMb, type: range, bounds: [16, 4096], valueType: int }
  - { name: policy, type: choice, values: [lru, lfu, arc, fifo], isOrdered: false }
  - { name: warmup, type: fixed, value: true }
parameterConstraints: ["threads <= cacheMb"]
objectives:
  p99Ms: { minimize: true }
outcomeConstraints: ["memoryMb <= 2048"]
trackingMetrics: [throughput]
runner:
  type: command                       # or: function (module + export), queue (redis + queue)
  command: ["node", "bench.mjs", "--threads", "{threads}"]
  timeoutSeconds: 60
scheduler: { totalTrials: 30, maxParallelism: 2, toleratedTrialFailureRate: 0.5, ttlSecondsForTrials: 600 }
generationStrategy: default            # or explicit steps: [{ generator: sobol, numTrials: 8 }, { generator: botorch }]
storage: sqlite:./ascent.db            # the default; postgres://... for teams
seed: 0
`;

/** A small valid config in YAML, with `extra` lines appended (later keys of the same name are errors). */
export function smallConfig(extra = ""): string {
  return `name: small
parameters:
  - { name: x, type: range, bounds: [0, 1] }
  - { name: y, type: range, bounds: [1, 5], valueType: int }
objectives:
  loss: { minimize: true }
runner:
  type: command
  command: ["node", "evaluate.mjs", "{x}", "{y}"]
${extra}`;
}

/** Writes `text` as `name` in `dir` and returns its path. */
export function writeConfig(dir: string, text: string, name = "experiment.yaml"): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
