// A version's trusted-publishing provenance as its page shows it (like npm's provenance panel):
// which repository's workflow run published it, from which commit, through which policy.
// Stored as JSON on the version; text that is not what it should be shows nothing.
import { z } from "zod";
import type { TrustedPublishingProvenance } from "./exchange";

const StoredProvenance = z.object({
  policyId: z.string(),
  issuer: z.string(),
  repository: z.string(),
  repositoryId: z.string(),
  workflow: z.string(),
  ref: z.string().nullable(),
  sha: z.string().nullable(),
  environment: z.string().nullable(),
  runId: z.string().nullable(),
  runAttempt: z.string().nullable(),
});

export interface ProvenanceView extends TrustedPublishingProvenance {
  /** The workflow run's page, for GitHub Actions tokens. */
  runUrl: string | null;
  /** The workflow file at the published commit, for GitHub Actions tokens. */
  workflowUrl: string | null;
}

const GITHUB_ISSUER = "https://token.actions.githubusercontent.com";

export function provenanceView(stored: string | null): ProvenanceView | null {
  if (!stored) return null;
  let parsed: TrustedPublishingProvenance;
  try {
    parsed = StoredProvenance.parse(JSON.parse(stored));
  } catch {
    return null;
  }
  const github = parsed.issuer === GITHUB_ISSUER;
  return {
    ...parsed,
    runUrl: github && parsed.runId ? `https://github.com/${parsed.repository}/actions/runs/${encodeURIComponent(parsed.runId)}` : null,
    workflowUrl: github && parsed.sha ? `https://github.com/${parsed.repository}/blob/${encodeURIComponent(parsed.sha)}/${parsed.workflow}` : null,
  };
}
