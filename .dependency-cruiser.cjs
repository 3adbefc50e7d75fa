// Enforces the layer table of docs/architecture.md: each folder under src/ may import only
// from the folders listed for it. A violation is a design error, not a style nit.
const layers = {
  util: [],
  numerics: ["util"],
  core: ["util"],
  adapter: ["core", "numerics", "util"],
  generation: ["core", "adapter", "numerics", "util"],
  scheduler: ["core", "generation", "numerics", "util"],
  storage: ["core", "generation", "util"],
  runners: ["core", "util"],
  service: [
    "core",
    "adapter",
    "numerics",
    "generation",
    "scheduler",
    "storage",
    "runners",
    "reporting",
    "util",
  ],
  // generation: the shared model-fitting path (the models reports show are the ones BO uses).
  reporting: ["core", "adapter", "numerics", "generation", "util"],
};

const forbidden = Object.entries(layers).map(([layer, allowed]) => ({
  name: `layer-${layer}`,
  severity: "error",
  comment: `src/${layer} may import only from: ${allowed.join(", ") || "nothing"} (and errors.ts)`,
  from: { path: `^src/${layer}/` },
  to: {
    path: "^src/",
    pathNot: [`^src/${layer}/`, "^src/errors\\.ts$", ...allowed.map((a) => `^src/${a}/`)],
  },
}));

module.exports = {
  forbidden: [
    ...forbidden,
    {
      name: "no-circular",
      severity: "error",
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
    {
      name: "no-circular-scheduler",
      severity: "error",
      comment: "the scheduler's files import each other in one direction, type-only imports included",
      from: { path: "^src/scheduler/" },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
  },
};
