import { describe, expect, it } from "vitest";
import { ParameterValueError, ReservedNameError } from "../../src/errors.js";
import { Client, type CreateExperimentOptions } from "../../src/service/index.js";
import { Logger, LogLevel } from "../../src/util/logger.js";

const quiet = (): Logger => new Logger({ name: "test", level: LogLevel.SILENT });
const base: CreateExperimentOptions = {
  name: "names",
  parameters: [
    { name: "x", type: "range", bounds: [0, 1] },
    { name: "n", type: "range", bounds: [1, 9], valueType: "int" },
  ],
  objectives: { y: { minimize: true } },
};

async function refusal(options: CreateExperimentOptions): Promise<ReservedNameError> {
  const client = new Client({ logger: quiet() });
  const error = await client.createExperiment(options).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ReservedNameError);
  // Nothing was created: the Client still has no experiment.
  expect(() => client.experiment).toThrow(/no experiment yet/);
  return error as ReservedNameError;
}

describe("Client: names that every JavaScript object already has", () => {
  it.each(["__proto__", "constructor", "toString", "hasOwnProperty"])(
    "refuses a parameter named %j",
    async (name) => {
      const e = await refusal({
        ...base,
        parameters: [...base.parameters, { name, type: "range", bounds: [0, 1] }],
      });
      expect([e.reservedName, e.kind]).toEqual([name, "parameter"]);
    },
  );

  it.each(["__proto__", "valueOf"])("refuses an objective named %j", async (name) => {
    // A JSON document (or Object.fromEntries) gives "__proto__" as an own key, as users' configs do.
    const objectives = Object.fromEntries([[name, { minimize: true }]]);
    const e = await refusal({ ...base, objectives });
    expect([e.reservedName, e.kind]).toEqual([name, "metric"]);
  });

  it("refuses outcome constraints and tracking metrics with such names", async () => {
    expect((await refusal({ ...base, outcomeConstraints: ["constructor <= 3"] })).reservedName).toBe(
      "constructor",
    );
    expect((await refusal({ ...base, parameterConstraints: ["x + toString <= 1"] })).reservedName).toBe(
      "toString",
    );
  });
});

describe("Client.attachTrial: integer parameters", () => {
  it("refuses a non-integer value instead of running the trial at a rounded one", async () => {
    const client = new Client({ logger: quiet() });
    await client.createExperiment(base);
    const error = await client.attachTrial({ x: 0.5, n: 2.5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParameterValueError);
    expect((error as ParameterValueError).parameter).toBe("n");
    expect(client.experiment.numTrials).toBe(0);
    expect((await client.attachTrial({ x: 0.5, n: 3 })).parameters).toEqual({ x: 0.5, n: 3 });
  });
});
