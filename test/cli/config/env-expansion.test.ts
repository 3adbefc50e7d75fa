// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the config syntax under test.
import { describe, expect, it } from "vitest";
import { expandEnv } from "../../../src/cli/config/env-expansion.js";
import type { ConfigProblem } from "../../../src/errors.js";

describe("expandEnv", () => {
  it("expands variables in strings of storage and runner, at any depth", () => {
    const problems: ConfigProblem[] = [];
    const data = {
      storage: "postgres://u:${PW}@db/x",
      runner: { type: "command", command: ["run", "--token=${TOKEN}"], env: { A: "${TOKEN}-${PW}" } },
    };
    expect(expandEnv(data, { PW: "p", TOKEN: "t" }, problems)).toEqual({
      storage: "postgres://u:p@db/x",
      runner: { type: "command", command: ["run", "--token=t"], env: { A: "t-p" } },
    });
    expect(problems).toEqual([]);
  });

  it("leaves other sections, numbers and the input object alone", () => {
    const data = { name: "${PW}", runner: { timeoutSeconds: 5 } };
    const out = expandEnv(data, { PW: "p" }, []);
    expect(out).toEqual({ name: "${PW}", runner: { timeoutSeconds: 5 } });
    expect(data.name).toBe("${PW}");
  });

  it("reads $${VAR} as a literal ${VAR}", () => {
    expect(expandEnv({ storage: "sqlite:$${HOME}.db" }, { HOME: "/h" }, [])).toEqual({
      storage: "sqlite:${HOME}.db",
    });
  });

  it("names each missing variable at its path and keeps the text as written", () => {
    const problems: ConfigProblem[] = [];
    const out = expandEnv({ runner: { env: { A: "${X}${Y}" } } }, {}, problems);
    expect(out).toEqual({ runner: { env: { A: "${X}${Y}" } } });
    expect(problems).toEqual([
      {
        path: "runner.env.A",
        message:
          "environment variables X, Y are not set; set them (export X=...) or write the value in the file",
      },
    ]);
  });
});
