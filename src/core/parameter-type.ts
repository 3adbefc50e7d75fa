/** Value type of a parameter, as in Ax's `ParameterType`. */
export const ParameterType = {
  FLOAT: "FLOAT",
  INT: "INT",
  STRING: "STRING",
  BOOL: "BOOL",
} as const;
export type ParameterType = (typeof ParameterType)[keyof typeof ParameterType];

/** A single parameter value. */
export type ParameterValue = string | number | boolean;

/** An assignment of values to parameter names (Ax's `TParameterization`). */
export type Parameterization = Readonly<Record<string, ParameterValue>>;

/** The parameter type that a JavaScript value naturally has. */
export function inferParameterType(value: ParameterValue): ParameterType {
  if (typeof value === "boolean") return ParameterType.BOOL;
  if (typeof value === "string") return ParameterType.STRING;
  return Number.isInteger(value) ? ParameterType.INT : ParameterType.FLOAT;
}

/** Whether values of this type are numbers. */
export function isNumericType(type: ParameterType): boolean {
  return type === ParameterType.FLOAT || type === ParameterType.INT;
}
