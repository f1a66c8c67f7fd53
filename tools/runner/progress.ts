/**
 * Progress of a headless run: notebook, cell i/n, elapsed time. On a terminal cli-progress bars,
 * one per running notebook (redrawn in place, messages printed above them); otherwise — a pipe, a log file, or CI=true — one
 * plain line per event, so CI logs stay readable.
 *
 *     const progress = createProgress(process.stdout);
 *     progress.notebookStart("remark-4", 12); progress.cellStart("remark-4", 1, 12); ...
 */
import { MultiBar, Presets, type SingleBar } from "cli-progress";

export interface Progress {
  notebookStart(name: string, codeCells: number): void;
  cellStart(name: string, index: number, total: number): void;
  cellEnd(name: string, index: number, total: number, status: string, seconds: number): void;
  notebookEnd(name: string, ok: boolean, seconds: number): void;
  /** A message for the user (warnings, files written); never lost behind the bar. */
  log(message: string): void;
  stop(): void;
}

const seconds = (s: number) => `${s.toFixed(1)}s`;

export class PlainProgress implements Progress {
  private readonly started = Date.now();
  constructor(private readonly write: (line: string) => void) {}
  private elapsed(): string {
    return seconds((Date.now() - this.started) / 1000);
  }
  notebookStart(name: string, codeCells: number): void {
    this.write(`[${name}] start: ${codeCells} code cells (elapsed ${this.elapsed()})`);
  }
  cellStart(): void {
    // One line per finished cell is enough in a log.
  }
  cellEnd(name: string, index: number, total: number, status: string, took: number): void {
    this.write(`[${name}] cell ${index}/${total} ${status} ${seconds(took)} (elapsed ${this.elapsed()})`);
  }
  notebookEnd(name: string, ok: boolean, took: number): void {
    this.write(`[${name}] ${ok ? "done" : "FAILED"} in ${seconds(took)} (elapsed ${this.elapsed()})`);
  }
  log(message: string): void {
    this.write(message);
  }
  stop(): void {}
}

export class BarProgress implements Progress {
  private readonly bars = new MultiBar(
    {
      format: " {notebook} |{bar}| cell {value}/{total} | {elapsed}",
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      fps: 5,
      stream: process.stdout,
    },
    Presets.shades_classic,
  );
  /** One bar per notebook running now (several with --jobs). */
  private readonly active = new Map<string, SingleBar>();
  private readonly started = Date.now();
  private readonly timer: NodeJS.Timeout;

  constructor() {
    // Elapsed time moves even while a long cell runs.
    this.timer = setInterval(() => this.active.forEach((bar, name) => bar.update(this.payload(name))), 500);
    this.timer.unref();
  }
  private payload(name: string) {
    return { notebook: name.padEnd(24).slice(0, 24), elapsed: seconds((Date.now() - this.started) / 1000) };
  }
  notebookStart(name: string, codeCells: number): void {
    this.active.set(name, this.bars.create(Math.max(codeCells, 1), 0, this.payload(name)));
  }
  cellStart(name: string, index: number): void {
    this.active.get(name)?.update(index - 1, this.payload(name));
  }
  cellEnd(name: string, index: number): void {
    this.active.get(name)?.update(index, this.payload(name));
  }
  notebookEnd(name: string, ok: boolean, took: number): void {
    // A finished notebook leaves one line above the bars, not a bar of its own.
    const bar = this.active.get(name);
    if (bar) this.bars.remove(bar);
    this.active.delete(name);
    this.bars.log(`${ok ? "ok    " : "FAILED"} ${name} (${seconds(took)})\n`);
  }
  log(message: string): void {
    this.bars.log(message.endsWith("\n") ? message : `${message}\n`);
  }
  stop(): void {
    clearInterval(this.timer);
    this.bars.stop();
  }
}

export class SilentProgress implements Progress {
  notebookStart(): void {}
  cellStart(): void {}
  cellEnd(): void {}
  notebookEnd(): void {}
  log(): void {}
  stop(): void {}
}

/** A bar on an interactive terminal outside CI; plain lines everywhere else. */
export function createProgress(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): Progress {
  const ci = env.CI !== undefined && env.CI !== "" && env.CI !== "false" && env.CI !== "0";
  if (stream.isTTY && !ci) return new BarProgress();
  return new PlainProgress((line) => stream.write(`${line}\n`));
}
