/**
 * Connection files, as Jupyter writes them for a kernel it starts: five free loopback ports and a
 * fresh HMAC key, in a JSON file that the kernel reads with `--config-path`.
 *
 *     const info = await newConnectionInfo();
 *     const file = writeConnectionFile(dir, info); // then: tslab kernel --config-path <file>
 */
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

export interface ConnectionInfo {
  transport: "tcp";
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: "hmac-sha256";
  kernel_name: string;
}

/** Ports the OS reports free right now; like Jupyter, we hold them all at once so they differ. */
async function freePorts(count: number, ip: string): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
      const server = createServer();
      server.once("error", reject);
      server.listen(0, ip, () => resolve(server));
    })),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

export async function newConnectionInfo(ip = "127.0.0.1"): Promise<ConnectionInfo> {
  const [shell, iopub, stdin, control, hb] = await freePorts(5, ip);
  return {
    transport: "tcp",
    ip,
    shell_port: shell,
    iopub_port: iopub,
    stdin_port: stdin,
    control_port: control,
    hb_port: hb,
    key: randomBytes(32).toString("hex"),
    signature_scheme: "hmac-sha256",
    kernel_name: "tslab",
  };
}

/** Writes `kernel-<shell port>.json` readable by the owner only (the key is a secret). */
export function writeConnectionFile(dir: string, info: ConnectionInfo): string {
  const file = join(dir, `kernel-${info.shell_port}.json`);
  writeFileSync(file, JSON.stringify(info, null, 1) + "\n", { mode: 0o600 });
  return file;
}

export function address(info: ConnectionInfo, port: number): string {
  return `${info.transport}://${info.ip}:${port}`;
}
