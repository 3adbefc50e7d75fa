import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { CommandRunnerError, CommandTemplateError } from "../../../src/errors.js";
import { executeCommandTrial } from "../../../src/runners/command/index.js";
import { tempDir } from "../../support/temp-dir.js";
import { runTsxChild } from "../../support/tsx-child.js";
import { HOSTILE_VALUES, isAlive, NODE, PROGRAM, waitFor } from "./support.js";

function spec(
  dir: string,
  command: string[],
  extra: Partial<Parameters<typeof executeCommandTrial>[0]> = {},
) {
  return {
    command,
    cwd: dir,
    trialDir: join(dir, "trial"),
    parameters: { lr: 0.01, layers: 3, name: "abc", flag: true },
    trialIndex: 7,
    experimentName: "exp",
    ...extra,
  };
}

describe("executeCommandTrial: results", () => {
  it("reads the result file first, and passes parameters as argv and environment", async () => {
    const dir = tempDir();
    const outcome = await executeCommandTrial(
      spec(dir, [NODE, PROGRAM, "result-file", "{lr}"], { env: { EXTRA_X: "1" } }),
    );
    expect(outcome).toEqual({ status: "COMPLETED", result: { loss: 0.01, acc: [0.9, 0.01] } });
    const files = readdirSync(join(dir, "trial")).sort();
    expect(files).toEqual([
      "exit.json",
      "launch.json",
      "parameters.json",
      "result.json",
      "stderr.log",
      "stdout.log",
    ]);
    expect(JSON.parse(readFileSync(join(dir, "trial", "parameters.json"), "utf8"))).toEqual({
      lr: 0.01,
      layers: 3,
      name: "abc",
      flag: true,
    });
  });

  it("gives the process the ASCENT_* variables and the extra env", async () => {
    const dir = tempDir();
    const outcome = await executeCommandTrial(spec(dir, [NODE, PROGRAM, "env"], { env: { EXTRA_X: "x y" } }));
    const trialDir = join(dir, "trial");
    expect(outcome).toEqual({
      status: "COMPLETED",
      result: {
        env: {
          ASCENT_PARAMETERS: JSON.stringify({ lr: 0.01, layers: 3, name: "abc", flag: true }),
          ASCENT_PARAMETERS_FILE: join(trialDir, "parameters.json"),
          ASCENT_RESULT_FILE: join(trialDir, "result.json"),
          ASCENT_PROGRESS_FILE: join(trialDir, "progress.jsonl"),
          ASCENT_TRIAL_INDEX: "7",
          ASCENT_EXPERIMENT: "exp",
          ASCENT_TRIAL_DIR: trialDir,
          ASCENT_LAUNCH_ID: expect.stringMatching(/^[0-9a-f-]{36}$/),
          EXTRA_X: "x y",
        },
      },
    });
  });

  it("takes the last JSON object line of stdout, else a bare number on the last line", async () => {
    const dir = tempDir();
    expect(await executeCommandTrial(spec(dir, [NODE, PROGRAM, "stdout-json"]))).toEqual({
      status: "COMPLETED",
      result: { loss: 1.5, sem: 0.1 },
    });
    expect(await executeCommandTrial(spec(dir, [NODE, PROGRAM, "bare", "-1.5e-3"]))).toEqual({
      status: "COMPLETED",
      result: -0.0015,
    });
  });

  it("fails a command that reports nothing, naming the trial and quoting stdout and stderr", async () => {
    const dir = tempDir();
    const outcome = await executeCommandTrial(spec(dir, [NODE, PROGRAM, "none"]));
    expect(outcome.status).toBe("FAILED");
    const reason = (outcome as { reason: string }).reason;
    expect(reason).toContain("Trial 7");
    expect(reason).toContain("reported no result");
    expect(reason).toContain("hello from stdout");
    expect(reason).toContain("complaint on stderr");
  });

  it("fails a result file that is not JSON, quoting it", async () => {
    const dir = tempDir();
    const outcome = await executeCommandTrial(spec(dir, [NODE, PROGRAM, "bad-result-file"]));
    expect(outcome.status).toBe("FAILED");
    expect((outcome as { reason: string }).reason).toMatch(
      /Trial 7: the result file .* is not JSON.*\{not json/,
    );
  });

  it("fails a non-zero exit with the code and the stderr tail, whatever stdout said", async () => {
    const dir = tempDir();
    const outcome = await executeCommandTrial(spec(dir, [NODE, PROGRAM, "exit", "3"]));
    expect(outcome.status).toBe("FAILED");
    const reason = (outcome as { reason: string }).reason;
    expect(reason).toContain("Trial 7: the command exited with code 3.");
    expect(reason).toContain("bad things happened");
  });

  it("fails a process killed by a signal, naming the signal", async () => {
    const dir = tempDir();
    const outcome = await executeCommandTrial(spec(dir, [NODE, PROGRAM, "signal"]));
    expect(outcome.status).toBe("FAILED");
    const reason = (outcome as { reason: string }).reason;
    expect(reason).toContain("killed by signal SIGKILL");
    expect(reason).toContain("about to die");
  });

  it("fails a program that does not exist, with the system's reason", async () => {
    const dir = tempDir();
    const outcome = await executeCommandTrial(spec(dir, ["./no-such-program-here"]));
    expect(outcome.status).toBe("FAILED");
    expect((outcome as { reason: string }).reason).toMatch(
      /Trial 7: Could not start "\.\/no-such-program-here".*ENOENT/,
    );
  });

  it("fails a placeholder that is not a parameter, naming it and the parameters", async () => {
    const dir = tempDir();
    const outcome = await executeCommandTrial(spec(dir, [NODE, PROGRAM, "argv", "--lr={learning_rate}"]));
    expect(outcome.status).toBe("FAILED");
    const reason = (outcome as { reason: string }).reason;
    expect(reason).toContain("{learning_rate}");
    expect(reason).toContain('"lr", "layers", "name", "flag"');
    expect(existsSync(join(dir, "trial", "launch.json"))).toBe(false);
  });

  it("throws for a malformed spec", async () => {
    const dir = tempDir();
    await expect(executeCommandTrial(spec(dir, []))).rejects.toBeInstanceOf(CommandTemplateError);
    await expect(executeCommandTrial(spec(dir, [NODE, "{lr"]))).rejects.toBeInstanceOf(CommandTemplateError);
    await expect(executeCommandTrial(spec(dir, [NODE], { timeoutSeconds: -1 }))).rejects.toBeInstanceOf(
      CommandRunnerError,
    );
  });
});

describe("executeCommandTrial: alone in its process", () => {
  it("keeps Node running until the command exits", async () => {
    const dir = tempDir();
    const { code, out } = await runTsxChild(join(dirname(PROGRAM), "execute-alone.ts"), [join(dir, "trial")]);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({ status: "COMPLETED", result: 42 });
  });
});

describe("executeCommandTrial: hostile values", () => {
  it("passes every hostile value as exactly one argv element, unchanged, and runs nothing else", async () => {
    const dir = tempDir();
    const parameters: Record<string, string> = {};
    const command = [NODE, PROGRAM, "argv"];
    HOSTILE_VALUES.forEach((value, i) => {
      parameters[`p${i}`] = value;
      command.push(`{p${i}}`);
    });
    command.push("pre-{p0}-mid-{p5}-post", "{{literal}}", "--x={p6}");
    const outcome = await executeCommandTrial(spec(dir, command, { parameters }));
    expect(outcome).toEqual({
      status: "COMPLETED",
      result: {
        argv: [
          ...HOSTILE_VALUES,
          `pre-${HOSTILE_VALUES[0]}-mid-${HOSTILE_VALUES[5]}-post`,
          "{literal}",
          "--x=--flag=1",
        ],
      },
    });
    expect(existsSync(join(dir, "pwned"))).toBe(false);
    expect(existsSync(join(dir, "trial", "pwned"))).toBe(false);
    expect(existsSync(join(process.cwd(), "pwned"))).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, "trial", "parameters.json"), "utf8"))).toEqual(parameters);
  });

  it("formats numbers without loss and booleans as words", async () => {
    const dir = tempDir();
    const parameters = {
      a: 0.1,
      b: 1e-7,
      c: 123456789012345,
      d: 1e21,
      e: -0,
      f: true,
      g: 1 / 3,
      h: 2 ** 53 + 2,
    };
    const command = [NODE, PROGRAM, "argv", ...Object.keys(parameters).map((k) => `{${k}}`)];
    const outcome = await executeCommandTrial(spec(dir, command, { parameters }));
    const argv = (outcome as { result: { argv: string[] } }).result.argv;
    expect(argv).toEqual([
      "0.1",
      "1e-7",
      "123456789012345",
      "1000000000000000000000",
      "-0",
      "true",
      String(1 / 3),
      "9007199254740994",
    ]);
    expect(argv.slice(0, 5).map(Number)).toEqual([0.1, 1e-7, 123456789012345, 1e21, -0]);
    expect(Number(argv[6])).toBe(1 / 3);
  });

  it("fails a value holding NUL, which no argv element can carry", async () => {
    const dir = tempDir();
    const outcome = await executeCommandTrial(
      spec(dir, [NODE, PROGRAM, "argv", "{name}"], { parameters: { name: "a\0b" } }),
    );
    expect(outcome.status).toBe("FAILED");
    expect((outcome as { reason: string }).reason).toContain("NUL");
  });
});

