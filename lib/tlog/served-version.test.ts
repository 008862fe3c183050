import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { PublishEntry, RepositorySignedEntry } from "./entry";
import { afterRepositorySigning, publishedVersion } from "./served-version";

const sha512 = (text: string) => createHash("sha512").update(text).digest("base64");
const time = new Date("2026-12-01T00:00:00Z");

const publication = (repositoryCertificate: string | null): PublishEntry => ({
  kind: "publish",
  packageId: "Contoso.Lib",
  version: "1.0.0",
  publishedSha512: sha512("as uploaded"),
  uploadedSha512: sha512("as uploaded"),
  authorSigner: null,
  repositoryCertificate,
  owners: ["alice"],
  time,
});
const signing: RepositorySignedEntry = {
  kind: "repository-signed",
  packageId: "Contoso.Lib",
  version: "1.0.0",
  publishedSha512: sha512("signed"),
  repositoryCertificate: "ab".repeat(32),
  time,
};

describe("the file a version is served as", () => {
  it("is the published file, then the repository-signed one once the gallery signs a version published without its signature", () => {
    const published = publishedVersion(4, publication(null));
    expect(published).toEqual({ index: 4, sha512: sha512("as uploaded"), repositoryCertificate: null });
    expect(afterRepositorySigning(published, 9, signing)).toEqual({
      ok: true,
      version: { index: 4, sha512: sha512("signed"), repositoryCertificate: "ab".repeat(32) },
    });
  });

  it("refuses a signing the gallery does not make: before the publication, of a version published signed, or a second one", () => {
    expect(afterRepositorySigning(undefined, 9, signing)).toEqual({
      ok: false,
      problem: expect.stringContaining("which the log has not published before it"),
    });
    expect(afterRepositorySigning(publishedVersion(4, publication("cd".repeat(32))), 9, signing)).toEqual({
      ok: false,
      problem: expect.stringContaining(`already repository-signed (certificate ${"cd".repeat(32)})`),
    });
    const signed = afterRepositorySigning(publishedVersion(4, publication(null)), 9, signing);
    if (!signed.ok) throw new Error(signed.problem);
    expect(
      afterRepositorySigning(signed.version, 12, { ...signing, publishedSha512: sha512("signed again") }),
    ).toMatchObject({ ok: false });
  });
});
