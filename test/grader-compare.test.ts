/**
 * The shared comparison code (src/compare.ts) that both `check` and the grader use: tolerance,
 * NaN and infinities, matrices with the first wrong entry named, sets without order, and the
 * type-checker that refuses values that are not plain data.
 *
 *     npx vitest run test/grader-compare.test.ts
 */
import { describe, expect, it } from "vitest";
import {
  OpaqueValue,
  canonicalPageLabels,
  compareAnswer,
  compareEdgeSet,
  compareIndexSet,
  compareIndexSetSet,
  compareNumber,
  compareOrbit,
  compareString,
  compareVector,
  formatValue,
  compareMatrix,
  comparePageSetSet,
  compareVectorSet,
  numbersClose,
  typeCheckAnswer,
} from "../src/compare";
import { parseNotebook } from "../tools/grader/notebook";
import { decodeValue } from "../tools/grader/wire";

describe("numbers", () => {
  it("accept differences within 1e-9 relative or absolute, and no more", () => {
    expect(numbersClose(1, 1 + 5e-10)).toBe(true);
    expect(numbersClose(1, 1 + 2e-9)).toBe(false);
    expect(numbersClose(1e12, 1e12 * (1 + 5e-10))).toBe(true);
    expect(numbersClose(1e12, 1e12 * (1 + 2e-9))).toBe(false);
    expect(numbersClose(0, 5e-10)).toBe(true);
    expect(numbersClose(0, 2e-9)).toBe(false);
    expect(numbersClose(0, -0)).toBe(true);
  });

  it("treat NaN as equal only to NaN, and infinities only to themselves", () => {
    expect(numbersClose(NaN, NaN)).toBe(true);
    expect(numbersClose(NaN, 0)).toBe(false);
    expect(numbersClose(Infinity, Infinity)).toBe(true);
    expect(numbersClose(Infinity, -Infinity)).toBe(false);
    expect(numbersClose(Infinity, 1e308)).toBe(false);
    expect(numbersClose(1e308, Infinity)).toBe(false);
  });

  it("refuse answers that only pretend to be numbers", () => {
    const liar = { valueOf: () => 0.5, toJSON: () => 0.5, [Symbol.toPrimitive]: () => 0.5 };
    expect(compareAnswer("number", 0.5, liar).message).toBe("expected a number; got an object: { valueOf: a function, toJSON: a function }");
    expect(compareAnswer("number", 0.5, "0.5").message).toMatch(/got a string/);
    expect(compareAnswer("number", 0.5, new OpaqueValue("a BigInt")).message).toBe("expected a number; got a BigInt: <a BigInt>");
    expect(compareAnswer("number", 0.5, 0.5).pass).toBe(true);
  });
});

