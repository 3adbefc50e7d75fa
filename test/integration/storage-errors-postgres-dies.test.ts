/**
 * A PostgreSQL server that dies (pg_ctl -m immediate on a throwaway server of the test's own) while a
 * connection is checked out must not kill the process with an unhandled 'error' event: the caller gets
 * a StorageError, and a Scheduler with suppressStorageErrors carries on.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../support/throwaway-postgres.js";
import { startTsxChild, type TsxChild } from "../support/tsx-child.js";

const CHILD = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "postgres-dies-child.ts");

function start(args: string[]): TsxChild {
  return startTsxChild(CHILD, args, { stdin: true });
}

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the child process");
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe("a PostgreSQL server dying under a running process", () => {
  let server: ThrowawayPostgres | null = null;
  afterEach(async () => {
    await server?.destroy();
    server = null;
  });

  it("fails the statement with a StorageError when it dies during a transaction, and the process lives", async () => {
    server = await startThrowawayPostgres();
    const run = start([server.url, "transaction"]);
    await waitFor(() => run.out().includes("holding"));
    await server.kill();
    run.child.stdin!.write("go\n");
    const code = await run.exited;
    const err = run.err();
    expect(err).not.toContain("Unhandled 'error' event");
    expect(code, err).toBe(0);
    expect(run.out()).toContain("error StorageError");
  }, 120_000);

  it("stops a Scheduler with a StorageError when errors are not suppressed", async () => {
    server = await startThrowawayPostgres();
    const run = start([server.url, "scheduler", "false"]);
    await waitFor(() => run.out().includes("completed 1"));
    await server.kill();
    const code = await run.exited;
    const err = run.err();
    expect(err).not.toContain("Unhandled 'error' event");
    expect(code, err).toBe(0);
    expect(run.out()).toMatch(/error StorageError/);
  }, 120_000);

  it("lets a Scheduler with suppressStorageErrors carry on to the end of its run, then say what it could not save", async () => {
    server = await startThrowawayPostgres();
    const run = start([server.url, "scheduler", "true"]);
    await waitFor(() => run.out().includes("completed 1"));
    await server.kill();
    const code = await run.exited;
    const err = run.err();
    expect(err).not.toContain("Unhandled 'error' event");
    expect(code, err).toBe(0);
    // Every trial ran; the server never came back, so the run ends saying that changes are unsaved.
    expect(run.out()).toMatch(/error UnsavedChangesError after 12 completed/);
  }, 120_000);
});
