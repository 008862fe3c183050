// Unlisting and relisting a version from its manage page: the same change (audit entry,
// publication log entry) as `dotnet nuget delete` and relist, for a signed-in owner.
import { z } from "zod";
import { requireApiUser } from "@/lib/web/session";
import { getDb } from "@/lib/services";
import { setVersionListed } from "@/lib/feed/listing";
import { readJsonBody } from "@/lib/http/body";
import { withErrorHandling } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

const ListingRequest = z.strictObject({ listed: z.boolean() });

export const PUT = withErrorHandling(
  async (request: Request, context: { params: Promise<{ id: string; version: string }> }) => {
    const user = await requireApiUser(request);
    const { id, version } = await context.params;
    const { listed } = ListingRequest.parse(
      await readJsonBody(request, 'The request body must be JSON: { "listed": true } or { "listed": false }.'),
    );
    const change = await setVersionListed(getDb(), { user }, { packageId: id, version }, listed);
    return Response.json({
      ...change,
      message: `${change.packageId} ${change.version} is ${change.listed ? "listed again" : "unlisted: it stays downloadable, but search and 'latest' no longer offer it"}.`,
    });
  },
);
