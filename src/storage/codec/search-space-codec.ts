import { ChoiceParameter } from "../../core/choice-parameter.js";
import { FixedParameter } from "../../core/fixed-parameter.js";
import type { Parameter } from "../../core/parameter.js";
import { OrderConstraint, ParameterConstraint, SumConstraint } from "../../core/parameter-constraint.js";
import { ParameterType } from "../../core/parameter-type.js";
import { RangeParameter } from "../../core/range-parameter.js";
import { SearchSpace } from "../../core/search-space.js";
import { StorageError } from "../../errors.js";
import type {
  EncodedParameter,
  EncodedParameterConstraint,
  EncodedSearchSpace,
} from "./encoded-experiment.js";
import {
  asObject,
  asParameterValue,
  malformed,
  type Obj,
  readArray,
  readBoolean,
  readEnum,
  readIndexOrNull,
  readNonEmptyString,
  readNumber,
  readObject,
  rebuilding,
} from "./json-shape.js";

const PARAMETER_TYPES = Object.values(ParameterType);

/** @internal Encodes a search space, keeping each parameter's kind and each constraint's kind. */
export function encodeSearchSpace(space: SearchSpace): EncodedSearchSpace {
  return {
    parameters: [...space.parameters.values()].map(encodeParameter),
    parameterConstraints: space.parameterConstraints.map(encodeConstraint),
  };
}

/** @internal Checks the shape of an encoded search space. */
export function readSearchSpace(value: unknown, path: string): EncodedSearchSpace {
  const o = asObject(value, path);
  return {
    parameters: readArray(o, "parameters", path).map((p, i) => readParameter(p, `${path}.parameters[${i}]`)),
    parameterConstraints: readArray(o, "parameterConstraints", path).map((c, i) =>
      readConstraint(c, `${path}.parameterConstraints[${i}]`),
    ),
  };
}

/** @internal Builds a search space; a definition the core refuses becomes a StorageError at its path. */
export function buildSearchSpace(encoded: EncodedSearchSpace, path: string): SearchSpace {
  const parameters = encoded.parameters.map((p, i) =>
    rebuilding(`${path}.parameters[${i}]`, `parameter "${p.name}"`, () => buildParameter(p)),
  );
  const parameterConstraints = encoded.parameterConstraints.map((c, i) =>
    rebuilding(`${path}.parameterConstraints[${i}]`, "parameter constraint", () => buildConstraint(c)),
  );
  return rebuilding(path, "search space", () => new SearchSpace({ parameters, parameterConstraints }));
}

function encodeParameter(p: Parameter): EncodedParameter {
  const { name, parameterType } = p;
  if (p instanceof RangeParameter) {
    const { lower, upper, logScale, digits } = p;
    return { kind: "range", name, parameterType, lower, upper, logScale, digits };
  }
  if (p instanceof ChoiceParameter) {
    return { kind: "choice", name, parameterType, values: [...p.values], isOrdered: p.isOrdered };
  }
  if (p instanceof FixedParameter) return { kind: "fixed", name, parameterType, value: p.value };
  throw new StorageError(
    `Cannot store parameter "${name}": its class ${p.constructor.name} is not a RangeParameter, ChoiceParameter or FixedParameter.`,
  );
}

function encodeConstraint(c: ParameterConstraint): EncodedParameterConstraint {
  if (c instanceof OrderConstraint) {
    return { kind: "order", lowerParameter: c.lowerParameter, upperParameter: c.upperParameter };
  }
  if (c instanceof SumConstraint) {
    // SumConstraint keeps `bound` signed (a >= bound is stored as -sum <= -bound); store the user's bound.
    const bound = c.isUpperBound ? c.bound : -c.bound;
    return { kind: "sum", parameters: [...c.parameters], isUpperBound: c.isUpperBound, bound: bound + 0 };
  }
  return { kind: "linear", constraintDict: { ...c.constraintDict }, bound: c.bound };
}

function buildParameter(p: EncodedParameter): Parameter {
  switch (p.kind) {
    case "range":
      return new RangeParameter(p);
    case "choice":
      // Values are stored in their final order: sorting again could only reorder them.
      return new ChoiceParameter({ ...p, sortValues: false });
    case "fixed":
      return new FixedParameter(p);
  }
}

function buildConstraint(c: EncodedParameterConstraint): ParameterConstraint {
  switch (c.kind) {
    case "order":
      return new OrderConstraint(c);
    case "sum":
      return new SumConstraint(c);
    case "linear":
      return new ParameterConstraint(c);
  }
}

function readParameter(value: unknown, path: string): EncodedParameter {
  const o = asObject(value, path);
  const kind = readEnum(o, "kind", path, ["range", "choice", "fixed"] as const);
  const name = readNonEmptyString(o, "name", path);
  const parameterType = readEnum(o, "parameterType", path, PARAMETER_TYPES);
  switch (kind) {
    case "range":
      return {
        kind,
        name,
        parameterType,
        lower: readNumber(o, "lower", path),
        upper: readNumber(o, "upper", path),
        logScale: readBoolean(o, "logScale", path),
        digits: readIndexOrNull(o, "digits", path),
      };
    case "choice":
      return {
        kind,
        name,
        parameterType,
        values: readArray(o, "values", path).map((v, i) => asParameterValue(v, `${path}.values[${i}]`)),
        isOrdered: readBoolean(o, "isOrdered", path),
      };
    case "fixed":
      return { kind, name, parameterType, value: asParameterValue(o.value, `${path}.value`) };
  }
}

function readConstraint(value: unknown, path: string): EncodedParameterConstraint {
  const o = asObject(value, path);
  const kind = readEnum(o, "kind", path, ["linear", "order", "sum"] as const);
  switch (kind) {
    case "order":
      return {
        kind,
        lowerParameter: readNonEmptyString(o, "lowerParameter", path),
        upperParameter: readNonEmptyString(o, "upperParameter", path),
      };
    case "sum":
      return {
        kind,
        parameters: readArray(o, "parameters", path).map((p, i) => {
          if (typeof p !== "string" || p === "") malformed(`${path}.parameters[${i}]`, "a parameter name", p);
          return p;
        }),
        isUpperBound: readBoolean(o, "isUpperBound", path),
        bound: readNumber(o, "bound", path),
      };
    case "linear":
      return {
        kind,
        constraintDict: readWeights(readObject(o, "constraintDict", path), `${path}.constraintDict`),
        bound: readNumber(o, "bound", path),
      };
  }
}

function readWeights(o: Obj, path: string): { [parameter: string]: number } {
  const out: { [parameter: string]: number } = {};
  for (const key of Object.keys(o)) out[key] = readNumber(o, key, path);
  return out;
}
