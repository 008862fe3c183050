// PackagePublish/2.0.0: `dotnet nuget push` sends PUT with the package as multipart/form-data
// and the key in X-NuGet-ApiKey. (nuget.org routes only PUT here, so do we.)
import { getDb, getStorage } from "@/lib/services";
import { withNuGetErrorHandling } from "@/lib/feed/nuget-responses";
import { pushPackage } from "@/lib/feed/push";
import { maxPackageBytes } from "@/lib/config";

export const dynamic = "force-dynamic";

export const PUT = withNuGetErrorHandling(async (request: Request) => {
  return pushPackage(getDb(), getStorage(), request, { maxBytes: maxPackageBytes() });
});
