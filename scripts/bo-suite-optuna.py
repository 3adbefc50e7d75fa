#!/usr/bin/python3
"""Optuna's TPE on the problems of `npm run bench -- bo-suite`: the reference row `tpe` of its tables.

The same problems as bench/bo-suite/problems/ (same functions, boxes, parameter types, budgets, noise
levels and constraints; the optima are checked below against the values the TypeScript side quotes), each
minimized by TPESampler with its default settings, seeded 0..19, one trial at a time. Outcome constraints
go through TPESampler(constraints_func=...) (available, experimental, in Debian's python3-optuna 3.1),
with the constraint values c(x) <= 0 meaning feasible. Noise is drawn from numpy's generator seeded by
seed + 300000, so the noise values differ from the TypeScript runs' (same distributions).

Regret = true value - f*, log10 with a floor of 1e-12. Noise-free problems: the best feasible value
observed (worst value - f* when nothing feasible was observed); noisy problems: the true value of the
trial Optuna recommends (study.best_trial, the best noisy observation). The recommendation is therefore
always the observed best. Edge share: continuous values of trials after TPE's random startup trials
(n_startup_trials = 10) that sit exactly on a bound.

Usage (from the repository root): /usr/bin/python3 scripts/bo-suite-optuna.py [--seeds N] [--problems a,b]
Writes scripts/bo-suite-optuna.json (merging by problem). Needs Optuna (Debian: apt-get install python3-optuna).
"""

import argparse
import json
import math
import os
import platform
import time
from datetime import datetime, timezone

import numpy as np
import optuna

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(ROOT, "scripts", "bo-suite-optuna.json")
COMMAND = "/usr/bin/python3 scripts/bo-suite-optuna.py"
REGRET_FLOOR = 1e-12
NOISE_SEED_OFFSET = 300_000
N_STARTUP_TRIALS = 10  # TPESampler's default, for the edge share

# ---------------------------------------------------------------------------------------------------
# Test functions (as bench/bo-suite/problems/*.ts)


def branin(x):
    x1, x2 = x
    b = 5.1 / (4 * math.pi**2)
    c = 5 / math.pi
    t = 1 / (8 * math.pi)
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


H3_ALPHA = [1.0, 1.2, 3.0, 3.2]
H3_A = [[3, 10, 30], [0.1, 10, 35], [3, 10, 30], [0.1, 10, 35]]
H3_P = [[v * 1e-4 for v in row] for row in [[3689, 1170, 2673], [4699, 4387, 7470], [1091, 8732, 5547], [381, 5743, 8828]]]
H6_ALPHA = [1.0, 1.2, 3.0, 3.2]
H6_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
H6_P = [
    [v * 1e-4 for v in row]
    for row in [
        [1312, 1696, 5569, 124, 8283, 5886],
        [2329, 4135, 8307, 3736, 1004, 9991],
        [2348, 1451, 3522, 2883, 3047, 6650],
        [4047, 8828, 8732, 5743, 1091, 381],
    ]
]


def hartmann(alpha, A, P, x):
    total = 0.0
    for i in range(4):
        inner = sum(A[i][j] * (x[j] - P[i][j]) ** 2 for j in range(len(x)))
        total += alpha[i] * math.exp(-inner)
    return -total


def hartmann3(x):
    return hartmann(H3_ALPHA, H3_A, H3_P, x)


def hartmann6(x):
    return hartmann(H6_ALPHA, H6_A, H6_P, x)


SHEKEL_C = [[4, 4, 4, 4], [1, 1, 1, 1], [8, 8, 8, 8], [6, 6, 6, 6], [3, 7, 3, 7], [2, 9, 2, 9], [5, 3, 5, 3], [8, 1, 8, 1], [6, 2, 6, 2], [7, 3.6, 7, 3.6]]
SHEKEL_BETA = [v / 10 for v in [1, 2, 2, 4, 4, 6, 3, 7, 5, 5]]


def shekel(x):
    return -sum(1 / (SHEKEL_BETA[i] + sum((x[j] - SHEKEL_C[i][j]) ** 2 for j in range(4))) for i in range(10))


def camel(x):
    x1, x2 = x
    return (4 - 2.1 * x1 * x1 + x1**4 / 3) * x1 * x1 + x1 * x2 + (-4 + 4 * x2 * x2) * x2 * x2


def rosenbrock(x):
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(len(x) - 1))


