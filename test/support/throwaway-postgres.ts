import { execFile, execFileSync } from "node:child_process";
import { chownSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * A PostgreSQL server of the test's own (initdb into a temp dir, another port), so a test can kill it
 * (`pg_ctl -m immediate`) and start it again without touching the machine's shared server.
 */
export interface ThrowawayPostgres {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` (trust auth). */
  readonly url: string;
  readonly port: number;
  /** Stops the server at once, as a crash would (`pg_ctl stop -m immediate`). */
  kill(): Promise<void>;
  /** Starts the stopped server again on the same port and data directory. */
  start(): Promise<void>;
  /** Stops the server (if running) and removes its data directory. */
  destroy(): Promise<void>;
}

/** Directory of the installed PostgreSQL binaries (initdb, pg_ctl), e.g. /usr/lib/postgresql/15/bin. */
export function postgresBinDir(): string {
  const base = "/usr/lib/postgresql";
  const versions = readdirSync(base).sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error(`No PostgreSQL installation under ${base}`);
  return join(base, versions[0]!, "bin");
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Runs a PostgreSQL binary as the `postgres` user when we are root (PostgreSQL refuses to run as root). */
async function asPostgres(bin: string, args: string[]): Promise<void> {
  const path = join(postgresBinDir(), bin);
  if (process.getuid?.() === 0) await run("runuser", ["-u", "postgres", "--", path, ...args]);
  else await run(path, args);
}

/**
 * Creates and starts a throwaway server. Call `destroy()` in the test's cleanup.
 * Takes about a second (initdb with fsync off).
 */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const dir = mkdtempSync(join(tmpdir(), "ascent-pg-"));
  const dataDir = join(dir, "data");
  if (process.getuid?.() === 0) chownSync(dir, idOf("-u", "postgres"), idOf("-g", "postgres"));
  await asPostgres("initdb", ["-D", dataDir, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  const start = () =>
    asPostgres("pg_ctl", ["-D", dataDir, "-o", options, "-w", "-l", join(dir, "log"), "start"]);
  await start();
  let running = true;
  const kill = async () => {
    if (!running) return;
    await asPostgres("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
    running = false;
  };
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    kill,
    async start() {
      if (running) return;
      await start();
      running = true;
    },
    async destroy() {
      await kill().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Numeric id of a system user or its group, by `id` (on every Debian machine). */
function idOf(flag: "-u" | "-g", user: string): number {
  return Number(execFileSync("id", [flag, user], { encoding: "utf8" }).trim());
}
