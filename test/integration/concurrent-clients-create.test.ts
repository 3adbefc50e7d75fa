/**
 * Processes racing to create the same experiments: creation is insert-if-absent in one transaction, so
 * for each name exactly one process wins, the losers get ExperimentExistsError and change nothing, and
 * the stored definition is the winner's (its trial fits the stored search space).
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { Client, DBSettings } from "../../src/index.js";
import { tempDir } from "../support/temp-dir.js";
import { runTsxChild } from "../support/tsx-child.js";
import { adminQuery, POSTGRES_URL, randomSchema } from "./postgres-fixture.js";

const CHILD = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "create-race-child.ts");
const PROCESSES = 3;
const NAMES = 20;

async function race(url: string, schema: string): Promise<void> {
  // Child p searches x1 in [0, 10 * (p + 1)]: the stored bound tells whose definition was kept.
  const startAt = String(Date.now() + 4000);
  const results = await Promise.all(
    Array.from({ length: PROCESSES }, (_, p) =>
      runTsxChild(CHILD, [url, schema, String(NAMES), String(10 * (p + 1)), startAt]),
    ),
  );
  for (const r of results) expect(r.code, r.err).toBe(0);
  const dbSettings = new DBSettings({ url, ...(schema !== "-" ? { schema } : {}) });
  try {
    for (let i = 0; i < NAMES; i++) {
      const name = `race_${i}`;
      const outcomes = results.map((r) => r.out.split("\n").find((l) => l.split(" ")[1] === name));
      const winners = outcomes.flatMap((o, p) => (o?.startsWith("won ") ? [p] : []));
      expect(winners, `${name}: ${outcomes.join(" | ")}`).toHaveLength(1);
      for (const [p, o] of outcomes.entries()) {
        if (p !== winners[0]) expect(o).toBe(`lost ${name} ExperimentExistsError`);
      }
      const winner = winners[0]!;
      const x1 = Number(outcomes[winner]!.split(" ")[2]);
      const client = await Client.load({ experimentName: name, dbSettings, verboseLogging: false });
      const stored = client.experiment;
      expect(stored.searchSpace.getParameter("x1")).toMatchObject({ upper: 10 * (winner + 1) });
      expect(stored.numTrials).toBe(1);
      expect(stored.getTrial(0).arms[0]!.parameters.x1).toBe(x1);
      expect(stored.lookupTrialData(0).rows.map((r) => r.mean)).toEqual([x1]);
    }
  } finally {
    await (await dbSettings.openStore()).close();
  }
}

describe("processes racing to create the same experiments", () => {
  it("on SQLite: one winner per name, whose definition is stored", async () => {
    const dir = tempDir("ascent-create-race-");
    await race(`sqlite:${join(dir, "ascent.db")}`, "-");
  }, 120_000);

  describe("on PostgreSQL", () => {
    const schema = randomSchema();
    afterAll(async () => {
      await adminQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    });
    it("one winner per name, whose definition is stored", async () => {
      await race(POSTGRES_URL, schema);
    }, 120_000);
  });
});
