import { createHash } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyPackageSignatures, type SignatureReport } from "@/lib/signing";
import { OID } from "@/lib/signing/oids";
import { bufferSource, type ByteSource } from "@/lib/zip/source";
import { createTestPki, signedPackage, testPackage, trustOf, type TestPki } from "@/test/support/signing";
import { signatureOf } from "@/test/support/nupkg";
import { EXTENDED_KEY_USAGE, generateRsaKey, issueCertificate } from "@/test/support/pki";
import { repositorySignatureOptions } from "@/test/support/repository-signing";
import { readZip } from "@/test/support/zip";
import { childrenOf, readDer, type DerValue } from "./der";
import { repositorySignPackage, withoutRepositorySignatures, type RepositorySignatureOptions } from ".";

let pki: TestPki;
let options: RepositorySignatureOptions;

beforeAll(async () => {
  pki = await createTestPki();
  options = await repositorySignatureOptions(pki.repository, pki.authority);
});

async function bytesOf(source: ByteSource): Promise<Uint8Array> {
  return source.read(0, source.size);
}

async function verify(bytes: Uint8Array): Promise<SignatureReport> {
  return verifyPackageSignatures(bufferSource(bytes), { trust: trustOf(pki), includeContentHash: true });
}

function sha512(bytes: Uint8Array): string {
  return createHash("sha512").update(bytes).digest("base64");
}

function signedData(p7s: Uint8Array): pkijs.SignedData {
  return new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(p7s.slice()).content });
}

function countersignersOf(primary: pkijs.SignerInfo): pkijs.SignerInfo[] {
  return (primary.unsignedAttrs?.attributes ?? [])
    .filter((attribute) => attribute.type === OID.countersignature)
    .flatMap((attribute) => attribute.values.map((value) => new pkijs.SignerInfo({ schema: value })));
}

/** The primary SignerInfo's DER parts except its unsigned attributes, straight from the signature file's bytes. */
function primarySignerParts(p7s: Uint8Array): string[] {
  const [, explicit] = childrenOf(readDer(p7s));
  const signedDataParts = childrenOf(childrenOf(explicit as DerValue)[0] as DerValue);
  const [signerInfo] = childrenOf(signedDataParts[signedDataParts.length - 1] as DerValue);
  return childrenOf(signerInfo as DerValue)
    .filter((part) => part.tag !== 0xa1)
    .map((part) => Buffer.from(part.bytes).toString("hex"));
}

async function repositorySigned(bytes: Uint8Array, overrides: Partial<RepositorySignatureOptions> = {}) {
  const result = await repositorySignPackage(bufferSource(bytes), { ...options, ...overrides });
  return { ...result, bytes: await bytesOf(result.package) };
}

describe("repositorySignPackage on an unsigned package", () => {
  it("adds a timestamped repository primary signature the engine verifies, and keeps NuGet's content hash", async () => {
    const unsigned = testPackage();
    const { bytes, placement, removed } = await repositorySigned(unsigned);
    expect([placement, removed]).toEqual(["primary", "none"]);
    const report = await verify(bytes);
    expect(report.issues.filter((issue) => issue.level === "error")).toEqual([]);
    expect(report.status).toBe("valid");
    expect(report.integrity).toBe(true);
    expect(report.author).toBeNull();
    expect(report.repository).toMatchObject({
      kind: "repository",
      placement: "primary",
      serviceIndexUrl: "https://gallery.example/v3/index.json",
      packageOwners: ["alice", "bob"],
      valid: true,
    });
    expect(report.repository?.timestamps.map((timestamp) => timestamp.valid)).toEqual([true]);
    expect(report.repository?.signer?.sha256Fingerprint).toBe(
      createHash("sha256").update(pki.repository.der).digest("hex"),
    );
    // For an unsigned package the content hash is the whole file's SHA-512.
    expect(report.contentHash).toBe(sha512(unsigned));
  });

  it("writes the signed attributes NuGet writes for a repository primary signature, in DER order", async () => {
    const { bytes } = await repositorySigned(testPackage());
    const data = signedData(signatureOf(bytes));
    expect(data.version).toBe(3);
    const [signer] = data.signerInfos;
    const attributes = signer?.signedAttrs?.attributes ?? [];
    expect(attributes.map((attribute) => attribute.type).sort()).toEqual(
      [
        OID.contentType,
        OID.messageDigest,
        OID.signingTime,
        OID.commitmentTypeIndication,
        OID.signingCertificateV2,
        OID.nugetV3ServiceIndexUrl,
        OID.nugetPackageOwners,
      ].sort(),
    );
    const encodings = attributes.map((attribute) => Buffer.from(attribute.toSchema().toBER()));
    expect(encodings).toEqual([...encodings].sort(Buffer.compare));
    expect(signer?.version).toBe(3);
    expect(signer?.signatureAlgorithm.algorithmId).toBe(OID.rsaEncryption);
  });

  it("leaves out nuget-package-owners when the package has no owners to vouch for", async () => {
    const { bytes } = await repositorySigned(testPackage(), { owners: [] });
    const report = await verify(bytes);
    expect(report.status).toBe("valid");
    expect(report.repository?.packageOwners).toBeNull();
  });
});

