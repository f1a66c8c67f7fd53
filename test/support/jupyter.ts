/**
 * Debian's Jupyter with this project's tslab kernel registered in Jupyter folders of the test's own
 * (temporary JUPYTER_DATA_DIR, CONFIG_DIR and RUNTIME_DIR), so a kernel test runs on a machine where
 * nobody ran `npm run kernel:install`, and never reads or changes the user's registration.
 *
 *     const jupyter = privateJupyter("workbook-kernel");
 *     if (jupyter.reason) console.log(`skipped: ${jupyter.reason}`);
 *     afterAll(jupyter.cleanup);
 *     spawnSync(JUPYTER, ["nbconvert", …], { env: jupyter.env });
 *
 * Registration runs when the test file is collected, because `skipIf` needs the answer then.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { install } from "../../tools/kernel/install";
import { STANDBY_ENV, stopStandbys } from "../../tools/kernel/standby";

export const JUPYTER = "/usr/bin/jupyter";

export interface PrivateJupyter {
  /** Why the kernel tests cannot run here, or null when `env` is ready. */
  reason: string | null;
  /** This process's environment with Jupyter's folders pointed at the private ones. */
  env: NodeJS.ProcessEnv;
  /** Removes the private folders. */
  cleanup: () => void;
}

export function privateJupyter(name: string): PrivateJupyter {
  if (!existsSync(JUPYTER)) {
    return { reason: `${JUPYTER} is not installed (apt-get install jupyter-nbconvert python3-nbclient jupyter-client)`, env: process.env, cleanup: () => {} };
  }
  const dir = mkdtempSync(join(tmpdir(), `llmd-${name}-jupyter-`));
  // The registered kernel is the course's launcher; its warm standbys live (and are stopped) here too.
  const cleanup = () => {
    stopStandbys(join(dir, "standby"));
    rmSync(dir, { recursive: true, force: true });
  };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    JUPYTER_DATA_DIR: join(dir, "data"),
    JUPYTER_CONFIG_DIR: join(dir, "config"),
    JUPYTER_RUNTIME_DIR: join(dir, "runtime"),
    [STANDBY_ENV.dir]: join(dir, "standby"),
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
  };
  const log: string[] = [];
  // The Python that runs /usr/bin/jupyter, whatever python3 comes first on PATH (pyenv, conda).
  const code = install({ env, python: "/usr/bin/python3", log: (l) => log.push(l), error: (l) => log.push(l) });
  if (code !== 0) {
    cleanup();
    return { reason: `registering the tslab kernel in a private Jupyter folder failed (exit ${code}): ${log.join(" | ")}`, env: process.env, cleanup: () => {} };
  }
  return { reason: null, env, cleanup };
}
