// Online revocation against a CRL distribution point and an OCSP responder served on
// 127.0.0.1 by the test itself (no internet): revoked is an error (NU3012), good is silent,
// no answer (refused, 404, or too slow for the timeout) is "revocation status unknown".

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPackageSignatures, type SignatureReport } from "@/lib/signing";
import { OID } from "@/lib/signing/oids";
import { bufferSource } from "@/lib/zip/source";
import {
  EXTENDED_KEY_USAGE,
  generateRsaKey,
  issueCertificate,
  signingKeyFor,
  type TestCertificate,
} from "@/test/support/pki";
import { createTestPki, signedPackage, trustOf, type TestPki } from "@/test/support/signing";

const URI = 6;

type Answer = "good" | "revoked" | "not-found" | "silent";

let pki: TestPki;
let server: Server;
let baseUrl: string;
/** What the responder says about each certificate, by serial number (hex). */
const answers = new Map<string, Answer>();

function serialOf(certificate: pkijs.Certificate): string {
  return Buffer.from(certificate.serialNumber.valueBlock.valueHexView).toString("hex");
}

async function readBody(request: import("node:http").IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

async function crlFor(serial: string): Promise<Uint8Array> {
  const root = pki.codeSigningRoot;
  const crl = new pkijs.CertificateRevocationList({
    version: 1,
    issuer: root.certificate.subject,
    thisUpdate: new pkijs.Time({ type: 0, value: new Date(Date.now() - 3_600_000) }),
    nextUpdate: new pkijs.Time({ type: 0, value: new Date(Date.now() + 3_600_000) }),
  });
  if (answers.get(serial) === "revoked") {
    crl.revokedCertificates = [
      new pkijs.RevokedCertificate({
        userCertificate: new asn1js.Integer({ valueHex: Buffer.from(serial, "hex") }),
        revocationDate: new pkijs.Time({ type: 0, value: new Date(Date.now() - 60_000) }),
      }),
    ];
  }
  await crl.sign(await signingKeyFor(root.key, "SHA-256"), "SHA-256");
  return new Uint8Array(crl.toSchema(true).toBER());
}

async function ocspResponseFor(requestDer: Uint8Array): Promise<Uint8Array> {
  const request = pkijs.OCSPRequest.fromBER(requestDer.slice());
  const certId = request.tbsRequest.requestList[0]?.reqCert;
  if (!certId) throw new Error("empty OCSP request");
  const answer = answers.get(Buffer.from(certId.serialNumber.valueBlock.valueHexView).toString("hex"));
  const status =
    answer === "revoked"
      ? new asn1js.Constructed({
          idBlock: { tagClass: 3, tagNumber: 1 },
          value: [new asn1js.GeneralizedTime({ valueDate: new Date(Date.now() - 60_000) })],
        })
      : new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 } });
  const basic = new pkijs.BasicOCSPResponse({
    tbsResponseData: new pkijs.ResponseData({
      responderID: pki.codeSigningRoot.certificate.subject,
      producedAt: new Date(),
      responses: [
        new pkijs.SingleResponse({ certID: certId, certStatus: status, thisUpdate: new Date(Date.now() - 60_000) }),
      ],
    }),
  });
  await basic.sign(await signingKeyFor(pki.codeSigningRoot.key, "SHA-256"), "SHA-256");
  const response = new pkijs.OCSPResponse({
    responseStatus: new asn1js.Enumerated({ value: 0 }),
    responseBytes: new pkijs.ResponseBytes({
      responseType: pkijs.id_PKIX_OCSP_Basic,
      response: new asn1js.OctetString({ valueHex: basic.toSchema().toBER() }),
    }),
  });
  return new Uint8Array(response.toSchema().toBER());
}

