import { describe, expect, it } from "vitest";
import { continuityNotice, decideSignerContinuity } from "./signer-continuity";

describe("decideSignerContinuity", () => {
  it.each([
    [undefined, null, false, "FIRST"],
    [undefined, "a", false, "FIRST"],
    [null, null, false, "UNCHANGED"],
    ["a", "a", false, "UNCHANGED"],
    [null, "a", false, "ADDED"],
    ["a", null, false, "DROPPED"],
    ["a", "b", true, "NEW_CERTIFICATE"],
    ["a", "b", false, "NEW_SIGNER"],
  ] as const)(
    "previous %s, now %s, same registered identity %s → %s",
    (previousCertificateId, currentCertificateId, sameRegisteredIdentity, expected) => {
      expect(decideSignerContinuity({ previousCertificateId, currentCertificateId, sameRegisteredIdentity })).toBe(
        expected,
      );
    },
  );
});

describe("continuityNotice", () => {
  it("warns about a new signer and a dropped signature, informs about a renewal and a first signature, says nothing otherwise", () => {
    expect(continuityNotice("NEW_SIGNER", "1.2.0")).toEqual({
      level: "warning",
      sentence:
        "Signed by a different signer than 1.2.0: no account registered this certificate together with the one that signed 1.2.0.",
    });
    expect(continuityNotice("DROPPED", "1.2.0")?.level).toBe("warning");
    expect(continuityNotice("NEW_CERTIFICATE", "1.2.0")?.level).toBe("info");
    expect(continuityNotice("ADDED", "1.2.0")?.level).toBe("info");
    expect(continuityNotice("UNCHANGED", "1.2.0")).toBeNull();
    expect(continuityNotice("FIRST", null)).toBeNull();
  });
});
