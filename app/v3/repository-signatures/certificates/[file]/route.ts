// A listed repository signing certificate, DER, as RepositorySignatures' contentUrl promises.
import { getDb } from "@/lib/services";
import { repositorySigningCertificateDer } from "@/lib/feed/repository-signatures";
import { withErrorHandling } from "@/lib/http/errors";
import { IssueError } from "@/lib/issues";

export const dynamic = "force-dynamic";

export const GET = withErrorHandling(async (_request: Request, context: { params: Promise<{ file: string }> }) => {
  const { file } = await context.params;
  const fingerprint = file.toLowerCase().endsWith(".crt") ? file.slice(0, -".crt".length).toLowerCase() : "";
  const der = await repositorySigningCertificateDer(getDb(), fingerprint);
  if (!der)
    throw new IssueError(
      "CERTIFICATE_NOT_FOUND",
      `The gallery has not signed with a certificate whose SHA-256 fingerprint is '${fingerprint || file}'.`,
    );
  return new Response(new Uint8Array(der), {
    headers: {
      "Content-Type": "application/pkix-cert",
      "Content-Disposition": `attachment; filename="${fingerprint}.crt"`,
      "Cache-Control": "public, max-age=31536000, immutable",
    },
  });
});
