// The V3 service index: the one URL a NuGet client is given (`-s <gallery>/v3/index.json`), from
// which it finds every other resource. Each resource is announced under the @type values
// nuget.org uses for it, since different clients look for different ones. Only resources this
// gallery serves are announced; a client that looks for another one reports it as missing
// rather than calling something that does not exist. ReportAbuseUriTemplate is not announced:
// the gallery has no page for reporting a package.

import { REPOSITORY_SIGNATURES_PATH } from "./repository-signatures";
import { FeedUrls } from "@/lib/nuget-client/urls";

export interface ServiceIndexResource {
  "@id": string;
  "@type": string;
  comment: string;
  /** Only clients of at least this version use the entry (NuGet's ServiceIndexEntry.ClientVersion). */
  clientVersion?: string;
}

export interface ServiceIndex {
  version: "3.0.0";
  resources: ServiceIndexResource[];
}

/** The request header NuGet clients send the API key in (push, delete, relist). */
export const API_KEY_HEADER = "X-NuGet-ApiKey";

/**
 * The gallery's public origin: NEXTAUTH_URL when the deployment names it (the address people and
 * clients use, also behind a proxy), else the origin the request came in on.
 */
export function publicOrigin(requestUrl: string, configuredUrl: string | undefined): string {
  return new URL(configuredUrl || requestUrl).origin;
}

/** One entry per @type, all naming the same URL. */
function resources(id: string, types: readonly string[], comment: string): ServiceIndexResource[] {
  return types.map((type) => ({ "@id": id, "@type": type, comment }));
}

export function serviceIndex(origin: string): ServiceIndex {
  const urls = new FeedUrls(origin);
  return {
    version: "3.0.0",
    resources: [
      ...resources(
        urls.packagePublish(),
        ["PackagePublish/2.0.0"],
        "Push (PUT, multipart, X-NuGet-ApiKey) and unlist (DELETE {id}/{version}) packages.",
      ),
      ...resources(
        urls.flatContainerBase(),
        ["PackageBaseAddress/3.0.0"],
        "Version lists (listed and unlisted) and downloads: {id}/index.json, {id}/{version}/{id}.{version}.nupkg and .nuspec, lower-case.",
      ),
      ...resources(
        urls.search(),
        [
          "SearchQueryService",
          "SearchQueryService/3.0.0-beta",
          "SearchQueryService/3.0.0-rc",
          "SearchQueryService/3.5.0",
        ],
        "Search: q, skip, take, prerelease, semVerLevel, packageType; results carry signet:signature.",
      ),
      ...resources(
        urls.autocomplete(),
        [
          "SearchAutocompleteService",
          "SearchAutocompleteService/3.0.0-beta",
          "SearchAutocompleteService/3.0.0-rc",
          "SearchAutocompleteService/3.5.0",
        ],
        "Package IDs by q, or the versions of one id.",
      ),
      ...resources(
        urls.registrationBase("registration"),
        ["RegistrationsBaseUrl", "RegistrationsBaseUrl/3.0.0-beta", "RegistrationsBaseUrl/3.0.0-rc"],
        "Package metadata, SemVer 1 versions only.",
      ),
      ...resources(
        urls.registrationBase("registration-gz-semver1"),
        ["RegistrationsBaseUrl/3.4.0"],
        "Package metadata, gzip, SemVer 1 versions only.",
      ),
      ...resources(
        urls.registrationBase("registration-gz-semver2"),
        ["RegistrationsBaseUrl/3.6.0"],
        "Package metadata, gzip, SemVer 2 versions included.",
      ),
      {
        "@id": urls.registrationBase("registration-gz-semver2"),
        "@type": "RegistrationsBaseUrl/Versioned",
        comment: "Package metadata, gzip, SemVer 2 versions included.",
        clientVersion: "4.3.0-alpha",
      },
      ...resources(
        urls.packageDetailsTemplate(),
        ["PackageDetailsUriTemplate/5.1.0"],
        "The package's page on this gallery.",
      ),
      // NuGet throws on a RepositorySignatures @id that is not https, so a gallery served over
      // plain http (development) does not announce it.
      ...(origin.startsWith("https:")
        ? resources(
            `${origin}${REPOSITORY_SIGNATURES_PATH}`,
            ["RepositorySignatures/5.0.0"],
            "The certificates this gallery repository-signs packages with.",
          )
        : []),
    ],
  };
}
