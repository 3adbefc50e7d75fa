import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { type ProgressRecord, progressRecordFromLine } from "../../core/progress-record.js";

/** Most bytes read from a progress file in one call; the rest is read at the next. */
const MAX_READ_BYTES = 4 * 1024 * 1024;

/**
 * Reads a trial's progress file (`$ASCENT_PROGRESS_FILE`, JSON lines a command appends:
 * `{"step": 20, "loss": 0.31}` or `{"progression": {"epoch": 3}, "loss": 0.4}`) incrementally: each call
 * reads from where the last one stopped (a byte offset) and returns the records of the complete lines
 * since. A last line without its newline yet is left for the next call (the command may be writing it);
 * a line that is not a progress record is reported to `onMalformed` and skipped. A file that does not
 * exist yet has no progress.
 * @internal
 */
export class ProgressFile {
  private offset = 0;
  private lineNumber = 0;

  constructor(
    readonly path: string,
    private readonly onMalformed: (lineNumber: number, why: string) => void,
  ) {}

  /** The records of the lines completed since the last call, in order. */
  read(): ProgressRecord[] {
    const chunk = this.readNewBytes();
    if (chunk === null) return [];
    const end = chunk.lastIndexOf(0x0a);
    if (end < 0) return [];
    // Only whole lines are consumed: a line being written is read again, complete, next time.
    this.offset += end + 1;
    const records: ProgressRecord[] = [];
    for (const line of chunk.subarray(0, end).toString("utf8").split("\n")) {
      this.lineNumber += 1;
      const text = line.trim();
      if (text === "") continue;
      const record = parseLine(text);
      if (typeof record === "string") this.onMalformed(this.lineNumber, record);
      else records.push(record);
    }
    return records;
  }

  private readNewBytes(): Buffer | null {
    let fd: number;
    try {
      fd = openSync(this.path, "r");
    } catch {
      return null;
    }
    try {
      const available = Math.min(fstatSync(fd).size - this.offset, MAX_READ_BYTES);
      if (available <= 0) return null;
      const buffer = Buffer.alloc(available);
      const n = readSync(fd, buffer, 0, available, this.offset);
      return n === 0 ? null : buffer.subarray(0, n);
    } finally {
      closeSync(fd);
    }
  }
}

function parseLine(text: string): ProgressRecord | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return `not JSON: ${text.length > 120 ? `${text.slice(0, 120)}...` : text}`;
  }
  return progressRecordFromLine(value);
}
