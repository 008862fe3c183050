// Certification path validation (RFC 5280 §6.1) for what NuGet relies on, applied to a path
// already built from the leaf to its root. Every certificate that issued another must be a
// CA (basic constraints cA=true), may sign certificates when it has a key usage extension,
// and keeps its path length limit and name constraints; no certificate may carry a critical
// extension a verifier does not handle; every certificate with an extended key usage must
// list the purpose (code signing or timestamping; anyExtendedKeyUsage does not count, as with
// the .NET client on Linux). Two rules go further than the NuGet client (see
// test/interop/strictness.ts): issuing certificates must be inside their validity at the
// time the signature is judged, and a leaf with a key usage extension must allow signatures.
//
// Each problem names the .NET chain status NuGet prints for it (InvalidBasicConstraints,
// NotValidForUsage, ...), the certificate, and the reason.

import type * as pkijs from "pkijs";
import { formatName, nameBytes, sameBytes } from "../names";
import {
  KEY_USAGE_BITS,
  MalformedExtension,
  readBasicConstraints,
  readExtendedKeyUsages,
  readKeyUsage,
  readNameConstraints,
  unhandledCriticalExtensions,
} from "./extensions";
import { checkNameConstraints } from "./name-constraints";

export type ChainProblemKind =
  | "untrusted-root"
  | "partial-chain"
  | "not-signature-valid"
  | "too-long"
  | "malformed-extension"
  | "unhandled-critical-extension"
  | "not-a-ca"
  | "no-certificate-signing"
  | "path-length-exceeded"
  | "name-not-permitted"
  | "name-excluded"
  | "name-constraint-unsupported"
  | "not-valid-for-usage"
  | "no-digital-signature"
  | "not-time-valid";

/** The X509ChainStatusFlags name the .NET client reports for each kind of problem. */
export const CHAIN_STATUS: Record<ChainProblemKind, string> = {
  "untrusted-root": "UntrustedRoot",
  "partial-chain": "PartialChain",
  "not-signature-valid": "NotSignatureValid",
  "too-long": "PartialChain",
  "malformed-extension": "InvalidExtension",
  "unhandled-critical-extension": "HasNotSupportedCriticalExtension",
  "not-a-ca": "InvalidBasicConstraints",
  "no-certificate-signing": "InvalidBasicConstraints",
  "path-length-exceeded": "InvalidBasicConstraints",
  "name-not-permitted": "HasNotPermittedNameConstraint",
  "name-excluded": "HasExcludedNameConstraint",
  "name-constraint-unsupported": "HasNotSupportedNameConstraint",
  "not-valid-for-usage": "NotValidForUsage",
  "no-digital-signature": "NotValidForUsage",
  "not-time-valid": "NotTimeValid",
};

export interface ChainProblem {
  kind: ChainProblemKind;
  /** "<chain status>: <sentence naming the certificate and the reason>". */
  message: string;
}

export function chainProblem(kind: ChainProblemKind, sentence: string): ChainProblem {
  return { kind, message: `${CHAIN_STATUS[kind]}: ${sentence}` };
}

export interface PathRules {
  /** The extended key usage every certificate of the path must allow. */
  usage: { oid: string; description: string };
  /** When the signature is judged: issuing certificates must be valid then. */
  at: Date;
  /** Whether the last certificate is a trusted root (a trust anchor, whose own fields are not judged). */
  anchored: boolean;
}

function quoted(certificate: pkijs.Certificate): string {
  return `'${formatName(certificate.subject)}'`;
}

function isSelfIssued(certificate: pkijs.Certificate): boolean {
  return sameBytes(nameBytes(certificate.subject), nameBytes(certificate.issuer));
}

/** Rules for any certificate of the path: readable extensions, no unhandled critical one, the purpose allowed. */
function certificateProblems(certificate: pkijs.Certificate, rules: PathRules): ChainProblem[] {
  const problems: ChainProblem[] = [];
  const unhandled = unhandledCriticalExtensions(certificate);
  if (unhandled.length > 0) {
    problems.push(
      chainProblem(
        "unhandled-critical-extension",
        `the certificate ${quoted(certificate)} has a critical extension no verifier here handles (${unhandled.join(", ")}).`,
      ),
    );
  }
  const usages = readExtendedKeyUsages(certificate);
  if (usages !== null && !usages.includes(rules.usage.oid)) {
    problems.push(
      chainProblem(
        "not-valid-for-usage",
        `the certificate ${quoted(certificate)} is not valid for ${rules.usage.description}: its extended key usage lacks ${rules.usage.oid}.`,
      ),
    );
  }
  return problems;
}

/** A leaf whose key usage allows no kind of signature (RFC 5280 §4.2.1.3: digitalSignature, or contentCommitment for non-repudiation). */
function leafProblems(leaf: pkijs.Certificate): ChainProblem[] {
  const keyUsage = readKeyUsage(leaf);
  if (
    keyUsage === null ||
    keyUsage.has(KEY_USAGE_BITS.digitalSignature) ||
    keyUsage.has(KEY_USAGE_BITS.contentCommitment)
  )
    return [];
  return [
    chainProblem(
      "no-digital-signature",
      `the certificate ${quoted(leaf)} has a key usage extension that allows no signatures (neither digitalSignature nor contentCommitment).`,
    ),
  ];
}