def goldstein_price(x):
    x1, x2 = x
    a = 1 + (x1 + x2 + 1) ** 2 * (19 - 14 * x1 + 3 * x1 * x1 - 14 * x2 + 6 * x1 * x2 + 3 * x2 * x2)
    b = 30 + (2 * x1 - 3 * x2) ** 2 * (18 - 32 * x1 + 12 * x1 * x1 + 48 * x2 - 36 * x1 * x2 + 27 * x2 * x2)
    return a * b


def dixon_price(x):
    return (x[0] - 1) ** 2 + sum((i + 1) * (2 * x[i] ** 2 - x[i - 1]) ** 2 for i in range(1, len(x)))


def ackley(x):
    d = len(x)
    squares = sum(v * v for v in x)
    cosines = sum(math.cos(2 * math.pi * v) for v in x)
    return -20 * math.exp(-0.2 * math.sqrt(squares / d)) - math.exp(cosines / d) + 20 + math.e


def levy(x):
    w = [1 + (v - 1) / 4 for v in x]
    last = w[-1]
    total = math.sin(math.pi * w[0]) ** 2 + (last - 1) ** 2 * (1 + math.sin(2 * math.pi * last) ** 2)
    return total + sum((w[i] - 1) ** 2 * (1 + 10 * math.sin(math.pi * w[i] + 1) ** 2) for i in range(len(x) - 1))


def styblinski_tang(x):
    return sum(v**4 - 16 * v * v + 5 * v for v in x) / 2


def michalewicz(x):
    return -sum(math.sin(x[i]) * math.sin((i + 1) * x[i] ** 2 / math.pi) ** 20 for i in range(len(x)))


def branin_embedded(x):
    return branin([-5 + 15 * x[2], 15 * x[6]])


MIXED_OFFSET = {"a": 0.3, "b": 0.0, "c": 0.5, "d": 0.8}
MIXED_PERMUTATION = {"a": [0, 1, 2], "b": [2, 0, 1], "c": [0, 1, 2], "d": [1, 2, 0]}


def mixed(x, k, kind, lr):
    y = [1 - x[j] if kind == "c" else x[j] for j in MIXED_PERMUTATION[kind]]
    return hartmann3(y) + MIXED_OFFSET[kind] + 0.1 * (k - 3) ** 2 + 0.2 * (math.log10(lr) + 2.5) ** 2


def gramacy_constraints(x1, x2):
    c1 = 1.5 - x1 - 2 * x2 - 0.5 * math.sin(2 * math.pi * (x1 * x1 - 2 * x2))
    c2 = x1 * x1 + x2 * x2 - 1.5
    return [c1, c2]


# ---------------------------------------------------------------------------------------------------
# Problems (keys, budgets, f*, basins as bench/bo-suite/problems/index.ts)


def box(key, fn, bounds, budget, f_star, optimizer, basin=None):
    names = [f"x{i + 1}" for i in range(len(bounds))]
    return {
        "key": key,
        "budget": budget,
        "fStar": f_star,
        "basin": basin,
        "noisy": False,
        "space": [{"name": n, "kind": "float", "low": lo, "high": hi} for n, (lo, hi) in zip(names, bounds)],
        "truth": lambda p: (fn([p[n] for n in names]), True, None),
        "check": lambda: fn(optimizer),
    }


def noisy(key, fn, bounds, budget, f_star, observe, basin=None):
    problem = box(key, fn, bounds, budget, f_star, None, basin)
    problem["noisy"] = True
    problem["observe"] = observe
    problem.pop("check")
    return problem


