// Resolves a project's transitive package graph the way NuGet's restore does, over a lookup
// of the versions each ID offers (passed in, so this module reads no database). It follows
// NuGet.DependencyResolver's walk and analysis (RemoteDependencyWalker, GraphOperations):
//
//   1. Walk: from the project, every dependency becomes a node with the lowest version its
//      range allows (match.ts) and the dependency group nearest the target framework, unless
//      a node nearer the root already declares that ID (it is *eclipsed*: nearest wins), or
//      its ID is the node itself or an ancestor (a *cycle*, NU1108). An eclipsed dependency
//      asking for more than the nearer one allows is kept as a *potential downgrade* (NU1605).
//   2. Cousins: the same ID reached along paths that do not eclipse each other is resolved
//      by repeatedly accepting the highest version among the nodes still standing and
//      rejecting the others together with everything beneath them.
//   3. Conflicts: an accepted node's dependency whose range does not allow the version that
//      was accepted for its ID is a version conflict (NU1107).
//
// The walk builds a tree, as NuGet's does, so its size grows with the number of paths; a
// tree beyond `maxNodes` is refused (DEPENDENCY_GRAPH_TOO_LARGE) rather than exhausting memory.

import { error, IssueError, warning, type Issue } from "@/lib/issues";
import { findBestMatch, satisfies } from "@/lib/versioning/match";
import { ANY_VERSION_RANGE, describeVersionRange, formatVersionRange, parseVersionRange, type VersionRange } from "@/lib/versioning/range";
import { compareVersions, normalizeVersion, parseVersion, type NuGetVersion } from "@/lib/versioning/version";
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
  /** Largest walk tree to build; default DEFAULT_MAX_NODES. */
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
  /** NU1101: no package with this ID; NU1102: no version in range. */
  code: "NU1101" | "NU1102";
}

export interface ResolvedGraph {
  packages: ResolvedPackage[];
  unresolved: UnresolvedDependency[];
  /** Restore's errors (NU1101, NU1102, NU1107, NU1108, NU1605) and warnings (NU1603). */
  issues: Issue[];
}

export const DEFAULT_MAX_NODES = 200_000;

type Disposition = "acceptable" | "rejected" | "accepted" | "cycle" | "downgraded";

interface Dependency {
  id: string;
  idLower: string;
  range: VersionRange;
}

interface Item {
  /** idLower + "/" + normalised version: the identity NuGet's tracker compares. */
  key: string;
  id: string;
  idLower: string;
  /** The resolved version, or (for an unresolved item) the range's minimum. */
  version: NuGetVersion;
  resolved: boolean;
  /** Set for unresolved items: why. */
  missing: "NU1101" | "NU1102" | null;
  dependencies: Dependency[];
}

interface TreeNode {
  idLower: string;
  range: VersionRange;
  /** The dependency object in the parent item's list that made this node. */
  via: Dependency | null;
  parent: TreeNode | null;
  children: TreeNode[];
  depth: number;
  disposition: Disposition;
  /** Null for cycle and downgrade markers, which are never walked. */
  item: Item | null;
}

const ZERO = parseVersion("0.0.0");

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
  const group = nearestFramework(framework, candidate.dependencyGroups, (entry) => parseFramework(entry.targetFramework));
  if (!group) return [];
  return group.dependencies.flatMap((dependency) => {
    const range = readRange(dependency.range);
    return range ? [{ id: dependency.id, idLower: dependency.id.toLowerCase(), range }] : [];
  });
}

/** NuGet's RemoteDependencyWalker.IsGreaterThanOrEqualTo: does the nearer range ask for at least what the farther one does? */
function asksAtLeast(near: VersionRange, far: VersionRange): boolean {
  if (near.min === undefined) return true;
  if (far.min === undefined) return false;
  if (near.float?.behavior === "major") return true;
  if (far.float?.behavior === "major") return false;
  return compareVersions(near.min, far.min) >= 0;
}

