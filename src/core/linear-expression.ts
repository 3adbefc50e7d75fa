import { ParameterConstraintError } from "../errors.js";
import { assertNotReservedName } from "./reserved-names.js";

/** One lexical unit of a linear expression such as `x1 + 2.5*x2 - 1e-3 x3`. */
type LinearToken =
  | { kind: "name"; text: string; at: number }
  | { kind: "number"; text: string; value: number; at: number }
  | { kind: "+" | "-" | "*"; text: string; at: number };

const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const NAME = /[A-Za-z_][A-Za-z0-9_.]*/y;

/**
 * Splits linear-expression text into names, numbers and the operators `+`, `-` and `*`; whitespace only
 * separates tokens.
 * @throws ParameterConstraintError at the first character that starts no token, naming its position.
 */
function tokenizeLinear(text: string, whole = text): LinearToken[] {
  const out: LinearToken[] = [];
  let at = 0;
  while (at < text.length) {
    const c = text[at]!;
    if (/\s/.test(c)) {
      at++;
    } else if (c === "+" || c === "-" || c === "*") {
      out.push({ kind: c, text: c, at });
      at++;
    } else if (match(NUMBER, text, at)) {
      const t = match(NUMBER, text, at)!;
      out.push({ kind: "number", text: t, value: Number(t), at });
      at += t.length;
    } else if (match(NAME, text, at)) {
      const t = match(NAME, text, at)!;
      out.push({ kind: "name", text: t, at });
      at += t.length;
    } else {
      throw new ParameterConstraintError(
        `Cannot parse ${JSON.stringify(whole)}: unexpected ${JSON.stringify(c)} at "${text.slice(at)}"; ` +
          'write a sum of terms such as "x1 + 2*x2 - 0.5*x3".',
      );
    }
  }
  return out;
}

function match(pattern: RegExp, text: string, at: number): string | null {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0] ?? null;
}

/**
 * Parses a sum of terms, each `[sign] [number [*]] name`, as the coefficient of each name: exactly the
 * grammar `expr := term (("+" | "-") term)*`, `term := ["+" | "-"] [number ["*"]] name`. Anything else
 * (two operators in a row such as `+*`, a missing operator between terms, a trailing operator, a bare
 * number) is refused rather than guessed at. A name given twice adds up.
 * @throws ParameterConstraintError naming the offending token and the whole text; ReservedNameError for
 * a name such as `constructor`.
 */
export function parseLinearExpression(text: string, whole = text): Map<string, number> {
  const tokens = tokenizeLinear(text, whole);
  const out = new Map<string, number>();
  const fail = (why: string): never => {
    throw new ParameterConstraintError(
      `Cannot parse ${JSON.stringify(whole)}: ${why}; write a sum of terms such as "x1 + 2*x2 - 0.5*x3".`,
    );
  };
  const describe = (k: number) => (tokens[k] ? `"${tokens[k]!.text}"` : "the end");
  let k = 0;
  if (tokens.length === 0) fail("the expression is empty");
  while (k < tokens.length) {
    let sign = 1;
    const op = tokens[k]!;
    if (op.kind === "+" || op.kind === "-") {
      sign = op.kind === "-" ? -1 : 1;
      k++;
      // A second sign is allowed once ("x - -y"), as a term's own sign.
      const unary = tokens[k];
      if (unary && (unary.kind === "+" || unary.kind === "-")) {
        sign *= unary.kind === "-" ? -1 : 1;
        k++;
      }
    } else if (k > 0) {
      fail(`expected "+" or "-" before ${describe(k)}`);
    }
    let coefficient = 1;
    const head = tokens[k];
    if (head?.kind === "number") {
      coefficient = head.value;
      k++;
      if (tokens[k]?.kind === "*") k++;
    }
    const name = tokens[k];
    if (name?.kind !== "name") fail(`expected a parameter name, got ${describe(k)}`);
    const key = (name as { text: string }).text;
    assertNotReservedName(key, "parameter");
    out.set(key, (out.get(key) ?? 0) + sign * coefficient);
    k++;
  }
  return out;
}
