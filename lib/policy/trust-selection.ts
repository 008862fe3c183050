// Which signers the gallery suggests trusting for a set of package versions (a version, or a
// dependency graph): every author certificate that signed one of them, unless the gallery
// knows better (the certificate was marked compromised at or before the signing, or no
// current owner of the package registered it); and, when some of them carry no author
// signature, this gallery's own repository certificate (the signatures naming its service
// index), limited with <owners> to the owners its signatures vouch for on those packages.

import { feedSource } from "@/lib/nuget-client/client-config";
import { displayName } from "@/lib/signing/distinguished-name";
import type { SignatureReport } from "@/lib/signing/report";
import type { AuthorSigner, RepositorySigner, TrustedSigner } from "./trusted-signers";

export interface GalleryFeed {
  /** The gallery's service index URL: the source consumers add. */
  serviceIndexUrl: string;
  /** The source key in nuget.config and the repository signer's name. */
  sourceName: string;
  /** The service index URL the gallery's repository signatures name (https, as NuGet requires there). */
  repositoryServiceIndexUrl: string;
  /** The RepositorySignatures resource clients read from the gallery (https galleries only). */
  repositorySignatures?: { allRepositorySigned: boolean; fingerprints: string[] };
}

/** The gallery as a source at a public origin ("https://gallery.example"). */
export function galleryFeedAt(
  origin: string,
  repositoryServiceIndexUrl: string,
  repositorySignatures?: GalleryFeed["repositorySignatures"],
): GalleryFeed {
  const source = feedSource(origin);
  return {
    serviceIndexUrl: source.serviceIndexUrl,
    sourceName: source.name,
    repositoryServiceIndexUrl,
    ...(repositorySignatures ? { repositorySignatures } : {}),
  };
}

/** One package version and what the gallery knows about its signer. */
export interface VersionTrust {
  packageId: string;
  version: string;
  /** The engine's report of the published file; null for an unsigned package. */
  report: SignatureReport | null;
  /** The author signer certificate as the gallery knows it; null without an author signature. */
  authorCertificate: { compromised: boolean; registered: boolean } | null;
}

export type ExclusionReason = "compromised" | "unregistered" | "invalid";

export interface TrustSelection {
  signers: TrustedSigner[];
  /** Signed versions whose author signer is left out, and why. */
  excluded: Array<{ packageId: string; version: string; reason: ExclusionReason }>;
}

function exclusionReason(version: VersionTrust): ExclusionReason | null {
  if (version.report?.author?.valid !== true) return "invalid";
  if (version.authorCertificate?.compromised) return "compromised";
  if (version.authorCertificate?.registered === false) return "unregistered";
  return null;
}

/** A name no other entry has (the client refuses duplicate names, NU3040). */
function uniqueName(wanted: string, taken: Set<string>): string {
  let name = wanted;
  for (let suffix = 2; taken.has(name.toLowerCase()); suffix += 1) name = `${wanted} (${suffix})`;
  taken.add(name.toLowerCase());
  return name;
}

export function selectTrustedSigners(versions: readonly VersionTrust[], feed: GalleryFeed): TrustSelection {
  const names = new Set<string>([feed.sourceName.toLowerCase()]);
  const authors = new Map<string, AuthorSigner>();
  const excluded: TrustSelection["excluded"] = [];
  const repository: RepositorySigner = {
    kind: "repository",
    name: feed.sourceName,
    serviceIndexUrl: feed.repositoryServiceIndexUrl,
    fingerprints: [],
    owners: [],
  };
  let repositoryNeeded = false;

  for (const version of versions) {
    const author = version.report?.author;
    const signer = author?.kind === "author" ? author.signer : null;
    if (signer) {
      const reason = exclusionReason(version);
      const fingerprint = signer.sha256Fingerprint.toLowerCase();
      if (reason) excluded.push({ packageId: version.packageId, version: version.version, reason });
      else if (!authors.has(fingerprint))
        authors.set(fingerprint, {
          kind: "author",
          name: uniqueName(displayName(signer.subject), names),
          fingerprints: [fingerprint],
        });
    }
    const ours = version.report?.repository;
    if (ours?.valid && ours.signer && ours.serviceIndexUrl === feed.repositoryServiceIndexUrl) {
      const fingerprint = ours.signer.sha256Fingerprint.toLowerCase();
      if (!repository.fingerprints.includes(fingerprint)) repository.fingerprints.push(fingerprint);
      // Only packages without an author signature need the gallery's word; their owners are the
      // ones vouched for, so a package whose author certificate is left out above is not let in
      // through the gallery's countersignature (unless an owner of such a package owns it too).
      if (!signer) {
        repositoryNeeded = true;
        for (const owner of ours.packageOwners ?? [])
          if (!repository.owners.includes(owner)) repository.owners.push(owner);
      }
    }
  }
  // An excluded version's certificate stays out even when another version signed with it would let it in.
  const excludedFingerprints = new Set(
    versions
      .filter((version) => exclusionReason(version) === "compromised")
      .map((version) => version.report?.author?.signer?.sha256Fingerprint.toLowerCase()),
  );
  const signers: TrustedSigner[] = [...authors.values()].filter(
    (signer) => !signer.fingerprints.some((fingerprint) => excludedFingerprints.has(fingerprint)),
  );
  if (repositoryNeeded && repository.fingerprints.length > 0) signers.push(repository);
  return { signers, excluded };
}
