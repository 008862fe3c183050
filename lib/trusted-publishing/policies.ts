// Trusted-publishing policies an owner adds: which CI job (issuer, repository or GitLab project,
// workflow file or GitLab CI configuration, optional environment) may publish which packages (an
// ID, or a prefix "Contoso.*"). Only for packages the account may publish: an ID it owns (or one
// nobody has published yet, outside anyone else's reservation), or a prefix inside a reservation
// it owns. Keys a policy's tokens are exchanged for act as the account, so every push with them
// still passes the account's ownership, reservation and signing rules.
import { z } from "zod";
import type { CiPlatform, TrustedIssuer } from "@/lib/config";
import type { Db } from "@/lib/db";
import { IssueError } from "@/lib/issues";

const PACKAGE_PATTERN = /^[\p{L}\p{Mn}\p{Nd}\p{Pc}.-]+\*?$/u;
// Path segments cannot hold "/", so each pattern below reads a path in one pass.
const GITHUB_REPOSITORY = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;
const GITHUB_WORKFLOW = /^\.github\/workflows\/[A-Za-z0-9_.-]{1,200}\.ya?ml$/;
const GITLAB_PROJECT = /^[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)+$/;
const GITLAB_CONFIG = /^(?:[A-Za-z0-9_.-]+\/)*[A-Za-z0-9_.-]+\.ya?ml$/;

export const PolicyCreation = z.strictObject({
  packagePattern: z
    .string()
    .trim()
    .min(1, "Name a package ID, or a prefix ending in '*' (Contoso.*).")
    .max(128, "The package pattern is at most 128 characters.")
    .regex(PACKAGE_PATTERN, "The package pattern is a package ID, or a prefix ending in '*' (Contoso.*)."),
  issuer: z.string().trim().max(500),
  repository: z
    .string()
    .trim()
    .min(1, "Name the repository (GitHub 'owner/name') or project (GitLab 'group/project').")
    .max(255, "The repository or project path is at most 255 characters."),
  workflow: z
    .string()
    .trim()
    .min(1, "Name the workflow file (GitHub) or CI configuration file (GitLab).")
    .max(255, "The workflow or CI configuration path is at most 255 characters."),
  environment: z
    .string()
    .trim()
    .max(255, "The environment name is at most 255 characters.")
    .transform((value) => (value === "" ? null : value))
    .nullish(),
});

export interface TrustedPublishingPolicyView {
  id: string;
  packagePattern: string;
  issuer: string;
  platform: CiPlatform | null;
  repository: string;
  workflow: string;
  environment: string | null;
  /** GitHub repository_id / GitLab project_id, once first used. */
  repositoryId: string | null;
  /** GitHub repository_owner_id / GitLab namespace_id, once first used. */
  repositoryOwnerId: string | null;
  firstUsedAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}

const FIELDS = {
  id: true,
  packagePattern: true,
  issuer: true,
  repository: true,
  workflow: true,
  environment: true,
  repositoryId: true,
  repositoryOwnerId: true,
  firstUsedAt: true,
  lastUsedAt: true,
  createdAt: true,
} as const;

type PolicyRow = Omit<TrustedPublishingPolicyView, "platform" | "firstUsedAt" | "lastUsedAt" | "createdAt"> & {
  firstUsedAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
};

