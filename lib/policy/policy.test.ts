// Verdicts from stored reports: real nuget.org reports (author signed and repository
// countersigned, repository signed only, tampered) and reports with one finding changed.
// e2e/consumer-trust-restore.spec.ts checks the same predictions against `dotnet restore`.

import { describe, expect, it } from "vitest";
import authorSignedReport from "@/test/support/gallery-fixtures/author-and-repository-signed.report.json";
import repositorySignedReport from "@/test/support/gallery-fixtures/repository-signed.report.json";
import tamperedReport from "@/test/support/gallery-fixtures/tampered.report.json";
import { error } from "@/lib/issues";
import type { SignatureReport } from "@/lib/signing/report";
import { nugetConfig, resolutionErrorsWithMapping } from "./nuget-config";
import { predictRestore } from "./restore";
import { selectTrustedSigners, type GalleryFeed, type VersionTrust } from "./trust-selection";
import type { TrustedSigner } from "./trusted-signers";
import { graphVerdicts, versionVerdicts, type ModeVerdict } from "./verdicts";

const NOW = new Date("2024-01-15T00:00:00Z");
const NUGET_ORG: GalleryFeed = {
  serviceIndexUrl: "https://api.nuget.org/v3/index.json",
  sourceName: "nuget.org",
  repositoryServiceIndexUrl: "https://api.nuget.org/v3/index.json",
};
const SIGNET: GalleryFeed = {
  serviceIndexUrl: "http://127.0.0.1:3000/v3/index.json",
  sourceName: "signet",
  repositoryServiceIndexUrl: "https://127.0.0.1:3000/v3/index.json",
};
const authorSigned = authorSignedReport as SignatureReport;
const repositorySigned = repositorySignedReport as SignatureReport;
const tampered = tamperedReport as SignatureReport;

function trust(
  report: SignatureReport | null,
  authorCertificate: VersionTrust["authorCertificate"] = report?.author
    ? { compromised: false, registered: true }
    : null,
): VersionTrust {
  return { packageId: "Contoso.Http", version: "1.0.0", report, authorCertificate };
}

function verdictsFor(version: VersionTrust, feed = SIGNET): Record<string, Pick<ModeVerdict, "outcome" | "code">> {
  const { signers } = selectTrustedSigners([version], feed);
  return Object.fromEntries(
    versionVerdicts(version, { trustedSigners: signers, now: NOW }).map((verdict) => [
      verdict.mode,
      { outcome: verdict.outcome, code: verdict.code },
    ]),
  );
}

/** The author signature with its chain ending at an untrusted root. */
function untrustedAuthorRoot(report: SignatureReport): SignatureReport {
  return {
    ...report,
    status: "invalid",
    author: report.author && { ...report.author, valid: false },
    issues: [
      ...report.issues,
      error(
        "NU3018",
        "Author signature: The signing certificate chain is not trusted: The chain ends in the root 'CN=Test', which is not a trusted root.",
      ),
    ],
  };
}

