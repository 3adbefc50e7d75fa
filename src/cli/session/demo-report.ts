import { dirname, join } from "node:path";
import type { Experiment } from "../../core/experiment.js";
import type { GenerationStrategy } from "../../generation/generation-strategy.js";
import type { CliContext } from "../cli-context.js";

/** The report's file name the demo writes. */
export const DEMO_REPORT_FILE = "report.html";

/**
 * Where the demo writes its report: next to its SQLite file (`sqlite:./ascent.db` gives
 * `./report.html`), or in the working directory for a store without a file (PostgreSQL, memory).
 * @param storeDescription the opened store's description, `sqlite:PATH` for a SQLite file.
 */
export function demoReportPath(storeDescription: string): string {
  const sqlite = /^sqlite:(.+)$/.exec(storeDescription);
  const file = sqlite?.[1];
  return file === undefined || file === ":memory:" ? DEMO_REPORT_FILE : join(dirname(file), DEMO_REPORT_FILE);
}

/**
 * Writes the demo's HTML report and says where; a report that cannot be written is reported on stderr
 * without failing the run (its trials are stored either way).
 */
export async function writeDemoReport(
  context: CliContext,
  experiment: Experiment,
  generationStrategy: GenerationStrategy,
  path: string,
): Promise<void> {
  // Imported here: the report loads Vega, which the rest of the demo never needs.
  const [{ writeReport }, { ReportWriteError }] = await Promise.all([
    import("../../reporting/report/write-report.js"),
    import("../../errors.js"),
  ]);
  try {
    const written = await writeReport(experiment, path, { generationStrategy });
    context.out(`Report: ${written} (open it in a browser; it needs no network).`);
  } catch (error) {
    if (!(error instanceof ReportWriteError)) throw error;
    context.err(`ascent demo: no report written: ${error.message}`);
  }
}