function view(row: PolicyRow, issuers: readonly TrustedIssuer[]): TrustedPublishingPolicyView {
  return {
    ...row,
    platform: issuers.find((issuer) => issuer.url === row.issuer)?.platform ?? null,
    firstUsedAt: row.firstUsedAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

function invalid(message: string): IssueError {
  return new IssueError("INVALID_FIELD", message);
}

/** The repository and workflow as the platform writes them, or a sentence saying what is wrong. */
function checkWorkload(platform: CiPlatform, repository: string, workflow: string): void {
  if (platform === "github") {
    if (!GITHUB_REPOSITORY.test(repository))
      throw invalid(`The repository is GitHub's 'owner/name' (for example contoso/lib), not '${repository}'.`);
    if (!GITHUB_WORKFLOW.test(workflow))
      throw invalid(
        `The workflow is the workflow file's path in the repository, such as .github/workflows/release.yml, not '${workflow}'.`,
      );
    return;
  }
  if (
    !GITLAB_PROJECT.test(repository) ||
    repository.split("/").some((segment) => segment === "." || segment === "..")
  ) {
    throw invalid(
      `The project is GitLab's project path 'group/project' (subgroups allowed: group/subgroup/project), not '${repository}'.`,
    );
  }
  if (!GITLAB_CONFIG.test(workflow) || workflow.split("/").some((segment) => segment === "." || segment === "..")) {
    throw invalid(`The CI configuration is the file's path in the project, such as .gitlab-ci.yml, not '${workflow}'.`);
  }
}

/** Refuses a pattern for packages the account may not publish. */
async function checkOwnership(db: Db, userId: string, packagePattern: string): Promise<void> {
  const isPrefix = packagePattern.endsWith("*");
  const stem = (isPrefix ? packagePattern.slice(0, -1) : packagePattern).toLowerCase();
  // Reservations that cover the pattern: exact ones equal to an ID, prefix ones at the start of it.
  const covering = await db.prefixReservation.findMany({
    where: { patternLower: { in: Array.from(stem, (_, index) => stem.slice(0, index + 1)) } },
    select: {
      pattern: true,
      patternLower: true,
      isPrefix: true,
      isPublic: true,
      owners: { where: { userId }, select: { userId: true } },
    },
  });
  const applicable = covering.filter(
    (reservation) => reservation.isPrefix || (!isPrefix && reservation.patternLower === stem),
  );
  if (isPrefix) {
    if (applicable.some((reservation) => reservation.isPrefix && reservation.owners.length > 0)) return;
    throw new IssueError(
      "TRUSTED_PUBLISHING_NOT_OWNER",
      `A policy for the prefix ${packagePattern} needs a prefix reservation of yours that covers it, and you hold none; add a policy for each package ID you own instead, or ask an administrator to reserve the prefix for you.`,
    );
  }
  const registration = await db.packageRegistration.findUnique({
    where: { packageIdLower: stem },
    select: { packageId: true, owners: { where: { userId }, select: { userId: true } } },
  });
  if (registration) {
    if (registration.owners.length > 0) return;
    throw new IssueError(
      "TRUSTED_PUBLISHING_NOT_OWNER",
      `You are not an owner of ${registration.packageId}, so you cannot let a CI workflow publish it.`,
    );
  }
  // A package nobody has published yet: its first push registers it, unless another account's private reservation covers it.
  if (applicable.some((reservation) => reservation.owners.length > 0)) return;
  const closed = applicable.find((reservation) => !reservation.isPublic);
  if (!closed) return;
  throw new IssueError(
    "TRUSTED_PUBLISHING_NOT_OWNER",
    `${packagePattern} lies inside the reservation ${closed.pattern}${closed.isPrefix ? "*" : ""}, which belongs to other accounts.`,
  );
}

export async function createPolicy(
  db: Db,
  userId: string,
  input: unknown,
  acceptedIssuers: readonly TrustedIssuer[],
): Promise<TrustedPublishingPolicyView> {
  const request = PolicyCreation.parse(input);
  const issuer = acceptedIssuers.find((accepted) => accepted.url === request.issuer.replace(/\/+$/, ""));
  if (!issuer) {
    throw invalid(
      `This gallery accepts tokens from ${acceptedIssuers.map((accepted) => accepted.url).join(", ")} only; '${request.issuer}' is not one of them.`,
    );
  }
  checkWorkload(issuer.platform, request.repository, request.workflow);
  await checkOwnership(db, userId, request.packagePattern);
  const row = await db.trustedPublishingPolicy.create({
    data: {
      userId,
      packagePattern: request.packagePattern,
      issuer: issuer.url,
      repository: request.repository.toLowerCase(),
      workflow: request.workflow,
      environment: request.environment ?? null,
    },
    select: FIELDS,
  });
  return view(row, acceptedIssuers);
}

export async function listPolicies(
  db: Db,
  userId: string,
  issuers: readonly TrustedIssuer[],
): Promise<TrustedPublishingPolicyView[]> {
  return (
    await db.trustedPublishingPolicy.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: FIELDS })
  ).map((row) => view(row, issuers));
}

/**
 * Removes one of the account's policies, and the unused keys its tokens were exchanged for: a
 * policy is removed when the workflow should no longer publish, so its keys stop at once too.
 */
export async function removePolicy(db: Db, userId: string, policyId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const { count } = await tx.trustedPublishingPolicy.deleteMany({ where: { id: policyId, userId } });
    if (count === 0)
      throw new IssueError("TRUSTED_PUBLISHING_POLICY_NOT_FOUND", "No such trusted-publishing policy on your account.");
    // The key's provenance (JSON written by exchange.ts) names its policy; policy IDs are cuids.
    await tx.apiKey.deleteMany({
      where: {
        userId,
        singleUse: true,
        usedAt: null,
        provenance: { contains: `"policyId":${JSON.stringify(policyId)}` },
      },
    });
  });
}
