#!/usr/bin/python3
"""Optuna's pruners on the learning-curve problem of `npm run bench -- early-stopping`.

Runs, for seeds 0..9, 30 sequential trials of Optuna's TPE sampler (seeded) with (a) no pruner, (b) the
MedianPruner with its defaults and (c) the HyperbandPruner over the epoch range. Every curve comes from the
benchmark's own curve server (node --import tsx bench/early-stopping/curve-server.ts), so Optuna sees exactly
the curves Ascent sees. A trial reports its validation loss after each epoch (trial.report) and asks
should_prune(); the epochs it reported are the steps it consumed. Regret = best final value among the trials
that ran to the last epoch minus the reference optimum (bench/early-stopping/reference.json).

Usage (from the repository root): /usr/bin/python3 scripts/early-stopping-optuna.py [--seeds N] [--trials T]
Writes scripts/early-stopping-optuna.json. Needs Optuna (Debian: apt-get install python3-optuna).
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import time
from datetime import datetime, timezone

import optuna

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(ROOT, "scripts", "early-stopping-optuna.json")
REFERENCE = os.path.join(ROOT, "bench", "early-stopping", "reference.json")
COMMAND = "/usr/bin/python3 scripts/early-stopping-optuna.py"


class CurveServer:
    """The Node curve server as a subprocess: one JSON line in, one curve out."""

    def __init__(self):
        self.process = subprocess.Popen(
            ["node", "--import", "tsx", "bench/early-stopping/curve-server.ts"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def curve(self, params):
        self.process.stdin.write(json.dumps({"params": params}) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        if "error" in answer:
            raise RuntimeError(f"curve server refused {params}: {answer['error']}")
        return answer["curve"]

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def suggest(trial):
    """The benchmark's search space, as Optuna distributions."""
    return {
        "learningRate": trial.suggest_float("learningRate", 1e-4, 1.0, log=True),
        "l2": trial.suggest_float("l2", 1e-6, 1e-1, log=True),
        "hiddenUnits": trial.suggest_int("hiddenUnits", 2, 32),
        "momentum": trial.suggest_float("momentum", 0.0, 0.95),
    }


def pruners(max_epochs):
    return {
        "optuna-none": (
            "TPE, no pruner",
            lambda: optuna.pruners.NopPruner(),
        ),
        "optuna-median": (
            "TPE + MedianPruner(n_startup_trials=5, n_warmup_steps=0, interval_steps=1) (defaults)",
            lambda: optuna.pruners.MedianPruner(),
        ),
        "optuna-hyperband": (
            f"TPE + HyperbandPruner(min_resource=1, max_resource={max_epochs}, reduction_factor=3)",
            lambda: optuna.pruners.HyperbandPruner(min_resource=1, max_resource=max_epochs),
        ),
    }


def run_seed(server, make_pruner, seed, trials, max_epochs, best_known):
    steps = []
    decision_ms = []
    # A fixed study name: Hyperband assigns trials to brackets by a hash of the study name and trial number,
    # and the default name is random.
    study = optuna.create_study(
        study_name=f"learning-curve-{seed}",
        direction="minimize",
        sampler=optuna.samplers.TPESampler(seed=seed),
        pruner=make_pruner(),
    )

    def objective(trial):
        curve = server.curve(suggest(trial))
        for epoch, value in enumerate(curve, start=1):
            trial.report(value, epoch)
            # The last epoch's value is the result: pruning there would only throw it away.
            if epoch == max_epochs:
                break
            t0 = time.perf_counter()
            prune = trial.should_prune()
            decision_ms.append((time.perf_counter() - t0) * 1000)
            if prune:
                steps.append(epoch)
                raise optuna.TrialPruned()
        steps.append(max_epochs)
        return curve[-1]

    study.optimize(objective, n_trials=trials)
    completed = [t.value for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    best = min(completed) if completed else float("inf")
    return {
        "seed": seed,
        "stepsPerTrial": steps,
        "totalSteps": sum(steps),
        "trialsStopped": sum(1 for t in study.trials if t.state == optuna.trial.TrialState.PRUNED),
        "bestFinalValue": best,
        "regret": best - best_known,
        "msPerDecision": statistics.mean(decision_ms),
    }


def summarize(runs, full_steps):
    regrets = [r["regret"] for r in runs]
    total = statistics.mean(r["totalSteps"] for r in runs)
    return {
        "meanTotalSteps": total,
        "stepsSavedShare": 1 - total / full_steps,
        "meanRegret": statistics.mean(regrets),
        "medianRegret": statistics.median(regrets),
        "meanTrialsStopped": statistics.mean(r["trialsStopped"] for r in runs),
        "msPerDecision": statistics.mean(r["msPerDecision"] for r in runs),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--trials", type=int, default=30)
    args = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    with open(REFERENCE) as f:
        reference = json.load(f)
    max_epochs = reference["maxEpochs"]
    server = CurveServer()
    configurations = {}
    try:
        for key, (label, make_pruner) in pruners(max_epochs).items():
            t0 = time.perf_counter()
            runs = [
                run_seed(server, make_pruner, seed, args.trials, max_epochs, reference["bestFinalValue"])
                for seed in range(args.seeds)
            ]
            summary = summarize(runs, args.trials * max_epochs)
            configurations[key] = {"label": label, **summary, "seconds": time.perf_counter() - t0, "runs": runs}
            print(f"{key}: {json.dumps(summary)}", flush=True)
    finally:
        server.close()
    with open(OUTPUT, "w") as f:
        json.dump(
            {
                "command": COMMAND,
                "optunaVersion": optuna.__version__,
                "python": platform.python_version(),
                "date": datetime.now(timezone.utc).isoformat(),
                "seeds": args.seeds,
                "trials": args.trials,
                "maxEpochs": max_epochs,
                "referenceBestFinalValue": reference["bestFinalValue"],
                "protocol": (
                    "Sequential trials (n_jobs=1), TPESampler(seed=seed) with default settings, seeds 0.."
                    f"{args.seeds - 1}; each trial reports the validation loss of epochs 1..{max_epochs} "
                    "(trial.report(value, epoch), then should_prune() except after the last epoch); steps = epochs reported; regret = "
                    "best final value among COMPLETE trials minus the reference optimum."
                ),
                "configurations": configurations,
            },
            f,
            indent=2,
        )
        f.write("\n")
    print(f"written to {OUTPUT}")


if __name__ == "__main__":
    main()
