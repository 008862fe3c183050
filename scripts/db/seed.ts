// npm run db:seed: demo accounts for the embedded sample database. Idempotent: existing
// accounts are left as they are. A real deployment creates admins with admin:create instead.
import { hashPassword } from "@/lib/auth/password";
import { databaseUrl } from "@/lib/config";
import { createDb } from "@/lib/db";
import { DEMO_ACCOUNTS } from "@/scripts/db/demo-accounts";

const db = createDb(databaseUrl());
try {
  for (const account of DEMO_ACCOUNTS) {
    const existing = await db.user.findUnique({ where: { email: account.email } });
    if (existing) {
      console.log(`kept    ${account.email} (already exists)`);
      continue;
    }
    const { password, ...fields } = account;
    await db.user.create({ data: { ...fields, passwordHash: await hashPassword(password) } });
    console.log(`created ${account.email} / ${password} (${account.role === "ADMIN" ? "admin" : "author"})`);
  }
} finally {
  await db.$disconnect();
}
