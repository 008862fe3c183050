// Trusted publishing (issue 17, part 3): a CI job exchanges its OIDC token for a single-use API
// key valid for one hour, scoped to the packages of the policy its token satisfies.
//
// The token is verified with `jose`: the issuer's discovery document names its JWKS; signature,
// issuer, audience (this gallery's), expiry and not-before are checked there. Then the claims
// its CI system puts in its tokens (claims.ts: GitHub Actions or GitLab) are matched against the
// owner's policies: the repository (GitHub "owner/name", GitLab project path), the workflow file
// (GitHub) or CI configuration file (GitLab), and the environment when the policy names one. A
// policy binds to the numeric repository and owner IDs (GitHub repository_id and
// repository_owner_id, GitLab project_id and namespace_id) the first time it is used, so a
// repository deleted and recreated under the same name (new IDs) cannot use it. A token
// exchanges once (issuer + jti are recorded until it expires).
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from "jose";
import { z } from "zod";
import type { CiPlatform, TrustedIssuer } from "@/lib/config";
import { generateApiKeySecret, displayedKeyPrefix, hashApiKeySecret } from "@/lib/api-keys/secret";
import type { Db } from "@/lib/db";
import { IssueError } from "@/lib/issues";
import { deliverOutboxSoon } from "@/lib/outbox/delivery";
import { enqueueOutbox } from "@/lib/outbox/outbox";
import { REQUIRED_CLAIMS, workloadFromClaims, type Workload } from "./claims";

export const TRUSTED_PUBLISHING_KEY_LIFETIME_MS = 60 * 60_000;
/** Tokens longer than this are not OIDC ID tokens (GitHub's are about 1.5 KB). */
export const MAX_TOKEN_LENGTH = 16 * 1024;

export interface TrustedPublishingSettings {
  /** The audience tokens must name: this gallery's. */
  audience: string;
  /** Issuers the gallery accepts at all (a policy names one of them), with their CI system. */
  issuers: readonly TrustedIssuer[];
  now?: Date;
}

/** What a version published with a trusted-publishing key records and its page shows. */
export interface TrustedPublishingProvenance {
  policyId: string;
  platform: CiPlatform;
  issuer: string;
  repository: string;
  repositoryId: string;
  workflow: string;
  ref: string | null;
  sha: string | null;
  environment: string | null;
  runId: string | null;
  runAttempt: string | null;
  jobId: string | null;
}

const jwksByIssuer = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

async function jwksFor(issuer: string): Promise<ReturnType<typeof createRemoteJWKSet>> {
  const known = jwksByIssuer.get(issuer);
  if (known) return known;
  const discovery = new URL(`${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`);
  let jwksUri: string;
  try {
    const response = await fetch(discovery, { signal: AbortSignal.timeout(10_000), redirect: "error" });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const document = z.object({ issuer: z.string(), jwks_uri: z.string().url() }).parse(await response.json());
    if (document.issuer !== issuer) throw new Error(`the discovery document names the issuer '${document.issuer}'`);
    jwksUri = document.jwks_uri;
  } catch (failure) {
    throw new IssueError(
      "OIDC_ISSUER_UNREACHABLE",
      `The OIDC issuer's discovery document (${discovery.href}) could not be read: ${failure instanceof Error ? failure.message : String(failure)}.`,
    );
  }
  const jwks = createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: 10_000 });
  jwksByIssuer.set(issuer, jwks);
  return jwks;
}

/** The issuer the token claims, read before verification only to pick the keys to verify it with. */
function claimedIssuer(token: string): string {
  const [, payload] = token.split(".");
  try {
    const issuer = (JSON.parse(Buffer.from(payload ?? "", "base64url").toString("utf8")) as JWTPayload).iss;
    if (typeof issuer === "string") return issuer;
  } catch {
    // Not a JWT: said below.
  }
  throw new IssueError("OIDC_TOKEN_INVALID", "The token is not an OIDC ID token (a JWT naming its issuer).");
}

