/**
 * The site builder without a browser: Markdown and math as Jupyter reads them, links between
 * notebooks, figures and their PNGs, the order of pages, and what the builder refuses.
 * The browser side (figures drawn, formulas visible, PNGs without JavaScript) is test/site.test.ts.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildSite, SITE_MARKER } from "../tools/site/build";
import { courseMarkdown, pageEnv } from "../tools/site/markdown";
import { PageMath } from "../tools/site/math";

const md = courseMarkdown();
function render(source: string, pages: string[] = []) {
  const math = new PageMath();
  const env = pageEnv(math, new Set(pages));
  return { html: md.render(source, env), math, env };
}
/** The MathML that MathJax puts next to each SVG: what a screen reader reads. */
const mathml = (html: string) => [...html.matchAll(/<mjx-assistive-mml[^>]*>([\s\S]*?)<\/mjx-assistive-mml>/g)].map((m) => m[1]);

describe("Markdown and math", () => {
  it("typesets $…$ and $$…$$ as Jupyter reads them, keeping backslashes and underscores from Markdown", () => {
    const { html, math } = render("Rows sum to one: $\\sum_j T_{ij} = 1$ and *emphasis* stays.\n\n$$T[s, s'] = \\begin{cases} a & x,\\\\ 0 & \\text{otherwise.}\\end{cases}$$");
    expect(math.count).toBe(2);
    expect(math.errors).toEqual([]);
    const [inline, display] = mathml(html);
    expect(inline).toContain("<mo data-mjx-texclass=\"OP\"");
    expect(inline).toContain("<msub>"); // T_{ij}: the underscore reached TeX, not Markdown's emphasis
    expect((display.match(/<mtr>/g) ?? []).length).toBe(2); // `\\` reached TeX: two rows of cases
    expect(html).toContain("<em>emphasis</em>");
    expect(html).not.toMatch(/\$/);
  });

  it("typesets an inline formula broken over two source lines, and $$…$$ written inside a paragraph", () => {
    const { html, math } = render("Here $a +\nb$ is one formula, and $$x^2$$ is shown on its own line.");
    expect(math.count).toBe(2);
    expect(html).not.toContain("$");
    expect(html).toMatch(/<span class="math-display"><mjx-container[^>]*display="true"/);
    expect(mathml(html)[0]).toMatch(/<mi>a<\/mi>[\s\S]*<mo>\+<\/mo>[\s\S]*<mi>b<\/mi>/);
  });

  it("reports a TeX error with the formula and MathJax's message", () => {
    const { math } = render("Broken: $\\fracc{1}{2}$ and $\\frac{1}{$ and fine $x$.");
    expect(math.errors).toEqual([
      { tex: "\\fracc{1}{2}", message: "Undefined control sequence \\fracc" },
      { tex: "\\frac{1}{", message: "Missing close brace" },
    ]);
  });

  it("points links to course notebooks at their pages, and leaves other links alone", () => {
    const { html } = render("[R5](remark-5.ipynb), [R5 §](./remark-5.ipynb#5b), [gone](gone.ipynb), [web](https://example.org/a.ipynb)", ["remark-5"]);
    expect([...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1])).toEqual(["remark-5.html", "remark-5.html#5b", "gone.ipynb", "https://example.org/a.ipynb"]);
  });

  it("gives headings unique ids across a page and collects them for the contents list", () => {
    const math = new PageMath();
    const env = pageEnv(math, new Set());
    md.render("# Title\n\n## Powers of $T$\n\n## Summary", env);
    md.render("## Summary", env);
    expect(env.headings.map((h) => [h.level, h.id])).toEqual([[1, "title"], [2, "powers-of-t"], [2, "summary"], [2, "summary-2"]]);
  });
});

