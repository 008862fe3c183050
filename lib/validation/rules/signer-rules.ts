// "Is this signer allowed for this account?" — pure rules over what an account registered and
// what the package's signature shows. judge-upload asks them for every owner of a package.
//
// An account registers signers of two kinds:
//   - a certificate (by file or SHA-256 fingerprint), and
//   - a signer identity, for short-lived certificates: a CA certificate the signer's chain must
//     pass through (by fingerprint), plus either subject attributes that stay the same from one
//     certificate to the next, or the subscriber identity EKU Azure Trusted Signing (now Artifact
//     Signing) puts in every certificate of one identity validation.
// A registration lets packages through once the account has proven it holds the key: by signing
// a one-time challenge (lib/identity/possession.ts), or by pushing the first package the gallery
// ever sees signed with that key ("first push"). Anyone can download a public certificate and
// register it; only the key holder can sign a fresh challenge. A first push is weaker (someone
// could re-push a package signed elsewhere that this gallery has not seen), so it counts only
// while nobody else has shown the key here, and the package page says which proof stood behind
// each version (lib/packages/signer-proof.ts).

import type { SignerIdentityFacts } from "@/lib/signing/report";
import { formatNameAttributes } from "@/lib/signing/distinguished-name";

export type PossessionProofName = "CHALLENGE" | "FIRST_PUSH";
export type SignerIdentityKindName = "ISSUER_SUBJECT" | "TRUSTED_SIGNING_EKU";

/**
 * Azure Trusted Signing (renamed Artifact Signing) marks its certificates with the EKU
 * 1.3.6.1.4.1.311.97.1.0 and carries the durable subscriber identity as a second EKU under
 * 1.3.6.1.4.1.311.97 (e.g. 1.3.6.1.4.1.311.97.990309390.766961637.194916062.941502583), which
 * stays the same across the 72-hour certificates of one identity validation. Sources: Microsoft
 * Learn, "Trusted Signing certificate management" (concept-trusted-signing-cert-management:
 * "Subscriber identity validation Extended Key Usage (EKU) for durable identity pinning"), and
 * NuGet's accepted design "Improve support for NuGet packages that are signed with a Trusted
 * Signing certificate" (NuGet/Home accepted/2024, PR #13791, for NuGetGallery#10027).
 */
export const TRUSTED_SIGNING_MARKER_EKU = "1.3.6.1.4.1.311.97.1.0";
export const TRUSTED_SIGNING_EKU_ARC = "1.3.6.1.4.1.311.97.";

export interface SubjectField {
  type: string;
  value: string;
}

export interface IdentityRule {
  kind: SignerIdentityKindName;
  /** SHA-256 (lower-case hex) of a CA certificate above the signer in its chain. */
  caFingerprint: string;
  /** ISSUER_SUBJECT: attributes the signer's subject must carry with exactly these values. */
  subjectFields: readonly SubjectField[];
  /** TRUSTED_SIGNING_EKU: the subscriber identity EKU. */
  identityOid: string | null;
}

export type RegisteredSigner =
  | { kind: "certificate"; id: string; fingerprint: string; proof: PossessionProofName | null }
  | { kind: "identity"; id: string; rule: IdentityRule; proof: PossessionProofName | null };

export interface SigningAccount {
  userId: string;
  username: string;
  signers: readonly RegisteredSigner[];
}

/** What the package's author signature shows about its signer, and what the gallery has seen. */
export interface SignerFacts {
  /** SHA-256 (hex) of the signing certificate. */
  fingerprint: string;
  /** SHA-256 (hex) of every certificate above the signer in the chain the engine built. */
  caFingerprints: readonly string[];
  identity: SignerIdentityFacts | null;
  /** No published version was signed with this certificate and nobody proved holding it. */
  certificateFirstSeen: boolean;
  /** Match keys of identities under which a certificate was already seen or proven. */
  identitiesSeen: ReadonlySet<string>;
}

export interface SignerAuthorization {
  userId: string;
  username: string;
  via: "certificate" | "identity";
  /** The certificate registration's or signer identity's id. */
  registrationId: string;
  /** For identities: what it matches, in words. */
  identityLabel: string | null;
  /** How the account proved it holds the key; for a first push, this push. */
  proof: PossessionProofName;
  /** This push is the proof: the registration becomes proven when the version is published. */
  provesNow: boolean;
}

export function normalizeFingerprint(fingerprint: string): string {
  return fingerprint.replace(/[\s:]/g, "").toLowerCase();
}

