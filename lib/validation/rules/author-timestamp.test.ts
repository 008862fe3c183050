import { describe, expect, it } from "vitest";
import type { SignatureDetails, SignatureReport, TimestampReport } from "@/lib/signing/report";
import { checkAuthorTimestamp } from "./author-timestamp";

function timestamp(valid: boolean): TimestampReport {
  return { time: "2026-01-01T00:00:00.000Z", hashAlgorithm: "SHA-256", tsa: null, chain: null, valid };
}

function signedBy(
  kind: SignatureDetails["kind"],
  timestamps: TimestampReport[],
  placement: SignatureDetails["placement"] = "primary",
): SignatureDetails {
  return {
    kind,
    placement,
    signer: null,
    chain: null,
    signingTime: null,
    digestAlgorithm: "SHA-256",
    timestamps,
    serviceIndexUrl: null,
    packageOwners: null,
    valid: true,
  };
}

function report(author: SignatureDetails | null, repository: SignatureDetails | null = null): SignatureReport {
  return { status: "valid", packageHashAlgorithm: "SHA-256", integrity: true, author, repository, issues: [] };
}

const codes = (subject: SignatureReport) => checkAuthorTimestamp(subject).map((issue) => [issue.code, issue.level]);

describe("checkAuthorTimestamp", () => {
  it("accepts an author signature with exactly one valid timestamp", () => {
    expect(checkAuthorTimestamp(report(signedBy("author", [timestamp(true)])))).toEqual([]);
  });

  it("refuses an author signature without a timestamp, saying why and how to sign again", () => {
    const [issue] = checkAuthorTimestamp(report(signedBy("author", [])));
    expect(issue).toMatchObject({ code: "AUTHOR_TIMESTAMP_MISSING", level: "error" });
    expect(issue?.message).toContain("exactly one valid RFC 3161 timestamp");
    expect(issue?.message).toContain("--timestamper");
  });

  it("refuses an author signature whose only timestamp is not valid", () => {
    expect(codes(report(signedBy("author", [timestamp(false)])))).toEqual([["AUTHOR_TIMESTAMP_INVALID", "error"]]);
  });

  it("refuses more than one timestamp, valid or not, as nuget.org does", () => {
    expect(codes(report(signedBy("author", [timestamp(true), timestamp(true)])))).toEqual([
      ["AUTHOR_TIMESTAMP_MULTIPLE", "error"],
    ]);
    expect(checkAuthorTimestamp(report(signedBy("author", [timestamp(true), timestamp(false)])))[0]?.message).toContain(
      "carries 2 timestamps",
    );
  });

  it("leaves unsigned packages and repository signatures to other rules", () => {
    expect(checkAuthorTimestamp(report(null))).toEqual([]);
    expect(checkAuthorTimestamp(report(null, signedBy("repository", [])))).toEqual([]);
    expect(checkAuthorTimestamp(report(signedBy("unknown", [])))).toEqual([]);
    // The author's own timestamp is what counts; a repository countersignature's cannot stand in.
    expect(
      codes(report(signedBy("author", []), signedBy("repository", [timestamp(true)], "countersignature"))),
    ).toEqual([["AUTHOR_TIMESTAMP_MISSING", "error"]]);
  });
});
