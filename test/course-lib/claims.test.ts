/**
 * Checked claims (src/claims.ts): a false claim must throw, naming itself; a true one must not.
 *
 *     npx vitest run test/course-lib/claims.test.ts
 */
import { describe, expect, it, vi } from "vitest";
import { checks, claim, claimClose } from "../../src/claims";

describe("claim / claimClose", () => {
  it("throws on a false claim with its message, and prints a tick for a true one", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    expect(() => claim(1 + 1 === 3, "arithmetic works")).toThrow("Claim failed: arithmetic works");
    claim(1 + 1 === 2, "arithmetic works");
    expect(log).toHaveBeenLastCalledWith("✓ arithmetic works");
    log.mockRestore();
  });

  it("compares with an absolute plus relative tolerance", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    claimClose("x", 1 + 1e-12, 1);
    claimClose("big", 1e12 + 1, 1e12, { abs: 0, rel: 1e-9 });
    expect(() => claimClose("x", 1.01, 1, { abs: 1e-3, rel: 0 })).toThrow(/Claim failed: x = 1.01 \(expected 1/);
    expect(() => claimClose("x", NaN, 1)).toThrow(/actual \(x\) must be a number; got NaN/);
    log.mockRestore();
  });

  it("rejects a non-boolean condition rather than trusting truthiness", () => {
    expect(() => claim(1 as unknown as boolean, "m")).toThrow(/condition must be a boolean/);
  });
});

describe("checks: a group of claims printing one line", () => {
  it("prints one line naming the number of checks, and nothing per check", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const c = checks();
    c.claim(true, "a").close("b", 1 + 1e-12, 1).claim(2 > 1, "c");
    expect(log).not.toHaveBeenCalled();
    c.done("three facts");
    expect(log).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenLastCalledWith("✓ three facts (3 checks)");
    log.mockRestore();
  });

  it("stops at the first failing check with its own message", () => {
    const c = checks();
    expect(() => c.claim(false, "the page is absorbing")).toThrow("Claim failed: the page is absorbing");
    expect(() => c.close("dwell", 2, 1, { abs: 0.1, rel: 0 })).toThrow(/Claim failed: dwell = 2 \(expected 1/);
  });

  it("refuses to announce a group in which no check ran", () => {
    expect(() => checks().done("nothing")).toThrow(/no check ran/);
  });
});
