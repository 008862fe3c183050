// Repository certificate rollover (issue 12), as `npm run repo-sign:certificate -- add` does it:
// the new certificate is announced before the gallery signs with it, the old one stays listed,
// and RepositorySignatures/5.0.0 then lists both, each downloadable.
import { beforeAll, describe, expect, it } from "vitest";
import {
  announceRepositorySigningCertificate,
  listRepositorySigningCertificates,
  loadRepositorySignaturesIndex,
  repositorySigningCertificateDer,
} from "@/lib/feed/repository-signatures";
import { IssueError } from "@/lib/issues";
import { describeCertificate } from "@/lib/signing";
import { testDialects, useMigratedDatabase } from "@/test/db/scratch";
import {
  certificatePem,
  createRootAuthority,
  EXTENDED_KEY_USAGE,
  generateRsaKey,
  issueCertificate,
  type TestCertificate,
} from "@/test/support/pki";

describe.each(testDialects())("repository certificate rollover on %s", (dialect) => {
  const database = useMigratedDatabase(dialect);
  let current: TestCertificate;
  let next: TestCertificate;

  beforeAll(async () => {
    const [rootKey, currentKey, nextKey] = await Promise.all([generateRsaKey(), generateRsaKey(), generateRsaKey()]);
    const root = await createRootAuthority("Rollover Test Root", rootKey);
    const codeSigning = [EXTENDED_KEY_USAGE.codeSigning];
    current = await issueCertificate({
      commonName: "Gallery Repository 2026",
      key: currentKey,
      issuer: root,
      extendedKeyUsages: codeSigning,
    });
    next = await issueCertificate({
      commonName: "Gallery Repository 2027",
      key: nextKey,
      issuer: root,
      extendedKeyUsages: codeSigning,
    });
  });

  it("lists an announced certificate beside the one in use, each with its download, and adding one twice changes nothing", async () => {
    const db = database();
    const fingerprint = async (certificate: TestCertificate) =>
      (await describeCertificate(certificate.certificate)).sha256Fingerprint;
    // The certificate in use (PEM, as the signing configuration holds it), then the next one (DER, as a .cer file).
    expect(await announceRepositorySigningCertificate(db, new TextEncoder().encode(certificatePem(current)))).toEqual({
      sha256Fingerprint: await fingerprint(current),
      added: true,
    });
    expect(await announceRepositorySigningCertificate(db, next.der)).toEqual({
      sha256Fingerprint: await fingerprint(next),
      added: true,
    });
    expect(await announceRepositorySigningCertificate(db, next.der)).toEqual({
      sha256Fingerprint: await fingerprint(next),
      added: false,
    });

    expect((await listRepositorySigningCertificates(db)).map((row) => row.subject)).toEqual(
      expect.arrayContaining([
        expect.stringContaining("Gallery Repository 2026"),
        expect.stringContaining("Gallery Repository 2027"),
      ]),
    );
    const index = await loadRepositorySignaturesIndex(db, "https://gallery.example");
    expect(index.signingCertificates.map((entry) => entry.fingerprints["2.16.840.1.101.3.4.2.1"]).sort()).toEqual(
      [await fingerprint(current), await fingerprint(next)].sort(),
    );
    expect(
      index.signingCertificates.every((entry) =>
        entry.contentUrl.startsWith("https://gallery.example/v3/repository-signatures/certificates/"),
      ),
    ).toBe(true);
    expect(await repositorySigningCertificateDer(db, await fingerprint(next))).toEqual(next.der);
  });

  it("refuses a file that is not a certificate with CERTIFICATE_UNREADABLE, and lists nothing for it", async () => {
    const db = database();
    const before = (await listRepositorySigningCertificates(db)).length;
    const refusal = await announceRepositorySigningCertificate(db, new TextEncoder().encode("not a certificate")).catch(
      (failure: unknown) => failure,
    );
    expect(refusal).toBeInstanceOf(IssueError);
    expect((refusal as IssueError).code).toBe("CERTIFICATE_UNREADABLE");
    expect(await listRepositorySigningCertificates(db)).toHaveLength(before);
  });
});
