// Two-factor authentication for the e2e specs: authenticator-app codes for known secrets (the
// demo accounts', and those set up by signUp in e2e/helpers.ts), and setting one up through the
// gallery's API. The gallery accepts each time step's code once per account, and specs in
// different workers sign in as the same demo account, so the steps handed out per secret are
// recorded in a file under a lock shared by the workers; a code one step ahead is accepted too,
// so a second sign-in within 30 seconds waits only when that is used up.
import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, type APIRequestContext } from "@playwright/test";
import { Secret, TOTP } from "otpauth";
import { DEMO_ACCOUNTS } from "@/scripts/db/demo-accounts";
import { e2ePort, sameOriginHeaders } from "./environment";

const PERIOD_MS = 30_000;
const stateDir = path.join(tmpdir(), `signet-e2e-totp-${e2ePort}`);
const secretsByEmail = new Map<string, string>(DEMO_ACCOUNTS.map((account) => [account.email, account.totpSecret]));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The authenticator-app secret the specs know for this email, if any. */
export function knownTotpSecret(email: string): string | undefined {
  return secretsByEmail.get(email.toLowerCase());
}

export function rememberTotpSecret(email: string, secret: string): void {
  secretsByEmail.set(email.toLowerCase(), secret);
}

async function withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
  mkdirSync(stateDir, { recursive: true });
  const lock = path.join(stateDir, `${name}.lock`);
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      await sleep(50);
    }
  }
  try {
    return await work();
  } finally {
    rmdirSync(lock);
  }
}

/** A code for `secret` that no spec has used yet. */
export async function nextTotpCode(secret: string): Promise<string> {
  return withLock(secret, async () => {
    const stateFile = path.join(stateDir, `${secret}.json`);
    let last = -1;
    try {
      last = (JSON.parse(readFileSync(stateFile, "utf8")) as { step: number }).step;
    } catch {
      // first code for this secret in this run
    }
    const step = Math.max(Math.floor(Date.now() / PERIOD_MS), last + 1);
    while (step > Math.floor(Date.now() / PERIOD_MS) + 1) await sleep(500);
    writeFileSync(stateFile, JSON.stringify({ step }));
    return TOTP.generate({
      secret: Secret.fromBase32(secret),
      algorithm: "SHA1",
      digits: 6,
      period: 30,
      timestamp: step * PERIOD_MS,
    });
  });
}

/**
 * Sets up an authenticator app on the signed-in account of `request` (a page's request context)
 * through the Security page's API; returns its secret and recovery codes.
 */
export async function enrolAuthenticatorApp(
  request: APIRequestContext,
  email: string,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  const started = await request.post("/api/account/authenticator-app", { headers: sameOriginHeaders });
  expect(started.status(), await started.text()).toBe(201);
  const { secret } = (await started.json()) as { secret: string };
  const confirmed = await request.put("/api/account/authenticator-app", {
    headers: sameOriginHeaders,
    data: { code: await nextTotpCode(secret) },
  });
  expect(confirmed.status(), await confirmed.text()).toBe(200);
  rememberTotpSecret(email, secret);
  return { secret, recoveryCodes: ((await confirmed.json()) as { recoveryCodes: string[] }).recoveryCodes };
}
