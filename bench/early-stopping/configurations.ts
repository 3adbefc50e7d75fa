/**
 * The early-stopping configurations compared by `npm run bench -- early-stopping`, each a stopping channel
 * through the Client (null: no early stopping).
 */
import type { StoppingChannel } from "./run-seed.js";

/** One compared configuration. */
export interface Configuration {
  /** Key used on the command line (--strategies a,b). */
  key: string;
  /** What it is, with every option that differs from the defaults. */
  label: string;
  /** A fresh channel per seed (null: no early stopping). */
  channel(): StoppingChannel | null;
}

export const CONFIGURATIONS: readonly Configuration[] = [
  {
    key: "none",
    label: "no early stopping",
    channel: () => null,
  },
];
