// The gallery's package source as the person reading a page (or calling an API) should
// configure it: on the public origin (NEXTAUTH_URL) when set, else on the address the request
// came in on. requestFeedSource is what the install snippets need; the GalleryFeed adds what the
// consumer-trust views need: the service index the gallery's repository signatures name and,
// on https, the RepositorySignatures resource clients read from it.
import { headers } from "next/headers";
import { repositoryServiceIndexUrl } from "@/lib/config";
import { getDb } from "@/lib/services";
import { feedSource, type FeedSource } from "@/lib/nuget-client/client-config";
import { loadRepositorySignaturesIndex } from "@/lib/feed/repository-signatures";
import { publicOrigin } from "@/lib/feed/service-index";
import { galleryFeedAt, type GalleryFeed } from "@/lib/policy/trust-selection";

/** For pages and server components, which see the request only through its headers. */
async function requestPublicOrigin(): Promise<string> {
  const requestHeaders = await headers();
  const host = requestHeaders.get("host") ?? "localhost";
  const protocol = requestHeaders.get("x-forwarded-proto") ?? "http";
  return publicOrigin(`${protocol}://${host}/`, process.env.NEXTAUTH_URL);
}

export async function requestFeedSource(): Promise<FeedSource> {
  return feedSource(await requestPublicOrigin());
}

async function galleryFeedAtOrigin(origin: string): Promise<GalleryFeed> {
  // NuGet reads RepositorySignatures only over https (the service index announces it only there).
  const resource = origin.startsWith("https:") ? await loadRepositorySignaturesIndex(getDb(), origin) : null;
  return galleryFeedAt(
    origin,
    repositoryServiceIndexUrl(),
    resource
      ? {
          allRepositorySigned: resource.allRepositorySigned,
          fingerprints: resource.signingCertificates.map((entry) => entry.fingerprints["2.16.840.1.101.3.4.2.1"]),
        }
      : undefined,
  );
}

/** For route handlers. */
export function galleryFeedFor(request: Request): Promise<GalleryFeed> {
  return galleryFeedAtOrigin(publicOrigin(request.url, process.env.NEXTAUTH_URL));
}

export async function requestGalleryFeed(): Promise<GalleryFeed> {
  return galleryFeedAtOrigin(await requestPublicOrigin());
}
