// Certification path rules (lib/signing/path), each shown to fire on a chain made to break
// exactly that rule and not to fire on the well-formed chain next to it; and the forged
// certificates they exist for: an ordinary code-signing certificate (cA=false) that issued
// a "CN=Microsoft Corporation" signer, and its timestamp twin (a TSA certificate that issued
// a TSA certificate). The NuGet client's code for each is in test/interop/differential.

import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { beforeAll, describe, expect, it } from "vitest";
import type { TimestampAuthority } from "@/lib/timestamping";
import { verifyPackageSignatures, type SignatureReport } from "@/lib/signing";
import { bufferSource } from "@/lib/zip/source";
import {
  EXTENDED_KEY_USAGE,
  generateRsaKey,
  issueCertificate,
  timestampSignerFor,
  type CertificateOptions,
  type TestCertificate,
  type TestKey,
} from "@/test/support/pki";
import {
  createTestPki,
  signedPackage,
  trustOf,
  type SignatureSpec,
  type SignerSpec,
  type TestPki,
} from "@/test/support/signing";

const DAY = 24 * 3_600_000;
const SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
const ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

let pki: TestPki;
let key: TestKey;

beforeAll(async () => {
  [pki, key] = await Promise.all([createTestPki(), generateRsaKey()]);
});

function author(signer: TestCertificate, overrides: Partial<SignerSpec> = {}): SignerSpec {
  return { signer, kind: "author", authority: pki.authority, ...overrides };
}

async function verify(spec: SignatureSpec): Promise<SignatureReport> {
  return verifyPackageSignatures(bufferSource(await signedPackage(spec)), { trust: trustOf(pki) });
}

function errors(report: SignatureReport): string[] {
  return report.issues.filter((issue) => issue.level === "error").map((issue) => `${issue.code} ${issue.message}`);
}

function signerUnder(issuer: TestCertificate, overrides: Partial<CertificateOptions> = {}): Promise<TestCertificate> {
  return issueCertificate({
    commonName: "Signet Path Signer",
    key,
    issuer,
    extendedKeyUsages: [EXTENDED_KEY_USAGE.codeSigning],
    ...overrides,
  });
}

function authorityUnder(
  issuer: TestCertificate,
  commonName: string,
  overrides: Partial<CertificateOptions> = {},
): Promise<TestCertificate> {
  return issueCertificate({ commonName, key, issuer, certificateAuthority: true, ...overrides });
}

async function timestampAuthority(tsa: TestCertificate): Promise<TimestampAuthority> {
  return { signer: await timestampSignerFor(tsa), policy: "1.3.6.1.4.1.55555.1.1" };
}

/** Verifies a package signed by a signer under `intermediate` (under the trusted root). */
async function verifyThrough(
  intermediate: Partial<CertificateOptions>,
  signer: Partial<CertificateOptions> = {},
): Promise<SignatureReport> {
  const ca = await authorityUnder(pki.codeSigningRoot, "Signet Path Intermediate", intermediate);
  return verify({ primary: author(await signerUnder(ca, signer)) });
}

describe("the forged certificates", () => {
  it("refuses a 'Microsoft Corporation' signer issued by an ordinary code-signing certificate", async () => {
    const forged = await signerUnder(pki.author, { commonName: "Microsoft Corporation" });
    const report = await verify({ primary: author(forged) });
    expect(report.status).toBe("invalid");
    // The NuGet client reports this chain under NU3012 (InvalidBasicConstraints), not NU3018.
    expect(errors(report)[0]).toMatch(
      /^NU3012 Author signature: .*InvalidBasicConstraints: the certificate 'CN=Signet Test Author' issued 'CN=Microsoft Corporation' but is not a certification authority/,
    );
    expect(report.author).toMatchObject({
      valid: false,
      signer: { subject: "CN=Microsoft Corporation" },
      chain: { trusted: false },
    });
  });

  it("refuses a timestamp whose TSA certificate was issued by another TSA certificate (NU3028), and the signature with it", async () => {
    const tsaLeaf = await issueCertificate({
      commonName: "Signet Path TSA",
      key,
      issuer: pki.timestampingRoot,
      extendedKeyUsages: [EXTENDED_KEY_USAGE.timeStamping],
    });
    const forgedTsa = await issueCertificate({
      commonName: "Microsoft Time-Stamp Service",
      key,
      issuer: tsaLeaf,
      extendedKeyUsages: [EXTENDED_KEY_USAGE.timeStamping],
    });
    const report = await verify({ primary: author(pki.author, { authority: await timestampAuthority(forgedTsa) }) });
    expect(report.status).toBe("invalid");
    expect(errors(report)[0]).toMatch(
      /^NU3028 .*InvalidBasicConstraints: the certificate 'CN=Signet Path TSA' issued 'CN=Microsoft Time-Stamp Service' but is not a certification authority/,
    );
    expect(report.author?.timestamps[0]).toMatchObject({
      valid: false,
      tsa: { subject: "CN=Microsoft Time-Stamp Service" },
    });
  });

  it("refuses the forged signer even under an untrusted root vouched for by a valid repository countersignature", async () => {
    const otherRoot = await issueCertificate({ commonName: "Signet Path Other Root", key, certificateAuthority: true });
    const endEntity = await signerUnder(otherRoot, { commonName: "Signet Path End Entity" });
    const forged = await signerUnder(endEntity, { commonName: "Microsoft Corporation" });
    const report = await verify({
      primary: author(forged),
      countersigners: [{ signer: pki.repository, kind: "repository", authority: pki.authority }],
    });
    expect(report.status).toBe("invalid");
    expect(errors(report)[0]).toMatch(/^NU3012 .*InvalidBasicConstraints/);
  });
});

