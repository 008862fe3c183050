// Resolves a project's transitive package graph the way `dotnet restore` does, over a lookup
// of the versions each ID offers (passed in, so this module reads no database). It follows the
// resolver the .NET 9 and later SDKs use (NuGet.Commands' DependencyGraphResolver), restricted
// to what packages can express (no project references, central versions or runtime graphs):
//
//   1. Import, breadth first from the project. Each ID gets one chosen request; a request
//      resolves to the lowest version its range allows (match.ts) and the dependency group
//      nearest the target framework. A later request for a chosen ID is dropped when it asks
//      for no higher minimum (nearest wins), or when it sits on the same line of descent as the
//      chosen one; otherwise it evicts the chosen request (cousins: the higher minimum wins),
//      and whatever the evicted request brought in is imported again without it.
//   2. Flatten, breadth first over the chosen requests: a package depending back on one of its
//      ancestors is a cycle (NU1108); a dependency whose range the chosen version does not
//      satisfy is a version conflict (NU1107, and the package is left out, as restore leaves it
//      out of project.assets.json); a nearer choice below what a farther dependency asks for is
//      a downgrade (NU1605, an error in SDK projects; reported only without cycles and
//      conflicts, as restore does); an ID the source lacks or a range no version fits is
//      NU1101, NU1102 or NU1103.
// Evicting restarts the import, so the work is bounded by `maxNodes` requests in all.

import { error, IssueError, warning, type Issue } from "@/lib/issues";
import { findBestMatch, satisfies } from "@/lib/versioning/match";
import {
  ANY_VERSION_RANGE,
  describeVersionRange,
  formatVersionRange,
  parseVersionRange,
  type VersionRange,
} from "@/lib/versioning/range";
import { compareVersions, normalizeVersion, type NuGetVersion } from "@/lib/versioning/version";
import { nearestFramework, parseFramework, type TargetFramework } from "./frameworks";

export interface PackageDependency {
  id: string;
  range: VersionRange;
}

/** A dependency group as the gallery stores it: NuGet range text, or none for any version. */
export interface StoredGroup {
  targetFramework?: string | null;
  dependencies: ReadonlyArray<{ id: string; range?: string | null }>;
}

export interface VersionCandidate {
  version: NuGetVersion;
  dependencyGroups: readonly StoredGroup[];
}

export interface PackageVersions {
  /** The ID as the source spells it. */
  id: string;
  /** The versions restore may choose from. */
  versions: readonly VersionCandidate[];
}

/** The versions of many IDs at once (keys: lower-case IDs); an ID the source lacks is absent. */
export type VersionsLookup = (idsLower: readonly string[]) => Promise<ReadonlyMap<string, PackageVersions>>;

export interface ResolveRequest {
  /** The project's own references (they may float). */
  references: readonly PackageDependency[];
  framework: TargetFramework;
  versionsOf: VersionsLookup;
  /** Most dependency requests to import, restarts included; default DEFAULT_MAX_NODES. */
  maxNodes?: number;
}

export interface Requirement {
  /** Lower-case ID of the package that asks, or null for the project. */
  parent: string | null;
  range: VersionRange;
}

export interface ResolvedPackage {
  id: string;
  idLower: string;
  version: NuGetVersion;
  /** 1 for the project's own references; the shortest path otherwise. */
  depth: number;
  requestedBy: Requirement[];
  /** Lower-case IDs of the resolved packages this version depends on, for the framework. */
  dependencies: string[];
}

export interface UnresolvedDependency {
  id: string;
  idLower: string;
  range: VersionRange;
  depth: number;
  requestedBy: Requirement[];
  /** NU1101: no package with this ID; NU1102: no version in range; NU1103: only prereleases in range. */
  code: MissingCode;
}

export type MissingCode = "NU1101" | "NU1102" | "NU1103";

export interface ResolvedGraph {
  packages: ResolvedPackage[];
  unresolved: UnresolvedDependency[];
  /** Restore's errors (NU1101, NU1102, NU1103, NU1107, NU1108, NU1605) and warnings (NU1602, NU1603, NU1604). */
  issues: Issue[];
}