describe("repositorySignPackage on an author-signed package", () => {
  let authorSigned: Uint8Array;

  beforeAll(async () => {
    authorSigned = await signedPackage({ primary: { signer: pki.author, kind: "author", authority: pki.authority } });
  });

  it("adds a timestamped repository countersignature; the author signature still verifies and the content hash is unchanged", async () => {
    const before = await verify(authorSigned);
    const { bytes, placement, removed } = await repositorySigned(authorSigned);
    expect([placement, removed]).toEqual(["countersignature", "none"]);
    const report = await verify(bytes);
    expect(report.issues.filter((issue) => issue.level === "error")).toEqual([]);
    expect(report.author).toMatchObject({ kind: "author", valid: true });
    expect(report.repository).toMatchObject({
      kind: "repository",
      placement: "countersignature",
      valid: true,
      packageOwners: ["alice", "bob"],
    });
    expect(report.repository?.timestamps.map((timestamp) => timestamp.valid)).toEqual([true]);
    expect(report.contentHash).toBe(before.contentHash);
  });

  it("keeps every byte of the author's SignerInfo except the unsigned attributes it adds to, and the signed content", async () => {
    const { bytes } = await repositorySigned(authorSigned);
    expect(primarySignerParts(signatureOf(bytes))).toEqual(primarySignerParts(signatureOf(authorSigned)));
    const [original, countersigned] = [signatureOf(authorSigned), signatureOf(bytes)].map(signedData);
    const countersignedSigner = countersigned?.signerInfos[0];
    if (!countersignedSigner || !original || !countersigned) throw new Error("no signer");
    expect(Buffer.from(countersigned.encapContentInfo.eContent?.getValue() ?? new ArrayBuffer(1))).toEqual(
      Buffer.from(original.encapContentInfo.eContent?.getValue() ?? new ArrayBuffer(0)),
    );
    // The author's timestamp is still there, next to the countersignature.
    expect(countersignedSigner.unsignedAttrs?.attributes.map((attribute) => attribute.type).sort()).toEqual(
      [OID.countersignature, OID.timestampToken].sort(),
    );
  });

  it("writes the countersignature's attributes in DER order, without content-type, over the author's signature value", async () => {
    const { bytes } = await repositorySigned(authorSigned);
    const primary = signedData(signatureOf(bytes)).signerInfos[0];
    if (!primary) throw new Error("no signer");
    const [countersigner] = countersignersOf(primary);
    const attributes = countersigner?.signedAttrs?.attributes ?? [];
    expect(attributes.map((attribute) => attribute.type).sort()).toEqual(
      [
        OID.messageDigest,
        OID.signingTime,
        OID.commitmentTypeIndication,
        OID.signingCertificateV2,
        OID.nugetV3ServiceIndexUrl,
        OID.nugetPackageOwners,
      ].sort(),
    );
    const encodings = attributes.map((attribute) => Buffer.from(attribute.toSchema().toBER()));
    expect(encodings).toEqual([...encodings].sort(Buffer.compare));
    const digest = attributes.find((attribute) => attribute.type === OID.messageDigest)
      ?.values[0] as asn1js.OctetString;
    expect(Buffer.from(digest.valueBlock.valueHexView)).toEqual(
      createHash("sha256").update(primary.signature.valueBlock.valueHexView).digest(),
    );
  });

  it("adds the gallery's certificate chain once, beside the author's", async () => {
    const { bytes } = await repositorySigned(authorSigned);
    const certificates = (signedData(signatureOf(bytes)).certificates ?? []).map((certificate) =>
      Buffer.from((certificate as pkijs.Certificate).toSchema().toBER()).toString("hex"),
    );
    expect(new Set(certificates).size).toBe(certificates.length);
    expect(certificates).toContain(Buffer.from(pki.repository.der).toString("hex"));
    expect(certificates).toContain(Buffer.from(pki.author.der).toString("hex"));
  });

  it("replaces another repository's countersignature with the gallery's: exactly one remains", async () => {
    const foreignKey = await generateRsaKey();
    const foreign = await issueCertificate({
      commonName: "Other Repository",
      key: foreignKey,
      issuer: pki.codeSigningRoot,
      extendedKeyUsages: [EXTENDED_KEY_USAGE.codeSigning],
    });
    const foreignOptions = await repositorySignatureOptions(foreign, pki.authority, {
      serviceIndexUrl: "https://other.example/v3/index.json",
      owners: ["someone"],
    });
    const fromElsewhere = (await repositorySigned(authorSigned, foreignOptions)).bytes;
    expect((await verify(fromElsewhere)).repository?.serviceIndexUrl).toBe("https://other.example/v3/index.json");

    const stripped = await withoutRepositorySignatures(bufferSource(fromElsewhere));
    expect(stripped.removed).toBe("countersignature");
    const strippedReport = await verify(await bytesOf(stripped.package));
    expect(strippedReport.repository).toBeNull();
    expect(strippedReport.author?.valid).toBe(true);

    const { bytes, removed } = await repositorySigned(fromElsewhere);
    expect(removed).toBe("countersignature");
    const primary = signedData(signatureOf(bytes)).signerInfos[0];
    expect(primary && countersignersOf(primary)).toHaveLength(1);
    const report = await verify(bytes);
    expect(report.status).toBe("valid");
    expect(report.repository?.serviceIndexUrl).toBe("https://gallery.example/v3/index.json");
  });

  it("signs again without piling up countersignatures", async () => {
    const once = (await repositorySigned(authorSigned)).bytes;
    const twice = (await repositorySigned(once)).bytes;
    const primary = signedData(signatureOf(twice)).signerInfos[0];
    expect(primary && countersignersOf(primary)).toHaveLength(1);
    expect((await verify(twice)).status).toBe("valid");
  });
});

