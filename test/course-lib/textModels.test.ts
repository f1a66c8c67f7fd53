/**
 * The course's small models (src/textModels.ts), against independent routes: softmax written out by
 * hand, a direct scan for the copy target, and number sequences written out directly.
 *
 *     npx vitest run test/course-lib/textModels.test.ts
 */
import { describe, expect, it } from "vitest";
import { greedyOrbit } from "../../src/orbits";
import { pageChain } from "../../src/pageChain";
import { ARITHMETIC_TOKENS, arithmeticModel, copyModel, copyTarget, logitModel } from "../../src/textModels";

const asArray = (d: unknown) => Array.from(d as ArrayLike<number>);

describe("logitModel", () => {
  it("is softmax(logits / temperature)", () => {
    const m = logitModel(["A", "B", "C"], (page) => [page.length, 0, -1], 2);
    const e = [Math.exp(3 / 2), 1, Math.exp(-1 / 2)];
    const z = e[0] + e[1] + e[2];
    asArray(m(["A", "A", "A"])).forEach((p, i) => expect(p).toBeCloseTo(e[i] / z, 14));
  });
  it("names a bad logits function and temperature", () => {
    expect(() => logitModel(["A", "B"], () => [1], 1)(["A"])).toThrow(/must return 2 scores/);
    expect(() => logitModel(["A", "B"], () => [1, 2], -1)).toThrow(/temperature must be ≥ 0; got -1/);
  });
});

describe("copyModel", () => {
  it("targets the token after the last token's most recent earlier occurrence", () => {
    expect(copyTarget(["the", "dog", "and", "the"])).toBe("dog");
    expect(copyTarget(["a", "b", "a", "c", "a"])).toBe("c");
    expect(copyTarget(["a", "b", "c"])).toBeUndefined();
    expect(copyTarget(["a", "a"])).toBe("a");
  });
  it("puts e^s / (e^s + |V| − 1) on the target at temperature 1", () => {
    const vocab = ["the", "dog", "and", "cat"];
    const m = copyModel(vocab, { strength: 3 });
    const p = asArray(m(["dog", "and", "the", "dog", "and"]));
    expect(p[0]).toBeCloseTo(Math.exp(3) / (Math.exp(3) + 3), 14);
    expect(p[1]).toBeCloseTo(1 / (Math.exp(3) + 3), 14);
    expect(asArray(m(["cat", "dog", "and"]))).toEqual([0.25, 0.25, 0.25, 0.25]);
  });
  it("loops through the dog and … with period 3 under greedy decoding", () => {
    const chain = pageChain(copyModel(["the", "dog", "and", "cat"], { temperature: 0 }), ["the", "dog", "and", "cat"], 4);
    const orbit = greedyOrbit(chain, "the dog and the");
    expect(orbit.transient).toBe(0);
    expect(orbit.cycle).toEqual(["the dog and the", "dog and the dog", "and the dog and"]);
  });
});

describe("arithmeticModel", () => {
  const generate = (rule: (n: bigint) => bigint, prompt: string, steps: number) => {
    const model = arithmeticModel(rule);
    let text = prompt;
    for (let s = 0; s < steps; s++) {
      const dist = model(Array.from(text.slice(-prompt.length))) as Record<string, number>;
      const tokens = Object.keys(dist);
      expect(tokens.length).toBe(1);
      expect(dist[tokens[0]]).toBe(1);
      text += tokens[0];
    }
    return text;
  };

  it("writes the counting and doubling sequences while the window holds two numbers", () => {
    const counting = Array.from({ length: 80 }, (_, i) => i + 1).join(",");
    const countWritten = generate((n) => n + 1n, ",,,,,,,,,1,2,", 150).replace(/^,+/, "");
    expect(countWritten.length).toBeGreaterThan(150);
    expect(counting.startsWith(countWritten)).toBe(true);
    const doubling = Array.from({ length: 30 }, (_, i) => (2n ** BigInt(i)).toString()).join(",");
    const doubleWritten = generate((n) => 2n * n, ",".repeat(20) + "1,2,", 150).replace(/^,+/, "");
    expect(doubling.startsWith(doubleWritten)).toBe(true);
  });

  it("misreads a number the window has cut", () => {
    const double = arithmeticModel((n) => 2n * n);
    // The window shows "024," of "1024,": the model reads the previous number as 24 and writes 48.
    expect(double(Array.from("024,"))).toEqual({ "4": 1 });
    expect(double(Array.from("024,4"))).toEqual({ "8": 1 });
    expect(double(Array.from("024,48"))).toEqual({ ",": 1 });
    expect(double(Array.from("12345"))).toEqual({ ",": 1 });
    expect(double(Array.from("3,7"))).toEqual({ ",": 1 });
    expect(ARITHMETIC_TOKENS).toHaveLength(11);
  });

  it("checks the rule's output", () => {
    expect(() => arithmeticModel((n) => n - 5n)(Array.from("1,2,"))).toThrow(/rule\(2n\) must be a BigInt ≥ 0n; got -3n/);
  });
});