export const DEFAULT_MAX_NODES = 200_000;

const PROJECT = "";

interface Dependency {
  id: string;
  idLower: string;
  range: VersionRange;
  /** ID and normalised range: one request, wherever it is made (NuGet's LibraryRangeIndex). */
  key: string;
}

interface Resolution {
  id: string;
  idLower: string;
  /** Null when nothing fits the range. */
  version: NuGetVersion | null;
  missing: MissingCode | null;
  dependencies: Dependency[];
}

interface Request {
  dependency: Dependency;
  /** Keys of the requests from the project down to the one that made this request. */
  path: string[];
  /** A reference of the project itself. */
  direct: boolean;
}

interface Chosen {
  request: Request;
  /** Last path entries of lower requests this one stood in for. */
  eclipsed: Set<string> | null;
}

function dependencyOf(id: string, range: VersionRange): Dependency {
  const idLower = id.toLowerCase();
  return { id, idLower, range, key: `${idLower} ${formatVersionRange(range)}` };
}

function readRange(text: string | null | undefined): VersionRange | null {
  const trimmed = text?.trim() ?? "";
  // "(, )" is how a dependency without a version is stored.
  if (trimmed === "" || trimmed.replace(/\s/g, "") === "(,)") return ANY_VERSION_RANGE;
  try {
    return parseVersionRange(trimmed);
  } catch (failure) {
    if (failure instanceof IssueError) return null;
    throw failure;
  }
}

/** The dependencies of one version for the framework (NuGet's nearest group); unreadable ranges are skipped. */
function dependenciesFor(candidate: VersionCandidate, framework: TargetFramework): Dependency[] {
  const group = nearestFramework(framework, candidate.dependencyGroups, (entry) =>
    parseFramework(entry.targetFramework),
  );
  if (!group) return [];
  return group.dependencies.flatMap((entry) => {
    const range = readRange(entry.range);
    return range ? [dependencyOf(entry.id, range)] : [];
  });
}

const FLOAT_TOP = 2_147_483_647;

/** A float's version for comparison: the floating parts as high as they go, labels dropped. */
function floatCeiling(range: VersionRange & { min: NuGetVersion }): number[] {
  const { major, minor, patch, revision } = range.min;
  switch (range.float?.behavior) {
    case "minor":
      return [major, FLOAT_TOP, FLOAT_TOP, FLOAT_TOP];
    case "patch":
      return [major, minor, FLOAT_TOP, FLOAT_TOP];
    case "revision":
      return [major, minor, patch, FLOAT_TOP];
    default:
      return [major, minor, patch, revision];
  }
}