describe("executeCommandTrial: timeouts and stops", () => {
  it("kills the whole process group on timeout: the child and its grandchild", async () => {
    const dir = tempDir();
    const pidFile = join(dir, "grandchild.pid");
    const outcome = await executeCommandTrial(
      spec(dir, [NODE, PROGRAM, "family", pidFile, "120"], { timeoutSeconds: 4, killGraceSeconds: 1 }),
    );
    expect(outcome.status).toBe("FAILED");
    expect((outcome as { reason: string }).reason).toContain("Trial 7 timed out after 4 s");
    const launch = JSON.parse(readFileSync(join(dir, "trial", "launch.json"), "utf8")) as { pid: number };
    expect(isAlive(launch.pid)).toBe(false);
    expect(isAlive(Number(readFileSync(pidFile, "utf8")))).toBe(false);
  });

  it("kills what a finished process left running in its group", async () => {
    const dir = tempDir();
    const pidFile = join(dir, "grandchild.pid");
    const outcome = await executeCommandTrial(spec(dir, [NODE, PROGRAM, "family", pidFile, "0.3"]));
    expect(outcome).toEqual({ status: "COMPLETED", result: 2 });
    expect(isAlive(Number(readFileSync(pidFile, "utf8")))).toBe(false);
  });

  it("escalates to SIGKILL when the process ignores SIGTERM", async () => {
    const dir = tempDir();
    const pidFile = join(dir, "grandchild.pid");
    const outcome = await executeCommandTrial(
      spec(dir, [NODE, PROGRAM, "family", pidFile, "120", "ignore-term"], {
        timeoutSeconds: 4,
        killGraceSeconds: 0.5,
      }),
    );
    expect((outcome as { reason: string }).reason).toContain("timed out after 4 s");
    const launch = JSON.parse(readFileSync(join(dir, "trial", "launch.json"), "utf8")) as { pid: number };
    expect(isAlive(launch.pid)).toBe(false);
    expect(isAlive(Number(readFileSync(pidFile, "utf8")))).toBe(false);
  });

  it("kills the group when the signal fires, with its reason", async () => {
    const dir = tempDir();
    const pidFile = join(dir, "grandchild.pid");
    const controller = new AbortController();
    const running = executeCommandTrial(
      spec(dir, [NODE, PROGRAM, "family", pidFile, "120"], { signal: controller.signal }),
    );
    await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, "utf8") !== "", "the grandchild");
    controller.abort("no longer needed");
    const outcome = await running;
    expect(outcome).toEqual({
      status: "FAILED",
      reason: "Trial 7 was stopped (no longer needed); its process group was killed.",
    });
    expect(isAlive(Number(readFileSync(pidFile, "utf8")))).toBe(false);
  });

  it("does not start a trial whose signal already fired", async () => {
    const dir = tempDir();
    const log = join(dir, "launches");
    writeFileSync(log, "");
    const outcome = await executeCommandTrial(
      spec(dir, [NODE, PROGRAM, "argv"], { signal: AbortSignal.abort("shutdown"), env: { LAUNCH_LOG: log } }),
    );
    expect(outcome).toEqual({
      status: "FAILED",
      reason: "Trial 7 was stopped (shutdown) before it started.",
    });
    expect(readFileSync(log, "utf8")).toBe("");
  });
});