def problems():
    pi = math.pi
    h3_opt = [0.1145888891151495, 0.5556488946250067, 0.8525469859664419]
    h6_opt = [0.20168950695090998, 0.15001069187193894, 0.4768739769189074, 0.2753324302063216, 0.31165161559470017, 0.6573005344586534]
    branin_star = 5 / (4 * pi)
    h6_star = -3.322368011415515
    list_ = [
        box("branin", branin, [(-5, 10), (0, 15)], 30, branin_star, [pi, 2.275]),
        box("hartmann3", hartmann3, [(0, 1)] * 3, 40, -3.862779787332663, h3_opt, 0.09),
        box("hartmann6", hartmann6, [(0, 1)] * 6, 60, h6_star, h6_opt, 0.05),
        box("rosenbrock", rosenbrock, [(-5, 10)] * 4, 50, 0.0, [1, 1, 1, 1], 1),
        box("goldstein-price", goldstein_price, [(-2, 2)] * 2, 30, 3.0, [0, -1], 10),
        box("dixon-price", dixon_price, [(-10, 10)] * 4, 50, 0.0, [2 ** (-(2 ** (i + 1) - 2) / 2 ** (i + 1)) for i in range(4)]),
        box("ackley", ackley, [(-32.768, 32.768)] * 5, 60, 0.0, [0] * 5, 1),
        box("levy", levy, [(-10, 10)] * 5, 60, 0.0, [1] * 5, 0.045),
        box("styblinski-tang", styblinski_tang, [(-5, 5)] * 4, 50, 4 * -39.16616570377141, [-2.903534027771177] * 4, 7),
        box(
            "michalewicz",
            michalewicz,
            [(0, pi)] * 5,
            60,
            -4.687658179088149,
            [2.20290551577667, 1.5707963247492533, 1.28499156962677, 1.9230584715591441, 1.7204697734016792],
            0.02,
        ),
        box("shekel", shekel, [(0, 10)] * 4, 50, -10.53644315348353, [4.000746866254254, 3.999509480423142, 4.000746870430316, 3.9995094826129427], 2),
        box("six-hump-camel", camel, [(-3, 3), (-2, 2)], 30, -1.0316284534898774, [0.08984201164977734, -0.7126564041106396], 0.4),
        box("branin-10d", branin_embedded, [(0, 1)] * 10, 100, branin_star, [0.5, 0.5, (pi + 5) / 15, 0.5, 0.5, 0.5, 2.275 / 15, 0.5, 0.5, 0.5]),
        {
            "key": "mixed",
            "budget": 60,
            "fStar": -3.862779787332663,
            "basin": 0.15,
            "noisy": False,
            "space": [
                {"name": "x1", "kind": "float", "low": 0, "high": 1},
                {"name": "x2", "kind": "float", "low": 0, "high": 1},
                {"name": "x3", "kind": "float", "low": 0, "high": 1},
                {"name": "k", "kind": "int", "low": 1, "high": 8},
                {"name": "kind", "kind": "choice", "values": ["a", "b", "c", "d"]},
                {"name": "lr", "kind": "float", "low": 1e-5, "high": 1, "log": True},
            ],
            "truth": lambda p: (mixed([p["x1"], p["x2"], p["x3"]], p["k"], p["kind"], p["lr"]), True, None),
            "check": lambda: mixed([h3_opt[1], h3_opt[2], h3_opt[0]], 3, "b", 10**-2.5),
        },
        {
            "key": "gramacy",
            "budget": 30,
            "fStar": 0.599788052,
            "worst": 2.0,
            "basin": 0.05,
            "noisy": False,
            "space": [{"name": "x1", "kind": "float", "low": 0, "high": 1}, {"name": "x2", "kind": "float", "low": 0, "high": 1}],
            "truth": lambda p: (
                p["x1"] + p["x2"],
                all(c <= 0 for c in gramacy_constraints(p["x1"], p["x2"])),
                gramacy_constraints(p["x1"], p["x2"]),
            ),
        },
        {
            "key": "hartmann6-l1",
            "budget": 60,
            "fStar": -1.5150271070180503,
            "worst": 0.0,
            "basin": 0.5,
            "noisy": False,
            "space": [{"name": f"x{i + 1}", "kind": "float", "low": 0, "high": 1} for i in range(6)],
            "truth": lambda p: (
                hartmann6([p[f"x{i + 1}"] for i in range(6)]),
                sum(p[f"x{i + 1}"] for i in range(6)) <= 1,
                [sum(p[f"x{i + 1}"] for i in range(6)) - 1],
            ),
            "check": lambda: hartmann6([0, 0, 0, 0.1973009382553802, 0.2512957766463159, 1 - 0.1973009382553802 - 0.2512957766463159]),
        },
        noisy("hartmann6-noisy", hartmann6, [(0, 1)] * 6, 60, h6_star, lambda v, rng: v + 0.1 * rng.standard_normal(), 0.05),
        noisy("branin-noisy", branin, [(-5, 10), (0, 15)], 40, branin_star, lambda v, rng: v + rng.standard_normal()),
        noisy("rosenbrock-noisy", rosenbrock, [(-5, 10)] * 4, 50, 0.0, lambda v, rng: v * math.exp(0.1 * rng.standard_normal()), 1),
    ]
    return list_


# ---------------------------------------------------------------------------------------------------
# Runs


def log10_regret(regret):
    return math.log10(max(regret, REGRET_FLOOR))


