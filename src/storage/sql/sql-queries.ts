import type { BaseTrial } from "../../core/base-trial.js";
import type { DataRow } from "../../core/data.js";
import { malformed } from "../codec/json-shape.js";
import { readProgression } from "../codec/trial-codec.js";
import type { AscentDb } from "./sql-tables.js";

/**
 * Rows per INSERT: one statement per batch, kept below SQLite's 32766 and PostgreSQL's 65535 bound
 * parameters (8 columns a row).
 */
const ROWS_PER_STATEMENT = 1000;

/** A stored experiment's id and its latest change number. */
export interface ExperimentHead {
  id: number;
  changeSeq: number;
}

/**
 * Takes the experiment's next change number (and, on PostgreSQL, its row lock until commit, which is
 * what orders concurrent writers). Returns undefined when no experiment has that name.
 */
export async function nextChange(
  db: AscentDb,
  name: string,
  now: number,
): Promise<ExperimentHead | undefined> {
  const row = await db
    .updateTable("ascent_experiments")
    .set((eb) => ({ change_seq: eb("change_seq", "+", 1), updated_at: now }))
    .where("name", "=", name)
    .returning(["id", "change_seq"])
    .executeTakeFirst();
  return row && { id: Number(row.id), changeSeq: Number(row.change_seq) };
}

/**
 * Inserts an experiment row unless the name is taken (the unique index decides between concurrent
 * inserters; a PostgreSQL loser waits for the winner's commit). Returns the new id, or undefined.
 */
export async function insertExperimentIfAbsent(
  db: AscentDb,
  row: { name: string; definition: string; seq: number; now: number },
): Promise<number | undefined> {
  const inserted = await db
    .insertInto("ascent_experiments")
    .values({
      name: row.name,
      definition: row.definition,
      change_seq: row.seq,
      created_at: row.now,
      updated_at: row.now,
    })
    .onConflict((oc) => oc.column("name").doNothing())
    .returning("id")
    .executeTakeFirst();
  return inserted && Number(inserted.id);
}

/** Writes (inserting or replacing) an experiment's generation state. */
export async function upsertGenerationState(
  db: AscentDb,
  experimentId: number,
  state: string,
  now: number,
): Promise<void> {
  await db
    .insertInto("ascent_generation_states")
    .values({ experiment_id: experimentId, state, updated_at: now })
    .onConflict((oc) => oc.column("experiment_id").doUpdateSet({ state, updated_at: now }))
    .execute();
}

/** The experiment's id and change number, or undefined. */
export async function experimentHead(db: AscentDb, name: string): Promise<ExperimentHead | undefined> {
  const row = await db
    .selectFrom("ascent_experiments")
    .select(["id", "change_seq"])
    .where("name", "=", name)
    .executeTakeFirst();
  return row && { id: Number(row.id), changeSeq: Number(row.change_seq) };
}

/** A trial as written: serialized before the transaction, so the write lock is held only for the SQL. */
export interface TrialRowValues {
  trial_index: number;
  status: string;
  trial_type: string;
  snapshot: string;
}

/** Serializes trials for {@link upsertTrials}; the last occurrence of an index wins. */
export function trialRowValues(trials: readonly BaseTrial[]): TrialRowValues[] {
  // PostgreSQL refuses a statement that upserts the same row twice.
  const latest = new Map<number, BaseTrial>();
  for (const t of trials) latest.set(t.index, t);
  return [...latest.values()].map((t) => ({
    trial_index: t.index,
    status: t.status,
    trial_type: t.trialType,
    snapshot: JSON.stringify(t.toJSON()),
  }));
}

