/**
 * Runs one soak child process and, when planned, SIGKILLs it at a moment anchored on what it reported:
 * a fixed delay after it was spawned, after it loaded, opened the store, started its first store write or
 * committed its first one (start-up moments), or after it committed its n-th trial completion.
 */
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Commit, SoakChildConfig } from "./soak-child.js";

const CHILD = join(dirname(fileURLToPath(import.meta.url)), "soak-child.ts");

export const STARTUP_ANCHORS = ["spawn", "ready", "opened", "first-call", "first-commit"] as const;
export type StartupAnchor = (typeof STARTUP_ANCHORS)[number];

/** When to kill a process: `delayMs` after the anchor. */
export type KillPlan =
  | { kind: "startup"; anchor: StartupAnchor; delayMs: number }
  | { kind: "running"; completions: number; delayMs: number };

export type ProcessOutcome = "killed" | "done" | "resume-failed" | "error" | "hung" | "exited";

/** What one process did, as it reported it. */
export interface ProcessRecord {
  mode: "start" | "resume" | null;
  plan: KillPlan | null;
  outcome: ProcessOutcome;
  /** Where the process was when the kill was sent (from the events it had reported). */
  killedDuring: string | null;
  message: string | null;
  /** Trial indices whose runner.run was called, in order, each with how many commits came before it. */
  runs: { index: number; afterCommits: number }[];
  commits: Commit[];
  /** Store methods this process called (`call` events), counted. */
  calls: Record<string, number>;
  wallMs: number;
  stderrTail: string;
}

/** Where a process was, judged from its events so far. */
function whereIs(events: readonly string[], mode: string | null, commits: readonly Commit[]): string {
  if (!events.includes("ready")) return "start-up: loading modules";
  if (!events.includes("opened")) return "start-up: opening the store";
  if (mode === null) return "start-up: looking for the stored experiment";
  const calls = events.filter((e) => e.startsWith("call "));
  const last = calls.at(-1);
  if (mode === "start" && !commits.some((c) => c.experiment)) {
    return last
      ? `start-up: storing the experiment (${last.slice(5)} in flight)`
      : "start-up: before the experiment is stored";
  }
  if (commits.every((c) => c.trials.length === 0)) {
    return mode === "start"
      ? "start-up: experiment stored, no trial stored yet"
      : "resume: loaded, no trial stored yet";
  }
  return "running";
}

/**
 * Spawns a child with `config`, kills it as `plan` says (never, when null), and resolves once it exited.
 * A process that neither exits nor is killed within `timeoutMs` is killed and reported as hung.
 */
export function runSoakProcess(
  config: SoakChildConfig,
  plan: KillPlan | null,
  timeoutMs: number,
): Promise<ProcessRecord> {
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, JSON.stringify(config)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const events: string[] = [];
  const record: ProcessRecord = {
    mode: null,
    plan,
    outcome: "exited",
    killedDuring: null,
    message: null,
    runs: [],
    commits: [],
    calls: {},
    wallMs: 0,
    stderrTail: "",
  };
  let killTimer: NodeJS.Timeout | null = null;
  let killSent = false;
  let hung = false;
  const completed = new Set<number>();

  const kill = (): void => {
    if (killSent) return;
    killSent = true;
    child.kill("SIGKILL");
  };
  const armKill = (): void => {
    if (killTimer === null && !killSent) killTimer = setTimeout(kill, plan!.delayMs);
  };
  const anchorReached = (event: string): boolean => {
    if (!plan) return false;
    if (plan.kind === "running") return completed.size >= plan.completions;
    if (plan.anchor === "first-call") return event.startsWith("call ");
    if (plan.anchor === "first-commit") return event.startsWith("commit ");
    return event === plan.anchor;
  };

  const onEvent = (event: string): void => {
    events.push(event);
    if (event.startsWith("mode ")) record.mode = event.slice(5) as "start" | "resume";
    else if (event.startsWith("run ")) {
      record.runs.push({ index: Number(event.slice(4)), afterCommits: record.commits.length });
    } else if (event.startsWith("call ")) {
      const method = event.slice(5);
      record.calls[method] = (record.calls[method] ?? 0) + 1;
    } else if (event.startsWith("commit ")) {
      const commit = JSON.parse(event.slice(7)) as Commit;
      record.commits.push(commit);
      for (const [index, status] of commit.trials) if (status === "COMPLETED") completed.add(index);
    } else if (event.startsWith("resume-failed ")) {
      record.outcome = "resume-failed";
      record.message = event.slice(14);
    } else if (event.startsWith("error ")) {
      record.outcome = "error";
      record.message = event.slice(6);
    } else if (event === "done") record.outcome = "done";
    if (anchorReached(event)) armKill();
  };

  let buffer = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split("\n");
    buffer = lines.pop()!;
    for (const line of lines) if (line) onEvent(line);
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  if (plan?.kind === "startup" && plan.anchor === "spawn") armKill();
  const watchdog = setTimeout(() => {
    hung = true;
    kill();
  }, timeoutMs);

  return new Promise((resolve) => {
    child.on("close", (_code, signal) => {
      if (killTimer) clearTimeout(killTimer);
      clearTimeout(watchdog);
      if (hung) record.outcome = "hung";
      if (killSent && signal === "SIGKILL") {
        if (!hung) record.outcome = "killed";
        // Judged from every event read by now: the child writes them synchronously, so the pipe holds
        // all it reported before it died (the kill may have been sent before the latest were read).
        record.killedDuring = whereIs(events, record.mode, record.commits);
      }
      record.wallMs = performance.now() - started;
      record.stderrTail = stderr.slice(-1500);
      resolve(record);
    });
  });
}
