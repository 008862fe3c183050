// The three consumer policies, in NuGet's terms, and what each does with a version or a graph:
//
//   Developer  signatureValidationMode=accept with restore's signature checks off (macOS by
//              default; Linux unless DOTNET_NUGET_SIGNATURE_VERIFICATION=true): restore takes
//              anything, so the verdict is acceptance, with the gallery's own warnings.
//   Default    signatureValidationMode=accept with the checks on (Windows, and the .NET SDK on
//              Linux): unsigned packages pass, tampered ones (and revoked signers) are refused,
//              other signature problems are warnings.
//   Secure     signatureValidationMode=require with the <trustedSigners> the gallery suggests
//              (trust-selection.ts): only packages signed by one of them pass.
//
// Each verdict is restore's prediction (restore.ts) plus one sentence saying why. What only the
// gallery knows (a compromised or unregistered signer) turns an acceptance into a warning.

import type { Issue } from "@/lib/issues";
import { displayName } from "@/lib/signing/distinguished-name";
import type { SignatureReport } from "@/lib/signing/report";
import { predictRestore, type ClientPolicy, type RestorePrediction } from "./restore";
import type { GalleryFeed, VersionTrust } from "./trust-selection";
import type { TrustedSigner } from "./trusted-signers";

export type PolicyMode = "developer" | "default" | "secure";

export const POLICY_MODES: ReadonlyArray<{ mode: PolicyMode; title: string; nugetTerms: string }> = [
  {
    mode: "developer",
    title: "Developer",
    nugetTerms:
      'signatureValidationMode "accept", restore signature checks off (DOTNET_NUGET_SIGNATURE_VERIFICATION=false)',
  },
  {
    mode: "default",
    title: "Default",
    nugetTerms: 'signatureValidationMode "accept", restore signature checks on (the client default)',
  },
  {
    mode: "secure",
    title: "Secure",
    nugetTerms: 'signatureValidationMode "require" with the suggested <trustedSigners>',
  },
];

/** What a verdict depends on besides the version: the suggested signers, the source's RepositorySignatures, the time. */
export interface VerdictContext {
  trustedSigners: readonly TrustedSigner[];
  repositorySignatures?: ClientPolicy["repositorySignatures"];
  now: Date;
}

export function verdictContext(feed: GalleryFeed, trustedSigners: readonly TrustedSigner[], now: Date): VerdictContext {
  return {
    trustedSigners,
    now,
    ...(feed.repositorySignatures ? { repositorySignatures: feed.repositorySignatures } : {}),
  };
}

export function clientPolicy(mode: PolicyMode, context: VerdictContext): ClientPolicy {
  const source = context.repositorySignatures ? { repositorySignatures: context.repositorySignatures } : {};
  switch (mode) {
    case "developer":
      return { validationMode: "accept", verifySignatures: false, trustedSigners: [] };
    case "default":
      return { validationMode: "accept", verifySignatures: true, trustedSigners: [], ...source };
    case "secure":
      return { validationMode: "require", verifySignatures: true, trustedSigners: context.trustedSigners, ...source };
  }
}

export type Outcome = "accept" | "warn" | "refuse";

export interface ModeVerdict {
  mode: PolicyMode;
  outcome: Outcome;
  /** The code that decides the outcome: restore's first error, else its first warning or the gallery's concern. */
  code: string | null;
  /** Every error code restore would print, first first. */
  errorCodes: string[];
  sentence: string;
}

interface Concern {
  code: string;
  text: string;
}

function signerName(report: SignatureReport | null): string | null {
  const subject = report?.author?.kind === "author" ? report.author.signer?.subject : null;
  return subject ? displayName(subject) : null;
}

/** What the gallery knows is wrong with the version, most serious first; null when nothing. */
function galleryConcern(version: VersionTrust): Concern | null {
  const report = version.report;
  if (report?.integrity === false) return { code: "NU3008", text: "its contents were modified after it was signed" };
  const firstError = report?.issues.find((issue) => issue.level === "error");
  if (report?.status === "invalid" && firstError)
    return { code: firstError.code, text: "its signature does not verify" };
  const name = signerName(report) ?? "its signer";
  if (version.authorCertificate?.compromised)
    return {
      code: "SIGNER_COMPROMISED",
      text: `the certificate of ${name} was marked compromised at or before it signed this version`,
    };
  if (version.authorCertificate?.registered === false)
    return {
      code: "SIGNER_NOT_REGISTERED",
      text: `no current owner of the package has registered the certificate of ${name}`,
    };
  return null;
}

