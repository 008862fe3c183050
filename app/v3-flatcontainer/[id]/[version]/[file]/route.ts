// Package downloads (the stored .nupkg, streamed, for restore and the package pages' download
// links) and manifests.
import { getDb } from "@/lib/db";
import { openFlatContainerFile, UPLOADED_SHA512_HEADER } from "@/lib/feed/flat-container";
import { withErrorHandling } from "@/lib/http/errors";
import { getStorage } from "@/lib/storage";

export const dynamic = "force-dynamic";

type Params = { id: string; version: string; file: string };

export const GET = withErrorHandling(async (_request: Request, context: { params: Promise<Params> }) => {
  const { id, version, file } = await context.params;
  const download = await openFlatContainerFile(getDb(), getStorage(), { packageId: id, version, fileName: file });
  return new Response(download.content, {
    headers: {
      "Content-Type": download.contentType,
      "Content-Length": String(download.size),
      // The RFC 5987 form, because package IDs may hold non-ASCII letters.
      "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(download.fileName)}`,
      // A published version's bytes never change.
      "Cache-Control": "public, max-age=31536000, immutable",
      // Signet's extension: what the author uploaded, before the gallery's repository signature changed the bytes.
      ...(download.uploadedSha512 ? { [UPLOADED_SHA512_HEADER]: download.uploadedSha512 } : {}),
    },
  });
});