/** Rules for a certificate that issued `issued`: a CA, allowed to sign certificates, valid when the signature is judged. */
function issuerProblems(issuer: pkijs.Certificate, issued: pkijs.Certificate, rules: PathRules): ChainProblem[] {
  const problems: ChainProblem[] = [];
  const constraints = readBasicConstraints(issuer);
  if (!constraints?.cA) {
    const why = constraints ? "its basic constraints say cA=false" : "it has no basic constraints extension";
    problems.push(
      chainProblem(
        "not-a-ca",
        `the certificate ${quoted(issuer)} issued ${quoted(issued)} but is not a certification authority (${why}).`,
      ),
    );
  }
  const keyUsage = readKeyUsage(issuer);
  if (keyUsage !== null && !keyUsage.has(KEY_USAGE_BITS.keyCertSign)) {
    problems.push(
      chainProblem(
        "no-certificate-signing",
        `the certificate ${quoted(issuer)} issued ${quoted(issued)} but its key usage does not allow signing certificates.`,
      ),
    );
  }
  if (issuer.notBefore.value > rules.at || issuer.notAfter.value < rules.at) {
    problems.push(
      chainProblem(
        "not-time-valid",
        `the issuing certificate ${quoted(issuer)} (valid ${issuer.notBefore.value.toISOString()} to ${issuer.notAfter.value.toISOString()}) was not valid at ${rules.at.toISOString()}, when the signature is judged.`,
      ),
    );
  }
  return problems;
}

/** The issuer's path length limit against the CA certificates between it and the leaf (self-issued ones not counted). */
function pathLengthProblems(path: readonly pkijs.Certificate[], index: number): ChainProblem[] {
  const issuer = path[index] as pkijs.Certificate;
  const limit = readBasicConstraints(issuer)?.pathLenConstraint;
  const intermediatesBelow = path.slice(1, index).filter((intermediate) => !isSelfIssued(intermediate)).length;
  if (limit == null || intermediatesBelow <= limit) return [];
  return [
    chainProblem(
      "path-length-exceeded",
      `the certificate ${quoted(issuer)} allows at most ${limit} intermediate certificate(s) below it, and the path has ${intermediatesBelow}.`,
    ),
  ];
}

const NAME_CONSTRAINT_FAILURES: Record<"not-permitted" | "excluded" | "unsupported", [ChainProblemKind, string]> = {
  "not-permitted": ["name-not-permitted", "is outside the names it permits"],
  excluded: ["name-excluded", "is among the names it excludes"],
  unsupported: ["name-constraint-unsupported", "is of a form whose constraint cannot be checked"],
};

/** Name constraints of `constraining` (at `index`) over every certificate below it, self-issued intermediates excepted. */
function nameConstraintProblems(path: readonly pkijs.Certificate[], index: number): ChainProblem[] {
  const constraining = path[index] as pkijs.Certificate;
  const constraints = readNameConstraints(constraining);
  if (!constraints) return [];
  for (let below = index - 1; below >= 0; below--) {
    const certificate = path[below] as pkijs.Certificate;
    if (below > 0 && isSelfIssued(certificate)) continue;
    const verdict = checkNameConstraints(certificate, formatName(certificate.subject), constraints);
    if (!verdict.ok) {
      const [kind, reason] = NAME_CONSTRAINT_FAILURES[verdict.kind];
      return [
        chainProblem(
          kind,
          `the certificate ${quoted(constraining)} constrains the names below it, and the name '${verdict.name}' of ${quoted(certificate)} ${reason}.`,
        ),
      ];
    }
  }
  return [];
}

function rulesFor(path: readonly pkijs.Certificate[], index: number, rules: PathRules): ChainProblem[] {
  const certificate = path[index] as pkijs.Certificate;
  // A trust anchor is trusted as it is; only the limits it sets on the path below it apply.
  const isAnchor = rules.anchored && index === path.length - 1;
  const problems: ChainProblem[] = [];
  if (!isAnchor) problems.push(...certificateProblems(certificate, rules));
  if (index === 0) return [...problems, ...leafProblems(certificate)];
  if (!isAnchor) problems.push(...issuerProblems(certificate, path[index - 1] as pkijs.Certificate, rules));
  return [...problems, ...pathLengthProblems(path, index), ...nameConstraintProblems(path, index)];
}

/** Every rule the path breaks, leaf first. */
export function validatePath(path: readonly pkijs.Certificate[], rules: PathRules): ChainProblem[] {
  const problems: ChainProblem[] = [];
  for (let index = 0; index < path.length; index++) {
    try {
      problems.push(...rulesFor(path, index, rules));
    } catch (cause) {
      if (!(cause instanceof MalformedExtension)) throw cause;
      problems.push(
        chainProblem(
          "malformed-extension",
          `the certificate ${quoted(path[index] as pkijs.Certificate)} cannot be judged: ${cause.message}.`,
        ),
      );
    }
  }
  return problems;
}
