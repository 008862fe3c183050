import type { Db } from "@/lib/db";

export interface RecentPackageVersion {
  packageId: string;
  version: string;
  description: string;
  authors: string;
  signatureStatus: "UNSIGNED" | "VALID" | "INVALID";
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
      publishedAt: true,
      registration: { select: { packageId: true } },
    },
  });
  return versions.map(({ registration, ...version }) => ({ packageId: registration.packageId, ...version }));
}
