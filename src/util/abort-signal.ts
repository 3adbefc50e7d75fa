/**
 * The part of the standard `AbortSignal` that Ascent reads: whether it fired, and a way to hear when it
 * does. Ascent's public types name this instead of the global `AbortSignal`, which exists only in the DOM
 * library or `@types/node`, so that its type declarations compile in a project with neither. Every real
 * `AbortSignal` (from `new AbortController().signal`, `AbortSignal.timeout(ms)`, ...) fits it.
 */
export interface AbortSignalLike {
  /** Whether the signal has fired. */
  readonly aborted: boolean;
  /** Calls `listener` once the signal fires. */
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  /** Undoes {@link AbortSignalLike.addEventListener}. */
  removeEventListener(type: "abort", listener: () => void): void;
}

/**
 * The platform's `AbortSignal` type where the project declares one (Node's types or the DOM library), so a
 * signal Ascent hands to user code can be passed on to `fetch`, `child_process` and the like; the
 * {@link AbortSignalLike} part of it in a project that declares neither.
 */
export type PlatformAbortSignal = typeof globalThis extends { AbortSignal: { prototype: infer S } }
  ? S
  : AbortSignalLike;
