import type { Experiment } from "../../core/experiment.js";
import type { ExperimentStore } from "../../core/experiment-store.js";
import { ALL_TRIAL_STATUSES } from "../../core/trial-status.js";
import { scriptSafeJsonText } from "../../reporting/html/json-for-script.js";
import { packJson } from "../../reporting/html/packed-json.js";
import { type ExperimentSummary, summarizeExperiment } from "../format/experiment-summary.js";
import { type CompiledChart, moreChartViews, traceChartViews } from "./dashboard-charts.js";
import {
  filledRows,
  type TableColumns,
  type TrialRow,
  tableColumns,
  trialRows,
  trialSignature,
} from "./trial-rows.js";

/** Timing of a watcher's background work. */
export interface WatcherTiming {
  /** At least this long between two recomputations of the trace (ms). */
  readonly traceIntervalMs: number;
  /** At least this long between two recomputations of the other charts and model views (ms). */
  readonly chartsIntervalMs: number;
  /** Whether the other charts include the views of the fitted model. */
  readonly models: boolean;
}

/** What a page learns about an experiment at load; then it follows the changes. */
export interface ExperimentState {
  readonly name: string;
  /** Increases with every change the watcher has seen; a page asks for the changes after it. */
  readonly version: number;
  readonly summary: ExperimentSummary;
  readonly columns: TableColumns;
  readonly rows: readonly TrialRow[];
  /** The optimization trace by trial, which a page draws first. */
  readonly trace: readonly CompiledChart[];
  /** Where the other charts are (fetched separately: they weigh megabytes for large experiments). */
  readonly charts: ChartsStatus;
  /** The last failure to read the store, or null when the last refresh worked. */
  readonly error: string | null;
}

/** The other charts (observations, model views) as last computed, and whether newer ones are coming. */
export interface ChartsStatus {
  /** `pending` until first computed; then `ready`, or `failed` (the last charts are kept). */
  readonly status: "pending" | "ready" | "failed";
  /** Increases with every recomputation; pages fetch the charts again when it does. */
  readonly version: number;
  readonly error: string | null;
}

/** What changed, as pushed to the pages watching the experiment. */
export type WatcherEvent =
  | { type: "trials"; version: number; summary: ExperimentSummary; columns: TableColumns; rows: TrialRow[] }
  | { type: "trace"; charts: readonly CompiledChart[] }
  | { type: "charts"; charts: ChartsStatus }
  | { type: "error"; error: string | null };

type Listener = (event: WatcherEvent) => void;

/**
 * One loaded experiment kept up to date with the store: each {@link ExperimentWatcher.refresh} applies
 * the changes others saved since (`refreshExperiment`, O(changes)), finds the trials whose rows changed,
 * and tells the listeners. The trace is recomputed when trials complete (at most every
 * `traceIntervalMs`), the other charts and the model views in the background at most every
 * `chartsIntervalMs`; pages are always served the last computed ones, so loading a page never waits
 * for a model fit.
 */
export class ExperimentWatcher {
  private version = 1;
  private readonly signatures = new Map<number, string>();
  private readonly rowVersions = new Map<string, number>();
  private readonly rowsByKey = new Map<string, TrialRow>();
  private readonly dataMetrics = new Set<string>();
  private fingerprint = "";
  private summary: ExperimentSummary;
  private columns: TableColumns;
  private trace: readonly CompiledChart[] = [];
  private traceVersion = 0;
  private lastTraceAt = 0;
  private lastTraceTook = 0;
  private charts: ChartsStatus = { status: "pending", version: 0, error: null };
  private moreCharts: readonly CompiledChart[] = [];
  private chartsOf = 0;
  private lastChartsAt = 0;
  private lastChartsTook = 0;
  private chartsJsonCache: { version: number; json: string } | null = null;
  private error: string | null = null;
  private refreshing: Promise<void> | null = null;
  private computing: Promise<void> | null = null;
  private readonly listeners = new Set<Listener>();
  private closed = false;
  /** Bumped by every change of what {@link ExperimentWatcher.state} returns. */
  private stamp = 0;
  /** The state as the JSON API sends it, and as a page inlines it, each of the stamp it was made at. */
  private apiJson: { stamp: number; text: string } | null = null;
  private pageJson: { stamp: number; text: string } | null = null;

