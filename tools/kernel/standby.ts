/**
 * The warm standby of the course's tslab kernel: a process that has already done what makes tslab slow
 * to start (loading the TypeScript compiler, building the first program over lib.es2022 and
 * @types/node, and a warm-up compile that also loads the library's declarations), and waits on a Unix
 * socket for a kernel launcher (tools/kernel/launcher.ts) to hand it Jupyter's connection file. It
 * then becomes that kernel: tslab's own executor and ZeroMQ server, unchanged.
 *
 * Why a standby and not a faster compiler start: at load 3–8 on two shared cores, the kernel's first
 * program costs 2–3 s of CPU and 5–12 s of wall time however it is trimmed; only work done before the
 * learner asks can hide it. A standby serves one working directory (module resolution of
 * `llm-dynamics` starts there), one Node and one tslab; the key below names all of them, so a standby
 * made stale by `npm ci` or another Node is never claimed. It exits after its idle time
 * (LLM_DYNAMICS_STANDBY_IDLE_SECONDS, default 600), on SIGTERM/SIGINT, or when told `stop`; once
 * claimed, it exits with its kernel, and when its launcher goes away (Jupyter kills the launcher).
 *
 *     node dist/tools/kernel/standby.js            # in the notebook folder; normally the launcher starts it
 *
 * Wire protocol on the socket: newline-delimited JSON. Launcher → standby: `{"claim": {connectionFile,
 * cwd, env, pid}}` (pid: the launcher's) or `{"stop": true}`. Standby → launcher: `{"ok": true, "pid": n}` or `{"ok": false,
 * "reason": "…"}`, then `{"out": 1|2, "data": "…"}` for what the kernel writes to its stdout/stderr.
 */
import { createHash } from "node:crypto";
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createConnection, createServer, Server, Socket } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { dieWithProcess } from "./orphan";
import { projectRoot } from "./register";

export const STANDBY_ENV = {
  /** "off" disables the standby: the launcher starts tslab in its own process every time. */
  mode: "LLM_DYNAMICS_STANDBY",
  /** Folder of the sockets (default: $XDG_RUNTIME_DIR or the temp folder, llm-dynamics-standby-<uid>). */
  dir: "LLM_DYNAMICS_STANDBY_DIR",
  /** Seconds an unclaimed standby waits before it exits (default 600). */
  idle: "LLM_DYNAMICS_STANDBY_IDLE_SECONDS",
} as const;

export const DEFAULT_IDLE_SECONDS = 600;

/** The tslab this project runs (node_modules/tslab/dist/main.js). */
export function tslabMain(): string {
  return require.resolve("tslab/dist/main.js", { paths: [projectRoot()] });
}

/** The folder holding the standbys' sockets, created private to this user. */
export function standbyDir(env: NodeJS.ProcessEnv = process.env, create = true): string {
  const uid = typeof process.getuid === "function" ? process.getuid() : 0;
  const dir = env[STANDBY_ENV.dir] ? resolve(env[STANDBY_ENV.dir]!) : join(env.XDG_RUNTIME_DIR || tmpdir(), `llm-dynamics-standby-${uid}`);
  if (create) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  if (!st.isDirectory() || (typeof process.getuid === "function" && st.uid !== process.getuid())) {
    throw new Error(`the standby folder must be a folder owned by this user; got ${JSON.stringify(dir)}`);
  }
  chmodSync(dir, 0o700);
  return dir;
}

/**
 * What a standby must share with the kernel it becomes: the folder, Node, tslab and this code. Any
 * change (npm ci, another Node, NODE_OPTIONS) gives another key, so a stale standby is never used.
 */
export function standbyKey(cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  // Contents, not times: \`npm run build\` rewrites dist/ with new times and, mostly, the same code.
  const stamp = (file: string) => {
    try {
      return `${file}:${createHash("sha256").update(readFileSync(file)).digest("hex")}`;
    } catch {
      return `${file}:missing`;
    }
  };
  const tslabDist = dirname(tslabMain());
  const ours = join(projectRoot(), "dist", "tools", "kernel");
  const parts = [
    resolve(cwd),
    process.execPath,
    process.version,
    ...["main.js", "converter.js", "executor.js", "jupyter.js", "../package.json"].map((f) => stamp(join(tslabDist, f))),
    stamp(join(ours, "standby.js")),
    stamp(join(ours, "launcher.js")),
    env.NODE_OPTIONS ?? "",
  ];
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 20);
}

