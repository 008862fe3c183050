// What a CI job's verified OIDC token says about the job, in one shape for every CI system.
//
// GitHub Actions (https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect):
// `repository` ("owner/name"), `repository_id` and `repository_owner_id` (numeric, stable across
// renames, new when a repository is deleted and recreated), `job_workflow_ref`
// ("owner/name/.github/workflows/release.yml@refs/tags/v1"), `environment`, `ref`, `sha`,
// `run_id`, `run_attempt`.
//
// GitLab CI (https://docs.gitlab.com/ci/secrets/id_token_authentication/): `project_path`
// ("group/subgroup/project"), `namespace_path` ("group/subgroup"), numeric `project_id` and
// `namespace_id`, `ci_config_ref_uri` ("gitlab.com/group/project//.gitlab-ci.yml@refs/heads/main":
// the instance host, the project holding the CI configuration, "//", its path, "@" and the ref),
// `environment`, `ref`, `sha`, `pipeline_id`, `job_id`.
import { z } from "zod";
import type { CiPlatform } from "@/lib/config";

/** A CI job as a policy matches it. */
export interface Workload {
  jti: string;
  /** GitHub "owner/name"; GitLab "group/subgroup/project". */
  repository: string;
  /** GitHub repository_id; GitLab project_id. */
  repositoryId: string;
  /** GitHub repository_owner_id; GitLab namespace_id. */
  repositoryOwnerId: string;
  /** The workflow file (GitHub) or CI configuration file (GitLab) in the repository, or null when it lives elsewhere. */
  workflow: string | null;
  /** The raw claim the workflow was read from, for refusals. */
  workflowClaim: string;
  environment: string | null;
  ref: string | null;
  sha: string | null;
  /** GitHub run_id; GitLab pipeline_id. */
  runId: string | null;
  /** GitHub run_attempt. */
  runAttempt: string | null;
  /** GitLab job_id. */
  jobId: string | null;
}

/** Claims are strings in both systems' tokens; IDs are decimal digits. */
const NumericId = z.string().regex(/^\d{1,20}$/);

const GitHubClaims = z.object({
  jti: z.string().min(1).max(200),
  repository: z.string().min(3).max(200),
  repository_id: NumericId,
  repository_owner_id: NumericId,
  job_workflow_ref: z.string().min(1).max(600),
  environment: z.string().max(255).optional(),
  ref: z.string().max(600).optional(),
  sha: z.string().max(64).optional(),
  run_id: z.string().max(40).optional(),
  run_attempt: z.string().max(10).optional(),
});

const GitLabClaims = z.object({
  jti: z.string().min(1).max(200),
  project_path: z.string().min(3).max(600),
  project_id: NumericId,
  namespace_path: z.string().min(1).max(600),
  namespace_id: NumericId,
  ci_config_ref_uri: z.string().min(1).max(1200),
  environment: z.string().max(255).optional(),
  ref: z.string().max(600).optional(),
  sha: z.string().max(64).optional(),
  pipeline_id: z.string().max(40).optional(),
  job_id: z.string().max(40).optional(),
});

/** The path before the last "@" of `reference`, after `prefix` (compared without case), or null. */
function pathAfter(reference: string, prefix: string): string | null {
  const at = reference.lastIndexOf("@");
  const path = reference.slice(0, at < 0 ? undefined : at);
  return path.toLowerCase().startsWith(prefix.toLowerCase()) ? path.slice(prefix.length) : null;
}

function fromGitHub(payload: unknown): Workload | null {
  const parsed = GitHubClaims.safeParse(payload);
  if (!parsed.success) return null;
  const claims = parsed.data;
  return {
    jti: claims.jti,
    repository: claims.repository,
    repositoryId: claims.repository_id,
    repositoryOwnerId: claims.repository_owner_id,
    workflow: pathAfter(claims.job_workflow_ref, `${claims.repository}/`),
    workflowClaim: claims.job_workflow_ref,
    environment: claims.environment ?? null,
    ref: claims.ref ?? null,
    sha: claims.sha ?? null,
    runId: claims.run_id ?? null,
    runAttempt: claims.run_attempt ?? null,
    jobId: null,
  };
}

function fromGitLab(payload: unknown, issuer: string): Workload | null {
  const parsed = GitLabClaims.safeParse(payload);
  if (!parsed.success) return null;
  const claims = parsed.data;
  // The project must sit in the namespace the token names (a token saying otherwise is not GitLab's).
  if (!claims.project_path.toLowerCase().startsWith(`${claims.namespace_path.toLowerCase()}/`)) return null;
  return {
    jti: claims.jti,
    repository: claims.project_path,
    repositoryId: claims.project_id,
    repositoryOwnerId: claims.namespace_id,
    // A configuration included from another project (or another instance) is not this project's file.
    workflow: pathAfter(claims.ci_config_ref_uri, `${new URL(issuer).host}/${claims.project_path}//`),
    workflowClaim: claims.ci_config_ref_uri,
    environment: claims.environment ?? null,
    ref: claims.ref ?? null,
    sha: claims.sha ?? null,
    runId: claims.pipeline_id ?? null,
    runAttempt: null,
    jobId: claims.job_id ?? null,
  };
}

/** The job the verified token describes, or null when it lacks the claims its platform puts there. */
export function workloadFromClaims(platform: CiPlatform, issuer: string, payload: unknown): Workload | null {
  return platform === "github" ? fromGitHub(payload) : fromGitLab(payload, issuer);
}

/** The claims a refusal names when a token lacks them. */
export const REQUIRED_CLAIMS: Record<CiPlatform, string> = {
  github: "repository, repository_id, repository_owner_id, job_workflow_ref, jti",
  gitlab: "project_path, project_id, namespace_path, namespace_id, ci_config_ref_uri, jti",
};
