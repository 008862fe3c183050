// `npm run verify -- --against <gallery URL> file.nupkg`: asks a gallery whether the file is what
// it published (POST /api/verify, lib/copies/verify-copy.ts) and prints its answer. Loaded by
// scripts/verify.ts only when --against is given, so plain verification starts no faster or
// slower for it. It imports nothing but types: the gallery does the work.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import type { CopyAnswer, CopyAnswerKind } from "@/lib/copies/verify-copy";

/** 0: what the gallery published; 3: genuine files in other bytes; 1: changed; 2: nothing to compare, or a failure. */
export const AGAINST_EXIT: Record<CopyAnswerKind, number> = {
  identical: 0,
  "author-upload": 0,
  "same-contents": 3,
  rezipped: 3,
  tampered: 1,
  unknown: 2,
  unreadable: 2,
};

function describe(file: string, answer: CopyAnswer): string {
  const lines = [`${file}: ${answer.kind.toUpperCase()}`, answer.sentence];
  if (answer.package) lines.push(`package:    ${answer.package.id} ${answer.package.version}`);
  if (answer.signature) {
    lines.push(
      `signed by:  ${answer.signature.signerName ?? "no author signature"}${answer.signature.signerFingerprint ? ` (SHA-256 ${answer.signature.signerFingerprint})` : ""}`,
    );
    lines.push(`repository: ${answer.signature.repositoryName ?? "no repository signature"}`);
  }
  for (const part of ["changed", "added", "removed"] as const) {
    if (answer.differences && answer.differences[part].length > 0)
      lines.push(`${part}:${" ".repeat(11 - part.length)}${answer.differences[part].join(", ")}`);
  }
  for (const verdict of answer.verdicts ?? [])
    lines.push(`${verdict.mode.padEnd(10)} ${verdict.outcome.padEnd(7)} ${verdict.sentence}`);
  lines.push(`SHA-512:    ${answer.sha512}`);
  return lines.join("\n");
}

/** Sends the file (streamed) and prints the gallery's answer; returns the exit code. */
export async function verifyAgainst(galleryUrl: string, file: string, json: boolean): Promise<number> {
  let endpoint: URL;
  try {
    endpoint = new URL("/api/verify", galleryUrl);
  } catch {
    console.error(`'${galleryUrl}' is not a URL; give the gallery's address, e.g. https://nuget.example.`);
    return 2;
  }
  try {
    await stat(file);
  } catch (cause) {
    console.error(`Cannot open ${file}: ${(cause as Error).message}`);
    return 2;
  }
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>,
      duplex: "half",
    } as RequestInit);
  } catch (cause) {
    console.error(`Cannot reach ${endpoint.origin}: ${(cause as Error).message}`);
    return 2;
  }
  const body = (await response.json().catch(() => null)) as {
    answer?: CopyAnswer;
    error?: { code: string; message: string };
  } | null;
  if (!response.ok || !body?.answer) {
    console.error(
      body?.error ? `${body.error.code}: ${body.error.message}` : `${endpoint.origin} answered ${response.status}.`,
    );
    return 2;
  }
  console.log(json ? JSON.stringify(body.answer, null, 2) : describe(file, body.answer));
  return AGAINST_EXIT[body.answer.kind];
}
