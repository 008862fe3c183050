// Each NuGet signature rule, shown to fire on a package made to break exactly that rule, and
// shown not to fire on the well-formed package next to it.

import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyPackageSignatures, type SignatureReport } from "@/lib/signing";
import { OID } from "@/lib/signing/oids";
import { bufferSource } from "@/lib/zip/source";
import {
  EXTENDED_KEY_USAGE,
  generateRsaKey,
  issueCertificate,
  timestampSignerFor,
  type TestCertificate,
} from "@/test/support/pki";
import { timestampTokenFor } from "@/test/support/resign";
import {
  addUnsignedAttribute,
  attribute,
  createTestPki,
  signedPackage,
  trustOf,
  type SignatureSpec,
  type SignerSpec,
  type TestPki,
} from "@/test/support/signing";

const DAY = 24 * 3_600_000;
let pki: TestPki;

beforeAll(async () => {
  pki = await createTestPki();
});

function author(overrides: Partial<SignerSpec> = {}): SignerSpec {
  return { signer: pki.author, kind: "author", authority: pki.authority, ...overrides };
}

function repository(overrides: Partial<SignerSpec> = {}): SignerSpec {
  return { signer: pki.repository, kind: "repository", authority: pki.authority, ...overrides };
}

async function verify(spec: SignatureSpec, now?: Date): Promise<SignatureReport> {
  return verifyPackageSignatures(bufferSource(await signedPackage(spec)), {
    trust: trustOf(pki),
    ...(now ? { now } : {}),
  });
}

function errorCodes(report: SignatureReport): string[] {
  return report.issues.filter((issue) => issue.level === "error").map((issue) => issue.code);
}

function codeSigningCertificate(
  overrides: Partial<Parameters<typeof issueCertificate>[0]> & { key: Awaited<ReturnType<typeof generateRsaKey>> },
): Promise<TestCertificate> {
  return issueCertificate({
    commonName: "Signet Test Odd Author",
    issuer: pki.codeSigningRoot,
    extendedKeyUsages: [EXTENDED_KEY_USAGE.codeSigning],
    ...overrides,
  });
}

describe("a well-formed author signature with a repository countersignature", () => {
  it("is valid, with both signers, timestamps and trusted chains reported", async () => {
    const report = await verify({ primary: author(), countersigners: [repository()] });
    expect(errorCodes(report)).toEqual([]);
    expect(report).toMatchObject({ status: "valid", integrity: true, packageHashAlgorithm: "SHA-256" });
    expect(report.author).toMatchObject({
      kind: "author",
      placement: "primary",
      valid: true,
      signer: { subject: "CN=Signet Test Author" },
    });
    expect(report.author?.chain).toMatchObject({ trusted: true, problems: [] });
    expect(report.author?.chain?.certificates.map((certificate) => certificate.subject)).toEqual([
      "CN=Signet Test Author",
      "CN=Signet Test Code Signing Root",
    ]);
    expect(report.author?.timestamps).toEqual([
      expect.objectContaining({ valid: true, tsa: expect.objectContaining({ subject: "CN=Signet Test TSA" }) }),
    ]);
    expect(report.repository).toMatchObject({
      kind: "repository",
      placement: "countersignature",
      valid: true,
      serviceIndexUrl: "https://signet.example/v3/index.json",
      packageOwners: ["signet-tests"],
    });
  });

  it("is untrusted (NU3018) when the code-signing root is not configured", async () => {
    const unsigned = await signedPackage({ primary: author() });
    const report = await verifyPackageSignatures(bufferSource(unsigned), {
      trust: { codeSigningRoots: [], timestampingRoots: [pki.timestampingRoot.der] },
    });
    expect(report.status).toBe("invalid");
    expect(errorCodes(report)).toEqual(["NU3018"]);
    expect(report.author?.chain).toMatchObject({
      trusted: false,
      problems: [expect.stringContaining("Signet Test Code Signing Root")],
    });
  });

  it("lists the signer's untrusted root (NU3018) before the timestamp's (NU3028) when no root is configured, as the client does", async () => {
    const unsigned = await signedPackage({ primary: author() });
    const report = await verifyPackageSignatures(bufferSource(unsigned), {
      trust: { codeSigningRoots: [], timestampingRoots: [] },
    });
    expect(errorCodes(report)).toEqual(["NU3018", "NU3028"]);
    expect(report.author?.chain).toMatchObject({
      trusted: false,
      problems: [expect.stringMatching(/^UntrustedRoot: /)],
    });
  });
});