/** A code-signing certificate whose AIA and/or CDP point at the test server. */
async function certificateWithEndpoints(
  name: string,
  endpoints: { ocsp?: boolean; crl?: boolean },
  answer: Answer,
): Promise<TestCertificate> {
  const issued = await issueCertificate({
    commonName: name,
    key: await generateRsaKey(),
    issuer: pki.codeSigningRoot,
    extendedKeyUsages: [EXTENDED_KEY_USAGE.codeSigning],
  });
  const serial = serialOf(issued.certificate);
  answers.set(serial, answer);
  const extensions = issued.certificate.extensions ?? [];
  if (endpoints.ocsp) {
    const access = new pkijs.InfoAccess({
      accessDescriptions: [
        new pkijs.AccessDescription({
          accessMethod: OID.ocsp,
          accessLocation: new pkijs.GeneralName({ type: URI, value: `${baseUrl}/ocsp` }),
        }),
      ],
    });
    extensions.push(new pkijs.Extension({ extnID: OID.authorityInfoAccess, extnValue: access.toSchema().toBER() }));
  }
  if (endpoints.crl) {
    const points = new pkijs.CRLDistributionPoints({
      distributionPoints: [
        new pkijs.DistributionPoint({
          distributionPoint: [new pkijs.GeneralName({ type: URI, value: `${baseUrl}/crl/${serial}` })],
        }),
      ],
    });
    extensions.push(new pkijs.Extension({ extnID: OID.crlDistributionPoints, extnValue: points.toSchema().toBER() }));
  }
  issued.certificate.extensions = extensions;
  await issued.certificate.sign(await signingKeyFor(pki.codeSigningRoot.key, "SHA-256"), "SHA-256");
  return { ...issued, der: new Uint8Array(issued.certificate.toSchema(true).toBER()) };
}

beforeAll(async () => {
  pki = await createTestPki();
  server = createServer(async (request, response) => {
    const body = await readBody(request);
    const serial = request.url?.startsWith("/crl/") ? request.url.slice(5) : null;
    const answer = serial ? answers.get(serial) : undefined;
    if (answer === "silent") return; // never answers: the client's timeout must end the wait
    if (answer === "not-found") {
      response.writeHead(404).end();
      return;
    }
    if (serial) response.writeHead(200, { "content-type": "application/pkix-crl" }).end(await crlFor(serial));
    else response.writeHead(200, { "content-type": "application/ocsp-response" }).end(await ocspResponseFor(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function verifyOnline(signer: TestCertificate, timeoutMs = 2000): Promise<SignatureReport> {
  const bytes = await signedPackage({ primary: { signer, kind: "author", authority: null } });
  return verifyPackageSignatures(bufferSource(bytes), {
    trust: trustOf(pki),
    revocation: { mode: "online", timeoutMs },
  });
}

function revocationIssues(report: SignatureReport) {
  return report.issues
    .filter((issue) => /revo/i.test(issue.message))
    .map((issue) => ({ code: issue.code, level: issue.level }));
}

const RESPONDERS = [
  ["CRL", { crl: true }],
  ["OCSP", { ocsp: true }],
] as const;

describe("online revocation", () => {
  it.each(RESPONDERS)("%s: a revoked signer is NU3012", async (_name, endpoints) => {
    const report = await verifyOnline(await certificateWithEndpoints("Signet Revoked Author", endpoints, "revoked"));
    expect(report.status).toBe("invalid");
    expect(revocationIssues(report)).toEqual([{ code: "NU3012", level: "error" }]);
  });

  it.each(RESPONDERS)("%s: a good signer has no revocation issue", async (_name, endpoints) => {
    const report = await verifyOnline(await certificateWithEndpoints("Signet Good Author", endpoints, "good"));
    expect(report.status).toBe("valid");
    expect(revocationIssues(report)).toEqual([]);
  });

  it("a responder that does not answer within the timeout leaves the status unknown (warning)", async () => {
    const started = Date.now();
    const report = await verifyOnline(
      await certificateWithEndpoints("Signet Silent Author", { crl: true }, "silent"),
      300,
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(report.status).toBe("valid");
    expect(report.issues).toContainEqual(
      expect.objectContaining({
        code: "NU3018",
        level: "warning",
        message: expect.stringContaining("revocation status unknown"),
      }),
    );
  });

  it("a 404 from the distribution point leaves the status unknown (warning)", async () => {
    const report = await verifyOnline(
      await certificateWithEndpoints("Signet Unpublished Author", { crl: true }, "not-found"),
    );
    expect(report.status).toBe("valid");
    expect(revocationIssues(report)).toEqual([{ code: "NU3018", level: "warning" }]);
  });

  it("offline (the default) fetches nothing and warns", async () => {
    const signer = await certificateWithEndpoints("Signet Offline Author", { crl: true }, "revoked");
    const report = await verifyPackageSignatures(
      bufferSource(await signedPackage({ primary: { signer, kind: "author", authority: null } })),
      { trust: trustOf(pki) },
    );
    expect(report.status).toBe("valid");
    expect(report.issues).toContainEqual(
      expect.objectContaining({
        code: "NU3018",
        level: "warning",
        message: expect.stringContaining("revocation status unknown"),
      }),
    );
  });
});
