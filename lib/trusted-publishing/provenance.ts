// A version's trusted-publishing provenance as its page shows it (like npm's provenance panel):
// which repository's workflow run (GitHub) or project's pipeline (GitLab) published it, from
// which commit, through which policy. Stored as JSON on the version; text that is not what it
// should be shows nothing.
import { z } from "zod";
import { GITHUB_ACTIONS_ISSUER } from "@/lib/config";
import type { TrustedPublishingProvenance } from "./exchange";

const StoredProvenance = z.object({
  policyId: z.string(),
  // Versions published before GitLab was supported carry no platform: GitHub-shaped claims.
  platform: z.enum(["github", "gitlab"]).default("github"),
  issuer: z.string(),
  repository: z.string(),
  repositoryId: z.string(),
  workflow: z.string(),
  ref: z.string().nullable(),
  sha: z.string().nullable(),
  environment: z.string().nullable(),
  runId: z.string().nullable(),
  runAttempt: z.string().nullable(),
  jobId: z.string().nullable().default(null),
});

export interface ProvenanceView extends TrustedPublishingProvenance {
  /** The workflow run's (GitHub) or pipeline's (GitLab) page. */
  runUrl: string | null;
  /** The GitLab job's page. */
  jobUrl: string | null;
  /** The workflow file or CI configuration at the published commit. */
  workflowUrl: string | null;
}

/** The web address of the repository on its CI system, for links; null when not known to be https. */
function repositoryWebUrl(provenance: TrustedPublishingProvenance): string | null {
  if (provenance.platform === "github")
    return provenance.issuer === GITHUB_ACTIONS_ISSUER ? `https://github.com/${provenance.repository}` : null;
  // A GitLab instance's issuer is its own address.
  return provenance.issuer.startsWith("https://") ? `${provenance.issuer}/${provenance.repository}` : null;
}

export function provenanceView(stored: string | null): ProvenanceView | null {
  if (!stored) return null;
  let parsed: TrustedPublishingProvenance;
  try {
    parsed = StoredProvenance.parse(JSON.parse(stored));
  } catch {
    return null;
  }
  const web = repositoryWebUrl(parsed);
  const gitlab = parsed.platform === "gitlab" ? "/-" : "";
  const segment = (value: string) => encodeURIComponent(value);
  return {
    ...parsed,
    runUrl:
      web && parsed.runId
        ? `${web}${gitlab}/${parsed.platform === "gitlab" ? "pipelines" : "actions/runs"}/${segment(parsed.runId)}`
        : null,
    jobUrl: web && parsed.platform === "gitlab" && parsed.jobId ? `${web}/-/jobs/${segment(parsed.jobId)}` : null,
    workflowUrl: web && parsed.sha ? `${web}${gitlab}/blob/${segment(parsed.sha)}/${parsed.workflow}` : null,
  };
}
