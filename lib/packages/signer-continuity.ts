// Signer continuity: whether a version is signed by the same author as the version of the same
// package published just before it. A new certificate is expected now and then (certificates
// expire); a new certificate that no account registered together with the old one, or a version
// that drops the author signature its predecessor had, is what a supply-chain attack looks like,
// so consumers and owners are told. Decided once, at publish, from the certificates as they were
// then registered (migration 0010 did the same for versions published before).

import type { SignerContinuity } from "@/generated/prisma/sqlite/enums";
import type { TransactionClient } from "@/generated/prisma/sqlite/internal/prismaNamespace";
import type { Db } from "@/lib/db";

export type SignerContinuityValue = SignerContinuity;

export interface ContinuityFacts {
  /** The previous version's author certificate; undefined when there is no previous version. */
  previousCertificateId: string | null | undefined;
  currentCertificateId: string | null;
  /** Some account registered both certificates. */
  sameRegisteredIdentity: boolean;
}

export function decideSignerContinuity(facts: ContinuityFacts): SignerContinuityValue {
  const { previousCertificateId: previous, currentCertificateId: current } = facts;
  if (previous === undefined) return "FIRST";
  if (previous === current) return "UNCHANGED";
  if (current === null) return "DROPPED";
  if (previous === null) return "ADDED";
  return facts.sameRegisteredIdentity ? "NEW_CERTIFICATE" : "NEW_SIGNER";
}

/** Continuity that deserves a notice, and how serious it is. */
export function continuityNotice(
  continuity: SignerContinuityValue,
  previousVersion: string | null,
): { level: "warning" | "info"; sentence: string } | null {
  const previous = previousVersion ?? "the previous version";
  switch (continuity) {
    case "NEW_SIGNER":
      return {
        level: "warning",
        sentence: `Signed by a different signer than ${previous}: no account registered this certificate together with the one that signed ${previous}.`,
      };
    case "DROPPED":
      return { level: "warning", sentence: `Not author-signed, although ${previous} was: the signature was dropped.` };
    case "NEW_CERTIFICATE":
      return {
        level: "info",
        sentence: `Signed with a new certificate, registered by an account that also registered the one that signed ${previous}.`,
      };
    case "ADDED":
      return { level: "info", sentence: `Author-signed for the first time; ${previous} was not.` };
    case "FIRST":
    case "UNCHANGED":
      return null;
  }
}

/** The continuity columns of a version about to be published under `registrationId`. */
export async function signerContinuityAtPublish(
  tx: TransactionClient,
  registrationId: string,
  currentCertificateId: string | null,
): Promise<{ signerContinuity: SignerContinuityValue; signerPreviousVersion: string | null }> {
  const previous = await tx.packageVersion.findFirst({
    where: { registrationId },
    orderBy: [{ publishedAt: "desc" }, { id: "desc" }],
    select: { version: true, signerCertificateId: true },
  });
  const previousCertificateId = previous?.signerCertificateId ?? null;
  const sharedRegistrants =
    previousCertificateId !== null && currentCertificateId !== null && previousCertificateId !== currentCertificateId
      ? await tx.registeredCertificate.count({
          where: {
            certificateId: currentCertificateId,
            user: { certificates: { some: { certificateId: previousCertificateId } } },
          },
        })
      : 0;
  return {
    signerContinuity: decideSignerContinuity({
      previousCertificateId: previous ? previous.signerCertificateId : undefined,
      currentCertificateId,
      sameRegisteredIdentity: sharedRegistrants > 0,
    }),
    signerPreviousVersion: previous?.version ?? null,
  };
}

export interface OwnedContinuityNotice {
  packageId: string;
  version: string;
  publishedAt: Date;
  continuity: SignerContinuityValue;
  previousVersion: string | null;
  notice: { level: "warning" | "info"; sentence: string };
}

const NOTICED: SignerContinuityValue[] = ["NEW_SIGNER", "DROPPED", "NEW_CERTIFICATE", "ADDED"];

/** The newest versions of the account's packages whose signer changed, for its owner to review. */
export async function listOwnedContinuityNotices(db: Db, userId: string, limit = 50): Promise<OwnedContinuityNotice[]> {
  const rows = await db.packageVersion.findMany({
    where: { signerContinuity: { in: NOTICED }, registration: { owners: { some: { userId } } } },
    orderBy: [{ publishedAt: "desc" }, { id: "desc" }],
    take: limit,
    select: {
      version: true,
      publishedAt: true,
      signerContinuity: true,
      signerPreviousVersion: true,
      registration: { select: { packageId: true } },
    },
  });
  return rows.flatMap((row) => {
    const notice = continuityNotice(row.signerContinuity, row.signerPreviousVersion);
    return notice
      ? [
          {
            packageId: row.registration.packageId,
            version: row.version,
            publishedAt: row.publishedAt,
            continuity: row.signerContinuity,
            previousVersion: row.signerPreviousVersion,
            notice,
          },
        ]
      : [];
  });
}
