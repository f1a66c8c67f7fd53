/**
 * A pool of warm compile servers (sandbox/compiler.ts), shared by every submission in a grading run.
 *
 * Starting tslab's converter costs seconds (it loads the TypeScript compiler and the type
 * declarations); a warm one converts a cell in tens of milliseconds. The conversion is a pure
 * function of (declarations of earlier cells, cell source), so results are cached by that pair:
 * cells that many learners share — the setup cell, untouched stubs — are converted once.
 *
 *     const pool = new CompilerPool(runtime, 2);
 *     await pool.compile("", 'const x: number = "a"');   // { diagnostics: ["1:7 - Type 'string' …"] }
 *     pool.close();
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { type Readable } from "node:stream";
import { type Runtime, COMPILER_ENV, compilerCommand } from "./runtime";

const RECYCLE_AFTER = 300;

export interface CompileResult {
  diagnostics?: string[];
  output?: string;
  declOutput?: string;
  hasToplevelAwait?: boolean;
  lastExpressionVar?: string;
  /** The cell is of a kind the grader does not run (tslab module/browser cells). */
  unsupported?: string;
  /** The compiler itself failed (crash, time limit): the cell is treated as not compiling. */
  internalError?: string;
}

/** How a compile server started: from spawn to ready, and what it took from the kernel's snapshot. */
export interface ServerStart {
  ms: number;
  /** Declaration files served from the snapshot's cache and parsed afresh; null: not from the snapshot. */
  snapshot: { served: number; stale: number } | null;
  /** V8's heap limit in the server (COMPILER_ENV sets it). */
  heapLimitMb: number;
}

interface Pending {
  id: number;
  prevDecl: string;
  src: string;
  resolve: (r: CompileResult) => void;
}

class Server {
  child: ChildProcess;
  ready: Promise<void>;
  busy: Pending | null = null;
  timer: NodeJS.Timeout | null = null;
  private pending: Buffer[] = [];
  private onReady!: () => void;
  dead = false;
  conversions = 0;
  private readonly spawned: number;

