// The signed-in user's trusted-publishing policies: GET lists them, POST adds one
// { "packagePattern": "Contoso.*", "issuer": "https://token.actions.githubusercontent.com",
//   "repository": "contoso/lib", "workflow": ".github/workflows/release.yml", "environment": "release" }
// (for GitLab: "issuer": "https://gitlab.com", "repository": "group/project", "workflow": ".gitlab-ci.yml").
import { requireApiUser, requireApiUserWithSecondFactor } from "@/lib/web/session";
import { trustedPublishingSettings } from "@/lib/config";
import { getDb } from "@/lib/services";
import { readJsonBody } from "@/lib/http/body";
import { withErrorHandling } from "@/lib/http/errors";
import { createPolicy, listPolicies } from "@/lib/trusted-publishing/policies";

export const dynamic = "force-dynamic";

export const GET = withErrorHandling(async (request: Request) => {
  const user = await requireApiUser(request);
  return Response.json(
    { policies: await listPolicies(getDb(), user.id, trustedPublishingSettings().issuers) },
    { headers: { "Cache-Control": "no-store" } },
  );
});

export const POST = withErrorHandling(async (request: Request) => {
  const user = await requireApiUserWithSecondFactor(request);
  const body = await readJsonBody(
    request,
    "The request body must be JSON: the policy's packagePattern, issuer, repository, workflow and optional environment.",
  );
  return Response.json(
    { policy: await createPolicy(getDb(), user.id, body, trustedPublishingSettings().issuers) },
    { status: 201 },
  );
});