export interface StandbyPaths {
  socket: string;
  /** `{ pid, cwd, started, ready? }` of the standby listening on `socket` (`ready`: warm-up done). */
  info: string;
}

export function standbyPaths(cwd: string, env: NodeJS.ProcessEnv = process.env, create = true): StandbyPaths {
  const base = join(standbyDir(env, create), standbyKey(cwd, env));
  return { socket: `${base}.sock`, info: `${base}.json` };
}

/** Sends one JSON line; resolves with the first JSON line of the answer (or null when none came). */
export function askStandby(socketPath: string, message: object, timeoutMs: number): Promise<{ socket: Socket; answer: Record<string, unknown> } | null> {
  return new Promise((done) => {
    const socket = createConnection(socketPath);
    let buffer = "";
    let finished = false;
    const finish = (answer: Record<string, unknown> | null) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.removeAllListeners("data");
      if (answer === null) socket.destroy();
      done(answer ? { socket, answer } : null);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    socket.on("error", () => finish(null));
    socket.on("close", () => finish(null));
    socket.on("connect", () => socket.write(JSON.stringify(message) + "\n"));
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      const nl = buffer.indexOf("\n");
      if (nl < 0) return;
      const rest = buffer.slice(nl + 1);
      try {
        finish(JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>);
      } catch {
        finish(null);
      }
      if (rest) socket.unshift(Buffer.from(rest, "utf8"));
    });
  });
}

/** The standby of `cwd` as its info file describes it, or null when none is listening. */
export function standbyInfo(cwd: string, env: NodeJS.ProcessEnv = process.env): { pid: number; cwd: string; started: string; ready?: string } | null {
  try {
    return JSON.parse(readFileSync(standbyPaths(cwd, env).info, "utf8")) as { pid: number; cwd: string; started: string; ready?: string };
  } catch {
    return null;
  }
}

/** Stops the standby serving `cwd`, if one is listening; true when one answered. */
export async function stopStandby(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const answer = await askStandby(standbyPaths(cwd, env).socket, { stop: true }, 5_000);
  answer?.socket.destroy();
  return answer !== null;
}

/**
 * Ends every unclaimed standby whose socket lies in `dir` (SIGTERM; each removes its own files) and
 * returns their PIDs. A PID is signalled only while its command line is still a standby's.
 */
export function stopStandbys(dir: string): number[] {
  const stopped: number[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".json"));
  } catch {
    return stopped;
  }
  for (const name of names) {
    try {
      const { pid } = JSON.parse(readFileSync(join(dir, name), "utf8")) as { pid: number };
      if (readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("standby.js")) {
        process.kill(pid, "SIGTERM");
        stopped.push(pid);
      }
    } catch {
      // gone already, or not ours to stop
    }
  }
  return stopped;
}

interface TslabModules {
  createConverter: (o: { isJS: boolean; isBrowser: boolean }) => { convert(prev: string, src: string): unknown; close(): void };
  createExecutor: (root: string, convs: object, out: { log: (...a: unknown[]) => void; error: (...a: unknown[]) => void }) => { interrupt(): void };
  JupyterHandlerImpl: new (executor: object, jsKernel: boolean) => object;
  ZmqServer: new (handler: object, configPath: string) => { init(): Promise<void>; close(): void };
}

