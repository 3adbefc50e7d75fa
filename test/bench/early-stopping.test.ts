import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { answer } from "../../bench/early-stopping/curve-server.js";
import {
  LOSS_CAP,
  learningCurve,
  MAX_EPOCHS,
  type TrainingParams,
  trainEpochs,
} from "../../bench/early-stopping/learning-curve.js";
import { paramsAt, randomParams, readReference } from "../../bench/early-stopping/reference.js";
import { runSeed } from "../../bench/early-stopping/run-seed.js";
import { Rng } from "../../src/index.js";

const GOOD: TrainingParams = { learningRate: 0.03, l2: 1e-5, hiddenUnits: 24, momentum: 0.8 };
const DIVERGING: TrainingParams = { learningRate: 0.8, l2: 1e-5, hiddenUnits: 32, momentum: 0.9 };
const SLOW: TrainingParams = { learningRate: 0.002, l2: 1e-5, hiddenUnits: 32, momentum: 0.9 };

describe("learning-curve problem", () => {
  it("gives one finite validation loss per epoch, within (0, LOSS_CAP]", () => {
    const curve = learningCurve(GOOD);
    expect(curve).toHaveLength(MAX_EPOCHS);
    for (const v of curve) {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThan(0);
      expect(v).toBeLessThanOrEqual(LOSS_CAP);
    }
  });

  it("is deterministic: the same parameters give the same curve, in any order of calls", () => {
    const first = learningCurve(GOOD);
    learningCurve(DIVERGING);
    expect(learningCurve(GOOD)).toEqual(first);
    expect([...trainEpochs(GOOD)]).toEqual(first);
  });

  it("has curves that learn, that diverge to the cap, and that start slowly", () => {
    const good = learningCurve(GOOD);
    expect(good.at(-1)!).toBeLessThan(0.5 * good[0]!);
    expect(learningCurve(DIVERGING).at(-1)).toBe(LOSS_CAP);
    const slow = learningCurve(SLOW);
    expect(slow[9]!).toBeGreaterThan(0.8);
    expect(slow.at(-1)!).toBeLessThan(0.8 * slow[9]!);
    expect(slow.at(-1)!).toBeGreaterThan(good.at(-1)!);
  });

  it("refuses parameters outside the search space, naming the parameter", () => {
    expect(() => learningCurve({ ...GOOD, learningRate: 2 })).toThrow(/learningRate must be a number in/);
    expect(() => learningCurve({ ...GOOD, hiddenUnits: 3.5 })).toThrow(/hiddenUnits must be an integer/);
  });

  it("maps the corners of the unit cube to the bounds of the search space", () => {
    const corners = [paramsAt([0, 0, 0, 0]), paramsAt([1, 1, 1, 1])];
    const expected = [
      { learningRate: 1e-4, l2: 1e-6, hiddenUnits: 2, momentum: 0 },
      { learningRate: 1, l2: 0.1, hiddenUnits: 32, momentum: 0.95 },
    ];
    corners.forEach((params, i) => {
      for (const [name, value] of Object.entries(expected[i]!))
        expect(params[name as keyof TrainingParams]).toBeCloseTo(value, 15);
      expect(() => learningCurve(params)).not.toThrow();
    });
  });

  it("draws reference configurations inside the space, the same for the same seed", () => {
    const a = randomParams(new Rng(3));
    expect(randomParams(new Rng(3))).toEqual(a);
    expect(() => learningCurve(a)).not.toThrow();
  });

  it("reproduces the committed reference optimum from its parameters", () => {
    const reference = readReference();
    expect(reference.maxEpochs).toBe(MAX_EPOCHS);
    expect(learningCurve(reference.bestParams).at(-1)).toBeCloseTo(reference.bestFinalValue, 10);
  });
});

describe("curve server", () => {
  it("answers a request line with the curve and a bad line with an error", () => {
    expect(JSON.parse(answer(JSON.stringify({ params: GOOD })))).toEqual({ curve: learningCurve(GOOD) });
    expect(JSON.parse(answer("{not json"))).toHaveProperty("error");
    expect(JSON.parse(answer(JSON.stringify({ params: { ...GOOD, momentum: 3 } }))).error).toMatch(
      /momentum/,
    );
  });

  it("serves curves line by line as a process until stdin closes", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "bench/early-stopping/curve-server.ts"], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    const lines = createInterface({ input: child.stdout });
    const answers: unknown[] = [];
    lines.on("line", (line) => answers.push(JSON.parse(line)));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.stdin.write(`${JSON.stringify({ params: GOOD })}\n${JSON.stringify({ params: SLOW })}\n`);
    child.stdin.end();
    expect(await exited).toBe(0);
    expect(answers).toEqual([{ curve: learningCurve(GOOD) }, { curve: learningCurve(SLOW) }]);
  });
});

describe("bench seed run", () => {
  it("without early stopping trains every trial to the last epoch and measures regret against the reference", async () => {
    const run = await runSeed(0, 3, null, 0.1);
    expect(run.stepsPerTrial).toEqual([MAX_EPOCHS, MAX_EPOCHS, MAX_EPOCHS]);
    expect(run.totalSteps).toBe(3 * MAX_EPOCHS);
    expect(run.trialsStopped).toBe(0);
    expect(run.regret).toBeCloseTo(run.bestFinalValue - 0.1, 12);
    const again = await runSeed(0, 3, null, 0.1);
    expect(again.bestFinalValue).toBe(run.bestFinalValue);
  });
});