function compareParts(a: readonly number[], b: readonly number[]): number {
  for (let index = 0; index < 4; index += 1) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** NuGet's RemoteDependencyWalker.IsGreaterThanOrEqualTo: does `near` ask for at least the minimum `far` asks for? */
function asksAtLeast(near: VersionRange, far: VersionRange): boolean {
  if (near.min === undefined) return true;
  if (far.min === undefined) return false;
  if (!near.float && !far.float) return compareVersions(near.min, far.min) >= 0;
  if (near.float?.behavior === "major") return true;
  if (far.float?.behavior === "major") return false;
  const nearVersion = { ...near, min: near.min };
  const farVersion = { ...far, min: far.min };
  const order = compareParts(floatCeiling(nearVersion), floatCeiling(farVersion));
  if (order !== 0) return order > 0;
  const nearRelease = near.float ? near.float.releasePrefix : near.min.releaseLabels.join(".");
  const farRelease = far.float ? far.float.releasePrefix : far.min.releaseLabels.join(".");
  if (nearRelease === "") return true;
  if (farRelease === "") return false;
  const length = Math.min(nearRelease.length, farRelease.length);
  return nearRelease.slice(0, length).toLowerCase() >= farRelease.slice(0, length).toLowerCase();
}

/** Whether one path is a prefix of the other: the two requests are on one line of descent. */
function onOneLine(left: readonly string[], right: readonly string[]): boolean {
  for (let index = 0; index < left.length && index < right.length; index += 1) {
    if (left[index] !== right[index]) return false;
  }
  return true;
}

function anyOnPath(entries: Set<string> | null, path: readonly string[]): boolean {
  if (!entries) return false;
  for (const entry of entries) if (path.includes(entry)) return true;
  return false;
}

class Resolver {
  private readonly known = new Map<string, PackageVersions | null>();
  private readonly resolutions = new Map<string, Resolution>();
  /** Evicted request key → the path of the request that evicted it, and its ID. */
  private readonly evictions = new Map<string, { path: string[]; idLower: string }>();
  private chosen = new Map<string, Chosen>();
  private work = 0;
  private readonly root: Request;

  constructor(private readonly request: ResolveRequest) {
    const project: Dependency = { id: PROJECT, idLower: PROJECT, range: ANY_VERSION_RANGE, key: PROJECT };
    this.root = { dependency: project, path: [], direct: false };
    this.resolutions.set(PROJECT, {
      id: PROJECT,
      idLower: PROJECT,
      version: null,
      missing: null,
      dependencies: request.references.map((reference) => dependencyOf(reference.id, reference.range)),
    });
  }

  private count(): void {
    this.work += 1;
    const limit = this.request.maxNodes ?? DEFAULT_MAX_NODES;
    if (this.work > limit) {
      throw new IssueError(
        "DEPENDENCY_GRAPH_TOO_COMPLEX",
        `Resolving this dependency graph takes more than ${limit.toLocaleString("en-US")} steps; it is too large to resolve here.`,
      );
    }
  }

  private async load(idsLower: Iterable<string>): Promise<void> {
    const wanted = [...new Set(idsLower)].filter((id) => id !== PROJECT && !this.known.has(id));
    if (wanted.length === 0) return;
    const found = await this.request.versionsOf(wanted);
    for (const id of wanted) this.known.set(id, found.get(id) ?? null);
  }

  private resolve(dependency: Dependency): Resolution {
    const cached = this.resolutions.get(dependency.key);
    if (cached) return cached;
    const available = this.known.get(dependency.idLower) ?? null;
    const best = available
      ? findBestMatch(
          dependency.range,
          available.versions.map((candidate) => ({ ...candidate.version, candidate })),
        )
      : null;
    const onlyPrereleases =
      available?.versions.some((candidate) => satisfies(dependency.range, candidate.version)) ?? false;
    const resolution: Resolution = {
      id: available?.id ?? dependency.id,
      idLower: dependency.idLower,
      version: best,
      missing: best ? null : !available ? "NU1101" : onlyPrereleases ? "NU1103" : "NU1102",
      dependencies: best ? dependenciesFor(best.candidate, this.request.framework) : [],
    };
    this.resolutions.set(dependency.key, resolution);
    return resolution;
  }

  /**
   * Decides a request against the chosen one for its ID; true when it becomes the chosen one
   * (and its dependencies are to be imported), "restart" after a deep eviction.
   * `queue[head..]` are the requests still waiting.
   */
  private consider(request: Request, queue: Request[], head: number): boolean | "restart" {
    const { dependency } = request;
    // An evicted request stays out, except as the project's own reference.
    if (this.evictions.has(dependency.key) && !request.direct) return false;
    const chosen = this.chosen.get(dependency.idLower);
    if (!chosen) {
      this.chosen.set(dependency.idLower, { request, eclipsed: null });
      return true;
    }
    // The project's own references always win.
    if (chosen.request.direct) return false;
    const chosenRange = chosen.request.dependency.range;
    if (asksAtLeast(chosenRange, dependency.range)) {
      if (formatVersionRange(chosenRange) !== formatVersionRange(dependency.range)) {
        // A lower request: dropped, and remembered so nothing below it evicts the chosen one later.
        if (!onOneLine(chosen.request.path, request.path))
          (chosen.eclipsed ??= new Set()).add(request.path.at(-1) ?? PROJECT);
        return false;
      }
      if (onOneLine(chosen.request.path, request.path)) return false;
      // The same request from elsewhere takes over, and its dependencies are imported from here.
      this.chosen.set(dependency.idLower, { request, eclipsed: null });
      return true;
    }
    if (onOneLine(chosen.request.path, request.path) || anyOnPath(chosen.eclipsed, request.path)) return false;

    // The higher request evicts the chosen one and whatever came in through it.
    this.chosen.delete(dependency.idLower);
    const evicted = chosen.request.dependency.key;
    let startOver = false;
    // Evictions made from below the evicted request no longer hold, except those of this same ID.
    for (const [key, eviction] of this.evictions) {
      if (eviction.path.includes(evicted) && eviction.idLower !== dependency.idLower) {
        this.evictions.delete(key);
        startOver = true;
      }
    }
    for (const other of this.chosen.values()) {
      if (other.request.path.includes(evicted)) {
        startOver = true;
        break;
      }
    }
    this.evictions.set(evicted, { path: [...request.path, dependency.key], idLower: dependency.idLower });
    if (startOver) return "restart";
    this.chosen.set(dependency.idLower, { request, eclipsed: null });
    const kept = queue.slice(head).filter((queued) => !queued.path.includes(evicted));
    queue.splice(head, queue.length - head, ...kept);
    return true;
  }

  /** Imports every request; restarts from the project after a deep eviction, keeping the evictions. */
  async import(): Promise<void> {
    for (;;) {
      this.chosen = new Map();
      this.chosen.set(PROJECT, { request: this.root, eclipsed: null });
      const queue: Request[] = [];
      const directIds = new Set(
        this.resolve(this.root.dependency).dependencies.map((dependency) => dependency.idLower),
      );
      const enqueue = (from: Request, resolution: Resolution) => {
        const direct = from === this.root;
        for (const dependency of resolution.dependencies) {
          // A package the project references itself is never taken from a dependency.
          if (!direct && directIds.has(dependency.idLower)) continue;
          // The same request already chosen: its dependencies are on their way.
          if (this.chosen.get(dependency.idLower)?.request.dependency.key === dependency.key) continue;
          this.count();
          queue.push({ dependency, path: [...from.path, from.dependency.key], direct });
        }
      };
      enqueue(this.root, this.resolve(this.root.dependency));
      let restart = false;
      for (let head = 0; head < queue.length && !restart;) {
        const request = queue[head] as Request;
        head += 1;
        // Everything waiting is looked up together: one call per level of the graph, not per package.
        if (!this.known.has(request.dependency.idLower))
          await this.load([
            request.dependency.idLower,
            ...queue.slice(head).map((queued) => queued.dependency.idLower),
          ]);
        const decision = this.consider(request, queue, head);
        if (decision === "restart") restart = true;
        else if (decision) enqueue(request, this.resolve(request.dependency));
      }
      if (!restart) return;
    }
  }

  /** Walks the chosen requests from the project and reports what restore reports. */
  flatten(): ResolvedGraph {
    const issues: Issue[] = [];
    const packages = new Map<string, ResolvedPackage>();
    const unresolved = new Map<string, UnresolvedDependency>();
    const visited = new Set<string>();
    const placed = new Set<string>([PROJECT]);
    const conflicts = new Map<string, { parent: string; dependency: Dependency }>();
    const downgrades = new Map<string, { from: Chosen; dependency: Dependency; nearer: string }>();
    const label = (key: string) => {
      const chosen = [...this.chosen.values()].find((entry) => entry.request.dependency.key === key);
      return chosen ? this.describe(chosen) : "the project";
    };
    const queue: Array<{ chosen: Chosen; depth: number }> = [{ chosen: this.chosen.get(PROJECT) as Chosen, depth: 0 }];
    for (let head = 0; head < queue.length; head += 1) {
      const { chosen: current, depth } = queue[head] as { chosen: Chosen; depth: number };
      const resolution = this.resolve(current.request.dependency);
      const parentId = resolution.idLower === PROJECT ? null : resolution.idLower;
      for (const dependency of resolution.dependencies) {
        if (dependency.idLower === resolution.idLower) {
          issues.push(
            error(
              "NU1108",
              `Cycle detected: ${this.pathText(current)} -> ${dependency.id} ${describeVersionRange(dependency.range)}.`,
            ),
          );
          continue;
        }
        const target = this.chosen.get(dependency.idLower);
        if (!target) continue;
        const chosenRange = target.request.dependency.range;
        const requirement: Requirement = { parent: parentId, range: dependency.range };
        if (visited.has(dependency.idLower)) {
          if (current.request.path.includes(dependency.key)) {
            issues.push(
              error(
                "NU1108",
                `Cycle detected: ${this.pathText(current)} -> ${dependency.id} ${describeVersionRange(dependency.range)}.`,
              ),
            );
            continue;
          }
          if (!asksAtLeast(chosenRange, dependency.range)) {
            const version = this.resolve(target.request.dependency).version;
            // Not a downgrade when the chosen version is in range anyway (a float resolved high), or when a lower request was already set aside on this path.
            const inRange = version !== null && satisfies(dependency.range, version);
            if (
              !inRange &&
              !downgrades.has(target.request.dependency.key) &&
              !anyOnPath(target.eclipsed, current.request.path)
            ) {
              downgrades.set(target.request.dependency.key, {
                from: current,
                dependency,
                nearer: target.request.path.at(-1) ?? PROJECT,
              });
            }
            continue;
          }
          // A conflicted choice gets its place from a request for exactly its own range.
          if (conflicts.has(target.request.dependency.key)) placed.add(dependency.key);
          const known = packages.get(dependency.idLower) ?? unresolved.get(dependency.idLower);
          if (known) known.requestedBy.push(requirement);
          if (parentId && packages.has(dependency.idLower))
            packages.get(parentId)?.dependencies.push(dependency.idLower);
          continue;
        }
        visited.add(dependency.idLower);
        const chosenResolution = this.resolve(target.request.dependency);
        if (
          chosenResolution.version &&
          !satisfies(dependency.range, chosenResolution.version) &&
          !downgrades.has(target.request.dependency.key)
        ) {
          conflicts.set(target.request.dependency.key, { parent: this.describe(current), dependency });
          continue;
        }
        placed.add(target.request.dependency.key);
        queue.push({ chosen: target, depth: depth + 1 });
        if (!chosenResolution.version) {
          unresolved.set(dependency.idLower, {
            id: chosenResolution.id,
            idLower: dependency.idLower,
            range: chosenRange,
            depth: depth + 1,
            requestedBy: [requirement],
            code: chosenResolution.missing ?? "NU1101",
          });
          continue;
        }
        packages.set(dependency.idLower, {
          id: chosenResolution.id,
          idLower: dependency.idLower,
          version: chosenResolution.version,
          depth: depth + 1,
          requestedBy: [requirement],
          dependencies: [],
        });
        if (parentId) packages.get(parentId)?.dependencies.push(dependency.idLower);
        issues.push(
          ...boundWarnings(
            resolution.idLower === PROJECT ? null : this.describe(current),
            chosenResolution.id,
            chosenRange,
            chosenResolution.version,
          ),
        );
      }
    }

    // Restore reports conflicts only when there is no cycle, and downgrades only when there is neither.
    const cycleFound = issues.some((issue) => issue.code === "NU1108");
    for (const [key, conflict] of cycleFound ? [] : conflicts) {
      // Restore reports a conflict only once the chosen version has a place of its own in the graph.
      const chosen = [...this.chosen.values()].find((entry) => entry.request.dependency.key === key);
      if (!chosen || !placed.has(key)) continue;
      const version = this.resolve(chosen.request.dependency).version;
      issues.push(
        error(
          "NU1107",
          `Version conflict detected for ${conflict.dependency.id}: ${conflict.parent} asks for ${describeVersionRange(conflict.dependency.range)}, but ${version ? normalizeVersion(version) : "another version"} was chosen through ${this.pathText(chosen)}.`,
        ),
      );
    }
    const conflictFound = issues.some((issue) => issue.code === "NU1107");
    for (const [key, downgrade] of cycleFound || conflictFound ? [] : downgrades) {
      if (!placed.has(downgrade.from.request.dependency.key) || !placed.has(downgrade.nearer)) continue;
      const chosen = [...this.chosen.values()].find((entry) => entry.request.dependency.key === key);
      const version = chosen ? this.resolve(chosen.request.dependency).version : null;
      issues.push(
        error(
          "NU1605",
          `Detected package downgrade: ${downgrade.dependency.id} from ${describeVersionRange(downgrade.dependency.range)} to ${version ? normalizeVersion(version) : "a lower version"}: ${this.pathText(downgrade.from)} asks for more than ${label(downgrade.nearer)}, which is nearer the project.`,
        ),
      );
    }
    for (const missing of unresolved.values()) {
      issues.push(
        error(
          missing.code,
          missing.code === "NU1101"
            ? `Unable to find package ${missing.id}: no package with this ID exists on the source.`
            : missing.code === "NU1103"
              ? `Unable to find a stable package ${missing.id} with version (${describeVersionRange(missing.range)}); only prereleases are in that range.`
              : `Unable to find package ${missing.id} with version (${describeVersionRange(missing.range)}).`,
        ),
      );
    }
    return {
      packages: [...packages.values()].sort((a, b) => a.depth - b.depth || a.idLower.localeCompare(b.idLower)),
      unresolved: [...unresolved.values()],
      issues: dedupe(issues),
    };
  }

  private describe(chosen: Chosen): string {
    const resolution = this.resolve(chosen.request.dependency);
    if (resolution.idLower === PROJECT) return "the project";
    return resolution.version
      ? `${resolution.id} ${normalizeVersion(resolution.version)}`
      : `${resolution.id} ${describeVersionRange(chosen.request.dependency.range)}`;
  }

  /** "A 1.0.0 -> B 2.0.0": the chosen packages from the project down to this one. */
  private pathText(chosen: Chosen): string {
    const byKey = new Map([...this.chosen.values()].map((entry) => [entry.request.dependency.key, entry]));
    const names = [...chosen.request.path, chosen.request.dependency.key]
      .filter((key) => key !== PROJECT)
      .map((key) => {
        const entry = byKey.get(key);
        return entry ? this.describe(entry) : key;
      });
    return names.join(" -> ");
  }
}

/**
 * What restore says about a range whose lower bound did not decide the version: no inclusive
 * lower bound (NU1602 for a package's dependency, NU1604 for the project's reference), or a
 * lower bound that does not exist (NU1603, an approximate best match).
 */
function boundWarnings(parent: string | null, id: string, range: VersionRange, version: NuGetVersion): Issue[] {
  if (range.float) return [];
  const resolved = `${id} ${normalizeVersion(version)} was resolved instead`;
  if (range.min === undefined || !range.minInclusive) {
    return parent === null
      ? [
          warning(
            "NU1604",
            `The project's reference to ${id} (${formatVersionRange(range)}) does not contain an inclusive lower bound; ${resolved}.`,
          ),
        ]
      : [
          warning(
            "NU1602",
            `${parent} does not provide an inclusive lower bound for dependency ${id} (${formatVersionRange(range)}); ${resolved}.`,
          ),
        ];
  }
  if (compareVersions(range.min, version) === 0) return [];
  return [
    warning(
      "NU1603",
      `${parent ?? "The project"} depends on ${id} (${formatVersionRange(range)}) but ${id} ${normalizeVersion(range.min)} was not found; ${resolved}.`,
    ),
  ];
}

function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.code}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Resolves the project's graph; throws DEPENDENCY_GRAPH_TOO_COMPLEX beyond `maxNodes` requests. */
export async function resolveGraph(request: ResolveRequest): Promise<ResolvedGraph> {
  const resolver = new Resolver(request);
  await resolver.import();
  return resolver.flatten();
}
