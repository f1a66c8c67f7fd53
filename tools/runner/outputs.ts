/**
 * Turns the iopub messages of one cell into nbformat 4 outputs, the way Jupyter front ends do:
 * consecutive stream messages of the same name are merged, `clear_output` (with `wait`) empties
 * the cell, `update_display_data` rewrites every earlier output with the same display id (in any
 * cell of the notebook: pass one `displays` map to the collectors of all its cells). The
 * display ids themselves are transient (random per run) and are not saved, so two runs of the
 * same code give the same outputs.
 *
 *     const outputs = new OutputCollector(displays);
 *     for (const msg of run.messages) outputs.add(msg);
 *     cell.outputs = outputs.outputs;
 */
import type { JupyterMessage } from "./protocol";

export type Output =
  | { output_type: "stream"; name: "stdout" | "stderr"; text: string }
  | { output_type: "display_data"; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | { output_type: "execute_result"; data: Record<string, unknown>; metadata: Record<string, unknown>; execution_count: number | null }
  | { output_type: "error"; ename: string; evalue: string; traceback: string[] };

interface DisplayContent {
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  transient?: { display_id?: string };
  execution_count?: number;
}

export type DisplayOutput = Extract<Output, { data: Record<string, unknown> }>;

export class OutputCollector {
  readonly outputs: Output[] = [];
  private clearPending = false;

  constructor(private readonly displays = new Map<string, DisplayOutput[]>()) {}

  /** Adds one iopub message; messages that are not outputs are ignored. */
  add(msg: JupyterMessage): void {
    const type = msg.header.msg_type;
    const content = msg.content as Record<string, unknown>;
    if (type === "clear_output") {
      if (content.wait) this.clearPending = true;
      else this.clear();
      return;
    }
    if (type === "update_display_data") {
      this.update(content as DisplayContent);
      return;
    }
    if (!["stream", "display_data", "execute_result", "error"].includes(type)) return;
    if (this.clearPending) this.clear();
    if (type === "stream") {
      const name = content.name === "stderr" ? "stderr" : "stdout";
      const text = String(content.text ?? "");
      const last = this.outputs[this.outputs.length - 1];
      if (last?.output_type === "stream" && last.name === name) last.text += text;
      else this.outputs.push({ output_type: "stream", name, text });
    } else if (type === "error") {
      this.outputs.push({
        output_type: "error",
        ename: String(content.ename ?? ""),
        evalue: String(content.evalue ?? ""),
        traceback: Array.isArray(content.traceback) ? content.traceback.map(String) : [],
      });
    } else {
      const display = content as DisplayContent;
      const base = { data: display.data ?? {}, metadata: display.metadata ?? {} };
      const output: Output = type === "execute_result"
        ? { output_type: "execute_result", ...base, execution_count: display.execution_count ?? null }
        : { output_type: "display_data", ...base };
      const id = display.transient?.display_id;
      if (id) this.displays.set(id, [...(this.displays.get(id) ?? []), output]);
      this.outputs.push(output);
    }
  }

  private clear(): void {
    this.outputs.length = 0;
    this.clearPending = false;
  }

  private update(content: DisplayContent): void {
    const id = content.transient?.display_id;
    if (!id) return;
    for (const output of this.displays.get(id) ?? []) {
      output.data = content.data ?? {};
      output.metadata = content.metadata ?? {};
    }
  }
}

/** The text of a failed cell: its stderr (tslab's way) and any error outputs (other kernels' way). */
export function errorText(outputs: Output[]): string {
  const parts: string[] = [];
  for (const output of outputs) {
    if (output.output_type === "stream" && output.name === "stderr") parts.push(output.text);
    if (output.output_type === "error") parts.push(output.traceback.length > 0 ? output.traceback.join("\n") : `${output.ename}: ${output.evalue}`);
  }
  // Tracebacks carry ANSI colours for terminals; a report is plain text.
  // eslint-disable-next-line no-control-regex
  return parts.join("\n").replace(/\u001b\[[0-9;]*m/g, "").trim();
}
