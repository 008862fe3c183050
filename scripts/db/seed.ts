// npm run db:seed [-- --sample-packages]: demo accounts for the embedded sample database and,
// with the flag, sample packages published through the upload pipeline. Idempotent: existing
// accounts and versions are left as they are. A real deployment creates admins with
// admin:create instead.
import { parseArgs } from "node:util";
import { hashPassword } from "@/lib/auth/password";
import { databaseUrl } from "@/lib/config";
import { createDb } from "@/lib/db";
import { getStorage, services } from "@/lib/services";
import { DEMO_ACCOUNTS } from "@/scripts/db/demo-accounts";
import { seedSamplePackages } from "@/scripts/db/sample-packages";

const { values } = parseArgs({ options: { "sample-packages": { type: "boolean", default: false } } });

const db = createDb(databaseUrl());
try {
  for (const account of DEMO_ACCOUNTS) {
    const existing = await db.user.findUnique({ where: { email: account.email } });
    if (existing) {
      console.log(`kept    ${account.email} (already exists)`);
      continue;
    }
    const { password, totpSecret, ...fields } = account;
    await db.user.create({
      data: {
        ...fields,
        passwordHash: await hashPassword(password, services.hashingGate),
        totpFactor: { create: { secret: totpSecret, confirmedAt: new Date() } },
      },
    });
    console.log(
      `created ${account.email} / ${password} (${account.role === "ADMIN" ? "admin" : "author"}; authenticator key ${totpSecret})`,
    );
  }
  if (values["sample-packages"]) {
    await seedSamplePackages(db, getStorage(), {
      adminUsername: DEMO_ACCOUNTS[0].username,
      authorUsername: DEMO_ACCOUNTS[1].username,
    });
  }
} finally {
  await db.$disconnect();
}
