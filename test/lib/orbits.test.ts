/**
 * Greedy (temperature 0) orbits against a brute-force simulation of the deterministic map on page
 * strings: from every start page, apply s → s.slice(1) + argmax μ(· | s) (the first token on ties)
 * until a page repeats; the first repeated page splits the run into the transient part and the cycle.
 * `greedyOrbitStatistics` must agree with `greedyOrbit` on every page.
 *
 *     npx vitest run test/lib/orbits.test.ts
 */
import { describe, expect, it } from "vitest";
import { type NextTokenModel, greedyMap, greedyOrbit, greedyOrbitStatistics, pageChain } from "../../src/index";
import { seeded } from "./support";

function allPages(tokens: string[], k: number): string[][] {
  if (k === 0) return [[]];
  return tokens.flatMap((t) => allPages(tokens, k - 1).map((rest) => [t, ...rest]));
}

/** A seeded model whose probabilities take few values, so ties between tokens are common. */
function tieModel(seed: string, tokens: string[]): NextTokenModel {
  return (page) => {
    const r = seeded(`${seed}|${page.join(",")}`);
    const w = tokens.map(() => Math.floor(r() * 3));
    if (!w.some((x) => x > 0)) w[0] = 1;
    const z = w.reduce((a, b) => a + b, 0);
    return w.map((x) => x / z);
  };
}

/** The greedy run from `start` by brute force on strings. */
function bruteForceOrbit(model: NextTokenModel, tokens: string[], start: string[], sep: string) {
  const seen = new Map<string, number>();
  const visits: string[] = [];
  let page = start;
  while (!seen.has(page.join(sep))) {
    seen.set(page.join(sep), visits.length);
    visits.push(page.join(sep));
    const mu = model(page) as number[];
    let best = 0;
    mu.forEach((p, t) => {
      if (p > mu[best]) best = t;
    });
    page = [...page.slice(1), tokens[best]];
  }
  const transient = seen.get(page.join(sep))!;
  return { transient, period: visits.length - transient, path: visits.slice(0, transient), cycle: visits.slice(transient) };
}

const spaces: [string[], number][] = [[["N", "F", "U"], 4], [["a", "b"], 7], [["the", "dog", "and"], 3], [["x"], 2]];

describe("greedy orbits", () => {
  for (const [tokens, k] of spaces) {
    const sep = tokens.every((t) => t.length === 1) ? "" : " ";
    const model = tieModel(`orbit-${tokens.join("")}-${k}`, tokens);

    it(`|V| = ${tokens.length}, k = ${k}: transient, period, cycle and path from every page match brute force`, () => {
      const chain = pageChain(model, tokens, k);
      for (const page of allPages(tokens, k)) {
        expect(greedyOrbit(chain, page), `from ${page.join(sep)}`).toEqual(bruteForceOrbit(model, tokens, page, sep));
      }
    });

    it(`|V| = ${tokens.length}, k = ${k}: greedyOrbitStatistics agrees with greedyOrbit on every page`, () => {
      const chain = pageChain(model, tokens, k);
      const stats = greedyOrbitStatistics(chain);
      for (let s = 0; s < chain.size; s++) {
        const orbit = greedyOrbit(chain, chain.space.pageAt(chain.pageIndex(s)));
        expect(stats.transient[s], chain.label(s)).toBe(orbit.transient);
        expect(stats.period[s], chain.label(s)).toBe(orbit.period);
      }
    });
  }

  it("on a reachable chain, orbits and the greedy map stay among its pages", () => {
    const tokens = ["N", "F", "U"];
    const model = tieModel("orbit-reach", tokens);
    const chain = pageChain(model, tokens, 5, { prompt: "NNNNN" });
    const map = greedyMap(chain);
    for (let s = 0; s < chain.size; s++) {
      expect(map[s]).toBeGreaterThanOrEqual(0);
      const page = chain.space.pageAt(chain.pageIndex(s));
      expect(greedyOrbit(chain, page)).toEqual(bruteForceOrbit(model, tokens, page, ""));
    }
    const stats = greedyOrbitStatistics(chain);
    for (let s = 0; s < chain.size; s++) expect(stats.period[s]).toBe(greedyOrbit(chain, chain.label(s)).period);
  });

  it("the orbits of Remark 5: an absorbing page and a cycle of period 3", () => {
    // Repeat the token three back (period 3 from "the dog and"); "." after "." is absorbing.
    const tokens = ["the", "dog", "and", "."];
    const model: NextTokenModel = (page) => (page.includes(".") ? { ".": 1 } : { [page[0]]: 1 });
    const chain = pageChain(model, tokens, 3);
    expect(greedyOrbit(chain, "the dog and")).toEqual({ transient: 0, period: 3, cycle: ["the dog and", "dog and the", "and the dog"], path: [] });
    expect(greedyOrbit(chain, "the . dog")).toEqual({ transient: 3, period: 1, cycle: [". . ."], path: ["the . dog", ". dog .", "dog . ."] });
    const periods = greedyOrbitStatistics(chain).period;
    expect(new Set(periods)).toEqual(new Set([1, 3])); // every page ends absorbed or on a 3-cycle
  });
});