function loadTslab(): TslabModules {
  const dist = join(tslabMain(), "..");
  /* eslint-disable @typescript-eslint/no-require-imports -- tslab's internals, from this project's node_modules */
  return {
    ...(require(join(dist, "converter.js")) as Pick<TslabModules, "createConverter">),
    ...(require(join(dist, "executor.js")) as Pick<TslabModules, "createExecutor">),
    ...(require(join(dist, "jupyter.js")) as Pick<TslabModules, "JupyterHandlerImpl" | "ZmqServer">),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/**
 * tslab's own converter set (main.js's ConverterSetImpl is not exported): the Node converter made at
 * once, the browser one (for `//%browser` cells) on first use.
 */
function converterSet(t: TslabModules) {
  let node: ReturnType<TslabModules["createConverter"]> | undefined;
  let browser: ReturnType<TslabModules["createConverter"]> | undefined;
  return {
    get node() {
      return (node ??= t.createConverter({ isJS: false, isBrowser: false }));
    },
    get browser() {
      return (browser ??= t.createConverter({ isJS: false, isBrowser: true }));
    },
    close() {
      node?.close();
      browser?.close();
    },
  };
}

/**
 * The warm-up compile: what the first cells of every course notebook need type-checked (the globals,
 * Node's modules, the library's declarations). Only compiled, never run, so the kernel's state
 * (declarations of earlier cells, variables) is what a fresh tslab has.
 */
export const WARM_UP_CELL = [
  'import * as llmDynamicsWarmUp from "llm-dynamics";',
  'import * as fsWarmUp from "fs";',
  "console.log(typeof llmDynamicsWarmUp, typeof fsWarmUp.existsSync, process.version, [1, 2].map((x) => x + 1));",
].join("\n");

export const WARM_UP_SECOND_CELL = "void 0;";

function serve(): void {
  const cwd = process.cwd();
  // The launcher made the folder; if it is gone (a test cleaned up), nobody wants this standby.
  const paths = standbyPaths(cwd, process.env, false);
  const idleMs = Math.max(1, Number(process.env[STANDBY_ENV.idle] ?? DEFAULT_IDLE_SECONDS) || DEFAULT_IDLE_SECONDS) * 1000;
  let server: Server | null = createServer();
  let claimed = false;
  const release = () => {
    if (!server) return;
    server.close();
    server = null;
    // Only our own files: a newer standby may already have taken the path after a claim.
    try {
      if ((JSON.parse(readFileSync(paths.info, "utf8")) as { pid?: number }).pid === process.pid) rmSync(paths.info, { force: true });
    } catch {
      // no info file: nothing to remove
    }
  };
  const quit = () => {
    release();
    process.exit(0);
  };
  const idle = setTimeout(quit, idleMs);
  // Removed info file (folder cleaned, or another standby took the path): exit instead of lingering.
  const watch = setInterval(() => {
    if (!claimed && server?.listening && !existsSync(paths.info)) quit();
  }, 2_000);
  watch.unref();
  process.on("SIGTERM", quit);
  process.on("SIGINT", quit);

  const started = new Date().toISOString();
  let tslab: TslabModules | null = null;
  let convs: ReturnType<typeof converterSet> | null = null;

  const claim = (socket: Socket, request: { connectionFile: string; cwd: string; env: NodeJS.ProcessEnv; pid?: number }) => {
    if (claimed || !tslab || !convs) return socket.end(JSON.stringify({ ok: false, reason: "already claimed" }) + "\n");
    if (resolve(request.cwd) !== cwd) return socket.end(JSON.stringify({ ok: false, reason: `serves ${cwd}, not ${request.cwd}` }) + "\n");
    if (!existsSync(request.connectionFile)) return socket.end(JSON.stringify({ ok: false, reason: `no connection file ${request.connectionFile}` }) + "\n");
    claimed = true;
    clearTimeout(idle);
    clearInterval(watch);
    release();
    process.removeListener("SIGTERM", quit);
    process.removeListener("SIGINT", quit);
    // The kernel sees the environment Jupyter gave the launcher, not the one this standby was born with.
    for (const k of Object.keys(process.env)) if (!(k in request.env)) delete process.env[k];
    Object.assign(process.env, request.env);
    // What the kernel prints for itself goes to the launcher's stdout/stderr, where Jupyter reads it.
    for (const fd of [1, 2] as const) {
      const stream = fd === 1 ? process.stdout : process.stderr;
      stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        const data = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
        if (!socket.destroyed) socket.write(JSON.stringify({ out: fd, data }) + "\n");
        const cb = rest.find((r) => typeof r === "function") as (() => void) | undefined;
        cb?.();
        return true;
      }) as typeof stream.write;
    }
    // The launcher gone means Jupyter ended the kernel: never outlive it, even stuck in a cell.
    if (typeof request.pid === "number") dieWithProcess(request.pid);
    socket.on("close", () => process.exit(0));
    socket.on("error", () => process.exit(0));
    socket.on("data", () => undefined);

    // From here on, what tslab's startKernel does after warming its converter (tslab/dist/main.js).
    const executor = tslab.createExecutor(cwd, convs, { log: console.log, error: console.error });
    const kernel = new tslab.ZmqServer(new tslab.JupyterHandlerImpl(executor, false), request.connectionFile);
    const close = kernel.close.bind(kernel);
    kernel.close = () => {
      close();
      // tslab's process ends when its loop drains; the launcher's socket would keep this one alive.
      setTimeout(() => process.exit(0), 100);
    };
    process.on("SIGINT", () => executor.interrupt());
    process.on("uncaughtException", (err) => console.error("UncaughtException:", err));
    process.on("unhandledRejection", (reason) => console.error("UnhandledPromiseRejection:", reason));
    socket.write(JSON.stringify({ ok: true, pid: process.pid }) + "\n");
    void kernel.init();
  };

  server.on("connection", (socket) => {
    let buffer = "";
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      const nl = buffer.indexOf("\n");
      if (nl < 0) return;
      socket.off("data", onData);
      let message: { stop?: boolean; claim?: { connectionFile: string; cwd: string; env: NodeJS.ProcessEnv; pid?: number } };
      try {
        message = JSON.parse(buffer.slice(0, nl));
      } catch {
        return socket.end(JSON.stringify({ ok: false, reason: "not JSON" }) + "\n");
      }
      if (message.stop) {
        if (claimed) return socket.end(JSON.stringify({ ok: false, reason: "claimed: it is a kernel now" }) + "\n");
        socket.end(JSON.stringify({ ok: true, pid: process.pid }) + "\n", quit);
        return;
      }
      if (message.claim) return claim(socket, message.claim);
      socket.end(JSON.stringify({ ok: false, reason: "unknown request" }) + "\n");
    };
    socket.on("data", onData);
    socket.on("error", () => undefined);
  });

  const warmUp = () => {
    tslab = loadTslab();
    convs = converterSet(tslab);
    convs.node.convert("", WARM_UP_CELL);
    // The first cell after a change of imports rebuilds more (measured: about 100 ms of CPU for `1 + 1`
    // after the import warm-up, about 35 ms after this second, import-free one).
    convs.node.convert("", WARM_UP_SECOND_CELL);
    if (server) writeFileSync(paths.info, JSON.stringify({ pid: process.pid, cwd, started, ready: new Date().toISOString() }));
  };

  server.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EADDRINUSE") throw err;
    // A socket file is there: a live standby keeps it (we are not needed), a dead one left it behind.
    const probe = createConnection(paths.socket);
    probe.on("connect", () => {
      probe.destroy();
      process.exit(0);
    });
    probe.on("error", () => {
      rmSync(paths.socket, { force: true });
      server?.listen(paths.socket);
    });
  });
  // Listen first, then warm up: a launcher that comes during the warm-up waits for it instead of
  // starting a cold kernel of its own (its request is answered once the warm-up is done).
  server.listen(paths.socket, () => {
    writeFileSync(paths.info, JSON.stringify({ pid: process.pid, cwd, started }));
    setImmediate(warmUp);
  });
}

if (require.main === module) {
  if (process.argv.includes("--help")) {
    console.log(
      [
        "Usage: node dist/tools/kernel/standby.js",
        "",
        "A warm tslab kernel waiting, in the current folder, for the course's kernel launcher to hand it a",
        "Jupyter connection file. Normally started by the launcher itself; see docs/jupyter.md.",
        `Environment: ${STANDBY_ENV.idle} (idle seconds before exiting, default ${DEFAULT_IDLE_SECONDS}), ${STANDBY_ENV.dir} (socket folder).`,
      ].join("\n"),
    );
  } else serve();
}