async function verifyToken(
  token: string,
  settings: TrustedPublishingSettings,
  now: Date,
): Promise<{ issuer: TrustedIssuer; workload: Workload; expiresAt: Date }> {
  if (token.length > MAX_TOKEN_LENGTH)
    throw new IssueError("OIDC_TOKEN_INVALID", "The token is longer than any OIDC ID token.");
  const issuer = settings.issuers.find((accepted) => accepted.url === claimedIssuer(token));
  if (!issuer) {
    throw new IssueError(
      "OIDC_TOKEN_INVALID",
      `Tokens from the issuer '${claimedIssuer(token)}' are not accepted here; this gallery accepts ${settings.issuers.map((accepted) => accepted.url).join(", ")}.`,
    );
  }
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, await jwksFor(issuer.url), {
      issuer: issuer.url,
      audience: settings.audience,
      currentDate: now,
      algorithms: ["RS256", "ES256"],
    }));
  } catch (failure) {
    if (failure instanceof IssueError) throw failure;
    if (failure instanceof joseErrors.JWTExpired)
      throw new IssueError(
        "OIDC_TOKEN_EXPIRED",
        "The OIDC token has expired; request a new one in the job and exchange it at once.",
      );
    if (failure instanceof joseErrors.JWTClaimValidationFailed && failure.claim === "aud") {
      throw new IssueError(
        "OIDC_TOKEN_INVALID",
        `The OIDC token is for the audience '${String(failure.payload.aud)}', not this gallery's ('${settings.audience}'); request it with that audience.`,
      );
    }
    throw new IssueError(
      "OIDC_TOKEN_INVALID",
      `The OIDC token cannot be verified: ${failure instanceof Error ? failure.message : String(failure)}.`,
    );
  }
  const workload = workloadFromClaims(issuer.platform, issuer.url, payload);
  if (!workload)
    throw new IssueError(
      "OIDC_TOKEN_INVALID",
      `The OIDC token lacks the claims trusted publishing matches (${REQUIRED_CLAIMS[issuer.platform]}).`,
    );
  return { issuer, workload, expiresAt: new Date((payload.exp ?? 0) * 1000) };
}

interface PolicyRow {
  id: string;
  userId: string;
  packagePattern: string;
  repository: string;
  workflow: string;
  environment: string | null;
  repositoryId: string | null;
  repositoryOwnerId: string | null;
  firstUsedAt: Date | null;
}

const WORDS: Record<CiPlatform, { workflow: string; repository: string }> = {
  github: { workflow: "workflow", repository: "repository" },
  gitlab: { workflow: "CI configuration", repository: "project" },
};

/** Why this policy does not accept the job, or null when it does. */
function policyMismatch(policy: PolicyRow, workload: Workload, platform: CiPlatform): string | null {
  const words = WORDS[platform];
  if (workload.workflow !== policy.workflow)
    return `the ${words.workflow} is '${workload.workflow ?? workload.workflowClaim}', not '${policy.workflow}'`;
  if (policy.environment !== null && workload.environment !== policy.environment)
    return `the job's environment is '${workload.environment ?? "(none)"}', not '${policy.environment}'`;
  if (
    policy.repositoryId !== null &&
    (policy.repositoryId !== workload.repositoryId || policy.repositoryOwnerId !== workload.repositoryOwnerId)
  ) {
    return `the ${words.repository} '${workload.repository}' has the IDs ${workload.repositoryId}/${workload.repositoryOwnerId}, but the policy was first used by ${policy.repositoryId}/${policy.repositoryOwnerId}: a ${words.repository} deleted and recreated under the same name is not the same ${words.repository}`;
  }
  return null;
}

export interface ExchangedKey {
  /** The API key; shown once. */
  secret: string;
  expiresAt: Date;
  packagePattern: string;
  provenance: TrustedPublishingProvenance;
}

/**
 * Verifies the token and, when a policy accepts it, creates a single-use push key valid for one
 * hour, scoped to the policy's packages. Refusals: OIDC_TOKEN_INVALID, OIDC_TOKEN_EXPIRED,
 * OIDC_ISSUER_UNREACHABLE, OIDC_TOKEN_REPLAYED, TRUSTED_PUBLISHING_NO_POLICY.
 */
