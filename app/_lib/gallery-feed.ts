// The gallery as a NuGet source, seen from the request being served: its service index URL (on
// the public address when NEXTAUTH_URL names one, else the address the request came in on), the
// source name suggested for nuget.config (the host name), the service index its repository
// signatures name, and, on https, the RepositorySignatures resource clients read from it.
import { headers } from "next/headers";
import { repositoryServiceIndexUrl } from "@/lib/config";
import { getDb } from "@/lib/db";
import { loadRepositorySignaturesIndex } from "@/lib/feed/repository-signatures";
import { publicOrigin } from "@/lib/feed/service-index";
import { galleryFeedAt, type GalleryFeed } from "@/lib/policy/trust-selection";

async function feedAt(requestUrl: string): Promise<GalleryFeed> {
  const origin = publicOrigin(requestUrl, process.env.NEXTAUTH_URL);
  // NuGet reads RepositorySignatures only over https (the service index announces it only there).
  const resource = origin.startsWith("https:") ? await loadRepositorySignaturesIndex(getDb(), origin) : null;
  return galleryFeedAt(
    origin,
    repositoryServiceIndexUrl(),
    resource
      ? { allRepositorySigned: resource.allRepositorySigned, fingerprints: resource.signingCertificates.map((entry) => entry.fingerprints["2.16.840.1.101.3.4.2.1"]) }
      : undefined,
  );
}

/** For route handlers. */
export function galleryFeedFor(request: Request): Promise<GalleryFeed> {
  return feedAt(request.url);
}

/** For pages and server components, which see the request only through its headers. */
export async function requestGalleryFeed(): Promise<GalleryFeed> {
  const requestHeaders = await headers();
  const host = requestHeaders.get("host") ?? "localhost";
  const protocol = requestHeaders.get("x-forwarded-proto") ?? "http";
  return feedAt(`${protocol}://${host}/`);
}
