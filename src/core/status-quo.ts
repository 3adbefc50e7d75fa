import { ExperimentError } from "../errors.js";
import type { Arm } from "./arm.js";
import { hasType } from "./parameter.js";
import type { SearchSpace } from "./search-space.js";

/** The name a status-quo arm gets when it has none, as in Ax. */
export const STATUS_QUO_ARM_NAME = "status_quo";

/** The generator name of the run that holds a batch trial's status-quo arm (Ax stores it the same way). */
export const STATUS_QUO_GENERATOR_NAME = "StatusQuo";

/**
 * Checks that a status-quo arm gives every parameter of the search space a value of its type, and no
 * other parameter. As in Ax, its values may lie outside the searched ranges: the status quo is the
 * current setting (e.g. production), which the search need not include.
 * @throws ExperimentError naming the experiment and the parameter.
 */
export function checkStatusQuo(arm: Arm, space: SearchSpace, experimentName: string): void {
  const fail = (why: string): never => {
    throw new ExperimentError(
      `The status quo of experiment "${experimentName}" ${why}; give a value of each parameter's type for every parameter.`,
    );
  };
  for (const name of Object.keys(arm.parameters)) {
    if (!space.parameters.has(name)) fail(`names parameter "${name}", which the search space does not have`);
  }
  for (const p of space.parameters.values()) {
    const value = arm.parameters[p.name];
    if (value === undefined) fail(`has no value for parameter "${p.name}"`);
    if (!hasType(p.parameterType, value)) {
      fail(
        `gives parameter "${p.name}" the value ${JSON.stringify(value)}, which is not of type ${p.parameterType}`,
      );
    }
  }
}
