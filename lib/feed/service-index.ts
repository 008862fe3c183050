// The V3 service index: the one URL a NuGet client is given (`-s <gallery>/v3/index.json`), from
// which it finds where to push and where to download. Only the resources this gallery serves
// are announced; a client that looks for another one reports it as missing rather than calling
// something that does not exist.

import { REPOSITORY_SIGNATURES_PATH } from "./repository-signatures";

export interface ServiceIndexResource {
  "@id": string;
  "@type": string;
  comment: string;
}

export interface ServiceIndex {
  version: "3.0.0";
  resources: ServiceIndexResource[];
}

export const PACKAGE_PUBLISH_PATH = "/api/v2/package";
export const FLAT_CONTAINER_PATH = "/v3-flatcontainer/";
/** The request header NuGet clients send the API key in (push, delete, relist). */
export const API_KEY_HEADER = "X-NuGet-ApiKey";

/**
 * The gallery's public origin: NEXTAUTH_URL when the deployment names it (the address people and
 * clients use, also behind a proxy), else the origin the request came in on.
 */
export function publicOrigin(requestUrl: string, configuredUrl: string | undefined): string {
  return new URL(configuredUrl || requestUrl).origin;
}

export function serviceIndex(origin: string): ServiceIndex {
  return {
    version: "3.0.0",
    resources: [
      {
        "@id": `${origin}${PACKAGE_PUBLISH_PATH}`,
        "@type": "PackagePublish/2.0.0",
        comment: "Push (PUT, multipart, X-NuGet-ApiKey) and unlist (DELETE {id}/{version}) packages.",
      },
      {
        "@id": `${origin}${FLAT_CONTAINER_PATH}`,
        "@type": "PackageBaseAddress/3.0.0",
        comment: "Version lists and .nupkg downloads: {id}/index.json and {id}/{version}/{id}.{version}.nupkg, lower-case.",
      },
      // NuGet throws on a RepositorySignatures @id that is not https, so a gallery served over
      // plain http (development) does not announce it.
      ...(origin.startsWith("https:")
        ? [
            {
              "@id": `${origin}${REPOSITORY_SIGNATURES_PATH}`,
              "@type": "RepositorySignatures/5.0.0",
              comment: "The certificates this gallery repository-signs packages with.",
            },
          ]
        : []),
    ],
  };
}
