// Every request body that is not a package is small: JSON for the API, forms for sign-in and
// server actions. It is read here with a limit checked before anything is buffered (the declared
// Content-Length first, then while streaming), so a 200 MB POST costs the server 64 KiB of
// memory and a 413, not 600 MB. Package uploads stream to disk under their own limit
// (lib/uploads/receive.ts).
import { IssueError } from "@/lib/issues";

/** The largest JSON or form body the gallery reads. */
export const MAX_BODY_BYTES = 64 * 1024;

export function bodyTooLarge(maxBytes = MAX_BODY_BYTES): IssueError {
  return new IssueError(
    "BODY_TOO_LARGE",
    `This request's body is larger than ${maxBytes / 1024} KiB, the most the gallery reads for anything but a package upload.`,
  );
}

/** Throws BODY_TOO_LARGE when the request declares a body over the limit. */
export function assertDeclaredLengthWithin(request: Request, maxBytes = MAX_BODY_BYTES): void {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > maxBytes) throw bodyTooLarge(maxBytes);
}

/**
 * Throws LENGTH_REQUIRED when a body arrives without a declared length (chunked). For server
 * actions, which Next reads itself: it stops a chunked body at its limit but then answers 500,
 * and browsers always declare the length of what a form or an action sends.
 */
export function assertLengthDeclared(request: Request): void {
  if (request.headers.get("content-length") === null) {
    throw new IssueError(
      "LENGTH_REQUIRED",
      "This request sends a body without declaring its length (Content-Length); send the length with the body.",
    );
  }
}

/** The body's bytes, at most `maxBytes` of them; throws BODY_TOO_LARGE (413) past that. */
export async function readBodyBytes(request: Request, maxBytes = MAX_BODY_BYTES): Promise<Uint8Array> {
  assertDeclaredLengthWithin(request, maxBytes);
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw bodyTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, length);
}

/** The body as text (UTF-8), within the limit. */
export async function readBodyText(request: Request, maxBytes = MAX_BODY_BYTES): Promise<string> {
  return new TextDecoder().decode(await readBodyBytes(request, maxBytes));
}

/**
 * The body parsed as JSON within the limit. An empty body is `emptyAs` when given; otherwise
 * an empty or malformed body throws INVALID_REQUEST with `expected` as its sentence.
 */
export async function readJsonBody(
  request: Request,
  expected: string,
  options: { emptyAs?: unknown } = {},
): Promise<unknown> {
  const text = await readBodyText(request);
  if (!text.trim() && "emptyAs" in options) return options.emptyAs;
  try {
    return JSON.parse(text);
  } catch {
    throw new IssueError("INVALID_REQUEST", expected);
  }
}
