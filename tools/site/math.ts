/**
 * Math for the static site, typeset once at build time: TeX → SVG with MathJax (the `mathjax-full`
 * npm package, run in Node), so a reader's browser needs no MathJax, no fonts and no network, and
 * formulas show even with JavaScript off.
 *
 * Each formula carries its MathML next to the picture (MathJax's assistive-MathML handler: the SVG
 * is `aria-hidden`, the MathML is what a screen reader reads). Glyphs go to one hidden SVG per page
 * (MathJax's "global" font cache), so a glyph used 300 times on a page is stored once.
 *
 * TeX errors are not hidden: the `noerrors` and `noundefined` packages are left out, so a misspelt
 * macro becomes MathJax's error box (`merror`, with `data-mjx-error`) and is reported by `errors`.
 *
 *     const math = new PageMath();
 *     const html = math.typeset("\\pi T = \\pi", false);   // <mjx-container class="MathJax" jax="SVG">…
 *     const tail = math.fontCacheSvg();                      // once, anywhere in the page's body
 *     math.errors;                                           // [{ tex, message }] for broken formulas
 */
import { mathjax } from "mathjax-full/js/mathjax";
import { TeX } from "mathjax-full/js/input/tex";
import { SVG } from "mathjax-full/js/output/svg";
import { liteAdaptor, type LiteAdaptor } from "mathjax-full/js/adaptors/liteAdaptor";
import { RegisterHTMLHandler } from "mathjax-full/js/handlers/html";
import { AssistiveMmlHandler } from "mathjax-full/js/a11y/assistive-mml";
import { AllPackages } from "mathjax-full/js/input/tex/AllPackages";
import type { LiteElement } from "mathjax-full/js/adaptors/lite/Element";
import type { MathDocument } from "mathjax-full/js/core/MathDocument";

/** TeX packages: all that load without MathJax's component loader, minus the two that hide errors. */
export const TEX_PACKAGES = AllPackages.filter((p) => p !== "noerrors" && p !== "noundefined");

let adaptor: LiteAdaptor | undefined;
function sharedAdaptor(): LiteAdaptor {
  if (!adaptor) {
    adaptor = liteAdaptor();
    AssistiveMmlHandler(RegisterHTMLHandler(adaptor));
  }
  return adaptor;
}

export interface MathError {
  tex: string;
  message: string;
}

/** One page's formulas: they share a glyph cache, which the page must include once. */
export class PageMath {
  readonly errors: MathError[] = [];
  count = 0;
  private readonly output: SVG<LiteElement, unknown, unknown>;
  private readonly doc: MathDocument<LiteElement, unknown, unknown>;

  constructor() {
    const a = sharedAdaptor();
    this.output = new SVG({ fontCache: "global" });
    this.doc = mathjax.document("", { InputJax: new TeX({ packages: TEX_PACKAGES }), OutputJax: this.output });
    void a;
  }

  /** The formula as HTML (an `mjx-container` holding the SVG and its MathML). */
  typeset(tex: string, display: boolean): string {
    const a = sharedAdaptor();
    // Sizes as for 17px text in a 44rem column: only used for line-breaking and percentage widths.
    const node = this.doc.convert(tex, { display, em: 17, ex: 8, containerWidth: 44 * 16 }) as LiteElement;
    this.count++;
    const html = a.outerHTML(node);
    const error = /data-mjx-error="([^"]*)"/.exec(html);
    if (error) this.errors.push({ tex, message: decodeEntities(error[1]) });
    return html;
  }

  /** The hidden SVG that holds every glyph this page's formulas use. */
  fontCacheSvg(): string {
    return this.count === 0 ? "" : sharedAdaptor().outerHTML(this.output.pageElements(this.doc) as LiteElement);
  }

  /** MathJax's CSS for its SVG output (the same for every page). */
  styleSheet(): string {
    return sharedAdaptor().textContent(this.output.styleSheet(this.doc) as LiteElement);
  }
}

function decodeEntities(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&#x27;|&#39;/g, "'").replace(/&amp;/g, "&");
}
