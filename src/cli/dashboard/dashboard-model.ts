import type { ExperimentStore } from "../../core/experiment-store.js";
import type { ExperimentSummary } from "../format/experiment-summary.js";
import { ExperimentWatcher, type WatcherTiming } from "./experiment-watcher.js";

/** One row of the experiments list: the summary, or why the experiment cannot be shown. */
export interface ListedExperiment {
  readonly name: string;
  readonly summary: ExperimentSummary | null;
  readonly error: string | null;
}

/** The experiments list, or why the store could not be read. */
export interface ExperimentList {
  readonly storage: string;
  readonly experiments: readonly ListedExperiment[];
  readonly error: string | null;
}

/** Options of {@link DashboardModel}. */
export interface DashboardModelOptions extends WatcherTiming {
  /** How often watched experiments are brought up to date with the store (ms). */
  readonly refreshMs: number;
}

/**
 * What the dashboard knows of the store: one {@link ExperimentWatcher} per experiment opened (loaded
 * once, then refreshed by changes), and a loop that refreshes the ones a page is watching.
 */
export class DashboardModel {
  private readonly watchers = new Map<string, Promise<ExperimentWatcher | null>>();
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly store: ExperimentStore,
    readonly description: string,
    private readonly options: DashboardModelOptions,
  ) {
    this.timer = setInterval(() => void this.tick(), options.refreshMs);
    this.timer.unref();
  }

  /**
   * The watcher of experiment `name`, loading it on first use; null when the store holds no such experiment.
   * @throws StorageError when the store cannot be read.
   */
  async watcher(name: string): Promise<ExperimentWatcher | null> {
    let pending = this.watchers.get(name);
    if (!pending) {
      pending = this.load(name);
      this.watchers.set(name, pending);
      // A failed or missing load is retried at the next request (the experiment may appear later).
      pending.then(
        (w) => w ?? this.watchers.delete(name),
        () => this.watchers.delete(name),
      );
    }
    return pending;
  }

  /** The stored experiments with their summaries, each brought up to date first. Never throws. */
  async list(): Promise<ExperimentList> {
    let names: string[];
    try {
      names = (await this.store.listExperiments()).sort((a, b) => a.localeCompare(b));
    } catch (error) {
      return { storage: this.description, experiments: [], error: messageOf(error) };
    }
    const experiments = await Promise.all(names.map((name) => this.listed(name)));
    return { storage: this.description, experiments, error: null };
  }

  /** Stops the refresh loop and the watchers' background work. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    const watchers = await Promise.allSettled(this.watchers.values());
    for (const w of watchers) if (w.status === "fulfilled") w.value?.close();
    this.watchers.clear();
  }

  private async listed(name: string): Promise<ListedExperiment> {
    try {
      const watcher = await this.watcher(name);
      if (!watcher) return { name, summary: null, error: "deleted while listing" };
      await watcher.refresh();
      return { name, summary: watcher.currentSummary, error: watcher.currentError };
    } catch (error) {
      return { name, summary: null, error: messageOf(error) };
    }
  }

  private async load(name: string): Promise<ExperimentWatcher | null> {
    const experiment = await this.store.loadExperiment(name);
    if (!experiment) return null;
    return ExperimentWatcher.start(this.store, experiment, this.options);
  }

  private async tick(): Promise<void> {
    for (const pending of this.watchers.values()) {
      const watcher = await pending.catch(() => null);
      if (watcher?.watched) await watcher.refresh();
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