describe("signature structure", () => {
  it.each([
    ["a second primary signer", "NU3009", (): SignatureSpec => ({ primary: author(), extraSigners: [author()] })],
    ["no certificates", "NU3010", (): SignatureSpec => ({ primary: author(), certificates: [] })],
    [
      "signature format version 2",
      "NU3007",
      (): SignatureSpec => ({ primary: author(), content: "Version:2\n\n2.16.840.1.101.3.4.2.1-Hash:AAAA\n\n" }),
    ],
    [
      "content without its closing blank line",
      "NU3000",
      (): SignatureSpec => ({ primary: author(), content: "Version:1\n\n2.16.840.1.101.3.4.2.1-Hash:AAAA\n" }),
    ],
    [
      "a SHA-1 package hash",
      "NU3016",
      (): SignatureSpec => ({
        primary: author(),
        content: "Version:1\n\n1.3.14.3.2.26-Hash:AAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n",
      }),
    ],
    [
      "a package hash that does not match",
      "NU3008",
      (): SignatureSpec => ({
        primary: author(),
        content: `Version:1\n\n2.16.840.1.101.3.4.2.1-Hash:${"A".repeat(43)}=\n\n`,
      }),
    ],
  ])("%s → %s", async (_name, code, spec) => {
    const report = await verify(spec());
    expect(report.status).toBe("invalid");
    expect(errorCodes(report)).toContain(code);
  });
});

describe("signed attributes (NU3011)", () => {
  const without = (oid: string) => (attributes: pkijs.Attribute[]) => attributes.filter((item) => item.type !== oid);
  it.each([
    ["no signing-time", without(OID.signingTime)],
    ["no signing-certificate-v2", without(OID.signingCertificateV2)],
    [
      "an ESS signing-certificate (v1) as well",
      (attributes: pkijs.Attribute[]) => [
        ...attributes,
        attribute(OID.signingCertificate, new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [] })] })),
      ],
    ],
  ])("%s", async (_name, editAttributes) => {
    const report = await verify({ primary: author({ editAttributes }) });
    expect(errorCodes(report)).toEqual(["NU3011"]);
  });

  it("a signing-certificate-v2 naming another certificate", async () => {
    const { signingCertificateV2Attribute } = await import("@/lib/timestamping");
    const other = await signingCertificateV2Attribute(pki.repository.certificate);
    const report = await verify({
      primary: author({ editAttributes: (attributes) => [...without(OID.signingCertificateV2)(attributes), other] }),
    });
    expect(errorCodes(report)).toEqual(["NU3011"]);
  });

  it("a signature of unknown kind skips the author rules but is reported as kind unknown", async () => {
    const report = await verify({ primary: author({ editAttributes: without(OID.commitmentTypeIndication) }) });
    expect(errorCodes(report)).toEqual([]);
    expect(report.author?.kind).toBe("unknown");
  });
});

