// verifyPackageSignatures: from package bytes to a SignatureReport. One pass over the file
// hashes it (package hash and, on request, NuGet's contentHash); everything else reads only
// the central directory and the signature entry. The hashes are facts of the bytes alone, so a
// caller that judges the same bytes again (later, against other roots) hands them back and no
// pass is made. Every problem ends up as an issue: hostile input never escapes as an exception.

import "./crypto-engine";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { downgraded, error, hasErrors, IssueError, type Issue } from "@/lib/issues";
import type { ByteSource } from "@/lib/zip/source";
import { readCentralDirectory, type CentralDirectory, type CentralDirectoryEntry } from "@/lib/zip/central-directory";
import type { SignatureDetails, SignatureKind, SignatureReport } from "./report";
import { attributeValues, decodeAs, readSignatureKind } from "./attributes";
import { decodeSignedData, parseDer } from "./cms";
import { parseSignatureContent, type SignatureContent } from "./content";
import { OID } from "./oids";
import {
  hashPieces,
  planUnsignedPackageHash,
  readEocdTail,
  wholeFile,
  type HashPiece,
  type NodeHashName,
} from "./package-hash";
import type { RevocationOptions } from "./revocation";
import { findSignatureEntries, readSignatureFile } from "./signature-entry";
import { certificatesOf, signatureValue } from "./signer-info";
import { TrustAnchors } from "./trust-anchors";
import { validAtTimestamp, verifySignature, type VerificationContext, type VerifiedSignature } from "./signature";

/** Trusted roots as DER certificates: code signing (signer chains) and timestamping (TSA chains) apart, as NuGet keeps them. */
export interface TrustStore {
  codeSigningRoots: Uint8Array[];
  timestampingRoots: Uint8Array[];
}

export interface VerifyOptions {
  trust: TrustStore;
  /** The time signatures without a valid timestamp are judged at; default now. */
  now?: Date;
  revocation?: RevocationOptions;
  /** Also compute NuGet's contentHash (SHA-512 of the package as if unsigned) in the same pass. */
  includeContentHash?: boolean;
  /**
   * Hashes of this package as if unsigned, from an earlier verification of the same bytes
   * (VerifiedPackage.unsignedPackageHashes): an algorithm found here is not hashed again, and
   * the file is not read at all when every one needed is here.
   */
  knownHashes?: UnsignedPackageHashes;
}

/** Base64 digests of the package as if unsigned (the whole file when unsigned), by hash. */
export type UnsignedPackageHashes = Partial<Record<NodeHashName, string>>;

export interface VerifiedPackage {
  report: SignatureReport;
  /** Every hash computed or reused: hand them back as `knownHashes` to verify the same bytes again without a pass. */
  unsignedPackageHashes: UnsignedPackageHashes;
}

/** A report whose status follows from its issues: invalid with any error, else valid. */
function reportFromIssues(partial: Partial<SignatureReport> & Pick<SignatureReport, "issues">): SignatureReport {
  return {
    status: hasErrors(partial.issues) ? "invalid" : "valid",
    packageHashAlgorithm: null,
    integrity: null,
    author: null,
    repository: null,
    ...partial,
  };
}

function base64(bytes: Uint8Array | undefined): string | undefined {
  return bytes ? Buffer.from(bytes).toString("base64") : undefined;
}

function asIssue(cause: unknown): Issue {
  if (cause instanceof IssueError) return cause.toIssue();
  throw cause;
}

/** The digests of `algorithms` over `pieces`: those in `known` as they are, the rest from one pass. */
export async function unsignedHashes(
  source: ByteSource,
  pieces: readonly HashPiece[],
  algorithms: readonly NodeHashName[],
  known: UnsignedPackageHashes = {},
): Promise<UnsignedPackageHashes> {
  const hashes: UnsignedPackageHashes = {};
  for (const name of algorithms) if (known[name] !== undefined) hashes[name] = known[name];
  const missing = algorithms.filter((name) => hashes[name] === undefined);
  if (pieces.length > 0 && missing.length > 0) {
    for (const [name, digest] of await hashPieces(source, pieces, missing)) hashes[name] = base64(digest);
  }
  return hashes;
}

async function verifyUnsigned(source: ByteSource, options: VerifyOptions): Promise<VerifiedPackage> {
  const hashes = options.includeContentHash
    ? await unsignedHashes(source, wholeFile(source), ["sha512"], options.knownHashes)
    : {};
  const contentHash = hashes.sha512;
  return {
    report: {
      status: "unsigned",
      packageHashAlgorithm: null,
      integrity: null,
      author: null,
      repository: null,
      issues: [],
      ...(contentHash ? { contentHash } : {}),
    },
    unsignedPackageHashes: hashes,
  };
}

