// Package downloads (the stored .nupkg, streamed, for restore and the package pages' download
// links) and manifests. HEAD answers the same headers without opening the file, and a request
// that holds the current entity tag gets 304 (lib/feed/flat-container.ts says how caching works).
// A single byte range is served as 206, so interrupted downloads resume (lib/feed/byte-ranges.ts).
import { answerRange, ifRangeHolds, type RangeAnswer } from "@/lib/feed/byte-ranges";
import { requestHoldsEntity } from "@/lib/feed/feed-response";
import {
  cacheControl,
  findFlatContainerFile,
  UPLOADED_SHA512_HEADER,
  type FlatContainerFile,
} from "@/lib/feed/flat-container";
import { jsonError, withErrorHandling } from "@/lib/http/errors";
import { getDb, getStorage, services } from "@/lib/services";
import type { ByteRange } from "@/lib/storage";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string; version: string; file: string }> };

function cacheHeaders(file: FlatContainerFile): Headers {
  const headers = new Headers({ "Cache-Control": cacheControl(file.caching), "Accept-Ranges": "bytes" });
  if (file.caching.entityTag) headers.set("ETag", file.caching.entityTag);
  return headers;
}

function fileHeaders(file: FlatContainerFile, range?: ByteRange): Headers {
  const headers = cacheHeaders(file);
  headers.set("Content-Type", file.contentType);
  headers.set("Content-Length", String(range ? range.end - range.start + 1 : file.size));
  if (range) headers.set("Content-Range", `bytes ${range.start}-${range.end}/${file.size}`);
  // The RFC 5987 form, because package IDs may hold non-ASCII letters.
  headers.set("Content-Disposition", `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`);
  // Signet's extension: what the author uploaded, before the gallery's repository signature changed the bytes.
  if (file.uploadedSha512) headers.set(UPLOADED_SHA512_HEADER, file.uploadedSha512);
  return headers;
}

/** 304 when the client already holds these bytes. */
function notModified(request: Request, file: FlatContainerFile): Response | null {
  const tag = file.caching.entityTag;
  return tag && requestHoldsEntity(request, tag)
    ? new Response(null, { status: 304, headers: cacheHeaders(file) })
    : null;
}

function rangeAnswer(request: Request, file: FlatContainerFile): RangeAnswer {
  if (!ifRangeHolds(request.headers.get("if-range"), file.caching.entityTag)) return { kind: "whole" };
  return answerRange(request.headers.get("range"), file.size);
}

async function find(context: Context): Promise<FlatContainerFile> {
  const { id, version, file } = await context.params;
  return findFlatContainerFile(getDb(), getStorage(), { packageId: id, version, fileName: file });
}

export const GET = withErrorHandling(async (request: Request, context: Context) => {
  const file = await find(context);
  const unchanged = notModified(request, file);
  if (unchanged) return unchanged;
  const answer = rangeAnswer(request, file);
  if (answer.kind === "unsatisfiable") {
    const headers = cacheHeaders(file);
    headers.set("Content-Range", `bytes */${file.size}`);
    return jsonError(
      "RANGE_NOT_SATISFIABLE",
      `The requested byte range is outside the ${file.size}-byte file ${file.fileName}.`,
      { headers },
    );
  }
  const range = answer.kind === "partial" ? answer.range : undefined;
  const body = await file.open(range);
  // A download counts when the file is sent from its first byte: the whole file, or a range that
  // starts at 0. Resuming (a range further on), HEAD, 304 and 416 do not count, so a download
  // fetched in pieces counts once.
  if (file.downloadOf && (range === undefined || range.start === 0))
    services.getDownloadCounter().count(file.downloadOf);
  return new Response(body, { status: range ? 206 : 200, headers: fileHeaders(file, range) });
});

export const HEAD = withErrorHandling(async (request: Request, context: Context) => {
  const file = await find(context);
  return notModified(request, file) ?? new Response(null, { headers: fileHeaders(file) });
});
