// One compromise mark, every reader: package pages, the versions table, the home page's badges
// and count, search's "signed only", the admin certificate page, the count the admin is told
// when marking, and the dashboard all judge a version by its proven signing time, with the
// same rule. Versions sit on each side of the mark, timestamped and not; the untimestamped ones
// claim (signing-time attribute) to have been signed years before it, and one carries a valid
// timestamp from before it behind an invalid first one.
import { beforeAll, describe, expect, it } from "vitest";
import { getCertificateDetail, markCertificateCompromised } from "@/lib/admin/certificates";
import { getDashboardCounts } from "@/lib/admin/dashboard";
import { countGallery } from "@/lib/search/gallery-counts";
import { DEFAULT_SEARCH, searchPackages } from "@/lib/search/search";
import type { SignatureReport, TimestampReport } from "@/lib/signing/report";
import { testDialects, useMigratedDatabase } from "@/test/db/scratch";
import authorSigned from "@/test/support/gallery-fixtures/author-and-repository-signed.report.json";
import { seedUser, seedVersion } from "@/test/support/gallery-fixtures/seed-gallery";
import { loadPackagePage } from "@/lib/packages/package-page";

const COMPROMISED_AT = "2026-06-01T00:00:00.000Z";
const BACKDATED_CLAIM = "2020-01-01T00:00:00.000Z";

function signedReport(timestamps: TimestampReport[]): SignatureReport {
  const base = authorSigned as SignatureReport;
  return { ...base, author: { ...base.author!, signingTime: BACKDATED_CLAIM, timestamps } };
}

function timestampAt(time: string, valid = true): TimestampReport {
  return { ...(authorSigned as SignatureReport).author!.timestamps[0]!, time, valid };
}

// packageId → [report, when the gallery received it, shown as trusted after the mark?]
const VERSIONS: Array<[string, SignatureReport, string, boolean]> = [
  ["Timestamped.Before", signedReport([timestampAt("2026-05-31T23:59:59.999Z")]), "2026-07-01T00:00:00.000Z", true],
  ["Timestamped.AtTheMark", signedReport([timestampAt(COMPROMISED_AT)]), "2026-07-01T00:00:00.000Z", false],
  ["Backdated.ReceivedBefore", signedReport([]), "2026-05-31T23:59:59.999Z", true],
  ["Backdated.ReceivedAfter", signedReport([]), "2026-06-01T00:00:00.001Z", false],
  // NuGet judges the first timestamp only: a valid second one from before the mark proves nothing.
  [
    "FirstTimestampInvalid.ReceivedAfter",
    signedReport([timestampAt("2026-05-01T00:00:00.000Z", false), timestampAt("2026-05-31T00:00:00.000Z")]),
    "2026-06-01T00:00:00.001Z",
    false,
  ],
];

const trustedIds = VERSIONS.filter(([, , , trusted]) => trusted)
  .map(([id]) => id)
  .sort();
const flaggedIds = VERSIONS.filter(([, , , trusted]) => !trusted)
  .map(([id]) => id)
  .sort();

describe.each(testDialects())("a compromise mark, read everywhere, on %s", (dialect) => {
  const database = useMigratedDatabase(dialect);
  let certificateId = "";
  let markMessage = "";

  beforeAll(async () => {
    const db = database();
    for (const [packageId, report, receivedAt] of VERSIONS) {
      await seedVersion(db, {
        packageId,
        version: "1.0.0",
        owners: ["alice"],
        report,
        receivedAt,
        publishedAt: receivedAt,
      });
    }
    const fingerprint = (authorSigned as SignatureReport).author!.signer!.sha256Fingerprint;
    certificateId = (await db.certificate.findUniqueOrThrow({ where: { sha256Fingerprint: fingerprint } })).id;
    const admin = await seedUser(db, "admin");
    markMessage = (
      await markCertificateCompromised(db, admin.id, certificateId, {
        compromisedAt: COMPROMISED_AT,
        reason: "Key leaked",
      })
    ).message;
  });

  it("package pages: green only for versions proven signed before the mark, whatever the signer claims", async () => {
    for (const [packageId, , , trusted] of VERSIONS) {
      const page = await loadPackagePage(database(), packageId);
      expect(page?.signing.kind, packageId).toBe(trusted ? "signed" : "compromised");
      expect(page?.versions[0]?.signing.kind, packageId).toBe(trusted ? "signed" : "compromised");
    }
  });

  it("search: 'signed only' keeps exactly the versions shown green", async () => {
    const { hits } = await searchPackages(database(), { ...DEFAULT_SEARCH, signedOnly: true });
    expect(hits.map((hit) => hit.packageId).sort()).toEqual(trustedIds);
  });

  it("home page and feed: the recent list's badges, the signet:signature summary and the signed count agree", async () => {
    const { hits } = await searchPackages(database(), { ...DEFAULT_SEARCH, order: "recent", take: 10 });
    expect(
      hits
        .filter((hit) => hit.shown.signing.kind === "signed")
        .map((hit) => hit.packageId)
        .sort(),
    ).toEqual(trustedIds);
    expect(
      hits
        .filter((hit) => hit.shown.signature.trusted)
        .map((hit) => hit.packageId)
        .sort(),
    ).toEqual(trustedIds);
    const backdated = hits.find((hit) => hit.packageId === "Backdated.ReceivedAfter")?.shown.signature.author;
    expect(backdated).toMatchObject({
      provenSigningTime: "2026-06-01T00:00:00.001Z",
      provenSigningTimeSource: "received",
    });
    expect((await countGallery(database())).signedVersions).toBe(trustedIds.length);
  });

  it("admin: the certificate page flags, the marking message and the dashboard count the same versions", async () => {
    const detail = await getCertificateDetail(database(), certificateId);
    expect(
      detail.signedVersions
        .filter((version) => version.flagged)
        .map((version) => version.packageId)
        .sort(),
    ).toEqual(flaggedIds);
    expect(markMessage).toContain(`${flaggedIds.length} published versions now carry a warning`);
    expect((await getDashboardCounts(database())).compromisedVersions).toBe(flaggedIds.length);
  });
});
