/**
 * Whether Debian's Jupyter can run the course's notebooks with nbconvert, for the benchmarks that
 * compare with it: the reason it cannot, or null.
 *
 *     const why = nbconvertUnavailable();   // "the kernel \"tslab\" is not registered …" | null
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { KERNEL_NAME } from "../tools/kernel/register";

export const JUPYTER = "/usr/bin/jupyter";

export function nbconvertUnavailable(): string | null {
  if (!existsSync(JUPYTER)) return `${JUPYTER} not found (apt-get install jupyter-nbconvert python3-nbclient to compare)`;
  const list = spawnSync(JUPYTER, ["kernelspec", "list", "--json"], { encoding: "utf8", timeout: 60_000 });
  let names: string[] = [];
  try {
    names = Object.keys((JSON.parse(list.stdout) as { kernelspecs: Record<string, unknown> }).kernelspecs);
  } catch {
    return `\`jupyter kernelspec list\` failed: ${(list.stderr ?? "").trim().split("\n").pop() ?? `exit ${list.status}`}`;
  }
  // Without it every notebook would fail at once, and the comparison would be meaningless.
  return names.includes(KERNEL_NAME) ? null : `the kernel "${KERNEL_NAME}" is not registered with ${JUPYTER} (run \`npm run kernel:install\` to compare with nbconvert)`;
}
