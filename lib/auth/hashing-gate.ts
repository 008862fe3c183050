// A bound on password hashing. scrypt at the cost in lib/auth/password.ts takes tens of
// milliseconds of a core and 32 MiB; unbounded, a burst of sign-ins or sign-ups takes every
// core and page responses wait behind it. At most `maxActive` hashes run at once and at most
// `maxWaiting` wait for a turn; beyond that the caller is told to come back (HashingBusyError),
// which costs nothing.

export class HashingBusyError extends Error {
  constructor() {
    super("Too many password checks are waiting; try again in a moment.");
    this.name = "HashingBusyError";
  }
}

export class ConcurrencyGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly maxActive: number,
    private readonly maxWaiting: number,
  ) {}

  /** Whether a new caller would be turned away right now. */
  get saturated(): boolean {
    return this.active >= this.maxActive && this.waiting.length >= this.maxWaiting;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.maxActive) {
      if (this.waiting.length >= this.maxWaiting) throw new HashingBusyError();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active += 1;
    }
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next waiter, or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}
