// Dependency groups as the package page and the upload preview list them: one group per target
// framework, each dependency with a human range ("≥ 1.0.0 && < 2.0.0") and, when the gallery has
// that ID, the ID as the gallery spells it for the link. Reads PackageVersion.dependencyGroups,
// the JSON the upload pipeline stores (storedDependencyGroups): [{ targetFramework?,
// dependencies: [{ id, range? }] }], where range is NuGet range text.

import { z } from "zod";
import { frameworkShortName, parseFramework } from "@/lib/graph/frameworks";
import { IssueError } from "@/lib/issues";
import type { NuspecMetadata } from "@/lib/nuspec/metadata";
import { ANY_VERSION_RANGE, describeVersionRange, formatVersionRange, parseVersionRange } from "@/lib/versioning/range";

const storedGroups = z.array(
  z.object({
    targetFramework: z.string().nullish(),
    dependencies: z.array(z.object({ id: z.string(), range: z.string().nullish() })),
  }),
);

export type StoredDependencyGroups = z.infer<typeof storedGroups>;

/** The group heading for dependencies that apply to every target framework. */
export const ALL_FRAMEWORKS = "All frameworks";

export interface DependencyView {
  id: string;
  /** "≥ 1.0.0", "= 2.1.0", "any version"; the stored text when it is not a range we can read. */
  range: string;
  /** The ID as the gallery has it, when the gallery has it (for a link); null otherwise. */
  galleryId: string | null;
}

export interface DependencyGroupView {
  /** ALL_FRAMEWORKS for a group without a target framework. */
  targetFramework: string;
  dependencies: DependencyView[];
}

/** A manifest's dependency groups as the upload pipeline stores them. */
export function storedDependencyGroups(metadata: NuspecMetadata): StoredDependencyGroups {
  return metadata.dependencyGroups.map((group) => ({
    targetFramework: group.targetFramework ?? null,
    dependencies: group.dependencies.map((dependency) => ({
      id: dependency.id,
      range: formatVersionRange(dependency.range),
    })),
  }));
}

/** The stored JSON, or no groups at all when it does not have the expected shape. */
export function readDependencyGroups(json: string): StoredDependencyGroups {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return [];
  }
  const parsed = storedGroups.safeParse(value);
  return parsed.success ? parsed.data : [];
}

/**
 * The target frameworks a version's dependency groups name, as NuGet's short folder names
 * (net8.0, netstandard2.0, net472), each once, in the manifest's order. A group without a
 * framework ("any") and a name NuGet would not read are left out.
 */
export function declaredFrameworks(groups: StoredDependencyGroups): string[] {
  const names = groups
    .map((group) => parseFramework(group.targetFramework))
    .filter((framework) => framework !== null && framework.family !== "any")
    .map((framework) => frameworkShortName(framework!));
  return [...new Set(names)];
}

// What storedDependencyGroups writes for a dependency the manifest gives no version; the range
// parser, which reads dependency ranges as NuGet restore does, refuses this text.
const ANY_VERSION_TEXT = formatVersionRange(ANY_VERSION_RANGE);

export function humanRange(range: string | null | undefined): string {
  if (!range || range.trim() === "" || range === ANY_VERSION_TEXT) return "any version";
  try {
    return describeVersionRange(parseVersionRange(range));
  } catch (failure) {
    if (failure instanceof IssueError) return range;
    throw failure;
  }
}

/** Every dependency ID in lower case, to ask the database which of them the gallery has. */
export function dependencyIdsLower(groups: StoredDependencyGroups): string[] {
  return [...new Set(groups.flatMap((group) => group.dependencies.map((dependency) => dependency.id.toLowerCase())))];
}

/** `galleryIds`: lower-case ID to the gallery's spelling, for the IDs the gallery has (none in an upload preview). */
export function dependencyGroupViews(
  groups: StoredDependencyGroups,
  galleryIds: ReadonlyMap<string, string> = new Map(),
): DependencyGroupView[] {
  return groups.map((group) => ({
    targetFramework: group.targetFramework || ALL_FRAMEWORKS,
    dependencies: group.dependencies.map((dependency) => ({
      id: dependency.id,
      range: humanRange(dependency.range),
      galleryId: galleryIds.get(dependency.id.toLowerCase()) ?? null,
    })),
  }));
}
