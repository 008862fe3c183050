import { describe, expect, it } from "vitest";
import type { SignatureDetails, SignatureReport } from "@/lib/signing/report";
import { checkAuthorCountersignatures } from "./author-countersignature";

const author: SignatureDetails = {
  kind: "author",
  placement: "primary",
  signer: null,
  chain: null,
  signingTime: null,
  digestAlgorithm: "SHA-256",
  timestamps: [],
  serviceIndexUrl: null,
  packageOwners: null,
  valid: true,
};

function report(otherCountersignatureKinds?: SignatureReport["otherCountersignatureKinds"]): SignatureReport {
  return {
    status: "valid",
    packageHashAlgorithm: "SHA-256",
    integrity: true,
    author,
    repository: null,
    ...(otherCountersignatureKinds ? { otherCountersignatureKinds } : {}),
    issues: [],
  };
}

describe("checkAuthorCountersignatures", () => {
  it("refuses a countersignature with the author commitment type, saying what to do", () => {
    const [issue, ...more] = checkAuthorCountersignatures(report(["author"]));
    expect(more).toEqual([]);
    expect(issue).toMatchObject({ code: "AUTHOR_COUNTERSIGNATURE", level: "error" });
    expect(issue?.message).toContain("carries a countersignature with the author commitment type");
    expect(issue?.message).toContain("author signature only");
  });

  it("counts several in one sentence", () => {
    expect(checkAuthorCountersignatures(report(["unknown", "author", "author"])).map((issue) => issue.message)).toEqual(
      [expect.stringContaining("carries 2 countersignatures")],
    );
  });

  it("leaves countersignatures of no known type, and packages without other countersignatures, alone", () => {
    expect(checkAuthorCountersignatures(report(["unknown"]))).toEqual([]);
    expect(checkAuthorCountersignatures(report())).toEqual([]);
  });
});