/** What an ancestor says about adding `dependency` below `node`: nothing, an eclipse, a downgrade or a cycle. */
function walkParents(node: TreeNode, dependency: Dependency): "acceptable" | "eclipsed" | "downgraded" | "cycle" {
  let result: "acceptable" | "eclipsed" | "downgraded" | "cycle" = "acceptable";
  let child: TreeNode = node;
  for (let ancestor = node.parent; ancestor !== null && result === "acceptable"; child = ancestor, ancestor = ancestor.parent) {
    if (ancestor.idLower === dependency.idLower) {
      result = "cycle";
      break;
    }
    const nearer = ancestor.item?.dependencies.find((candidate) => candidate !== child.via && candidate.idLower === dependency.idLower);
    if (nearer) result = asksAtLeast(nearer.range, dependency.range) ? "eclipsed" : "downgraded";
  }
  // A package depending on itself is a cycle whatever its ancestors say.
  return dependency.idLower === node.idLower ? "cycle" : result;
}

class Walker {
  private readonly items = new Map<string, Item>();
  /** Item per ID and range: the same dependency recurs along many paths. */
  private readonly matches = new Map<string, Item>();
  private readonly known = new Map<string, PackageVersions | null>();
  private nodeCount = 0;

  constructor(private readonly request: ResolveRequest) {}

  private countNode(): void {
    this.nodeCount += 1;
    if (this.nodeCount > (this.request.maxNodes ?? DEFAULT_MAX_NODES)) {
      throw new IssueError(
        "DEPENDENCY_GRAPH_TOO_LARGE",
        `The dependency graph has more than ${(this.request.maxNodes ?? DEFAULT_MAX_NODES).toLocaleString("en-US")} paths to walk; it is too large to resolve here.`,
      );
    }
  }

  private async load(idsLower: Iterable<string>): Promise<void> {
    const wanted = [...new Set(idsLower)].filter((id) => !this.known.has(id));
    if (wanted.length === 0) return;
    const found = await this.request.versionsOf(wanted);
    for (const id of wanted) this.known.set(id, found.get(id) ?? null);
  }

  private itemFor(dependency: Dependency): Item {
    const matchKey = `${dependency.idLower} ${formatVersionRange(dependency.range)}`;
    const matched = this.matches.get(matchKey);
    if (matched) return matched;
    const item = this.createItem(dependency);
    this.matches.set(matchKey, item);
    return item;
  }

  private createItem(dependency: Dependency): Item {
    const available = this.known.get(dependency.idLower) ?? null;
    const best = available ? findBestMatch(dependency.range, available.versions.map((candidate) => ({ ...candidate.version, candidate }))) : null;
    const version = best ?? dependency.range.min ?? ZERO;
    const key = `${dependency.idLower}/${normalizeVersion(version).toLowerCase()}${best ? "" : "?"}`;
    const existing = this.items.get(key);
    if (existing) return existing;
    const item: Item = {
      key,
      id: available?.id ?? dependency.id,
      idLower: dependency.idLower,
      version,
      resolved: best !== null,
      missing: best ? null : available ? "NU1102" : "NU1101",
      dependencies: best ? dependenciesFor(best.candidate, this.request.framework) : [],
    };
    this.items.set(key, item);
    return item;
  }

  /** Builds the walk tree breadth first, loading each level's IDs in one lookup. */
  async walk(): Promise<TreeNode> {
    const projectItem: Item = {
      key: "",
      id: "",
      idLower: "",
      version: ZERO,
      resolved: true,
      missing: null,
      dependencies: this.request.references.map((reference) => ({ id: reference.id, idLower: reference.id.toLowerCase(), range: reference.range })),
    };
    const root: TreeNode = { idLower: "", range: ANY_VERSION_RANGE, via: null, parent: null, children: [], depth: 0, disposition: "acceptable", item: projectItem };
    let level = [root];
    while (level.length > 0) {
      const planned = level.map((node) => ({
        node,
        outcomes: (node.item?.dependencies ?? []).map((dependency) => ({ dependency, result: node === root ? ("acceptable" as const) : walkParents(node, dependency) })),
      }));
      await this.load(planned.flatMap(({ outcomes }) => outcomes.filter((outcome) => outcome.result === "acceptable").map((outcome) => outcome.dependency.idLower)));
      const next: TreeNode[] = [];
      for (const { node, outcomes } of planned) {
        // Markers first, then walked children: the order NuGet's walker adds them in.
        for (const { dependency, result } of outcomes) {
          if (result !== "cycle" && result !== "downgraded") continue;
          this.countNode();
          node.children.push({ idLower: dependency.idLower, range: dependency.range, via: dependency, parent: node, children: [], depth: node.depth + 1, disposition: result, item: null });
        }
        for (const { dependency, result } of outcomes) {
          if (result !== "acceptable") continue;
          this.countNode();
          const child: TreeNode = { idLower: dependency.idLower, range: dependency.range, via: dependency, parent: node, children: [], depth: node.depth + 1, disposition: "acceptable", item: this.itemFor(dependency) };
          node.children.push(child);
          next.push(child);
        }
      }
      level = next;
    }
    return root;
  }
}