  private constructor(
    private readonly store: ExperimentStore,
    private readonly experiment: Experiment,
    private readonly timing: WatcherTiming,
  ) {
    this.summary = summarizeExperiment(experiment);
    this.columns = tableColumns(experiment);
    this.scan();
  }

  /** Watches an experiment loaded from `store`, with its trace computed (other charts follow in the background). */
  static async start(store: ExperimentStore, experiment: Experiment, timing: WatcherTiming) {
    const watcher = new ExperimentWatcher(store, experiment, timing);
    await watcher.updateTrace(true);
    watcher.scheduleCharts();
    return watcher;
  }

  /** The experiment's name. */
  get name(): string {
    return this.experiment.name;
  }

  /** The summary as of the last refresh (for the experiments list). */
  get currentSummary(): ExperimentSummary {
    return this.summary;
  }

  /** The last refresh's failure, or null. */
  get currentError(): string | null {
    return this.error;
  }

  /** Everything a page shows, as of the last refresh. */
  state(): ExperimentState {
    return this.stateWith([...this.rowsByKey.values()]);
  }

  /**
   * {@link ExperimentWatcher.state} as JSON, serialized once per change: page loads between two changes
   * cost no serialization of the trials.
   */
  stateJson(): string {
    if (this.apiJson?.stamp !== this.stamp) {
      this.apiJson = { stamp: this.stamp, text: JSON.stringify(this.state()) };
    }
    return this.apiJson.text;
  }

  /**
   * {@link ExperimentWatcher.state} for inlining in a page's `<script type="application/json">`: made
   * script-safe, and with the rows packed (every row given every column, then `packJson`: a table of
   * 2,000 trials shrinks to about a third, which the page parses that much sooner). Cached apart from
   * {@link ExperimentWatcher.stateJson}: a page load serializes only what it sends.
   */
  stateScriptJson(): string {
    if (this.pageJson?.stamp !== this.stamp) {
      const state = this.stateWith(packJson(filledRows(this.rowsByKey.values(), this.columns)));
      this.pageJson = { stamp: this.stamp, text: scriptSafeJsonText(JSON.stringify(state)) };
    }
    return this.pageJson.text;
  }

  private stateWith<R>(rows: R): Omit<ExperimentState, "rows"> & { rows: R } {
    return {
      name: this.experiment.name,
      version: this.version,
      summary: this.summary,
      columns: this.columns,
      rows,
      trace: this.trace,
      charts: this.charts,
      error: this.error,
    };
  }

  /** The rows that changed after `version` (for a page that loaded at `version`). */
  rowsSince(version: number): TrialRow[] {
    const out: TrialRow[] = [];
    for (const [key, v] of this.rowVersions) if (v > version) out.push(this.rowsByKey.get(key)!);
    return out;
  }

  /** The version as of the last refresh. */
  get currentVersion(): number {
    return this.version;
  }

  /** Calls `listener` with every change until the returned function is called. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Whether a page is watching (the refresh loop skips experiments nobody looks at). */
  get watched(): boolean {
    return this.listeners.size > 0;
  }

  /** Applies what others saved since the last refresh; one refresh at a time. Never throws. */
  refresh(): Promise<void> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** Stops background work and forgets the listeners. */
  close(): void {
    this.closed = true;
    this.listeners.clear();
  }

  private async doRefresh(): Promise<void> {
    try {
      await this.store.refreshExperiment(this.experiment);
      this.setError(null);
    } catch (error) {
      this.setError(error instanceof Error ? error.message : String(error));
      return;
    }
    const changed = this.scan();
    if (changed.length === 0) return;
    this.emit({
      type: "trials",
      version: this.version,
      summary: this.summary,
      columns: this.columns,
      rows: changed,
    });
    void this.updateTrace(false);
    this.scheduleCharts();
  }

