import { describe, expect, it } from "vitest";
import type { SignatureDetails, SignatureReport, TimestampReport } from "@/lib/signing/report";
import { provenSigningTime, signedWhileCompromised } from "./proven-signing-time";

const received = new Date("2026-11-23T12:00:00.000Z");
// Every signature claims this signing time; it must never come out as the proven time.
const claimed = "2001-01-01T00:00:00.000Z";

function timestamp(time: string, valid: boolean): TimestampReport {
  return { time, valid, hashAlgorithm: "SHA-256", tsa: null, chain: null };
}

function signature(
  kind: SignatureDetails["kind"],
  placement: SignatureDetails["placement"],
  timestamps: TimestampReport[],
): SignatureDetails {
  return {
    kind,
    placement,
    signer: null,
    chain: null,
    signingTime: claimed,
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

describe("provenSigningTime", () => {
  it("is a timestamped signature's timestamp", () => {
    expect(
      provenSigningTime(
        report(signature("author", "primary", [timestamp("2024-05-06T07:08:09.123Z", true)])),
        received,
      ),
    ).toEqual({
      time: new Date("2024-05-06T07:08:09.123Z"),
      source: "TIMESTAMP",
    });
  });

  it("is the first timestamp alone, as NuGet judges it: the receipt when the first is not valid, however valid a later one", () => {
    const invalidFirst = report(
      signature("author", "primary", [
        timestamp("2021-01-01T00:00:00Z", false),
        timestamp("2022-01-01T00:00:00Z", true),
        timestamp("2023-01-01T00:00:00Z", true),
      ]),
    );
    expect(provenSigningTime(invalidFirst, received)).toEqual({ time: received, source: "RECEIVED" });
    const validFirst = report(
      signature("author", "primary", [
        timestamp("2022-01-01T00:00:00Z", true),
        timestamp("2021-01-01T00:00:00Z", true),
      ]),
    );
    expect(provenSigningTime(validFirst, received)).toEqual({
      time: new Date("2022-01-01T00:00:00Z"),
      source: "TIMESTAMP",
    });
  });

  it("is the receipt of an untimestamped signature, however early its signing-time attribute claims it was signed", () => {
    expect(provenSigningTime(report(signature("author", "primary", [])), received)).toEqual({
      time: received,
      source: "RECEIVED",
    });
    expect(
      provenSigningTime(report(signature("author", "primary", [timestamp("2020-01-01T00:00:00Z", false)])), received),
    ).toEqual({ time: received, source: "RECEIVED" });
  });

  it("counts a repository primary signature's timestamp, but never a countersignature's", () => {
    const repositoryPrimary = report(
      null,
      signature("repository", "primary", [timestamp("2024-09-01T10:00:00Z", true)]),
    );
    expect(provenSigningTime(repositoryPrimary, received)).toEqual({
      time: new Date("2024-09-01T10:00:00Z"),
      source: "TIMESTAMP",
    });
    const countersignedOnly = report(
      signature("author", "primary", []),
      signature("repository", "countersignature", [timestamp("2024-09-01T10:00:00Z", true)]),
    );
    expect(provenSigningTime(countersignedOnly, received)).toEqual({ time: received, source: "RECEIVED" });
  });

  it("is the receipt of an unsigned package, and of a report whose timestamp time cannot be read", () => {
    expect(provenSigningTime(null, received)).toEqual({ time: received, source: "RECEIVED" });
    expect(provenSigningTime(report(null), received)).toEqual({ time: received, source: "RECEIVED" });
    expect(
      provenSigningTime(report(signature("author", "primary", [timestamp("not a time", true)])), received),
    ).toEqual({ time: received, source: "RECEIVED" });
  });
});

describe("signedWhileCompromised", () => {
  const proven = new Date("2026-06-01T12:00:00.000Z");

  it("taints a version proven signed at or after the compromise, and none before it", () => {
    expect(signedWhileCompromised(proven, new Date("2026-06-01T11:59:59.999Z"))).toBe(true);
    expect(signedWhileCompromised(proven, proven)).toBe(true);
    expect(signedWhileCompromised(proven, new Date("2026-06-01T12:00:00.001Z"))).toBe(false);
    expect(signedWhileCompromised(proven, null)).toBe(false);
  });

  it("taints a backdated, untimestamped version received after the compromise, whatever it claims", () => {
    const compromisedAt = new Date("2026-01-01T00:00:00Z");
    const backdated = provenSigningTime(report(signature("author", "primary", [])), received);
    expect(signedWhileCompromised(backdated.time, compromisedAt)).toBe(true);
  });

  it("keeps a version received before the compromise, timestamped or not", () => {
    const compromisedAt = new Date("2026-12-01T00:00:00Z");
    expect(
      signedWhileCompromised(
        provenSigningTime(report(signature("author", "primary", [])), received).time,
        compromisedAt,
      ),
    ).toBe(false);
    expect(
      signedWhileCompromised(
        provenSigningTime(report(signature("author", "primary", [timestamp("2026-11-01T00:00:00Z", true)])), received)
          .time,
        compromisedAt,
      ),
    ).toBe(false);
  });
});
