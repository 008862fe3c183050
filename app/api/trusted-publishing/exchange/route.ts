// A CI job's OIDC token in, a single-use push key valid for one hour out:
// POST { "token": "<OIDC ID token>" } → { "apiKey": "...", "expiresAt": "...", "packagePattern": "..." }.
import { z } from "zod";
import { trustedPublishingSettings } from "@/lib/config";
import { getDb } from "@/lib/services";
import { readJsonBody } from "@/lib/http/body";
import { withErrorHandling } from "@/lib/http/errors";
import { exchangeToken, MAX_TOKEN_LENGTH } from "@/lib/trusted-publishing/exchange";

export const dynamic = "force-dynamic";

const ExchangeRequest = z.strictObject({ token: z.string().min(1).max(MAX_TOKEN_LENGTH) });

export const POST = withErrorHandling(async (request: Request) => {
  const { token } = ExchangeRequest.parse(
    await readJsonBody(request, 'The request body must be JSON: { "token": "<the job\'s OIDC ID token>" }.'),
  );
  const key = await exchangeToken(getDb(), token, trustedPublishingSettings());
  return Response.json(
    { apiKey: key.secret, expiresAt: key.expiresAt.toISOString(), packagePattern: key.packagePattern },
    { headers: { "Cache-Control": "no-store" } },
  );
});
