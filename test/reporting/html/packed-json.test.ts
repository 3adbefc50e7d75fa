import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { JsonValue } from "../../../src/core/json.js";
import { PACKED_MARKER, packJson } from "../../../src/reporting/html/index.js";
import { unpackJson } from "../../support/unpack-json.js";

const roundTrip = (value: JsonValue) => unpackJson(JSON.parse(JSON.stringify(packJson(value))));

describe("packJson and the page's unpackJson", () => {
  const rows = Array.from({ length: 40 }, (_, i) => ({
    x: i,
    value: i / 3,
    series: i % 2 ? "Best so far" : "Observation",
    tip: { trial: Math.floor(i / 4), "</script>": "<!--" },
  }));

  it("packs a table as columns, repeated values once, and restores the same rows (numbers to 7 digits)", () => {
    const packed = packJson({ data: [{ name: "t", values: rows }] }) as {
      data: { values: Record<string, JsonValue> }[];
    };
    const table = packed.data[0]!.values;
    expect(table[PACKED_MARKER]).toBe(1);
    expect(table.keys).toEqual(["x", "value", "series", "tip"]);
    const [x, , series, tip] = table.columns as JsonValue[];
    expect(x).toEqual(rows.map((r) => r.x));
    expect(series).toEqual({ dict: ["Observation", "Best so far"], index: rows.map((_, i) => i % 2) });
    expect((tip as { dict: JsonValue[] }).dict).toHaveLength(10);
    const expected = rows.map((r) => ({ ...r, value: Number(r.value.toPrecision(7)) }));
    expect(roundTrip({ data: [{ name: "t", values: rows }] })).toEqual({
      data: [{ name: "t", values: expected }],
    });
    expect(JSON.stringify(packJson(rows)).length).toBeLessThan(JSON.stringify(rows).length / 2);
  });

  it("packs a column of distinct objects with the same keys (a tooltip per row) as a table of its own", () => {
    const tips = Array.from({ length: 30 }, (_, i) => ({
      x: i,
      tip: { trial: i, arm: `${i}_0`, status: i % 3 ? "feasible" : "infeasible", lr: i / 7 },
    }));
    const packed = packJson(tips) as Record<string, JsonValue>;
    const tipColumn = (packed.columns as JsonValue[])[1] as Record<string, JsonValue>;
    expect(tipColumn[PACKED_MARKER]).toBe(1);
    expect(tipColumn.keys).toEqual(["trial", "arm", "status", "lr"]);
    expect((tipColumn.columns as JsonValue[])[2]).toEqual({
      dict: ["infeasible", "feasible"],
      index: tips.map((_, i) => (i % 3 ? 1 : 0)),
    });
    const expected = tips.map((r) => ({ ...r, tip: { ...r.tip, lr: Number(r.tip.lr.toPrecision(7)) } }));
    expect(roundTrip(tips)).toEqual(expected);
    expect(JSON.stringify(packed).length).toBeLessThan(JSON.stringify(tips).length / 2);
  });

  it("keeps a key named __proto__ as data, in tables and objects", () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": 1}, "a": 2}') as JsonValue;
    const table = Array.from({ length: 10 }, () => hostile);
    const back = roundTrip({ one: hostile, table }) as { one: object; table: object[] };
    expect(Object.keys(back.one)).toEqual(["__proto__", "a"]);
    expect(Object.getPrototypeOf(back.table[0])).toBe(Object.prototype);
    expect(Object.keys(back.table[0]!)).toEqual(["__proto__", "a"]);
  });

  it("leaves short arrays, arrays of mixed shapes and scalars alone", () => {
    const mixed = [...rows.slice(0, 10), { other: 1 }];
    expect(packJson(mixed)).toEqual(mixed.map((r) => packJson(r as JsonValue)));
    expect(packJson(rows.slice(0, 3))).toEqual(rows.slice(0, 3).map((r) => packJson(r)));
    expect(packJson([1.23456789, "a", null, true])).toEqual([1.234568, "a", null, true]);
  });

  it("round-trips any JSON up to the rounding of non-integers", () => {
    const row = fc.record({
      a: fc.integer(),
      b: fc.constantFrom("p", "q", "</script>"),
      c: fc.option(fc.integer()),
    });
    fc.assert(
      fc.property(fc.oneof(fc.array(row, { minLength: 0, maxLength: 30 }), fc.jsonValue()), (value) => {
        const json = JSON.parse(JSON.stringify(value)) as JsonValue;
        const rounded = JSON.parse(
          JSON.stringify(json, (_k, v) =>
            typeof v === "number" && !Number.isInteger(v) ? Number(v.toPrecision(7)) : v,
          ),
        );
        expect(roundTrip(json)).toEqual(rounded);
      }),
    );
  });
});
