// What publishing a signed version teaches the gallery about its signer, written in the
// publishing transaction: a registration proven by this (first) push becomes proven, a
// certificate let through by a signer identity is recorded under it, the certificate is marked
// seen, and the package's owners are told when a certificate signs it for the first time.
import type { TransactionClient } from "@/generated/prisma/sqlite/internal/prismaNamespace";
import { displayFingerprint } from "@/lib/certificates/fingerprint";
import { enqueueOutbox } from "@/lib/outbox/outbox";
import type { CertificateSummary } from "@/lib/signing/report";
import type { SignerAuthorization } from "@/lib/validation/rules/signer-rules";
import { formatDistinguishedName } from "@/lib/signing/distinguished-name";

export interface SignedPublication {
  authorization: SignerAuthorization | null;
  signer: CertificateSummary;
  signerCertificateId: string;
  registrationId: string;
  packageId: string;
  version: string;
  now: Date;
}

async function markProvenByPush(tx: TransactionClient, authorization: SignerAuthorization, now: Date): Promise<void> {
  const data = { provenBy: "FIRST_PUSH" as const, provenAt: now };
  if (authorization.via === "certificate")
    await tx.registeredCertificate.updateMany({ where: { id: authorization.registrationId, provenBy: null }, data });
  else await tx.signerIdentity.updateMany({ where: { id: authorization.registrationId, provenBy: null }, data });
}

async function recordUnderIdentity(
  tx: TransactionClient,
  identityId: string,
  certificateId: string,
  now: Date,
): Promise<void> {
  const known = await tx.signerIdentityCertificate.findUnique({
    where: { identityId_certificateId: { identityId, certificateId } },
    select: { identityId: true },
  });
  if (!known) await tx.signerIdentityCertificate.create({ data: { identityId, certificateId, firstSeenAt: now } });
}

/** Call before the version row is created: whether this certificate is new to the package. */
export async function isNewSignerOfPackage(
  tx: TransactionClient,
  registrationId: string,
  signerCertificateId: string,
): Promise<boolean> {
  const [versions, signedByIt] = await Promise.all([
    tx.packageVersion.count({ where: { registrationId } }),
    tx.packageVersion.count({ where: { registrationId, signerCertificateId } }),
  ]);
  return versions > 0 && signedByIt === 0;
}

export async function recordSignedPublication(
  tx: TransactionClient,
  publication: SignedPublication,
  newSigner: boolean,
): Promise<void> {
  const { authorization, signerCertificateId, now } = publication;
  if (authorization?.provesNow) await markProvenByPush(tx, authorization, now);
  if (authorization?.via === "identity")
    await recordUnderIdentity(tx, authorization.registrationId, signerCertificateId, now);
  await tx.certificate.updateMany({
    where: { id: signerCertificateId, firstSeenAt: null },
    data: { firstSeenAt: now },
  });
  if (!newSigner) return;
  const owners = await tx.packageOwner.findMany({
    where: { registrationId: publication.registrationId },
    select: { userId: true },
  });
  const { signer } = publication;
  const allowedBy = authorization
    ? ` It was accepted because '${authorization.username}' registered ${authorization.identityLabel ? `the signer identity ${authorization.identityLabel}` : "this certificate"}.`
    : "";
  await enqueueOutbox(
    tx,
    owners.map((owner) => ({
      userId: owner.userId,
      kind: "signer.new" as const,
      subject: `New signer on ${publication.packageId}`,
      body: `${publication.packageId} ${publication.version} is signed with a certificate no earlier version of it was signed with: ${formatDistinguishedName(signer.subject)}, issued by ${formatDistinguishedName(signer.issuer)}, SHA-256 ${displayFingerprint(signer.sha256Fingerprint)}.${allowedBy} If you did not expect this, review the package's owners and registered certificates.`,
    })),
  );
}
