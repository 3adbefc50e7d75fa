import type { Experiment } from "../core/experiment.js";

interface Seen {
  experimentId: number;
  /** Every change numbered up to this one is reflected in the in-memory experiment. */
  seq: number;
  /** Changes above `seq` that this store wrote itself (so refresh must not re-apply them). */
  own: Set<number>;
}

/**
 * Remembers, per in-memory experiment, which of the stored changes it already reflects, so that
 * refresh reads only the others' changes. Each saveTrials/saveData gets the next `change_seq` of its
 * experiment row; the row lock taken by that update makes writers of one experiment commit in
 * sequence order, so "everything up to N" is a well-defined point.
 * @internal
 */
export class ChangeTracker {
  private readonly seen = new WeakMap<Experiment, Seen>();

  get(experiment: Experiment): Readonly<Seen> | undefined {
    return this.seen.get(experiment);
  }

  /** The experiment reflects the store up to `seq` (just loaded or refreshed). */
  reset(experiment: Experiment, experimentId: number, seq: number): void {
    const own = this.seen.get(experiment)?.own ?? new Set<number>();
    for (const s of own) if (s <= seq) own.delete(s);
    this.seen.set(experiment, { experimentId, seq, own });
  }

  /**
   * The experiment's definition was saved from this object: from now on it is the stored experiment.
   * Keeps what is known when it already tracked this very experiment.
   */
  adopt(experiment: Experiment, experimentId: number, seq: number): void {
    if (this.seen.get(experiment)?.experimentId !== experimentId) this.reset(experiment, experimentId, seq);
  }

  /** After commit: change `seq` came from this object, so refresh skips it. */
  recordOwn(experiment: Experiment, experimentId: number, seq: number): void {
    const entry = this.seen.get(experiment);
    if (!entry || entry.experimentId !== experimentId) return;
    entry.own.add(seq);
    while (entry.own.delete(entry.seq + 1)) entry.seq++;
  }

  /** Whether change `seq` of a tracked experiment was written from this object. */
  isOwn(experiment: Experiment, seq: number): boolean {
    return this.seen.get(experiment)?.own.has(seq) ?? false;
  }
}
