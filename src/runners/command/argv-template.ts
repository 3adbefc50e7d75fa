import type { Parameterization, ParameterValue } from "../../core/parameter-type.js";
import { CommandTemplateError } from "../../errors.js";

/** One piece of an argv element: literal text, or a `{name}` placeholder. */
type Piece = { readonly literal: string } | { readonly placeholder: string };

/**
 * A parsed command: argv elements made of literal text and `{name}` placeholders. Substitution happens
 * inside an element only, so every element stays exactly one argv element whatever the values hold:
 * no shell ever sees the command, nothing is split on spaces or interpreted.
 */
export interface ArgvTemplate {
  /** The command as given. */
  readonly command: readonly string[];
  /** The parsed pieces of each element. */
  readonly elements: readonly (readonly Piece[])[];
  /** Every placeholder name the command uses. */
  readonly placeholders: ReadonlySet<string>;
}

/**
 * Parses `command`: `{name}` is replaced by the value of parameter `name`, `{{` and `}}` stand for
 * literal `{` and `}`.
 * @throws CommandTemplateError when `command` is not a non-empty array of strings, its program (first
 * element) is empty, or an element has an unclosed `{`, an empty `{}` or a lone `}`.
 * @example parseArgvTemplate(["python3", "train.py", "--lr={lr}", "--json={{}}"])
 */
export function parseArgvTemplate(command: readonly unknown[]): ArgvTemplate {
  if (!Array.isArray(command) || command.length === 0) {
    throw new CommandTemplateError(
      `The command must be a non-empty array of strings (program first, then its arguments), got ${describe(command)}. ` +
        'Example: ["python3", "train.py", "--lr", "{lr}"].',
    );
  }
  const elements = command.map((element, argIndex) => parseElement(element, argIndex));
  if (command[0] === "") {
    throw new CommandTemplateError(
      "The command's program (its first element) is empty; name the program to run.",
      {
        argIndex: 0,
      },
    );
  }
  const placeholders = new Set<string>();
  for (const pieces of elements)
    for (const p of pieces) if ("placeholder" in p) placeholders.add(p.placeholder);
  return { command: [...(command as string[])], elements, placeholders };
}

function parseElement(element: unknown, argIndex: number): Piece[] {
  if (typeof element !== "string") {
    throw new CommandTemplateError(
      `Command element ${argIndex} is ${describe(element)}, not a string; write every argv element as a string.`,
      { argIndex },
    );
  }
  const pieces: Piece[] = [];
  let literal = "";
  let i = 0;
  while (i < element.length) {
    const c = element[i]!;
    const next = element[i + 1];
    if ((c === "{" && next === "{") || (c === "}" && next === "}")) {
      literal += c;
      i += 2;
    } else if (c === "}") {
      throw templateSyntax(element, argIndex, `a lone "}" at position ${i}; write "}}" for a literal "}"`);
    } else if (c === "{") {
      const end = element.indexOf("}", i + 1);
      const name = end < 0 ? "" : element.slice(i + 1, end);
      if (end < 0 || name.includes("{")) {
        throw templateSyntax(
          element,
          argIndex,
          `an unclosed "{" at position ${i}; write "{{" for a literal "{"`,
        );
      }
      if (name === "") throw templateSyntax(element, argIndex, `an empty placeholder "{}" at position ${i}`);
      if (literal) pieces.push({ literal });
      literal = "";
      pieces.push({ placeholder: name });
      i = end + 1;
    } else {
      literal += c;
      i += 1;
    }
  }
  if (literal || pieces.length === 0) pieces.push({ literal });
  return pieces;
}

function templateSyntax(element: string, argIndex: number, what: string): CommandTemplateError {
  return new CommandTemplateError(
    `Command element ${argIndex} (${JSON.stringify(element)}) has ${what}. Placeholders are {parameterName}.`,
    { argIndex },
  );
}

/**
 * The argv of one trial: every placeholder replaced by its parameter's value (see {@link formatArgValue}).
 * @throws CommandTemplateError naming the placeholder and the parameters there are, when a placeholder is
 * not a parameter of the trial, or a value holds a NUL character (which no argv element can carry).
 */
export function renderArgv(template: ArgvTemplate, parameters: Parameterization): string[] {
  return template.elements.map((pieces, argIndex) => {
    let out = "";
    for (const piece of pieces) {
      if ("literal" in piece) {
        out += piece.literal;
        continue;
      }
      const name = piece.placeholder;
      if (!Object.hasOwn(parameters, name)) {
        const known = Object.keys(parameters);
        throw new CommandTemplateError(
          `Command element ${argIndex} (${JSON.stringify(template.command[argIndex])}) uses the placeholder ` +
            `{${name}}, but the trial has no parameter "${name}" (its parameters: ${known.map((k) => `"${k}"`).join(", ") || "none"}). ` +
            'Fix the name, or write "{{" and "}}" for literal braces.',
          { placeholder: name, argIndex },
        );
      }
      out += formatArgValue(parameters[name]!);
    }
    if (out.includes("\0")) {
      throw new CommandTemplateError(
        `Command element ${argIndex} would contain a NUL character, which no argv element can carry; ` +
          "read such a value from ASCENT_PARAMETERS (JSON) instead of a placeholder.",
        { argIndex },
      );
    }
    return out;
  });
}

/**
 * A parameter value as argv text, without loss: integers in plain digits, other numbers in the shortest
 * text that reads back as the same double (`0.1`, `1e-7`, `-0`), booleans as `true`/`false`, strings
 * verbatim.
 */
export function formatArgValue(value: ParameterValue): string {
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : (integerText(value) ?? String(value));
  return String(value);
}

/** Plain digits for integers that `String` would write in exponent form (1e21 and above). */
function integerText(value: number): string | undefined {
  if (!Number.isInteger(value) || Math.abs(value) < 1e21) return undefined;
  return BigInt(value).toString();
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return typeof value === "string" ? JSON.stringify(value) : typeof value;
}