describe("issuing certificates", () => {
  it("accepts a signer under a well-formed intermediate", async () => {
    expect(errors(await verifyThrough({}))).toEqual([]);
  });

  it.each<[string, Partial<CertificateOptions>, RegExp]>([
    [
      "no basic constraints",
      { basicConstraints: null },
      /InvalidBasicConstraints: .* is not a certification authority \(it has no basic constraints extension\)/,
    ],
    [
      "cA=false with keyCertSign",
      { basicConstraints: { cA: false }, keyUsage: ["digitalSignature", "keyCertSign"] },
      /InvalidBasicConstraints: .* is not a certification authority \(its basic constraints say cA=false\)/,
    ],
    [
      "a key usage without keyCertSign",
      { keyUsage: ["digitalSignature", "cRLSign"] },
      /InvalidBasicConstraints: .* its key usage does not allow signing certificates/,
    ],
    [
      "an unknown critical extension",
      {
        extraExtensions: [
          new pkijs.Extension({
            extnID: "1.3.6.1.4.1.55555.9.9",
            critical: true,
            extnValue: new asn1js.Null().toBER(),
          }),
        ],
      },
      /HasNotSupportedCriticalExtension: .*1\.3\.6\.1\.4\.1\.55555\.9\.9/,
    ],
    [
      "an extended key usage without code signing",
      { extendedKeyUsages: [SERVER_AUTH] },
      /NotValidForUsage: the certificate 'CN=Signet Path Intermediate' is not valid for code signing/,
    ],
    [
      "only anyExtendedKeyUsage",
      { extendedKeyUsages: [ANY_EXTENDED_KEY_USAGE] },
      /NotValidForUsage: the certificate 'CN=Signet Path Intermediate'/,
    ],
    [
      "a validity that ended before the timestamp (stricter than NuGet)",
      { notBefore: new Date(Date.now() - 10 * DAY), notAfter: new Date(Date.now() - DAY) },
      /NotTimeValid: the issuing certificate 'CN=Signet Path Intermediate'/,
    ],
    [
      "a validity that starts after the timestamp (stricter than NuGet)",
      { notBefore: new Date(Date.now() + DAY), notAfter: new Date(Date.now() + 10 * DAY) },
      /NotTimeValid: the issuing certificate 'CN=Signet Path Intermediate'/,
    ],
  ])("refuses an intermediate with %s (NU3012)", async (_name, intermediate, reason) => {
    const [first, ...rest] = errors(await verifyThrough(intermediate));
    expect(first).toMatch(/^NU3012 /);
    expect([first, ...rest].join("\n")).toMatch(reason);
  });

  it("accepts an intermediate without a key usage extension, and one listing code signing", async () => {
    expect(errors(await verifyThrough({ keyUsage: null }))).toEqual([]);
    expect(errors(await verifyThrough({ extendedKeyUsages: [EXTENDED_KEY_USAGE.codeSigning] }))).toEqual([]);
  });

  it("honours pathLenConstraint: 0 allows no intermediate below, 1 allows one", async () => {
    const limitedToNone = await authorityUnder(pki.codeSigningRoot, "Signet Path Limit 0", {
      basicConstraints: { cA: true, pathLenConstraint: 0 },
    });
    expect(errors(await verify({ primary: author(await signerUnder(limitedToNone)) }))).toEqual([]);
    const below = await authorityUnder(limitedToNone, "Signet Path Below Limit");
    const [first] = errors(await verify({ primary: author(await signerUnder(below)) }));
    expect(first).toMatch(
      /^NU3012 .*InvalidBasicConstraints: the certificate 'CN=Signet Path Limit 0' allows at most 0 intermediate certificate\(s\) below it, and the path has 1/,
    );
    const limitedToOne = await authorityUnder(pki.codeSigningRoot, "Signet Path Limit 1", {
      basicConstraints: { cA: true, pathLenConstraint: 1 },
    });
    const belowOne = await authorityUnder(limitedToOne, "Signet Path Below Limit 1");
    expect(errors(await verify({ primary: author(await signerUnder(belowOne)) }))).toEqual([]);
  });

  it("accepts an intermediate that has expired since the timestamp, as the timestamp fixes the time", async () => {
    const pastTsa = await issueCertificate({
      commonName: "Signet Path Past TSA",
      key,
      issuer: pki.timestampingRoot,
      extendedKeyUsages: [EXTENDED_KEY_USAGE.timeStamping],
      notBefore: new Date(Date.now() - 40 * DAY),
    });
    const past: TimestampAuthority = {
      ...(await timestampAuthority(pastTsa)),
      clock: () => new Date(Date.now() - 20 * DAY),
    };
    const ca = await authorityUnder(pki.codeSigningRoot, "Signet Path Expired Since", {
      notBefore: new Date(Date.now() - 30 * DAY),
      notAfter: new Date(Date.now() - DAY),
    });
    const signer = await signerUnder(ca, {
      notBefore: new Date(Date.now() - 30 * DAY),
      notAfter: new Date(Date.now() - 2 * DAY),
    });
    expect(errors(await verify({ primary: author(signer, { authority: past }) }))).toEqual([]);
  });
});

