// Passkeys and security keys (WebAuthn) through @simplewebauthn/server: the stronger second
// factor, bound to this site's origin so a look-alike site cannot relay it. The relying party
// is the host the browser is on (a browser will only use a credential there), and responses
// must come from one of the gallery's own origins (lib/http/same-origin.ts).
//
// Challenges live in memory for five minutes and are used once; like the sign-in throttle this
// assumes the one gallery process, and the map is bounded.
import { randomBytes } from "node:crypto";
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { z } from "zod";
import type { CurrentUser } from "@/lib/auth/current-user";
import { BoundedMap } from "@/lib/auth/throttle";
import type { Db } from "@/lib/db";
import { siteOrigins } from "@/lib/http/same-origin";
import { IssueError } from "@/lib/issues";

const CHALLENGE_TTL_MS = 5 * 60_000;
const RP_NAME = "Signet";

export interface RelyingParty {
  id: string;
  origins: string[];
}

/** The relying party for a request: its host name, and the gallery's origins. */
export function relyingPartyFor(headers: Headers, requestUrl?: string): RelyingParty {
  const origins = [...siteOrigins(headers, requestUrl)];
  const first = origins[0];
  if (!first) throw new IssueError("INVALID_REQUEST", "The request names no host.");
  return { id: new URL(first).hostname, origins };
}

interface PendingChallenge {
  challenge: string;
  purpose: "register" | "authenticate";
  userId: string | null;
  expiresAt: number;
}

/** The challenges sent and not yet answered (the process's one is built in lib/services.ts); bounded. */
export class PasskeyChallenges {
  private readonly pending = new BoundedMap<PendingChallenge>(10_000);

  remember(challenge: string, purpose: PendingChallenge["purpose"], userId: string | null): string {
    const challengeId = randomBytes(16).toString("base64url");
    this.pending.set(challengeId, { challenge, purpose, userId, expiresAt: Date.now() + CHALLENGE_TTL_MS });
    return challengeId;
  }

  /** The challenge for this id, used up; it must be for this purpose and (if bound) this user. */
  take(challengeId: string, purpose: PendingChallenge["purpose"], userId: string): string {
    const pending = this.pending.get(challengeId);
    this.pending.delete(challengeId);
    if (
      !pending ||
      pending.purpose !== purpose ||
      pending.expiresAt < Date.now() ||
      (pending.userId !== null && pending.userId !== userId)
    ) {
      throw new IssueError("PASSKEY_CHALLENGE_EXPIRED", "The passkey request expired or was already used. Try again.");
    }
    return pending.challenge;
  }
}

export const PasskeyResponse = z.object({
  challengeId: z.string().min(1).max(100),
  response: z.looseObject({ id: z.string().max(1_400), type: z.literal("public-key") }),
});

export async function passkeyRegistrationOptions(
  db: Db,
  challenges: PasskeyChallenges,
  user: CurrentUser,
  rp: RelyingParty,
): Promise<{ challengeId: string; options: PublicKeyCredentialCreationOptionsJSON }> {
  const existing = await db.webAuthnCredential.findMany({
    where: { userId: user.id },
    select: { id: true, transports: true },
  });
  const options = await generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: rp.id,
    userName: user.email,
    userDisplayName: user.displayName ?? user.username,
    userID: new TextEncoder().encode(user.id),
    attestationType: "none",
    excludeCredentials: existing.map((credential) => ({
      id: credential.id,
      transports: transportsOf(credential.transports),
    })),
    authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
  });
  return { challengeId: challenges.remember(options.challenge, "register", user.id), options };
}

function transportsOf(stored: string | null): string[] | undefined {
  return stored ? stored.split(",") : undefined;
}

const PasskeyName = z
  .string()
  .trim()
  .min(1, "Give the passkey a name, so you can tell it apart later.")
  .max(60, "Passkey names are at most 60 characters.");

export async function registerPasskey(
  db: Db,
  challenges: PasskeyChallenges,
  user: CurrentUser,
  rp: RelyingParty,
  input: unknown,
): Promise<{ id: string; name: string }> {
  const body = PasskeyResponse.extend({ name: PasskeyName }).parse(input);
  const expectedChallenge = challenges.take(body.challengeId, "register", user.id);
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response: body.response as unknown as RegistrationResponseJSON,
      expectedChallenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.id,
      requireUserVerification: false,
    });
  } catch (error) {
    throw new IssueError(
      "PASSKEY_REJECTED",
      `The passkey could not be registered: ${error instanceof Error ? error.message : "its response is not valid"}.`,
    );
  }
  if (!verification.verified)
    throw new IssueError("PASSKEY_REJECTED", "The passkey could not be registered: its response did not verify.");
  const { credential } = verification.registrationInfo;
  await db.webAuthnCredential.create({
    data: {
      id: credential.id,
      userId: user.id,
      name: body.name,
      publicKey: new Uint8Array(credential.publicKey),
      counter: credential.counter,
      transports: credential.transports?.join(",") ?? null,
    },
  });
  return { id: credential.id, name: body.name };
}

/**
 * Options for proving a passkey. With a user (asking again during a session) the browser is
 * offered that account's credentials; at sign-in it is offered whatever passkeys it holds for
 * this site, and the response is checked against the account whose password was given.
 */
export async function passkeyAuthenticationOptions(
  db: Db,
  challenges: PasskeyChallenges,
  rp: RelyingParty,
  userId: string | null,
): Promise<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }> {
  const allowCredentials = userId
    ? (await db.webAuthnCredential.findMany({ where: { userId }, select: { id: true, transports: true } })).map(
        (credential) => ({ id: credential.id, transports: transportsOf(credential.transports) }),
      )
    : undefined;
  const options = await generateAuthenticationOptions({ rpID: rp.id, allowCredentials, userVerification: "preferred" });
  return { challengeId: challenges.remember(options.challenge, "authenticate", userId), options };
}

/** Whether the response proves one of this user's passkeys; the credential's counter moves on. */
export async function verifyPasskey(
  db: Db,
  challenges: PasskeyChallenges,
  userId: string,
  rp: RelyingParty,
  input: unknown,
): Promise<boolean> {
  const parsed = PasskeyResponse.safeParse(input);
  if (!parsed.success) return false;
  const expectedChallenge = challenges.take(parsed.data.challengeId, "authenticate", userId);
  const response = parsed.data.response as unknown as AuthenticationResponseJSON;
  const stored = await db.webAuthnCredential.findUnique({ where: { id: response.id } });
  if (!stored || stored.userId !== userId) return false;
  try {
    const { verified, authenticationInfo } = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.id,
      credential: {
        id: stored.id,
        publicKey: new Uint8Array(stored.publicKey),
        counter: stored.counter,
        transports: transportsOf(stored.transports),
      },
      requireUserVerification: false,
    });
    if (!verified) return false;
    await db.webAuthnCredential.update({
      where: { id: stored.id },
      data: { counter: authenticationInfo.newCounter, lastUsedAt: new Date() },
    });
    return true;
  } catch {
    return false;
  }
}
