// npm run db:migrate: applies pending migrations to DATABASE_URL (default ./data/signet.db).
import { databaseUrl } from "@/lib/config";
import { migrateDatabase } from "@/lib/db/migrate";

const applied = await migrateDatabase(databaseUrl());
console.log(applied.length > 0 ? `Applied migrations: ${applied.join(", ")}` : "Database is up to date.");
