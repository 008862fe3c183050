import type { Db } from "@/lib/db";

export interface RecentPackageVersion {
  packageId: string;
  version: string;
  description: string;
  authors: string;
  signatureStatus: "UNSIGNED" | "VALID" | "INVALID";
  signedAt: Date | null;
  /** The author signer certificate, for the badge; null when unsigned or repository-signed. */
  signerCertificate: { subject: string | null; compromisedAt: Date | null } | null;
  publishedAt: Date;
}

/** The latest listed versions, newest first, for the home page. */
export async function listRecentVersions(db: Db, take: number): Promise<RecentPackageVersion[]> {
  const versions = await db.packageVersion.findMany({
    where: { listed: true },
    orderBy: { publishedAt: "desc" },
    take,
    select: {
      version: true,
      description: true,
      authors: true,
      signatureStatus: true,
      signedAt: true,
      signerCertificate: { select: { subject: true, compromisedAt: true } },
      publishedAt: true,
      registration: { select: { packageId: true } },
    },
  });
  return versions.map(({ registration, ...version }) => ({ packageId: registration.packageId, ...version }));
}

export interface GalleryCounts {
  /** Package IDs with at least one listed version. */
  packages: number;
  listedVersions: number;
  signedVersions: number;
}

export async function countGallery(db: Db): Promise<GalleryCounts> {
  const [packages, listedVersions, signedVersions] = await Promise.all([
    db.packageRegistration.count({ where: { versions: { some: { listed: true } } } }),
    db.packageVersion.count({ where: { listed: true } }),
    db.packageVersion.count({ where: { listed: true, signatureStatus: "VALID" } }),
  ]);
  return { packages, listedVersions, signedVersions };
}