  constructor(rt: Runtime, private readonly onFree: (s: Server) => void, private readonly timeoutMs: number, private readonly onStart: (s: ServerStart) => void) {
    const [cmd, ...args] = compilerCommand(rt);
    this.spawned = performance.now();
    this.child = spawn(cmd, args, { cwd: rt.compileDir, stdio: ["pipe", "ignore", "pipe", "pipe"], env: COMPILER_ENV });
    this.ready = new Promise((resolve) => (this.onReady = resolve));
    (this.child.stdio[3] as Readable).on("data", (chunk: Buffer) => this.data(chunk));
    let stderr = "";
    this.child.stderr!.on("data", (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
    this.child.on("exit", (code, signal) => {
      this.dead = true;
      if (this.timer) clearTimeout(this.timer);
      const job = this.busy;
      this.busy = null;
      if (job) job.resolve({ internalError: `the compile server stopped (${signal ?? `exit ${code}`}) while compiling this cell: ${stderr.trim().slice(-500)}` });
      this.onReady();
      this.onFree(this);
    });
  }

  private data(chunk: Buffer): void {
    // Lines are cut at the newline byte and decoded whole: a chunk may end inside a multi-byte
    // character (non-ASCII text in a cell), which decoding chunk by chunk would corrupt.
    let start = 0;
    let nl: number;
    while ((nl = chunk.indexOf(10, start)) >= 0) {
      this.pending.push(chunk.subarray(start, nl));
      start = nl + 1;
      const line = Buffer.concat(this.pending).toString("utf8");
      this.pending = [];
      let msg: CompileResult & { id: number; ready?: boolean; snapshot?: ServerStart["snapshot"]; heapLimitMb?: number };
      try {
        msg = JSON.parse(line) as CompileResult & { id: number; ready?: boolean; snapshot?: ServerStart["snapshot"]; heapLimitMb?: number };
      } catch {
        continue;
      }
      if (msg.ready) {
        this.onStart({ ms: performance.now() - this.spawned, snapshot: msg.snapshot ?? null, heapLimitMb: msg.heapLimitMb ?? NaN });
        this.onReady();
        continue;
      }
      const job = this.busy;
      if (!job || job.id !== msg.id) continue;
      if (this.timer) clearTimeout(this.timer);
      this.busy = null;
      const { id: _id, ready: _ready, ...result } = msg;
      job.resolve(result);
      this.onFree(this);
    }
    if (start < chunk.length) this.pending.push(chunk.subarray(start));
  }

  run(job: Pending): void {
    this.busy = job;
    this.timer = setTimeout(() => {
      this.child.kill("SIGKILL");
      const j = this.busy;
      this.busy = null;
      if (j) j.resolve({ internalError: `the TypeScript compiler did not finish this cell within ${this.timeoutMs / 1000} s` });
    }, this.timeoutMs);
    this.child.stdin!.write(JSON.stringify({ id: job.id, prevDecl: job.prevDecl, src: job.src }) + "\n");
  }

  close(): void {
    this.dead = true;
    this.child.stdin!.end();
    setTimeout(() => this.child.kill("SIGKILL"), 2000).unref();
  }
}

export class CompilerPool {
  private servers: Server[] = [];
  private queue: Pending[] = [];
  private cache = new Map<string, Promise<CompileResult>>();
  private nextId = 1;
  private closed = false;
  /** Number of conversions actually run (cache misses), for the benchmark. */
  conversions = 0;
  /** Every compile server's start, in the order they became ready (the benchmark and tests read it). */
  readonly starts: ServerStart[] = [];

  constructor(private readonly rt: Runtime, private readonly size: number, private readonly options: { cache?: boolean; timeoutMs?: number } = {}) {
    for (let i = 0; i < size; i++) this.servers.push(this.spawn());
  }

  private spawn(): Server {
    return new Server(this.rt, (s) => this.freed(s), this.options.timeoutMs ?? 60_000, (start) => this.starts.push(start));
  }

  private freed(server: Server): void {
    if (this.closed) return;
    // A long-lived TypeScript watch program grows; a server is recycled after many conversions.
    if (!server.dead && ++server.conversions >= RECYCLE_AFTER) {
      server.close();
      server.dead = true;
    }
    if (server.dead) {
      // Replace a crashed or killed server so the pool keeps its size.
      const i = this.servers.indexOf(server);
      if (i >= 0) this.servers[i] = this.spawn();
    }
    this.pump();
  }

  private pump(): void {
    for (const server of this.servers) {
      if (this.queue.length === 0) return;
      if (server.busy || server.dead) continue;
      const job = this.queue.shift()!;
      // Reserved now, sent when the server is ready; if it dies first, its exit handler answers the job.
      server.busy = job;
      server.ready.then(() => {
        if (!server.dead && server.busy === job) server.run(job);
      });
    }
  }

  /** Compiles a cell given the declarations of the cells that ran before it. */
  compile(prevDecl: string, src: string): Promise<CompileResult> {
    const key = createHash("sha256").update(prevDecl).update("\0").update(src).digest("hex");
    if (this.options.cache !== false) {
      const hit = this.cache.get(key);
      if (hit) return hit;
    }
    const promise = new Promise<CompileResult>((resolve) => {
      this.conversions++;
      this.queue.push({ id: this.nextId++, prevDecl, src, resolve });
      this.pump();
    });
    if (this.options.cache !== false) {
      // Failures of the compiler itself are not cached: a retry may succeed on a fresh server.
      this.cache.set(key, promise);
      promise.then((r) => {
        if (r.internalError) this.cache.delete(key);
      });
    }
    return promise;
  }

  close(): void {
    this.closed = true;
    for (const s of this.servers) s.close();
  }

  kill(): void {
    this.closed = true;
    for (const s of this.servers) {
      s.dead = true;
      s.child.kill("SIGKILL");
    }
  }
}