// A server verifies many packages against the same roots; index each trust list once (again
// if the list has grown or shrunk since).
const anchorsByList = new WeakMap<readonly Uint8Array[], { count: number; anchors: TrustAnchors }>();

export function anchorsFor(roots: readonly Uint8Array[]): TrustAnchors {
  const cached = anchorsByList.get(roots);
  if (cached?.count === roots.length) return cached.anchors;
  const anchors = new TrustAnchors(roots);
  anchorsByList.set(roots, { count: roots.length, anchors });
  return anchors;
}

export interface DecodedSignature {
  primary: pkijs.SignerInfo;
  certificates: pkijs.Certificate[];
  content: Uint8Array;
  signatureContent: SignatureContent;
}

export function decodeSignature(p7s: Uint8Array): DecodedSignature {
  const { signedData, content } = decodeSignedData(
    parseDer(p7s, "NU3003", "package signature"),
    OID.data,
    "NU3003",
    "package signature",
  );
  const [primary, ...others] = signedData.signerInfos;
  if (!primary || others.length > 0) {
    throw new IssueError(
      "NU3009",
      `The package signature must have exactly one primary signer; it has ${signedData.signerInfos.length}.`,
    );
  }
  return {
    primary,
    certificates: certificatesOf(signedData),
    content,
    signatureContent: parseSignatureContent(content),
  };
}

interface Countersignatures {
  /** The repository countersignature, if any: NuGet reads at most one, and only on the primary signature. */
  repository: pkijs.SignerInfo | null;
  /** The commitment types of the others, which NuGet's client ignores. */
  otherKinds: Exclude<SignatureKind, "repository">[];
}

/** The countersignatures on a primary signature, sorted by commitment type. */
function findCountersignatures(primary: pkijs.SignerInfo, primaryKind: SignatureDetails["kind"]): Countersignatures {
  const countersignatures = attributeValues(primary.unsignedAttrs, OID.countersignature)
    .flat()
    .map((value: asn1js.AsnType) =>
      decodeAs(
        () => new pkijs.SignerInfo({ schema: value }),
        "NU3031",
        "A countersignature on the primary signature cannot be decoded.",
      ),
    )
    .map((signerInfo) => ({ signerInfo, kind: readSignatureKind(signerInfo.signedAttrs, "NU3031") }));
  const [repository, ...more] = countersignatures.filter(({ kind }) => kind === "repository");
  if (more.length > 0) throw new IssueError("NU3032", "The package has more than one repository countersignature.");
  if (repository && primaryKind === "repository") {
    throw new IssueError("NU3033", "A repository primary signature must not carry a repository countersignature.");
  }
  const otherKinds = countersignatures.flatMap(({ kind }) => (kind === "repository" ? [] : [kind]));
  return { repository: repository?.signerInfo ?? null, otherKinds };
}

export function integrityFromHashes(hashes: UnsignedPackageHashes, content: SignatureContent | null): boolean | null {
  if (!content) return null;
  const actual = hashes[content.hashAlgorithm.nodeName];
  return actual !== undefined && actual === content.hashValue;
}

/**
 * NuGet's rule for an author signature with a valid repository countersignature (reference
 * §4): the repository vouches for it, so an untrusted root (NU3018) no longer counts, nor
 * does expiry (NU3037) when the author certificate was valid at the countersignature's
 * timestamp. The findings stay in the report as warnings, and the author signature's own
 * details stay not valid: its chain is still untrusted.
 */
function vouchedByRepository(primary: VerifiedSignature, countersignature: VerifiedSignature | null): Issue[] {
  const issues = primary.judgeIssues;
  if (!countersignature || primary.details.kind === "repository" || !countersignature.details.valid) return issues;
  const { certificate } = primary;
  const expiryExcused =
    certificate !== null &&
    countersignature.vouchingTimestamp !== null &&
    validAtTimestamp(certificate, countersignature.vouchingTimestamp);
  const excused = (issue: Issue) =>
    issue.level === "error" &&
    ((primary.untrustedRoot && issue.code === "NU3018") || (expiryExcused && issue.code === "NU3037"));
  return issues.map((issue) =>
    excused(issue)
      ? downgraded(
          issue,
          `${issue.message} NuGet accepts this because the package's valid repository countersignature vouches for it.`,
        )
      : issue,
  );
}