/** Inserts or replaces these trials' rows (and nothing else), in one statement per batch. */
export async function upsertTrials(
  db: AscentDb,
  experimentId: number,
  trials: readonly TrialRowValues[],
  changeSeq: number,
  now: number,
): Promise<void> {
  const rows = trials.map((t) => ({
    ...t,
    experiment_id: experimentId,
    change_seq: changeSeq,
    updated_at: now,
  }));
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    await db
      .insertInto("ascent_trials")
      .values(rows.slice(i, i + ROWS_PER_STATEMENT))
      .onConflict((oc) =>
        oc.columns(["experiment_id", "trial_index"]).doUpdateSet((eb) => ({
          status: eb.ref("excluded.status"),
          trial_type: eb.ref("excluded.trial_type"),
          snapshot: eb.ref("excluded.snapshot"),
          change_seq: eb.ref("excluded.change_seq"),
          updated_at: eb.ref("excluded.updated_at"),
        })),
      )
      .execute();
  }
}

/** Appends observations, in one statement per batch. */
export async function insertDataRows(
  db: AscentDb,
  experimentId: number,
  rows: readonly DataRow[],
  changeSeq: number,
): Promise<void> {
  const values = rows.map((r) => ({
    experiment_id: experimentId,
    trial_index: r.trialIndex,
    arm_name: r.armName,
    metric_name: r.metricName,
    mean: r.mean,
    sem: r.sem,
    progression: r.progression ? JSON.stringify(r.progression) : null,
    change_seq: changeSeq,
  }));
  for (let i = 0; i < values.length; i += ROWS_PER_STATEMENT) {
    await db
      .insertInto("ascent_data_rows")
      .values(values.slice(i, i + ROWS_PER_STATEMENT))
      .execute();
  }
}

/** A stored trial: its index, snapshot text and change number. */
export interface StoredTrial {
  index: number;
  snapshot: string;
  changeSeq: number;
}

/** The experiment's trials changed after `afterSeq` (all of them for -1), by index. */
export async function selectTrials(
  db: AscentDb,
  experimentId: number,
  afterSeq: number,
): Promise<StoredTrial[]> {
  let query = db
    .selectFrom("ascent_trials")
    .select(["trial_index", "snapshot", "change_seq"])
    .where("experiment_id", "=", experimentId);
  if (afterSeq >= 0) query = query.where("change_seq", ">", afterSeq);
  const rows = await query.orderBy("trial_index").execute();
  return rows.map((r) => ({ index: r.trial_index, snapshot: r.snapshot, changeSeq: Number(r.change_seq) }));
}

/** A stored observation with its change number. */
export interface StoredDataRow {
  row: DataRow;
  changeSeq: number;
}

/**
 * The experiment's observations with a change number in (afterSeq, uptoSeq], in the order they were
 * committed, so that the latest row per (trial, arm, metric) wins when they are attached in order.
 */
export async function selectDataRows(
  db: AscentDb,
  experimentId: number,
  afterSeq: number,
  uptoSeq: number,
): Promise<StoredDataRow[]> {
  const rows = await db
    .selectFrom("ascent_data_rows")
    .select(["trial_index", "arm_name", "metric_name", "mean", "sem", "progression", "change_seq"])
    .where("experiment_id", "=", experimentId)
    .where("change_seq", ">", afterSeq)
    .where("change_seq", "<=", uptoSeq)
    .orderBy("change_seq")
    .orderBy("id")
    .execute();
  return rows.map((r) => {
    const row: DataRow = {
      trialIndex: r.trial_index,
      armName: r.arm_name,
      metricName: r.metric_name,
      mean: r.mean,
      sem: r.sem,
    };
    const changeSeq = Number(r.change_seq);
    if (r.progression === null) return { row, changeSeq };
    return { row: { ...row, progression: parseProgression(r.progression, r.trial_index) }, changeSeq };
  });
}

/** A stored progression column. @throws StorageError for text that is not a JSON object of numbers. */
function parseProgression(text: string, trialIndex: number): Record<string, number> {
  const path = `ascent_data_rows.progression (trial ${trialIndex})`;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    malformed(path, "JSON text of an object of numbers", text);
  }
  return readProgression(json, path) ?? malformed(path, "an object of numbers", json);
}