describe("versionVerdicts", () => {
  it("accepts an unsigned package unless the mode requires signatures", () => {
    expect(verdictsFor(trust(null))).toEqual({
      developer: { outcome: "accept", code: null },
      default: { outcome: "accept", code: null },
      secure: { outcome: "refuse", code: "NU3004" },
    });
  });

  it("accepts an author-signed package everywhere, trusting its author in Secure mode", () => {
    expect(verdictsFor(trust(authorSigned))).toEqual({
      developer: { outcome: "accept", code: null },
      default: { outcome: "accept", code: null },
      secure: { outcome: "accept", code: null },
    });
  });

  it("refuses a compromised signer in Secure mode and warns in the others, saying why", () => {
    const version = trust(authorSigned, { compromised: true, registered: true });
    expect(verdictsFor(version)).toEqual({
      developer: { outcome: "warn", code: "SIGNER_COMPROMISED" },
      default: { outcome: "warn", code: "SIGNER_COMPROMISED" },
      secure: { outcome: "refuse", code: "NU3034" },
    });
    const [, , secure] = versionVerdicts(version, {
      trustedSigners: selectTrustedSigners([version], SIGNET).signers,
      now: NOW,
    });
    expect(secure?.sentence).toBe(
      "Refused (NU3034): the gallery leaves the certificate of Microsoft Corporation out of trustedSigners because it was marked compromised, so the client finds no trusted signer for it.",
    );
  });

  it("refuses a signer no owner registered in Secure mode", () => {
    expect(verdictsFor(trust(authorSigned, { compromised: false, registered: false }))).toMatchObject({
      default: { outcome: "warn", code: "SIGNER_NOT_REGISTERED" },
      secure: { outcome: "refuse", code: "NU3034" },
    });
  });

  it("refuses a tampered package wherever restore checks signatures (NU3008)", () => {
    expect(verdictsFor(trust(tampered))).toEqual({
      developer: { outcome: "warn", code: "NU3008" },
      default: { outcome: "refuse", code: "NU3008" },
      secure: { outcome: "refuse", code: "NU3008" },
    });
  });

  it("trusts a repository-signed package through the repository entry of its own gallery only", () => {
    expect(verdictsFor(trust(repositorySigned), NUGET_ORG)).toMatchObject({
      secure: { outcome: "accept", code: null },
    });
    expect(verdictsFor(trust(repositorySigned), SIGNET)).toMatchObject({
      default: { outcome: "accept" },
      secure: { outcome: "refuse", code: "NU3034" },
    });
  });

  it("lets a valid repository countersignature stand in for an untrusted author root, as restore does", () => {
    const report = untrustedAuthorRoot(authorSigned);
    // Accept mode: only warnings. Require mode trusting the repository: the countersignature vouches.
    expect(
      predictRestore(report, { validationMode: "accept", verifySignatures: true, trustedSigners: [] }, NOW),
    ).toMatchObject({ passes: true, errors: [] });
    const countersigner = authorSigned.repository?.signer?.sha256Fingerprint ?? "";
    const viaRepository: TrustedSigner[] = [
      {
        kind: "repository",
        name: "nuget.org",
        serviceIndexUrl: NUGET_ORG.repositoryServiceIndexUrl,
        fingerprints: [countersigner],
        owners: [],
      },
    ];
    expect(
      predictRestore(report, { validationMode: "require", verifySignatures: true, trustedSigners: viaRepository }, NOW),
    ).toMatchObject({ passes: true });
    // Without the countersignature, the untrusted root is an error in require mode.
    const alone = { ...report, repository: null };
    expect(
      predictRestore(
        alone,
        { validationMode: "require", verifySignatures: true, trustedSigners: viaRepository },
        NOW,
      ).errors.map((issue) => issue.code),
    ).toEqual(["NU3034", "NU3018"]);
  });

  it("reports an author certificate that expired since an untimestamped signing (NU3037), unless the countersignature's timestamp vouches for it", () => {
    const untimestamped: SignatureReport = {
      ...authorSigned,
      author: authorSigned.author && { ...authorSigned.author, timestamps: [] },
    };
    const later = new Date("2027-01-01T00:00:00Z");
    const require = {
      validationMode: "require" as const,
      verifySignatures: true,
      trustedSigners: selectTrustedSigners([trust(untimestamped)], SIGNET).signers,
    };
    expect(
      predictRestore({ ...untimestamped, repository: null }, require, later).errors.map((issue) => issue.code),
    ).toEqual(["NU3037"]);
    expect(predictRestore(untimestamped, require, later)).toMatchObject({ passes: true });
  });

  it("checks nothing when restore's signature checks are off", () => {
    expect(
      predictRestore(tampered, { validationMode: "require", verifySignatures: false, trustedSigners: [] }, NOW),
    ).toEqual({ passes: true, errors: [], warnings: [] });
  });

  it("refuses unsigned packages from a source that says all its packages are repository signed", () => {
    const policy = {
      validationMode: "accept" as const,
      verifySignatures: true,
      trustedSigners: [],
      repositorySignatures: { allRepositorySigned: true, fingerprints: ["ab"] },
    };
    expect(predictRestore(null, policy, NOW).errors.map((issue) => issue.code)).toEqual(["NU3004"]);
    expect(predictRestore(authorSigned, policy, NOW).warnings.map((issue) => issue.code)).toContain("NU3034");
  });
});

describe("selectTrustedSigners", () => {
  it("lists each author certificate once, with unique names, and the gallery's repository certificate for the packages without an author signature", () => {
    const versions = [trust(authorSigned), trust(authorSigned), trust(repositorySigned)];
    const { signers, excluded } = selectTrustedSigners(versions, NUGET_ORG);
    expect(excluded).toEqual([]);
    expect(signers).toEqual([
      {
        kind: "author",
        name: "Microsoft Corporation",
        fingerprints: ["566a31882be208be4422f7cfd66ed09f5d4524a5994f50ccc8b05ec0528c1353"],
      },
      {
        kind: "repository",
        name: "nuget.org",
        serviceIndexUrl: NUGET_ORG.serviceIndexUrl,
        fingerprints: [
          "5a2901d6ada3d18260b9c6dfe2133c95d74b9eef6ae0e5dc334c8454d1477df4",
          repositorySigned.repository?.signer?.sha256Fingerprint,
        ],
        owners: ["outercurve"],
      },
    ]);
  });

  it("leaves the repository entry out when every package has an author signature", () => {
    expect(selectTrustedSigners([trust(authorSigned)], NUGET_ORG).signers.map((signer) => signer.kind)).toEqual([
      "author",
    ]);
  });

  it("does not let a package whose author is left out in through the repository entry of other owners' packages", () => {
    const compromised = trust(authorSigned, { compromised: true, registered: true });
    const repositoryOnly = trust(repositorySigned);
    const { signers } = selectTrustedSigners([compromised, repositoryOnly], NUGET_ORG);
    const secure = (version: VersionTrust) =>
      versionVerdicts(version, { trustedSigners: signers, now: NOW }).find((verdict) => verdict.mode === "secure");
    expect(secure(repositoryOnly)).toMatchObject({ outcome: "accept" });
    // Countersigned by the same repository, but for owners the entry does not list.
    expect(secure(compromised)).toMatchObject({ outcome: "refuse", code: "NU3034" });
  });

  it("leaves out a certificate marked compromised even when another version signed with it is fine", () => {
    const { signers, excluded } = selectTrustedSigners(
      [trust(authorSigned), trust(authorSigned, { compromised: true, registered: true })],
      SIGNET,
    );
    expect(signers).toEqual([]);
    expect(excluded).toEqual([{ packageId: "Contoso.Http", version: "1.0.0", reason: "compromised" }]);
  });
});

