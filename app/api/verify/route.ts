// Verify a copy (lib/copies/verify-copy.ts), for anyone and for scripts:
//   POST /api/verify with the .nupkg as the body (application/octet-stream) or as the file part
//   of multipart/form-data: streamed to a staging file under the package size limit, compared,
//   and removed;
//   GET /api/verify?sha512=<hex or base64>: what a hash alone can tell.
// Nothing is stored and no account is needed.
import { z } from "zod";
import { galleryFeedFor } from "@/app/_components/feed-source";
import { maxPackageBytes } from "@/lib/config";
import { checkCopyFile, checkCopyHash } from "@/lib/copies/verify-copy";
import { galleryRepositorySigner, galleryTrustStore, getDb, getStorage, services } from "@/lib/services";
import { withErrorHandling } from "@/lib/http/errors";
import { IssueError } from "@/lib/issues";
import { discardReceivedPackage, receiveMultipartPackage, receivePackageStream } from "@/lib/uploads";
import { withOwnRoots } from "@/lib/uploads/repository-sign";

export const dynamic = "force-dynamic";

const hashQuery = z.object({ sha512: z.string().max(200) });

export const GET = withErrorHandling(async (request: Request) => {
  const parsed = hashQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success)
    throw new IssueError("HASH_MISSING", "Give the copy's SHA-512 as ?sha512=, or POST the .nupkg itself.");
  return Response.json({
    answer: await checkCopyHash({ db: getDb(), feed: await galleryFeedFor(request) }, parsed.data.sha512),
  });
});

export const POST = withErrorHandling(async (request: Request) => {
  const contentType = request.headers.get("content-type") ?? "";
  const options = { maxBytes: maxPackageBytes(), staging: services.staging };
  let received;
  if (/^multipart\/form-data\b/i.test(contentType)) received = await receiveMultipartPackage(request, options);
  else if (/^application\/(octet-stream|zip)\b/i.test(contentType))
    received = await receivePackageStream(request.body, options);
  else
    throw new IssueError(
      "UNSUPPORTED_MEDIA_TYPE",
      "Send the .nupkg as application/octet-stream, or as the file part of multipart/form-data.",
    );
  try {
    // The gallery's own roots too (the development root), so its repository signatures count as its own.
    const trust = withOwnRoots(galleryTrustStore(), await galleryRepositorySigner());
    const answer = await checkCopyFile(
      { db: getDb(), feed: await galleryFeedFor(request), storage: getStorage(), trust },
      received,
    );
    return Response.json({ answer });
  } finally {
    await discardReceivedPackage(received);
  }
});
