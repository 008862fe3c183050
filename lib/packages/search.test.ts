import { describe, expect, it, beforeAll } from "vitest";
import type { SignatureReport } from "@/lib/signing/report";
import { isVerifiedPackage } from "@/lib/validation/rules/prefix-reservation";
import { testDialects, useMigratedDatabase } from "@/test/db/scratch";
import authorSigned from "./fixtures/author-and-repository-signed.report.json";
import tampered from "./fixtures/tampered.report.json";
import { seedReservation, seedVersion } from "./fixtures/seed-gallery";
import { containsPattern, loadReservations, searchPackages, searchQueryFromParams, SEARCH_PAGE_SIZE, type SearchQuery } from "./search";

const signedReport = authorSigned as SignatureReport;
const query = (overrides: Partial<SearchQuery>): SearchQuery => ({ text: "", signedOnly: false, verifiedOnly: false, page: 1, ...overrides });

describe.each(testDialects())("searchPackages on %s", (dialect) => {
  const database = useMigratedDatabase(dialect);

  beforeAll(async () => {
    const db = database();
    await seedReservation(db, "Contoso.", ["alice"]);
    await seedReservation(db, "Fabrikam_Exact", ["bob"], { isPrefix: false });
    await seedVersion(db, { packageId: "Contoso.Signed", version: "1.0.0", owners: ["alice"], report: signedReport, tags: "json serializer" });
    await seedVersion(db, { packageId: "Contoso.Unsigned", version: "2.0.0", owners: ["alice"], title: "Contoso Handy Tools" });
    // Signed once, but the version shown (the highest) is not: not "signed only".
    await seedVersion(db, { packageId: "Contoso.Lapsed", version: "1.0.0", owners: ["carol"], report: signedReport });
    await seedVersion(db, { packageId: "Contoso.Lapsed", version: "1.1.0", owners: ["carol"] });
    await seedVersion(db, { packageId: "Fabrikam_Exact", version: "3.0.0", owners: ["bob"], report: tampered as SignatureReport, description: "100% pure LIKE_wildcards" });
    await seedVersion(db, { packageId: "Hidden.Package", version: "1.0.0", owners: ["alice"], listed: false });
    for (let index = 0; index < SEARCH_PAGE_SIZE + 3; index += 1) {
      await seedVersion(db, { packageId: `Many.Package${String(index).padStart(2, "0")}`, version: "1.0.0", owners: ["dave"] });
    }
  });

  it("finds by ID, title, tags, description and owner, case-insensitively", async () => {
    const ids = async (text: string) => (await searchPackages(database(), query({ text }))).results.map((result) => result.packageId);
    expect(await ids("CONTOSO.SIGNED")).toEqual(["Contoso.Signed"]);
    expect(await ids("handy tools")).toEqual(["Contoso.Unsigned"]);
    expect(await ids("Serializer")).toEqual(["Contoso.Signed"]);
    expect(await ids("CAROL")).toEqual(["Contoso.Lapsed"]);
    expect(await ids("hidden")).toEqual([]);
  });

  it("takes LIKE wildcards in the text literally", async () => {
    const result = await searchPackages(database(), query({ text: "100%" }));
    expect(result.results.map((item) => item.packageId)).toEqual(["Fabrikam_Exact"]);
    expect((await searchPackages(database(), query({ text: "e_w" }))).results.map((item) => item.packageId)).toEqual(["Fabrikam_Exact"]);
    // Unescaped, "%" and "_" would match "pure LIKE" and "useful" here.
    expect((await searchPackages(database(), query({ text: "re%li" }))).total).toBe(0);
    expect((await searchPackages(database(), query({ text: "u_eful" }))).total).toBe(0);
  });

  it("shows each result's latest version, owners, verified check and signing state", async () => {
    const { results } = await searchPackages(database(), query({ text: "contoso" }));
    expect(results.map((result) => [result.packageId, result.version, result.signing.kind, result.verification.verified, result.owners])).toEqual([
      ["Contoso.Lapsed", "1.1.0", "unsigned", false, ["carol"]],
      ["Contoso.Signed", "1.0.0", "signed", true, ["alice"]],
      ["Contoso.Unsigned", "2.0.0", "unsigned", true, ["alice"]],
    ]);
  });

  it("keeps only trusted signed packages with 'signed only'", async () => {
    const { results, total } = await searchPackages(database(), query({ signedOnly: true }));
    expect(results.map((result) => result.packageId)).toEqual(["Contoso.Signed"]);
    expect(total).toBe(1);
  });

  it("filters verified IDs exactly as isVerifiedPackage decides", async () => {
    const db = database();
    const { results } = await searchPackages(db, query({ verifiedOnly: true }));
    expect(results.map((result) => result.packageId)).toEqual(["Contoso.Signed", "Contoso.Unsigned", "Fabrikam_Exact"]);
    const reservations = (await loadReservations(db)).map((reservation) => ({ ...reservation, ownerIds: reservation.owners.map((owner) => owner.id) }));
    const everything = await db.packageRegistration.findMany({ select: { packageId: true, owners: { select: { userId: true } } } });
    const expected = everything
      .filter((registration) => registration.packageId !== "Hidden.Package")
      .filter((registration) => isVerifiedPackage(registration.packageId, registration.owners.map((owner) => owner.userId), reservations))
      .map((registration) => registration.packageId)
      .sort();
    expect(results.map((result) => result.packageId)).toEqual(expected);
  });

  it("pages by 20 with a total and page count", async () => {
    const first = await searchPackages(database(), query({ text: "many." }));
    expect(first).toMatchObject({ total: SEARCH_PAGE_SIZE + 3, page: 1, pageCount: 2 });
    expect(first.results).toHaveLength(SEARCH_PAGE_SIZE);
    const second = await searchPackages(database(), query({ text: "many.", page: 2 }));
    expect(second.results.map((result) => result.packageId)).toEqual(["Many.Package20", "Many.Package21", "Many.Package22"]);
    expect((await searchPackages(database(), query({ text: "many.", page: 9 }))).results).toEqual([]);
  });
});

describe("searchQueryFromParams", () => {
  it("reads q, the two checkboxes and the page", () => {
    expect(searchQueryFromParams({ q: "  json ", signed: "on", verified: "1", page: "3" })).toEqual({ text: "json", signedOnly: true, verifiedOnly: true, page: 3 });
  });

  it("falls back to defaults for odd values", () => {
    expect(searchQueryFromParams({ q: ["a", "b"], page: "-2" })).toEqual({ text: "a", signedOnly: false, verifiedOnly: false, page: 1 });
    expect(searchQueryFromParams({ page: "1e9", q: "x".repeat(500) }).text).toHaveLength(200);
    expect(searchQueryFromParams({ page: "99999999" }).page).toBe(10_000);
  });
});

describe("containsPattern", () => {
  it("escapes LIKE's wildcards and its escape character", () => {
    expect(containsPattern("A_b%c\\")).toBe("%a\\_b\\%c\\\\%");
  });
});
