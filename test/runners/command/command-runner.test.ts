import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CommandRunnerError, CommandTemplateError } from "../../../src/errors.js";
import {
  type BaseTrial,
  type CommandRunMetadata,
  CommandRunner,
  type CommandRunnerOptions,
  type Trial,
  TrialStatus,
} from "../../../src/index.js";
import { processIdentity } from "../../../src/runners/command/process-identity.js";
import { tempDir } from "../../support/temp-dir.js";
import { HOSTILE_VALUES, isAlive, NODE, PROGRAM, trialsFor, waitFor } from "./support.js";

/** Processes a test started itself, killed after it. */
const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

async function statusOf(runner: CommandRunner, trial: BaseTrial): Promise<TrialStatus> {
  const map = await runner.pollTrialStatus([trial]);
  for (const [status, indices] of map) if (indices.has(trial.index)) return status;
  throw new Error(`trial ${trial.index} not reported`);
}

/** Polls until the trial is not RUNNING; its final status. */
async function finish(runner: CommandRunner, trial: BaseTrial, timeoutMs = 15_000): Promise<TrialStatus> {
  const start = Date.now();
  for (;;) {
    const status = await statusOf(runner, trial);
    if (status !== TrialStatus.RUNNING) return status;
    if (Date.now() - start > timeoutMs) throw new Error(`trial ${trial.index} still RUNNING`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Runs the trial: marks it RUNNING with its run metadata, as the Scheduler does. */
async function deploy(runner: CommandRunner, trial: Trial): Promise<CommandRunMetadata> {
  const meta = await runner.run(trial);
  trial.markRunning();
  trial.updateRunMetadata(meta);
  return meta as unknown as CommandRunMetadata;
}

function runnerIn(
  dir: string,
  command: string[],
  options: Partial<CommandRunnerOptions> = {},
): CommandRunner {
  return new CommandRunner({ command, cwd: dir, workDir: join(dir, "work"), ...options });
}

describe("CommandRunner: one process per trial", () => {
  it("runs a trial in its directory and reports its result, telling listeners when it ended", async () => {
    const dir = tempDir();
    const runner = runnerIn(dir, [NODE, PROGRAM, "result-file", "{lr}"]);
    let changes = 0;
    runner.onTrialChange(() => {
      changes += 1;
    });
    const [trial] = trialsFor("exp", [{ lr: 0.5 }]);
    const meta = await deploy(runner, trial!);
    expect(meta.trialDir).toBe(join(dir, "work", "exp", "0"));
    expect(meta.pid).toBeGreaterThan(0);
    expect(typeof meta.processStartTime).toBe("string");
    expect(meta.timeoutSeconds).toBeNull();
    expect(JSON.parse(JSON.stringify(meta))).toEqual(meta);
    await waitFor(() => changes > 0, "the change notice");
    expect(await finish(runner, trial!)).toBe(TrialStatus.COMPLETED);
    expect(await runner.pollTrialResult(trial!)).toEqual({ loss: 0.5, acc: [0.9, 0.01] });
    expect(await runner.pollException(trial!)).toBeNull();
    expect(readdirSync(meta.trialDir).sort()).toEqual([
      "exit.json",
      "launch.json",
      "parameters.json",
      "result.json",
      "stderr.log",
      "stdout.log",
    ]);
  });

  it("passes hostile values as single argv elements and runs nothing else", async () => {
    const dir = tempDir();
    const parameterizations = HOSTILE_VALUES.map((v) => ({ v }));
    const runner = runnerIn(dir, [NODE, PROGRAM, "argv", "{v}", "-{v}-"]);
    const trials = trialsFor("hostile", parameterizations);
    for (const trial of trials) await deploy(runner, trial);
    for (const [i, trial] of trials.entries()) {
      expect(await finish(runner, trial)).toBe(TrialStatus.COMPLETED);
      const v = HOSTILE_VALUES[i]!;
      expect(await runner.pollTrialResult(trial)).toEqual({ argv: [v, `-${v}-`] });
    }
    expect(existsSync(join(dir, "pwned"))).toBe(false);
    expect(existsSync(join(process.cwd(), "pwned"))).toBe(false);
  });

  it("fails a non-zero exit with the code and the stderr tail", async () => {
    const dir = tempDir();
    const runner = runnerIn(dir, [NODE, PROGRAM, "exit", "3"]);
    const [trial] = trialsFor("exp", [{ x: 1 }]);
    await deploy(runner, trial!);
    expect(await finish(runner, trial!)).toBe(TrialStatus.FAILED);
    const reason = await runner.pollException(trial!);
    expect(reason).toContain("Trial 0: the command exited with code 3.");
    expect(reason).toContain("bad things happened");
    expect(await runner.pollTrialResult(trial!)).toBeNull();
  });

  it("kills the whole group on timeout and fails the trial with the time limit", async () => {
    const dir = tempDir();
    const pidFile = join(dir, "grandchild.pid");
    const runner = runnerIn(dir, [NODE, PROGRAM, "family", pidFile, "120"], {
      timeoutSeconds: 4,
      killGraceSeconds: 1,
    });
    const [trial] = trialsFor("exp", [{ x: 1 }]);
    const meta = await deploy(runner, trial!);
    expect(await finish(runner, trial!)).toBe(TrialStatus.FAILED);
    expect(await runner.pollException(trial!)).toContain("Trial 0 timed out after 4 s");
    expect(isAlive(meta.pid!)).toBe(false);
    expect(isAlive(Number(readFileSync(pidFile, "utf8")))).toBe(false);
  });

  it("kills what a trial left running in its group once it ended", async () => {
    const dir = tempDir();
    const pidFile = join(dir, "grandchild.pid");
    const runner = runnerIn(dir, [NODE, PROGRAM, "family", pidFile, "0.3"]);
    const [trial] = trialsFor("exp", [{ x: 1 }]);
    await deploy(runner, trial!);
    expect(await finish(runner, trial!)).toBe(TrialStatus.COMPLETED);
    expect(await runner.pollTrialResult(trial!)).toBe(2);
    const grandchild = Number(readFileSync(pidFile, "utf8"));
    await waitFor(() => !isAlive(grandchild), "the leftover grandchild to be killed");
  });

  it("stops a trial: kills its group, then reports it FAILED with the stop reason", async () => {
    const dir = tempDir();
    const pidFile = join(dir, "grandchild.pid");
    const runner = runnerIn(dir, [NODE, PROGRAM, "family", pidFile, "120", "ignore-term"], {
      killGraceSeconds: 0.5,
    });
    const [trial] = trialsFor("exp", [{ x: 1 }]);
    const meta = await deploy(runner, trial!);
    await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, "utf8") !== "", "the grandchild");
    await runner.stop(trial!, "early stopping: not promising");
    expect(isAlive(meta.pid!)).toBe(false);
    expect(isAlive(Number(readFileSync(pidFile, "utf8")))).toBe(false);
    expect(await statusOf(runner, trial!)).toBe(TrialStatus.FAILED);
    expect(await runner.pollException(trial!)).toBe(
      "Trial 0 was stopped (early stopping: not promising); its process group was killed.",
    );
  });

  it("keeps every trial directory inside workDir, whatever the experiment is named", async () => {
    const dir = tempDir();
    const workDir = join(dir, "work");
    const runner = runnerIn(dir, [NODE, PROGRAM, "bare", "1"]);
    const names = ["../../escape", "/etc", "..", "a/../../b", "C:\\x", "a b", "CON"];
    for (const name of ["\0", "a\0b"]) {
      const [trial] = trialsFor(name, [{ x: 1 }]);
      await expect(runner.run(trial!)).rejects.toThrow(/holds a NUL character/);
    }
    for (const name of names) {
      const [trial] = trialsFor(name, [{ x: 1 }]);
      const meta = await deploy(runner, trial!);
      expect(meta.trialDir.startsWith(`${workDir}/`)).toBe(true);
      expect(meta.trialDir.split("/").slice(-2)[1]).toBe("0");
      expect(await finish(runner, trial!)).toBe(TrialStatus.COMPLETED);
    }
    expect(readdirSync(dir).sort()).toEqual(["work"]);
    expect(readdirSync(workDir)).toHaveLength(names.length + 2);
  });

  it("refuses a placeholder that is not a parameter, and batch trials", async () => {
    const dir = tempDir();
    const [trial] = trialsFor("exp", [{ x: 1 }]);
    await expect(runnerIn(dir, [NODE, "{y}"]).run(trial!)).rejects.toBeInstanceOf(CommandTemplateError);
    const batch = { index: 3, arms: [], experimentName: "e", runMetadata: {} } as unknown as BaseTrial;
    await expect(runnerIn(dir, [NODE]).run(batch)).rejects.toBeInstanceOf(CommandRunnerError);
  });
});

describe("CommandRunner: re-attaching from run metadata alone", () => {
  it("follows a process another runner started, to its result", async () => {
    const dir = tempDir();
    const first = runnerIn(dir, [NODE, PROGRAM, "slow-then-result", "1", "{x}"]);
    const [trial] = trialsFor("exp", [{ x: 4 }]);
    await deploy(first, trial!);
    const second = new CommandRunner(first.storedFields() as unknown as CommandRunnerOptions);
    let changes = 0;
    second.onTrialChange(() => {
      changes += 1;
    });
    expect(await statusOf(second, trial!)).toBe(TrialStatus.RUNNING);
    await waitFor(() => changes > 0, "the re-attached runner to notice the exit");
    expect(await finish(second, trial!)).toBe(TrialStatus.COMPLETED);
    expect(await second.pollTrialResult(trial!)).toEqual({ objective: 4 });
  });

  it("reads the result of a process that ended while no runner watched, and fails one that left none", async () => {
    const dir = tempDir();
    const first = runnerIn(dir, [NODE, PROGRAM, "{mode}"]);
    const trials = trialsFor("exp", [{ mode: "stdout-json" }, { mode: "none" }]);
    for (const t of trials) await deploy(first, t);
    for (const t of trials) await finish(first, t);
    // As if the Scheduler died before it saw the exits: no exit status recorded.
    for (const t of trials) rmSync(join(String(t.runMetadata.trialDir), "exit.json"));
    const second = new CommandRunner(first.storedFields() as unknown as CommandRunnerOptions);
    expect(await statusOf(second, trials[0]!)).toBe(TrialStatus.COMPLETED);
    expect(await second.pollTrialResult(trials[0]!)).toEqual({ loss: 1.5, sem: 0.1 });
    expect(await statusOf(second, trials[1]!)).toBe(TrialStatus.FAILED);
    const reason = await second.pollException(trials[1]!);
    expect(reason).toContain("Trial 1: the command exited normally but reported no result");
    expect(reason).toContain("hello from stdout");
    expect(reason).toContain("its exit status is unknown");
  });

  it("uses the exit status a dead runner recorded", async () => {
    const dir = tempDir();
    const first = runnerIn(dir, [NODE, PROGRAM, "exit", "5"]);
    const [trial] = trialsFor("exp", [{ x: 1 }]);
    await deploy(first, trial!);
    await finish(first, trial!);
    const second = new CommandRunner(first.storedFields() as unknown as CommandRunnerOptions);
    expect(await statusOf(second, trial!)).toBe(TrialStatus.FAILED);
    expect(await second.pollException(trial!)).toContain("exited with code 5");
  });

  it("takes a pid now used by another process for a dead trial, and never signals that process", async () => {
    const dir = tempDir();
    const trialDir = join(dir, "work", "exp", "0");
    mkdirSync(trialDir, { recursive: true });
    const [trial] = trialsFor("exp", [{ x: 1 }]);
    const mine = processIdentity(process.pid);
    trial!.markRunning();
    trial!.updateRunMetadata({
      pid: process.pid,
      processStartTime: String(Number(mine.startTime) + 1),
      bootId: mine.bootId,
      trialDir,
      startedAtMs: Date.now() - 60_000,
      timeoutSeconds: 1,
      killGraceSeconds: 0,
    });
    const runner = runnerIn(dir, [NODE]);
    expect(await statusOf(runner, trial!)).toBe(TrialStatus.FAILED);
    expect(await runner.pollException(trial!)).toContain("reported no result");
    await runner.stop(trial!, "cleanup");
    expect(isAlive(process.pid)).toBe(true);
  });

  it("enforces the timeout from the start time when re-attaching: kills the overdue group", async () => {
    const dir = tempDir();
    const trialDir = join(dir, "work", "exp", "0");
    mkdirSync(trialDir, { recursive: true });
    const child = spawn(NODE, ["-e", "setTimeout(() => {}, 120000)"], { detached: true, stdio: "ignore" });
    started.push(child.pid!);
    const identity = processIdentity(child.pid!);
    const [trial] = trialsFor("exp", [{ x: 1 }]);
    trial!.markRunning();
    trial!.updateRunMetadata({
      pid: identity.pid,
      processStartTime: identity.startTime,
      bootId: identity.bootId,
      trialDir,
      startedAtMs: Date.now() - 30_000,
      timeoutSeconds: 10,
      killGraceSeconds: 1,
    });
    const runner = runnerIn(dir, [NODE]);
    expect(await statusOf(runner, trial!)).toBe(TrialStatus.RUNNING);
    expect(await finish(runner, trial!)).toBe(TrialStatus.FAILED);
    expect(await runner.pollException(trial!)).toContain("Trial 0 timed out after 10 s");
    expect(isAlive(child.pid!)).toBe(false);
  });

  it("re-attaches a launch a dead Scheduler did not save, instead of starting the trial again", async () => {
    const dir = tempDir();
    const log = join(dir, "launches");
    writeFileSync(log, "");
    const first = runnerIn(dir, [NODE, PROGRAM, "slow-then-result", "0.5", "{x}"], {
      env: { LAUNCH_LOG: log },
    });
    const [trial] = trialsFor("exp", [{ x: 2 }]);
    await first.run(trial!); // its metadata never reaches the trial: the Scheduler "died"
    // The resumed Scheduler's runner: rebuilt from the stored fields, given the env values again.
    const second = new CommandRunner({
      ...first.storedFields(),
      env: { LAUNCH_LOG: log },
    } as unknown as CommandRunnerOptions);
    await deploy(second, trial!);
    expect(await finish(second, trial!)).toBe(TrialStatus.COMPLETED);
    expect(await second.pollTrialResult(trial!)).toEqual({ objective: 2 });
    expect(readFileSync(log, "utf8").trim().split("\n")).toHaveLength(1);
  });

  it("finds a process whose launcher was killed while spawning it, by the launch id in its environment", async () => {
    const dir = tempDir();
    const log = join(dir, "launches");
    writeFileSync(log, "");
    const runner = runnerIn(dir, [NODE, PROGRAM, "slow-then-result", "1", "{x}"], {
      env: { LAUNCH_LOG: log },
    });
    const [trial] = trialsFor("exp", [{ x: 6 }]);
    // What a launcher killed in the middle of spawn leaves: the record written before the spawn, no pid.
    const trialDir = join(dir, "work", "exp", "0");
    mkdirSync(trialDir, { recursive: true });
    const runnerId = String(runner.storedFields().runnerId);
    const launchId = "0d1f6f0e-2d2a-4c59-9d4e-6a1f9f3b9c11";
    writeFileSync(join(trialDir, "parameters.json"), `${JSON.stringify({ x: 6 })}\n`);
    writeFileSync(
      join(trialDir, "launch.json"),
      JSON.stringify({ pid: null, startedAtMs: Date.now(), argv: [], runnerId, launchId }),
    );
    const env = {
      ...process.env,
      LAUNCH_LOG: log,
      ASCENT_LAUNCH_ID: launchId,
      ASCENT_RESULT_FILE: join(trialDir, "result.json"),
      ASCENT_TRIAL_INDEX: "0",
    };
    const orphan = spawn(NODE, [PROGRAM, "slow-then-result", "1", "6"], {
      detached: true,
      stdio: "ignore",
      env,
    });
    started.push(orphan.pid!);
    await waitFor(() => readFileSync(log, "utf8") !== "", "the orphan to start");
    const meta = await deploy(runner, trial!);
    expect(meta.pid).toBe(orphan.pid);
    expect(await statusOf(runner, trial!)).toBe(TrialStatus.RUNNING);
    expect(await finish(runner, trial!)).toBe(TrialStatus.COMPLETED);
    expect(await runner.pollTrialResult(trial!)).toEqual({ objective: 6 });
    expect(readFileSync(log, "utf8").trim().split("\n")).toHaveLength(1);
  });

  it("reads what an unrecorded launch left when it already ended, and starts one that never ran", async () => {
    const dir = tempDir();
    const runner = runnerIn(dir, [NODE, PROGRAM, "stdout-json"]);
    const runnerId = String(runner.storedFields().runnerId);
    const [ran, never] = trialsFor("exp", [{ x: 1 }, { x: 2 }]);
    for (const [i, trial] of [ran!, never!].entries()) {
      const trialDir = join(dir, "work", "exp", String(i));
      mkdirSync(trialDir, { recursive: true });
      writeFileSync(join(trialDir, "parameters.json"), `${JSON.stringify({ x: i + 1 })}\n`);
      writeFileSync(
        join(trialDir, "launch.json"),
        JSON.stringify({ pid: null, startedAtMs: Date.now(), argv: [], runnerId, launchId: `launch-${i}` }),
      );
      if (trial === ran) writeFileSync(join(trialDir, "stdout.log"), '{"loss": 42}\n');
    }
    const ranMeta = await deploy(runner, ran!);
    expect(ranMeta.pid).toBeNull();
    expect(await statusOf(runner, ran!)).toBe(TrialStatus.COMPLETED);
    expect(await runner.pollTrialResult(ran!)).toEqual({ loss: 42 });
    const neverMeta = await deploy(runner, never!);
    expect(neverMeta.pid).toBeGreaterThan(1);
    expect(await finish(runner, never!)).toBe(TrialStatus.COMPLETED);
    expect(await runner.pollTrialResult(never!)).toEqual({ loss: 1.5, sem: 0.1 });
  });

  it("starts afresh a trial whose directory holds another runner's launch with the same parameters", async () => {
    const dir = tempDir();
    const log = join(dir, "launches");
    writeFileSync(log, "");
    const command = [NODE, PROGRAM, "slow-then-result", "0", "{x}"];
    const older = runnerIn(dir, command, { env: { LAUNCH_LOG: log } });
    const [oldTrial] = trialsFor("exp", [{ x: 5 }]);
    await deploy(older, oldTrial!);
    await finish(older, oldTrial!);
    const newer = runnerIn(dir, command, { env: { LAUNCH_LOG: log } });
    const [trial] = trialsFor("exp", [{ x: 5 }]);
    await deploy(newer, trial!);
    expect(await finish(newer, trial!)).toBe(TrialStatus.COMPLETED);
    expect(readFileSync(log, "utf8").trim().split("\n")).toHaveLength(2);
  });

  it("clears a directory an older experiment of the same name left, and runs the trial afresh", async () => {
    const dir = tempDir();
    const trialDir = join(dir, "work", "exp", "0");
    mkdirSync(trialDir, { recursive: true });
    writeFileSync(join(trialDir, "result.json"), JSON.stringify({ objective: -1 }));
    writeFileSync(join(trialDir, "parameters.json"), JSON.stringify({ x: 3 }));
    writeFileSync(join(trialDir, "launch.json"), JSON.stringify({ pid: 1, startedAtMs: 1000, argv: [] }));
    const runner = runnerIn(dir, [NODE, PROGRAM, "slow-then-result", "0", "{x}"]);
    const [trial] = trialsFor("exp", [{ x: 3 }]);
    await deploy(runner, trial!);
    expect(await finish(runner, trial!)).toBe(TrialStatus.COMPLETED);
    expect(await runner.pollTrialResult(trial!)).toEqual({ objective: 3 });
  });

  it("fails a trial whose run metadata locates no process, without running it", async () => {
    const dir = tempDir();
    const [trial] = trialsFor("exp", [{ x: 1 }]);
    trial!.markRunning();
    trial!.updateRunMetadata({ jobId: 3 });
    const runner = runnerIn(dir, [NODE]);
    expect(await statusOf(runner, trial!)).toBe(TrialStatus.FAILED);
    expect(await runner.pollException(trial!)).toContain("its run metadata cannot locate a process");
  });
});

describe("CommandRunner: stored form", () => {
  it("stores env names, never values; a rebuilt runner takes the values from its environment", async () => {
    const dir = tempDir();
    const runner = runnerIn(dir, [NODE, PROGRAM, "env"], {
      env: { EXTRA_SECRET: "hunter2" },
      timeoutSeconds: 60,
    });
    const fields = runner.storedFields();
    expect(JSON.stringify(fields)).not.toContain("hunter2");
    expect(fields).toEqual({
      command: [NODE, PROGRAM, "env"],
      cwd: dir,
      workDir: join(dir, "work"),
      timeoutSeconds: 60,
      killGraceSeconds: 5,
      envNames: ["EXTRA_SECRET"],
      runnerId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    const rebuilt = new CommandRunner(fields as unknown as CommandRunnerOptions);
    expect(rebuilt.storedFields()).toEqual(fields);
    const [a, b] = trialsFor("exp", [{ x: 1 }, { x: 2 }]);
    await expect(rebuilt.run(a!)).rejects.toThrow(/EXTRA_SECRET/);
    process.env.EXTRA_SECRET = "from-env";
    try {
      await deploy(rebuilt, b!);
      expect(await finish(rebuilt, b!)).toBe(TrialStatus.COMPLETED);
      const result = (await rebuilt.pollTrialResult(b!)) as { env: Record<string, string> };
      expect(result.env.EXTRA_SECRET).toBe("from-env");
    } finally {
      delete process.env.EXTRA_SECRET;
    }
  });

  it("refuses malformed options at construction", () => {
    expect(() => new CommandRunner({ command: [] })).toThrow(CommandTemplateError);
    expect(() => new CommandRunner({ command: ["a", "b}"] })).toThrow(/lone "}"/);
    expect(() => new CommandRunner({ command: ["a"], timeoutSeconds: 0 })).toThrow(CommandRunnerError);
    expect(() => new CommandRunner({ command: ["a"], env: { X: 1 as unknown as string } })).toThrow(/env.X/);
  });
});
