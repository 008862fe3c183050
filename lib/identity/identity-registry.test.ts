// What a signer identity registration accepts: the CA by SHA-256 fingerprint in any usual form,
// a Trusted Signing identity EKU under Microsoft's arc (never the marker EKU every Trusted
// Signing certificate shares), or named subject fields; anything else is refused with a sentence.
import { describe, expect, it } from "vitest";
import { IssueError } from "@/lib/issues";
import { identityRuleOf } from "./identity-registry";

const CA = "AB:".repeat(31) + "AB";

function refusal(run: () => unknown): IssueError {
  try {
    run();
  } catch (caught) {
    if (caught instanceof IssueError) return caught;
    throw caught;
  }
  throw new Error("expected a refusal");
}

describe("identityRuleOf", () => {
  it("normalises the CA fingerprint and keeps a subscriber identity EKU", () => {
    expect(
      identityRuleOf({
        kind: "TRUSTED_SIGNING_EKU",
        caFingerprint: CA,
        identityOid: " 1.3.6.1.4.1.311.97.990309390.766961637.194916062.941502583 ",
      }),
    ).toEqual({
      kind: "TRUSTED_SIGNING_EKU",
      caFingerprint: "ab".repeat(32),
      subjectFields: [],
      identityOid: "1.3.6.1.4.1.311.97.990309390.766961637.194916062.941502583",
    });
  });

  it("refuses the marker EKU, an EKU outside Microsoft's arc, and text that is no OID", () => {
    for (const identityOid of ["1.3.6.1.4.1.311.97.1.0", "1.3.6.1.5.5.7.3.3", "1.3.6.1.4.1.311.97.x", ""]) {
      const error = refusal(() => identityRuleOf({ kind: "TRUSTED_SIGNING_EKU", caFingerprint: CA, identityOid }));
      expect(error.code, identityOid).toBe("SIGNER_IDENTITY_INVALID");
      expect(error.message).toContain("that is not 1.3.6.1.4.1.311.97.1.0");
    }
  });

  it("names subject fields as the engine reports them, and refuses none, unknown or repeated ones", () => {
    expect(
      identityRuleOf({
        kind: "ISSUER_SUBJECT",
        caFingerprint: CA,
        subjectFields: [
          { type: "o", value: " Contoso Ltd " },
          { type: "SERIALNUMBER", value: "42" },
        ],
      }).subjectFields,
    ).toEqual([
      { type: "O", value: "Contoso Ltd" },
      { type: "serialNumber", value: "42" },
    ]);
    expect(
      refusal(() => identityRuleOf({ kind: "ISSUER_SUBJECT", caFingerprint: CA, subjectFields: [] })).message,
    ).toContain("at least one subject field");
    expect(
      refusal(() =>
        identityRuleOf({
          kind: "ISSUER_SUBJECT",
          caFingerprint: CA,
          subjectFields: [{ type: "Nickname", value: "x" }],
        }),
      ).message,
    ).toContain("'Nickname' is not a subject field");
    expect(
      refusal(() =>
        identityRuleOf({
          kind: "ISSUER_SUBJECT",
          caFingerprint: CA,
          subjectFields: [
            { type: "CN", value: "a" },
            { type: "cn", value: "b" },
          ],
        }),
      ).message,
    ).toContain("named twice");
  });

  it("refuses a CA fingerprint that is not SHA-256", () => {
    expect(
      refusal(() =>
        identityRuleOf({ kind: "ISSUER_SUBJECT", caFingerprint: "abcd", subjectFields: [{ type: "CN", value: "x" }] }),
      ).code,
    ).toBe("INVALID_FINGERPRINT");
  });
});
