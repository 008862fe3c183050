// The V3 service index NuGet clients start from (`dotnet nuget push -s <gallery>/v3/index.json`).
import { publicOrigin, serviceIndex } from "@/lib/feed/service-index";
import { withErrorHandling } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

export const GET = withErrorHandling(async (request: Request) => {
  return Response.json(serviceIndex(publicOrigin(request.url, process.env.NEXTAUTH_URL)));
});
