// Versions published before the publication log existed have no entry (migration 0009 adds the
// column empty for them). `npm run db:migrate` logs them here, oldest first, each in its own
// transaction with the column that names its entry, so a half-finished run simply resumes.

import type { Db } from "@/lib/db";
import type { SignatureReport } from "@/lib/signing/report";
import { logPublication } from "./record";

const BATCH = 100;

/** Logs every version that has no publication entry yet; returns how many it logged. */
export async function logUnloggedVersions(db: Db): Promise<number> {
  let logged = 0;
  for (;;) {
    const rows = await db.packageVersion.findMany({
      where: { logIndex: null },
      orderBy: [{ publishedAt: "asc" }, { id: "asc" }],
      take: BATCH,
      select: {
        id: true,
        registrationId: true,
        version: true,
        sha512: true,
        uploadedSha512: true,
        signatureReport: true,
        publishedAt: true,
        registration: { select: { packageId: true } },
      },
    });
    if (rows.length === 0) return logged;
    for (const row of rows) {
      await db.$transaction(async (tx) => {
        const logIndex = await logPublication(tx, {
          registrationId: row.registrationId,
          packageId: row.registration.packageId,
          version: row.version,
          publishedSha512: row.sha512,
          // Files were published as uploaded until the gallery signed them itself.
          uploadedSha512: row.uploadedSha512 ?? row.sha512,
          report: row.signatureReport ? (JSON.parse(row.signatureReport) as SignatureReport) : null,
          time: row.publishedAt,
        });
        // Only while still unlogged: if a second migrator got here first, this transaction
        // (entry included) rolls back and the run stops; running it again resumes.
        const { count } = await tx.packageVersion.updateMany({
          where: { id: row.id, logIndex: null },
          data: { logIndex },
        });
        if (count !== 1)
          throw new Error(
            `${row.registration.packageId} ${row.version} was logged by another run meanwhile; run db:migrate again.`,
          );
      });
      logged += 1;
    }
  }
}