describe("buildSite", () => {
  const scratch = mkdtempSync(join(tmpdir(), "llmd-site-units-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
  function notebook(dir: string, name: string, title: string, extra: object[] = []) {
    mkdirSync(dir, { recursive: true });
    const cells = [
      { cell_type: "markdown", id: "a", metadata: {}, source: `# ${title}\n\nOpening paragraph with $k$ tokens.\n\nMore.` },
      { cell_type: "code", id: "b", metadata: {}, execution_count: 1, source: "console.log(1)", outputs: [{ output_type: "stream", name: "stdout", text: "1\n" }] },
      ...extra,
    ];
    writeFileSync(join(dir, `${name}.ipynb`), JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells }));
  }
  const figureCell = (id: string, png: boolean) => ({
    cell_type: "code",
    id: `fig-${id}`,
    metadata: {},
    execution_count: 2,
    source: "show(fig)",
    outputs: [
      {
        output_type: "display_data",
        metadata: { "llm-dynamics": { figure: id } },
        data: { "application/vnd.plotly.v1+json": { data: [{ type: "bar", x: [1], y: [2] }], layout: {}, config: {} }, "text/plain": `Figure ${id}: Bars`, "text/html": "<div>inline</div>", ...(png ? { "image/png": PNG.toString("base64") } : {}) },
      },
    ],
  });

  it("writes one page per notebook in the runner's (sorted) order, the PNGs, and an index", () => {
    const input = join(scratch, "in1");
    notebook(input, "b-second", "Second", [figureCell("bars", true)]);
    notebook(input, "a-first", "First");
    const out = join(scratch, "site1");
    const result = buildSite({ notebooks: [input], outDir: out });
    expect(result.problems).toEqual([]);
    expect(result.pages.map((p) => [p.name, p.title, p.figures])).toEqual([["a-first", "First", []], ["b-second", "Second", ["bars"]]]);
    expect(readFileSync(join(out, "figures/b-second/bars.png")).equals(PNG)).toBe(true);
    const second = readFileSync(join(out, "b-second.html"), "utf8");
    expect(second).toContain('<noscript><img src="figures/b-second/bars.png" alt="Figure bars: Bars"');
    expect(second).not.toContain("<div>inline</div>"); // the notebook's own HTML (which inlines plotly.js) is not used
    expect(second).toContain('<a class="pager-prev" rel="prev" href="a-first.html">');
    expect(readFileSync(join(out, "a-first.html"), "utf8")).not.toContain("plotly.min.js");
    const index = readFileSync(join(out, "index.html"), "utf8");
    expect(index.indexOf('href="a-first.html"')).toBeLessThan(index.indexOf('href="b-second.html"'));
    expect(index).toContain("Opening paragraph with <mjx-container");
  });

  it("reports a figure without PNG and a link to a missing page, and still writes the site", () => {
    const input = join(scratch, "in2");
    notebook(input, "only", "Only", [figureCell("nopng", false), { cell_type: "markdown", id: "l", metadata: {}, source: "[next](missing.ipynb)" }]);
    const result = buildSite({ notebooks: [input], outDir: join(scratch, "site2") });
    expect(result.problems).toEqual([
      'only: figure "nopng" has no PNG for readers without JavaScript (run `npm run course` with Chromium)',
      'only: link to "missing.ipynb", which is not a page of the site',
    ]);
    expect(existsSync(join(scratch, "site2/only.html"))).toBe(true);
  });

  it("refuses a non-empty folder it did not make, and removes its own stale files on a rebuild", () => {
    const input = join(scratch, "in3");
    notebook(input, "one", "One", [figureCell("old", true)]);
    const foreign = join(scratch, "foreign");
    mkdirSync(foreign);
    writeFileSync(join(foreign, "thesis.tex"), "keep me");
    expect(() => buildSite({ notebooks: [input], outDir: foreign })).toThrow(/outDir: .*foreign.* is not empty and was not made by the site builder/);
    expect(readFileSync(join(foreign, "thesis.tex"), "utf8")).toBe("keep me");

    const out = join(scratch, "site3");
    buildSite({ notebooks: [input], outDir: out });
    expect(existsSync(join(out, SITE_MARKER))).toBe(true);
    expect(existsSync(join(out, "figures/one/old.png"))).toBe(true);
    rmSync(join(input, "one.ipynb"));
    notebook(input, "two", "Two");
    buildSite({ notebooks: [input], outDir: out });
    expect(existsSync(join(out, "one.html"))).toBe(false);
    expect(existsSync(join(out, "figures/one"))).toBe(false);
    expect(existsSync(join(out, "two.html"))).toBe(true);
  });

  it("names the argument and the value on bad input", () => {
    expect(() => buildSite({ notebooks: [join(scratch, "nowhere")], outDir: join(scratch, "x") })).toThrow(/notebooks: not found: ".*nowhere"/);
    const empty = join(scratch, "empty");
    mkdirSync(empty);
    expect(() => buildSite({ notebooks: [empty], outDir: join(scratch, "y") })).toThrow(/notebooks: no \.ipynb files in/);
  });
});
