/**
 * A tslab kernel started and driven the way Jupyter does it, with Node alone.
 *
 * `TslabKernel.start` writes a connection file (free loopback ports, HMAC key), runs
 * `<tslab> kernel --config-path <file>` in the notebook's folder, connects the five channels over
 * ZeroMQ (shell and control: Dealer, iopub: Subscriber, stdin: Dealer, heartbeat: Request) and does
 * the kernel_info handshake, repeated until iopub answers too (a subscriber misses what was published
 * before its subscription reached the kernel). `execute` sends one execute_request and collects the
 * iopub messages it caused until the kernel is idle and the execute_reply has come.
 *
 *     const kernel = await TslabKernel.start({ kernelPath: "node_modules/.bin/tslab", cwd: "notebooks" });
 *     const run = await kernel.execute('console.log("hi")', { timeoutMs: 60_000 });
 *     // run.status === "ok"; run.messages[0].content.text === "hi\n"
 *     await kernel.shutdown();
 */
import { ChildProcess, spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Dealer, Request, Socket, Subscriber } from "zeromq";
import { address, ConnectionInfo, newConnectionInfo, writeConnectionFile } from "./connection";
import { JupyterMessage, WireCodec } from "./protocol";

/** Raised when the kernel program is not where we looked; the message says how to get it. */
export class KernelNotFoundError extends Error {
  constructor(readonly path: string) {
    super(
      `tslab kernel not found: looked for ${JSON.stringify(path)}. ` +
        "Install the project's dependencies with `npm ci` (tslab is one of them), or pass the kernel program with `--kernel <path>` (or LLM_DYNAMICS_TSLAB=<path>).",
    );
    this.name = "KernelNotFoundError";
  }
}

/** How one execute_request ended. "timeout": no reply in time; "died": the kernel process exited. */
export type CellStatus = "ok" | "error" | "abort" | "timeout" | "died";

export interface CellRun {
  status: CellStatus;
  executionCount: number | null;
  /** iopub messages caused by the request, in arrival order (status and execute_input left out). */
  messages: JupyterMessage[];
  /** For "timeout": whether the kernel answered SIGINT with a reply before the grace period ended. */
  interrupted?: boolean;
  /** For "died": exit code or signal, and the tail of the kernel's own log. */
  detail?: string;
}

