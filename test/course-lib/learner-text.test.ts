/**
 * Learner-facing text never sends the learner to the maintainers' specification, which learners do not
 * have: every committed notebook (Remarks, conventions, workbooks) is searched cell by cell. The
 * course's own conventions notebook is what learner-facing cells cite instead.
 *
 *     npx vitest run test/course-lib/learner-text.test.ts
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const NOTEBOOKS = join(__dirname, "..", "..", "notebooks");
const SPEC = /waluigi-model\.md|spec\/|\bspec(ification)?\b(?! *=)/i;

const cellsOf = (file: string) =>
  (JSON.parse(readFileSync(join(NOTEBOOKS, file), "utf8")) as { cells: { id: string; source: string | string[] }[] }).cells.map((c) => ({
    id: c.id,
    text: Array.isArray(c.source) ? c.source.join("") : c.source,
  }));

describe("learner-facing notebooks", () => {
  const files = readdirSync(NOTEBOOKS).filter((f) => f.endsWith(".ipynb"));

  it("the search finds a citation of the spec when one is there", () => {
    for (const planted of ["as the spec says", "see spec/waluigi-model.md §3", "The specification should read 0 < p < 1"]) expect(planted).toMatch(SPEC);
    expect("kernelspec").not.toMatch(SPEC);
  });

  it.each(files)("%s cites the conventions notebook, never the maintainers' spec", (file) => {
    const offending = cellsOf(file).filter((c) => SPEC.test(c.text)).map((c) => `${c.id}: ${c.text.match(SPEC)![0]}`);
    expect(offending).toEqual([]);
  });
});
