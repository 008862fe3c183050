// Owners and deprecation on a real migrated database: inviting a co-owner who accepts or
// declines, removing an owner and leaving (never the last one; a removed required signer resets
// the setting and says so), unlisting from the site, and deprecation as nuget.org has it, down to
// the `deprecation` object of the registration leaf NuGet clients read.
import { beforeAll, describe, expect, it } from "vitest";
import { setRequiredSigner, type Actor } from "@/lib/certificates/required-signer";
import type { Db } from "@/lib/db";
import { setVersionListed } from "@/lib/feed/listing";
import { seedUser, seedVersion } from "@/test/support/gallery-fixtures/seed-gallery";
import { deprecateVersions, undeprecateVersions } from "@/lib/packages/deprecation";
import { DEFAULT_SEARCH, searchPackages } from "@/lib/search/search";
import {
  answerInvitation,
  cancelInvitation,
  inviteOwner,
  readOwnership,
  receivedInvitations,
  removeOwner,
} from "@/lib/owners/owners";
import { testDialects, useAppDatabase } from "@/test/db/scratch";

const ORIGIN = "http://gallery.test";

describe.each(testDialects())("owners and deprecation on %s", (dialect) => {
  const database = useAppDatabase(dialect);
  let db: Db;
  const actors: Record<"alice" | "bob" | "carol" | "mallory", Actor & { username: string }> = {
    alice: { id: "", role: "USER", username: "alice" },
    bob: { id: "", role: "USER", username: "bob" },
    carol: { id: "", role: "USER", username: "carol" },
    mallory: { id: "", role: "USER", username: "mallory" },
  };
  let indexRoute: typeof import("@/app/v3/[hive]/[id]/index.json/route");
  /** The package IDs a plain search for an owner's name finds: the index's documents hold the owners' names among their words. */
  const ownedBy = async (username: string) =>
    (await searchPackages(db, { ...DEFAULT_SEARCH, text: username })).hits.map((hit) => hit.packageId);

  beforeAll(async () => {
    db = database();
    for (const name of Object.keys(actors) as (keyof typeof actors)[]) actors[name].id = (await seedUser(db, name)).id;
    await seedVersion(db, { packageId: "Contoso.Owned", version: "1.0.0", owners: ["alice"] });
    await seedVersion(db, { packageId: "Contoso.Owned", version: "2.0.0", owners: ["alice"] });
    indexRoute = await import("@/app/v3/[hive]/[id]/index.json/route");
  }, 120_000);

  it("invites a co-owner by username, who accepts and becomes an owner; a second answer finds nothing", async () => {
    expect((await inviteOwner(db, "contoso.owned", actors.alice, "bob")).message).toContain("bob is invited");
    // Asking again changes nothing; strangers and unknown names are refused.
    await inviteOwner(db, "Contoso.Owned", actors.alice, "bob");
    await expect(inviteOwner(db, "Contoso.Owned", actors.mallory, "mallory")).rejects.toMatchObject({
      code: "PACKAGE_FORBIDDEN",
    });
    await expect(inviteOwner(db, "Contoso.Owned", actors.alice, "nobody-here")).rejects.toMatchObject({
      code: "USER_NOT_FOUND",
    });
    await expect(inviteOwner(db, "Contoso.Owned", actors.alice, "alice")).rejects.toMatchObject({
      code: "OWNER_ALREADY",
    });

    const [invitation] = await receivedInvitations(db, actors.bob.id);
    expect(invitation).toMatchObject({ packageId: "Contoso.Owned", invitedBy: "alice" });
    await expect(answerInvitation(db, actors.mallory, invitation!.id, true)).rejects.toMatchObject({
      code: "INVITATION_NOT_FOUND",
    });
    expect((await answerInvitation(db, actors.bob, invitation!.id, true)).message).toBe(
      "You now co-own 'Contoso.Owned'.",
    );
    await expect(answerInvitation(db, actors.bob, invitation!.id, true)).rejects.toMatchObject({
      code: "INVITATION_NOT_FOUND",
    });
    expect((await readOwnership(db, "Contoso.Owned", actors.bob)).owners.map((owner) => owner.username)).toEqual([
      "alice",
      "bob",
    ]);
    expect(await ownedBy("bob")).toEqual(["Contoso.Owned"]);
  });

  it("lets an invitee decline and an owner withdraw an invitation", async () => {
    await inviteOwner(db, "Contoso.Owned", actors.bob, "carol");
    const [declined] = await receivedInvitations(db, actors.carol.id);
    expect((await answerInvitation(db, actors.carol, declined!.id, false)).message).toBe(
      "You declined to co-own 'Contoso.Owned'.",
    );
    await inviteOwner(db, "Contoso.Owned", actors.bob, "carol");
    const { invitations } = await readOwnership(db, "Contoso.Owned", actors.alice);
    expect(invitations.map((entry) => entry.username)).toEqual(["carol"]);
    await cancelInvitation(db, "Contoso.Owned", actors.alice, invitations[0]!.id);
    expect(await receivedInvitations(db, actors.carol.id)).toEqual([]);
    expect((await readOwnership(db, "Contoso.Owned", actors.alice)).owners).toHaveLength(2);
    const audit = await db.auditLogEntry.findMany({
      where: { action: { startsWith: "package.owner." } },
      select: { action: true },
    });
    expect(audit.map((entry) => entry.action)).toEqual(
      expect.arrayContaining([
        "package.owner.invite",
        "package.owner.accept",
        "package.owner.decline",
        "package.owner.uninvite",
      ]),
    );
  });

  it("removes an owner and lets one leave, resetting a removed required signer, but never the last owner", async () => {
    await setRequiredSigner(db, "Contoso.Owned", actors.alice, actors.bob.id);
    const removed = await removeOwner(db, "Contoso.Owned", actors.alice, "bob");
    expect(removed.message).toContain("bob no longer owns 'Contoso.Owned'. bob was its required signer");
    expect(
      (await db.packageRegistration.findFirstOrThrow({ where: { packageIdLower: "contoso.owned" } })).requiredSignerId,
    ).toBeNull();
    await expect(removeOwner(db, "Contoso.Owned", actors.alice, "alice")).rejects.toMatchObject({ code: "LAST_OWNER" });
    expect(await ownedBy("bob")).toEqual([]);

    await inviteOwner(db, "Contoso.Owned", actors.alice, "carol");
    const [invitation] = await receivedInvitations(db, actors.carol.id);
    await answerInvitation(db, actors.carol, invitation!.id, true);
    expect((await removeOwner(db, "Contoso.Owned", actors.carol, "carol")).message).toBe(
      "You no longer own 'Contoso.Owned'.",
    );
    expect((await readOwnership(db, "Contoso.Owned", actors.alice)).owners.map((owner) => owner.username)).toEqual([
      "alice",
    ]);
  });

  it("unlists and relists from the site for an owner only, recorded like the API's", async () => {
    expect(
      await setVersionListed(db, { user: actors.alice }, { packageId: "contoso.owned", version: "1.0.0" }, false),
    ).toEqual({ packageId: "Contoso.Owned", version: "1.0.0", listed: false });
    await expect(
      setVersionListed(db, { user: actors.mallory }, { packageId: "Contoso.Owned", version: "1.0.0" }, true),
    ).rejects.toMatchObject({ code: "PACKAGE_NOT_OWNED" });
    await setVersionListed(db, { user: actors.alice }, { packageId: "Contoso.Owned", version: "1.0.0" }, true);
    const entries = await db.auditLogEntry.findMany({
      where: { action: { in: ["package.unlist", "package.relist"] } },
      orderBy: { createdAt: "asc" },
      select: { action: true, details: true },
    });
    expect(entries.map((entry) => entry.action)).toEqual(["package.unlist", "package.relist"]);
    expect(JSON.parse(entries[0]!.details)).not.toHaveProperty("apiKeyId");
  });

  it("deprecates versions with reasons, a message and an alternate, shown in the registration leaf as nuget.org writes it", async () => {
    await expect(
      deprecateVersions(db, "Contoso.Owned", actors.mallory, { versions: ["1.0.0"], reasons: ["Legacy"] }),
    ).rejects.toMatchObject({ code: "PACKAGE_FORBIDDEN" });
    await expect(
      deprecateVersions(db, "Contoso.Owned", actors.alice, {
        versions: ["1.0.0"],
        reasons: ["Legacy"],
        alternatePackageId: "Contoso.Next",
        alternateRange: "not a range",
      }),
    ).rejects.toMatchObject({
      code: "ALTERNATE_RANGE_INVALID",
    });
    await expect(
      deprecateVersions(db, "Contoso.Owned", actors.alice, { versions: ["9.9.9"], reasons: ["Legacy"] }),
    ).rejects.toMatchObject({ code: "PACKAGE_NOT_FOUND" });
    const result = await deprecateVersions(db, "Contoso.Owned", actors.alice, {
      versions: ["1.0.0"],
      reasons: ["Other", "Legacy"],
      message: "Use 2.0 or Contoso.Next.",
      alternatePackageId: "Contoso.Next",
      alternateRange: "[2.0.0, )",
    });
    expect(result.message).toBe("Contoso.Owned 1.0.0 is marked deprecated.");

    // The leaves inlined in the registration index, where clients read catalogEntry.deprecation.
    const leaf = async (version: string) => {
      const response = await indexRoute.GET(new Request(`${ORIGIN}/v3/registration/contoso.owned/index.json`), {
        params: Promise.resolve({ hive: "registration", id: "contoso.owned" }),
      });
      expect(response.status).toBe(200);
      const index = (await response.json()) as {
        items: { items: { catalogEntry: { version: string; deprecation?: unknown } }[] }[];
      };
      const found = index.items.flatMap((page) => page.items).find((item) => item.catalogEntry.version === version);
      if (!found) throw new Error(`no leaf for ${version}`);
      return found;
    };
    const deprecated = await leaf("1.0.0");
    expect(deprecated.catalogEntry.deprecation).toEqual({
      "@id": expect.stringMatching(/#deprecation$/),
      reasons: ["Legacy", "Other"],
      message: "Use 2.0 or Contoso.Next.",
      alternatePackage: {
        "@id": expect.stringMatching(/#deprecation\/alternatePackage$/),
        id: "Contoso.Next",
        range: "[2.0.0, )",
      },
    });
    expect((await leaf("2.0.0")).catalogEntry).not.toHaveProperty("deprecation");

    await undeprecateVersions(db, "Contoso.Owned", actors.alice, ["1.0.0"]);
    expect((await leaf("1.0.0")).catalogEntry).not.toHaveProperty("deprecation");
  });
});
