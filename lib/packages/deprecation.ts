// Deprecating versions as nuget.org does: an owner marks one or more versions with one or more
// reasons (Legacy, CriticalBugs, Other), an optional message and an optional alternate package
// (an ID, with a version range or any version). The package pages show it, and the registration
// feed carries it as `deprecation` on each leaf's catalogEntry, the shape NuGet clients read
// (`dotnet list package --deprecated`, Visual Studio).
import { z } from "zod";
import { recordAuditEntry } from "@/lib/audit";
import type { Db } from "@/lib/db";
import { isErrorIssue, IssueError } from "@/lib/issues";
import type { Actor } from "@/lib/certificates/required-signer";
import { checkPackageId } from "@/lib/validation/rules/package-identity";
import { formatVersionRange, parseVersionRange } from "@/lib/versioning/range";
import { normalizeVersion, parseVersion } from "@/lib/versioning/version";
import { sortByVersionDescending } from "./latest-version";

/** NuGet's reasons, in the order nuget.org lists them. */
export const DEPRECATION_REASONS = ["Legacy", "CriticalBugs", "Other"] as const;
export type DeprecationReason = (typeof DEPRECATION_REASONS)[number];

export const DEPRECATION_REASON_LABELS: Readonly<Record<DeprecationReason, string>> = {
  Legacy: "Legacy: no longer maintained",
  CriticalBugs: "Has critical bugs that make it unusable",
  Other: "Other",
};

/** nuget.org's limit for the message. */
export const MAX_DEPRECATION_MESSAGE = 4000;

export interface Deprecation {
  reasons: DeprecationReason[];
  message: string | null;
  /** The package to use instead; range null means any version. */
  alternatePackage: { id: string; range: string | null } | null;
}

export const DeprecationRequest = z.strictObject({
  versions: z.array(z.string().min(1).max(200)).min(1).max(1000),
  reasons: z.array(z.enum(DEPRECATION_REASONS)).min(1, "Choose at least one reason.").max(DEPRECATION_REASONS.length),
  message: z.string().max(MAX_DEPRECATION_MESSAGE).optional(),
  alternatePackageId: z.string().max(200).optional(),
  alternateRange: z.string().max(200).optional(),
});
export type DeprecationRequest = z.infer<typeof DeprecationRequest>;

/** The stored comma list back as reasons, in NuGet's order; unknown words are left out. */
function readReasons(stored: string): DeprecationReason[] {
  const words = new Set(stored.split(","));
  return DEPRECATION_REASONS.filter((reason) => words.has(reason));
}

export function deprecationOf(row: {
  reasons: string;
  message: string | null;
  alternatePackageId: string | null;
  alternateRange: string | null;
}): Deprecation {
  return {
    reasons: readReasons(row.reasons),
    message: row.message,
    alternatePackage: row.alternatePackageId ? { id: row.alternatePackageId, range: row.alternateRange } : null,
  };
}

/** `deprecation` of a registration leaf's catalogEntry, as nuget.org writes it. */
export function registrationDeprecation(leafUrl: string, deprecation: Deprecation) {
  const id = `${leafUrl}#deprecation`;
  return {
    "@id": id,
    reasons: deprecation.reasons,
    ...(deprecation.message ? { message: deprecation.message } : {}),
    ...(deprecation.alternatePackage
      ? {
          alternatePackage: {
            "@id": `${id}/alternatePackage`,
            id: deprecation.alternatePackage.id,
            range: deprecation.alternatePackage.range ?? "*",
          },
        }
      : {}),
  };
}

/** One sentence for a page: "Deprecated: legacy, has critical bugs. Use X (any version) instead." */
export function describeDeprecation(deprecation: Deprecation): string {
  const reasons = deprecation.reasons
    .map((reason) => DEPRECATION_REASON_LABELS[reason].split(":")[0]?.toLowerCase() ?? reason)
    .join(", ");
  const alternate = deprecation.alternatePackage
    ? ` Use ${deprecation.alternatePackage.id} (${deprecation.alternatePackage.range ? `versions ${deprecation.alternatePackage.range}` : "any version"}) instead.`
    : "";
  return `Deprecated by its owners (${reasons}).${alternate}`;
}

function normalizedAlternate(request: DeprecationRequest): { id: string; range: string | null } | null {
  const id = request.alternatePackageId?.trim() ?? "";
  const rangeText = request.alternateRange?.trim() ?? "";
  if (id === "") {
    if (rangeText !== "")
      throw new IssueError("ALTERNATE_PACKAGE_MISSING", "A version range needs an alternate package ID to apply to.");
    return null;
  }
  const [problem] = checkPackageId(id, "alternate package");
  if (problem) throw new IssueError(isErrorIssue(problem) ? problem.code : "INVALID_FIELD", problem.message);
  if (rangeText === "" || rangeText === "*") return { id, range: null };
  try {
    return { id, range: formatVersionRange(parseVersionRange(rangeText)) };
  } catch (failure) {
    if (failure instanceof IssueError)
      throw new IssueError(
        "ALTERNATE_RANGE_INVALID",
        `'${rangeText}' is not a NuGet version or range (examples: 2.0.0, [2.0.0, 3.0.0), or * for any version).`,
      );
    throw failure;
  }
}

