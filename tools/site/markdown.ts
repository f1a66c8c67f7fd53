/**
 * The prose of a notebook as HTML: Markdown by markdown-it (CommonMark, with the HTML that Jupyter
 * also allows), math by markdown-it-texmath's `$…$` / `$$…$$` parsing — which takes the formula out
 * before Markdown can eat its backslashes and underscores, as Jupyter does — typeset to SVG by
 * MathJax (math.ts); headings get ids (GitHub-style slugs) for the page's contents list; links to
 * another course notebook (`remark-5-mode-collapse.ipynb#…`) point to its page instead.
 *
 *     const md = courseMarkdown();
 *     const env = pageEnv(new PageMath(), new Set(["remark-5-mode-collapse"]));
 *     md.render("See $\\pi T = \\pi$ and [Remark 5](remark-5-mode-collapse.ipynb).", env);
 *     env.headings;   // [{ level, id, text }] of every heading rendered with this env
 */
import MarkdownIt from "markdown-it";
import texmath from "markdown-it-texmath";
import hljs from "highlight.js/lib/core";
import typescript from "highlight.js/lib/languages/typescript";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import bash from "highlight.js/lib/languages/bash";
import type Token from "markdown-it/lib/token.mjs";
import type { PageMath } from "./math";

hljs.registerLanguage("typescript", typescript);
hljs.registerLanguage("javascript", javascript);
hljs.registerLanguage("json", json);
hljs.registerLanguage("bash", bash);

export interface Heading {
  level: number;
  id: string;
  /** Plain text (TeX source for math), and the inline tokens to render it with its math. */
  text: string;
  tokens: Token[];
}

/** What one page's Markdown needs while rendering, and what it leaves behind. */
export interface PageEnv {
  math: PageMath;
  /** Names (file name without .ipynb) of the notebooks that have a page on the site. */
  pages: ReadonlySet<string>;
  headings: Heading[];
  /** Heading ids already taken on the page (the anchor plugin keeps its own per-render set). */
  ids: Set<string>;
}

export function pageEnv(math: PageMath, pages: ReadonlySet<string>): PageEnv {
  return { math, pages, headings: [], ids: new Set() };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}

/** Code as highlighted HTML (highlight.js classes), or escaped text for a language it does not know. */
export function highlight(code: string, language: string): string {
  const lang = language.toLowerCase().replace(/^ts$/, "typescript").replace(/^js$/, "javascript").replace(/^(sh|shell)$/, "bash");
  return hljs.getLanguage(lang) ? hljs.highlight(code, { language: lang, ignoreIllegals: true }).value : escapeHtml(code);
}

/** Heading ids as GitHub makes them: lower case, spaces to dashes, punctuation dropped. */
export function slugify(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^\p{L}\p{N}\s-]/gu, "")
      .trim()
      .replace(/\s+/g, "-") || "section"
  );
}

const NOTEBOOK_LINK = /^(?!\w+:|\/\/)((?:\.\/)?)([^/?#]+)\.ipynb(#.*)?$/;

/**
 * Jupyter typesets `$a +⏎ b$` (a formula broken over two source lines) as one formula; texmath's
 * `$…$` pattern stops at a line end and would leave the dollars in the text. Its rule is widened to
 * span lines, within one paragraph (markdown-it hands inline rules one paragraph at a time).
 */
function allowLineBreaksInInlineMath(): void {
  const rules = (texmath as unknown as { rules: Record<string, { inline: { name: string; rex: RegExp }[] }> }).rules;
  const inline = rules.dollars.inline.find((r) => r.name === "math_inline");
  if (inline) inline.rex = /\$((?:[^\s\\])|(?:\S[\s\S]*?[^\s\\]))\$/gy;
}

/** Display formulas wider than this may scroll sideways in the text column (54rem ≈ 100ex). */
const SCROLLING_MATH_EX = 80;

/**
 * A display formula in its box. One that may be wider than the column scrolls sideways, and a box
 * that scrolls must be reachable from the keyboard (WCAG 2.1.1), so it gets a tab stop; others don't.
 */
export function displayMath(tag: "div" | "span", typeset: string): string {
  const width = Number(/<svg[^>]*\swidth="([\d.]+)ex"/.exec(typeset)?.[1] ?? 0);
  const focus = width > SCROLLING_MATH_EX ? ' tabindex="0" role="group" aria-label="formula (scrolls sideways)"' : "";
  return `<${tag} class="math-display"${focus}>${typeset}</${tag}>`;
}

export function courseMarkdown(): MarkdownIt {
  const md = new MarkdownIt({
    html: true,
    linkify: false,
    typographer: false,
    highlight: (code, lang) => {
      const body = highlight(code, lang || "");
      return `<pre class="code-block" tabindex="0"><code class="hljs${lang ? ` language-${escapeHtml(lang)}` : ""}">${body}</code></pre>`;
    },
  });
  allowLineBreaksInInlineMath();
  md.use(texmath, { engine: { renderToString: () => "" }, delimiters: "dollars" });
  // texmath parses; MathJax typesets. Its own templates (<eq>, <section><eqn>) would put a block
  // element inside a paragraph for `$$…$$` written mid-paragraph, so every kind is rendered here.
  const inline = (display: boolean) => (tokens: { content: string }[], idx: number, _o: unknown, env: PageEnv) => env.math.typeset(tokens[idx].content, display);
  md.renderer.rules.math_inline = inline(false);
  md.renderer.rules.math_inline_double = (tokens, idx, _o, env: PageEnv) => displayMath("span", env.math.typeset(tokens[idx].content, true));
  md.renderer.rules.math_block = (tokens, idx, _o, env: PageEnv) => `${displayMath("div", env.math.typeset(tokens[idx].content, true))}\n`;
  md.renderer.rules.math_block_eqno = (tokens, idx, _o, env: PageEnv) => `${displayMath("div", env.math.typeset(`${tokens[idx].content}\\tag{${tokens[idx].info}}`, true))}\n`;

  md.core.ruler.push("course_headings", (state) => {
    const env = state.env as PageEnv;
    state.tokens.forEach((token, i) => {
      if (token.type !== "heading_open") return;
      const inline = state.tokens[i + 1];
      const children = inline?.children ?? [];
      const text = children.filter((t) => t.type === "text" || t.type === "code_inline" || t.type.startsWith("math")).map((t) => t.content).join("");
      // Ids stay unique across all the cells of a page, not only within one cell's Markdown.
      const base = slugify(text);
      let id = base;
      for (let n = 2; env?.ids?.has(id); n++) id = `${base}-${n}`;
      env?.ids?.add(id);
      token.attrSet("id", id);
      env?.headings?.push({ level: Number(token.tag.slice(1)), id, text, tokens: children });
    });
  });

  const defaultLink = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env: PageEnv, self) => {
    const href = tokens[idx].attrGet("href") ?? "";
    const m = NOTEBOOK_LINK.exec(href);
    if (m && env?.pages?.has(decodeURIComponent(m[2]))) tokens[idx].attrSet("href", `${m[2]}.html${m[3] ?? ""}`);
    return defaultLink(tokens, idx, options, env, self);
  };
  return md;
}
