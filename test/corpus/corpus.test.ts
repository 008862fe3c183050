// Every real nuget.org package in ../shared/corpus against the facts measured independently
// with OpenSSL (expected.json): signer and countersigner certificates, commitment types,
// repository attributes, timestamps, signed-content integrity and NuGet's contentHash. The fact
// checks run with an empty trust store, so they cannot depend on which roots are trusted; the
// "valid" verdicts use the .NET SDK's own root bundles, as `dotnet nuget verify` does on Linux.

import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  verifyPackageSignatures,
  type CertificateSummary,
  type SignatureDetails,
  type SignatureReport,
  type TrustStore,
} from "@/lib/signing";
import { dotnetSdkBundle, readPemBundle } from "@/lib/trust";
import { openFileSource } from "@/lib/zip/source";
import { CORPUS_DIRECTORY, requireCorpus, requireInput } from "@/test/support/shared-data";

const CORPUS = CORPUS_DIRECTORY;

interface ExpectedCertificate {
  subject: string;
  issuer: string;
  serial: string;
  sha256: string;
  notBefore: string;
  notAfter: string;
}

interface ExpectedTimestamp {
  genTime: string;
  tst_hash_alg: string;
  tsa_signer_cert: ExpectedCertificate;
}

interface ExpectedSigner {
  signer_cert: ExpectedCertificate;
  digest_alg: string;
  signingTime: string;
  commitment_type: string[];
  nuget_v3_service_index_url?: string;
  nuget_package_owners?: string[];
  timestamps: ExpectedTimestamp[];
  countersignatures: ExpectedSigner[];
}

interface ExpectedFile {
  file: string;
  kind: string;
  nuget_content_hash_sha512_base64: string;
  has_signature: boolean;
  signature?: {
    signed_content_hash_alg: string;
    signed_content_hash_matches: boolean;
    primary: ExpectedSigner;
  };
}

const corpusPresent = requireCorpus("expected.json", "test/corpus/corpus.test.ts", "the corpus facts and verdicts");
const expectedFiles: ExpectedFile[] = corpusPresent
  ? JSON.parse(readFileSync(path.join(CORPUS, "expected.json"), "utf8")).files
  : [];

const NO_TRUST: TrustStore = { codeSigningRoots: [], timestampingRoots: [] };

async function verifyCorpusFile(file: string, trust: TrustStore): Promise<SignatureReport> {
  const source = await openFileSource(path.join(CORPUS, "nupkg", file));
  try {
    return await verifyPackageSignatures(source, { trust, includeContentHash: true });
  } finally {
    await source.close();
  }
}

/** openssl prints "Mar  8 07:09:56 2023 GMT"; the report holds ISO 8601. */
function opensslTime(text: string): string {
  return new Date(text.replace(/\s+/g, " ")).toISOString();
}

/** "230308070956Z" (UTCTime) as ISO 8601. */
function utcTime(text: string): string {
  const [, yy, mo, dd, hh, mi, ss] = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(text) ?? [];
  return new Date(`20${yy}-${mo}-${dd}T${hh}:${mi}:${ss}Z`).toISOString();
}

function expectCertificate(actual: CertificateSummary | null | undefined, expected: ExpectedCertificate): void {
  expect(actual).toMatchObject({
    subject: expected.subject,
    issuer: expected.issuer,
    serialNumber: expected.serial,
    sha256Fingerprint: expected.sha256.replaceAll(":", "").toLowerCase(),
    notBefore: opensslTime(expected.notBefore),
    notAfter: opensslTime(expected.notAfter),
  });
}

function expectedKind(signer: ExpectedSigner): SignatureDetails["kind"] {
  const [commitment] = signer.commitment_type;
  if (commitment?.startsWith("1.2.840.113549.1.9.16.6.1 ")) return "author";
  if (commitment?.startsWith("1.2.840.113549.1.9.16.6.2 ")) return "repository";
  return "unknown";
}

function expectSignature(
  actual: SignatureDetails | null,
  expected: ExpectedSigner,
  placement: SignatureDetails["placement"],
): void {
  expect(actual).not.toBeNull();
  if (!actual) return;
  expect(actual.placement).toBe(placement);
  expect(actual.kind).toBe(expectedKind(expected));
  expectCertificate(actual.signer, expected.signer_cert);
  expect(actual.digestAlgorithm).toBe(expected.digest_alg.replace("sha", "SHA-"));
  expect(actual.signingTime).toBe(utcTime(expected.signingTime));
  expect(actual.serviceIndexUrl).toBe(expected.nuget_v3_service_index_url ?? null);
  expect(actual.packageOwners).toEqual(expected.nuget_package_owners ?? null);
  expect(actual.timestamps).toHaveLength(expected.timestamps.length);
  expected.timestamps.forEach((timestamp, index) => {
    const report = actual.timestamps[index];
    expect(report?.time).toBe(opensslTime(timestamp.genTime));
    expect(report?.hashAlgorithm).toBe(timestamp.tst_hash_alg.replace("sha", "SHA-"));
    expectCertificate(report?.tsa, timestamp.tsa_signer_cert);
  });
}

