import type { ExperimentStore } from "../../src/core/experiment-store.js";
import { StorageError } from "../../src/errors.js";

/** The store methods that write an experiment's trials, data or generation state. */
export type WriteMethod = "saveTrials" | "saveData" | "saveGenerationState" | "saveExperiment";

/** A store that refuses chosen writes, on demand, as a full disk or a lost connection would. */
export interface FailingStore {
  /** The wrapped store, to hand to a Client. */
  readonly store: ExperimentStore;
  /** Makes the `nth` (1-based, counting from now) call of `method` throw a StorageError. */
  failOn(method: WriteMethod, nth?: number): void;
  /** How many calls of `method` were refused so far. */
  refused(method: WriteMethod): number;
}

/**
 * Wraps a real store: every method passes through, except the chosen write calls, which throw a
 * StorageError before reaching the store (inside the caller's transaction, so the store rolls back the
 * writes made before it in that transaction).
 */
export function failingStore(inner: ExperimentStore): FailingStore {
  const plans = new Map<string, number[]>();
  const counts = new Map<string, number>();
  const refusals = new Map<string, number>();
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      const method = value.bind(target) as (...args: unknown[]) => unknown;
      if (typeof prop !== "string" || !plans.has(prop)) return method;
      return async (...args: unknown[]) => {
        const n = (counts.get(prop) ?? 0) + 1;
        counts.set(prop, n);
        if (plans.get(prop)!.includes(n)) {
          refusals.set(prop, (refusals.get(prop) ?? 0) + 1);
          throw new StorageError(`${prop} refused by the test (call ${n}).`);
        }
        return method(...args);
      };
    },
  });
  return {
    store,
    failOn(method, nth = 1) {
      const plan = plans.get(method) ?? [];
      plan.push((counts.get(method) ?? 0) + nth);
      plans.set(method, plan);
    },
    refused: (method) => refusals.get(method) ?? 0,
  };
}
