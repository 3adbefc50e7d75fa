import { randomUUID } from "node:crypto";
import { rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import type { Experiment } from "../../core/experiment.js";
import { ReportWriteError } from "../../errors.js";
import { renderReport } from "./render-report.js";
import type { ReportOptions } from "./report-options.js";

/**
 * Renders the report ({@link renderReport}) and writes it to `path` all at once: into a temporary file
 * in the same directory, then renamed over `path`, so a reader never sees half a report and a failed
 * write leaves the previous file as it was.
 * @returns the absolute path written.
 * @throws ReportWriteError when the directory does not exist or is not a directory
 * (`reason: "missing-directory"`), or the write fails (`"write-failed"`, e.g. no permission).
 * @example const file = await writeReport(experiment, "report.html", { generationStrategy: state });
 */
export async function writeReport(
  experiment: Experiment,
  path: string,
  options: ReportOptions = {},
): Promise<string> {
  const target = resolve(path);
  await checkDirectory(target);
  const page = await renderReport(experiment, options);
  const temporary = join(dirname(target), `.${basename(target)}.${randomUUID().slice(0, 8)}.tmp`);
  try {
    await writeFile(temporary, page, "utf8");
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    const code = (error as { code?: string }).code;
    const why =
      code === "EACCES" || code === "EPERM" || code === "EROFS"
        ? "this user may not write there; choose another path"
        : code === "EISDIR"
          ? "it is a directory; give a file name such as report.html"
          : (error as Error).message;
    throw new ReportWriteError(`Cannot write the report to ${target}: ${why}.`, {
      path: target,
      reason: "write-failed",
      cause: error,
    });
  }
  return target;
}

/** Fails before any rendering when the report's directory is missing, so the user learns it at once. */
async function checkDirectory(target: string): Promise<void> {
  const directory = dirname(target);
  const info = await stat(directory).catch(() => null);
  if (info?.isDirectory()) return;
  throw new ReportWriteError(
    `Cannot write the report to ${target}: the directory ${directory} ${
      info === null ? "does not exist" : "is not a directory"
    }. Create it first, or give another path.`,
    { path: target, reason: "missing-directory" },
  );
}