async function ownedVersions(db: Db, packageId: string, actor: Actor, versions: readonly string[]) {
  const registration = await db.packageRegistration.findUnique({
    where: { packageIdLower: packageId.toLowerCase() },
    select: { id: true, packageId: true, owners: { select: { userId: true } } },
  });
  if (!registration) throw new IssueError("PACKAGE_NOT_FOUND", `There is no package '${packageId}'.`);
  if (!registration.owners.some((owner) => owner.userId === actor.id) && actor.role !== "ADMIN") {
    throw new IssueError("PACKAGE_FORBIDDEN", `Only owners of '${registration.packageId}' can deprecate its versions.`);
  }
  const lower = versions.map((version) => {
    try {
      return normalizeVersion(parseVersion(version)).toLowerCase();
    } catch (failure) {
      if (failure instanceof IssueError)
        throw new IssueError("VERSION_INVALID", `'${version}' is not a NuGet version.`);
      throw failure;
    }
  });
  const rows = await db.packageVersion.findMany({
    where: { registrationId: registration.id, versionLower: { in: lower } },
    select: { id: true, version: true, versionLower: true },
  });
  const missing = lower.filter((version) => !rows.some((row) => row.versionLower === version));
  if (missing.length > 0)
    throw new IssueError("PACKAGE_NOT_FOUND", `'${registration.packageId}' has no version ${missing.join(", ")}.`);
  return { registration, rows };
}

/** Marks the versions deprecated (replacing any earlier deprecation of them). */
export async function deprecateVersions(
  db: Db,
  packageId: string,
  actor: Actor,
  request: DeprecationRequest,
  now = new Date(),
): Promise<{ message: string }> {
  const alternate = normalizedAlternate(request);
  const { registration, rows } = await ownedVersions(db, packageId, actor, request.versions);
  if (alternate && alternate.id.toLowerCase() === registration.packageId.toLowerCase() && alternate.range === null) {
    throw new IssueError(
      "ALTERNATE_PACKAGE_SELF",
      "A package cannot be its own alternate for any version; name a version range, or another package.",
    );
  }
  const reasons = DEPRECATION_REASONS.filter((reason) => request.reasons.includes(reason));
  const data = {
    reasons: reasons.join(","),
    message: request.message?.trim() || null,
    alternatePackageId: alternate?.id ?? null,
    alternateRange: alternate?.range ?? null,
    deprecatedById: actor.id,
    updatedAt: now,
  };
  await db.$transaction(async (tx) => {
    for (const row of rows)
      await tx.packageDeprecation.upsert({
        where: { versionId: row.id },
        create: { versionId: row.id, ...data },
        update: data,
      });
    await recordAuditEntry(tx, {
      actorId: actor.id,
      action: "package.deprecate",
      targetType: "PackageRegistration",
      targetId: registration.id,
      details: {
        packageId: registration.packageId,
        versions: rows.map((row) => row.version),
        ...data,
        deprecatedById: undefined,
        updatedAt: undefined,
      },
    });
  });
  return {
    message: `${registration.packageId} ${rows.map((row) => row.version).join(", ")} ${rows.length === 1 ? "is" : "are"} marked deprecated.`,
  };
}

/** Takes the deprecation off the versions. */
export async function undeprecateVersions(
  db: Db,
  packageId: string,
  actor: Actor,
  versions: readonly string[],
): Promise<{ message: string }> {
  const { registration, rows } = await ownedVersions(db, packageId, actor, versions);
  await db.$transaction(async (tx) => {
    await tx.packageDeprecation.deleteMany({ where: { versionId: { in: rows.map((row) => row.id) } } });
    await recordAuditEntry(tx, {
      actorId: actor.id,
      action: "package.undeprecate",
      targetType: "PackageRegistration",
      targetId: registration.id,
      details: { packageId: registration.packageId, versions: rows.map((row) => row.version) },
    });
  });
  return {
    message: `${registration.packageId} ${rows.map((row) => row.version).join(", ")} ${rows.length === 1 ? "is" : "are"} no longer deprecated.`,
  };
}

export interface ManagedVersion {
  version: string;
  listed: boolean;
  deprecation: Deprecation | null;
}

/** Every version with its listing and deprecation, newest first, for the manage page (whose reader the caller has checked). */
export async function readManagedVersions(db: Db, packageId: string): Promise<ManagedVersion[]> {
  const rows = await db.packageVersion.findMany({
    where: { registration: { packageIdLower: packageId.toLowerCase() } },
    select: {
      version: true,
      listed: true,
      deprecation: { select: { reasons: true, message: true, alternatePackageId: true, alternateRange: true } },
    },
  });
  return sortByVersionDescending(rows).map((row) => ({
    version: row.version,
    listed: row.listed,
    deprecation: row.deprecation ? deprecationOf(row.deprecation) : null,
  }));
}

/** One version's deprecation, for its package page; null when it is not deprecated. */
export async function readDeprecation(db: Db, versionId: string): Promise<Deprecation | null> {
  const row = await db.packageDeprecation.findUnique({
    where: { versionId },
    select: { reasons: true, message: true, alternatePackageId: true, alternateRange: true },
  });
  return row ? deprecationOf(row) : null;
}
