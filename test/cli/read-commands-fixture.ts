import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";
import { Client } from "../../src/service/client.js";
import { DBSettings } from "../../src/storage/db-settings.js";
import { Rng } from "../../src/util/rng.js";
import { adminQuery, POSTGRES_URL, randomSchema } from "../integration/postgres-fixture.js";

/** What `ascent ARGV` printed and returned, run in this process through `main`. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs `ascent argv` in this process, capturing stdout and stderr lines. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** Options of {@link storeExperiment}. */
export interface StoredExperimentOptions {
  /** Trials completed (default 6); one more is left RUNNING and one FAILED after them. */
  completed?: number;
  /** Two objectives (a and b, both minimized) instead of one (loss). */
  multiObjective?: boolean;
  /** Intermediate results of each completed trial before its final one, at steps 1..progressSteps (default none). */
  progressSteps?: number;
  /** Objective values reported with this sem, after seeded Gaussian noise of that sd (default: exact, bare). */
  sem?: number;
}

/**
 * Stores an experiment named `name` at `url` through the ask/tell Client (seed 0): `completed` COMPLETED
 * trials of a quadratic on x in [0, 1] and y in {"red", "blue"}, then one FAILED and one RUNNING trial.
 */
export async function storeExperiment(
  url: string,
  name: string,
  options: StoredExperimentOptions = {},
): Promise<void> {
  const db = new DBSettings(url);
  const client = new Client({ seed: 0, dbSettings: db, verboseLogging: false });
  await client.createExperiment({
    name,
    parameters: [
      { name: "x", type: "range", bounds: [0, 1] },
      { name: "color", type: "choice", values: ["red", "blue"], isOrdered: false },
    ],
    objectives: options.multiObjective
      ? { a: { minimize: true }, b: { minimize: true } }
      : { loss: { minimize: true } },
    trackingMetricNames: ["size"],
  });
  const noise = new Rng(5);
  for (let i = 0; i < (options.completed ?? 6); i++) {
    const { trialIndex, parameters } = await client.getNextTrial();
    const x = Number(parameters.x);
    const shift = parameters.color === "red" ? 0 : 0.1;
    const values: Record<string, number> = options.multiObjective
      ? { a: x + shift, b: (1 - x) ** 2 + shift, size: i }
      : { loss: (x - 0.3) ** 2 + shift, size: i };
    for (let step = 1; step <= (options.progressSteps ?? 0); step++) {
      const progress = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v + 1 / step]));
      await client.attachProgress(trialIndex, progress, { step });
    }
    const sem = options.sem;
    const reported: Record<string, number | [number, number]> =
      sem === undefined
        ? values
        : Object.fromEntries(
            Object.entries(values).map(([k, v]) => [k, k === "size" ? v : [v + sem * noise.normal(), sem]]),
          );
    await client.completeTrial(trialIndex, reported);
  }
  const failed = await client.getNextTrial();
  await client.logTrialFailure(failed.trialIndex, "out of memory");
  await client.getNextTrial(); // left RUNNING
  await (await db.openStore()).close();
}

/** A store for the read commands' tests: its URL and how to remove it. */
export interface TestStore {
  url: string;
  cleanup(): Promise<void>;
}

/** The two SQL stores every read command is tested on: a SQLite file, and PostgreSQL in its own schema. */
export const BACKENDS: readonly { name: string; create(): Promise<TestStore> }[] = [
  {
    name: "SQLite",
    create: async () => {
      const dir = mkdtempSync(join(tmpdir(), "ascent-cli-read-"));
      return {
        url: `sqlite:${join(dir, "ascent.db")}`,
        cleanup: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: "PostgreSQL",
    create: async () => {
      const schema = randomSchema();
      return {
        url: `${POSTGRES_URL}?schema=${schema}`,
        cleanup: async () => {
          await adminQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        },
      };
    },
  },
];

/** Loads an experiment from the store at `url` (opened read-write, as a library user would). */
export async function loadFrom(url: string, name: string) {
  const store = await new DBSettings(url).openStore();
  try {
    const experiment = await store.loadExperiment(name);
    if (experiment === null) throw new Error(`no experiment ${name} at ${url}`);
    return { experiment, generationState: await store.loadGenerationState(name) };
  } finally {
    await store.close();
  }
}
