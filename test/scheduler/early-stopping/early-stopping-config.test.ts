import { describe, expect, it } from "vitest";
import { EarlyStoppingConfigError } from "../../../src/errors.js";
import {
  AndEarlyStoppingStrategy,
  CurvePredictionEarlyStoppingStrategy,
  DEFAULT_EARLY_STOPPING_TYPE,
  EARLY_STOPPING_TYPES,
  earlyStoppingStrategyFromConfig,
  OrEarlyStoppingStrategy,
  PercentileEarlyStoppingStrategy,
  ThresholdEarlyStoppingStrategy,
} from "../../../src/index.js";
import { catchError } from "../../core/helpers.js";

describe("earlyStoppingStrategyFromConfig", () => {
  it("builds each strategy by name with its options", () => {
    const percentile = earlyStoppingStrategyFromConfig({
      type: "percentile",
      percentileThreshold: 70,
      minCurves: 3,
    });
    expect(percentile).toBeInstanceOf(PercentileEarlyStoppingStrategy);
    expect((percentile as PercentileEarlyStoppingStrategy).options).toMatchObject({
      percentileThreshold: 70,
      minCurves: 3,
    });
    expect(earlyStoppingStrategyFromConfig({ type: "threshold", metricThreshold: 0.4 })).toBeInstanceOf(
      ThresholdEarlyStoppingStrategy,
    );
    expect(earlyStoppingStrategyFromConfig({ type: "curve-prediction" })).toBeInstanceOf(
      CurvePredictionEarlyStoppingStrategy,
    );
    const and = earlyStoppingStrategyFromConfig({
      type: "and",
      strategies: [
        { type: "percentile" },
        { type: "or", strategies: [{ type: "percentile" }, { type: "curve-prediction" }] },
      ],
    });
    expect(and).toBeInstanceOf(AndEarlyStoppingStrategy);
    expect((and as AndEarlyStoppingStrategy).strategies[1]).toBeInstanceOf(OrEarlyStoppingStrategy);
    expect(EARLY_STOPPING_TYPES).toEqual(["percentile", "threshold", "curve-prediction", "and", "or"]);
  });

  it("builds curve prediction, the default, when the config names no type", () => {
    const built = earlyStoppingStrategyFromConfig({ optimism: 1.5 });
    expect(built).toBeInstanceOf(CurvePredictionEarlyStoppingStrategy);
    expect(built.toJSON()).toMatchObject({ type: DEFAULT_EARLY_STOPPING_TYPE, optimism: 1.5 });
    expect(earlyStoppingStrategyFromConfig({})).toBeInstanceOf(CurvePredictionEarlyStoppingStrategy);
    // Options of another strategy are refused by the default one, at their path.
    const error = catchError(
      () => earlyStoppingStrategyFromConfig({ percentileThreshold: 70 }, "earlyStopping"),
      EarlyStoppingConfigError,
    );
    expect(error.path).toBe("earlyStopping.percentileThreshold");
  });

  it("rebuilds the same strategy from its toJSON, through JSON text", () => {
    const strategies = [
      new PercentileEarlyStoppingStrategy({
        percentileThreshold: 25,
        minProgression: 3,
        maxProgression: 40,
        normalizeProgressions: false,
        trialIndicesToIgnore: [0, 4],
        metricNames: ["loss"],
        progressionKey: "epoch",
        secondsBetweenPolls: 10,
      }),
      new ThresholdEarlyStoppingStrategy({ metricThreshold: -2, minCurves: 1, normalizeProgressions: true }),
      new CurvePredictionEarlyStoppingStrategy({ optimism: 1, transform: "none", minCurves: 3 }),
      new OrEarlyStoppingStrategy(
        new PercentileEarlyStoppingStrategy(),
        new AndEarlyStoppingStrategy(
          new ThresholdEarlyStoppingStrategy({ metricThreshold: 1 }),
          new CurvePredictionEarlyStoppingStrategy(),
        ),
      ),
    ];
    for (const strategy of strategies) {
      const config = JSON.parse(JSON.stringify(strategy));
      const rebuilt = earlyStoppingStrategyFromConfig(config);
      expect(rebuilt.constructor).toBe(strategy.constructor);
      expect(rebuilt.toJSON()).toEqual(strategy.toJSON());
    }
  });

  it("names the wrong option by its path in the config, with what is accepted", () => {
    const cases: [unknown, string, RegExp][] = [
      [null, "", /must be an object such as \{ "type": "percentile" \}, got null/],
      [[], "", /must be an object/],
      [
        { type: "median" },
        "type",
        /unknown early-stopping type "median"; use one of "percentile", "threshold"/,
      ],
      [{ type: null }, "type", /unknown early-stopping type null/],
      [
        { type: "percentile", percentileThreshold: 150 },
        "percentileThreshold",
        /percentileThreshold: .*\(0, 100\)/,
      ],
      [{ type: "threshold" }, "metricThreshold", /metricThreshold must be a finite number/],
      [{ type: "and", strategies: [{ type: "percentile" }] }, "strategies", /at least two strategy configs/],
      [{ type: "or", strategies: [{ type: "percentile" }, {}], extra: 1 }, "extra", /unknown option "extra"/],
      [
        {
          type: "or",
          strategies: [
            { type: "percentile" },
            {
              type: "and",
              strategies: [{ type: "percentile" }, { type: "threshold", metricThreshold: 1, minCurves: -1 }],
            },
          ],
        },
        "strategies[1].strategies[1].minCurves",
        /^strategies\[1\]\.strategies\[1\]\.minCurves: ThresholdEarlyStoppingStrategy: minCurves must be an integer >= 1, got -1\.$/,
      ],
      [
        { type: "or", strategies: [{ type: "percentile" }, { type: "nope" }] },
        "strategies[1].type",
        /unknown/,
      ],
    ];
    for (const [config, path, message] of cases) {
      const error = catchError(() => earlyStoppingStrategyFromConfig(config), EarlyStoppingConfigError);
      expect(error.path, JSON.stringify(config)).toBe(path);
      expect(error.message).toMatch(message);
    }
    const nested = catchError(
      () => earlyStoppingStrategyFromConfig({ type: "percentile", minCurves: 0 }, "earlyStopping"),
      EarlyStoppingConfigError,
    );
    expect(nested.path).toBe("earlyStopping.minCurves");
    expect(nested.message).toMatch(/^earlyStopping\.minCurves: /);
  });
});