describe("matrices", () => {
  const t = [
    [0, 0.75, 0.25],
    [0, 5 / 6, 1 / 6],
    [0, 0, 1],
  ];

  it("name the first wrong entry by row, column and page", () => {
    const wrong = t.map((r) => r.slice());
    wrong[1][2] = 0.2;
    wrong[2][0] = 9;
    expect(compareMatrix(t, wrong).message).toBe("row 2 (F), column 3 (U): expected 0.166666666667, got 0.2. Hint: row 2 of yours sums to 1.03333333333, but every row of a transition matrix sums to 1");
    expect(compareMatrix(t, t).pass).toBe(true);
  });

  it("hint at the usual mistakes: a transposed matrix, an unnormalised vector, 1-based indices", () => {
    const transposed = t[0].map((_, c) => t.map((r) => r[c]));
    expect(compareMatrix(t, transposed).message).toMatch(/Hint: your matrix is the transpose of the expected one/);
    expect(compareVector([0.25, 0.75], [1, 3]).message).toBe("entry 1: expected 0.25, got 1. Hint: your vector is right up to a factor: it sums to 4; divide by its sum so the probabilities add up to 1");
    expect(compareVector([0.25, 0.75], [0.5, 0.75]).message).toMatch(/Hint: a probability vector sums to 1; yours sums to 1.25/);
    expect(compareIndexSet([0, 2], [1, 3]).message).toBe("expected the states {0, 2}, got {1, 3}. Hint: every index is one too large: states are numbered from 0 (row 0 is the first row)");
    expect(compareIndexSet([0, 2], [2, 0]).pass).toBe(true);
    expect(compareIndexSetSet([[0], [1, 2]], [[2, 3], [1]]).message).toMatch(/Hint: every index is one too large/);
    expect(compareIndexSetSet([[0], [1, 2]], [[2, 1], [0]]).pass).toBe(true);
    expect(compareString("1267650600228229401496703205376", "1.2676506002282294e+30").message).toMatch(/Hint: a JavaScript number keeps only about 16 significant digits/);
    expect(compareOrbit({ transient: 2, period: 3 }, { transient: 2, period: 1 }).message).toBe("period: expected 3, got 1");
  });

  it("print numbers without binary rounding noise", () => {
    expect(formatValue(0.9157489999999999)).toBe("0.915749");
    expect(formatValue(0.1 + 0.2)).toBe("0.3");
    expect(formatValue(1 / 3)).toBe("0.333333333333");
    expect(formatValue(1e-40)).toBe("1e-40");
    expect(compareNumber(0.915749, 0.9)).toEqual({ pass: false, message: "expected 0.915749, got 0.9" });
  });

  it("label 9 × 9 matrices in the canonical order NN NF NU FN FF FU UN UF UU", () => {
    expect(canonicalPageLabels(9)).toEqual(["NN", "NF", "NU", "FN", "FF", "FU", "UN", "UF", "UU"]);
    expect(canonicalPageLabels(10)).toBeNull();
    const a = Array.from({ length: 9 }, () => new Array(9).fill(0));
    const b = a.map((r) => r.slice());
    b[4][5] = 1;
    expect(compareMatrix(a, b).message).toBe("row 5 (FF), column 6 (FU): expected 0, got 1");
  });

  it("check the shape before the entries, and refuse typed arrays, holes and strings", () => {
    expect(compareMatrix(t, t.slice(0, 2)).message).toBe("expected 3 rows, got 2");
    expect(compareMatrix(t, [t[0], t[1], [0, 1]]).message).toBe("row 3 (U): expected 3 entries, got 2");
    expect(compareMatrix(t, t.map((r) => Float64Array.from(r))).message).toMatch(/row 1 to be an array of numbers; got a Float64Array/);
    const holey = t.map((r) => r.slice());
    delete holey[0][1];
    expect(compareMatrix(t, holey).message).toMatch(/hole at index 1/);
    expect(compareMatrix(t, [[0, "0.75", 0.25], t[1], t[2]]).message).toBe('row 1, entry 2: expected a number; got a string: "0.75"');
  });
});