async function verifySigned(
  source: ByteSource,
  directory: CentralDirectory,
  entry: CentralDirectoryEntry,
  options: VerifyOptions,
): Promise<VerifiedPackage> {
  // NuGet stops at a problem reading the signature (and reports only that); integrity and
  // trust problems are reported together, integrity first. Signet reports every problem it
  // finds, in that order, so the first one is NuGet's.
  const readIssues: Issue[] = [];
  const p7s = await readSignatureFile(source, directory, entry);
  let pieces: HashPiece[] = [];
  try {
    pieces = planUnsignedPackageHash(directory, entry, await readEocdTail(source, directory));
  } catch (cause) {
    readIssues.push(asIssue(cause));
  }
  let decoded: DecodedSignature | null = null;
  try {
    decoded = decodeSignature(p7s);
  } catch (cause) {
    readIssues.push(asIssue(cause));
  }

  const algorithms: NodeHashName[] = [];
  if (decoded) algorithms.push(decoded.signatureContent.hashAlgorithm.nodeName);
  if (options.includeContentHash) algorithms.push("sha512");
  const hashes = await unsignedHashes(source, pieces, algorithms, options.knownHashes);
  const integrity = integrityFromHashes(hashes, decoded?.signatureContent ?? null);
  const integrityIssues =
    integrity === false
      ? [
          error(
            "NU3008",
            "The package integrity check failed: the package contents do not match the hash in its signature, so it was modified after signing.",
          ),
        ]
      : [];
  const contentHash = options.includeContentHash ? hashes.sha512 : undefined;
  const base = {
    packageHashAlgorithm: decoded?.signatureContent.hashAlgorithm.name ?? null,
    integrity,
    ...(contentHash ? { contentHash } : {}),
  };
  if (!decoded)
    return {
      report: reportFromIssues({ ...base, issues: [...readIssues, ...integrityIssues] }),
      unsignedPackageHashes: hashes,
    };

  const context: VerificationContext = {
    certificates: decoded.certificates,
    codeSigningRoots: anchorsFor(options.trust.codeSigningRoots),
    timestampingRoots: anchorsFor(options.trust.timestampingRoots),
    now: options.now ?? new Date(),
    revocation: options.revocation ?? { mode: "offline" },
  };
  const primary = await verifySignature(decoded.primary, "primary", decoded.content, context);
  readIssues.push(...primary.readIssues);
  let countersignature: VerifiedSignature | null = null;
  let otherCountersignatureKinds: Countersignatures["otherKinds"] = [];
  try {
    const countersignatures = findCountersignatures(decoded.primary, primary.details.kind);
    otherCountersignatureKinds = countersignatures.otherKinds;
    if (countersignatures.repository) {
      countersignature = await verifySignature(
        countersignatures.repository,
        "countersignature",
        signatureValue(decoded.primary),
        context,
      );
    }
  } catch (cause) {
    readIssues.push(asIssue(cause));
  }
  readIssues.push(...(countersignature?.readIssues ?? []));
  // The repository slot holds a repository primary signature or the repository countersignature;
  // the author slot holds any other primary signature (author, or of unknown kind).
  const isRepositoryPrimary = primary.details.kind === "repository";
  const report = reportFromIssues({
    ...base,
    author: isRepositoryPrimary ? null : primary.details,
    repository: isRepositoryPrimary ? primary.details : (countersignature?.details ?? null),
    ...(otherCountersignatureKinds.length > 0 ? { otherCountersignatureKinds } : {}),
    issues: [
      ...readIssues,
      ...integrityIssues,
      ...vouchedByRepository(primary, countersignature),
      ...(countersignature?.judgeIssues ?? []),
    ],
  });
  return { report, unsignedPackageHashes: hashes };
}

/** Verifies the package's signatures and says which hashes it took; never throws for bad package bytes, only for I/O failures of the source. */
export async function verifyPackage(source: ByteSource, options: VerifyOptions): Promise<VerifiedPackage> {
  try {
    const directory = await readCentralDirectory(source);
    const [entry] = findSignatureEntries(directory);
    if (!entry) return await verifyUnsigned(source, options);
    return await verifySigned(source, directory, entry, options);
  } catch (cause) {
    if (cause instanceof IssueError)
      return { report: reportFromIssues({ issues: [cause.toIssue()] }), unsignedPackageHashes: {} };
    if (cause instanceof RangeError)
      return {
        report: reportFromIssues({ issues: [error("ZIP_INVALID", `The package cannot be read: ${cause.message}`)] }),
        unsignedPackageHashes: {},
      };
    throw cause;
  }
}

/** Verifies the package's signatures; never throws for bad package bytes, only for I/O failures of the source. */
export async function verifyPackageSignatures(source: ByteSource, options: VerifyOptions): Promise<SignatureReport> {
  return (await verifyPackage(source, options)).report;
}
