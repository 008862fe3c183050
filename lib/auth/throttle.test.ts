import { describe, expect, it } from "vitest";
import { ConcurrencyGate, HashingBusyError } from "./hashing-gate";
import { DEFAULT_THROTTLE_LIMITS, SignInThrottle } from "./throttle";

describe("SignInThrottle", () => {
  it("doubles an account's lock with each failure past the free ones, up to the cap, and clears it on success", () => {
    const throttle = new SignInThrottle();
    const waits: number[] = [];
    let now = 0;
    for (let failure = 1; failure <= 12; failure += 1) {
      throttle.recordFailure(`10.0.0.${failure}`, "ada@example.test", now);
      const decision = throttle.checkSignIn("192.0.2.1", "ada@example.test", now);
      waits.push(decision.allowed ? 0 : decision.retryAfterSeconds);
      now += waits.at(-1)! * 1000;
    }
    expect(waits).toEqual([0, 0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900]);
    throttle.recordSuccess("ada@example.test");
    expect(throttle.checkSignIn("192.0.2.1", "ada@example.test", now)).toEqual({ allowed: true });
  });

  it("allows an address a fixed number of failures per window, whatever emails it tries", () => {
    const throttle = new SignInThrottle();
    for (let failure = 0; failure < DEFAULT_THROTTLE_LIMITS.addressFailures; failure += 1) {
      expect(throttle.checkSignIn("198.51.100.9", `user${failure}@example.test`, failure).allowed).toBe(true);
      throttle.recordFailure("198.51.100.9", `user${failure}@example.test`, failure);
    }
    const refused = throttle.checkSignIn("198.51.100.9", "someone-new@example.test", 1_000);
    expect(refused).toEqual({ allowed: false, scope: "address", retryAfterSeconds: 599 });
    expect(throttle.checkSignIn("198.51.100.10", "someone-new@example.test", 1_000).allowed).toBe(true);
    expect(
      throttle.checkSignIn("198.51.100.9", "someone-new@example.test", DEFAULT_THROTTLE_LIMITS.addressWindowMs + 1)
        .allowed,
    ).toBe(true);
  });

  it("limits sign-ups per address and forgets the oldest keys beyond its bound", () => {
    const throttle = new SignInThrottle({ ...DEFAULT_THROTTLE_LIMITS, signUpsPerAddress: 2, maxTrackedKeys: 3 });
    expect(throttle.admitSignUp("a", 0).allowed).toBe(true);
    expect(throttle.admitSignUp("a", 1).allowed).toBe(true);
    expect(throttle.admitSignUp("a", 2)).toMatchObject({ allowed: false, scope: "address" });
    for (const address of ["b", "c", "d"]) throttle.admitSignUp(address, 3);
    expect(throttle.admitSignUp("a", 4).allowed).toBe(true); // "a" was forgotten
  });
});

describe("ConcurrencyGate", () => {
  it("runs at most the allowed number at once, queues a bounded number, and turns the rest away", async () => {
    const gate = new ConcurrencyGate(1, 2);
    let running = 0;
    let peak = 0;
    const releases: (() => void)[] = [];
    const work = () =>
      gate.run(async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running -= 1;
      });
    const accepted = [work(), work(), work()];
    expect(gate.saturated).toBe(true);
    await expect(work()).rejects.toBeInstanceOf(HashingBusyError);
    while (releases.length > 0 || running > 0) {
      await new Promise((resolve) => setImmediate(resolve));
      releases.shift()?.();
    }
    await Promise.all(accepted);
    expect(peak).toBe(1);
    expect(gate.saturated).toBe(false);
  });
});
