// RepositorySignatures/5.0.0: the certificates the gallery repository-signs with (lib/feed/repository-signatures.ts).
import { getDb } from "@/lib/services";
import { loadRepositorySignaturesIndex } from "@/lib/feed/repository-signatures";
import { publicOrigin } from "@/lib/feed/service-index";
import { withErrorHandling } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

export const GET = withErrorHandling(async (request: Request) => {
  const index = await loadRepositorySignaturesIndex(getDb(), publicOrigin(request.url, process.env.NEXTAUTH_URL));
  return Response.json(index, { headers: { "Cache-Control": "public, max-age=300" } });
});
