/**
 * Kill-and-resume soak: a stored Scheduler (a real child process) is SIGKILLed `--kills` times at seeded
 * moments, start-up included (while loading, opening the store, storing the experiment, just after), and
 * each new process resumes the stored experiment (or starts it, when none is stored) until `--trials`
 * trials are done. Then the stored experiment is checked (see soak-checks.ts) and every violation counted.
 *
 * `npm run bench -- soak [--kills 10] [--trials 30] [--seed 1] [--stores sqlite,postgres]
 *   [--parallelism 3] [--timeout-s 300]`
 * SQLite uses a new file; PostgreSQL a new schema on ASCENT_SOAK_POSTGRES_URL (default the test server,
 * postgres://postgres@127.0.0.1:5432/test), dropped at the end. Writes `bench/results/soak.json`.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { DBSettings, type Experiment, Rng } from "../src/index.js";
import { flag, machineInfo, printTable, writeResult } from "./common.js";
import {
  committedCompletions,
  duplicateRuns,
  experimentViolations,
  processViolations,
  type Violation,
} from "./soak-checks.js";
import type { SoakChildConfig } from "./soak-child.js";
import { registerSoakClasses } from "./soak-experiment.js";
import { type KillPlan, type ProcessRecord, runSoakProcess, STARTUP_ANCHORS } from "./soak-process.js";

const POSTGRES_URL = process.env.ASCENT_SOAK_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

interface SoakOptions {
  kills: number;
  trials: number;
  seed: number;
  parallelism: number;
  timeoutMs: number;
}

/**
 * The moment of the `k`-th kill. The first two always fall in a start-up: the first before the experiment
 * can be stored (while loading or opening the store), the second around the first write; later ones are
 * start-up kills 30% of the time, otherwise after a few more completions (spread so that the kills fit
 * into the trials still to run).
 */
