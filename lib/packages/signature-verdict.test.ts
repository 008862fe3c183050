// The page's one verdict, from the engine's own reports for corpus packages: a tampered file is
// told apart from a signature by an authority the gallery does not trust, and neither reads as
// "Contents intact" next to "Signature invalid".
import { describe, expect, it } from "vitest";
import type { SignatureReport } from "@/lib/signing/report";
import authorAndRepository from "@/test/support/gallery-fixtures/author-and-repository-signed.report.json";
import tampered from "@/test/support/gallery-fixtures/tampered.report.json";
import { signatureVerdict } from "./signature-verdict";
import { signerDetails } from "./signer-details";

const asReport = (json: unknown) => json as SignatureReport;

/** The nuget.org-signed report, judged against roots that do not include its authority. */
function untrustedChain(): SignatureReport {
  const report = structuredClone(asReport(authorAndRepository));
  if (!report.author?.chain) throw new Error("fixture has no author chain");
  report.status = "invalid";
  report.author.valid = false;
  report.author.chain.trusted = false;
  report.author.chain.problems = ["The chain does not end in a root this gallery trusts."];
  report.issues = [
    {
      code: "NU3018",
      level: "error",
      message: "The author signature's certificate chain does not end in a trusted root.",
    },
  ];
  return report;
}

describe("signatureVerdict", () => {
  it("says a valid author signature is good, naming the signer", () => {
    const details = signerDetails(asReport(authorAndRepository));
    const verdict = signatureVerdict({ kind: "signed", signerName: "Microsoft Corporation" }, details);
    expect(verdict).toMatchObject({ kind: "signed", tone: "good", label: "Signed by Microsoft Corporation" });
  });

  it("calls contents that changed after signing tampered: danger, do not use", () => {
    const details = signerDetails(asReport(tampered));
    expect(details.integrity).toBe(false);
    const verdict = signatureVerdict({ kind: "invalid" }, details);
    expect(verdict).toMatchObject({ kind: "tampered", tone: "danger", label: "Modified after signing" });
    expect(verdict.sentence).toContain("Do not use this version.");
  });

  it("names the authority the gallery does not trust, as a caution rather than 'invalid'", () => {
    const report = untrustedChain();
    const details = signerDetails(report);
    const top = details.author?.chain?.fromRoot[0]?.name;
    expect(top).toBeTruthy();
    const verdict = signatureVerdict({ kind: "invalid" }, details);
    expect(verdict).toMatchObject({ kind: "untrusted", tone: "caution", untrustedIssuer: top });
    expect(verdict.label).toBe(`Signed by an untrusted certificate (${top})`);
    expect(verdict.sentence).toContain("an authority this gallery does not trust");
    expect(verdict.label).not.toContain("invalid");
  });

  it("keeps other failures red, with the engine's first reason", () => {
    const report = structuredClone(asReport(authorAndRepository));
    report.issues = [{ code: "NU3003", level: "error", message: "The signature's RSA value does not verify." }];
    const verdict = signatureVerdict({ kind: "invalid" }, signerDetails(report));
    expect(verdict).toMatchObject({ kind: "invalid", tone: "danger", label: "Signature invalid" });
    expect(verdict.sentence).toBe(
      "The signature did not verify: do not trust this version's contents. The signature's RSA value does not verify.",
    );
  });
});
