import { afterAll, describe, it } from "vitest";
import { adminQuery, POSTGRES_URL, randomSchema } from "../integration/postgres-fixture.js";
import { interruptThenResume } from "./signals-fixture.js";

const schemas: string[] = [];

afterAll(async () => {
  for (const schema of schemas) await adminQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
});

describe("Ctrl-C and resume on PostgreSQL", () => {
  it("SIGINT stops launching, saves, prints the resume command; resume completes every trial once", async () => {
    const schema = randomSchema();
    schemas.push(schema);
    await interruptThenResume(`${POSTGRES_URL}?schema=${schema}`);
  });
});
