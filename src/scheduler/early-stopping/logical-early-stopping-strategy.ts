import type { Experiment } from "../../core/experiment.js";
import { EarlyStoppingConfigError } from "../../errors.js";
import type { EarlyStoppingStrategy } from "../scheduler-options.js";

/** JSON form of an And/Or combination, as `earlyStoppingStrategyFromConfig` takes it. */
export interface LogicalEarlyStoppingConfig<C = unknown> {
  readonly type: "and" | "or";
  /** The combined strategies' configs, at least two. */
  readonly strategies: readonly C[];
}

/** Arguments of `shouldStopTrialsEarly`. */
type StopArgs = { trialIndices: ReadonlySet<number>; experiment: Experiment };

/**
 * Shared part of {@link AndEarlyStoppingStrategy} and {@link OrEarlyStoppingStrategy}: asks every
 * combined strategy (in order, each about the same trials) and merges the answers.
 */
abstract class LogicalEarlyStoppingStrategy implements EarlyStoppingStrategy {
  /** The combined strategies, in the order given. */
  readonly strategies: readonly EarlyStoppingStrategy[];
  /** The config `type` of this strategy. */
  abstract readonly kind: "and" | "or";

  constructor(name: string, strategies: readonly EarlyStoppingStrategy[]) {
    if (strategies.length < 2) {
      throw new EarlyStoppingConfigError(
        `${name} combines at least two strategies, got ${strategies.length}; use the strategy itself instead.`,
        { path: "strategies" },
      );
    }
    strategies.forEach((s, i) => {
      if (typeof s?.shouldStopTrialsEarly !== "function") {
        throw new EarlyStoppingConfigError(
          `${name}: strategies[${i}] is not an early-stopping strategy (it has no shouldStopTrialsEarly method).`,
          { path: `strategies[${i}]` },
        );
      }
    });
    this.strategies = Object.freeze([...strategies]);
  }

  /** The shortest wait asked by a combined strategy, so none of them is polled slower than it wants. */
  get secondsBetweenPolls(): number | undefined {
    const asked = this.strategies.map((s) => s.secondsBetweenPolls).filter((s) => s !== undefined);
    return asked.length === 0 ? undefined : Math.min(...asked);
  }

  /** Which of the running `trialIndices` to stop, with the combined reasons. */
  async shouldStopTrialsEarly(args: StopArgs): Promise<Map<number, string | null>> {
    const answers: Map<number, string | null>[] = [];
    for (const s of this.strategies) answers.push(await s.shouldStopTrialsEarly(args));
    return this.combine(answers);
  }

  /**
   * The combination as a config for `earlyStoppingStrategyFromConfig`, holding each part's `toJSON()`.
   * @throws EarlyStoppingConfigError when a part has no `toJSON` (a strategy of your own).
   */
  toJSON(): LogicalEarlyStoppingConfig {
    return {
      type: this.kind,
      strategies: this.strategies.map((s, i) => {
        const toJSON = (s as { toJSON?: () => unknown }).toJSON;
        if (typeof toJSON !== "function") {
          throw new EarlyStoppingConfigError(
            `strategies[${i}] has no toJSON(), so this combination cannot be written as a config.`,
            { path: `strategies[${i}]` },
          );
        }
        return toJSON.call(s);
      }),
    };
  }

  /** Merges the parts' answers (in the order of `strategies`) into one decision map. */
  protected abstract combine(answers: readonly Map<number, string | null>[]): Map<number, string | null>;
}

/** The reasons given for one trial, joined; null when no strategy gave one. */
function joinReasons(answers: readonly Map<number, string | null>[], trialIndex: number): string | null {
  const reasons = answers.map((a) => a.get(trialIndex)).filter((r): r is string => typeof r === "string");
  return reasons.length === 0 ? null : reasons.join("; ");
}

/**
 * Stops a trial only when every combined strategy stops it (Ax's `AndEarlyStoppingStrategy`, for two or
 * more strategies); the reason lists each strategy's reason, in order, separated by "; ".
 * @example new AndEarlyStoppingStrategy(percentile, new ThresholdEarlyStoppingStrategy({ metricThreshold: 1 }))
 * @throws EarlyStoppingConfigError for fewer than two strategies.
 */
export class AndEarlyStoppingStrategy extends LogicalEarlyStoppingStrategy {
  /** The config `type` of this strategy. */
  readonly kind = "and" as const;

  constructor(...strategies: EarlyStoppingStrategy[]) {
    super("AndEarlyStoppingStrategy", strategies);
  }

  protected combine(answers: readonly Map<number, string | null>[]): Map<number, string | null> {
    const out = new Map<number, string | null>();
    const [first, ...rest] = answers;
    for (const trialIndex of first?.keys() ?? []) {
      if (rest.every((a) => a.has(trialIndex))) out.set(trialIndex, joinReasons(answers, trialIndex));
    }
    return out;
  }
}

/**
 * Stops a trial when any combined strategy stops it (Ax's `OrEarlyStoppingStrategy`, for two or more
 * strategies); the reason lists the reasons of every strategy that stopped it, separated by "; ".
 * @example new OrEarlyStoppingStrategy(lossStrategy, accuracyStrategy)
 * @throws EarlyStoppingConfigError for fewer than two strategies.
 */
export class OrEarlyStoppingStrategy extends LogicalEarlyStoppingStrategy {
  /** The config `type` of this strategy. */
  readonly kind = "or" as const;

  constructor(...strategies: EarlyStoppingStrategy[]) {
    super("OrEarlyStoppingStrategy", strategies);
  }

  protected combine(answers: readonly Map<number, string | null>[]): Map<number, string | null> {
    const out = new Map<number, string | null>();
    for (const answer of answers) {
      for (const trialIndex of answer.keys()) {
        if (!out.has(trialIndex)) out.set(trialIndex, joinReasons(answers, trialIndex));
      }
    }
    return out;
  }
}
