// Password hashing with scrypt (node:crypto), a fresh salt per password, and the parameters
// stored beside the hash so they can be raised later without breaking existing accounts.
// Every hash waits for a turn at the gate it is given (lib/auth/hashing-gate.ts; the process's one
// is built in lib/services.ts), so hashing cannot take the server's every core; callers get
// HashingBusyError when too many are already waiting.
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from "node:crypto";
import type { ConcurrencyGate } from "@/lib/auth/hashing-gate";

const scrypt = (gate: ConcurrencyGate, password: string, salt: Buffer, keyLength: number, options: ScryptOptions) =>
  gate.run(
    () =>
      new Promise<Buffer>((resolve, reject) =>
        scryptCallback(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))),
      ),
  );

// OWASP's scrypt recommendation (N=2^17 is stronger but too slow for the sign-in path here).
const COST = 2 ** 15;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
// scrypt needs 128*N*r bytes; Node's default ceiling (32 MiB) is exactly that, so allow headroom.
const MAX_MEMORY = 128 * COST * BLOCK_SIZE * 2;

/** "scrypt$N$r$p$salt$hash" with salt and hash in base64url. */
export async function hashPassword(password: string, gate: ConcurrencyGate): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const hash = await scrypt(gate, password, salt, KEY_LENGTH, {
    N: COST,
    r: BLOCK_SIZE,
    p: PARALLELISM,
    maxmem: MAX_MEMORY,
  });
  return ["scrypt", COST, BLOCK_SIZE, PARALLELISM, salt.toString("base64url"), hash.toString("base64url")].join("$");
}

export async function verifyPassword(password: string, stored: string, gate: ConcurrencyGate): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every(Number.isSafeInteger)) return false;
  const salt = Buffer.from(parts[4] ?? "", "base64url");
  const expected = Buffer.from(parts[5] ?? "", "base64url");
  if (salt.length === 0 || expected.length === 0) return false;
  const actual = await scrypt(gate, password, salt, expected.length, { N, r, p, maxmem: 128 * N * r * 2 });
  return timingSafeEqual(actual, expected);
}

// Checked against when no account matches, so a wrong email costs as long as a wrong password
// and response times do not reveal which emails have accounts.
let decoyHash: Promise<string> | undefined;

/** Costs what checking a password costs, and never matches. */
export async function spendPasswordCheckTime(password: string, gate: ConcurrencyGate): Promise<false> {
  decoyHash ??= hashPassword(randomBytes(16).toString("hex"), gate);
  await verifyPassword(password, await decoyHash, gate);
  return false;
}
