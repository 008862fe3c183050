// Trusted-publishing policies an account adds: which CI workflow (issuer, repository, workflow
// file, optional environment) may publish which packages (an ID, or a prefix "Contoso.*"). Keys
// a policy's tokens are exchanged for act as the account, so every push with them still passes
// the account's ownership, reservation and signing rules.
import { z } from "zod";
import type { Db } from "@/lib/db";
import { IssueError } from "@/lib/issues";

const PACKAGE_PATTERN = /^[\p{L}\p{Mn}\p{Nd}\p{Pc}.-]+\*?$/u;
const REPOSITORY = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;
const WORKFLOW = /^\.github\/workflows\/[A-Za-z0-9_.-]{1,200}\.ya?ml$/;

export const PolicyCreation = z.strictObject({
  packagePattern: z.string().trim().max(128).regex(PACKAGE_PATTERN, "The package pattern is a package ID, or a prefix ending in '*' (Contoso.*)."),
  issuer: z.string().trim().url("The issuer is the OIDC issuer's URL (https://token.actions.githubusercontent.com for GitHub Actions)."),
  repository: z.string().trim().regex(REPOSITORY, "The repository is 'owner/name'."),
  workflow: z.string().trim().regex(WORKFLOW, "The workflow is the workflow file's path in the repository, e.g. .github/workflows/release.yml."),
  environment: z.string().trim().min(1).max(255).nullish(),
});

export interface TrustedPublishingPolicyView {
  id: string;
  packagePattern: string;
  issuer: string;
  repository: string;
  workflow: string;
  environment: string | null;
  repositoryId: string | null;
  firstUsedAt: string | null;
  createdAt: string;
}

const FIELDS = { id: true, packagePattern: true, issuer: true, repository: true, workflow: true, environment: true, repositoryId: true, firstUsedAt: true, createdAt: true } as const;

function view(row: { id: string; packagePattern: string; issuer: string; repository: string; workflow: string; environment: string | null; repositoryId: string | null; firstUsedAt: Date | null; createdAt: Date }): TrustedPublishingPolicyView {
  return { ...row, firstUsedAt: row.firstUsedAt?.toISOString() ?? null, createdAt: row.createdAt.toISOString() };
}

export async function createPolicy(db: Db, userId: string, input: unknown, acceptedIssuers: readonly string[]): Promise<TrustedPublishingPolicyView> {
  const request = PolicyCreation.parse(input);
  if (!acceptedIssuers.includes(request.issuer)) {
    throw new IssueError("INVALID_FIELD", `This gallery accepts tokens from ${acceptedIssuers.join(", ")} only; '${request.issuer}' is not one of them.`);
  }
  const row = await db.trustedPublishingPolicy.create({
    data: { userId, packagePattern: request.packagePattern, issuer: request.issuer, repository: request.repository.toLowerCase(), workflow: request.workflow, environment: request.environment ?? null },
    select: FIELDS,
  });
  return view(row);
}

export async function listPolicies(db: Db, userId: string): Promise<TrustedPublishingPolicyView[]> {
  return (await db.trustedPublishingPolicy.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: FIELDS })).map(view);
}
