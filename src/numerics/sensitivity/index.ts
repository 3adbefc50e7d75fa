export {
  type BatchFunction,
  type SobolIndices,
  type SobolIndicesOptions,
  saltelliDesign,
  sobolIndices,
} from "./sobol-indices.js";
