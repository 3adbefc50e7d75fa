/**
 * Several ask/tell Clients in separate processes share one experiment on PostgreSQL: trial indices stay
 * unique, no update is lost, and the shared generation strategy never proposes an arm twice.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import {
  Client,
  DBSettings,
  GenerationStep,
  GenerationStrategy,
  Generators,
  TrialStatus,
} from "../../src/index.js";
import { runTsxChild } from "../support/tsx-child.js";
import { adminQuery, POSTGRES_URL, randomSchema } from "./postgres-fixture.js";

const CHILD = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "client-child.ts");

describe("concurrent Clients on PostgreSQL", () => {
  const schema = randomSchema();
  afterAll(async () => {
    await adminQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });

  it("keep trial indices unique and lose no update", async () => {
    const dbSettings = new DBSettings({ url: POSTGRES_URL, schema });
    // The test is about concurrency, not generation: Sobol keeps it fast and free of waits for data
    // (three workers could otherwise hit the Sobol step's minimum of observed trials).
    const creator = new Client({
      dbSettings,
      verboseLogging: false,
      generationStrategy: new GenerationStrategy({
        steps: [new GenerationStep({ generator: Generators.SOBOL, numTrials: -1 })],
        seed: 0,
      }),
    });
    await creator.createExperiment({
      name: "shared",
      parameters: [
        { name: "x1", type: "range", bounds: [-5, 10] },
        { name: "x2", type: "range", bounds: [0, 15] },
      ],
      objectives: { branin: { minimize: true } },
    });
    await (await dbSettings.openStore()).close();

    const workers = 3;
    const rounds = 6;
    const results = await Promise.all(
      Array.from({ length: workers }, () =>
        runTsxChild(CHILD, [POSTGRES_URL, schema, "shared", String(rounds)]),
      ),
    );
    for (const r of results) expect(r.code, r.err).toBe(0);
    const reported = results.flatMap((r) =>
      r.out
        .trim()
        .split("\n")
        .map((l) => Number(l.split(" ")[1])),
    );
    expect(reported.sort((a, b) => a - b)).toEqual(Array.from({ length: workers * rounds }, (_, i) => i));

    const check = new DBSettings({ url: POSTGRES_URL, schema });
    const store = await check.openStore();
    try {
      const experiment = (await store.loadExperiment("shared"))!;
      expect(experiment.numTrials).toBe(workers * rounds);
      expect(experiment.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(workers * rounds);
      expect(experiment.lookupData().rows).toHaveLength(workers * rounds);
      const signatures = new Set([...experiment.trials.values()].map((t) => t.arms[0]!.signature));
      expect(signatures.size).toBe(workers * rounds);
    } finally {
      await store.close();
    }
  }, 120_000);
});
