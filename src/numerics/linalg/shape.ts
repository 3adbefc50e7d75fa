/** Shape checks shared by the linear-algebra routines; O(1), so they are cheap enough for hot loops. */
import { NumericalError } from "../../errors.js";

/**
 * Throws unless `rows` and `cols` are non-negative integers and `array` holds exactly `rows × cols`
 * numbers (pass a `subarray` view to reuse a larger workspace).
 *
 * @throws NumericalError naming the routine, the argument and both sizes.
 */
export function assertShape(
  routine: string,
  name: string,
  array: ArrayLike<number>,
  rows: number,
  cols: number,
): void {
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new NumericalError(
      `${routine}: dimensions of ${name} must be non-negative integers, got ${rows}×${cols}`,
    );
  }
  if (array.length !== rows * cols) {
    throw new NumericalError(
      `${routine}: ${name} must hold ${rows}×${cols} = ${rows * cols} numbers (row-major), got ${array.length}`,
    );
  }
}
