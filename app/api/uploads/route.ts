// The upload page's first step: the package arrives as multipart form data, is judged, and is
// kept as a PREVIEW attempt that only its uploader can submit or cancel, or, when the rules
// refuse it, recorded as a refused upload in quarantine. previewPackage moves or removes the
// staged file whatever happens, so nothing is left behind here.
import { toUploadPreview } from "@/app/upload/preview-model";
import { requireApiUser } from "@/lib/web/session";
import { maxPackageBytes } from "@/lib/config";
import { getDb, getStorage, services } from "@/lib/services";
import { withErrorHandling } from "@/lib/http/errors";
import { previewPackage, receiveMultipartPackage } from "@/lib/uploads";

export const dynamic = "force-dynamic";

export const POST = withErrorHandling(async (request: Request) => {
  const user = await requireApiUser(request, "multipart");
  const received = await receiveMultipartPackage(request, { maxBytes: maxPackageBytes(), staging: services.staging });
  const { attemptId, judgement, refused } = await previewPackage(getDb(), getStorage(), received, {
    ...services.judging(),
    uploaderId: user.id,
  });
  return Response.json({ preview: toUploadPreview(attemptId, judgement, refused) }, { status: 201 });
});
