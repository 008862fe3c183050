// One proof-of-possession challenge: GET downloads what to sign (?format=txt, the text for
// openssl cms; ?format=nupkg, the package for dotnet nuget sign); POST uploads the signed
// answer as { "file": "<base64>" } (the signed .nupkg, or the CMS signature in DER or PEM).
// Answering activates a certificate, so it needs a recent second factor like registering does.
import { z } from "zod";
import { requireApiUser, requireApiUserWithSecondFactor } from "@/lib/web/session";
import { getDb } from "@/lib/services";
import { readJsonBody } from "@/lib/http/body";
import { withErrorHandling } from "@/lib/http/errors";
import { IssueError } from "@/lib/issues";
import {
  answerChallenge,
  challengePackage,
  MAX_CHALLENGE_ANSWER_BYTES,
  readChallengeText,
} from "@/lib/identity/possession";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ challengeId: string }> };

const Answer = z.strictObject({
  file: z
    .base64()
    .max(
      Math.ceil(MAX_CHALLENGE_ANSWER_BYTES / 3) * 4,
      "The signed file is larger than any signed challenge; upload the signed challenge itself.",
    ),
});

export const GET = withErrorHandling(async (request: Request, context: Context) => {
  const user = await requireApiUser(request);
  const { challengeId } = await context.params;
  const format = new URL(request.url).searchParams.get("format") ?? "txt";
  const headers = { "Cache-Control": "no-store" };
  if (format === "txt") {
    const text = await readChallengeText(getDb(), user.id, challengeId);
    return new Response(text, {
      headers: {
        ...headers,
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Disposition": 'attachment; filename="challenge.txt"',
      },
    });
  }
  if (format === "nupkg") {
    const { fileName, bytes } = await challengePackage(getDb(), user.id, challengeId);
    return new Response(Buffer.from(bytes), {
      headers: {
        ...headers,
        "Content-Type": "application/octet-stream",
        "Content-Disposition": `attachment; filename="${fileName}"`,
      },
    });
  }
  throw new IssueError("INVALID_REQUEST", "format is txt (for openssl cms) or nupkg (for dotnet nuget sign).");
});

export const POST = withErrorHandling(async (request: Request, context: Context) => {
  const user = await requireApiUserWithSecondFactor(request);
  const { challengeId } = await context.params;
  const { file } = Answer.parse(
    await readJsonBody(
      request,
      'The request body must be JSON: { "file": "<base64 of the signed .nupkg or the CMS signature>" }.',
    ),
  );
  const proven = await answerChallenge(getDb(), user.id, challengeId, new Uint8Array(Buffer.from(file, "base64")));
  return Response.json({ proven }, { headers: { "Cache-Control": "no-store" } });
});
