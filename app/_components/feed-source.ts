// The gallery's package source as the person reading a page should configure it: on the public
// origin (NEXTAUTH_URL) when set, else on the address the page was reached at.
import { headers } from "next/headers";
import { feedSource, type FeedSource } from "@/lib/feed/client-config";
import { publicOrigin } from "@/lib/feed/service-index";

export async function requestFeedSource(): Promise<FeedSource> {
  const requestHeaders = await headers();
  const host = requestHeaders.get("host") ?? "localhost";
  const protocol = requestHeaders.get("x-forwarded-proto") ?? "http";
  return feedSource(publicOrigin(`${protocol}://${host}/`, process.env.NEXTAUTH_URL));
}
