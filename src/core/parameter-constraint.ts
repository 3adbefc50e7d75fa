import { ParameterConstraintError } from "../errors.js";
import { parseLinearExpression } from "./linear-expression.js";
import type { Parameterization } from "./parameter-type.js";

/** Constructor options of {@link ParameterConstraint}. */
export interface ParameterConstraintOptions {
  /** Weight of each parameter: the constraint is `sum(weight * value) <= bound`. */
  constraintDict: Readonly<Record<string, number>>;
  bound: number;
}

/**
 * A linear inequality over range parameters, `sum_i w_i * x_i <= bound`, in the parameters' own
 * (not log-transformed) units, as in Ax.
 */
export class ParameterConstraint {
  readonly constraintDict: Readonly<Record<string, number>>;
  readonly bound: number;

  constructor(options: ParameterConstraintOptions) {
    const entries = Object.entries(options.constraintDict ?? {});
    if (entries.length === 0) {
      throw new ParameterConstraintError("A parameter constraint needs at least one parameter weight.");
    }
    for (const [name, w] of entries) {
      if (!Number.isFinite(w)) {
        throw new ParameterConstraintError(
          `Parameter constraint weight for "${name}" must be finite, got ${w}.`,
          {
            parameter: name,
          },
        );
      }
    }
    if (!Number.isFinite(options.bound)) {
      throw new ParameterConstraintError(`Parameter constraint bound must be finite, got ${options.bound}.`);
    }
    this.constraintDict = Object.freeze({ ...options.constraintDict });
    this.bound = options.bound;
  }

  /** Names of the constrained parameters. */
  get parameterNames(): string[] {
    return Object.keys(this.constraintDict);
  }

  /** `sum(w * x)` for a parameterization (missing parameters count as 0). */
  evaluate(parameters: Parameterization): number {
    let s = 0;
    for (const [name, w] of Object.entries(this.constraintDict)) s += w * Number(parameters[name] ?? 0);
    return s;
  }

  /** Whether `parameters` satisfies the constraint, with a small relative tolerance. */
  check(parameters: Parameterization): boolean {
    return this.evaluate(parameters) <= this.bound + 1e-9 * Math.max(1, Math.abs(this.bound));
  }

  toString(): string {
    const lhs = Object.entries(this.constraintDict)
      .map(([n, w]) => (w === 1 ? n : `${w}*${n}`))
      .join(" + ");
    return `${lhs} <= ${this.bound}`;
  }
}

/** `lowerParameter <= upperParameter`. */
export class OrderConstraint extends ParameterConstraint {
  readonly lowerParameter: string;
  readonly upperParameter: string;

  constructor(options: { lowerParameter: string; upperParameter: string }) {
    if (options.lowerParameter === options.upperParameter) {
      throw new ParameterConstraintError(
        `Order constraint compares "${options.lowerParameter}" with itself; name two different parameters.`,
        { parameter: options.lowerParameter },
      );
    }
    super({ constraintDict: { [options.lowerParameter]: 1, [options.upperParameter]: -1 }, bound: 0 });
    this.lowerParameter = options.lowerParameter;
    this.upperParameter = options.upperParameter;
  }

  override toString(): string {
    return `${this.lowerParameter} <= ${this.upperParameter}`;
  }
}

/** `sum(parameters) <= bound` (or `>= bound` when `isUpperBound` is false). */
export class SumConstraint extends ParameterConstraint {
  readonly parameters: readonly string[];
  readonly isUpperBound: boolean;

  constructor(options: { parameters: readonly string[]; isUpperBound: boolean; bound: number }) {
    const sign = options.isUpperBound ? 1 : -1;
    const dict: Record<string, number> = {};
    for (const p of options.parameters) dict[p] = sign;
    super({ constraintDict: dict, bound: sign * options.bound });
    this.parameters = [...options.parameters];
    this.isUpperBound = options.isUpperBound;
  }

  override toString(): string {
    return `${this.parameters.join(" + ")} ${this.isUpperBound ? "<=" : ">="} ${this.isUpperBound ? this.bound : -this.bound}`;
  }
}

/**
 * Parses a constraint written as text, as the Client accepts it: `"x1 + 2*x2 <= 10"`, `"x1 - x2 >= -1"`,
 * `"x1 <= x2"` (an order constraint).
 * @throws ParameterConstraintError when the text is not a linear inequality.
 */
export function parseParameterConstraint(text: string): ParameterConstraint {
  const m = /^(.*?)(<=|>=)(.*)$/.exec(text.trim());
  if (!m) {
    throw new ParameterConstraintError(
      `Cannot parse parameter constraint "${text}": expected "<lhs> <= <number>" or "<x> <= <y>".`,
    );
  }
  const [, lhsText = "", op, rhsText = ""] = m;
  const rhs = rhsText.trim();
  const lhs = parseLinear(lhsText, text);
  if (/^[A-Za-z_]/.test(rhs)) {
    const right = parseLinear(rhs, text);
    const lhsNames = Object.keys(lhs);
    const rhsNames = Object.keys(right);
    if (
      lhsNames.length === 1 &&
      rhsNames.length === 1 &&
      lhs[lhsNames[0]!] === 1 &&
      right[rhsNames[0]!] === 1
    ) {
      const [a, b] = op === "<=" ? [lhsNames[0]!, rhsNames[0]!] : [rhsNames[0]!, lhsNames[0]!];
      return new OrderConstraint({ lowerParameter: a, upperParameter: b });
    }
    throw new ParameterConstraintError(
      `Cannot parse parameter constraint "${text}": only "x <= y" may have a parameter on the right-hand side.`,
    );
  }
  const bound = Number(rhs);
  if (rhs === "" || !Number.isFinite(bound)) {
    throw new ParameterConstraintError(
      `Cannot parse parameter constraint "${text}": bound "${rhs}" is not a number.`,
    );
  }
  if (op === ">=") {
    for (const k of Object.keys(lhs)) lhs[k] = -lhs[k]!;
    return new ParameterConstraint({ constraintDict: lhs, bound: -bound });
  }
  return new ParameterConstraint({ constraintDict: lhs, bound });
}

function parseLinear(expr: string, whole: string): Record<string, number> {
  // Built from a Map: a plain object literal would give "__proto__" its special meaning.
  return Object.fromEntries(parseLinearExpression(expr, whole));
}
