import { type Document, isNode, LineCounter, parseDocument } from "yaml";
import type { ConfigProblem } from "../../errors.js";
import { parseConfigPath } from "./config-path.js";

/** A config file's text, parsed: its data, and where each value sits in the text (for messages). */
export interface ParsedConfigText {
  /** The data; undefined when the text has syntax errors. */
  readonly data: unknown;
  /** Syntax errors, each with its line and column. */
  readonly problems: ConfigProblem[];
  /** Adds the line and column of its value (or of the nearest enclosing one) to a problem. */
  locate(problem: ConfigProblem): ConfigProblem;
}

/**
 * Parses a config file's text: YAML 1.2 (duplicate keys are syntax errors), or strict JSON for
 * `format: "json"` (a trailing comma is an error, as JSON tools will say).
 * @example parseConfigText("name: x\nseed: 0\n", "yaml").data // { name: "x", seed: 0 }
 */
export function parseConfigText(text: string, format: "yaml" | "json"): ParsedConfigText {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const problems: ConfigProblem[] =
    format === "json"
      ? jsonProblems(text, lineCounter)
      : doc.errors.map((error) => {
          const pos = error.linePos?.[0];
          const message = `YAML syntax error: ${error.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "")}`;
          return pos ? { path: "", message, line: pos.line, column: pos.col } : { path: "", message };
        });
  const data = problems.length > 0 ? undefined : format === "json" ? JSON.parse(text) : doc.toJS();
  return { data, problems, locate: (problem) => locate(doc, lineCounter, problem) };
}

function jsonProblems(text: string, lineCounter: LineCounter): ConfigProblem[] {
  try {
    JSON.parse(text);
    return [];
  } catch (error) {
    const reason = (error as Error).message.replace(/ in JSON at position \d+.*$/s, "");
    const offset = /position (\d+)/.exec((error as Error).message)?.[1];
    const message = `JSON syntax error: ${reason}`;
    if (offset === undefined) return [{ path: "", message }];
    const { line, col } = lineCounter.linePos(Number(offset));
    return [{ path: "", message, line, column: col }];
  }
}

function locate(doc: Document, lineCounter: LineCounter, problem: ConfigProblem): ConfigProblem {
  if (problem.line !== undefined) return problem;
  const path = parseConfigPath(problem.path);
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) {
      const { line, col } = lineCounter.linePos(node.range[0]);
      return { ...problem, line, column: col };
    }
  }
  return problem;
}