/** Breadth-first visit with a state handed from each node to its children (NuGet's GraphOperations.ForEach). */
function forEachNode<S>(root: TreeNode, state: S, visit: (node: TreeNode, state: S) => S): void {
  const queue: Array<[TreeNode, S]> = [[root, state]];
  for (let index = 0; index < queue.length; index += 1) {
    const [node, inherited] = queue[index] as [TreeNode, S];
    const passed = visit(node, inherited);
    for (const child of node.children) queue.push([child, passed]);
  }
}

function pathOf(node: TreeNode): string {
  const names: string[] = [];
  for (let current: TreeNode | null = node; current !== null && current.parent !== null; current = current.parent) {
    names.unshift(current.item ? `${current.item.id} ${normalizeVersion(current.item.version)}` : `${current.via?.id ?? current.idLower} ${describeVersionRange(current.range)}`);
  }
  return names.join(" -> ");
}

interface Downgrade {
  from: TreeNode;
  to: TreeNode;
}

function detach(node: TreeNode): void {
  node.parent?.children.splice(node.parent.children.indexOf(node), 1);
}

/**
 * Records and removes cycle and downgrade markers as the walk meets them (GraphOperations.
 * CheckCycleAndNearestWins); a downgrade is charged to the nearest-to-root node that asks for less.
 */
function takeMarkers(root: TreeNode): { cycles: TreeNode[]; downgrades: Downgrade[] } {
  const cycles: TreeNode[] = [];
  const downgrades = new Map<TreeNode, TreeNode>();
  forEachNode(root, 0, (node) => {
    if (node.disposition === "cycle") {
      cycles.push(node);
      detach(node);
    } else if (node.disposition === "downgraded") {
      for (let ancestor = node.parent; ancestor !== null; ancestor = ancestor.parent) {
        for (const side of ancestor.children) {
          if (side === node || side.idLower !== node.idLower) continue;
          if (!asksAtLeast(side.range, node.range)) downgrades.set(node, side);
          else downgrades.delete(node);
        }
      }
      detach(node);
    }
    return 0;
  });
  return { cycles, downgrades: [...downgrades].map(([from, to]) => ({ from, to })) };
}

interface TrackerEntry {
  versions: Map<string, NuGetVersion>;
  ambiguous: boolean;
}

/** Accepts and rejects cousins until every node is decided (GraphOperations.TryResolveConflicts). */
function resolveCousins(root: TreeNode): Map<string, TreeNode> {
  const accepted = new Map<string, TreeNode>();
  let undecided = true;
  for (let patience = 1000; undecided && patience > 0; patience -= 1) {
    const tracker = new Map<string, TrackerEntry>();
    const entry = (item: Item) => {
      let found = tracker.get(item.idLower);
      if (!found) tracker.set(item.idLower, (found = { versions: new Map(), ambiguous: false }));
      return found;
    };
    forEachNode(root, true, (node, standing) => {
      if (!standing || node.disposition === "rejected") {
        node.disposition = "rejected";
        return false;
      }
      if (node.item) entry(node.item).versions.set(node.item.key, node.item.version);
      return true;
    });
    forEachNode<"walking" | "rejected" | "ambiguous">(root, "walking", (node, state) => {
      if (node.disposition === "rejected" || !node.item) return "rejected";
      if (state === "walking" && entry(node.item).versions.size > 1) return "ambiguous";
      if (state === "ambiguous") entry(node.item).ambiguous = true;
      return state;
    });
    forEachNode(root, true, (node, standing) => {
      if (!standing || node.disposition === "rejected" || !node.item) return false;
      const tracked = entry(node.item);
      if (tracked.ambiguous) return false;
      if (node.disposition === "acceptable") {
        const item = node.item;
        const best = [...tracked.versions.values()].every((known) => compareVersions(item.version, known) >= 0);
        node.disposition = best ? "accepted" : "rejected";
        if (best) accepted.set(node.idLower, node);
      }
      return node.disposition === "accepted";
    });
    undecided = false;
    forEachNode(root, 0, (node) => {
      if (node.disposition === "acceptable") undecided = true;
      return 0;
    });
  }
  return accepted;
}