describe("sets", () => {
  it("compare stationary distributions without regard to order, matching each vector once", () => {
    const e = [
      [0, 0, 0, 0, 1, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 0, 1],
    ];
    expect(compareVectorSet(e, [e[1], e[0]]).pass).toBe(true);
    expect(compareVectorSet(e, [e[1], e[1]]).message).toBe("no vector of yours matches the expected {FF: 1}; for example, your vector 1 is {UU: 1}");
    expect(compareVectorSet(e, [e[0]]).message).toBe("expected 2 vectors ({FF: 1}, {UU: 1}), got 1");
  });

  it("compare closed classes as sets of sets, and refuse a page listed twice", () => {
    expect(comparePageSetSet([["FF"], ["UU"]], [["UU"], ["FF"]]).pass).toBe(true);
    expect(comparePageSetSet([["FF", "UU"]], [["UU", "FF"]]).pass).toBe(true);
    expect(comparePageSetSet([["UU"]], [["UU"], ["FF"]]).message).toBe("{FF} is not a closed class here (expected {UU})");
    expect(comparePageSetSet([["UU"], ["FF"]], [["UU"]]).message).toBe("missing the class {FF}; you gave {UU}");
    expect(comparePageSetSet([["UU"]], [["UU", "UU"]]).message).toMatch(/lists a page twice/);
  });

  it("compare networks as edge sets keyed by from, to and token, probabilities numerically", () => {
    const e = [
      { from: "N", to: "F", token: "F", prob: 0.75 },
      { from: "N", to: "U", token: "U", prob: 0.25 },
      { from: "U", to: "U", token: "U", prob: 1 },
    ];
    expect(compareEdgeSet(e, [e[2], e[0], e[1]]).pass).toBe(true);
    expect(compareEdgeSet(e, [e[0], e[2]]).message).toBe("missing the edge N → U (token U) with probability 0.25");
    expect(compareEdgeSet(e, [...e, { from: "F", to: "U", token: "U", prob: 0.1 }]).message).toBe("the edge F → U (token U) (probability 0.1) should not be there");
    expect(compareEdgeSet(e, [{ ...e[0], prob: 0.7 }, e[1], e[2]]).message).toBe("edge N → F (token F): expected probability 0.75, got 0.7");
    expect(compareEdgeSet(e, [...e, e[0]]).message).toMatch(/listed twice/);
    // A rounding residue is neither required nor forbidden.
    expect(compareEdgeSet([...e, { from: "F", to: "U", token: "U", prob: 1e-17 }], e).pass).toBe(true);
    expect(compareEdgeSet(e, [...e, { from: "F", to: "U", token: "U", prob: 0 }]).pass).toBe(true);
    expect(compareEdgeSet(e, [{ from: "N", to: "F", token: "F" }]).message).toBe('edge 1: expected "prob" to be a number; got no such field');
  });
});

describe("values from the sandbox", () => {
  it("decode tagged values: infinities, holes, objects with a __proto__ key, opaque values", () => {
    const v = decodeValue([{ $n: "Infinity" }, { $n: "NaN" }, { $t: "hole" }, { $o: [["__proto__", { $o: [["polluted", 1]] }], ["prob", 0.5]] }, { $t: "a function" }]) as unknown[];
    expect(v[0]).toBe(Infinity);
    expect(Number.isNaN(v[1])).toBe(true);
    expect(2 in v).toBe(false);
    expect(Object.keys(v[3] as object)).toEqual(["__proto__", "prob"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(v[4]).toBeInstanceOf(OpaqueValue);
    expect(typeCheckAnswer("edge-set", [{ ...(v[3] as object), from: "N", to: "F", token: "F" }]).ok).toBe(true);
  });

  it("survive answers whose getters throw", () => {
    const trap = new Proxy([], {
      get() {
        throw new Error("trap");
      },
    });
    expect(compareAnswer("matrix", [[1]], trap).message).toBe("the answer could not be read: Error: trap");
  });
});

describe("reading submissions", () => {
  it("accepts sources as strings or lists of lines, and reads the workbook metadata", () => {
    const nb = { nbformat: 4, cells: [{ cell_type: "code", source: ["let a = 1;\n", "a"], metadata: { "llm-dynamics": { exercise: "6.C.1", role: "answer" } } }, { cell_type: "markdown", source: "hi", metadata: {} }] };
    expect(parseNotebook(JSON.stringify(nb))).toEqual({ ok: true, cells: [{ index: 0, type: "code", source: "let a = 1;\na", exercise: "6.C.1", role: "answer" }, { index: 1, type: "markdown", source: "hi" }] });
  });

  it("refuses what is not a notebook, naming the problem", () => {
    expect(parseNotebook("{")).toMatchObject({ ok: false, reason: expect.stringMatching(/not valid JSON/) });
    expect(parseNotebook('{"cells": [{"cell_type": "code"}]}')).toEqual({ ok: false, reason: "cell 1 has no source text" });
    expect(parseNotebook('{"cells": [{"cell_type": "python", "source": ""}]}')).toEqual({ ok: false, reason: 'cell 1 has an unknown cell_type "python"' });
    const many = { cells: Array.from({ length: 501 }, () => ({ cell_type: "code", source: "1" })) };
    expect(parseNotebook(JSON.stringify(many))).toEqual({ ok: false, reason: "the notebook has 501 code cells; the grader accepts at most 500" });
  });
});
