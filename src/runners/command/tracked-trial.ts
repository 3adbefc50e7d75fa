import { type ExitStatus, killLeftovers, killProcessGroup } from "./command-process.js";
import { type CommandRunMetadata, metadataIdentity } from "./command-run-metadata.js";
import {
  type CommandTrialOutcome,
  type Ending,
  finishedOutcome,
  leftResult,
  readRecordedExit,
  recordExit,
} from "./command-trial.js";
import { isProcessRunning, type ProcessIdentity } from "./process-identity.js";
import { type TrialFiles, trialFiles } from "./trial-dir.js";

/** A trial's process, as one CommandRunner follows it: still running, or finished with an outcome. */
export type TrialState = "RUNNING" | CommandTrialOutcome;

/**
 * One trial's process as a CommandRunner follows it, from its run metadata alone: whether it runs, its
 * timeout (counted from its start, also for a process started by an earlier Scheduler), its kill, and
 * its outcome once it and its process group are gone. The outcome is settled once and then kept.
 *
 * Time here is the system's wall clock (Date.now, timers), not the Scheduler's injectable clock: the
 * process runs in real time, and its start time in the run metadata is wall-clock time.
 */
export class TrackedTrial {
  readonly index: number;
  readonly meta: CommandRunMetadata;
  readonly files: TrialFiles;
  /** Null for a process that was never recorded and had ended when the trial was re-attached. */
  readonly identity: ProcessIdentity | null;
  /** Whether this runner started the process (it then sees the exit status). */
  readonly own: boolean;
  private readonly onChange: () => void;
  private exit: ExitStatus | null = null;
  /** For a process this runner started: settles once its exit was seen. */
  private exitSeen: Promise<void> = Promise.resolve();
  private interrupt: Ending | null = null;
  private killing: Promise<void> | null = null;
  private killed = false;
  private outcome: CommandTrialOutcome | null = null;
  private timer: NodeJS.Timeout | null = null;
  private goneSeen = false;

  constructor(index: number, meta: CommandRunMetadata, own: boolean, onChange: () => void) {
    this.index = index;
    this.meta = meta;
    this.files = trialFiles(meta.trialDir);
    this.identity = metadataIdentity(meta);
    this.own = own;
    this.onChange = onChange;
    this.armDeadline();
  }

  /** Follows the exit of a process this runner started: records it in the trial directory, says so. */
  watchExit(exited: Promise<ExitStatus>): void {
    this.exitSeen = exited.then((exit) => {
      this.exit = exit;
      recordExit(this.files, exit);
      this.onChange();
    });
  }

  /** The trial's state now; kills the group of a process past its timeout (it stays RUNNING until gone). */
  poll(): TrialState {
    if (this.outcome !== null) return this.outcome;
    const running = this.processRunning();
    if (running && this.deadlinePassed()) this.interruptWith(this.timedOut());
    if (running || (this.killing !== null && !this.killed)) return "RUNNING";
    const recorded = this.exit ?? readRecordedExit(this.files);
    const ending: Ending =
      this.interrupt ?? (recorded ? { kind: "exited", exit: recorded } : { kind: "unknown" });
    this.outcome = finishedOutcome(this.index, this.files, ending);
    if (this.interrupt === null && this.identity !== null) {
      void killLeftovers(this.identity, this.meta.killGraceSeconds * 1000);
    }
    this.dispose();
    return this.outcome;
  }

  /**
   * Stops the trial: kills its process group (SIGTERM, then SIGKILL after the grace period) and resolves
   * once the group is gone. Nothing happens to a trial that already finished.
   */
  async stop(reason: string | null): Promise<void> {
    if (this.poll() !== "RUNNING") return;
    this.interruptWith({ kind: "stopped", reason });
    await this.killing;
    this.poll();
  }

  /** The result a stopped process left before it was killed (for early stopping), or null. */
  stoppedResult(): unknown {
    return this.interrupt?.kind === "stopped" ? leftResult(this.index, this.files) : null;
  }

  /** True once, when a process this runner did not start is first seen gone (it has no exit event). */
  checkGone(): boolean {
    if (this.own || this.goneSeen || this.outcome !== null || this.processRunning()) return false;
    this.goneSeen = true;
    return true;
  }

  /** Whether the runner still needs to look at this trial (not settled). */
  get settled(): boolean {
    return this.outcome !== null;
  }

  /** Drops the timer. */
  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private processRunning(): boolean {
    if (this.own) return this.exit === null;
    return this.identity !== null && isProcessRunning(this.identity);
  }

  private deadlinePassed(): boolean {
    const { timeoutSeconds, startedAtMs } = this.meta;
    return timeoutSeconds !== null && Date.now() >= startedAtMs + timeoutSeconds * 1000;
  }

  private timedOut(): Ending {
    return {
      kind: "timedOut",
      timeoutSeconds: this.meta.timeoutSeconds!,
      graceSeconds: this.meta.killGraceSeconds,
    };
  }

  /** Enforces the timeout without waiting for a poll (unref'd: a timer never keeps the process alive). */
  private armDeadline(): void {
    const { timeoutSeconds, startedAtMs } = this.meta;
    if (timeoutSeconds === null) return;
    const waitMs = Math.max(0, startedAtMs + timeoutSeconds * 1000 - Date.now());
    // setTimeout holds at most 2^31-1 ms; a longer timeout is enforced by a later poll or a later timer.
    this.timer = setTimeout(() => this.onDeadline(), Math.min(waitMs, 2 ** 31 - 1));
    this.timer.unref();
  }

  private onDeadline(): void {
    this.timer = null;
    if (this.outcome !== null) return;
    if (!this.deadlinePassed()) this.armDeadline();
    else if (this.processRunning()) this.interruptWith(this.timedOut());
  }

  private interruptWith(ending: Ending): void {
    if (this.interrupt !== null) return;
    this.interrupt = ending;
    const kill =
      this.identity === null
        ? Promise.resolve()
        : killProcessGroup(this.identity, this.meta.killGraceSeconds * 1000);
    // The group is gone before Node has reaped a child of its own: wait for that exit too.
    this.killing = Promise.all([kill, this.exitSeen]).then(() => {
      this.killed = true;
      this.onChange();
    });
  }
}