describe("a package whose primary signature is another repository's", () => {
  it("is signed as the unsigned package underneath: the gallery's primary signature, the same content hash", async () => {
    const unsigned = testPackage();
    const fromElsewhere = await signedPackage(
      { primary: { signer: pki.author, kind: "repository", authority: pki.authority } },
      unsigned,
    );
    const stripped = await withoutRepositorySignatures(bufferSource(fromElsewhere));
    expect(stripped.removed).toBe("primary");
    expect(Buffer.from(await bytesOf(stripped.package))).toEqual(Buffer.from(unsigned));

    const { bytes, placement, removed } = await repositorySigned(fromElsewhere);
    expect([placement, removed]).toEqual(["primary", "primary"]);
    const report = await verify(bytes);
    expect(report.status).toBe("valid");
    expect(report.repository?.signer?.sha256Fingerprint).toBe(
      createHash("sha256").update(pki.repository.der).digest("hex"),
    );
    expect(report.contentHash).toBe(sha512(unsigned));
  });
});

describe("the signature entry, as NuGet writes it (NuGet.Client's SignedPackageArchiveIOUtility)", () => {
  it("inserts a stored local header where the central directory began and appends its central-directory header last", async () => {
    const unsigned = testPackage();
    const before = new DataView(unsigned.buffer, unsigned.byteOffset);
    const eocdOffset = unsigned.byteLength - 22;
    const oldCentralDirectoryStart = before.getUint32(eocdOffset + 16, true);
    const oldCentralDirectorySize = before.getUint32(eocdOffset + 12, true);
    const { bytes } = await repositorySigned(unsigned);
    const p7s = signatureOf(bytes);
    const view = new DataView(bytes.buffer, bytes.byteOffset);

    // Everything before the old central directory is unchanged.
    expect(Buffer.from(bytes.subarray(0, oldCentralDirectoryStart))).toEqual(
      Buffer.from(unsigned.subarray(0, oldCentralDirectoryStart)),
    );
    const lfh = oldCentralDirectoryStart;
    expect(view.getUint32(lfh, true)).toBe(0x04034b50);
    expect([view.getUint16(lfh + 4, true), view.getUint16(lfh + 6, true), view.getUint16(lfh + 8, true)]).toEqual([
      20, 0, 0,
    ]);
    expect([
      view.getUint32(lfh + 18, true),
      view.getUint32(lfh + 22, true),
      view.getUint16(lfh + 26, true),
      view.getUint16(lfh + 28, true),
    ]).toEqual([p7s.byteLength, p7s.byteLength, 14, 0]);
    expect(new TextDecoder().decode(bytes.subarray(lfh + 30, lfh + 44))).toBe(".signature.p7s");

    const newCentralDirectoryStart = lfh + 44 + p7s.byteLength;
    // The old central-directory headers follow, unchanged, then the signature's.
    expect(
      Buffer.from(bytes.subarray(newCentralDirectoryStart, newCentralDirectoryStart + oldCentralDirectorySize)),
    ).toEqual(
      Buffer.from(unsigned.subarray(oldCentralDirectoryStart, oldCentralDirectoryStart + oldCentralDirectorySize)),
    );
    const cdh = newCentralDirectoryStart + oldCentralDirectorySize;
    expect(view.getUint32(cdh, true)).toBe(0x02014b50);
    expect([
      view.getUint16(cdh + 4, true),
      view.getUint16(cdh + 6, true),
      view.getUint16(cdh + 8, true),
      view.getUint16(cdh + 10, true),
    ]).toEqual([20, 20, 0, 0]);
    expect(view.getUint32(cdh + 12, true)).toBe(view.getUint32(lfh + 10, true));
    expect(view.getUint32(cdh + 16, true)).toBe(view.getUint32(lfh + 14, true));
    expect([
      view.getUint16(cdh + 28, true),
      view.getUint16(cdh + 30, true),
      view.getUint16(cdh + 32, true),
      view.getUint32(cdh + 38, true),
      view.getUint32(cdh + 42, true),
    ]).toEqual([14, 0, 0, 0, oldCentralDirectoryStart]);

    // The end record directly follows, with one more entry and the moved central directory.
    const eocd = cdh + 46 + 14;
    expect(eocd).toBe(bytes.byteLength - 22);
    expect(view.getUint32(eocd, true)).toBe(0x06054b50);
    expect(view.getUint16(eocd + 8, true)).toBe(before.getUint16(eocdOffset + 8, true) + 1);
    expect(view.getUint16(eocd + 10, true)).toBe(before.getUint16(eocdOffset + 10, true) + 1);
    expect(view.getUint32(eocd + 12, true)).toBe(oldCentralDirectorySize + 60);
    expect(view.getUint32(eocd + 16, true)).toBe(newCentralDirectoryStart);
    expect(
      readZip(bytes)
        .entries.map((entry) => entry.name)
        .at(-1),
    ).toBe(".signature.p7s");
  });

  it("refuses a package with bytes between its central directory and end record, whose hash NuGet could not reproduce", async () => {
    const unsigned = testPackage();
    const gapped = new Uint8Array([
      ...unsigned.subarray(0, unsigned.byteLength - 22),
      0,
      0,
      0,
      0,
      ...unsigned.subarray(unsigned.byteLength - 22),
    ]);
    await expect(repositorySignPackage(bufferSource(gapped), options)).rejects.toMatchObject({
      code: "REPOSITORY_SIGNING_UNSUPPORTED",
    });
  });
});

describe("the timestamp", () => {
  it("refuses an answer that stamps something else", async () => {
    const otherAnswer = await options.timestamper(
      new Uint8Array(
        new pkijs.TimeStampReq({
          version: 1,
          messageImprint: new pkijs.MessageImprint({
            hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: "2.16.840.1.101.3.4.2.1" }),
            hashedMessage: new asn1js.OctetString({ valueHex: new Uint8Array(32) }),
          }),
          certReq: true,
        })
          .toSchema()
          .toBER(),
      ),
    );
    await expect(
      repositorySignPackage(bufferSource(testPackage()), { ...options, timestamper: async () => otherAnswer }),
    ).rejects.toMatchObject({
      code: "REPOSITORY_TIMESTAMP_FAILED",
    });
  });

  it("refuses a rejection, naming the authority's reason", async () => {
    const { rejectionResponse } = await import("@/lib/timestamping/authority");
    await expect(
      repositorySignPackage(bufferSource(testPackage()), {
        ...options,
        timestamper: async () => rejectionResponse("systemFailure", "the clock is broken"),
      }),
    ).rejects.toThrow(/the clock is broken/);
  });
});
