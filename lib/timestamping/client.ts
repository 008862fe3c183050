// Asking a time-stamping authority over HTTP, as NuGet.Client's Rfc3161TimestampProvider does: POST the DER
// TimeStampReq as application/timestamp-query, read the DER TimeStampResp, give up after 10 s.
// The answer is bounded before it is buffered: a token with its chain is a few kilobytes.

const TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 256 * 1024;

export function httpTimestamper(url: string): (request: Uint8Array) => Promise<Uint8Array> {
  const target = new URL(url);
  if (target.protocol !== "http:" && target.protocol !== "https:")
    throw new Error(`The timestamp authority URL must be http or https, not '${url}'.`);
  return async (request) => {
    const response = await fetch(target, {
      method: "POST",
      headers: { "content-type": "application/timestamp-query" },
      body: new Uint8Array(request),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!response.ok || !response.body)
      throw new Error(`The timestamp authority at ${target.origin} answered HTTP ${response.status}.`);
    const chunks: Uint8Array[] = [];
    let length = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      length += chunk.byteLength;
      if (length > MAX_RESPONSE_BYTES)
        throw new Error(`The timestamp authority at ${target.origin} sent more than ${MAX_RESPONSE_BYTES} bytes.`);
      chunks.push(chunk);
    }
    return new Uint8Array(Buffer.concat(chunks));
  };
}
