import { describe, expect, it } from "vitest";
import { describeSigningState, isTrustedSigning, signingState, type VersionSigningFacts } from "./signing-state";

const provenSigningTime = new Date("2026-06-01T12:00:00Z");
const contoso = { subject: "CN=Contoso Signing,O=Contoso Ltd,C=US", compromisedAt: null };

function facts(overrides: Partial<VersionSigningFacts>): VersionSigningFacts {
  return {
    signatureStatus: "VALID",
    signer: contoso,
    provenSigningTime,
    provenSigningTimeSource: "TIMESTAMP",
    ...overrides,
  };
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
    const unsigned = signingState(
      facts({ signatureStatus: "UNSIGNED", signer: null, provenSigningTimeSource: "RECEIVED" }),
    );
    expect(describeSigningState(unsigned).label).toBe("Not signed");
    expect(isTrustedSigning(unsigned)).toBe(false);
    const invalid = signingState(facts({ signatureStatus: "INVALID" }));
    expect(invalid.kind).toBe("invalid");
    expect(isTrustedSigning(invalid)).toBe(false);
  });

  it("words a stored INVALID without naming a cause, since only the version's page knows it (tampered, untrusted authority or other)", () => {
    const { label, sentence } = describeSigningState(signingState(facts({ signatureStatus: "INVALID" })));
    expect(label).toBe("Signature not accepted");
    expect(label).not.toMatch(/invalid|untrusted|modified/i);
    expect(sentence).toContain("the version's page says which");
  });

  it("flags a certificate compromised at the very proven signing time, and says which time that is", () => {
    const atTheSameMoment = signingState(facts({ signer: { ...contoso, compromisedAt: provenSigningTime } }));
    expect(atTheSameMoment.kind).toBe("compromised");
    expect(isTrustedSigning(atTheSameMoment)).toBe(false);
    expect(describeSigningState(atTheSameMoment).sentence).toBe(
      "Signed by Contoso Signing, but that certificate was marked compromised on 2026-06-01, at or before this version's timestamp (2026-06-01): do not trust it.",
    );
    const untimestamped = signingState(
      facts({ signer: { ...contoso, compromisedAt: provenSigningTime }, provenSigningTimeSource: "RECEIVED" }),
    );
    expect(describeSigningState(untimestamped).sentence).toContain(
      "at or before this version reached the gallery on 2026-06-01 (it has no valid timestamp",
    );
  });

  it("keeps trusting versions proven signed before the certificate was compromised", () => {
    const aMomentLater = new Date(provenSigningTime.getTime() + 1);
    expect(signingState(facts({ signer: { ...contoso, compromisedAt: aMomentLater } })).kind).toBe("signed");
  });

  it("falls back when the certificate's details are not known", () => {
    expect(signingState(facts({ signer: { subject: null, compromisedAt: null } }))).toEqual({
      kind: "signed",
      signerName: "an unnamed certificate",
    });
  });
});
