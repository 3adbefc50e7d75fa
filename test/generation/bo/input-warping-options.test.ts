import { describe, expect, it } from "vitest";
import { SearchSpaceEncoding } from "../../../src/adapter/search-space-encoding.js";
import type { JsonValue } from "../../../src/core/json.js";
import { GenerationStrategyError } from "../../../src/errors.js";
import {
  DEFAULT_BOTORCH_OPTIONS,
  parseBoTorchOptions,
  parseBoTorchState,
  serializeBoTorchState,
} from "../../../src/generation/bo/botorch-options.js";
import { warpableColumns } from "../../../src/generation/bo/metric-models.js";
import type { GpHyperparameters } from "../../../src/numerics/gp/index.js";
import { mixedSpace } from "../helpers.js";

describe("BoTorch option inputWarping", () => {
  it("is off by default and accepts booleans", () => {
    expect(DEFAULT_BOTORCH_OPTIONS.inputWarping).toBe(false);
    expect(parseBoTorchOptions({ inputWarping: true })).toEqual({ inputWarping: true });
    expect(parseBoTorchOptions({ inputWarping: false })).toEqual({ inputWarping: false });
  });

  it.each([["yes"], [1], [null], [{}]] as [JsonValue][])("refuses %j with a named error", (value) => {
    expect(() => parseBoTorchOptions({ inputWarping: value })).toThrow(GenerationStrategyError);
    expect(() => parseBoTorchOptions({ inputWarping: value })).toThrow(
      /inputWarping=.*inputWarping \(booleans\)/,
    );
  });

  it("warps the FLOAT and INT columns, not the one-hot columns of an unordered choice", () => {
    const encoding = new SearchSpaceEncoding(mixedSpace());
    // x1, x2 (log scale), k, then opt's three one-hot columns.
    expect(encoding.dimension).toBe(6);
    expect(warpableColumns(encoding)).toEqual([0, 1, 2]);
  });
});

describe("saved GP hyperparameters with an input warping", () => {
  const warped: GpHyperparameters = {
    lengthscales: [0.2, 0.9],
    outputscale: 1.4,
    constantMean: -0.1,
    noiseVariance: 0.003,
    inputWarping: { dimensions: [0, 1], a: [0.4, 1.2], b: [2, 0.8] },
  };
  const plain: GpHyperparameters = {
    lengthscales: [0.3],
    outputscale: 1,
    constantMean: 0,
    noiseVariance: null,
  };

  it("round-trip through the generator state's JSON", () => {
    const json = serializeBoTorchState(
      3,
      4,
      new Map([
        ["f", warped],
        ["g", plain],
      ]),
    );
    const parsed = parseBoTorchState(JSON.parse(JSON.stringify(json)));
    expect(parsed.hyperparameters.f).toEqual(warped);
    expect(parsed.hyperparameters.g).toEqual(plain);
    expect("inputWarping" in parsed.hyperparameters.g!).toBe(false);
  });

  it("load from states saved without the field, or with null", () => {
    const state = {
      seed: 1,
      numGenerated: 2,
      hyperparameters: {
        f: { lengthscales: [0.3], outputscale: 1, constantMean: 0, noiseVariance: null },
        g: { lengthscales: [0.3], outputscale: 1, constantMean: 0, noiseVariance: null, inputWarping: null },
      },
    };
    expect(parseBoTorchState(state).hyperparameters).toEqual({ f: plain, g: plain });
  });

  it.each([
    ["a string", "warp"],
    ["a negative concentration", { dimensions: [0], a: [-1], b: [1] }],
    ["a dimension past the lengthscales", { dimensions: [2], a: [1], b: [1] }],
    ["unordered dimensions", { dimensions: [1, 0], a: [1, 1], b: [1, 1] }],
    ["lengths that disagree", { dimensions: [0, 1], a: [1], b: [1, 1] }],
    ["a non-number", { dimensions: [0], a: ["1"], b: [1] }],
  ] as [string, JsonValue][])(
    "drop an entry whose warping has %s (its next fit starts cold)",
    (_, inputWarping) => {
      const state = {
        seed: 1,
        numGenerated: 2,
        hyperparameters: {
          f: { lengthscales: [0.3, 0.5], outputscale: 1, constantMean: 0, noiseVariance: null, inputWarping },
          g: { lengthscales: [0.3], outputscale: 1, constantMean: 0, noiseVariance: null },
        },
      };
      expect(parseBoTorchState(state).hyperparameters).toEqual({ g: plain });
    },
  );
});
