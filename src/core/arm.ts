import type { Parameterization, ParameterValue } from "./parameter-type.js";

/**
 * One parameterization to evaluate. Its name is given when it joins a trial, as in Ax: `"<trial>_<k>"`
 * (`"3_0"` is the first arm of trial 3), unless the user named it.
 */
export class Arm {
  readonly parameters: Parameterization;
  private armName: string | null;

  constructor(options: { parameters: Readonly<Record<string, ParameterValue>>; name?: string | null }) {
    this.parameters = Object.freeze({ ...options.parameters });
    this.armName = options.name ?? null;
  }

  /** The arm's name, or null before it joins a trial. */
  get name(): string | null {
    return this.armName;
  }

  /** Whether the arm has a name. */
  get hasName(): boolean {
    return this.armName !== null;
  }

  /** @internal Names the arm once, when a trial adopts it. */
  setNameOnce(name: string): void {
    if (this.armName === null) this.armName = name;
  }

  /**
   * A stable key of the parameter values, independent of key order: arms with equal signatures are
   * the same point.
   */
  get signature(): string {
    return armSignature(this.parameters);
  }

  /** A copy with another name (or none). */
  clone(name: string | null = null): Arm {
    return new Arm({ parameters: this.parameters, name });
  }

  toJSON(): { name: string | null; parameters: Parameterization } {
    return { name: this.armName, parameters: this.parameters };
  }
}

/** An arm that belongs to a trial, and so has a name. */
export type NamedArm = Arm & { readonly name: string };

/** Order-independent key of a parameterization. */
export function armSignature(parameters: Parameterization): string {
  const keys = Object.keys(parameters).sort();
  let s = "";
  for (const k of keys) s += `${k}=${JSON.stringify(parameters[k])};`;
  return s;
}