describe("the RSA signature (NU3012)", () => {
  it("fails when the content-type attribute names something other than data", async () => {
    const report = await verify({
      primary: author({
        editAttributes: (attributes) => [
          ...attributes.filter((item) => item.type !== OID.contentType),
          attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.tstInfo })),
        ],
      }),
    });
    expect(errorCodes(report)).toEqual(["NU3012"]);
  });

  it("fails when one byte of the signature value changes", async () => {
    const report = await verify({
      primary: author({
        authority: null,
        editSignerInfo: (signerInfo) => {
          const bytes = signerInfo.signature.valueBlock.valueHexView.slice();
          bytes[10] = (bytes[10] ?? 0) ^ 0x01;
          signerInfo.signature = new asn1js.OctetString({ valueHex: bytes });
        },
      }),
    });
    expect(errorCodes(report)).toEqual(["NU3012"]);
  });
});

describe("signing certificate rules", () => {
  it.each([
    ["an RSA-1024 key", "NU3014", async () => codeSigningCertificate({ key: await generateRsaKey(1024) })],
    [
      "a SHA-1 certificate signature",
      "NU3013",
      async () => codeSigningCertificate({ key: await generateRsaKey(), signatureHash: "SHA-1" }),
    ],
    [
      "no code-signing usage",
      "NU3012",
      async () =>
        codeSigningCertificate({ key: await generateRsaKey(), extendedKeyUsages: [EXTENDED_KEY_USAGE.timeStamping] }),
    ],
    [
      "the lifetime-signing usage",
      "NU3015",
      async () =>
        codeSigningCertificate({
          key: await generateRsaKey(),
          extendedKeyUsages: [EXTENDED_KEY_USAGE.codeSigning, OID.lifetimeSigningUsage],
        }),
    ],
    [
      "a validity starting tomorrow",
      "NU3017",
      async () => codeSigningCertificate({ key: await generateRsaKey(), notBefore: new Date(Date.now() + DAY) }),
    ],
  ])("%s → %s", async (_name, code, makeSigner) => {
    const report = await verify({ primary: author({ signer: await makeSigner(), authority: null }) });
    expect(errorCodes(report)).toContain(code);
  });
});

describe("timestamps and time validity", () => {
  it("warns NU3027 without a timestamp and stays valid while the certificate is", async () => {
    const report = await verify({ primary: author({ authority: null }) });
    expect(report.status).toBe("valid");
    expect(report.issues).toContainEqual(expect.objectContaining({ code: "NU3027", level: "warning" }));
  });

  describe("an expired certificate", () => {
    let expired: TestCertificate;
    let pastAuthority: SignerSpec["authority"];
    beforeAll(async () => {
      expired = await codeSigningCertificate({
        key: await generateRsaKey(),
        notBefore: new Date(Date.now() - 700 * DAY),
        notAfter: new Date(Date.now() - 300 * DAY),
      });
      const tsa = await issueCertificate({
        commonName: "Signet Test TSA (long-lived)",
        key: await generateRsaKey(),
        issuer: pki.timestampingRoot,
        extendedKeyUsages: [EXTENDED_KEY_USAGE.timeStamping],
        notBefore: new Date(Date.now() - 800 * DAY),
      });
      pastAuthority = {
        signer: await timestampSignerFor(tsa),
        policy: "1.3.6.1.4.1.55555.1.1",
        clock: () => new Date(Date.now() - 500 * DAY),
      };
    });

    it("stays valid when a timestamp places the signature inside its validity", async () => {
      const report = await verify({ primary: author({ signer: expired, authority: pastAuthority }) });
      expect(errorCodes(report)).toEqual([]);
      expect(report.status).toBe("valid");
    });

    it("is NU3037 without a timestamp", async () => {
      const report = await verify({ primary: author({ signer: expired, authority: null }) });
      expect(errorCodes(report)).toEqual(["NU3037"]);
    });

    it("is NU3037 when the timestamp is after it expired", async () => {
      const report = await verify({ primary: author({ signer: expired }) });
      expect(errorCodes(report)).toEqual(["NU3037"]);
    });
  });

  it("is NU3019 when the token stamps something else", async () => {
    const report = await verify({
      primary: author({
        authority: null,
        editSignerInfo: async (signerInfo) => {
          const token = await timestampTokenFor(pki.authority, new Uint8Array([1, 2, 3]));
          addUnsignedAttribute(signerInfo, attribute(OID.timestampToken, token.toSchema()));
        },
      }),
    });
    expect(errorCodes(report)).toContain("NU3019");
  });

  it("is NU3021 when the token is not a timestamp", async () => {
    const report = await verify({
      primary: author({
        authority: null,
        editSignerInfo: (signerInfo) =>
          addUnsignedAttribute(
            signerInfo,
            attribute(OID.timestampToken, new asn1js.Sequence({ value: [new asn1js.Integer({ value: 7 })] })),
          ),
      }),
    });
    expect(errorCodes(report)).toEqual(["NU3021"]);
  });

  it("is NU3028 when the timestamp authority's root is not trusted for timestamping", async () => {
    const unsigned = await signedPackage({ primary: author() });
    const report = await verifyPackageSignatures(bufferSource(unsigned), {
      trust: { codeSigningRoots: [pki.codeSigningRoot.der], timestampingRoots: [pki.codeSigningRoot.der] },
    });
    expect(errorCodes(report)).toEqual(["NU3028"]);
  });
});

