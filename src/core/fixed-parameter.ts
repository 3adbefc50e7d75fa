import { SearchSpaceError } from "../errors.js";
import { hasType, Parameter, ParameterKind } from "./parameter.js";
import { inferParameterType, type ParameterType, type ParameterValue } from "./parameter-type.js";

/** Constructor options of {@link FixedParameter}. */
export interface FixedParameterOptions {
  name: string;
  parameterType?: ParameterType;
  value: ParameterValue;
}

/** A parameter held at one value: part of every arm, never searched. */
export class FixedParameter extends Parameter {
  readonly kind = ParameterKind.FIXED;
  readonly value: ParameterValue;

  constructor(options: FixedParameterOptions) {
    super(options.name, options.parameterType ?? inferParameterType(options.value));
    if (!hasType(this.parameterType, options.value)) {
      throw new SearchSpaceError(
        `Fixed parameter "${options.name}" is ${this.parameterType} but its value ${JSON.stringify(options.value)} is not.`,
        { parameter: options.name },
      );
    }
    this.value = options.value;
  }

  get isDiscrete(): boolean {
    return true;
  }

  validate(value: unknown): value is ParameterValue {
    return value === this.value;
  }

  describeDomain(): string {
    return `fixed at ${JSON.stringify(this.value)}`;
  }
}