def suggest(trial, space):
    params = {}
    for s in space:
        if s["kind"] == "float":
            params[s["name"]] = trial.suggest_float(s["name"], s["low"], s["high"], log=s.get("log", False))
        elif s["kind"] == "int":
            params[s["name"]] = trial.suggest_int(s["name"], s["low"], s["high"])
        else:
            params[s["name"]] = trial.suggest_categorical(s["name"], s["values"])
    return params


def run_seed(problem, seed):
    noise = np.random.default_rng(seed + NOISE_SEED_OFFSET)
    constrained = "worst" in problem
    truth = {}

    def objective(trial):
        params = suggest(trial, problem["space"])
        value, feasible, constraints = problem["truth"](params)
        truth[trial.number] = (value, feasible, params)
        if constraints is not None:
            trial.set_user_attr("constraint", constraints)
        return problem["observe"](value, noise) if problem["noisy"] else value

    kwargs = {"seed": seed}
    if constrained:
        kwargs["constraints_func"] = lambda t: t.user_attrs["constraint"]
    study = optuna.create_study(direction="minimize", sampler=optuna.samplers.TPESampler(**kwargs))
    half = None
    budget = problem["budget"]
    study.optimize(objective, n_trials=budget // 2)
    half = regret_so_far(problem, study, truth)
    study.optimize(objective, n_trials=budget - budget // 2)
    final = regret_so_far(problem, study, truth)
    edge, values = edge_counts(problem, truth)
    result = {
        "seed": seed,
        "finalLog10Regret": log10_regret(final),
        "halfLog10Regret": log10_regret(half),
        "boRangeValues": values,
        "boEdgeValues": edge,
        "recommendation": {"default": log10_regret(final), "observed": log10_regret(final)},
    }
    if problem["basin"] is not None:
        result["inGlobalBasin"] = 1 if final < problem["basin"] else 0
    return result


def regret_so_far(problem, study, truth):
    if problem["noisy"]:
        return truth[study.best_trial.number][0] - problem["fStar"]
    feasible = [v for v, ok, _ in truth.values() if ok]
    if not feasible:
        return problem["worst"] - problem["fStar"]
    return min(feasible) - problem["fStar"]


def edge_counts(problem, truth):
    edge = values = 0
    for number, (_, _, params) in truth.items():
        if number < N_STARTUP_TRIALS:
            continue
        for s in problem["space"]:
            if s["kind"] != "float":
                continue
            values += 1
            v = params[s["name"]]
            if v == s["low"] or v == s["high"]:
                edge += 1
    return edge, values


def check_optima(problem_list):
    """The TypeScript side's optimizers give the quoted optima here too."""
    for p in problem_list:
        if "check" in p:
            value = p["check"]()
            assert abs(value - p["fStar"]) < 1e-9, f"{p['key']}: f(optimizer) = {value}, quoted f* = {p['fStar']}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--problems", default=None)
    args = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    problem_list = problems()
    check_optima(problem_list)
    if args.problems:
        keys = args.problems.split(",")
        problem_list = [p for p in problem_list if p["key"] in keys]
    output = {"problems": {}}
    if os.path.exists(OUTPUT):
        with open(OUTPUT) as fh:
            output = json.load(fh)
    output.update(
        {
            "generator": COMMAND,
            "optuna": optuna.__version__,
            "sampler": "TPESampler(seed=seed) with defaults; constrained problems TPESampler(seed=seed, constraints_func=...)",
            "constraintHandling": "constraints_func (c <= 0 feasible); regret from the best feasible observation",
            "recommendation": "noisy problems: study.best_trial (best noisy observation); noise-free: best feasible observed",
            "machine": {
                "python": platform.python_version(),
                "platform": platform.platform(),
                "date": datetime.now(timezone.utc).isoformat(),
            },
        }
    )
    for problem in problem_list:
        t0 = time.time()
        runs = [run_seed(problem, seed) for seed in range(args.seeds)]
        finals = [r["finalLog10Regret"] for r in runs]
        output["problems"][problem["key"]] = {
            "budget": problem["budget"],
            "seeds": list(range(args.seeds)),
            "meanFinalLog10Regret": sum(finals) / len(finals),
            "runs": runs,
        }
        print(f"{problem['key']}: mean final log10 regret {sum(finals) / len(finals):.2f} ({time.time() - t0:.1f} s)", flush=True)
        with open(OUTPUT, "w") as fh:
            json.dump(output, fh, indent=2)
            fh.write("\n")


if __name__ == "__main__":
    main()
