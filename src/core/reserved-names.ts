import { ReservedNameError } from "../errors.js";

/**
 * Keys every plain object has through its prototype. Parameter values, metric values and constraint
 * coefficients are kept in records keyed by name, where `record["constructor"]` would be a function
 * and assigning `record["__proto__"]` would replace the prototype, so such names are refused.
 */
const RESERVED = new Set(Object.getOwnPropertyNames(Object.prototype));

/** @throws ReservedNameError when `name` is a key of `Object.prototype`, saying how to rename it. */
export function assertNotReservedName(name: string, kind: "parameter" | "metric"): void {
  if (!RESERVED.has(name)) return;
  throw new ReservedNameError(
    `The ${kind} name "${name}" is reserved: it is a member of every JavaScript object ` +
      `(${[...RESERVED].slice(0, 6).join(", ")}, ...). Rename the ${kind}, e.g. "${name.replace(/^_+|_+$/g, "")}_value".`,
    { reservedName: name, kind },
  );
}
