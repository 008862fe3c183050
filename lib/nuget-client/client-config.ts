// What a consumer pastes to use this gallery: the source URL, `dotnet nuget add source`, a
// nuget.config whose <packageSourceMapping> sends reserved IDs to this gallery only, and install
// commands that name the source. Package source mapping is what stops a reserved ID from
// quietly resolving from another source (say, a look-alike on nuget.org): with it, NuGet
// fetches an ID only from the sources whose most specific pattern matches it.

import { displayReservationPattern, matchReservations } from "@/lib/validation/rules/prefix-reservation";
import { FeedUrls } from "./urls";

export const NUGET_ORG_SOURCE = { name: "nuget.org", serviceIndexUrl: "https://api.nuget.org/v3/index.json" } as const;

export interface FeedSource {
  serviceIndexUrl: string;
  /** The key the snippets give the source: the gallery's host name. */
  name: string;
  /** Served over plain HTTP, which NuGet refuses unless the source allows it (NU1302). */
  insecure: boolean;
}

export function feedSource(origin: string): FeedSource {
  const url = new URL(origin);
  return {
    serviceIndexUrl: new FeedUrls(url.origin).serviceIndex(),
    name: url.hostname,
    insecure: url.protocol === "http:",
  };
}

export function addSourceCommand(source: FeedSource): string {
  return `dotnet nuget add source ${source.serviceIndexUrl} -n ${source.name}${source.insecure ? " --allow-insecure-connections" : ""}`;
}

export function addPackageCommand(source: FeedSource, packageId: string, version: string): string {
  return `dotnet add package ${packageId} --version ${version} --source ${source.serviceIndexUrl}`;
}

export function packageReferenceElement(packageId: string, version: string): string {
  return `<PackageReference Include="${escapeXml(packageId)}" Version="${escapeXml(version)}" />`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/**
 * A nuget.config that keeps nuget.org for everything else and maps the patterns (reserved
 * prefixes such as "Contoso.*", or whole IDs) to this gallery alone.
 */
export function sourceMappingConfig(source: FeedSource, patterns: readonly string[]): string {
  const insecure = source.insecure ? ' allowInsecureConnections="true"' : "";
  const name = escapeXml(source.name);
  return [
    "<configuration>",
    "  <packageSources>",
    `    <add key="${NUGET_ORG_SOURCE.name}" value="${NUGET_ORG_SOURCE.serviceIndexUrl}" />`,
    `    <add key="${name}" value="${escapeXml(source.serviceIndexUrl)}"${insecure} />`,
    "  </packageSources>",
    "  <packageSourceMapping>",
    `    <packageSource key="${NUGET_ORG_SOURCE.name}">`,
    '      <package pattern="*" />',
    "    </packageSource>",
    `    <packageSource key="${name}">`,
    ...patterns.map((pattern) => `      <package pattern="${escapeXml(pattern)}" />`),
    "    </packageSource>",
    "  </packageSourceMapping>",
    "</configuration>",
  ].join("\n");
}

interface ReservationPattern {
  pattern: string;
  isPrefix: boolean;
}

/** Every reservation as a mapping pattern, for the gallery as a whole. */
export function reservationPatterns(reservations: readonly ReservationPattern[]): string[] {
  return [...new Set(reservations.map((reservation) => displayReservationPattern(reservation)))].sort();
}

/** The patterns that keep one package here: the reservations covering its ID, else the ID itself. */
export function packageMappingPatterns(packageId: string, reservations: readonly ReservationPattern[]): string[] {
  const covering = matchReservations(packageId, reservations);
  return covering.length > 0 ? reservationPatterns(covering) : [packageId];
}
