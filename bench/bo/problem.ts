/** One benchmark problem of `npm run bench -- bo`. */
export interface BenchProblem {
  /** Key used on the command line (--problems a,b). */
  key: string;
  /** Row label, e.g. "Branin (30)". */
  label: string;
  /** What the regret measures, for the JSON and the README. */
  regretDefinition: string;
  /** Runs one seed with the default BO setup ("bo") or Sobol only ("sobol"), returns its figures. */
  run(seed: number, mode: "bo" | "sobol"): Promise<SeedResult>;
}
export interface SeedResult {
  seed: number;
  /** log10 of the final regret. */
  finalLog10Regret: number;
  halfLog10Regret: number;
  /** Wall time of each BO generation (ms), empty for Sobol. */
  genMs: number[];
  /** Problem-specific figures, e.g. { finalHypervolume }. */
  extra?: Record<string, number>;
}
