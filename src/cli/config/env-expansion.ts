import type { ConfigProblem } from "../../errors.js";
import { type ConfigPath, formatConfigPath } from "./config-path.js";

/** Top-level sections where `${VAR}` is expanded: the ones that hold secrets (URLs, tokens). */
export const EXPANDED_SECTIONS: readonly string[] = ["storage", "runner"];

const REFERENCE = /\$\$\{|\$\{([^}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Replaces `${VAR}` with the variable's value in every string of the `storage` and `runner` sections
 * (keys stay as written); `$${VAR}` stands for a literal `${VAR}`. Other sections are left alone, so a
 * value such as a metric name never changes with the environment.
 * @returns a copy of `data` with the references replaced; every variable that is not set, or malformed
 * reference, is recorded as a problem at the string's path and the string is left as written.
 * @example expandEnv({ storage: "postgres://app:${PGPASSWORD}@db/exp" }, { PGPASSWORD: "s3cret" }, problems)
 */
export function expandEnv(
  data: unknown,
  env: Readonly<Record<string, string | undefined>>,
  problems: ConfigProblem[],
): unknown {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return data;
  const out: Record<string, unknown> = { ...(data as Record<string, unknown>) };
  for (const section of EXPANDED_SECTIONS) {
    if (section in out) out[section] = expandValue(out[section], [section], env, problems);
  }
  return out;
}

function expandValue(
  value: unknown,
  path: ConfigPath,
  env: Readonly<Record<string, string | undefined>>,
  problems: ConfigProblem[],
): unknown {
  if (typeof value === "string") return expandString(value, path, env, problems);
  if (Array.isArray(value)) return value.map((v, i) => expandValue(v, [...path, i], env, problems));
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, expandValue(v, [...path, k], env, problems)]),
  );
}

function expandString(
  text: string,
  path: ConfigPath,
  env: Readonly<Record<string, string | undefined>>,
  problems: ConfigProblem[],
): string {
  const missing: string[] = [];
  const expanded = text.replace(REFERENCE, (match, name: string | undefined) => {
    if (name === undefined) return "${";
    if (!NAME.test(name)) {
      problems.push({
        path: formatConfigPath(path),
        message: `"${match}" is not a variable reference; write \${NAME} with letters, digits and _ (or $\${...} for a literal)`,
      });
      return match;
    }
    const value = env[name];
    if (value === undefined) missing.push(name);
    return value ?? match;
  });
  if (missing.length > 0) {
    const names = [...new Set(missing)];
    const which = names.length === 1 ? `variable ${names[0]} is` : `variables ${names.join(", ")} are`;
    problems.push({
      path: formatConfigPath(path),
      message: `environment ${which} not set; set ${names.length === 1 ? "it" : "them"} (export ${names[0]}=...) or write the value in the file`,
    });
  }
  return missing.length > 0 ? text : expanded;
}
