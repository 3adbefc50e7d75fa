/**
 * The run writing to the store while `bench/dashboard.ts` loads pages: in its own process, every
 * `interval` ms it completes the trial it started last (status and one observation, one transaction)
 * and starts a new one. Prints how many trials it completed when stopped (SIGTERM).
 *
 * `tsx bench/dashboard-writer.ts PATH NAME INTERVAL_MS`
 */
import { Arm, Data, GeneratorRun, SqlStore, type Trial } from "../src/index.js";

const [path, name, interval] = process.argv.slice(2);
const store = await SqlStore.openSqlite({ path: path! });
const experiment = (await store.loadExperiment(name!))!;
let completed = 0;
let running: Trial | null = null;
let i = experiment.numTrials;

async function step(): Promise<void> {
  await store.withTransaction(async () => {
    const changed: Trial[] = [];
    if (running) {
      running.markCompleted();
      const data = Data.fromRows([
        {
          trialIndex: running.index,
          armName: running.arm.name,
          metricName: "loss",
          mean: Math.sin(running.index),
          sem: 0,
        },
      ]);
      experiment.attachData(data);
      await store.saveData(experiment, data);
      changed.push(running);
      completed++;
    }
    const x = (i % 97) / 97;
    const run = new GeneratorRun({
      arms: [new Arm({ parameters: { x1: x, x2: (i % 89) / 89, x3: (i % 83) / 83, x4: (i % 79) / 79 } })],
      generatorName: "Sobol",
      generationStepIndex: 0,
    });
    running = experiment.newTrial({ generatorRun: run }).markRunning();
    i++;
    changed.push(running);
    await store.saveTrials(experiment, changed);
  });
}

let stopping = false;
process.on("SIGTERM", () => {
  stopping = true;
});
console.log("writing");
while (!stopping) {
  await step();
  await new Promise((r) => setTimeout(r, Number(interval)));
}
await store.close();
console.log(`completed ${completed}`);