/** The subscriber identity EKU of a Trusted Signing certificate (not the marker), if it has exactly one. */
export function trustedSigningIdentity(facts: SignerIdentityFacts | null): string | null {
  const identities = (facts?.extendedKeyUsages ?? []).filter(
    (oid) => oid.startsWith(TRUSTED_SIGNING_EKU_ARC) && oid !== TRUSTED_SIGNING_MARKER_EKU,
  );
  return identities.length === 1 ? (identities[0] ?? null) : null;
}

/** Whether a certificate with these facts belongs to the identity. */
export function identityMatches(rule: IdentityRule, signer: Pick<SignerFacts, "caFingerprints" | "identity">): boolean {
  if (!signer.caFingerprints.some((fingerprint) => normalizeFingerprint(fingerprint) === rule.caFingerprint))
    return false;
  if (rule.kind === "TRUSTED_SIGNING_EKU")
    return rule.identityOid !== null && trustedSigningIdentity(signer.identity) === rule.identityOid;
  const attributes = signer.identity?.subjectAttributes ?? [];
  return (
    rule.subjectFields.length > 0 &&
    rule.subjectFields.every((field) => {
      const values = attributes
        .filter((attribute) => attribute.type === field.type)
        .map((attribute) => attribute.value);
      // One value per named type: a certificate with two O= attributes is not the same identity.
      return values.length === 1 && values[0] === field.value;
    })
  );
}

/** One canonical string per identity (kind, CA, fields sorted), so an account registers it once. */
export function identityMatchKey(rule: IdentityRule): string {
  const fields = [...rule.subjectFields]
    .sort((a, b) => a.type.localeCompare(b.type))
    .map((field) => `${field.type}=${field.value}`);
  return JSON.stringify([
    rule.kind,
    rule.caFingerprint,
    rule.kind === "TRUSTED_SIGNING_EKU" ? rule.identityOid : fields,
  ]);
}

/** "CN=Contoso, O=Contoso Ltd under CA 1A:2B…" in one line, for lists and package pages. */
export function identityLabel(rule: IdentityRule): string {
  const ca = `CA ${rule.caFingerprint.slice(0, 16).toUpperCase()}…`;
  if (rule.kind === "TRUSTED_SIGNING_EKU") return `Trusted Signing identity ${rule.identityOid ?? "?"} under ${ca}`;
  return `${formatNameAttributes(rule.subjectFields)} under ${ca}`;
}

function matchingSigners(account: SigningAccount, signer: SignerFacts): RegisteredSigner[] {
  const fingerprint = normalizeFingerprint(signer.fingerprint);
  return account.signers.filter((registered) =>
    registered.kind === "certificate"
      ? normalizeFingerprint(registered.fingerprint) === fingerprint
      : identityMatches(registered.rule, signer),
  );
}

function authorization(
  account: SigningAccount,
  registered: RegisteredSigner,
  proof: PossessionProofName,
  provesNow: boolean,
): SignerAuthorization {
  return {
    userId: account.userId,
    username: account.username,
    via: registered.kind,
    registrationId: registered.id,
    identityLabel: registered.kind === "identity" ? identityLabel(registered.rule) : null,
    proof,
    provesNow,
  };
}

export type SignerDecision =
  | { allowed: true; authorization: SignerAuthorization }
  /** The account registered this signer but has not proven it, and this push cannot prove it. */
  | { allowed: false; unproven: RegisteredSigner }
  | { allowed: false; unproven: null };

/**
 * Whether `account` may sign with this signer: a proven matching registration (a certificate
 * before an identity), else an unproven one that this push proves because the gallery has
 * never seen the key (for an identity: no certificate of it seen before, this one included).
 */
export function decideSigner(account: SigningAccount, signer: SignerFacts): SignerDecision {
  const matches = matchingSigners(account, signer);
  const proven =
    matches.find((registered) => registered.proof !== null && registered.kind === "certificate") ??
    matches.find((registered) => registered.proof !== null);
  if (proven?.proof) return { allowed: true, authorization: authorization(account, proven, proven.proof, false) };
  const provable = matches.find((registered) =>
    registered.kind === "certificate"
      ? signer.certificateFirstSeen
      : signer.certificateFirstSeen && !signer.identitiesSeen.has(identityMatchKey(registered.rule)),
  );
  if (provable) return { allowed: true, authorization: authorization(account, provable, "FIRST_PUSH", true) };
  return { allowed: false, unproven: matches[0] ?? null };
}
