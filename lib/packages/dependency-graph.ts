// The dependency graph trust view of a version: everything a project referencing exactly this
// version restores for a target framework (lib/graph, over the versions this gallery offers),
// each package with its signing state, signer, repository signature, verified ID and what only
// the gallery knows (a compromised or unregistered signer, a signer change); what NuGet does
// with the whole graph under each consumer policy; and the nuget.config that makes
// signatureValidationMode=require pass for exactly this graph.

import type { Db } from "@/lib/db";
import { IssueError, type Issue } from "@/lib/issues";
import { frameworkShortName, parseFramework } from "@/lib/graph/frameworks";
import { resolveGraph, type MissingCode, type PackageVersions, type ResolvedPackage } from "@/lib/graph/resolve";
import { nugetConfig, resolutionErrorsWithMapping } from "@/lib/policy/nuget-config";
import { selectTrustedSigners, type GalleryFeed, type TrustSelection } from "@/lib/policy/trust-selection";
import {
  graphVerdicts,
  POLICY_MODES,
  verdictContext,
  versionVerdicts,
  type ModeVerdict,
  type PolicyMode,
} from "@/lib/policy/verdicts";
import type { SignatureReport } from "@/lib/signing/report";
import { checkPackageId } from "@/lib/validation/rules/package-identity";
import { describeVersionRange, parseVersionRange } from "@/lib/versioning/range";
import { normalizeVersion, parseVersion } from "@/lib/versioning/version";
import { declaredFrameworks, readDependencyGroups } from "./dependencies";
import { displayName } from "@/lib/signing/distinguished-name";
import {
  readAllReservations,
  readGraphNodes,
  readOfferedVersions,
  readRegistrationOwners,
  type GraphNodeRow,
  type OfferedVersionRow,
} from "./graph-queries";
import { parseStoredReport } from "./signature-summary";
import { signingState, type SigningState } from "./signing-state";
import { verifyPackageId, type AccountRef, type ReservationWithOwners } from "./verification";
import { continuityView, versionTrust, type ContinuityView } from "./version-trust";

/** Frameworks offered when the version's dependencies do not name any. */
const COMMON_FRAMEWORKS = ["net8.0", "netstandard2.0", "net472"];

/** "unsigned": no author signature (the gallery's repository signature does not name an author). */
export type GraphFlag =
  "unsigned" | "invalid" | "compromised" | "unregistered-signer" | "signer-changed" | "signature-dropped";

export interface GraphNodeView {
  id: string;
  version: string;
  depth: number;
  /** Who asks for it and with which range ("≥ 1.0.0"); a null parent is the project. */
  requestedBy: Array<{ parent: string | null; range: string }>;
  signing: SigningState;
  /** The author signer's name, when there is an author signature. */
  signerName: string | null;
  /** The repository that countersigned or signed it, and the owners it vouched for. */
  repositorySignature: { signerName: string; serviceIndexUrl: string | null; owners: string[] } | null;
  verified: boolean;
  continuity: ContinuityView;
  flags: GraphFlag[];
  verdicts: ModeVerdict[];
}

export interface MissingNodeView {
  id: string;
  range: string;
  /** Why this gallery cannot provide it: no such ID, no version in range, only prereleases. */
  code: MissingCode;
  requestedBy: Array<{ parent: string | null; range: string }>;
}

export interface GraphView {
  packageId: string;
  version: string;
  /** The target framework resolved for (short name) and the ones to choose from. */
  framework: string;
  frameworks: string[];
  nodes: GraphNodeView[];
  missing: MissingNodeView[];
  /** Restore's resolution errors and warnings (NU11xx, NU16xx). */
  issues: Issue[];
  verdicts: ModeVerdict[];
  trust: TrustSelection;
  /** The nuget.config of each policy: the same source and mapping; accept or require mode; the suggested signers for Secure. */
  nugetConfigs: Record<PolicyMode, string>;
}

/** The root version's dependency frameworks, as short names, or the common ones when it names none. */
function frameworkChoices(dependencyGroupsJson: string): string[] {
  const named = declaredFrameworks(readDependencyGroups(dependencyGroupsJson));
  return named.length > 0 ? named : COMMON_FRAMEWORKS;
}

// A published version's report never changes; parsing hundreds of them per view is kept to once each.
const REPORT_CACHE_LIMIT = 5000;
const reportCache = new Map<string, SignatureReport | null>();

function storedReport(row: GraphNodeRow): SignatureReport | null {
  if (reportCache.has(row.versionId)) return reportCache.get(row.versionId) ?? null;
  const report = parseStoredReport(row.signatureReport);
  if (reportCache.size >= REPORT_CACHE_LIMIT) reportCache.delete(reportCache.keys().next().value as string);
  reportCache.set(row.versionId, report);
  return report;
}

