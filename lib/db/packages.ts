import type { Db } from "@/lib/db";

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