describe("repository countersignatures", () => {
  it("is NU3032 with two of them", async () => {
    const report = await verify({ primary: author(), countersigners: [repository(), repository()] });
    expect(errorCodes(report)).toEqual(["NU3032"]);
  });

  it("is NU3033 on a repository primary signature", async () => {
    const report = await verify({ primary: repository(), countersigners: [repository()] });
    expect(errorCodes(report)).toEqual(["NU3033"]);
  });

  it("is NU3012 when the countersignature does not verify (NuGet checks it as it checks the primary)", async () => {
    const broken = repository({
      authority: null,
      editSignerInfo: (signerInfo) => {
        const bytes = signerInfo.signature.valueBlock.valueHexView.slice();
        bytes[0] = (bytes[0] ?? 0) ^ 0xff;
        signerInfo.signature = new asn1js.OctetString({ valueHex: bytes });
      },
    });
    const report = await verify({ primary: author(), countersigners: [broken] });
    expect(errorCodes(report)).toEqual(["NU3012"]);
    expect(report.author?.valid).toBe(true);
    expect(report.repository?.valid).toBe(false);
  });

  it("ignores a countersignature with the author commitment type, as the client does, and lists its kind for the upload rules", async () => {
    const report = await verify({ primary: author(), countersigners: [author(), repository()] });
    expect(errorCodes(report)).toEqual([]);
    expect(report.repository).toMatchObject({ kind: "repository", placement: "countersignature", valid: true });
    expect(report.otherCountersignatureKinds).toEqual(["author"]);
    expect(
      (await verify({ primary: author(), countersigners: [repository()] })).otherCountersignatureKinds,
    ).toBeUndefined();
  });

  it("is NU3000 when a repository primary signature has no service index URL", async () => {
    const report = await verify({
      primary: repository({
        editAttributes: (attributes) => attributes.filter((item) => item.type !== OID.nugetV3ServiceIndexUrl),
      }),
    });
    expect(errorCodes(report)).toEqual(["NU3000"]);
  });
});

describe("content hash", () => {
  it("is computed in the same pass and equals SHA-512 of the unsigned package", async () => {
    const { createHash } = await import("node:crypto");
    const { testPackage } = await import("@/test/support/signing");
    const unsigned = testPackage();
    const signed = await signedPackage({ primary: author() }, unsigned);
    const report = await verifyPackageSignatures(bufferSource(signed), {
      trust: trustOf(pki),
      includeContentHash: true,
    });
    expect(report.contentHash).toBe(createHash("sha512").update(unsigned).digest("base64"));
    const unsignedReport = await verifyPackageSignatures(bufferSource(unsigned), {
      trust: trustOf(pki),
      includeContentHash: true,
    });
    expect(unsignedReport).toMatchObject({ status: "unsigned", contentHash: report.contentHash });
  });
});
