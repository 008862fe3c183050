// Where each V3 document lives, built in one place: the service index announces these bases and
// the documents link to each other with absolute URLs under the gallery's public origin. IDs
// and versions in URLs are lower case (versions normalised), as NuGet clients build them.

/**
 * The registration hives (RegistrationsBaseUrl): the same documents three times, under the
 * names nuget.org gives them. The plain hive and /3.4.0 leave out SemVer 2 versions, which
 * older clients cannot parse. (The "gz" hives are gzip-encoded by the server for clients that
 * accept it: lib/feed/feed-response.ts.)
 */
export const REGISTRATION_HIVES = {
  registration: { semVer2: false },
  "registration-gz-semver1": { semVer2: false },
  "registration-gz-semver2": { semVer2: true },
} as const satisfies Record<string, { semVer2: boolean }>;

export type RegistrationHiveName = keyof typeof REGISTRATION_HIVES;

export interface RegistrationHive {
  name: RegistrationHiveName;
  semVer2: boolean;
}

export function findRegistrationHive(name: string): RegistrationHive | null {
  return Object.hasOwn(REGISTRATION_HIVES, name)
    ? { name: name as RegistrationHiveName, ...REGISTRATION_HIVES[name as RegistrationHiveName] }
    : null;
}

export const PACKAGE_PUBLISH_PATH = "/api/v2/package";
export const FLAT_CONTAINER_PATH = "/v3-flatcontainer/";
export const SEARCH_PATH = "/v3/search";
export const AUTOCOMPLETE_PATH = "/v3/autocomplete";

const segment = (text: string) => encodeURIComponent(text.toLowerCase());

/** Absolute URLs of the feed's documents under one public origin. */
export class FeedUrls {
  constructor(readonly origin: string) {}

  serviceIndex(): string {
    return `${this.origin}/v3/index.json`;
  }

  packagePublish(): string {
    return `${this.origin}${PACKAGE_PUBLISH_PATH}`;
  }

  registrationBase(hive: RegistrationHiveName): string {
    return `${this.origin}/v3/${hive}/`;
  }

  registrationIndex(hive: RegistrationHiveName, packageId: string): string {
    return `${this.registrationBase(hive)}${segment(packageId)}/index.json`;
  }

  registrationPage(hive: RegistrationHiveName, packageId: string, lower: string, upper: string): string {
    return `${this.registrationBase(hive)}${segment(packageId)}/page/${segment(lower)}/${segment(upper)}.json`;
  }

  registrationLeaf(hive: RegistrationHiveName, packageId: string, version: string): string {
    return `${this.registrationBase(hive)}${segment(packageId)}/${segment(version)}.json`;
  }

  flatContainerBase(): string {
    return `${this.origin}${FLAT_CONTAINER_PATH}`;
  }

  packageContent(packageId: string, version: string): string {
    const id = segment(packageId);
    const lower = segment(version);
    return `${this.flatContainerBase()}${id}/${lower}/${id}.${lower}.nupkg`;
  }

  search(): string {
    return `${this.origin}${SEARCH_PATH}`;
  }

  autocomplete(): string {
    return `${this.origin}${AUTOCOMPLETE_PATH}`;
  }

  /** PackageDetailsUriTemplate/5.1.0: the package page, {id} and {version} filled in by the client. */
  packageDetailsTemplate(): string {
    return `${this.origin}/packages/{id}/{version}`;
  }
}
