// Sign-in throttling (issue 14: eight wrong passwords a second starved the server). Checked
// before any password is hashed, so refused attempts cost next to nothing:
// - per client address: at most `addressFailures` failed sign-ins in `addressWindowMs`;
// - per account (by the email typed, whether or not it has an account, so the answer does not
//   reveal which emails do): `accountFreeFailures` failures in a row are free, then each further
//   one locks the account's password sign-in for twice as long as the last, up to
//   `accountMaxLockMs`; a success clears the count.
// Sign-ups, which hash a password too, have a per-address budget of their own, generous enough
// for a class or an office behind one address and still a stop to bulk account creation.
// State is in memory: one gallery process serves all requests (the page cache relies on the same),
// and a restart forgetting lockouts errs on the side of letting people in. Maps are bounded, so
// a flood of made-up addresses or emails cannot grow memory; the hashing gate
// (lib/auth/hashing-gate.ts) bounds CPU whatever these maps remember.

export interface ThrottleLimits {
  addressFailures: number;
  addressWindowMs: number;
  accountFreeFailures: number;
  accountBaseLockMs: number;
  accountMaxLockMs: number;
  signUpsPerAddress: number;
  signUpWindowMs: number;
  maxTrackedKeys: number;
}

export const DEFAULT_THROTTLE_LIMITS: ThrottleLimits = {
  addressFailures: 20,
  addressWindowMs: 10 * 60_000,
  accountFreeFailures: 5,
  accountBaseLockMs: 30_000,
  accountMaxLockMs: 15 * 60_000,
  signUpsPerAddress: 100,
  signUpWindowMs: 60 * 60_000,
  maxTrackedKeys: 10_000,
};

export type ThrottleDecision =
  { allowed: true } | { allowed: false; scope: "address" | "account"; retryAfterSeconds: number };

interface AccountState {
  failures: number;
  lockedUntil: number;
}

/** A Map that forgets its least recently written key beyond `limit` entries. */
export class BoundedMap<V> extends Map<string, V> {
  constructor(private readonly limit: number) {
    super();
  }

  override set(key: string, value: V): this {
    super.delete(key);
    if (this.size >= this.limit) {
      const oldest = this.keys().next();
      if (!oldest.done) super.delete(oldest.value);
    }
    return super.set(key, value);
  }
}

/** Event times per key within a window; at most `limit` are kept, which is all a decision needs. */
class WindowCounter {
  private readonly events: BoundedMap<number[]>;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    maxKeys: number,
  ) {
    this.events = new BoundedMap(maxKeys);
  }

  private recent(key: string, now: number): number[] {
    return (this.events.get(key) ?? []).filter((time) => now - time < this.windowMs);
  }

  /** Seconds until another event is allowed, or 0 now. */
  waitSeconds(key: string, now: number): number {
    const recent = this.recent(key, now);
    if (recent.length < this.limit) return 0;
    return Math.max(1, Math.ceil((recent[0]! + this.windowMs - now) / 1000));
  }

  record(key: string, now: number): void {
    this.events.set(key, [...this.recent(key, now), now].slice(-this.limit));
  }
}

export class SignInThrottle {
  private readonly addressFailures: WindowCounter;
  private readonly signUps: WindowCounter;
  private readonly accounts: BoundedMap<AccountState>;

  constructor(private readonly limits: ThrottleLimits = DEFAULT_THROTTLE_LIMITS) {
    this.addressFailures = new WindowCounter(limits.addressFailures, limits.addressWindowMs, limits.maxTrackedKeys);
    this.signUps = new WindowCounter(limits.signUpsPerAddress, limits.signUpWindowMs, limits.maxTrackedKeys);
    this.accounts = new BoundedMap(limits.maxTrackedKeys);
  }

  /** Whether a sign-in from `address` for `account` may have its password checked now. */
  checkSignIn(address: string, account: string, now = Date.now()): ThrottleDecision {
    const state = this.accounts.get(account);
    if (state && state.lockedUntil > now) {
      return {
        allowed: false,
        scope: "account",
        retryAfterSeconds: Math.max(1, Math.ceil((state.lockedUntil - now) / 1000)),
      };
    }
    const wait = this.addressFailures.waitSeconds(address, now);
    return wait > 0 ? { allowed: false, scope: "address", retryAfterSeconds: wait } : { allowed: true };
  }

  recordFailure(address: string, account: string, now = Date.now()): void {
    this.addressFailures.record(address, now);
    const failures = (this.accounts.get(account)?.failures ?? 0) + 1;
    const beyondFree = failures - this.limits.accountFreeFailures;
    const lockMs =
      beyondFree > 0
        ? Math.min(this.limits.accountBaseLockMs * 2 ** (beyondFree - 1), this.limits.accountMaxLockMs)
        : 0;
    this.accounts.set(account, { failures, lockedUntil: lockMs > 0 ? now + lockMs : 0 });
  }

  recordSuccess(account: string): void {
    this.accounts.delete(account);
  }

  /** Counts a sign-up from `address` if its budget allows one now. */
  admitSignUp(address: string, now = Date.now()): ThrottleDecision {
    const wait = this.signUps.waitSeconds(address, now);
    if (wait > 0) return { allowed: false, scope: "address", retryAfterSeconds: wait };
    this.signUps.record(address, now);
    return { allowed: true };
  }
}

/** The account key for an email as typed: the same normalisation as the sign-in form's. */
export function accountKey(email: unknown): string {
  return typeof email === "string" ? email.trim().toLowerCase() : "";
}