describe("name constraints", () => {
  const directoryName = (organization: string) =>
    new pkijs.GeneralName({
      type: 4,
      value: new pkijs.RelativeDistinguishedNames({
        typesAndValues: [
          new pkijs.AttributeTypeAndValue({ type: "2.5.4.10", value: new asn1js.Utf8String({ value: organization }) }),
        ],
      }),
    });
  const constraints = (subtrees: { permitted?: pkijs.GeneralName[]; excluded?: pkijs.GeneralName[] }) =>
    new pkijs.Extension({
      extnID: "2.5.29.30",
      critical: true,
      extnValue: new pkijs.NameConstraints({
        ...(subtrees.permitted
          ? { permittedSubtrees: subtrees.permitted.map((base) => new pkijs.GeneralSubtree({ base })) }
          : {}),
        ...(subtrees.excluded
          ? { excludedSubtrees: subtrees.excluded.map((base) => new pkijs.GeneralSubtree({ base })) }
          : {}),
      })
        .toSchema()
        .toBER(),
    });
  const dnsName = (name: string) => new pkijs.GeneralName({ type: 2, value: name });
  const subjectAltName = (...names: pkijs.GeneralName[]) =>
    new pkijs.Extension({ extnID: "2.5.29.17", extnValue: new pkijs.AltName({ altNames: names }).toSchema().toBER() });

  it("refuses a signer whose subject is outside the permitted directory names (HasNotPermittedNameConstraint)", async () => {
    const [first] = errors(
      await verifyThrough({ extraExtensions: [constraints({ permitted: [directoryName("Contoso")] })] }),
    );
    expect(first).toMatch(
      /^NU3012 .*HasNotPermittedNameConstraint: .*'CN=Signet Path Signer' of 'CN=Signet Path Signer' is outside the names it permits/,
    );
  });

  it("refuses a DNS name in an excluded subtree (HasExcludedNameConstraint) and accepts one outside it", async () => {
    const intermediate = { extraExtensions: [constraints({ excluded: [dnsName("microsoft.com")] })] };
    const [first] = errors(
      await verifyThrough(intermediate, { extraExtensions: [subjectAltName(dnsName("update.microsoft.com"))] }),
    );
    expect(first).toMatch(
      /HasExcludedNameConstraint: .*'update\.microsoft\.com' of 'CN=Signet Path Signer' is among the names it excludes/,
    );
    expect(
      errors(await verifyThrough(intermediate, { extraExtensions: [subjectAltName(dnsName("contoso.com"))] })),
    ).toEqual([]);
  });

  it("refuses a name of a form whose constraint cannot be checked", async () => {
    const otherName = new pkijs.GeneralName({ type: 8, value: "1.3.6.1.4.1.55555.1" });
    const [first] = errors(
      await verifyThrough(
        { extraExtensions: [constraints({ permitted: [otherName] })] },
        { extraExtensions: [subjectAltName(otherName)] },
      ),
    );
    expect(first).toMatch(/HasNotSupportedNameConstraint/);
  });
});

