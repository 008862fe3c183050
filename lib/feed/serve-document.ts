// The common path of the V3 read endpoints: read the gallery revision, answer 304 when the
// client already has this revision's document, else build the document under the gallery's
// public origin and answer it, or 404 with the endpoint's sentence when there is none.
import type { Db } from "@/lib/db";
import { readGalleryRevision } from "@/lib/db/revision";
import { getDb } from "@/lib/services";
import { IssueError } from "@/lib/issues";
import { feedJson, notModified } from "./feed-response";
import { publicOrigin } from "./service-index";
import { findRegistrationHive, FeedUrls, type RegistrationHive } from "@/lib/nuget-client/urls";

export interface FeedRequest {
  db: Db;
  request: Request;
  origin: string;
}

/** `build` answers null when there is no such document; `missing` then says why (404). */
export async function serveFeedDocument(
  { db, request, origin }: FeedRequest,
  build: (urls: FeedUrls) => Promise<unknown>,
  missing?: () => IssueError,
): Promise<Response> {
  const options = { revision: await readGalleryRevision(db), origin };
  const unchanged = notModified(request, options);
  if (unchanged) return unchanged;
  const document = await build(new FeedUrls(origin));
  if (document === null) throw missing?.() ?? new IssueError("NOT_FOUND", "There is no such document.");
  return feedJson(document, options);
}

/** The request as the gallery serves it: its database and its public origin (NEXTAUTH_URL when set). */
export function feedRequest(request: Request): FeedRequest {
  return { db: getDb(), request, origin: publicOrigin(request.url, process.env.NEXTAUTH_URL) };
}

export function registrationHiveOr404(name: string): RegistrationHive {
  const hive = findRegistrationHive(name);
  if (!hive) throw new IssueError("NOT_FOUND", `There is no registration hive '${name}' here.`);
  return hive;
}

/** "1.0.0.json" → "1.0.0"; a name not ending in .json names no registration document. */
export function jsonDocumentName(file: string): string {
  if (!file.toLowerCase().endsWith(".json"))
    throw new IssueError("NOT_FOUND", `'${file}' is not a registration document.`);
  return file.slice(0, -".json".length);
}
