/**
 * Parameter studies with a slider: one figure that holds a family of plots, one per value of a
 * parameter, and a plotly slider that shows one member at a time.
 *
 * A slider needs no kernel and no network: every member's traces are in the spec, all hidden but the
 * active one, and each slider step is a plotly `restyle` of the traces' `visible` flags (plus, when
 * given, a `relayout` of the title). So it works wherever the figure is drawn by plotly.js — the
 * notebook's HTML output, the figure's standalone page under figures/, and front ends with a native
 * plotly renderer — and the static SVG/PNG shows the active member.
 *
 *     import { sliderFigure, show } from "llm-dynamics";
 *     show(sliderFigure("squares", "a", [1, 2, 3].map((a) => ({
 *       label: String(a), traces: [{ type: "scatter", x: [0, 1, 2], y: [0, a, 4 * a] }],
 *     })), { active: 1, layout: { xaxis: { title: { text: "x" } }, yaxis: { title: { text: "a x²" } } } }));
 */
import { figure, type Figure } from "./figure";
import { describe } from "./validate";

export interface SliderMember {
  /** The slider's label for this member (the parameter's value as text). */
  label: string;
  /** The traces drawn for this member. */
  traces: object[];
  /** The figure title while this member is shown (default: the layout's title). */
  title?: string;
}

export interface SliderOptions {
  /** Index of the member shown first (default 0). */
  active?: number;
  layout?: Record<string, unknown>;
  /** Traces drawn for every member (a reference line, say). */
  common?: object[];
}

/** Pixels below the plot area kept free for the slider (plotly draws it under the x axis title). */
const SLIDER_MARGIN = 150;

/** A figure showing one member of `members` at a time, chosen with a slider labelled `parameter`. */
export function sliderFigure(id: string, parameter: string, members: readonly SliderMember[], options: SliderOptions = {}): Figure {
  if (typeof parameter !== "string" || parameter.length === 0) throw new TypeError(`parameter must be a non-empty string; got ${describe(parameter)}`);
  if (!Array.isArray(members) || members.length === 0) throw new RangeError(`members must be a non-empty array; got ${describe(members)}`);
  members.forEach((m, i) => {
    if (!m || typeof m.label !== "string" || !Array.isArray(m.traces)) throw new TypeError(`members[${i}] must be { label: string, traces: object[] }; got ${describe(m)}`);
  });
  const active = options.active ?? 0;
  if (!Number.isInteger(active) || active < 0 || active >= members.length) throw new RangeError(`options.active must be an index into members (0 … ${members.length - 1}); got ${describe(active)}`);
  const common = options.common ?? [];
  const owner: number[] = [];
  const data: object[] = [];
  members.forEach((m, i) => {
    for (const t of m.traces) {
      data.push({ ...t, visible: i === active });
      owner.push(i);
    }
  });
  for (const t of common) {
    data.push(t);
    owner.push(-1);
  }
  const layout = { ...(options.layout ?? {}) };
  const baseTitle = (layout.title as { text?: string } | undefined)?.text;
  const titleOf = (m: SliderMember): string | undefined => m.title ?? baseTitle;
  if (titleOf(members[active]) !== undefined) layout.title = { ...((layout.title as object) ?? {}), text: titleOf(members[active]) };
  const margin = (layout.margin as Record<string, number> | undefined) ?? {};
  layout.margin = { ...margin, b: Math.max(margin.b ?? 0, SLIDER_MARGIN) };
  layout.sliders = [{
    active,
    currentvalue: { prefix: `${parameter} = `, font: { size: 13 } },
    pad: { t: 60, b: 10 },
    len: 1,
    x: 0,
    steps: members.map((m, i) => {
      const visible = owner.map((o) => o === -1 || o === i);
      const title = titleOf(m);
      return title === undefined
        ? { label: m.label, method: "restyle", args: [{ visible }] }
        : { label: m.label, method: "update", args: [{ visible }, { "title.text": title }] };
    }),
  }];
  return figure(id, data, layout);
}
