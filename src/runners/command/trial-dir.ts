import { createHash } from "node:crypto";
import { mkdirSync, realpathSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { CommandRunnerError } from "../../errors.js";

/** Longest readable part of a directory name made from an experiment name. */
const MAX_SEGMENT_CHARS = 64;
/** Names Windows reserves for devices, with or without an extension (CON, CON.txt, COM1, ...). */
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
/** What a name may hold to be kept as it is: lower-case letters, digits, `.`, `_`, `-`, not first `.` */
const KEPT_AS_IS = /^[a-z0-9_-][a-z0-9._-]*$/;

/**
 * A safe single path segment for a user-given name (an experiment name): readable, one directory level,
 * the same on every file system. A name of lower-case ASCII letters, digits, `.`, `_`, `-` (not starting
 * with `.`, at most 64 characters, not a reserved device name) is kept as it is. Any other name has each
 * run of other characters (and of dots) replaced by `_`, leading and trailing `.`/`_` dropped, is cut to 64
 * characters, and gets `+`
 * and a hash of the original name: `+` never occurs in a kept name, so two different names never map to
 * the same segment, and upper case counts as a change so names that differ only in case stay apart on
 * case-insensitive file systems (macOS, Windows).
 * @example safePathSegment("branin") === "branin"; safePathSegment("../../etc") === "etc+<hash>"
 */
export function safePathSegment(name: string): string {
  if (
    KEPT_AS_IS.test(name) &&
    name.length <= MAX_SEGMENT_CHARS &&
    !RESERVED.test(name) &&
    !name.endsWith(".")
  ) {
    return name;
  }
  const readable = name
    .replace(/[^A-Za-z0-9._-]+|\.{2,}/g, "_")
    .replace(/_+/g, "_")
    .replace(/^[._]+/, "")
    .slice(0, MAX_SEGMENT_CHARS)
    .replace(/[._]+$/, "");
  const hash = createHash("sha256").update(name, "utf8").digest("hex").slice(0, 10);
  return `${readable || "experiment"}+${hash}`;
}

/**
 * The directory of one trial: `<workDir>/<safe experiment name>/<trial index>`, as an absolute path.
 * @throws CommandRunnerError when the trial index is not a non-negative integer, or the path would not be
 * strictly inside `workDir` (which {@link safePathSegment} prevents; checked again all the same).
 */
export function trialDirectory(workDir: string, experimentName: string, trialIndex: number): string {
  if (!Number.isSafeInteger(trialIndex) || trialIndex < 0) {
    throw new CommandRunnerError(`A trial index must be a non-negative integer, got ${String(trialIndex)}.`);
  }
  const root = resolve(workDir);
  const dir = resolve(root, safePathSegment(experimentName), String(trialIndex));
  assertInside(root, dir);
  return dir;
}

/**
 * Creates `dir` (and its parents) and checks that, with every symbolic link resolved, it is still inside
 * `root`: a link planted in the work directory cannot send trial files elsewhere.
 * @throws CommandRunnerError when it is not.
 */
export function createTrialDirectory(root: string, dir: string): void {
  assertInside(resolve(root), resolve(dir));
  mkdirSync(dir, { recursive: true });
  assertInside(realpathSync(root), realpathSync(dir));
}

/** @throws CommandRunnerError unless `path` is strictly below `root` (both absolute). */
export function assertInside(root: string, path: string): void {
  const rel = relative(root, path);
  if (rel === "" || rel.split(/[\\/]/)[0] === ".." || isAbsolute(rel)) {
    throw new CommandRunnerError(
      `The trial directory ${JSON.stringify(path)} is not inside the work directory ${JSON.stringify(root)}; ` +
        "trial directories are made from the experiment name and the trial index under workDir only. " +
        "Remove any symbolic link under the work directory that points elsewhere.",
      { path },
    );
  }
}

/** The files of a trial directory. */
export interface TrialFiles {
  readonly dir: string;
  readonly stdout: string;
  readonly stderr: string;
  readonly parameters: string;
  readonly result: string;
  /** What the launching process knew: pid, start time, when it started (written right after the spawn). */
  readonly launch: string;
  /** Exit code and signal, when the launching process saw the exit. */
  readonly exit: string;
  /** Progress the command appends as JSON lines (`$ASCENT_PROGRESS_FILE`). */
  readonly progress: string;
}

/** The paths of the files in trial directory `dir`. */
export function trialFiles(dir: string): TrialFiles {
  return {
    dir,
    stdout: join(dir, "stdout.log"),
    stderr: join(dir, "stderr.log"),
    parameters: join(dir, "parameters.json"),
    result: join(dir, "result.json"),
    launch: join(dir, "launch.json"),
    exit: join(dir, "exit.json"),
    progress: join(dir, "progress.jsonl"),
  };
}