function planKill(rng: Rng, k: number, kills: number, remainingTrials: number): KillPlan {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng.next() * items.length)]!;
  const startup = (anchors: readonly (typeof STARTUP_ANCHORS)[number][]): KillPlan => {
    const anchor = pick(anchors);
    return { kind: "startup", anchor, delayMs: Math.round(rng.next() * (anchor === "spawn" ? 600 : 25)) };
  };
  if (k === 0) return startup(["spawn", "ready", "opened"]);
  if (k === 1) return startup(["first-call", "first-commit"]);
  if (rng.next() < 0.3) return startup(STARTUP_ANCHORS);
  const spread = Math.max(1, Math.min(3, Math.floor(remainingTrials / (kills - k + 1))));
  return {
    kind: "running",
    completions: 1 + Math.floor(rng.next() * spread),
    delayMs: Math.round(rng.next() * 150),
  };
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** A fresh database for one store kind, and how to remove it. */
function freshDatabase(store: string): { url: string; schema?: string; cleanup: () => Promise<void> } {
  if (store === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "ascent-soak-"));
    return {
      url: `sqlite:${join(dir, "soak.db")}`,
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  if (store === "postgres") {
    const schema = `ascent_soak_${randomBytes(6).toString("hex")}`;
    return {
      url: POSTGRES_URL,
      schema,
      cleanup: () => adminQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`),
    };
  }
  throw new Error(`Unknown store "${store}": use sqlite or postgres.`);
}

async function loadFinal(url: string, schema: string | undefined, name: string): Promise<Experiment | null> {
  const store = await new DBSettings({ url, ...(schema ? { schema } : {}) }).openStore();
  try {
    return await store.loadExperiment(name);
  } finally {
    await store.close();
  }
}

function countBy(labels: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const label of labels) out[label] = (out[label] ?? 0) + 1;
  return out;
}

async function soakOne(store: string, options: SoakOptions) {
  const db = freshDatabase(store);
  const config: SoakChildConfig = {
    url: db.url,
    ...(db.schema ? { schema: db.schema } : {}),
    experimentName: `soak_${store}_${options.seed}`,
    trials: options.trials,
    parallelism: options.parallelism,
    seed: options.seed,
  };
  const rng = new Rng(options.seed);
  const processes: ProcessRecord[] = [];
  const started = performance.now();
  try {
    let kills = 0;
    let last: ProcessRecord | null = null;
    while (kills < options.kills) {
      const plan = planKill(rng, kills, options.kills, options.trials - committedCompletions(processes).size);
      last = await runSoakProcess(config, plan, options.timeoutMs);
      processes.push(last);
      if (last.outcome !== "killed") break;
      kills++;
    }
    if (last === null || last.outcome === "killed")
      processes.push(await runSoakProcess(config, null, options.timeoutMs));
    const violations: Violation[] = [...processViolations(processes)];
    const duplicates = duplicateRuns(processes);
    violations.push(...duplicates.violations);
    let experiment: Experiment | null = null;
    try {
      experiment = await loadFinal(db.url, db.schema, config.experimentName);
      violations.push(...experimentViolations(experiment, options.trials, processes));
    } catch (error) {
      violations.push({ kind: "loadFailed", detail: String(error) });
    }
    const killed = processes.filter((p) => p.outcome === "killed");
    return {
      store,
      processes: processes.length,
      kills: killed.length,
      startupKills: killed.filter((p) => !p.killedDuring?.startsWith("running")).length,
      killMoments: countBy(killed.map((p) => p.killedDuring ?? "unknown")),
      relaunchesAfterUnrecordedLaunch: duplicates.relaunches,
      trialsStored: experiment?.numTrials ?? 0,
      trialsCompleted: experiment
        ? [...experiment.trials.values()].filter((t) => t.status === "COMPLETED").length
        : 0,
      violations: violations.length,
      violationList: violations,
      wallSeconds: (performance.now() - started) / 1000,
      processLog: processes.map((p) => ({
        mode: p.mode,
        plan: p.plan,
        outcome: p.outcome,
        killedDuring: p.killedDuring,
        launches: p.runs.length,
        commits: p.commits.length,
        calls: p.calls,
        wallMs: Math.round(p.wallMs),
        ...(p.message ? { message: p.message } : {}),
        ...(p.outcome === "error" || p.outcome === "exited" ? { stderrTail: p.stderrTail } : {}),
      })),
    };
  } finally {
    await db.cleanup();
  }
}

export async function main(args: string[]): Promise<void> {
  const options: SoakOptions = {
    kills: Number(flag(args, "kills") ?? "10"),
    trials: Number(flag(args, "trials") ?? "30"),
    seed: Number(flag(args, "seed") ?? "1"),
    parallelism: Number(flag(args, "parallelism") ?? "3"),
    timeoutMs: Number(flag(args, "timeout-s") ?? "300") * 1000,
  };
  const stores = (flag(args, "stores") ?? "sqlite,postgres").split(",");
  registerSoakClasses();
  const results = [];
  for (const store of stores) {
    console.log(
      `soak on ${store}: ${options.kills} kills, ${options.trials} trials, seed ${options.seed}...`,
    );
    results.push(await soakOne(store, options));
  }
  const path = writeResult("soak", {
    protocol:
      "Per store, a fresh database; child processes (node --import tsx bench/soak-child.ts) each resume the " +
      "stored experiment (or start it when none is stored) and run a Scheduler (Branin, simulated 20-200 ms " +
      "jobs, chooseGenerationStrategy with maxParallelismCap = parallelism) until killed with SIGKILL at the " +
      "seeded moment (kill 1 while loading or opening the store, kill 2 around the first store write, then " +
      "30% start-up moments, else 0-150 ms after 1-3 more completions); after the last kill one process runs " +
      "to the end. Checks: processes could resume; stored indices 0..n-1; n = trials; all COMPLETED; one data " +
      "row per arm equal to Branin of its parameters; no committed completion lost; no trial launched again " +
      "after it was stored RUNNING or COMPLETED; no two trials with the same parameters.",
    options: { ...options, stores },
    machine: machineInfo(),
    results,
  });
  printTable(
    results.map((r) => ({
      store: r.store,
      processes: r.processes,
      kills: r.kills,
      "start-up kills": r.startupKills,
      trials: r.trialsStored,
      completed: r.trialsCompleted,
      relaunches: r.relaunchesAfterUnrecordedLaunch,
      violations: r.violations,
      "wall s": r.wallSeconds,
    })),
  );
  for (const r of results) for (const v of r.violationList) console.log(`${r.store}: ${v.kind}: ${v.detail}`);
  console.log(`\nwrote ${path}`);
}