describe.skipIf(!corpusPresent)("real nuget.org packages: facts (no trusted roots)", () => {
  it.each(expectedFiles.map((file) => [file.file, file] as const))("%s", async (_name, expected) => {
    const report = await verifyCorpusFile(expected.file, NO_TRUST);
    expect(report.contentHash).toBe(expected.nuget_content_hash_sha512_base64);
    const signature = expected.signature;
    if (!expected.has_signature || !signature) {
      expect(report).toMatchObject({ status: "unsigned", integrity: null, author: null, repository: null, issues: [] });
      return;
    }
    expect(report.packageHashAlgorithm).toBe(signature.signed_content_hash_alg.replace("sha", "SHA-"));
    expect(report.integrity).toBe(signature.signed_content_hash_matches);
    expect(report.issues.some((issue) => issue.code === "NU3008")).toBe(!signature.signed_content_hash_matches);

    const primary = signature.primary;
    const primaryIsRepository = expectedKind(primary) === "repository";
    expectSignature(primaryIsRepository ? report.repository : report.author, primary, "primary");
    const [countersignature, ...others] = primary.countersignatures;
    expect(others).toEqual([]);
    if (countersignature) expectSignature(report.repository, countersignature, "countersignature");
    else if (!primaryIsRepository) expect(report.repository).toBeNull();
    // Without trusted roots every chain stops at an untrusted root: the signer's (NU3018) is
    // listed before its timestamp authority's (NU3028), as the client lists them.
    expect(report.status).toBe("invalid");
    const codes = report.issues.filter((issue) => issue.level === "error").map((issue) => issue.code);
    expect(codes).toEqual(expect.arrayContaining(["NU3018", "NU3028"]));
    expect(codes.indexOf("NU3018")).toBeLessThan(codes.indexOf("NU3028"));
    for (const details of [report.author, report.repository].filter((signature) => signature !== null)) {
      expect(details.chain).toMatchObject({ trusted: false, problems: [expect.stringMatching(/^UntrustedRoot: /)] });
    }
  });
});

const codeSigningBundle = dotnetSdkBundle("codesignctl.pem");
const timestampingBundle = dotnetSdkBundle("timestampctl.pem");
const sdkTrust = codeSigningBundle !== null && timestampingBundle !== null;
requireInput(
  sdkTrust,
  "test/corpus/corpus.test.ts",
  "no .NET SDK trustedroots/codesignctl.pem and timestampctl.pem were found",
  "the corpus verdicts with the SDK's trusted roots",
);

describe.skipIf(!corpusPresent || !sdkTrust)(
  "real nuget.org packages: verdicts with the .NET SDK's trusted roots",
  () => {
    let trust: TrustStore = NO_TRUST;
    beforeAll(() => {
      trust = {
        codeSigningRoots: readPemBundle(codeSigningBundle ?? ""),
        timestampingRoots: readPemBundle(timestampingBundle ?? ""),
      };
    });
    afterAll(() => {
      trust = NO_TRUST;
    });

    it.each(expectedFiles.map((file) => [file.file, file] as const))("%s", async (_name, expected) => {
      const report = await verifyCorpusFile(expected.file, trust);
      const errors = report.issues.filter((issue) => issue.level === "error").map((issue) => issue.code);
      if (!expected.has_signature) expect(report.status).toBe("unsigned");
      else if (expected.signature?.signed_content_hash_matches) {
        expect(errors).toEqual([]);
        expect(report.status).toBe("valid");
        // Offline revocation is reported, never fatal.
        expect(report.issues).toContainEqual(
          expect.objectContaining({
            code: "NU3018",
            level: "warning",
            message: expect.stringContaining("revocation status unknown"),
          }),
        );
        for (const signature of [report.author, report.repository].filter((details) => details !== null)) {
          expect(signature.valid).toBe(true);
          expect(signature.chain?.trusted).toBe(true);
          expect(signature.timestamps.every((timestamp) => timestamp.valid && timestamp.chain?.trusted)).toBe(true);
        }
      } else {
        expect(report.status).toBe("invalid");
        expect(errors).toEqual(["NU3008"]);
        expect(report.integrity).toBe(false);
      }
    });
  },
);
