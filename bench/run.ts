/**
 * `npm run bench -- NAME [options]`: runs one benchmark, prints a table and writes
 * `bench/results/NAME.json`.
 */
const BENCHMARKS: Record<string, () => Promise<{ main: (args: string[]) => Promise<void> }>> = {
  bo: () => import("./bo.js"),
  "bo-recommendation": () => import("./bo/recommendation.js"),
  "bo-suite": () => import("./bo-suite.js"),
  "bo-scaling": () => import("./bo-scaling.js"),
  cli: () => import("./cli.js"),
  dashboard: () => import("./dashboard.js"),
  "early-stopping": () => import("./early-stopping.js"),
  "model-views": () => import("./model-views.js"),
  report: () => import("./report.js"),
  runners: () => import("./runners.js"),
  "runners-command": () => import("./runners-command.js"),
  "runners-function": () => import("./runners-function.js"),
  "runners-queue": () => import("./runners-queue.js"),
  scheduler: () => import("./scheduler.js"),
  soak: () => import("./soak.js"),
  startup: () => import("./startup.js"),
  storage: () => import("./storage.js"),
};

const [name, ...args] = process.argv.slice(2);
const load = name ? BENCHMARKS[name] : undefined;
if (!load) {
  console.error(`Usage: npm run bench -- <${Object.keys(BENCHMARKS).join("|")}> [options]`);
  process.exit(2);
}
await (await load()).main(args);
