import { ParameterConstraintError, ParameterValueError, SearchSpaceError } from "../errors.js";
import type { Arm } from "./arm.js";
import { ChoiceParameter } from "./choice-parameter.js";
import { FixedParameter } from "./fixed-parameter.js";
import type { Parameter } from "./parameter.js";
import type { ParameterConstraint } from "./parameter-constraint.js";
import { type Parameterization, ParameterType, type ParameterValue } from "./parameter-type.js";
import { RangeParameter } from "./range-parameter.js";

/** Constructor options of {@link SearchSpace}. */
export interface SearchSpaceOptions {
  parameters: readonly Parameter[];
  parameterConstraints?: readonly ParameterConstraint[];
}

/**
 * The set of parameterizations an experiment may try: parameters and linear constraints between range
 * parameters. Validates arms (types, domains, constraints) and casts loosely typed values.
 * @throws SearchSpaceError for no parameters or duplicate names; ParameterConstraintError for a
 * constraint that names an unknown or non-numeric parameter.
 */
export class SearchSpace {
  readonly parameters: ReadonlyMap<string, Parameter>;
  readonly parameterConstraints: readonly ParameterConstraint[];

  constructor(options: SearchSpaceOptions) {
    const params = options.parameters ?? [];
    if (params.length === 0) throw new SearchSpaceError("A search space needs at least one parameter.");
    const map = new Map<string, Parameter>();
    for (const p of params) {
      if (map.has(p.name)) {
        throw new SearchSpaceError(
          `Duplicate parameter name "${p.name}" in search space; names must be unique.`,
          {
            parameter: p.name,
          },
        );
      }
      map.set(p.name, p);
    }
    this.parameters = map;
    this.parameterConstraints = [...(options.parameterConstraints ?? [])];
    for (const c of this.parameterConstraints) this.validateConstraint(c);
  }

  /** Parameter names in definition order. */
  get parameterNames(): string[] {
    return [...this.parameters.keys()];
  }

  /** Range parameters, in definition order. */
  get rangeParameters(): RangeParameter[] {
    return [...this.parameters.values()].filter((p): p is RangeParameter => p instanceof RangeParameter);
  }

  /** The parameter named `name`. @throws SearchSpaceError when there is none. */
  getParameter(name: string): Parameter {
    const p = this.parameters.get(name);
    if (!p) {
      throw new SearchSpaceError(
        `Unknown parameter "${name}"; the search space has: ${this.parameterNames.join(", ")}.`,
        {
          parameter: name,
        },
      );
    }
    return p;
  }

  /**
   * Number of distinct parameterizations when every parameter is discrete (before constraints),
   * Infinity otherwise.
   */
  get cardinality(): number {
    let n = 1;
    for (const p of this.parameters.values()) {
      if (p instanceof RangeParameter) n *= p.cardinality;
      else if (p instanceof ChoiceParameter) n *= p.cardinality;
    }
    return n;
  }

  /** Whether every constraint holds for `parameters`. */
  satisfiesConstraints(parameters: Parameterization): boolean {
    for (const c of this.parameterConstraints) if (!c.check(parameters)) return false;
    return true;
  }

  /**
   * Why `parameters` is not in the search space, or null when it is: a missing or unknown parameter,
   * a value of the wrong type or outside its domain, or a violated constraint.
   */
  explainMembership(parameters: Parameterization): string | null {
    for (const p of this.parameters.values()) {
      if (!Object.hasOwn(parameters, p.name)) return `parameter "${p.name}" is missing`;
      const v = parameters[p.name];
      if (!p.validate(v)) return `parameter "${p.name}" = ${JSON.stringify(v)} is not ${p.describeDomain()}`;
    }
    for (const name of Object.keys(parameters)) {
      if (!this.parameters.has(name)) return `parameter "${name}" is not in the search space`;
    }
    for (const c of this.parameterConstraints) {
      if (!c.check(parameters)) return `constraint ${c.toString()} is violated`;
    }
    return null;
  }

  /** Whether `parameters` belongs to the search space. */
  checkMembership(parameters: Parameterization): boolean {
    return this.explainMembership(parameters) === null;
  }

