export { centeredL2Discrepancy } from "./discrepancy.js";
export {
  SOBOL_MAX_DIMENSION,
  SOBOL_MAX_POINTS,
  SobolEngine,
  type SobolEngineOptions,
  type SobolEngineState,
} from "./sobol-engine.js";