describe("the signing certificate", () => {
  it.each<[string, Partial<CertificateOptions>, RegExp]>([
    [
      "only anyExtendedKeyUsage",
      { extendedKeyUsages: [ANY_EXTENDED_KEY_USAGE] },
      /NotValidForUsage: the certificate 'CN=Signet Path Signer' is not valid for code signing/,
    ],
    [
      "a key usage allowing no signatures (stricter than NuGet)",
      { keyUsage: ["keyEncipherment"] },
      /NotValidForUsage: the certificate 'CN=Signet Path Signer' has a key usage extension that allows no signatures/,
    ],
    [
      "an unknown critical extension",
      {
        extraExtensions: [
          new pkijs.Extension({
            extnID: "1.3.6.1.4.1.55555.9.8",
            critical: true,
            extnValue: new asn1js.Null().toBER(),
          }),
        ],
      },
      /HasNotSupportedCriticalExtension/,
    ],
  ])("refuses a signer with %s (NU3012)", async (_name, signer, reason) => {
    const [first] = errors(await verify({ primary: author(await signerUnder(pki.codeSigningRoot, signer)) }));
    expect(first).toMatch(/^NU3012 /);
    expect(first).toMatch(reason);
  });

  it("accepts a signer without key usage or extended key usage extensions", async () => {
    expect(
      errors(
        await verify({
          primary: author(await signerUnder(pki.codeSigningRoot, { keyUsage: null, extendedKeyUsages: [] })),
        }),
      ),
    ).toEqual([]);
  });

  it("accepts a signer whose key usage allows non-repudiation signatures only (contentCommitment), as NuGet does", async () => {
    expect(
      errors(
        await verify({ primary: author(await signerUnder(pki.codeSigningRoot, { keyUsage: ["nonRepudiation"] })) }),
      ),
    ).toEqual([]);
  });

  it("refuses a TSA certificate whose extended key usage lacks timestamping (NU3028), and accepts one without the extension", async () => {
    const serverAuthTsa = await issueCertificate({
      commonName: "Signet Path Web TSA",
      key,
      issuer: pki.timestampingRoot,
      extendedKeyUsages: [SERVER_AUTH],
    });
    const [first] = errors(
      await verify({ primary: author(pki.author, { authority: await timestampAuthority(serverAuthTsa) }) }),
    );
    expect(first).toMatch(
      /^NU3028 .*NotValidForUsage: the certificate 'CN=Signet Path Web TSA' is not valid for timestamping/,
    );
    const anyPurposeTsa = await issueCertificate({
      commonName: "Signet Path Any TSA",
      key,
      issuer: pki.timestampingRoot,
    });
    expect(
      errors(await verify({ primary: author(pki.author, { authority: await timestampAuthority(anyPurposeTsa) }) })),
    ).toEqual([]);
  });
});

describe("a repository countersignature's chain", () => {
  it("is held to the same rules (NU3012 for a forged repository certificate)", async () => {
    const forged = await signerUnder(pki.author, { commonName: "NuGet.org Repository by Microsoft" });
    const report = await verify({
      primary: author(pki.author),
      countersigners: [{ signer: forged, kind: "repository", authority: pki.authority }],
    });
    expect(errors(report)[0]).toMatch(/^NU3012 Repository countersignature: .*InvalidBasicConstraints/);
    expect(report.author?.valid).toBe(true);
    expect(report.repository?.valid).toBe(false);
  });

  it("vouches for an author signature under an untrusted root, as NuGet lets it; the author's own chain stays untrusted", async () => {
    const otherRoot = await issueCertificate({ commonName: "Signet Path Other Root", key, certificateAuthority: true });
    const report = await verify({
      primary: author(await signerUnder(otherRoot)),
      countersigners: [{ signer: pki.repository, kind: "repository", authority: pki.authority }],
    });
    expect(errors(report)).toEqual([]);
    expect(report.status).toBe("valid");
    expect(report.issues).toContainEqual(
      expect.objectContaining({ code: "NU3018", level: "warning", message: expect.stringContaining("vouches for it") }),
    );
    expect(report.author).toMatchObject({ valid: false, chain: { trusted: false } });
  });
});
