// Package downloads (the stored .nupkg, streamed, for restore and the package pages' download
// links) and manifests. HEAD answers the same headers without opening the file.
import { getDb } from "@/lib/db";
import { findFlatContainerFile, UPLOADED_SHA512_HEADER, type FlatContainerFile } from "@/lib/feed/flat-container";
import { withErrorHandling } from "@/lib/http/errors";
import { getStorage } from "@/lib/storage";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string; version: string; file: string }> };

function fileHeaders(file: FlatContainerFile): Headers {
  const headers = new Headers({
    "Content-Type": file.contentType,
    "Content-Length": String(file.size),
    // The RFC 5987 form, because package IDs may hold non-ASCII letters.
    "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    // A published version's bytes never change.
    "Cache-Control": "public, max-age=31536000, immutable",
  });
  // Signet's extension: what the author uploaded, before the gallery's repository signature changed the bytes.
  if (file.uploadedSha512) headers.set(UPLOADED_SHA512_HEADER, file.uploadedSha512);
  return headers;
}

async function find(context: Context): Promise<FlatContainerFile> {
  const { id, version, file } = await context.params;
  return findFlatContainerFile(getDb(), getStorage(), { packageId: id, version, fileName: file });
}

export const GET = withErrorHandling(async (_request: Request, context: Context) => {
  const file = await find(context);
  return new Response(await file.open(), { headers: fileHeaders(file) });
});

export const HEAD = withErrorHandling(async (_request: Request, context: Context) => {
  return new Response(null, { headers: fileHeaders(await find(context)) });
});
