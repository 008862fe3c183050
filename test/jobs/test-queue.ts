// The gallery's queue for each database, with the short leases and polls a test can wait for.
import type { Db } from "@/lib/db";
import { DatabaseJobQueue } from "@/lib/jobs/database-queue";
import { PgBossJobQueue } from "@/lib/jobs/pg-boss-queue";
import type { JobQueue } from "@/lib/jobs/queue";

export function testJobQueue(dialect: "sqlite" | "postgresql", db: Db, url: string): JobQueue {
  return dialect === "postgresql"
    ? new PgBossJobQueue(url, { heartbeatSeconds: 10, pollSeconds: 0.5, superviseSeconds: 1 })
    : new DatabaseJobQueue(db, { leaseMs: 1_000, pollMs: 50 });
}
