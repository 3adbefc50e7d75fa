import { describe, expect, it } from "vitest";
import { duplicateRuns, experimentViolations, processViolations } from "../../bench/soak-checks.js";
import type { Commit } from "../../bench/soak-child.js";
import { expectedValue, makeSoakExperiment, SOAK_METRIC } from "../../bench/soak-experiment.js";
import type { ProcessRecord } from "../../bench/soak-process.js";
import { Arm, Data, type Experiment, GeneratorRun } from "../../src/index.js";

const POINTS = [
  { x1: 0, x2: 1 },
  { x1: 2.5, x2: 7 },
  { x1: -3, x2: 12 },
];

/** The soak experiment with one completed trial per point, each with `value(point)` stored (or no row). */
function finishedExperiment(value: (p: (typeof POINTS)[number], i: number) => number | null = expectedValue) {
  const experiment = makeSoakExperiment("checks");
  POINTS.forEach((parameters, i) => {
    const run = new GeneratorRun({ arms: [new Arm({ parameters })], generatorName: "Sobol", timeCreated: 0 });
    const trial = experiment.newTrial({ generatorRun: run }).markRunning();
    const mean = value(parameters, i);
    if (mean !== null) {
      experiment.attachData(
        Data.fromRows([
          { trialIndex: trial.index, armName: trial.arm.name, metricName: SOAK_METRIC, mean, sem: 0 },
        ]),
      );
    }
    trial.markCompleted();
  });
  return experiment;
}

function commit(trials: [number, string][]): Commit {
  return { experiment: false, state: false, trials, data: [] };
}

function processRecord(fields: Partial<ProcessRecord>): ProcessRecord {
  return {
    mode: "resume",
    plan: null,
    outcome: "killed",
    killedDuring: "running",
    message: null,
    runs: [],
    commits: [],
    calls: {},
    wallMs: 0,
    stderrTail: "",
    ...fields,
  };
}

function kinds(violations: readonly { kind: string }[]): string[] {
  return violations.map((v) => v.kind);
}

describe("experimentViolations", () => {
  it("finds none in a finished experiment whose data is the function of its parameters", () => {
    expect(experimentViolations(finishedExperiment(), POINTS.length, [])).toEqual([]);
  });

  it("reports a stored value that is not the function of its parameters, and a missing row", () => {
    const experiment = finishedExperiment((p, i) =>
      i === 0 ? expectedValue(p) + 1e-9 : i === 1 ? null : expectedValue(p),
    );
    expect(kinds(experimentViolations(experiment, POINTS.length, []))).toEqual([
      "dataMismatch",
      "missingData",
    ]);
  });

  it("reports a trial count other than the requested one and an experiment that is not stored", () => {
    expect(kinds(experimentViolations(finishedExperiment(), POINTS.length + 1, []))).toEqual([
      "wrongTrialCount",
    ]);
    expect(kinds(experimentViolations(null, POINTS.length, []))).toEqual(["notStored"]);
  });

  it("reports a trial not completed, and a completion a process committed that the store lost", () => {
    const experiment: Experiment = finishedExperiment();
    const run = new GeneratorRun({
      arms: [new Arm({ parameters: { x1: 1, x2: 1 } })],
      generatorName: "Sobol",
      timeCreated: 0,
    });
    experiment.newTrial({ generatorRun: run }).markRunning();
    const processes = [processRecord({ commits: [commit([[3, "COMPLETED"]])] })];
    expect(kinds(experimentViolations(experiment, POINTS.length + 1, processes))).toEqual([
      "notCompleted",
      "lostCompletion",
    ]);
  });
});

describe("duplicateRuns", () => {
  it("reports a launch of a trial that an earlier process stored as RUNNING or COMPLETED", () => {
    const processes = [
      processRecord({ runs: [{ index: 0, afterCommits: 0 }], commits: [commit([[0, "RUNNING"]])] }),
      processRecord({ runs: [{ index: 0, afterCommits: 0 }] }),
    ];
    const found = duplicateRuns(processes);
    expect(kinds(found.violations)).toEqual(["duplicateRun"]);
    expect(found.relaunches).toBe(0);
  });

  it("reports a relaunch within one process after its own commit, in the order the events came", () => {
    const processes = [
      processRecord({
        runs: [
          { index: 1, afterCommits: 0 },
          { index: 1, afterCommits: 1 },
        ],
        commits: [commit([[1, "RUNNING"]])],
      }),
    ];
    expect(kinds(duplicateRuns(processes).violations)).toEqual(["duplicateRun"]);
  });

  it("counts a launch whose RUNNING state was never stored, relaunched later, apart from violations", () => {
    const processes = [
      processRecord({ runs: [{ index: 2, afterCommits: 0 }], commits: [commit([[2, "CANDIDATE"]])] }),
      processRecord({ runs: [{ index: 2, afterCommits: 0 }], commits: [commit([[2, "RUNNING"]])] }),
    ];
    expect(duplicateRuns(processes)).toEqual({ violations: [], relaunches: 1 });
  });
});

describe("processViolations", () => {
  it("reports processes that could not resume, failed, hung or exited without a word", () => {
    const processes = [
      processRecord({ outcome: "resume-failed", message: "no stored generation strategy" }),
      processRecord({ outcome: "error", message: "boom" }),
      processRecord({ outcome: "hung" }),
      processRecord({ outcome: "exited" }),
      processRecord({ outcome: "done" }),
      processRecord({}),
    ];
    expect(kinds(processViolations(processes))).toEqual([
      "resumeFailed",
      "processError",
      "hung",
      "processError",
    ]);
  });
});
