// `dotnet nuget delete` (DELETE), which this gallery, like nuget.org, treats as unlisting the
// version; POST lists it again. Both need a key with the unlist scope, held by an owner.
import { authenticateApiKey } from "@/lib/api-keys/registry";
import { getDb } from "@/lib/services";
import { setVersionListed } from "@/lib/feed/listing";
import { withNuGetErrorHandling } from "@/lib/feed/nuget-responses";
import { API_KEY_HEADER } from "@/lib/feed/service-index";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string; version: string }> };

function listingHandler(listed: boolean) {
  return withNuGetErrorHandling(async (request: Request, context: Context) => {
    const db = getDb();
    const caller = await authenticateApiKey(db, request.headers.get(API_KEY_HEADER));
    const { id, version } = await context.params;
    return Response.json(await setVersionListed(db, caller, { packageId: id, version }, listed));
  });
}

export const DELETE = listingHandler(false);
export const POST = listingHandler(true);
