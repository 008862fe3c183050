// The figures on the /admin landing page: what is waiting for an admin, and how big things are.
import type { Db } from "@/lib/db";

export interface AdminDashboardCounts {
  rejectedUploads: number;
  reservations: number;
  certificates: number;
  compromisedCertificates: number;
  users: number;
  admins: number;
  lockedUsers: number;
  auditEntriesLastWeek: number;
}

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

export async function getDashboardCounts(db: Db, now = new Date()): Promise<AdminDashboardCounts> {
  const [rejectedUploads, reservations, certificates, compromisedCertificates, users, admins, lockedUsers, auditEntriesLastWeek] = await Promise.all([
    db.uploadAttempt.count({ where: { status: "REJECTED" } }),
    db.prefixReservation.count(),
    db.certificate.count(),
    db.certificate.count({ where: { compromisedAt: { not: null } } }),
    db.user.count(),
    db.user.count({ where: { role: "ADMIN" } }),
    db.user.count({ where: { lockedAt: { not: null } } }),
    db.auditLogEntry.count({ where: { createdAt: { gte: new Date(now.getTime() - WEEK_MS) } } }),
  ]);
  return { rejectedUploads, reservations, certificates, compromisedCertificates, users, admins, lockedUsers, auditEntriesLastWeek };
}
