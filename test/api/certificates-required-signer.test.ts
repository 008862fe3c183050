// The required-signer setting on a real migrated database: who may read and change it, that only
// an owner can be named, and that the policy sentence follows the owners' certificates.
import { beforeAll, describe, expect, it } from "vitest";
import { registerFingerprint } from "@/lib/certificates/registry";
import { readRequiredSignerSetting, setRequiredSigner, type Actor } from "@/lib/certificates/required-signer";
import type { Db } from "@/lib/db";
import { testDialects, useMigratedDatabase } from "@/test/db/scratch";

describe.each(testDialects())("required signer on %s", (dialect) => {
  const database = useMigratedDatabase(dialect);
  let db: Db;
  const actors: Record<"alice" | "bob" | "mallory" | "admin", Actor> = {
    alice: { id: "", role: "USER" },
    bob: { id: "", role: "USER" },
    mallory: { id: "", role: "USER" },
    admin: { id: "", role: "ADMIN" },
  };

  beforeAll(async () => {
    db = database();
    for (const name of Object.keys(actors) as (keyof typeof actors)[]) {
      actors[name].id = (
        await db.user.create({ data: { email: `${name}@example.test`, username: name, role: actors[name].role } })
      ).id;
    }
    await db.packageRegistration.create({
      data: {
        packageId: "Contoso.Lib",
        packageIdLower: "contoso.lib",
        owners: { create: [{ userId: actors.alice.id }, { userId: actors.bob.id }] },
      },
    });
    await registerFingerprint(db, actors.alice.id, "aa".repeat(32));
  });

  it("shows owners the setting, with what it means today", async () => {
    const setting = await readRequiredSignerSetting(db, "contoso.lib", actors.bob);
    expect(setting).toMatchObject({ packageId: "Contoso.Lib", requiredSignerId: null });
    expect(setting.owners.map((owner) => owner.username)).toEqual(["alice", "bob"]);
    expect(setting.policySentence).toBe(
      "Packages may be unsigned, or signed with a certificate registered to 'alice'.",
    );
  });

  it("lets an owner name another owner, and clear it again", async () => {
    const named = await setRequiredSigner(db, "Contoso.Lib", actors.bob, actors.alice.id);
    expect(named.requiredSignerId).toBe(actors.alice.id);
    expect(named.policySentence).toBe("Packages must be signed with a certificate registered to 'alice'.");
    expect((await setRequiredSigner(db, "Contoso.Lib", actors.alice, null)).requiredSignerId).toBeNull();
  });

  it("refuses a signer who is not an owner", async () => {
    await expect(setRequiredSigner(db, "Contoso.Lib", actors.alice, actors.mallory.id)).rejects.toMatchObject({
      code: "REQUIRED_SIGNER_NOT_OWNER",
    });
  });

  it("keeps non-owners out, lets admins in, and says when the package does not exist", async () => {
    await expect(readRequiredSignerSetting(db, "Contoso.Lib", actors.mallory)).rejects.toMatchObject({
      code: "PACKAGE_FORBIDDEN",
    });
    await expect(setRequiredSigner(db, "Contoso.Lib", actors.mallory, actors.mallory.id)).rejects.toMatchObject({
      code: "PACKAGE_FORBIDDEN",
    });
    expect((await setRequiredSigner(db, "Contoso.Lib", actors.admin, actors.bob.id)).requiredSignerId).toBe(
      actors.bob.id,
    );
    await expect(readRequiredSignerSetting(db, "No.Such.Package", actors.alice)).rejects.toMatchObject({
      code: "PACKAGE_NOT_FOUND",
    });
  });
});