export interface KernelOptions {
  kernelPath: string;
  cwd: string;
  /** Time for the process to start and answer kernel_info on shell and iopub. */
  startupTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export interface ExecuteOptions {
  timeoutMs: number;
  /** After SIGINT, how long to wait for the reply before giving up on the kernel. */
  interruptGraceMs?: number;
}

interface Incoming {
  channel: "shell" | "iopub" | "control" | "stdin";
  msg: JupyterMessage;
}

const LOG_TAIL = 16_384;
/**
 * tslab type-checks lib and @types/node before it answers (about 3 s of CPU); on a machine shared by
 * parallel test files that took over a minute, so a kernel is given three before it counts as dead.
 */
const STARTUP_TIMEOUT_MS = 180_000;
/** tslab cancels requests that arrive within 200 ms after a failed one (its TaskQueue.reset(200)). */
const TSLAB_ERROR_QUIET_MS = 250;

function delay(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

export class TslabKernel {
  private readonly events = new EventEmitter();
  private readonly sendQueues = new Map<Socket, Promise<unknown>>();
  private exitInfo: string | null = null;
  private log = "";
  private lastErrorAt = 0;
  private closed = false;
  kernelInfo: Record<string, unknown> = {};

  private constructor(
    readonly options: KernelOptions,
    readonly process: ChildProcess,
    private readonly info: ConnectionInfo,
    private readonly codec: WireCodec,
    private readonly runtimeDir: string,
    private readonly shell: Dealer,
    private readonly control: Dealer,
    private readonly iopub: Subscriber,
    private readonly stdin: Dealer,
    private readonly heartbeat: Request,
  ) {
    this.events.setMaxListeners(0);
  }

  /** Kernels started and not yet killed: an interrupted run kills them all (`killAllKernels`). */
  static readonly live = new Set<TslabKernel>();

  /** Kills every live kernel at once and removes its connection folder (SIGINT/SIGTERM of the run). */
  static killAll(): void {
    for (const k of TslabKernel.live) {
      if (k.alive) k.killGroup();
      rmSync(k.runtimeDir, { recursive: true, force: true });
    }
    TslabKernel.live.clear();
  }

  /** Starts a kernel and completes the handshake, or throws with the kernel's own log. */
  static async start(options: KernelOptions): Promise<TslabKernel> {
    const kernelPath = resolve(options.kernelPath);
    if (!existsSync(kernelPath)) throw new KernelNotFoundError(kernelPath);
    const cwd = resolve(options.cwd);
    if (!existsSync(cwd)) throw new RangeError(`cwd does not exist: ${JSON.stringify(cwd)}`);
    const info = await newConnectionInfo();
    const runtimeDir = mkdtempSync(join(tmpdir(), "llm-dynamics-kernel-"));
    const file = writeConnectionFile(runtimeDir, info);
    // A .js kernel program (the course's launcher, tools/kernel/launcher.ts) runs under this Node.
    const [program, args] = kernelPath.endsWith(".js") ? [process.execPath, [kernelPath]] : [kernelPath, []];
    const child = spawn(program, [...args, "kernel", "--config-path", file], {
      cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group, so that a kill reaches what the launcher started (the kernel started
      // from the startup snapshot is the launcher's child).
      detached: true,
    });
    const kernel = new TslabKernel(
      { ...options, kernelPath, cwd },
      child,
      info,
      new WireCodec(info.key),
      runtimeDir,
      new Dealer({ linger: 0 }),
      new Dealer({ linger: 0 }),
      new Subscriber({ linger: 0 }),
      new Dealer({ linger: 0 }),
      new Request({ linger: 0, receiveTimeout: 5_000 }),
    );
    TslabKernel.live.add(kernel);
    kernel.watchProcess();
    try {
      kernel.connect();
      await kernel.handshake(options.startupTimeoutMs ?? STARTUP_TIMEOUT_MS);
    } catch (err) {
      await kernel.kill();
      throw err;
    }
    return kernel;
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get alive(): boolean {
    return this.exitInfo === null;
  }

  /** The last lines the kernel process wrote to its own stdout/stderr (not cell output). */
  get logTail(): string {
    return this.log;
  }

  private watchProcess(): void {
    const append = (chunk: Buffer) => {
      this.log = (this.log + chunk.toString("utf8")).slice(-LOG_TAIL);
    };
    this.process.stdout?.on("data", append);
    this.process.stderr?.on("data", append);
    this.process.on("error", (err) => {
      this.exitInfo ??= `could not start: ${err.message}`;
      this.events.emit("exit");
    });
    this.process.on("exit", (code, signal) => {
      this.exitInfo ??= signal ? `killed by ${signal}` : `exited with code ${code}`;
      this.events.emit("exit");
    });
  }

  private connect(): void {
    this.shell.connect(address(this.info, this.info.shell_port));
    this.control.connect(address(this.info, this.info.control_port));
    this.stdin.connect(address(this.info, this.info.stdin_port));
    this.iopub.connect(address(this.info, this.info.iopub_port));
    this.iopub.subscribe();
    this.heartbeat.connect(address(this.info, this.info.hb_port));
    this.listen(this.shell, "shell");
    this.listen(this.control, "control");
    this.listen(this.iopub, "iopub");
    this.listen(this.stdin, "stdin");
  }

  private listen(socket: Dealer | Subscriber, channel: Incoming["channel"]): void {
    void (async () => {
      try {
        for await (const frames of socket) {
          let msg: JupyterMessage;
          try {
            msg = this.codec.decode(frames);
          } catch (err) {
            this.log = (this.log + `\n[runner] dropped a ${channel} message: ${(err as Error).message}`).slice(-LOG_TAIL);
            continue;
          }
          if (channel === "stdin" && msg.header.msg_type === "input_request") {
            // We send allow_stdin: false, so this only happens with a misbehaving kernel: answer empty.
            const reply = this.codec.message("input_reply", { value: "" });
            reply.parent_header = msg.header;
            void this.send(this.stdin, reply);
          }
          this.events.emit("message", { channel, msg } satisfies Incoming);
        }
      } catch (err) {
        if (!this.closed) this.log = (this.log + `\n[runner] ${channel} socket failed: ${(err as Error).message}`).slice(-LOG_TAIL);
      }
    })();
  }

  private send(socket: Socket & { send(frames: Buffer[]): Promise<void> }, msg: JupyterMessage<object>): Promise<void> {
    // zeromq allows one pending send per socket; chain them.
    const previous = this.sendQueues.get(socket) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => socket.send(this.codec.encode(msg)));
    this.sendQueues.set(socket, next);
    return next;
  }

  /** Resolves with the first incoming message that `match` accepts, or null after `ms` or on exit. */
  private next(match: (m: Incoming) => boolean, ms: number): Promise<Incoming | null> {
    return new Promise((done) => {
      const finish = (value: Incoming | null) => {
        clearTimeout(timer);
        this.events.off("message", onMessage);
        this.events.off("exit", onExit);
        done(value);
      };
      const onMessage = (m: Incoming) => {
        if (match(m)) finish(m);
      };
      const onExit = () => finish(null);
      const timer = setTimeout(() => finish(null), ms);
      this.events.on("message", onMessage);
      this.events.on("exit", onExit);
      if (!this.alive) finish(null);
    });
  }

  private deadKernelError(what: string): Error {
    return new Error(`tslab kernel ${what} (${this.exitInfo ?? "still running"}; cwd ${this.options.cwd}). Kernel log:\n${this.log.trim() || "(empty)"}`);
  }

  private async handshake(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const requestIds = new Set<string>();
    let iopubSeen = false;
    const onIopub = (m: Incoming) => {
      if (m.channel === "iopub" && requestIds.has(m.msg.parent_header.msg_id ?? "")) iopubSeen = true;
    };
    this.events.on("message", onIopub);
    try {
      let replied = false;
      while (!(replied && iopubSeen)) {
        if (!this.alive) throw this.deadKernelError("exited during startup");
        if (Date.now() > deadline) throw this.deadKernelError(`did not answer kernel_info_request within ${timeoutMs} ms`);
        const request = this.codec.message("kernel_info_request", {});
        requestIds.add(request.header.msg_id);
        await this.send(this.shell, request);
        const reply = await this.next((m) => m.channel === "shell" && m.msg.header.msg_type === "kernel_info_reply" && requestIds.has(m.msg.parent_header.msg_id ?? ""), replied ? 250 : 1_000);
        if (reply) {
          replied = true;
          this.kernelInfo = reply.msg.content;
        }
        if (replied && !iopubSeen) await this.next((m) => m.channel === "iopub" && requestIds.has(m.msg.parent_header.msg_id ?? ""), 250);
      }
      await this.ping();
    } finally {
      this.events.off("message", onIopub);
    }
  }

  /** One heartbeat round trip: the kernel echoes what we send. */
  async ping(): Promise<void> {
    await this.heartbeat.send("ping");
    const [echo] = await this.heartbeat.receive();
    if (echo.toString() !== "ping") throw new Error(`heartbeat echoed ${JSON.stringify(echo.toString())} instead of "ping"`);
  }

  /** Runs one cell. Never throws for cell errors: the status says what happened. */
  async execute(code: string, options: ExecuteOptions): Promise<CellRun> {
    if (!this.alive) return { status: "died", executionCount: null, messages: [], detail: this.deadKernelError("is not running").message };
    const quiet = this.lastErrorAt + TSLAB_ERROR_QUIET_MS - Date.now();
    if (quiet > 0) await delay(quiet);
    let run = await this.executeOnce(code, options);
    if (run.status === "abort" && run.messages.length === 0) {
      await delay(TSLAB_ERROR_QUIET_MS);
      run = await this.executeOnce(code, options);
    }
    if (run.status === "error") this.lastErrorAt = Date.now();
    return run;
  }

  private async executeOnce(code: string, options: ExecuteOptions): Promise<CellRun> {
    const request = this.codec.message("execute_request", {
      code,
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: true,
    });
    const id = request.header.msg_id;
    const messages: JupyterMessage[] = [];
    let reply: JupyterMessage | null = null;
    let idle = false;
    let settle: () => void = () => undefined;
    const settled = new Promise<void>((done) => (settle = done));
    const onMessage = ({ channel, msg }: Incoming) => {
      if (msg.parent_header.msg_id !== id) return;
      if (channel === "shell" && msg.header.msg_type === "execute_reply") reply = msg;
      else if (channel === "iopub") {
        if (msg.header.msg_type === "status") idle ||= (msg.content as { execution_state?: string }).execution_state === "idle";
        else if (msg.header.msg_type !== "execute_input") messages.push(msg);
      }
      if (reply && idle) settle();
    };
    const onExit = () => settle();
    this.events.on("message", onMessage);
    this.events.on("exit", onExit);
    const waitFor = async (ms: number): Promise<boolean> => {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([settled.then(() => false), new Promise<boolean>((done) => (timer = setTimeout(() => done(true), ms)))]);
      clearTimeout(timer);
      return !timedOut;
    };
    try {
      await this.send(this.shell, request);
      let finished = await waitFor(options.timeoutMs);
      let interrupted: boolean | undefined;
      if (!finished && this.alive) {
        this.interrupt();
        finished = await waitFor(options.interruptGraceMs ?? 3_000);
        interrupted = finished && this.alive;
      }
      const content = ((reply as JupyterMessage | null)?.content ?? {}) as { status?: string; execution_count?: number };
      const executionCount = typeof content.execution_count === "number" ? content.execution_count : null;
      if (!this.alive && !(reply && idle)) return { status: "died", executionCount, messages, detail: this.deadKernelError("died during the cell").message };
      if (interrupted !== undefined) return { status: "timeout", executionCount, messages, interrupted };
      const status = content.status === "ok" ? "ok" : content.status === "abort" || content.status === "aborted" ? "abort" : "error";
      return { status, executionCount, messages };
    } finally {
      this.events.off("message", onMessage);
      this.events.off("exit", onExit);
    }
  }

  /**
   * Interrupts like Jupyter does for kernels whose spec has no `interrupt_mode: "message"` (tslab's
   * has none): SIGINT to the process. tslab does not handle interrupt_request, and would print
   * "unknown msg_type" into the running cell's stderr, so we do not send one.
   */
  interrupt(): void {
    if (this.alive && this.process.pid !== undefined) this.process.kill("SIGINT");
  }

  /** Asks the kernel to shut down on the control channel; kills it if it has not exited in time. */
  async shutdown(graceMs = 2_000): Promise<void> {
    if (this.alive) {
      const exited = this.next(() => false, graceMs);
      try {
        await this.send(this.control, this.codec.message("shutdown_request", { restart: false }));
      } catch {
        // The socket may already be gone; killing below still ends the process.
      }
      await exited;
    }
    await this.kill();
  }

  /** SIGKILL to the launcher's whole process group: the launcher and the kernel it started. */
  private killGroup(): void {
    try {
      process.kill(-this.process.pid!, "SIGKILL");
    } catch {
      this.process.kill("SIGKILL");
    }
  }

  /** Ends the process (SIGKILL) and releases sockets and the connection file. */
  async kill(): Promise<void> {
    if (this.alive && this.process.pid !== undefined) {
      const exited = this.next(() => false, 5_000);
      this.killGroup();
      await exited;
    }
    TslabKernel.live.delete(this);
    if (!this.closed) {
      this.closed = true;
      for (const socket of [this.shell, this.control, this.iopub, this.stdin, this.heartbeat]) socket.close();
      rmSync(this.runtimeDir, { recursive: true, force: true });
    }
  }
}