function display(node: TreeNode): string {
  return node.item?.id ?? node.via?.id ?? node.idLower;
}

function describeIssues(root: TreeNode, accepted: Map<string, TreeNode>, cycles: TreeNode[], downgrades: Downgrade[]): Issue[] {
  const issues: Issue[] = [];
  for (const cycle of cycles) issues.push(error("NU1108", `Cycle detected: ${pathOf(cycle.parent as TreeNode)} -> ${display(cycle)} ${describeVersionRange(cycle.range)}.`));
  for (const { from, to } of downgrades) {
    if (to.disposition !== "accepted" || !to.item || !from.parent) continue;
    issues.push(
      error(
        "NU1605",
        `Detected package downgrade: ${display(from)} from ${describeVersionRange(from.range)} to ${normalizeVersion(to.item.version)}: ${pathOf(from.parent)} -> ${display(from)} ${describeVersionRange(from.range)}, but ${pathOf(to)}.`,
      ),
    );
  }
  forEachNode(root, 0, (node) => {
    if (node.disposition !== "accepted") return 0;
    for (const child of node.children) {
      const chosen = accepted.get(child.idLower);
      if (!chosen || chosen === child || !chosen.item?.resolved || satisfies(child.range, chosen.item.version)) continue;
      issues.push(
        error(
          "NU1107",
          `Version conflict detected for ${display(child)}: ${pathOf(node)} asks for ${describeVersionRange(child.range)}, but ${normalizeVersion(chosen.item.version)} was chosen through ${pathOf(chosen)}.`,
        ),
      );
    }
    return 0;
  });
  return issues;
}

/** Resolves the project's graph; throws DEPENDENCY_GRAPH_TOO_LARGE beyond `maxNodes` walk nodes. */
export async function resolveGraph(request: ResolveRequest): Promise<ResolvedGraph> {
  const root = await new Walker(request).walk();
  const { cycles, downgrades } = takeMarkers(root);
  const accepted = resolveCousins(root);
  const issues = describeIssues(root, accepted, cycles, downgrades);

  const packages = new Map<string, ResolvedPackage>();
  const unresolved = new Map<string, UnresolvedDependency>();
  forEachNode(root, 0, (node) => {
    if (node.disposition !== "accepted" || !node.item || node === root) return 0;
    const requirement: Requirement = { parent: node.parent === root ? null : (node.parent?.idLower ?? null), range: node.range };
    const item = node.item;
    if (!item.resolved) {
      const known = unresolved.get(item.idLower);
      if (known) known.requestedBy.push(requirement);
      else unresolved.set(item.idLower, { id: item.id, idLower: item.idLower, range: node.range, depth: node.depth, requestedBy: [requirement], code: item.missing ?? "NU1101" });
      return 0;
    }
    const known = packages.get(item.idLower);
    const dependencies = node.children.filter((child) => child.disposition === "accepted" && child.item?.resolved).map((child) => child.idLower);
    if (known) {
      known.requestedBy.push(requirement);
      for (const dependency of dependencies) if (!known.dependencies.includes(dependency)) known.dependencies.push(dependency);
    } else {
      packages.set(item.idLower, { id: item.id, idLower: item.idLower, version: item.version, depth: node.depth, requestedBy: [requirement], dependencies });
    }
    const range = node.range;
    if (range.min && range.minInclusive && !range.float && compareVersions(range.min, item.version) !== 0) {
      issues.push(warning("NU1603", `${pathOf(node.parent as TreeNode) || "The project"} depends on ${item.id} (${formatVersionRange(range)}) but ${item.id} ${normalizeVersion(range.min)} was not found; ${item.id} ${normalizeVersion(item.version)} was resolved instead.`));
    }
    return 0;
  });
  for (const missing of unresolved.values()) {
    issues.push(
      error(
        missing.code,
        missing.code === "NU1101"
          ? `Unable to find package ${missing.id}: no package with this ID exists on the source.`
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

function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.code}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
