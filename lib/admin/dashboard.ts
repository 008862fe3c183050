// The figures on the /admin landing page: what is waiting for an admin, and how big things are.
import type { Db } from "@/lib/db";
import { countVersionsSignedWhileCompromised } from "@/lib/db/packages";

export interface AdminDashboardCounts {
  rejectedUploads: number;
  /** Refused uploads whose files are kept in quarantine, and those files' total size. */
  quarantinedFiles: number;
  quarantineBytes: number;
  reservations: number;
  certificates: number;
  compromisedCertificates: number;
  /** Published versions proven signed at or after their certificate's compromise (each carries a warning). */
  compromisedVersions: number;
  users: number;
  admins: number;
  lockedUsers: number;
  auditEntriesLastWeek: number;
}

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

export async function getDashboardCounts(db: Db, now = new Date()): Promise<AdminDashboardCounts> {
  const [
    rejectedUploads,
    quarantine,
    reservations,
    certificates,
    compromisedCertificates,
    compromisedVersions,
    users,
    admins,
    lockedUsers,
    auditEntriesLastWeek,
  ] = await Promise.all([
    db.uploadAttempt.count({ where: { status: "REJECTED" } }),
    db.uploadAttempt.aggregate({
      where: { status: "REJECTED", storageKey: { not: null } },
      _count: true,
      _sum: { fileSize: true },
    }),
    db.prefixReservation.count(),
    db.certificate.count(),
    db.certificate.count({ where: { compromisedAt: { not: null } } }),
    countVersionsSignedWhileCompromised(db, {}),
    db.user.count(),
    db.user.count({ where: { role: "ADMIN" } }),
    db.user.count({ where: { lockedAt: { not: null } } }),
    db.auditLogEntry.count({ where: { createdAt: { gte: new Date(now.getTime() - WEEK_MS) } } }),
  ]);
  const quarantinedFiles = quarantine._count;
  const quarantineBytes = quarantine._sum.fileSize ?? 0;
  return {
    rejectedUploads,
    quarantinedFiles,
    quarantineBytes,
    reservations,
    certificates,
    compromisedCertificates,
    compromisedVersions,
    users,
    admins,
    lockedUsers,
    auditEntriesLastWeek,
  };
}