describe("nugetConfig", () => {
  it("writes the source, the mapping, require mode and the trusted signers", () => {
    const { signers } = selectTrustedSigners([trust(authorSigned), trust(repositorySigned)], {
      ...NUGET_ORG,
      sourceName: "a&b",
    });
    const config = nugetConfig({
      feed: { ...NUGET_ORG, sourceName: "a&b" },
      mode: "secure",
      trustedSigners: signers,
      packageIds: ["Contoso.Http", "Contoso.Core"],
      missingIds: ["Fabrikam.Gone"],
      subject: "Contoso.Http 1.0.0, net8.0",
    });
    expect(config).toContain('<add key="a&amp;b" value="https://api.nuget.org/v3/index.json" />');
    expect(config).toContain('      <package pattern="Contoso.Core" />');
    expect(config).toContain(
      "<!-- Not on this gallery (restore fails until a source provides them): Fabrikam.Gone. -->",
    );
    expect(config).toContain('<add key="signatureValidationMode" value="require" />');
    expect(config).toContain(
      '<certificate fingerprint="566A31882BE208BE4422F7CFD66ED09F5D4524A5994F50CCC8B05EC0528C1353" hashAlgorithm="SHA256" allowUntrustedRoot="false" />',
    );
    expect(config).toContain('<repository name="a&amp;b" serviceIndex="https://api.nuget.org/v3/index.json">');
    expect(config).toContain("<owners>outercurve</owners>");
  });

  it("allows a plain-HTTP gallery explicitly and leaves trusted signers out of accept mode", () => {
    const config = nugetConfig({
      feed: SIGNET,
      mode: "default",
      trustedSigners: [],
      packageIds: ["A"],
      subject: "A 1.0.0",
    });
    expect(config).toContain('value="http://127.0.0.1:3000/v3/index.json" allowInsecureConnections="true" />');
    expect(config).toContain('value="accept"');
    expect(config).not.toContain("trustedSigners");
  });
});

describe("resolutionErrorsWithMapping", () => {
  it("turns a package no source has into NU1100, the mapping's error, and keeps the others", () => {
    const errors = resolutionErrorsWithMapping(
      [
        error("NU1108", "Cycle detected: A 1.0.0 -> A (≥ 1.0.0)."),
        error("NU1101", "Unable to find package Gone: no package with this ID exists on the source."),
        error("NU1102", "Unable to find package B with version (≥ 9.0.0)."),
      ],
      [{ id: "Gone", range: "≥ 1.0.0" }],
    );
    expect(errors.map((issue) => issue.code)).toEqual(["NU1108", "NU1102", "NU1100"]);
    expect(errors[2]?.message).toBe(
      "Unable to resolve Gone (≥ 1.0.0): this gallery does not have it and the nuget.config maps it to no other source.",
    );
  });
});

describe("graphVerdicts", () => {
  const members = (versions: VersionTrust[]) => {
    const { signers } = selectTrustedSigners(versions, SIGNET);
    return versions.map((version) => ({
      version,
      verdicts: versionVerdicts(version, { trustedSigners: signers, now: NOW }),
    }));
  };

  it("refuses in every mode when restore cannot resolve the graph", () => {
    const verdicts = graphVerdicts(members([trust(authorSigned)]), [
      error("NU1101", "Unable to find package Gone: no package with this ID exists on the source."),
    ]);
    expect(verdicts.map((verdict) => [verdict.outcome, verdict.code])).toEqual([
      ["refuse", "NU1101"],
      ["refuse", "NU1101"],
      ["refuse", "NU1101"],
    ]);
    expect(verdicts[0]?.sentence).toBe(
      "Refused (NU1101): unable to find package Gone: no package with this ID exists on the source.",
    );
  });

  it("refuses in a mode where any package is refused, naming it, and collects every error code", () => {
    const verdicts = graphVerdicts(
      members([trust(authorSigned), { ...trust(null), packageId: "Contoso.Unsigned" }]),
      [],
    );
    expect(verdicts.map((verdict) => verdict.outcome)).toEqual(["accept", "accept", "refuse"]);
    expect(verdicts[2]).toMatchObject({
      code: "NU3004",
      errorCodes: ["NU3004"],
      sentence: "Refused: restore stops at 1 of 2 packages: Contoso.Unsigned 1.0.0 (NU3004).",
    });
  });
});
