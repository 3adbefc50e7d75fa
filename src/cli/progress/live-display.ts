import { formatBest, formatDuration } from "./format.js";
import { counts, describeEvent } from "./plain-reporter.js";
import type { ProgressEvent, ProgressSnapshot } from "./progress-event.js";
import type { ProgressReporter, Verbosity } from "./progress-reporter.js";

/** A terminal the live display draws on. */
export interface Terminal {
  /** Writes raw text (with control sequences). */
  write(text: string): void;
  /** Its width in columns, when known. */
  readonly columns?: number | undefined;
}

// Plain ANSI sequences: the display is a few lines redrawn in place, which needs nothing more.
const HIDE_CURSOR = "\x1b[?25l";
const SHOW_CURSOR = "\x1b[?25h";
const CLEAR_TO_END = "\x1b[J";
const BAR_WIDTH = 24;

/**
 * A live progress display for a terminal: three lines redrawn in place (trials done of the total with a
 * bar, running and failed, elapsed and estimated remaining time; the best point so far with its
 * parameters). Lines that should stay (failures, a better best point, notices; with `verbose` every
 * event) are printed above it. Lines are cut to the terminal's width so that redrawing never leaves
 * wrapped remains behind.
 */
export class LiveDisplay implements ProgressReporter {
  readonly live = true;
  /** Lines of the live block currently on screen. */
  private drawn = 0;
  /** Whether the cursor was hidden (on the first draw), to be shown again on close. */
  private hidden = false;
  private last: ProgressSnapshot | null = null;
  private closed = false;

  constructor(
    private readonly terminal: Terminal,
    private readonly verbosity: Verbosity = "normal",
  ) {}

  report(events: readonly ProgressEvent[], snapshot: ProgressSnapshot): void {
    const kept = events.filter(
      (e) => this.verbosity === "verbose" || e.kind === "failed" || e.kind === "best",
    );
    this.draw(
      snapshot,
      kept.map((e) => describeEvent(e, snapshot)),
    );
  }

  refresh(snapshot: ProgressSnapshot): void {
    this.draw(snapshot, []);
  }

  message(line: string): void {
    if (this.closed) {
      this.terminal.write(`${line}\n`);
      return;
    }
    this.draw(this.last, [line]);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.hidden) return;
    this.terminal.write(`${this.erase()}${SHOW_CURSOR}`);
    this.drawn = 0;
  }

  /** Erases the block, prints `above`, and draws the block for `snapshot` again, in one write. */
  private draw(snapshot: ProgressSnapshot | null, above: readonly string[]): void {
    if (this.closed) return;
    this.last = snapshot;
    const block = snapshot ? renderBlock(snapshot).map((l) => this.fit(l)) : [];
    const kept = above.map((l) => `${l}\n`).join("");
    const hide = this.hidden ? "" : HIDE_CURSOR;
    this.hidden = true;
    this.terminal.write(`${hide}${this.erase()}${kept}${block.join("\n")}`);
    this.drawn = block.length;
  }

  /** Moves to the start of the block's first line and clears to the end of the screen. */
  private erase(): string {
    if (this.drawn === 0) return "\r";
    const up = this.drawn > 1 ? `\x1b[${this.drawn - 1}A` : "";
    return `\r${up}${CLEAR_TO_END}`;
  }

  private fit(line: string): string {
    const width = (this.terminal.columns ?? 80) - 1;
    return line.length <= width ? line : `${line.slice(0, Math.max(0, width - 1))}…`;
  }
}

/** The live block's lines for a snapshot. */
export function renderBlock(s: ProgressSnapshot): string[] {
  const share = s.total ? Math.min(1, s.done / s.total) : 0;
  const filled = Math.round(share * BAR_WIDTH);
  const bar = s.total ? `[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}] ` : "";
  const left = s.remainingMs === null ? "" : `, about ${formatDuration(s.remainingMs)} left`;
  const best =
    s.best !== null
      ? `best so far: ${formatBest(s.best)}`
      : s.paretoSize !== null
        ? `Pareto frontier so far: ${s.paretoSize} point${s.paretoSize === 1 ? "" : "s"}`
        : "best so far: none yet";
  return [`${s.experimentName} ${bar}${counts(s)}`, `elapsed ${formatDuration(s.elapsedMs)}${left}`, best];
}