export async function exchangeToken(db: Db, token: string, settings: TrustedPublishingSettings): Promise<ExchangedKey> {
  const now = settings.now ?? new Date();
  const { issuer, workload, expiresAt } = await verifyToken(token, settings, now);
  const policies = await db.trustedPublishingPolicy.findMany({
    where: { issuer: issuer.url, repository: workload.repository.toLowerCase() },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      userId: true,
      packagePattern: true,
      repository: true,
      workflow: true,
      environment: true,
      repositoryId: true,
      repositoryOwnerId: true,
      firstUsedAt: true,
    },
  });
  const reasons = policies.map((policy) => policyMismatch(policy, workload, issuer.platform));
  const index = reasons.findIndex((reason) => reason === null);
  const policy = policies[index];
  if (!policy) {
    const why =
      reasons.length === 0
        ? `no trusted-publishing policy names the ${WORDS[issuer.platform].repository} '${workload.repository}' for ${issuer.url}`
        : (reasons as string[]).join("; ");
    throw new IssueError("TRUSTED_PUBLISHING_NO_POLICY", `No trusted-publishing policy accepts this token: ${why}.`);
  }
  const provenance: TrustedPublishingProvenance = {
    policyId: policy.id,
    platform: issuer.platform,
    issuer: issuer.url,
    repository: workload.repository,
    repositoryId: workload.repositoryId,
    workflow: policy.workflow,
    ref: workload.ref,
    sha: workload.sha,
    environment: workload.environment,
    runId: workload.runId,
    runAttempt: workload.runAttempt,
    jobId: workload.jobId,
  };
  const secret = generateApiKeySecret();
  const keyExpiresAt = new Date(now.getTime() + TRUSTED_PUBLISHING_KEY_LIFETIME_MS);
  const firstUse = await db.$transaction(async (tx) => {
    const tokenKey = `${issuer.url} ${workload.jti}`;
    if (await tx.trustedPublishingTokenUse.findUnique({ where: { tokenKey }, select: { tokenKey: true } })) {
      throw new IssueError(
        "OIDC_TOKEN_REPLAYED",
        "This OIDC token was already exchanged; a token exchanges once. Request a new one in the job.",
      );
    }
    // The primary key decides a race between two exchanges of one token.
    await tx.trustedPublishingTokenUse.create({ data: { tokenKey, expiresAt, usedAt: now } });
    await tx.trustedPublishingTokenUse.deleteMany({ where: { expiresAt: { lt: now } } });
    let bound = false;
    if (policy.repositoryId === null) {
      const binding = await tx.trustedPublishingPolicy.updateMany({
        where: { id: policy.id, repositoryId: null },
        data: { repositoryId: workload.repositoryId, repositoryOwnerId: workload.repositoryOwnerId, firstUsedAt: now },
      });
      bound = binding.count === 1;
      if (bound) {
        await enqueueOutbox(tx, [
          {
            userId: policy.userId,
            kind: "trusted-publishing.first-use",
            subject: `Trusted publishing policy used for the first time: ${workload.repository}`,
            body: `The trusted-publishing policy for ${policy.packagePattern} was used for the first time at ${now.toISOString()} by ${workload.repository} (${WORDS[issuer.platform].repository} ID ${workload.repositoryId}, owner ID ${workload.repositoryOwnerId}), ${WORDS[issuer.platform].workflow} ${policy.workflow}${workload.runId ? `, run ${workload.runId}` : ""}. It is now bound to those IDs. If this was not your workflow, delete the policy and review the package.`,
          },
        ]);
      }
    }
    await tx.trustedPublishingPolicy.update({ where: { id: policy.id }, data: { lastUsedAt: now } });
    await tx.apiKey.create({
      data: {
        userId: policy.userId,
        name: `Trusted publishing: ${workload.repository} ${policy.workflow}${workload.runId ? ` run ${workload.runId}` : ""}`,
        keyPrefix: displayedKeyPrefix(secret),
        keyHash: hashApiKeySecret(secret),
        scopes: "push",
        packageGlob: policy.packagePattern,
        createdAt: now,
        expiresAt: keyExpiresAt,
        singleUse: true,
        provenance: JSON.stringify(provenance),
      },
    });
    return bound;
  });
  // The owner hears of a first use at once (when mail is configured), not on the next timer
  // round: it may be someone else's workflow, and the key it got is valid now.
  if (firstUse) deliverOutboxSoon(db);
  return { secret, expiresAt: keyExpiresAt, packagePattern: policy.packagePattern, provenance };
}
