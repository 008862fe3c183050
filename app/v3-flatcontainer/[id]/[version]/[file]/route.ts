// Package downloads (the stored .nupkg, streamed, for restore and the package pages' download
// links) and manifests. HEAD answers the same headers without opening the file, and a request
// that holds the current entity tag gets 304 (lib/feed/flat-container.ts says how caching works).
import { getDb } from "@/lib/db";
import { requestHoldsEntity } from "@/lib/feed/feed-response";
import { cacheControl, findFlatContainerFile, UPLOADED_SHA512_HEADER, type FlatContainerFile } from "@/lib/feed/flat-container";
import { withErrorHandling } from "@/lib/http/errors";
import { recordDownload } from "@/lib/jobs/downloads";
import { getStorage } from "@/lib/storage";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string; version: string; file: string }> };

function cacheHeaders(file: FlatContainerFile): Headers {
  const headers = new Headers({ "Cache-Control": cacheControl(file.caching) });
  if (file.caching.entityTag) headers.set("ETag", file.caching.entityTag);
  return headers;
}

function fileHeaders(file: FlatContainerFile): Headers {
  const headers = cacheHeaders(file);
  headers.set("Content-Type", file.contentType);
  headers.set("Content-Length", String(file.size));
  // The RFC 5987 form, because package IDs may hold non-ASCII letters.
  headers.set("Content-Disposition", `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`);
  // Signet's extension: what the author uploaded, before the gallery's repository signature changed the bytes.
  if (file.uploadedSha512) headers.set(UPLOADED_SHA512_HEADER, file.uploadedSha512);
  return headers;
}

/** 304 when the client already holds these bytes. */
function notModified(request: Request, file: FlatContainerFile): Response | null {
  const tag = file.caching.entityTag;
  return tag && requestHoldsEntity(request, tag) ? new Response(null, { status: 304, headers: cacheHeaders(file) }) : null;
}

async function find(context: Context): Promise<FlatContainerFile> {
  const { id, version, file } = await context.params;
  return findFlatContainerFile(getDb(), getStorage(), { packageId: id, version, fileName: file });
}

export const GET = withErrorHandling(async (request: Request, context: Context) => {
  const file = await find(context);
  const unchanged = notModified(request, file);
  if (unchanged) return unchanged;
  const body = await file.open();
  // Counted when the file is sent (not for HEAD or 304); the roll-up job adds it to the totals.
  if (file.downloadOf) await recordDownload(getDb(), file.downloadOf);
  return new Response(body, { headers: fileHeaders(file) });
});

export const HEAD = withErrorHandling(async (request: Request, context: Context) => {
  const file = await find(context);
  return notModified(request, file) ?? new Response(null, { headers: fileHeaders(file) });
});
