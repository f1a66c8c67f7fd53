/**
 * Figures: one helper so every notebook shows plots the same way.
 *
 * A figure is a plotly.js spec with a stable id. `show` sends one display bundle to the tslab kernel:
 *
 * - `application/vnd.plotly.v1+json`: the spec itself, drawn natively by front ends with a plotly
 *   renderer (VS Code, JupyterLab with the plotly extension) and read back by the headless run;
 * - `text/html`: a div plus a script that draws it with plotly.js. The library is inlined from the
 *   local `plotly.js-dist-min` package (the `plotly.js-dist` release, minified: 4.8 MB instead of
 *   11 MB) into the first figure a kernel session shows — never a CDN, so the course works offline —
 *   and later figures wait for it;
 * - `text/plain`: a one-line description, for terminals and screen readers.
 *
 * The display metadata carries `{"llm-dynamics": {"figure": id}}`, which is how the headless run
 * finds figures and adds static SVG/PNG renderings to the saved notebook, for viewers that run no
 * JavaScript (GitHub, nbviewer).
 *
 *     import { figure, show } from "llm-dynamics";
 *     show(figure("remark4-sizes", [{ type: "bar", x: ["toy", "GPT-2"], y: [27, 9629] }], { title: { text: "Digits" } }));
 */
import { readFileSync } from "node:fs";
import { describe } from "./validate";

export interface Figure {
  id: string;
  data: object[];
  layout: Record<string, unknown>;
  config: Record<string, unknown>;
}

export const PLOTLY_MIME = "application/vnd.plotly.v1+json";
export const FIGURE_METADATA_KEY = "llm-dynamics";
const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

/** Builds a figure; the id names its files under figures/<notebook>/ and must be stable. */
export function figure(id: string, data: object[], layout: Record<string, unknown> = {}, config: Record<string, unknown> = {}): Figure {
  if (typeof id !== "string" || !ID_PATTERN.test(id)) throw new RangeError(`id must be lower-case letters, digits and dashes; got ${describe(id)}`);
  if (!Array.isArray(data)) throw new TypeError(`data must be an array of plotly traces; got ${describe(data)}`);
  return {
    id,
    data,
    layout: { font: { family: "DejaVu Sans, Arial, sans-serif" }, ...layout },
    config: { responsive: true, displaylogo: false, ...config },
  };
}

let plotlySource: string | undefined;
let shownInSession = 0;

/** The plotly.js bundle from node_modules, wrapped so that a page's AMD loader cannot capture it. */
export function plotlyScript(): string {
  plotlySource ??= readFileSync(require.resolve("plotly.js-dist-min/plotly.min.js"), "utf8");
  // Jupyter's classic Notebook defines `define` (require.js); hiding it makes the UMD bundle set window.Plotly.
  return `(function(){var define=undefined,module=undefined,exports=undefined;\n${plotlySource.replace(/<\/script/gi, "<\\/script")}\n}).call(window);`;
}

function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

// Shown inside the div when no script runs (untrusted notebook, GitHub, nbviewer) and no image was added.
function textFallback(fig: Figure): string {
  const title = (fig.layout.title as { text?: string } | undefined)?.text;
  return `<p class="llm-dynamics-figure-fallback">Figure ${escapeText(fig.id)}${title ? `: ${escapeText(title)}` : ""}. ` +
    "This interactive figure is drawn by JavaScript: run the notebook, or trust it, to see it.</p>";
}

// Shown when the page never got plotly.js: it travels in the first figure of a kernel session, so a
// notebook saved after re-running only later cells has no copy of it.
const NO_PLOTLY_NOTE = '<p class="llm-dynamics-figure-note">plotly.js is missing from this page: it comes with the first figure ' +
  "a kernel session shows. Run the notebook from the top (Kernel, Restart &amp; Run All) to draw this figure.</p>";

/** The HTML that draws a figure, optionally carrying plotly.js itself. */
export function figureHtml(fig: Figure, options: { includePlotly: boolean; fallback?: string }): string {
  const divId = `llmd-${fig.id}`;
  const spec = JSON.stringify({ data: fig.data, layout: fig.layout, config: fig.config }).replace(/</g, "\\u003c");
  // The script claims the first not-yet-claimed div with its id, so a figure shown twice (or a
  // notebook shown in two views) draws every copy; classic Notebook runs scripts in document order.
  // It waits for plotly.js (and for its div to be attached), after 10 s replaces the text fallback
  // (not an image) with a note that plotly.js is missing, and stops once its div is removed or after
  // 10 minutes.
  const draw = `(function(){var spec=${spec};function draw(){var el=null,t0=Date.now(),noted=false;` +
    `function claim(){var els=document.querySelectorAll('div[id="${divId}"]');for(var i=0;i<els.length;i++){` +
    `if(!els[i].getAttribute("data-llmd-claimed")){els[i].setAttribute("data-llmd-claimed","1");return els[i];}}return null;}` +
    `(function step(){var waited=Date.now()-t0;if(!el){el=claim();}else if(!el.isConnected){return;}` +
    `if(el&&window.Plotly){el.innerHTML="";window.Plotly.newPlot(el,spec.data,spec.layout,spec.config);return;}` +
    `if(el&&!noted&&waited>10000){noted=true;var fb=el.querySelector(".llm-dynamics-figure-fallback");` +
    `if(fb){fb.outerHTML=${JSON.stringify(NO_PLOTLY_NOTE)};}else{el.insertAdjacentHTML("beforeend",${JSON.stringify(NO_PLOTLY_NOTE)});}}` +
    `if(waited<600000)setTimeout(step,waited<10000?50:1000);})();}draw();})();`;
  const lib = options.includePlotly ? `<script type="text/javascript">${plotlyScript()}</script>` : "";
  return `<div id="${divId}" class="llm-dynamics-figure" style="min-height:360px">${options.fallback ?? textFallback(fig)}</div>${lib}<script type="text/javascript">${draw}</script>`;
}

/** The display bundle of a figure: data by mimetype, and metadata. */
export function figureBundle(fig: Figure, includePlotly: boolean): { data: Record<string, unknown>; metadata: Record<string, unknown> } {
  const title = (fig.layout.title as { text?: string } | undefined)?.text;
  return {
    data: {
      [PLOTLY_MIME]: { data: fig.data, layout: fig.layout, config: fig.config },
      "text/html": figureHtml(fig, { includePlotly }),
      "text/plain": `Figure ${fig.id}${title ? `: ${title}` : ""}`,
    },
    metadata: { [FIGURE_METADATA_KEY]: { figure: fig.id } },
  };
}

type WriteDisplayData = (content: { data: Record<string, unknown>; metadata: Record<string, unknown>; transient?: object }, update: boolean) => void;

/** Displays a figure in the running tslab kernel; outside a kernel, prints its description. */
export function show(fig: Figure): void {
  let write: WriteDisplayData | null = null;
  try {
    // tslab's public `display.raw` sends one mimetype per call; its writer takes a whole bundle.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily: only inside a kernel
    write = (require("tslab/dist/jupyter") as { lastWriteDisplayData: WriteDisplayData | null }).lastWriteDisplayData;
  } catch {
    write = null;
  }
  const bundle = figureBundle(fig, shownInSession === 0);
  if (!write) {
    console.log(bundle.data["text/plain"]);
    return;
  }
  shownInSession++;
  write({ data: bundle.data, metadata: bundle.metadata, transient: {} }, false);
}
