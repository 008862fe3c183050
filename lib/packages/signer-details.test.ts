// The fixtures are the engine's own reports (`npm run verify -- --json`) for corpus packages:
// Microsoft.Bcl.AsyncInterfaces 8.0.0 (author-signed, nuget.org countersignature), its
// byte-flipped copy, and Modernizr 2.8.3 (repository signature only).
import { describe, expect, it } from "vitest";
import type { SignatureReport } from "@/lib/signing/report";
import authorAndRepository from "@/test/support/gallery-fixtures/author-and-repository-signed.report.json";
import repositoryOnly from "@/test/support/gallery-fixtures/repository-signed.report.json";
import tampered from "@/test/support/gallery-fixtures/tampered.report.json";
import { signerDetails, trustedSignersConfig, certificateView } from "./signer-details";

const asReport = (json: unknown) => json as SignatureReport;

describe("signerDetails", () => {
  const details = signerDetails(asReport(authorAndRepository));

  it("shows the author signer's names, fingerprint and validity", () => {
    expect(details.author?.title).toBe("Author signature");
    expect(details.author?.signer).toMatchObject({
      commonName: "Microsoft Corporation",
      organization: "Microsoft Corporation",
      issuerName: "DigiCert Trusted G4 Code Signing RSA4096 SHA384 2021 CA1",
      sha256FingerprintDisplay:
        "56:6A:31:88:2B:E2:08:BE:44:22:F7:CF:D6:6E:D0:9F:5D:45:24:A5:99:4F:50:CC:C8:B0:5E:C0:52:8C:13:53",
      notBefore: "2023-07-27T00:00:00.000Z",
      notAfter: "2026-10-17T23:59:59.000Z",
    });
  });

  it("draws the chain from the root down to the signer", () => {
    expect(details.author?.chain?.fromRoot.map((certificate) => certificate.name)).toEqual([
      "DigiCert Trusted Root G4",
      "DigiCert Trusted G4 Code Signing RSA4096 SHA384 2021 CA1",
      "Microsoft Corporation",
    ]);
    expect(details.author?.chain?.trusted).toBe(true);
  });

  it("names the timestamp authority and time, and the repository countersignature", () => {
    expect(details.author?.timestamps).toEqual([
      expect.objectContaining({
        time: "2023-10-31T20:41:33.000Z",
        valid: true,
        authority: expect.objectContaining({ commonName: "DigiCert Timestamp 2023", organization: "DigiCert, Inc." }),
      }),
    ]);
    expect(details.repository?.title).toBe("Repository countersignature");
    expect(details.repository?.signer?.commonName).toBe("NuGet.org Repository by Microsoft");
  });

  it("offers a trustedSigners block for the author certificate", () => {
    expect(details.trustedSignersConfig).toBe(
      [
        "<trustedSigners>",
        '  <author name="Microsoft Corporation">',
        '    <certificate fingerprint="566A31882BE208BE4422F7CFD66ED09F5D4524A5994F50CCC8B05EC0528C1353" hashAlgorithm="SHA256" allowUntrustedRoot="false" />',
        "  </author>",
        "</trustedSigners>",
      ].join("\n"),
    );
  });

  it("offers no trustedSigners block when only a repository signed", () => {
    const repository = signerDetails(asReport(repositoryOnly));
    expect(repository.author).toBeNull();
    expect(repository.repository?.title).toBe("Repository signature");
    expect(repository.trustedSignersConfig).toBeNull();
  });

  it("offers a <repository> trustedSigners block with the repository certificate and the owners the signature vouched for", () => {
    expect(signerDetails(asReport(authorAndRepository)).repositoryTrustedSignersConfig).toBe(
      [
        "<trustedSigners>",
        '  <repository name="api.nuget.org" serviceIndex="https://api.nuget.org/v3/index.json">',
        '    <certificate fingerprint="5A2901D6ADA3D18260B9C6DFE2133C95D74B9EEF6AE0E5DC334C8454D1477DF4" hashAlgorithm="SHA256" allowUntrustedRoot="false" />',
        "    <owners>dotnetframework;Microsoft</owners>",
        "  </repository>",
        "</trustedSigners>",
      ].join("\n"),
    );
    expect(signerDetails(asReport(repositoryOnly)).repositoryTrustedSignersConfig).toContain(
      "<owners>outercurve</owners>",
    );
  });

  it("offers no <repository> block for a repository signature that did not verify", () => {
    const report = asReport(repositoryOnly);
    const invalid = { ...report, repository: { ...report.repository!, valid: false } };
    expect(signerDetails(invalid).repositoryTrustedSignersConfig).toBeNull();
  });

  it("keeps the engine's errors and warnings for a tampered package", () => {
    const broken = signerDetails(asReport(tampered));
    expect(broken.integrity).toBe(false);
    expect(broken.issues.map((issue) => issue.code)).toContain("NU3008");
  });

  it("escapes the signer's name in the XML", () => {
    const signer = certificateView({
      ...asReport(authorAndRepository).author!.signer!,
      subject: 'CN=A "quoted" <B> & C',
    });
    expect(trustedSignersConfig(signer)).toContain('<author name="A &quot;quoted&quot; &lt;B&gt; &amp; C">');
  });
});
