import { Prisma } from "@/generated/prisma/sqlite/client";
import type { Db } from "@/lib/db";

/**
 * How many of the versions `where` selects were signed while their certificate was compromised
 * (signedWhileCompromised, in SQL). Compromise marks are few: one count per marked certificate.
 */
export async function countVersionsSignedWhileCompromised(
  db: Db,
  where: Prisma.PackageVersionWhereInput,
): Promise<number> {
  const marked = await db.certificate.findMany({
    where: { compromisedAt: { not: null } },
    select: { id: true, compromisedAt: true },
  });
  const counts = await Promise.all(
    marked.flatMap(({ id, compromisedAt }) =>
      compromisedAt
        ? [db.packageVersion.count({ where: { AND: [where, signedWhileCompromisedWhere(id, compromisedAt)] } })]
        : [],
    ),
  );
  return counts.reduce((total, count) => total + count, 0);
}

/** signedWhileCompromised as a database condition on the versions one certificate signed. */
export function signedWhileCompromisedWhere(
  signerCertificateId: string,
  compromisedAt: Date,
): Prisma.PackageVersionWhereInput {
  return { signerCertificateId, provenSigningTime: { gte: compromisedAt } };
}
