export { SimdWorkspace } from "./simd-workspace.js";
