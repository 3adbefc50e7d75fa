import { appendFileSync } from "node:fs";

/** Severity levels, lowest first. The numeric values follow Python's `logging` module so that Ax users'
 * `loggingLevel: 20` means INFO here too. */
export const LogLevel = { DEBUG: 10, INFO: 20, WARNING: 30, ERROR: 40, SILENT: 100 } as const;
export type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];

const LEVEL_NAMES: Record<number, string> = { 10: "DEBUG", 20: "INFO", 30: "WARNING", 40: "ERROR" };

/** Where a formatted log line goes. */
export type LogSink = (line: string, level: LogLevel) => void;

/** Options of {@link Logger}. */
export interface LoggerOptions {
  /** Shown in every line, e.g. the Scheduler subclass name. */
  name: string;
  /** Minimum level written; default INFO. */
  level?: LogLevel;
  /** Also append every line to this file. */
  filepath?: string | null;
  /** Replaces console output (tests capture lines this way). */
  sink?: LogSink;
  /** Time source for the timestamp; default `Date.now`. */
  now?: () => number;
}

/**
 * A small leveled logger writing lines like Ax's: `[INFO 06-30 21:31:06] MockJobQueueScheduler: Running trials [0]...`
 * to the console (stderr for warnings and errors) and, optionally, to a file.
 */
export class Logger {
  readonly name: string;
  level: LogLevel;
  private readonly filepath: string | null;
  private readonly sink: LogSink | undefined;
  private readonly now: () => number;

  constructor(options: LoggerOptions) {
    this.name = options.name;
    this.level = options.level ?? LogLevel.INFO;
    this.filepath = options.filepath ?? null;
    this.sink = options.sink;
    this.now = options.now ?? Date.now;
  }

  /** A logger with the same outputs and level but another name. */
  child(name: string): Logger {
    return new Logger({
      name,
      level: this.level,
      filepath: this.filepath,
      ...(this.sink ? { sink: this.sink } : {}),
      now: this.now,
    });
  }

  debug(message: string): void {
    this.log(LogLevel.DEBUG, message);
  }
  info(message: string): void {
    this.log(LogLevel.INFO, message);
  }
  warn(message: string): void {
    this.log(LogLevel.WARNING, message);
  }
  error(message: string): void {
    this.log(LogLevel.ERROR, message);
  }

  log(level: LogLevel, message: string): void {
    if (level < this.level) return;
    const line = `[${LEVEL_NAMES[level] ?? level} ${stamp(this.now())}] ${this.name}: ${message}`;
    if (this.sink) this.sink(line, level);
    else if (level >= LogLevel.WARNING) console.error(line);
    else console.log(line);
    if (this.filepath) appendFileSync(this.filepath, `${line}\n`);
  }
}

function stamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, "0");
  return `${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
