// The gallery as a NuGet source, seen from the request being served: its service index URL (on
// the public address when NEXTAUTH_URL names one, else the address the request came in on) and
// the source name suggested for nuget.config (the host name).
import { headers } from "next/headers";
import { publicOrigin } from "@/lib/feed/service-index";
import { galleryFeedAt, type GalleryFeed } from "@/lib/policy/trust-selection";

function feedAt(requestUrl: string): GalleryFeed {
  return galleryFeedAt(publicOrigin(requestUrl, process.env.NEXTAUTH_URL));
}

/** For route handlers. */
export function galleryFeedFor(request: Request): GalleryFeed {
  return feedAt(request.url);
}

/** For pages and server components, which see the request only through its headers. */
export async function requestGalleryFeed(): Promise<GalleryFeed> {
  const requestHeaders = await headers();
  const host = requestHeaders.get("host") ?? "localhost";
  const protocol = requestHeaders.get("x-forwarded-proto") ?? "http";
  return feedAt(`${protocol}://${host}/`);
}
