/**
 * Cells run on a real tslab kernel, shared by the kernel tests (kernel-snapshot, kernel-standby): a
 * kernel started another way must still be tslab, with type errors and the library's types.
 */
import { expect } from "vitest";
import type { TslabKernel } from "../../tools/runner/kernel";

/** A cell's status and everything it printed or returned, as text. */
export async function text(k: TslabKernel, code: string): Promise<{ status: string; out: string }> {
  const run = await k.execute(code, { timeoutMs: 120_000 });
  return { status: run.status, out: run.messages.map((m) => (m.content as { text?: string }).text ?? JSON.stringify(m.content)).join("") };
}

/** A type error is reported as an error; the library resolves from the notebook folder with its types. */
export async function expectTypeErrorsAndLibraryTypes(k: TslabKernel): Promise<void> {
  const typeError = await text(k, 'const n: number = "not a number";');
  expect(typeError.status).toBe("error");
  expect(typeError.out).toContain("Type 'string' is not assignable to type 'number'");
  await new Promise((r) => setTimeout(r, 300));
  const wrong = await text(k, 'import { pageChain } from "llm-dynamics";\nconst notAString: string = pageChain;');
  expect(wrong.status).toBe("error");
  expect(wrong.out).toMatch(/is not assignable to type 'string'/);
  await new Promise((r) => setTimeout(r, 300));
  expect(await text(k, 'import { pageChain } from "llm-dynamics";\ntypeof pageChain')).toEqual({ status: "ok", out: "function\n" });
}
