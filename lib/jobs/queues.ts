// Which queue the gallery uses: pg-boss on PostgreSQL, the BackgroundJob table and an in-process
// runner on SQLite.
import { databaseDialect, databaseUrl } from "@/lib/config";
import type { Db } from "@/lib/db";
import { DatabaseJobQueue } from "./database-queue";
import { PgBossJobQueue } from "./pg-boss-queue";
import type { JobQueue } from "./queue";

export type { JobQueue } from "./queue";

export function createJobQueue(db: Db, url = databaseUrl()): JobQueue {
  return databaseDialect(url) === "postgresql" ? new PgBossJobQueue(url) : new DatabaseJobQueue(db);
}
