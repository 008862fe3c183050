import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  EXTENDED_KEY_USAGE,
  certificatePem,
  createRootAuthority,
  generateRsaKey,
  issueCertificate,
  timestampSignerFor,
  type TestCertificate,
} from "@/test/support/pki";

import { respondToTimestampRequest, type TimestampAuthority } from "./authority";
import { SIGNING_CERTIFICATE_V2_OID } from "./ess";

const execFileAsync = promisify(execFile);

const POLICY = "1.3.6.1.4.1.55555.1.1";
const SHA256 = "2.16.840.1.101.3.4.2.1";
const SHA1 = "1.3.14.3.2.26";

let root: TestCertificate;
let tsa: TestCertificate;
let authority: TimestampAuthority;

beforeAll(async () => {
  const [rootKey, tsaKey] = await Promise.all([generateRsaKey(), generateRsaKey()]);
  root = await createRootAuthority("Signet Test TSA Root", rootKey);
  tsa = await issueCertificate({
    commonName: "Signet Test TSA",
    key: tsaKey,
    issuer: root,
    extendedKeyUsages: [EXTENDED_KEY_USAGE.timeStamping],
  });
  authority = { signer: await timestampSignerFor(tsa), policy: POLICY, accuracySeconds: 1 };
});

interface RequestShape {
  version?: number;
  hashAlgorithm?: string;
  hashedMessage?: Uint8Array;
  nonce?: Uint8Array;
  certReq?: boolean;
  reqPolicy?: string;
}

function timestampRequest(shape: RequestShape = {}): Uint8Array {
  const request = new pkijs.TimeStampReq({
    version: shape.version ?? 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: shape.hashAlgorithm ?? SHA256 }),
      hashedMessage: new asn1js.OctetString({ valueHex: shape.hashedMessage ?? new Uint8Array(32).fill(0xab) }),
    }),
    certReq: shape.certReq ?? true,
    ...(shape.nonce ? { nonce: new asn1js.Integer({ valueHex: shape.nonce }) } : {}),
    ...(shape.reqPolicy ? { reqPolicy: shape.reqPolicy } : {}),
  });
  return new Uint8Array(request.toSchema().toBER());
}

function parseResponse(der: Uint8Array<ArrayBuffer>): pkijs.TimeStampResp {
  return pkijs.TimeStampResp.fromBER(der);
}

function tokenParts(response: pkijs.TimeStampResp): { signedData: pkijs.SignedData; tstInfo: pkijs.TSTInfo } {
  const token = response.timeStampToken;
  if (!token) throw new Error("granted response without a token");
  const signedData = new pkijs.SignedData({ schema: token.content });
  const eContent = signedData.encapContentInfo.eContent;
  if (!eContent) throw new Error("token without TSTInfo");
  return { signedData, tstInfo: pkijs.TSTInfo.fromBER(eContent.getValue()) };
}

function failInfoBit(response: pkijs.TimeStampResp): number {
  const bits = response.status.failInfo?.valueBlock.valueHexView;
  if (!bits) throw new Error("rejection without failInfo");
  const byteIndex = bits.findIndex((byte) => byte !== 0);
  const byte = bits[byteIndex] ?? 0;
  return byteIndex * 8 + Math.clz32(byte) - 24;
}