function versionKey(idLower: string, version: string): string {
  return `${idLower}/${version.toLowerCase()}`;
}

/** The lookup lib/graph resolves over, remembering which row each version came from. */
function galleryLookup(db: Db, rows: Map<string, OfferedVersionRow>) {
  return async (idsLower: readonly string[]): Promise<Map<string, PackageVersions>> => {
    const found = new Map<string, PackageVersions>();
    for (const row of await readOfferedVersions(db, idsLower)) {
      let entry = found.get(row.packageIdLower);
      if (!entry) found.set(row.packageIdLower, (entry = { id: row.packageId, versions: [] }));
      (entry.versions as PackageVersions["versions"][number][]).push({
        version: parseVersion(row.version),
        dependencyGroups: readDependencyGroups(row.dependencyGroups),
      });
      rows.set(versionKey(row.packageIdLower, normalizeVersion(parseVersion(row.version))), row);
    }
    return found;
  };
}

function requirementsOf(entries: ResolvedPackage["requestedBy"], names: Map<string, string>) {
  return entries.map((entry) => ({
    parent: entry.parent === null ? null : (names.get(entry.parent) ?? entry.parent),
    range: describeVersionRange(entry.range),
  }));
}

function flagsOf(
  signing: SigningState,
  trust: ReturnType<typeof versionTrust>,
  continuity: ContinuityView,
): GraphFlag[] {
  const flags: GraphFlag[] = [];
  if (signing.kind === "unsigned") flags.push("unsigned");
  if (signing.kind === "invalid") flags.push("invalid");
  if (signing.kind === "compromised") flags.push("compromised");
  if (trust.authorCertificate && !trust.authorCertificate.registered) flags.push("unregistered-signer");
  if (continuity.value === "NEW_SIGNER") flags.push("signer-changed");
  if (continuity.value === "DROPPED") flags.push("signature-dropped");
  return flags;
}

function reservationsOf(rows: Awaited<ReturnType<typeof readAllReservations>>): ReservationWithOwners[] {
  const byId = new Map<string, ReservationWithOwners & { owners: AccountRef[] }>();
  for (const row of rows) {
    const reservation = byId.get(row.id) ?? {
      pattern: row.pattern,
      isPrefix: row.isPrefix,
      isPublic: row.isPublic,
      owners: [],
    };
    if (row.userId !== null && row.username !== null)
      reservation.owners.push({ id: row.userId, username: row.username });
    byId.set(row.id, reservation);
  }
  return [...byId.values()];
}

/**
 * The graph view of `id` at `version` for `frameworkText` (a short or long framework name; the
 * version's first dependency framework when absent or unreadable); null when the gallery has no
 * such version. Throws DEPENDENCY_GRAPH_TOO_COMPLEX for a graph beyond what is resolved here.
 */
