// npm run admin:create -- <email>: makes that account an administrator, creating it with a
// random password (printed once) when it does not exist yet.
import { grantAdmin } from "@/lib/auth/accounts";
import { databaseUrl } from "@/lib/config";
import { createDb } from "@/lib/db";
import { IssueError } from "@/lib/issues";
import { services } from "@/lib/services";

const email = process.argv[2];
if (!email || process.argv.length > 3) {
  console.error("usage: npm run admin:create -- <email>");
  process.exit(2);
}

const db = createDb(databaseUrl());
try {
  const { user, generatedPassword } = await grantAdmin(db, email, services.hashingGate);
  if (generatedPassword) {
    console.log(`Created admin ${user.email} (username ${user.username}).`);
    console.log(`Password (shown once, change it after signing in): ${generatedPassword}`);
  } else {
    console.log(`${user.email} is now an admin.`);
  }
} catch (error) {
  if (!(error instanceof IssueError)) throw error;
  console.error(`${error.code}: ${error.message}`);
  process.exitCode = 1;
} finally {
  await db.$disconnect();
}
