// The publication log's verifier key, `<name>+<key ID>+<base64 public key>` (the signed-note
// key format of golang.org/x/mod/sumdb/note), for clients to pin: verify --log and the monitor.
import { withErrorHandling } from "@/lib/http/errors";
import { verifierKeyString } from "@/lib/tlog/note";
import { gallerySigner } from "@/lib/services";

export const dynamic = "force-dynamic";

export const GET = withErrorHandling(async () => {
  return new Response(`${verifierKeyString(gallerySigner())}\n`, {
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
});
