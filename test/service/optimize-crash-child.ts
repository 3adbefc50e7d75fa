/**
 * Runs `optimize` on a SQLite file whose third trial's evaluation never ends; prints "hung" once that
 * trial is saved RUNNING (the Scheduler saves a deployment before it waits, and calls its idle callback
 * while waiting), so the test can SIGKILL this process then. Args: sqlite URL, experiment name.
 */
import { DBSettings, LogLevel, optimize } from "../../src/index.js";
import { registerFunctionRunner } from "../runners/function/fixtures.js";

const [url, name] = process.argv.slice(2);
registerFunctionRunner();
await optimize({
  name: name!,
  parameters: [{ name: "x", type: "range", bounds: [0, 1] }],
  objectives: { loss: { minimize: true } },
  evaluate: ({ x }, { trialIndex }) => {
    if (trialIndex < 2) return (Number(x) - 0.3) ** 2;
    return new Promise<number>(() => undefined);
  },
  schedulerOptions: {
    idleCallback: (scheduler) => {
      if (scheduler.runningTrials.some((t) => t.index === 2)) process.stdout.write("hung\n");
    },
  },
  totalTrials: 5,
  seed: 0,
  dbSettings: new DBSettings({ url: url! }),
  chooseGenerationStrategyOptions: { forceRandomSearch: true },
  loggingLevel: LogLevel.ERROR,
});