function codesOf(issues: readonly Issue[]): string[] {
  return [...new Set(issues.map((issue) => issue.code))];
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function withoutFinalStop(text: string): string {
  return text.replace(/\.$/, "");
}

function acceptedSentence(version: VersionTrust, mode: PolicyMode): string {
  const name = signerName(version.report);
  if (mode === "developer")
    return "Accepted: restore does not check signatures in this mode, and the gallery found nothing wrong with this version.";
  if (!version.report || version.report.status === "unsigned")
    return "Accepted: this mode lets unsigned packages through, and this one is not signed.";
  if (mode === "secure")
    return `Accepted: it is signed by ${name ?? "the gallery's repository certificate"}, a trusted signer in the suggested configuration, and the signature verifies.`;
  return `Accepted: it is signed${name ? ` by ${name}` : ""} and restore's checks pass.`;
}

function refusedSentence(version: VersionTrust, prediction: RestorePrediction, exclusion: string | null): string {
  const [first] = prediction.errors;
  if (!first) return "Refused.";
  if (first.code === "NU3004")
    return "Refused (NU3004): this mode accepts only signed packages, and this one is not signed.";
  if (first.code === "NU3034") {
    const why = exclusion ?? "its signer is not among the trusted signers in the suggested configuration";
    return `Refused (NU3034): ${why}, so the client finds no trusted signer for it.`;
  }
  return `Refused (${first.code}): ${lowerFirst(withoutFinalStop(first.message))}.`;
}

function exclusionText(version: VersionTrust): string | null {
  const name = signerName(version.report) ?? "its signer";
  if (version.authorCertificate?.compromised)
    return `the gallery leaves the certificate of ${name} out of trustedSigners because it was marked compromised`;
  if (version.authorCertificate?.registered === false)
    return `the gallery leaves the certificate of ${name} out of trustedSigners because no current owner of the package registered it`;
  return null;
}

/** One mode's verdict for a version, under the trusted signers suggested for it (or its graph). */
export function modeVerdict(version: VersionTrust, mode: PolicyMode, context: VerdictContext): ModeVerdict {
  const prediction = predictRestore(version.report, clientPolicy(mode, context), context.now);
  const errorCodes = codesOf(prediction.errors);
  if (!prediction.passes) {
    return {
      mode,
      outcome: "refuse",
      code: errorCodes[0] ?? null,
      errorCodes,
      sentence: refusedSentence(version, prediction, exclusionText(version)),
    };
  }
  const concern = galleryConcern(version);
  const [warning] = prediction.warnings;
  if (mode === "developer" && concern) {
    return {
      mode,
      outcome: "warn",
      code: concern.code,
      errorCodes,
      sentence: `Accepted with a warning: restore does not check signatures in this mode, but ${concern.text}.`,
    };
  }
  if (warning || concern) {
    const code = warning?.code ?? concern?.code ?? null;
    const reason = concern ? concern.text : lowerFirst(withoutFinalStop(warning?.message ?? ""));
    return { mode, outcome: "warn", code, errorCodes, sentence: `Accepted with a warning (${code}): ${reason}.` };
  }
  return { mode, outcome: "accept", code: null, errorCodes, sentence: acceptedSentence(version, mode) };
}

export function versionVerdicts(version: VersionTrust, context: VerdictContext): ModeVerdict[] {
  return POLICY_MODES.map(({ mode }) => modeVerdict(version, mode, context));
}

export interface GraphMember {
  version: VersionTrust;
  verdicts: ModeVerdict[];
}

/**
 * A whole graph's verdict per mode: restore fails on any package it refuses, and on any
 * resolution error (a missing package, a conflict, a cycle, a downgrade) whatever the mode.
 */
export function graphVerdicts(members: readonly GraphMember[], resolutionErrors: readonly Issue[]): ModeVerdict[] {
  return POLICY_MODES.map(({ mode }) => {
    const verdicts = members.map((member) => ({
      member,
      verdict: member.verdicts.find((entry) => entry.mode === mode),
    }));
    const refused = verdicts.filter(({ verdict }) => verdict?.outcome === "refuse");
    const warned = verdicts.filter(({ verdict }) => verdict?.outcome === "warn");
    const errorCodes = [
      ...new Set([
        ...resolutionErrors.map((issue) => issue.code),
        ...refused.flatMap(({ verdict }) => verdict?.errorCodes ?? []),
      ]),
    ];
    const [firstResolutionError] = resolutionErrors;
    const name = ({ member }: { member: GraphMember }) => `${member.version.packageId} ${member.version.version}`;
    if (firstResolutionError) {
      return {
        mode,
        outcome: "refuse",
        code: firstResolutionError.code,
        errorCodes,
        sentence: `Refused (${firstResolutionError.code}): ${lowerFirst(withoutFinalStop(firstResolutionError.message))}.`,
      };
    }
    if (refused.length > 0) {
      const listed = refused
        .slice(0, 3)
        .map((entry) => `${name(entry)} (${entry.verdict?.code})`)
        .join(", ");
      const more = refused.length > 3 ? ` and ${refused.length - 3} more` : "";
      return {
        mode,
        outcome: "refuse",
        code: refused[0]?.verdict?.code ?? null,
        errorCodes,
        sentence: `Refused: restore stops at ${refused.length} of ${members.length} packages: ${listed}${more}.`,
      };
    }
    if (warned.length > 0) {
      const listed = warned.slice(0, 3).map(name).join(", ");
      const more = warned.length > 3 ? ` and ${warned.length - 3} more` : "";
      return {
        mode,
        outcome: "warn",
        code: warned[0]?.verdict?.code ?? null,
        errorCodes,
        sentence: `Accepted with warnings for ${warned.length} of ${members.length} packages: ${listed}${more}.`,
      };
    }
    return {
      mode,
      outcome: "accept",
      code: null,
      errorCodes,
      sentence: `Accepted: all ${members.length} packages pass.`,
    };
  });
}
