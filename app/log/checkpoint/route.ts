// The publication log's signed checkpoint (C2SP tlog-checkpoint), at <gallery>/log/checkpoint.
import { gallerySigner, getDb } from "@/lib/services";
import { withErrorHandling } from "@/lib/http/errors";
import { signedHead } from "@/lib/tlog/serve";

export const dynamic = "force-dynamic";

export const GET = withErrorHandling(async () => {
  const { checkpoint } = await signedHead(getDb(), gallerySigner());
  // The tree grows with every publication: clients should not keep a copy for long.
  return new Response(checkpoint, {
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "public, max-age=2" },
  });
});
