// The upload judge's records (lib/validation/records.ts), read from the gallery's database.
import { SIGNING_ACCOUNT_FIELDS, signingAccount } from "@/lib/certificates/required-signer";
import type { Db } from "@/lib/db";
import { IssueError } from "@/lib/issues";
import type { JudgeRecords, PackageRecords } from "@/lib/validation/records";

export function judgeRecordsFrom(db: Db): JudgeRecords {
  return {
    async packageRecords(packageId: string, version: string, uploaderId: string): Promise<PackageRecords> {
      const packageIdLower = packageId.toLowerCase();
      const [registration, uploader, reservations] = await Promise.all([
        db.packageRegistration.findUnique({
          where: { packageIdLower },
          select: {
            requiredSigner: { select: SIGNING_ACCOUNT_FIELDS },
            owners: { orderBy: { createdAt: "asc" }, select: { user: { select: SIGNING_ACCOUNT_FIELDS } } },
            versions: { where: { versionLower: version.toLowerCase() }, select: { id: true } },
          },
        }),
        db.user.findUnique({ where: { id: uploaderId }, select: SIGNING_ACCOUNT_FIELDS }),
        db.prefixReservation.findMany({
          // Every reservation that could match is a prefix of the ID (or the ID itself).
          where: { patternLower: { in: Array.from(packageIdLower, (_, index) => packageIdLower.slice(0, index + 1)) } },
          select: { pattern: true, isPrefix: true, isPublic: true, owners: { select: { userId: true } } },
        }),
      ]);
      if (!uploader) throw new IssueError("UPLOADER_NOT_FOUND", "The account this upload belongs to no longer exists.");
      return {
        registration: registration && {
          owners: registration.owners.map((owner) => signingAccount(owner.user)),
          requiredSigner: registration.requiredSigner ? signingAccount(registration.requiredSigner) : null,
          versionExists: registration.versions.length > 0,
        },
        uploader: signingAccount(uploader),
        reservations: reservations.map((reservation) => ({
          pattern: reservation.pattern,
          isPrefix: reservation.isPrefix,
          isPublic: reservation.isPublic,
          ownerIds: reservation.owners.map((owner) => owner.userId),
        })),
      };
    },

    async certificateCompromise(sha256Fingerprint: string) {
      const certificate = await db.certificate.findUnique({
        where: { sha256Fingerprint: sha256Fingerprint.toLowerCase() },
        select: { compromisedAt: true, compromisedReason: true },
      });
      return certificate?.compromisedAt
        ? { compromisedAt: certificate.compromisedAt, reason: certificate.compromisedReason }
        : null;
    },

    async signerHistory(sha256Fingerprint: string, identityMatchKeys: readonly string[]) {
      const [certificate, seenIdentities] = await Promise.all([
        db.certificate.findUnique({
          where: { sha256Fingerprint: sha256Fingerprint.toLowerCase() },
          select: {
            _count: { select: { signedVersions: true } },
            registrations: { where: { provenBy: { not: null } }, select: { id: true }, take: 1 },
          },
        }),
        identityMatchKeys.length === 0
          ? []
          : db.signerIdentity.findMany({
              where: {
                matchKey: { in: [...identityMatchKeys] },
                OR: [{ provenBy: { not: null } }, { certificates: { some: {} } }],
              },
              select: { matchKey: true },
            }),
      ]);
      const certificateFirstSeen =
        !certificate || (certificate._count.signedVersions === 0 && certificate.registrations.length === 0);
      return { certificateFirstSeen, identitiesSeen: new Set(seenIdentities.map((identity) => identity.matchKey)) };
    },
  };
}
