// The time-stamping authority over HTTP, RFC 3161 §3.4: POST application/timestamp-query, answer
// application/timestamp-reply. Listens on loopback with an ephemeral port by default so tests
// and development need nothing from outside.

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { rejectionResponse, respondToTimestampRequest, type TimestampAuthority } from "@/lib/timestamping/authority";

const QUERY_TYPE = "application/timestamp-query";
const REPLY_TYPE = "application/timestamp-reply";
/** A TimeStampReq with a SHA-512 imprint, nonce and policy is well under 200 bytes. */
const DEFAULT_MAX_REQUEST_BYTES = 16 * 1024;

export interface TimestampServerOptions {
  host?: string;
  port?: number;
  maxRequestBytes?: number;
}

export interface RunningTimestampServer {
  /** The URL to give a client, e.g. to `dotnet nuget sign --timestamper`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

class RequestTooLarge extends Error {}

function sendText(
  response: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers });
  response.end(`${message}\n`);
}

function readBody(request: IncomingMessage, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    request.on("data", (chunk: Buffer) => {
      received += chunk.byteLength;
      // Past the limit the rest is drained and dropped, so the 413 still reaches the client.
      if (received > limit) reject(new RequestTooLarge());
      else chunks.push(chunk);
    });
    request.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
    request.on("error", reject);
  });
}

function mediaType(request: IncomingMessage): string {
  return (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

async function handle(
  authority: TimestampAuthority,
  maxRequestBytes: number,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  if (request.method !== "POST") {
    sendText(response, 405, "Send time-stamp requests with POST.", { allow: "POST" });
    return;
  }
  if (mediaType(request) !== QUERY_TYPE) {
    sendText(response, 415, `The request body must be ${QUERY_TYPE}.`);
    return;
  }
  if (Number(request.headers["content-length"] ?? 0) > maxRequestBytes) {
    sendText(response, 413, `Time-stamp requests are limited to ${maxRequestBytes} bytes.`, { connection: "close" });
    return;
  }
  let body: Uint8Array;
  try {
    body = await readBody(request, maxRequestBytes);
  } catch (error) {
    if (error instanceof RequestTooLarge) {
      sendText(response, 413, `Time-stamp requests are limited to ${maxRequestBytes} bytes.`, { connection: "close" });
      return;
    }
    throw error;
  }
  let reply: Uint8Array;
  try {
    reply = await respondToTimestampRequest(authority, body);
  } catch {
    // Signing failed on our side (e.g. a key that cannot sign); the protocol has a status for that.
    reply = rejectionResponse("systemFailure", "The time-stamping authority could not sign the token.");
  }
  response.writeHead(200, { "content-type": REPLY_TYPE, "content-length": String(reply.byteLength) });
  response.end(reply);
}

export function startTimestampServer(
  authority: TimestampAuthority,
  options: TimestampServerOptions = {},
): Promise<RunningTimestampServer> {
  const host = options.host ?? "127.0.0.1";
  const maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  const server = createServer((request, response) => {
    handle(authority, maxRequestBytes, request, response).catch(() => {
      if (!response.headersSent) sendText(response, 400, "The request could not be read.");
      else response.destroy();
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://${host}:${port}/`,
        port,
        close: () =>
          new Promise<void>((done, fail) => {
            server.closeAllConnections();
            server.close((error) => (error ? fail(error) : done()));
          }),
      });
    });
  });
}
