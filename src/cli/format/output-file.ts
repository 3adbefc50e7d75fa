import { rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

/** What {@link writeOutputFile} did: the absolute path written, or why it could not write. */
export type OutputFileResult = { ok: true; path: string } | { ok: false; message: string };

/**
 * Writes `text` to `path` (relative to the working directory) all at once: into a temporary file next
 * to it, then renamed over it, so a reader never sees half an export and a failed write leaves the
 * previous file as it was.
 * @returns the absolute path, or a message saying what to fix (missing folder, no permission).
 * @example await writeOutputFile("trials.csv", csv)
 */
export async function writeOutputFile(path: string, text: string): Promise<OutputFileResult> {
  const target = resolve(path);
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    await writeFile(temporary, text, "utf8");
    await rename(temporary, target);
    return { ok: true, path: target };
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? `its folder ${dirname(target)} does not exist (create it first)`
        : code === "EACCES" || code === "EPERM" || code === "EROFS"
          ? "this user may not write there (choose another path)"
          : code === "EISDIR"
            ? "it is a directory (give a file name)"
            : (error as Error).message;
    return { ok: false, message: `Cannot write ${target}: ${why}.` };
  }
}
