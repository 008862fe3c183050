// Cycles among lib/'s top-level parts: each folder directly under lib/ is one part (its
// subfolders included), and so is each file directly under lib/ (lib/config.ts). Part A depends
// on part B when a module in A imports one in B. Test files under lib/ count too: a unit test sits
// beside its code and may import only its own layer or below; a test that exercises a module
// together with the layers that use it is an integration test and lives under test/ (outside lib/,
// so not a part). A cycle is reported as a strongly connected component with the imports that tie
// it together, so the message says which import to move or invert. dependency-cruiser's own folder
// scope does not fit this: it compares exact directories (lib/a against lib/b/sub) and leaves files
// directly under lib/ out.

export interface CruisedModule {
  source: string;
  dependencies: ReadonlyArray<{ resolved: string }>;
}

export interface PartImport {
  from: string;
  to: string;
  /** The module-level imports behind this part-level edge, "importer → imported". */
  imports: string[];
}

export interface FolderCycle {
  /** The parts of one strongly connected component, sorted. */
  parts: string[];
  /** Every edge between two of those parts. */
  edges: PartImport[];
}

const TOP_LEVEL_PART = /^lib\/[^/]+/;

export function topLevelPart(path: string): string | null {
  return TOP_LEVEL_PART.exec(path)?.[0] ?? null;
}

export function folderCycles(modules: Iterable<CruisedModule>): FolderCycle[] {
  const edges = new Map<string, Map<string, string[]>>();
  for (const cruisedModule of modules) {
    const from = topLevelPart(cruisedModule.source);
    if (from === null) continue;
    for (const { resolved } of cruisedModule.dependencies) {
      const to = topLevelPart(resolved);
      if (to === null || to === from) continue;
      const targets = edges.get(from) ?? new Map<string, string[]>();
      edges.set(from, targets);
      targets.set(to, [...(targets.get(to) ?? []), `${cruisedModule.source} → ${resolved}`]);
    }
  }
  return stronglyConnected(edges)
    .filter((component) => component.length > 1)
    .map((component) => {
      const parts = [...component].sort();
      const inside = new Set(parts);
      const tying = parts.flatMap((from) =>
        [...(edges.get(from) ?? [])]
          .filter(([to]) => inside.has(to))
          .map(([to, imports]) => ({ from, to, imports: [...new Set(imports)].sort() })),
      );
      return { parts, edges: tying };
    })
    .sort((a, b) => a.parts[0]!.localeCompare(b.parts[0]!));
}

/** Tarjan's algorithm, iterative (the graph is small, but recursion depth should not depend on it). */
function stronglyConnected(edges: ReadonlyMap<string, ReadonlyMap<string, unknown>>): string[][] {
  const nodes = new Set<string>();
  for (const [from, targets] of edges) {
    nodes.add(from);
    for (const to of targets.keys()) nodes.add(to);
  }
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: Array<{ node: string; targets: string[]; position: number }> = [];
    const visit = (node: string) => {
      index.set(node, index.size);
      lowLink.set(node, index.get(node)!);
      stack.push(node);
      onStack.add(node);
      work.push({ node, targets: [...(edges.get(node)?.keys() ?? [])], position: 0 });
    };
    visit(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const target = frame.targets[frame.position++];
      if (target !== undefined) {
        if (!index.has(target)) visit(target);
        else if (onStack.has(target)) lowLink.set(frame.node, Math.min(lowLink.get(frame.node)!, index.get(target)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) lowLink.set(parent.node, Math.min(lowLink.get(parent.node)!, lowLink.get(frame.node)!));
      if (lowLink.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component);
      }
    }
  }
  return components;
}

/** The cycles as error lines; `upward` marks the edges that break the intended layering. */
export function describeFolderCycles(
  cycles: readonly FolderCycle[],
  upward: (from: string, to: string) => boolean,
): string {
  return cycles
    .map(({ parts, edges }) =>
      [
        `  error no-folder-cycle: ${parts.join(", ")} reach each other through their imports:`,
        ...edges.map(
          ({ from, to, imports }) => `    ${upward(from, to) ? "UPWARD " : ""}${from} → ${to}: ${imports.join("; ")}`,
        ),
      ].join("\n"),
    )
    .join("\n\n");
}
