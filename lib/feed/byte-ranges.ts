// HTTP Range requests on the flat container (RFC 9110 §14), so an interrupted download resumes
// where it stopped. One range is served as 206 with Content-Range; several ranges in one request
// are answered with the whole file (200), which RFC 9110 allows and every client accepts, rather
// than a multipart/byteranges body no NuGet client asks for. A header that is not a byte range
// at all is ignored (200), as the RFC says; a byte range that starts past the end is 416.
import type { ByteRange } from "@/lib/storage";

export type RangeAnswer =
  /** Send the whole file (no Range, several ranges, an unreadable header or a stale If-Range). */
  { kind: "whole" } | { kind: "partial"; range: ByteRange } | { kind: "unsatisfiable" };

const WHOLE: RangeAnswer = { kind: "whole" };
// Longer headers are not single ranges of a file under 2^53 bytes; they are ignored unread.
const MAX_HEADER_LENGTH = 100;
const MAX_DIGITS = 15;

function position(text: string): number | null {
  if (text.length === 0 || text.length > MAX_DIGITS) return null;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 48 || code > 57) return null;
  }
  return Number(text);
}

/** What to answer for a Range header value on a file of `size` bytes. */
export function answerRange(header: string | null, size: number): RangeAnswer {
  if (header === null || header.length > MAX_HEADER_LENGTH) return WHOLE;
  const trimmed = header.trim();
  if (!trimmed.toLowerCase().startsWith("bytes=")) return WHOLE;
  const spec = trimmed.slice("bytes=".length).trim();
  if (spec.includes(",")) return WHOLE;
  const dash = spec.indexOf("-");
  if (dash < 0) return WHOLE;
  const first = spec.slice(0, dash).trim();
  const last = spec.slice(dash + 1).trim();
  if (first === "") {
    // bytes=-n: the last n bytes.
    const length = position(last);
    if (length === null) return WHOLE;
    if (length === 0 || size === 0) return { kind: "unsatisfiable" };
    return { kind: "partial", range: { start: Math.max(0, size - length), end: size - 1 } };
  }
  const start = position(first);
  if (start === null) return WHOLE;
  const end = last === "" ? Number.MAX_SAFE_INTEGER : position(last);
  if (end === null || end < start) return WHOLE;
  if (start >= size) return { kind: "unsatisfiable" };
  return { kind: "partial", range: { start, end: Math.min(end, size - 1) } };
}

/**
 * Whether a Range may be honoured given the request's If-Range: always without one; with one,
 * only when it names the file's current strong entity tag (a date, a weak or another tag means
 * the client's partial copy may be of other bytes, so it gets the whole file).
 */
export function ifRangeHolds(ifRange: string | null, entityTag: string | null): boolean {
  if (ifRange === null) return true;
  return entityTag !== null && ifRange.trim() === entityTag;
}
