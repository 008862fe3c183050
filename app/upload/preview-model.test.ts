import { describe, expect, it } from "vitest";
import { error, warning } from "@/lib/issues";
import type { NuspecMetadata } from "@/lib/nuspec/metadata";
import type { UploadJudgement } from "@/lib/validation/judge-upload";
import { ANY_VERSION_RANGE, parseVersionRange } from "@/lib/versioning/range";
import { ALL_FRAMEWORKS } from "@/lib/packages/dependencies";
import { toUploadPreview } from "./preview-model";

const METADATA: NuspecMetadata = {
  schemaNamespace: "http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd",
  id: "Contoso.Utils",
  version: "1.0",
  title: "Contoso utilities",
  authors: ["Ada", "Grace"],
  owners: [],
  description: "Helpers.",
  tags: [],
  projectUrl: "https://contoso.example/utils",
  license: { type: "expression", expression: "MIT" },
  requireLicenseAcceptance: false,
  packageTypes: [],
  dependencyGroups: [
    {
      targetFramework: "net8.0",
      dependencies: [{ id: "Newtonsoft.Json", range: parseVersionRange("[13.0.1, 14.0)") }],
    },
    { dependencies: [{ id: "Any.Thing", range: ANY_VERSION_RANGE }] },
  ],
  frameworkAssemblies: [],
};

function judgement(overrides: Partial<UploadJudgement>): UploadJudgement {
  return {
    packageId: "Contoso.Utils",
    version: "1.0.0",
    originalVersion: "1.0",
    parsedVersion: null,
    metadata: METADATA,
    nuspecXml: "<package/>",
    readme: null,
    signatureReport: {
      status: "unsigned",
      packageHashAlgorithm: null,
      integrity: null,
      author: null,
      repository: null,
      issues: [],
    },
    provenSigningTime: { time: new Date("2026-11-01T00:00:00Z"), source: "RECEIVED" },
    issues: [warning("NUSPEC_URL_NOT_WEB", "x")],
    verified: true,
    isNewId: true,
    signerAuthorization: null,
    facts: null,
    ...overrides,
  };
}

describe("toUploadPreview", () => {
  it("words the manifest for the page: authors, license, dependency ranges per framework", () => {
    const preview = toUploadPreview("attempt-1", judgement({}), false);
    expect(preview).toMatchObject({
      attemptId: "attempt-1",
      packageId: "Contoso.Utils",
      version: "1.0.0",
      title: "Contoso utilities",
      authors: ["Ada", "Grace"],
      license: "MIT (license expression)",
      projectUrl: "https://contoso.example/utils",
      verified: true,
    });
    expect(preview.dependencyGroups).toEqual([
      {
        targetFramework: "net8.0",
        dependencies: [{ id: "Newtonsoft.Json", range: "≥ 13.0.1 && < 14.0.0", galleryId: null }],
      },
      { targetFramework: ALL_FRAMEWORKS, dependencies: [{ id: "Any.Thing", range: "any version", galleryId: null }] },
    ]);
    expect(preview.issues).toEqual([warning("NUSPEC_URL_NOT_WEB", "x")]);
  });

  it("names a license file or a license URL when there is no expression", () => {
    expect(
      toUploadPreview(
        "a",
        judgement({ metadata: { ...METADATA, license: { type: "file", path: "LICENSE.txt" } } }),
        false,
      ).license,
    ).toBe("License file in the package: LICENSE.txt");
    const { license: _none, ...withoutLicense } = METADATA;
    expect(
      toUploadPreview(
        "a",
        judgement({ metadata: { ...withoutLicense, licenseUrl: "https://contoso.example/l" } }),
        false,
      ).license,
    ).toBe("https://contoso.example/l (license URL)");
    expect(toUploadPreview("a", judgement({ metadata: withoutLicense }), false).license).toBeNull();
  });

  it("keeps only the issues when the package could not be read", () => {
    const notAZip = error("ZIP_INVALID", "The file is not a zip archive.");
    const preview = toUploadPreview(
      "a",
      judgement({
        packageId: null,
        version: null,
        metadata: null,
        signatureReport: null,
        verified: false,
        issues: [notAZip],
      }),
      true,
    );
    expect(preview).toEqual({
      attemptId: "a",
      packageId: null,
      version: null,
      title: null,
      authors: [],
      description: null,
      license: null,
      projectUrl: null,
      dependencyGroups: [],
      verified: false,
      signatureReport: null,
      issues: [notAZip],
      refused: true,
      unregisteredSignerFingerprint: null,
    });
  });

  it("lists each issue once, most actionable first, and offers the unregistered signer's fingerprint", () => {
    const signer = {
      subject: "CN=Ada",
      issuer: "CN=CA",
      serialNumber: "01",
      sha256Fingerprint: "ab".repeat(32),
      sha1Fingerprint: "cd".repeat(20),
      notBefore: "",
      notAfter: "",
    };
    const untrustedTimestamp = error("NU3028", "The timestamp's chain is not trusted.");
    const notRegistered = error(
      "SIGNER_NOT_REGISTERED",
      "Signed by CN=Ada, which is not registered to any owner of the package.",
    );
    const preview = toUploadPreview(
      "a",
      judgement({
        issues: [untrustedTimestamp, notRegistered, untrustedTimestamp],
        signatureReport: {
          status: "invalid",
          packageHashAlgorithm: "SHA-256",
          integrity: true,
          author: {
            kind: "author",
            placement: "primary",
            signer,
            chain: null,
            signingTime: null,
            digestAlgorithm: "SHA-256",
            timestamps: [],
            serviceIndexUrl: null,
            packageOwners: null,
            valid: false,
          },
          repository: null,
          issues: [untrustedTimestamp],
        },
      }),
      true,
    );
    expect(preview.issues).toEqual([notRegistered, untrustedTimestamp]);
    expect(preview.unregisteredSignerFingerprint).toBe("ab".repeat(32));
  });
});
