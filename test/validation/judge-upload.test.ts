import { describe, expect, it } from "vitest";
import { DEFAULT_PACKAGE_SIZE_LIMIT } from "@/lib/config";
import type { SignatureDetails, SignatureReport } from "@/lib/signing";
import type { CentralDirectory, CentralDirectoryEntry } from "@/lib/zip/central-directory";
import { galleryTrustStore } from "@/lib/services";
import { bufferSource } from "@/lib/zip/source";
import type { JudgeRecords } from "@/lib/validation/records";
import {
  checkArchiveShape,
  judgeUpload,
  MAX_PACKAGE_ENTRIES,
  MAX_UNCOMPRESSED_BYTES,
  signatureFacts,
} from "@/lib/validation/judge-upload";

// Steps before the account rules must not need the gallery's records: these fail any use.
const noRecords: JudgeRecords = {
  packageRecords: () => Promise.reject(new Error("the judgement read the package's records")),
  certificateCompromise: () => Promise.reject(new Error("the judgement read a certificate's record")),
  signerHistory: () => Promise.reject(new Error("the judgement read a signer's history")),
};

function judgeBytes(bytes: Uint8Array, maxBytes?: number) {
  return judgeUpload(noRecords, {
    source: bufferSource(bytes),
    uploaderId: "u1",
    maxBytes: maxBytes ?? DEFAULT_PACKAGE_SIZE_LIMIT,
    trust: galleryTrustStore(),
  });
}

function directoryOf(entries: Partial<CentralDirectoryEntry>[]): CentralDirectory {
  return { entries: entries as CentralDirectoryEntry[] } as CentralDirectory;
}

function report(
  author: Partial<SignatureDetails> | null,
  repository: Partial<SignatureDetails> | null = null,
): SignatureReport {
  return {
    status: "valid",
    packageHashAlgorithm: "SHA-256",
    integrity: true,
    author: author as SignatureDetails | null,
    repository: repository as SignatureDetails | null,
    issues: [],
  };
}

describe("judgeUpload before the account rules", () => {
  it("refuses empty and oversized uploads by size alone", async () => {
    expect((await judgeBytes(new Uint8Array(0))).issues.map((issue) => issue.code)).toEqual(["PACKAGE_EMPTY"]);
    expect((await judgeBytes(new Uint8Array(2048), 1024)).issues.map((issue) => issue.code)).toEqual([
      "PACKAGE_TOO_LARGE",
    ]);
  });

  it("stops at a file that is not a zip, knowing nothing about the package", async () => {
    const judgement = await judgeBytes(new TextEncoder().encode("not a zip at all, just some text in a file"));
    expect(judgement).toMatchObject({
      packageId: null,
      version: null,
      metadata: null,
      nuspecXml: null,
      signatureReport: null,
      verified: false,
      isNewId: null,
    });
    expect(judgement.issues).toEqual([expect.objectContaining({ code: "ZIP_INVALID", level: "error" })]);
  });
});

describe("checkArchiveShape", () => {
  it("accepts ordinary archives", () => {
    expect(checkArchiveShape(directoryOf([{ uncompressedSize: 1000 }, { uncompressedSize: 5000 }]))).toEqual([]);
  });

  it("refuses more entries than any package has", () => {
    const entries = Array.from({ length: MAX_PACKAGE_ENTRIES + 1 }, () => ({ uncompressedSize: 0 }));
    expect(checkArchiveShape(directoryOf(entries)).map((issue) => issue.code)).toEqual(["PACKAGE_TOO_MANY_ENTRIES"]);
    expect(checkArchiveShape(directoryOf(entries.slice(1)))).toEqual([]);
  });

  it("refuses archives whose entries declare more than the extraction limit together", () => {
    const half = MAX_UNCOMPRESSED_BYTES / 2;
    expect(checkArchiveShape(directoryOf([{ uncompressedSize: half }, { uncompressedSize: half }]))).toEqual([]);
    expect(
      checkArchiveShape(directoryOf([{ uncompressedSize: half }, { uncompressedSize: half + 1 }])).map(
        (issue) => issue.code,
      ),
    ).toEqual(["PACKAGE_UNCOMPRESSED_TOO_LARGE"]);
  });
});

describe("signatureFacts", () => {
  it("names the author certificate, or says the package is repository-signed only or unsigned", () => {
    const history = { certificateFirstSeen: true, identitiesSeen: new Set<string>() };
    expect(
      signatureFacts(
        report({ kind: "author", signer: { sha256Fingerprint: "ab12" } as SignatureDetails["signer"] }),
        history,
      ),
    ).toEqual({
      signatureKind: "author",
      signer: { fingerprint: "ab12", caFingerprints: [], identity: null, ...history },
    });
    expect(signatureFacts(report(null, { kind: "repository" }), history)).toEqual({ signatureKind: "repository-only" });
    expect(signatureFacts(report(null), history)).toEqual({ signatureKind: "unsigned" });
  });
});
