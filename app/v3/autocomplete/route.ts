// SearchAutocompleteService (and /3.0.0-beta, /3.0.0-rc, /3.5.0): package IDs for ?q=, or the
// versions of one package for ?id=, with prerelease, semVerLevel, skip, take and packageType.
import { autocompleteDocument, autocompleteRequestFromUrl } from "@/lib/feed/search";
import { feedRequest, serveFeedDocument } from "@/lib/feed/serve-document";
import { withErrorHandling } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

export const GET = withErrorHandling(async (request: Request) => {
  const wanted = autocompleteRequestFromUrl(new URL(request.url));
  const served = feedRequest(request);
  return serveFeedDocument(served, () => autocompleteDocument(served.db, wanted));
});
