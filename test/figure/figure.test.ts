/**
 * The figure helper's display bundle: the contract the headless runner and the browser test rely on.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FIGURE_METADATA_KEY, PLOTLY_MIME, figure, figureBundle, figureHtml } from "llm-dynamics";

describe("figure", () => {
  it("rejects ids that cannot name a file, naming the argument", () => {
    for (const bad of ["", "Has Caps", "a/b", "../x", "-lead"]) expect(() => figure(bad, [])).toThrow(/^id must be lower-case letters, digits and dashes; got /);
    expect(() => figure("ok", "nope" as unknown as object[])).toThrow(/data must be an array of plotly traces; got "nope"/);
  });

  it("bundles the plotly spec, HTML and text, with the figure id in the metadata", () => {
    const fig = figure("remark4-demo", [{ type: "bar", x: [1, 2], y: [3, 4] }], { title: { text: "Demo" } });
    const bundle = figureBundle(fig, false);
    expect(bundle.metadata).toEqual({ [FIGURE_METADATA_KEY]: { figure: "remark4-demo" } });
    expect(bundle.data[PLOTLY_MIME]).toEqual({ data: fig.data, layout: fig.layout, config: fig.config });
    expect(bundle.data["text/plain"]).toBe("Figure remark4-demo: Demo");
    expect(JSON.parse(JSON.stringify(bundle))).toEqual(bundle); // plain JSON: survives the wire and nbformat
  });

  it("inlines plotly.js only when asked, from the local package (no CDN)", () => {
    const fig = figure("x", [{ type: "scatter", x: [0], y: [0] }]);
    const bundled = figureHtml(fig, { includePlotly: true });
    const light = figureHtml(fig, { includePlotly: false });
    const lib = readFileSync(require.resolve("plotly.js-dist-min/plotly.min.js"), "utf8");
    expect(bundled.length).toBeGreaterThan(lib.length);
    expect(light.length).toBeLessThan(5000);
    // Outside the library's own source, nothing refers to the network.
    const wrapper = bundled.replace(lib.replace(/<\/script/gi, "<\\/script"), "");
    expect(wrapper.length).toBeLessThan(5000);
    expect(wrapper + light).not.toMatch(/https?:|<script[^>]+src=/i);
  });

  it("embeds the spec so that a '</script>' inside a label cannot end the script early", () => {
    const fig = figure("y", [{ type: "bar", x: ["</script><b>boom"], y: [1] }]);
    const html = figureHtml(fig, { includePlotly: false });
    expect(html.match(/<\/script>/g)?.length).toBe(1);
    const spec = JSON.parse(html.match(/var spec=(\{.*?\});function draw/)![1]);
    expect(spec.data[0].x[0]).toBe("</script><b>boom");
  });
});
