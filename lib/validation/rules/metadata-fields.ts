// Limits on the descriptive manifest fields, as nuget.org enforces them at push
// (PackageMetadataValidationService, "{0} must be {1} characters or less."): title 256,
// language 20, and 4,000 for authors, description, summary, copyright, tags and each URL.
// Additions of ours:
// - URLs that are not absolute http(s) URLs get a warning, because pages only link to web URLs
//   (nuget.org silently leaves such links out; a javascript: link must never be rendered);
// - dependency IDs must follow the package ID rules (nuget.org only caps their length), since a
//   dependency on an invalid ID can never be restored.

import { error, warning, type Issue } from "@/lib/issues";
import type { NuspecMetadata } from "@/lib/nuspec/metadata";
import { checkPackageId } from "./package-identity";

interface TextField {
  element: string;
  limit: number;
  value: (metadata: NuspecMetadata) => string | undefined;
}

const TEXT_FIELDS: readonly TextField[] = [
  { element: "title", limit: 256, value: (metadata) => metadata.title },
  { element: "authors", limit: 4000, value: (metadata) => metadata.authors.join(", ") },
  { element: "description", limit: 4000, value: (metadata) => metadata.description },
  { element: "summary", limit: 4000, value: (metadata) => metadata.summary },
  { element: "copyright", limit: 4000, value: (metadata) => metadata.copyright },
  { element: "tags", limit: 4000, value: (metadata) => metadata.tags.join(" ") },
  { element: "language", limit: 20, value: (metadata) => metadata.language },
  { element: "projectUrl", limit: 4000, value: (metadata) => metadata.projectUrl },
  { element: "licenseUrl", limit: 4000, value: (metadata) => metadata.licenseUrl },
  { element: "iconUrl", limit: 4000, value: (metadata) => metadata.iconUrl },
];

interface UrlField {
  name: string;
  value: (metadata: NuspecMetadata) => string | undefined;
}

const URL_FIELDS: readonly UrlField[] = [
  { name: "projectUrl", value: (metadata) => metadata.projectUrl },
  { name: "licenseUrl", value: (metadata) => metadata.licenseUrl },
  { name: "iconUrl", value: (metadata) => metadata.iconUrl },
  { name: "repository url", value: (metadata) => metadata.repository?.url },
];

/** True for an absolute http: or https: URL: the only kind a page may turn into a link. */
export function isWebUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const { protocol } = new URL(text);
  return protocol === "http:" || protocol === "https:";
}

function lengthIssues(metadata: NuspecMetadata): Issue[] {
  return TEXT_FIELDS.flatMap(({ element, limit, value }) => {
    const length = value(metadata)?.length ?? 0;
    if (length <= limit) return [];
    return [
      error(
        "NUSPEC_FIELD_TOO_LONG",
        `The nuspec's <${element}> is ${length.toLocaleString("en-US")} characters long; at most ${limit.toLocaleString("en-US")} are allowed.`,
      ),
    ];
  });
}

function urlIssues(metadata: NuspecMetadata): Issue[] {
  return URL_FIELDS.flatMap(({ name, value }) => {
    const url = value(metadata);
    if (url === undefined || isWebUrl(url)) return [];
    return [
      warning(
        "NUSPEC_URL_NOT_WEB",
        `The ${name} '${url}' is not an http or https URL, so the gallery will not link to it.`,
      ),
    ];
  });
}

function dependencyIdIssues(metadata: NuspecMetadata): Issue[] {
  const ids = new Set(
    metadata.dependencyGroups.flatMap((group) => group.dependencies.map((dependency) => dependency.id)),
  );
  return [...ids].flatMap((id) =>
    checkPackageId(id, "dependency").map((issue) => error("DEPENDENCY_ID_INVALID", issue.message)),
  );
}

/** Field-length errors, non-web URL warnings and invalid dependency IDs, all at once. */
export function checkMetadataFields(metadata: NuspecMetadata): Issue[] {
  return [...lengthIssues(metadata), ...urlIssues(metadata), ...dependencyIdIssues(metadata)];
}