export async function loadGraphView(
  db: Db,
  feed: GalleryFeed,
  idText: string,
  versionText: string,
  frameworkText?: string,
  now = new Date(),
): Promise<GraphView | null> {
  if (checkPackageId(idText).length > 0) return null;
  let rootVersion;
  try {
    rootVersion = parseVersion(versionText);
  } catch (failure) {
    if (failure instanceof IssueError) return null;
    throw failure;
  }
  const rows = new Map<string, OfferedVersionRow>();
  const root = await db.packageVersion.findFirst({
    where: {
      registration: { packageIdLower: idText.toLowerCase() },
      versionLower: normalizeVersion(rootVersion).toLowerCase(),
    },
    select: { version: true, dependencyGroups: true, registration: { select: { packageId: true } } },
  });
  if (!root) return null;
  const frameworks = frameworkChoices(root.dependencyGroups);
  const asked = parseFramework(frameworkText);
  const framework =
    asked && asked.family !== "any" && frameworkText
      ? asked
      : (parseFramework(frameworks[0]) ?? parseFramework("net8.0"))!;

  const graph = await resolveGraph({
    references: [{ id: root.registration.packageId, range: parseVersionRange(`[${root.version}]`) }],
    framework,
    versionsOf: galleryLookup(db, rows),
  });

  const resolvedRows = graph.packages.flatMap((entry) => {
    const row = rows.get(versionKey(entry.idLower, normalizeVersion(entry.version)));
    return row ? [{ entry, row }] : [];
  });
  const [nodeRows, reservationRows] = await Promise.all([
    readGraphNodes(
      db,
      resolvedRows.map(({ row }) => row.versionId),
    ),
    readAllReservations(db),
  ]);
  const nodeById = new Map(nodeRows.map((row) => [row.versionId, row]));
  const ownerRows = await readRegistrationOwners(db, [...new Set(nodeRows.map((row) => row.registrationId))]);
  const reservations = reservationsOf(reservationRows);
  const ownersByRegistration = new Map<string, Map<string, AccountRef & { certificateIds: string[] }>>();
  for (const owner of ownerRows) {
    const owners =
      ownersByRegistration.get(owner.registrationId) ?? new Map<string, AccountRef & { certificateIds: string[] }>();
    const known = owners.get(owner.userId) ?? { id: owner.userId, username: owner.username, certificateIds: [] };
    if (owner.certificateId !== null) known.certificateIds.push(owner.certificateId);
    owners.set(owner.userId, known);
    ownersByRegistration.set(owner.registrationId, owners);
  }
  const names = new Map(graph.packages.map((entry) => [entry.idLower, entry.id]));

  const prepared = resolvedRows.flatMap(({ entry, row }) => {
    const node = nodeById.get(row.versionId);
    if (!node) return [];
    const owners =
      ownersByRegistration.get(node.registrationId) ?? new Map<string, AccountRef & { certificateIds: string[] }>();
    const signing = signingState({
      signatureStatus: node.signatureStatus,
      signer:
        node.signerCertificateId === null ? null : { subject: node.signerSubject, compromisedAt: node.compromisedAt },
      provenSigningTime: node.provenSigningTime,
      provenSigningTimeSource: node.provenSigningTimeSource,
    });
    const report = storedReport(node);
    const signerRegistered =
      node.signerCertificateId !== null &&
      [...owners.values()].some((owner) => owner.certificateIds.includes(node.signerCertificateId as string));
    const trust = versionTrust({
      packageId: entry.id,
      version: normalizeVersion(entry.version),
      report,
      signing,
      signerRegistered,
    });
    return [
      {
        entry,
        node,
        owners: [...owners.values()],
        signing,
        report,
        trust,
        continuity: continuityView(node.signerContinuity, node.signerPreviousVersion),
      },
    ];
  });

  const trust = selectTrustedSigners(
    prepared.map((item) => item.trust),
    feed,
  );
  const nodes: GraphNodeView[] = prepared.map(({ entry, owners, signing, report, trust: versionFacts, continuity }) => {
    const repository = report?.repository ?? null;
    return {
      id: entry.id,
      version: normalizeVersion(entry.version),
      depth: entry.depth,
      requestedBy: requirementsOf(entry.requestedBy, names),
      signing,
      signerName: signing.kind === "signed" || signing.kind === "compromised" ? signing.signerName : null,
      repositorySignature: repository?.signer
        ? {
            signerName: displayName(repository.signer.subject),
            serviceIndexUrl: repository.serviceIndexUrl,
            owners: repository.packageOwners ?? [],
          }
        : null,
      verified: verifyPackageId(entry.id, owners, reservations).verified,
      continuity,
      flags: flagsOf(signing, versionFacts, continuity),
      verdicts: versionVerdicts(versionFacts, verdictContext(feed, trust.signers, now)),
    };
  });
  const missing: MissingNodeView[] = graph.unresolved.map((entry) => ({
    id: entry.id,
    range: describeVersionRange(entry.range),
    code: entry.code,
    requestedBy: requirementsOf(entry.requestedBy, names),
  }));
  const resolutionErrors = resolutionErrorsWithMapping(
    graph.issues.filter((issue) => issue.level === "error"),
    missing.filter((entry) => entry.code === "NU1101"),
  );
  const frameworkName = frameworkShortName(framework);
  return {
    packageId: root.registration.packageId,
    version: root.version,
    framework: frameworkName,
    frameworks: frameworks.includes(frameworkName) ? frameworks : [...frameworks, frameworkName],
    nodes,
    missing,
    issues: graph.issues,
    verdicts: graphVerdicts(
      prepared.map((item, index) => ({ version: item.trust, verdicts: nodes[index]?.verdicts ?? [] })),
      resolutionErrors,
    ),
    trust,
    nugetConfigs: Object.fromEntries(
      POLICY_MODES.map(({ mode }) => [
        mode,
        nugetConfig({
          feed,
          mode,
          trustedSigners: trust.signers,
          packageIds: nodes.map((node) => node.id),
          missingIds: missing.map((entry) => entry.id),
          subject: `${root.registration.packageId} ${root.version} (${frameworkName}) and its dependencies, ${mode} policy`,
        }),
      ]),
    ) as Record<PolicyMode, string>,
  };
}
