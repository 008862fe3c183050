import type { Prisma } from "@/generated/prisma/sqlite/client";
import type { Db } from "@/lib/db";
import { signedWhileCompromisedWhere } from "@/lib/packages/proven-signing-time";

/**
 * How many of the versions `where` selects were signed while their certificate was compromised
 * (signedWhileCompromised, in SQL). Compromise marks are few: one count per marked certificate.
 */
export async function countVersionsSignedWhileCompromised(db: Db, where: Prisma.PackageVersionWhereInput): Promise<number> {
  const marked = await db.certificate.findMany({ where: { compromisedAt: { not: null } }, select: { id: true, compromisedAt: true } });
  const counts = await Promise.all(
    marked.flatMap(({ id, compromisedAt }) => (compromisedAt ? [db.packageVersion.count({ where: { AND: [where, signedWhileCompromisedWhere(id, compromisedAt)] } })] : [])),
  );
  return counts.reduce((total, count) => total + count, 0);
}

export interface GalleryCounts {
  /** Package IDs with at least one listed version. */
  packages: number;
  listedVersions: number;
  /** Listed versions a badge shows as trusted: validly signed, and not by a certificate compromised by then. */
  signedVersions: number;
}

const LISTED_VALID: Prisma.PackageVersionWhereInput = { listed: true, signatureStatus: "VALID" };

export async function countGallery(db: Db): Promise<GalleryCounts> {
  const [packages, listedVersions, validVersions, compromisedVersions] = await Promise.all([
    db.packageRegistration.count({ where: { versions: { some: { listed: true } } } }),
    db.packageVersion.count({ where: { listed: true } }),
    db.packageVersion.count({ where: LISTED_VALID }),
    countVersionsSignedWhileCompromised(db, LISTED_VALID),
  ]);
  return { packages, listedVersions, signedVersions: validVersions - compromisedVersions };
}
