import { describe, expect, it } from "vitest";
import { describeSigningState, isTrustedSigning, signedWhileCompromised, signingState, type VersionSigningFacts } from "./signing-state";

const signedAt = new Date("2026-06-01T12:00:00Z");
const contoso = { subject: "CN=Contoso Signing,O=Contoso Ltd,C=US", compromisedAt: null };

function facts(overrides: Partial<VersionSigningFacts>): VersionSigningFacts {
  return { signatureStatus: "VALID", signer: contoso, signedAt, ...overrides };
}

describe("signingState", () => {
  it("names the signer's CN for a valid author signature", () => {
    const state = signingState(facts({}));
    expect(state).toEqual({ kind: "signed", signerName: "Contoso Signing" });
    expect(describeSigningState(state).label).toBe("Signed by Contoso Signing");
    expect(isTrustedSigning(state)).toBe(true);
  });

  it("says repository signed when the only valid signature is a repository's", () => {
    expect(signingState(facts({ signer: null }))).toEqual({ kind: "repository" });
  });

  it("says Not signed plainly, and never trusts unsigned or invalid versions", () => {
    const unsigned = signingState(facts({ signatureStatus: "UNSIGNED", signer: null, signedAt: null }));
    expect(describeSigningState(unsigned).label).toBe("Not signed");
    expect(isTrustedSigning(unsigned)).toBe(false);
    const invalid = signingState(facts({ signatureStatus: "INVALID" }));
    expect(invalid.kind).toBe("invalid");
    expect(isTrustedSigning(invalid)).toBe(false);
  });

  it("flags a certificate compromised at or before the signing time", () => {
    const atTheSameMoment = signingState(facts({ signer: { ...contoso, compromisedAt: signedAt } }));
    expect(atTheSameMoment.kind).toBe("compromised");
    expect(isTrustedSigning(atTheSameMoment)).toBe(false);
    expect(describeSigningState(atTheSameMoment).sentence).toContain("marked compromised on 2026-06-01");
  });

  it("keeps trusting versions signed before the certificate was compromised", () => {
    const later = new Date("2026-07-01T00:00:00Z");
    expect(signingState(facts({ signer: { ...contoso, compromisedAt: later } })).kind).toBe("signed");
  });

  it("treats an unknown signing time under a compromised certificate as compromised", () => {
    expect(signedWhileCompromised(null, new Date("2030-01-01T00:00:00Z"))).toBe(true);
    expect(signedWhileCompromised(signedAt, null)).toBe(false);
  });

  it("falls back when the certificate's details are not known", () => {
    expect(signingState(facts({ signer: { subject: null, compromisedAt: null } }))).toEqual({ kind: "signed", signerName: "an unnamed certificate" });
  });
});