  /**
   * Throws when `parameters` is not in the search space.
   * @throws SearchSpaceError naming the parameter or constraint at fault.
   */
  validateParameterization(parameters: Parameterization, where = "parameterization"): void {
    const why = this.explainMembership(parameters);
    if (why !== null) {
      const m = /parameter "([^"]+)"/.exec(why);
      throw new SearchSpaceError(`Invalid ${where}: ${why}.`, m?.[1] ? { parameter: m[1] } : {});
    }
  }

  /** Throws when the arm is not in the search space. */
  validateArm(arm: Arm): void {
    this.validateParameterization(arm.parameters, `arm "${arm.name ?? "(unnamed)"}"`);
  }

  /**
   * Casts loosely typed values (e.g. strings from a CLI, `3.0` or `"3"` for INT parameters) to each
   * parameter's type and fills fixed parameters, then validates. A value the type cannot hold exactly
   * (2.5 for an INT) is refused, not rounded: the trial would otherwise run at other parameters than the
   * caller's.
   * @throws ParameterValueError for a non-integer value of an INT parameter; SearchSpaceError when a
   * value cannot be cast or is out of the domain.
   */
  castParameterization(parameters: Readonly<Record<string, unknown>>): Record<string, ParameterValue> {
    const out = this.castValues(parameters);
    this.validateParameterization(out);
    return out;
  }

  /**
   * The casting half of {@link castParameterization}, without the domain check (for values that may lie
   * outside the searched ranges, such as the status quo).
   * @throws ParameterValueError for a non-integer value of an INT parameter; SearchSpaceError for an
   * unknown parameter, a missing value or a value that cannot be cast.
   */
  castValues(parameters: Readonly<Record<string, unknown>>): Record<string, ParameterValue> {
    const out: Record<string, ParameterValue> = {};
    for (const name of Object.keys(parameters)) {
      if (!this.parameters.has(name)) {
        throw new SearchSpaceError(
          `Unknown parameter "${name}"; the search space has: ${this.parameterNames.join(", ")}.`,
          { parameter: name },
        );
      }
    }
    for (const p of this.parameters.values()) {
      const raw = Object.hasOwn(parameters, p.name) ? parameters[p.name] : undefined;
      if (raw === undefined && p instanceof FixedParameter) out[p.name] = p.value;
      else if (raw === undefined) {
        throw new SearchSpaceError(`Parameter "${p.name}" is missing a value.`, { parameter: p.name });
      } else out[p.name] = castExactly(p, raw);
    }
    return out;
  }

  private validateConstraint(c: ParameterConstraint): void {
    for (const name of c.parameterNames) {
      const p = this.parameters.get(name);
      if (!p) {
        throw new ParameterConstraintError(
          `Parameter constraint ${c.toString()} names unknown parameter "${name}".`,
          { parameter: name },
        );
      }
      if (!(p instanceof RangeParameter)) {
        throw new ParameterConstraintError(
          `Parameter constraint ${c.toString()} names "${name}", which is not a range parameter; constraints apply to range parameters only.`,
          { parameter: name },
        );
      }
    }
    // A constraint that no point of the box can satisfy is infeasible on its own.
    let minLhs = 0;
    for (const [name, w] of Object.entries(c.constraintDict)) {
      const p = this.parameters.get(name) as RangeParameter;
      minLhs += Math.min(w * p.lower, w * p.upper);
    }
    if (minLhs > c.bound + 1e-9 * Math.max(1, Math.abs(c.bound))) {
      throw new ParameterConstraintError(
        `Parameter constraint ${c.toString()} cannot be satisfied within the parameter bounds (smallest possible left-hand side is ${minLhs}). Loosen the bound or widen the ranges.`,
      );
    }
  }
}

/** Casts a user-given value, refusing one an INT parameter would have to round. */
function castExactly(p: Parameter, raw: unknown): ParameterValue {
  if (p.parameterType === ParameterType.INT) {
    const n = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
    if (typeof n === "number" && Number.isFinite(n) && !Number.isInteger(n)) {
      throw new ParameterValueError(
        `Parameter "${p.name}" is an integer parameter, got ${JSON.stringify(raw)}; give an integer value ` +
          `(e.g. ${Math.round(n)}).`,
        { parameter: p.name, value: raw },
      );
    }
  }
  return p.cast(raw);
}
