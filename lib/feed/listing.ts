// Unlisting and relisting through the push API (`dotnet nuget delete`, which NuGet galleries
// treat as unlist) or a package's manage page. Only the package's owners may; through the API,
// with a key that has the unlist scope and covers the ID. Each change is recorded in the audit log, and in the publication log when it
// changes the version's state.
import type { ApiKeyGrant } from "@/lib/validation/rules/api-key";
import type { Db } from "@/lib/db";
import { IssueError } from "@/lib/issues";
import { logListingChange } from "@/lib/tlog/record";
import { refreshSearchDocuments } from "@/lib/search/search-index";
import { apiKeyAllows } from "@/lib/validation/rules/api-key";
import { normalizeVersion, parseVersion } from "@/lib/versioning/version";

export interface ListingChange {
  packageId: string;
  version: string;
  listed: boolean;
}

/** Who asks: an owner signed in on the site, or an API key's owner (then `grant` is the key). */
export interface ListingCaller {
  user: { id: string; username: string };
  grant?: ApiKeyGrant & { id: string };
}

export async function setVersionListed(
  db: Db,
  caller: ListingCaller,
  address: { packageId: string; version: string },
  listed: boolean,
  now = new Date(),
): Promise<ListingChange> {
  const versionLower = normalizeVersion(parseVersion(address.version)).toLowerCase();
  const version = await db.packageVersion.findFirst({
    where: { registration: { packageIdLower: address.packageId.toLowerCase() }, versionLower },
    select: {
      id: true,
      version: true,
      listed: true,
      registrationId: true,
      registration: { select: { packageId: true, owners: { select: { userId: true } } } },
    },
  });
  if (!version) {
    throw new IssueError(
      "PACKAGE_NOT_FOUND",
      `A package with ID '${address.packageId}' and version '${address.version}' does not exist.`,
    );
  }
  const { packageId, owners } = version.registration;
  const [refusal] = caller.grant ? apiKeyAllows(caller.grant, { action: "unlist", packageId, now }) : [];
  if (refusal) throw new IssueError(refusal.code, refusal.message);
  if (!owners.some((owner) => owner.userId === caller.user.id)) {
    throw new IssueError(
      "PACKAGE_NOT_OWNED",
      `You are not an owner of '${packageId}', so you cannot unlist or relist its versions.`,
    );
  }
  await db.$transaction(async (tx) => {
    await tx.packageVersion.update({ where: { id: version.id }, data: { listed } });
    await tx.auditLogEntry.create({
      data: {
        actorId: caller.user.id,
        action: listed ? "package.relist" : "package.unlist",
        targetType: "PackageVersion",
        targetId: version.id,
        details: JSON.stringify({
          packageId,
          version: version.version,
          ...(caller.grant ? { apiKeyId: caller.grant.id } : {}),
        }),
        createdAt: now,
      },
    });
    if (version.listed !== listed)
      await logListingChange(tx, { packageId, version: version.version, listed, by: caller.user.username, time: now });
    await refreshSearchDocuments(tx, [version.registrationId]);
  });
  return { packageId, version: version.version, listed };
}