  /**
   * Finds the rows that changed. Whether anything changed at all is told by trial counts by status and
   * the number of data rows attached (O(1) per status); only then are the trials compared one by one.
   */
  private scan(): TrialRow[] {
    const e = this.experiment;
    const fingerprint = [
      e.numTrials,
      e.numDataRowsAttached,
      ...ALL_TRIAL_STATUSES.map((s) => e.countTrialsWithStatus(s)),
    ].join(",");
    if (fingerprint === this.fingerprint) return [];
    this.fingerprint = fingerprint;
    this.version++;
    const changed: TrialRow[] = [];
    for (const trial of e.trials.values()) {
      const signature = trialSignature(e, trial);
      if (this.signatures.get(trial.index) === signature) continue;
      this.signatures.set(trial.index, signature);
      const { rows, metrics } = trialRows(e, trial);
      for (const m of metrics) this.dataMetrics.add(m);
      for (const row of rows) {
        this.rowsByKey.set(row.key, row);
        this.rowVersions.set(row.key, this.version);
        changed.push(row);
      }
    }
    this.summary = summarizeExperiment(e);
    this.columns = tableColumns(e, this.dataMetrics);
    this.stamp++;
    return changed;
  }

  /** Recomputes the trace when trials ended since it was last computed, at most every traceIntervalMs. */
  private async updateTrace(now: boolean): Promise<void> {
    if (this.traceVersion === this.version) return;
    const wait = this.lastTraceAt + pause(this.timing.traceIntervalMs, this.lastTraceTook) - Date.now();
    if (!now && wait > 0) {
      setTimeout(() => void this.updateTrace(false), wait).unref();
      return;
    }
    this.traceVersion = this.version;
    const started = Date.now();
    try {
      this.trace = (await traceChartViews(this.experiment)).charts;
    } catch (error) {
      this.trace = [];
      this.stamp++;
      this.setError(`Drawing the trace failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.lastTraceAt = Date.now();
    this.lastTraceTook = this.lastTraceAt - started;
    if (!now) this.emit({ type: "trace", charts: this.trace });
  }

  /** The other charts as JSON (`{ status, version, error, charts }`), serialized once per recomputation. */
  chartsJson(): string {
    if (this.chartsJsonCache?.version !== this.charts.version) {
      const json = JSON.stringify({ ...this.charts, charts: this.moreCharts });
      this.chartsJsonCache = { version: this.charts.version, json };
    }
    return this.chartsJsonCache.json;
  }

  /** Starts a background computation of the other charts when they are out of date and due. */
  private scheduleCharts(): void {
    if (this.computing || this.closed || this.chartsOf === this.version) return;
    const wait = Math.max(
      0,
      this.lastChartsAt + pause(this.timing.chartsIntervalMs, this.lastChartsTook) - Date.now(),
    );
    this.computing = new Promise<void>((resolve) => setTimeout(resolve, wait).unref())
      .then(() => this.computeCharts())
      .finally(() => {
        this.computing = null;
        if (this.chartsOf !== this.version) this.scheduleCharts();
      });
  }

  private async computeCharts(): Promise<void> {
    if (this.closed) return;
    this.chartsOf = this.version;
    const version = this.charts.version + 1;
    const started = Date.now();
    try {
      this.moreCharts = (await moreChartViews(this.experiment, this.timing.models)).charts;
      this.charts = { status: "ready", version, error: null };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.charts = { status: "failed", version, error: message };
    }
    this.lastChartsAt = Date.now();
    this.lastChartsTook = this.lastChartsAt - started;
    this.emit({ type: "charts", charts: this.charts });
  }

  private setError(error: string | null): void {
    if (error === this.error) return;
    this.error = error;
    this.emit({ type: "error", error });
  }

  private emit(event: WatcherEvent): void {
    this.stamp++;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A page that went away mid-write must not stop the others' updates.
      }
    }
  }
}

/**
 * The pause before recomputing charts: the configured interval, or four times what the last computation
 * took when that is longer, so that charts of a large experiment never keep the server busy more than a
 * fifth of the time (it runs on the thread that answers the pages).
 */
function pause(intervalMs: number, lastTookMs: number): number {
  return Math.max(intervalMs, 4 * lastTookMs);
}