describe("respondToTimestampRequest: granted tokens", () => {
  it("echoes the imprint and nonce, states the policy and a current genTime, and signs with the TSA certificate", async () => {
    const stampedData = crypto.getRandomValues(new Uint8Array(100));
    const imprint = new Uint8Array(await crypto.subtle.digest("SHA-256", stampedData));
    const nonce = new Uint8Array([0x01, 0x23, 0x45, 0x67, 0x89, 0xab]);
    const before = Date.now();

    const response = parseResponse(
      await respondToTimestampRequest(authority, timestampRequest({ hashedMessage: imprint, nonce })),
    );

    expect(response.status.status).toBe(pkijs.PKIStatus.granted);
    const { signedData, tstInfo } = tokenParts(response);
    expect(signedData.encapContentInfo.eContentType).toBe("1.2.840.113549.1.9.16.1.4");
    expect(tstInfo.policy).toBe(POLICY);
    expect(tstInfo.messageImprint.hashAlgorithm.algorithmId).toBe(SHA256);
    expect(Buffer.from(tstInfo.messageImprint.hashedMessage.valueBlock.valueHexView)).toEqual(Buffer.from(imprint));
    expect(Buffer.from(tstInfo.nonce?.valueBlock.valueHexView ?? [])).toEqual(Buffer.from(nonce));
    expect(tstInfo.accuracy?.seconds).toBe(1);
    expect(tstInfo.genTime.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(tstInfo.genTime.getTime()).toBeLessThanOrEqual(Date.now());

    const included = (signedData.certificates ?? []).map((certificate) =>
      Buffer.from((certificate as pkijs.Certificate).toSchema().toBER()),
    );
    expect(included).toEqual([Buffer.from(tsa.der), Buffer.from(root.der)]);
    const verification = await signedData.verify({
      signer: 0,
      data: stampedData.buffer,
      trustedCerts: [root.certificate],
      checkChain: true,
      extendedMode: true,
    });
    expect(verification.signatureVerified).toBe(true);
  });

  it("carries a signing-certificate-v2 attribute naming the TSA certificate by SHA-256 hash and issuer/serial", async () => {
    const { signedData } = tokenParts(parseResponse(await respondToTimestampRequest(authority, timestampRequest())));
    const attribute = signedData.signerInfos[0]?.signedAttrs?.attributes.find(
      (candidate) => candidate.type === SIGNING_CERTIFICATE_V2_OID,
    );
    const essCertId = (attribute?.values[0] as asn1js.Sequence | undefined)?.valueBlock.value[0] as
      asn1js.Sequence | undefined;
    const [hashAlgorithm, certHash, issuerSerial] = (essCertId?.valueBlock.value[0] as asn1js.Sequence).valueBlock
      .value as [asn1js.Sequence, asn1js.OctetString, asn1js.Sequence];

    expect(new pkijs.AlgorithmIdentifier({ schema: hashAlgorithm }).algorithmId).toBe(SHA256);
    const expectedHash = new Uint8Array(await crypto.subtle.digest("SHA-256", tsa.der));
    expect(Buffer.from(certHash.valueBlock.valueHexView)).toEqual(Buffer.from(expectedHash));
    const serial = issuerSerial.valueBlock.value[1] as asn1js.Integer;
    expect(serial.isEqual(tsa.certificate.serialNumber)).toBe(true);
  });

  it("leaves the certificates out when the request does not ask for them", async () => {
    const { signedData } = tokenParts(
      parseResponse(await respondToTimestampRequest(authority, timestampRequest({ certReq: false }))),
    );
    expect(signedData.certificates ?? []).toHaveLength(0);
  });

  it("states the time its clock gives, to whole seconds", async () => {
    const stated = new Date("2031-05-06T07:08:09.750Z");
    const response = parseResponse(
      await respondToTimestampRequest({ ...authority, clock: () => stated }, timestampRequest()),
    );
    expect(tokenParts(response).tstInfo.genTime.toISOString()).toBe("2031-05-06T07:08:09.000Z");
  });

  it("encodes every serial number as a positive, minimal DER INTEGER", async () => {
    // Random serials must never start 0x00 0x0?..0x7? (not DER) nor 0x80.. (negative).
    const firstBytes = await Promise.all(
      Array.from({ length: 500 }, async () => {
        const { tstInfo } = tokenParts(
          parseResponse(await respondToTimestampRequest(authority, timestampRequest({ certReq: false }))),
        );
        return tstInfo.serialNumber.valueBlock.valueHexView[0] ?? 0;
      }),
    );
    expect(firstBytes.filter((byte) => byte === 0 || byte >= 0x80)).toEqual([]);
  });

  it("issues a different serial number for each token", async () => {
    const serials = await Promise.all(
      [1, 2, 3].map(async () => {
        const { tstInfo } = tokenParts(parseResponse(await respondToTimestampRequest(authority, timestampRequest())));
        return Buffer.from(tstInfo.serialNumber.valueBlock.valueHexView).toString("hex");
      }),
    );
    expect(new Set(serials).size).toBe(3);
  });
});

describe("respondToTimestampRequest: rejections", () => {
  const cases: Array<[string, () => Uint8Array, number]> = [
    ["bytes that are not a TimeStampReq", () => new TextEncoder().encode("not a request"), 5],
    ["a request with trailing bytes", () => new Uint8Array([...timestampRequest(), 0x00]), 5],
    ["version 2", () => timestampRequest({ version: 2 }), 2],
    ["a SHA-1 imprint", () => timestampRequest({ hashAlgorithm: SHA1, hashedMessage: new Uint8Array(20) }), 0],
    ["an imprint of the wrong length", () => timestampRequest({ hashedMessage: new Uint8Array(20) }), 5],
    ["a policy the authority does not offer", () => timestampRequest({ reqPolicy: "1.2.3.4" }), 15],
  ];

  it.each(cases)("rejects %s with the matching failInfo bit and a reason", async (_name, request, bit) => {
    const response = parseResponse(await respondToTimestampRequest(authority, request()));
    expect(response.status.status).toBe(pkijs.PKIStatus.rejection);
    expect(response.timeStampToken).toBeUndefined();
    expect(failInfoBit(response)).toBe(bit);
    expect(response.status.statusStrings?.[0]?.valueBlock.value).toMatch(/\w+/);
  });

  it("grants a request naming its own policy", async () => {
    const response = parseResponse(await respondToTimestampRequest(authority, timestampRequest({ reqPolicy: POLICY })));
    expect(response.status.status).toBe(pkijs.PKIStatus.granted);
  });
});

describe("respondToTimestampRequest: checked by openssl ts -verify", () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), "tsa-openssl-"));
  });

  afterAll(() => rm(directory, { recursive: true, force: true }));

  async function opensslVerify(queryData: string, verifyData: string): Promise<string> {
    const dataPath = path.join(directory, "data.txt");
    const queryPath = path.join(directory, "request.tsq");
    const replyPath = path.join(directory, "reply.tsr");
    const rootPath = path.join(directory, "root.pem");
    await writeFile(dataPath, queryData);
    await execFileAsync("openssl", ["ts", "-query", "-data", dataPath, "-sha256", "-cert", "-out", queryPath]);
    await writeFile(replyPath, await respondToTimestampRequest(authority, new Uint8Array(await readFile(queryPath))));
    await writeFile(rootPath, certificatePem(root));
    await writeFile(dataPath, verifyData);
    const { stdout } = await execFileAsync("openssl", [
      "ts",
      "-verify",
      "-in",
      replyPath,
      "-data",
      dataPath,
      "-CAfile",
      rootPath,
    ]);
    return stdout;
  }

  it("verifies the reply against the stamped data and the TSA root", async () => {
    await expect(opensslVerify("stamped bytes", "stamped bytes")).resolves.toContain("Verification: OK");
  });

  it("fails when the data differs from what was stamped", async () => {
    await expect(opensslVerify("stamped bytes", "other bytes")).rejects.toThrow(/message imprint mismatch/);
  });
});
