// Chain building from a signer certificate to a configured set of trusted roots, using the
// certificates the signature (or timestamp token) carries as intermediates, then path
// validation (path/rules.ts). It mirrors what NuGet asks of X509Chain (NuGet.Client's CertificateChainUtility):
// issuer found by name and key identifier, each signature verified, RFC 5280's rules for
// the path, every certificate allowed for the purpose (code signing or timestamping), the
// chain ending in a trusted root. The leaf's own validity is judged elsewhere, against the
// timestamp (NU3037), as NuGet does; the certificates that issued it are judged here, at
// the same time.

import type * as pkijs from "pkijs";
import type { ChainReport } from "./report";
import {
  authorityKeyIdentifier,
  certificateDer,
  describeCertificate,
  publicKeyInfoDer,
  subjectKeyIdentifier,
} from "./certificates";
import { formatName, nameBytes, sameBytes } from "./names";
import { chainProblem, validatePath, type ChainProblem } from "./path/rules";
import type { TrustAnchors } from "./trust-anchors";

export type { ChainProblem, ChainProblemKind } from "./path/rules";

/** Real chains are 2–4 certificates; the cap only stops loops through hostile certificate sets. */
const MAX_CHAIN_LENGTH = 8;

export interface BuiltChain {
  /** Leaf first, as far as it could be built. */
  certificates: pkijs.Certificate[];
  trusted: boolean;
  problems: ChainProblem[];
}

export interface ChainRequest {
  /** Intermediates (and possibly roots) offered by the signature or token. */
  pool: readonly pkijs.Certificate[];
  trustedRoots: TrustAnchors;
  /** The extended key usage every certificate of the chain must allow: code signing or timestamping. */
  usage: { oid: string; description: string };
  /** When the signature is judged (its timestamp, or now): the issuing certificates must be valid then. */
  at: Date;
}

/** A trusted root itself, or a certificate with a trusted root's name and key (a re-issued root). */
function isTrustedRoot(certificate: pkijs.Certificate, trustedRoots: TrustAnchors): boolean {
  const der = certificateDer(certificate);
  return trustedRoots
    .withSubject(nameBytes(certificate.subject))
    .some(
      (root) =>
        sameBytes(certificateDer(root), der) || sameBytes(publicKeyInfoDer(root), publicKeyInfoDer(certificate)),
    );
}

function isSelfIssued(certificate: pkijs.Certificate): boolean {
  return sameBytes(nameBytes(certificate.subject), nameBytes(certificate.issuer));
}

async function signedBy(child: pkijs.Certificate, issuer: pkijs.Certificate): Promise<boolean> {
  try {
    return await child.verify(issuer);
  } catch {
    return false;
  }
}

/** Candidates whose subject is the child's issuer and whose key identifier fits its authority key identifier. */
function issuerCandidates(child: pkijs.Certificate, candidates: readonly pkijs.Certificate[]): pkijs.Certificate[] {
  const issuerName = nameBytes(child.issuer);
  const authorityKeyId = authorityKeyIdentifier(child);
  return candidates.filter((candidate) => {
    if (!sameBytes(nameBytes(candidate.subject), issuerName)) return false;
    const keyId = subjectKeyIdentifier(candidate);
    return authorityKeyId === null || keyId === null || sameBytes(authorityKeyId, keyId);
  });
}

interface BuiltPath {
  certificates: pkijs.Certificate[];
  /** Whether the path ends in a trusted root. */
  anchored: boolean;
  /** Why it stopped short of a trusted root. */
  endProblem: ChainProblem | null;
}

/** The path from `leaf` towards a trusted root, as far as issuers are found. */
async function buildPath(leaf: pkijs.Certificate, request: ChainRequest): Promise<BuiltPath> {
  const certificates = [leaf];
  for (;;) {
    const current = certificates[certificates.length - 1] as pkijs.Certificate;
    if (isTrustedRoot(current, request.trustedRoots)) return { certificates, anchored: true, endProblem: null };
    const subject = `'${formatName(current.subject)}'`;
    if (isSelfIssued(current)) {
      return {
        certificates,
        anchored: false,
        endProblem: chainProblem(
          "untrusted-root",
          `the chain ends in the root ${subject}, which is not a trusted root.`,
        ),
      };
    }
    if (certificates.length >= MAX_CHAIN_LENGTH) {
      return {
        certificates,
        anchored: false,
        endProblem: chainProblem(
          "too-long",
          `the chain is longer than ${MAX_CHAIN_LENGTH} certificates without reaching a root.`,
        ),
      };
    }
    // Trusted roots are offered first so a root also present in the signature is recognised as trusted.
    const candidates = [...request.trustedRoots.withSubject(nameBytes(current.issuer)), ...request.pool];
    const unused = issuerCandidates(current, candidates).filter(
      (candidate) => !certificates.some((seen) => sameBytes(certificateDer(seen), certificateDer(candidate))),
    );
    let issuer: pkijs.Certificate | undefined;
    for (const candidate of unused) {
      if (await signedBy(current, candidate)) {
        issuer = candidate;
        break;
      }
    }
    if (!issuer) {
      const endProblem =
        unused.length > 0
          ? chainProblem("not-signature-valid", `the signature on ${subject} does not verify with its issuer's key.`)
          : chainProblem(
              "partial-chain",
              `the issuer '${formatName(current.issuer)}' of ${subject} was not found among the signature's certificates or the trusted roots.`,
            );
      return { certificates, anchored: false, endProblem };
    }
    certificates.push(issuer);
  }
}

/**
 * Builds and validates the chain of `leaf`. Problems come in the order NuGet reports them:
 * everything wrong with the path first, an untrusted root last (NuGet files the former
 * under NU3012 and the latter under NU3018).
 */
export async function buildChain(leaf: pkijs.Certificate, request: ChainRequest): Promise<BuiltChain> {
  const path = await buildPath(leaf, request);
  const problems = validatePath(path.certificates, { usage: request.usage, at: request.at, anchored: path.anchored });
  if (path.endProblem) problems.push(path.endProblem);
  return { certificates: path.certificates, trusted: problems.length === 0, problems };
}

export async function describeChain(chain: BuiltChain): Promise<ChainReport> {
  return {
    certificates: await Promise.all(chain.certificates.map(describeCertificate)),
    trusted: chain.trusted,
    problems: chain.problems.map((problem) => problem.message),
  };
}
