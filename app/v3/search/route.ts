// SearchQueryService (and /3.0.0-beta, /3.0.0-rc, /3.5.0): `dotnet package search`, Visual
// Studio's Browse tab. NuGet's parameters: q, skip, take, prerelease, semVerLevel, packageType.
import { searchDocument, searchQueryFromUrl } from "@/lib/feed/search";
import { feedRequest, serveFeedDocument } from "@/lib/feed/serve-document";
import { withErrorHandling } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

export const GET = withErrorHandling(async (request: Request) => {
  const query = searchQueryFromUrl(new URL(request.url));
  const served = feedRequest(request);
  return serveFeedDocument(served, (urls) => searchDocument(served.db, urls, query));
});
