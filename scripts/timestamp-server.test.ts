import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  EXTENDED_KEY_USAGE,
  createRootAuthority,
  generateRsaKey,
  issueCertificate,
  timestampSignerFor,
} from "@/test/support/pki";

import { startTimestampServer, type RunningTimestampServer } from "@/scripts/timestamp-server";

const QUERY_TYPE = "application/timestamp-query";
let server: RunningTimestampServer;

beforeAll(async () => {
  const [rootKey, tsaKey] = await Promise.all([generateRsaKey(), generateRsaKey()]);
  const root = await createRootAuthority("Signet Test TSA Root", rootKey);
  const tsa = await issueCertificate({
    commonName: "Signet Test TSA",
    key: tsaKey,
    issuer: root,
    extendedKeyUsages: [EXTENDED_KEY_USAGE.timeStamping],
  });
  server = await startTimestampServer(
    { signer: await timestampSignerFor(tsa), policy: "1.3.6.1.4.1.55555.1.1" },
    { maxRequestBytes: 1024 },
  );
});

afterAll(() => server.close());

function sha256Request(): Uint8Array<ArrayBuffer> {
  const request = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: "2.16.840.1.101.3.4.2.1" }),
      hashedMessage: new asn1js.OctetString({ valueHex: new Uint8Array(32).fill(7) }),
    }),
    certReq: true,
  });
  return new Uint8Array(request.toSchema().toBER());
}

async function statusOf(response: Response): Promise<pkijs.PKIStatus> {
  return pkijs.TimeStampResp.fromBER(await response.arrayBuffer()).status.status;
}

describe("startTimestampServer", () => {
  it("listens on loopback with an ephemeral port", () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    expect(server.port).toBeGreaterThan(0);
  });

  it("answers a time-stamp query with a granted time-stamp reply", async () => {
    const response = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": QUERY_TYPE },
      body: sha256Request(),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/timestamp-reply");
    expect(await statusOf(response)).toBe(pkijs.PKIStatus.granted);
  });

  it("answers an unreadable query with a rejection reply, not an HTTP error", async () => {
    const response = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": QUERY_TYPE },
      body: "garbage",
    });
    expect(response.status).toBe(200);
    expect(await statusOf(response)).toBe(pkijs.PKIStatus.rejection);
  });

  it("refuses other methods with 405 and an Allow header", async () => {
    const response = await fetch(server.url);
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });

  it("refuses other media types with 415", async () => {
    const response = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: sha256Request(),
    });
    expect(response.status).toBe(415);
    expect(await response.text()).toContain(QUERY_TYPE);
  });

  it("refuses bodies over the size limit with 413", async () => {
    const response = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": QUERY_TYPE },
      body: new Uint8Array(4096),
    });
    expect(response.status).toBe(413);
  });

  it("refuses oversized chunked bodies with 413 once the limit is passed", async () => {
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let index = 0; index < 4; index += 1) controller.enqueue(new Uint8Array(512));
        controller.close();
      },
    });
    const response = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": QUERY_TYPE },
      body: chunks,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
  });
});
