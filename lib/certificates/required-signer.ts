// The per-package "required signer" setting: null lets any owner's registered certificate sign
// the package; a user id limits signing to that owner's certificates. Only owners (and admins)
// may read or change it, and only an owner can be named.

import type { Db } from "@/lib/db";
import { IssueError } from "@/lib/issues";
import { identityRule } from "@/lib/validation/rules/stored-identity";
import type { PossessionProofName, SignerIdentityKindName, SigningAccount } from "@/lib/validation/rules/signer-rules";
import { describeSigningPolicy } from "@/lib/validation/rules/signing-requirements";

export interface Actor {
  id: string;
  role: "USER" | "ADMIN";
}

export interface RequiredSignerSetting {
  packageId: string;
  owners: { userId: string; username: string }[];
  requiredSignerId: string | null;
  /** What the setting means for pushes today, in one sentence (from the upload rules). */
  policySentence: string;
}

/** What a query selects of an account so that `signingAccount` can describe it. */
export const SIGNING_ACCOUNT_FIELDS = {
  id: true,
  username: true,
  certificates: { select: { id: true, provenBy: true, certificate: { select: { sha256Fingerprint: true } } } },
  signerIdentities: {
    select: { id: true, kind: true, caFingerprint: true, subjectFields: true, identityOid: true, provenBy: true },
  },
} as const;

export interface SigningAccountRow {
  id: string;
  username: string;
  certificates: { id: string; provenBy: PossessionProofName | null; certificate: { sha256Fingerprint: string } }[];
  signerIdentities: {
    id: string;
    kind: SignerIdentityKindName;
    caFingerprint: string;
    subjectFields: string;
    identityOid: string | null;
    provenBy: PossessionProofName | null;
  }[];
}

export function signingAccount(account: SigningAccountRow): SigningAccount {
  return {
    userId: account.id,
    username: account.username,
    signers: [
      ...account.certificates.map((registration) => ({
        kind: "certificate" as const,
        id: registration.id,
        fingerprint: registration.certificate.sha256Fingerprint,
        proof: registration.provenBy,
      })),
      ...account.signerIdentities.map((identity) => ({
        kind: "identity" as const,
        id: identity.id,
        rule: identityRule(identity),
        proof: identity.provenBy,
      })),
    ],
  };
}

async function loadPackage(db: Db, packageId: string, actor: Actor) {
  const registration = await db.packageRegistration.findUnique({
    where: { packageIdLower: packageId.toLowerCase() },
    select: {
      id: true,
      packageId: true,
      requiredSignerId: true,
      requiredSigner: { select: SIGNING_ACCOUNT_FIELDS },
      owners: { orderBy: { createdAt: "asc" }, select: { user: { select: SIGNING_ACCOUNT_FIELDS } } },
    },
  });
  if (!registration) throw new IssueError("PACKAGE_NOT_FOUND", `There is no package '${packageId}'.`);
  const isOwner = registration.owners.some((owner) => owner.user.id === actor.id);
  if (!isOwner && actor.role !== "ADMIN")
    throw new IssueError(
      "PACKAGE_FORBIDDEN",
      `Only owners of '${registration.packageId}' can manage its signing settings.`,
    );
  return registration;
}

/** The package's required-signer setting, for one of its owners or an admin. */
export async function readRequiredSignerSetting(
  db: Db,
  packageId: string,
  actor: Actor,
): Promise<RequiredSignerSetting> {
  const registration = await loadPackage(db, packageId, actor);
  const owners = registration.owners.map((owner) => signingAccount(owner.user));
  const policy = describeSigningPolicy({
    owners,
    ...(registration.requiredSigner ? { requiredSigner: signingAccount(registration.requiredSigner) } : {}),
  });
  return {
    packageId: registration.packageId,
    owners: owners.map(({ userId, username }) => ({ userId, username })),
    requiredSignerId: registration.requiredSignerId,
    policySentence: policy.sentence,
  };
}

/** Sets (a user id) or clears (null) the required signer; the named user must be an owner. */
export async function setRequiredSigner(
  db: Db,
  packageId: string,
  actor: Actor,
  signerId: string | null,
): Promise<RequiredSignerSetting> {
  const registration = await loadPackage(db, packageId, actor);
  if (signerId !== null && !registration.owners.some((owner) => owner.user.id === signerId)) {
    throw new IssueError(
      "REQUIRED_SIGNER_NOT_OWNER",
      `The required signer must be one of the owners of '${registration.packageId}'.`,
    );
  }
  await db.packageRegistration.update({ where: { id: registration.id }, data: { requiredSignerId: signerId } });
  return readRequiredSignerSetting(db, packageId, actor);
}
