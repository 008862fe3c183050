import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { repositorySignaturesIndex, type RepositorySigningCertificateRow } from "./repository-signatures";

const der = new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]);
const certificate: RepositorySigningCertificateRow = {
  sha256Fingerprint: createHash("sha256").update(der).digest("hex"),
  subject: "CN=Signet Repository,O=Signet",
  issuer: "CN=Signet Root,O=Signet",
  notBefore: new Date("2026-01-01T00:00:00Z"),
  notAfter: new Date("2029-01-01T00:00:00Z"),
  der,
};

describe("repositorySignaturesIndex", () => {
  it("has the fields NuGet's RepositorySignatureResource reads: fingerprints by hash OID (lower-case hex), names, validity, an https contentUrl", () => {
    const index = repositorySignaturesIndex("https://gallery.example", [certificate], true);
    expect(index).toEqual({
      allRepositorySigned: true,
      signingCertificates: [
        {
          fingerprints: {
            "2.16.840.1.101.3.4.2.1": createHash("sha256").update(der).digest("hex"),
            "2.16.840.1.101.3.4.2.2": createHash("sha384").update(der).digest("hex"),
            "2.16.840.1.101.3.4.2.3": createHash("sha512").update(der).digest("hex"),
          },
          subject: "CN=Signet Repository,O=Signet",
          issuer: "CN=Signet Root,O=Signet",
          notBefore: "2026-01-01T00:00:00.000Z",
          notAfter: "2029-01-01T00:00:00.000Z",
          contentUrl: `https://gallery.example/v3/repository-signatures/certificates/${certificate.sha256Fingerprint}.crt`,
        },
      ],
    });
  });

  it("says allRepositorySigned only while every served version is signed, and never with an empty list (clients would refuse everything)", () => {
    expect(repositorySignaturesIndex("https://gallery.example", [certificate], false).allRepositorySigned).toBe(false);
    expect(repositorySignaturesIndex("https://gallery.example", [], true)).toEqual({
      allRepositorySigned: false,
      signingCertificates: [],
    });
  });
});
