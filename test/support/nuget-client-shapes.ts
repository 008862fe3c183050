// The JSON the NuGet client deserialises from a V3 feed, as zod schemas: each mirrors a model
// class of NuGet.Protocol (NuGet/NuGet.Client, src/NuGet.Core/NuGet.Protocol/Model and
// JsonProperties), with the property names and types the client reads. Unknown properties are
// allowed (and kept, for the caller to check), as Newtonsoft and System.Text.Json ignore them. A document that fails these would
// fail (or silently lose data) in the client. Versions and ranges must also parse as NuGet
// parses them (NuGetVersion.Parse, VersionRange.Parse), which the schemas check with the
// gallery's own parsers (themselves checked against NuGet.Versioning).
import { z } from "zod";
import { parseVersion } from "@/lib/versioning/version";

const nugetVersion = z.string().refine((text) => {
  try {
    parseVersion(text);
    return true;
  } catch {
    return false;
  }
}, "not a NuGet version");

/** NuGet's VersionRange.Parse accepts interval notation and bare versions; "(, )" is any version. */
const versionRange = z.string().regex(/^(\(, \)|[[(][^,\])]*(, ?[^\])]*)?[\])]|[0-9][^ ]*)$/);

const uri = z.string().url();
/** MetadataFieldConverter / MetadataStringOrArrayConverter: a string or an array of strings. */
const stringOrArray = z.union([z.string(), z.array(z.string())]);
/** DateTimeOffset as Newtonsoft reads it. */
const timestamp = z.string().refine((text) => !Number.isNaN(Date.parse(text)), "not a timestamp");
/** A SHA-512 in base64, as NuGet writes packageHash: 88 characters with padding. */
const sha512Base64 = z.string().regex(/^[A-Za-z0-9+/]{86}==$/);

/** PackageDependencyGroupConverter: targetFramework (NuGetFramework.Parse), dependencies [{ id, range }]. */
export const packageDependencyGroup = z.looseObject({
  targetFramework: z.string().optional(),
  dependencies: z.array(z.looseObject({ id: z.string().min(1), range: versionRange.optional() })).optional(),
});

/** PackageSearchMetadata (and PackageSearchMetadataRegistration, which adds @id). */
const packageSearchMetadata = z.looseObject({
  authors: stringOrArray.optional(),
  dependencyGroups: z.array(packageDependencyGroup).optional(),
  description: z.string().optional(),
  totalDownloads: z.number().int().nonnegative().optional(),
  iconUrl: uri.optional(),
  licenseUrl: uri.optional(),
  owners: stringOrArray.optional(),
  id: z.string().min(1),
  projectUrl: uri.optional(),
  published: timestamp.optional(),
  requireLicenseAcceptance: z.boolean().optional(),
  summary: z.string().optional(),
  tags: stringOrArray.optional(),
  title: z.string().optional(),
  version: nugetVersion,
  verified: z.boolean().optional(),
  licenseExpression: z.string().optional(),
  listed: z.boolean().optional(),
  deprecation: z.looseObject({ message: z.string().optional(), reasons: z.array(z.string()) }).optional(),
  vulnerabilities: z.array(z.looseObject({ advisoryUrl: uri, severity: z.number().int() })).optional(),
});

export const catalogEntry = packageSearchMetadata.extend({ "@id": uri });

/** RegistrationLeafItem. */
export const registrationLeafItem = z.looseObject({ "@id": uri, catalogEntry, packageContent: uri });

/** RegistrationPage: items may be left out of an index's page, then @id is fetched for them. */
export const registrationPage = z.looseObject({
  "@id": uri,
  count: z.number().int().positive(),
  items: z.array(registrationLeafItem).optional(),
  lower: nugetVersion,
  upper: nugetVersion,
});

/** RegistrationIndex. */
export const registrationIndex = z.looseObject({
  count: z.number().int().positive(),
  items: z.array(registrationPage).min(1),
});

/** The registration leaf document (docs: Registration leaf). */
export const registrationLeafDocument = z.looseObject({
  "@id": uri,
  listed: z.boolean().optional(),
  packageContent: uri.optional(),
  published: timestamp.optional(),
  registration: uri.optional(),
});

/** VersionInfo: a search result's versions. */
const versionInfo = z.looseObject({ version: nugetVersion, downloads: z.number().int().nonnegative(), "@id": uri });

/** V3SearchResults with PackageSearchMetadata items. */
export const searchResults = z.looseObject({
  totalHits: z.number().int().nonnegative(),
  data: z.array(
    packageSearchMetadata.extend({
      versions: z.array(versionInfo),
      registration: uri.optional(),
      packageTypes: z.array(z.looseObject({ name: z.string() })).optional(),
    }),
  ),
});

/** AutoCompleteModel. */
export const autocompleteResults = z.looseObject({
  totalHits: z.number().int().nonnegative().optional(),
  data: z.array(z.string()),
});

/** ServiceIndexModel / ServiceIndexEntry. */
export const serviceIndexDocument = z.looseObject({
  version: z.string(),
  resources: z.array(
    z.looseObject({
      "@id": uri,
      "@type": z.string(),
      comment: z.string().optional(),
      clientVersion: nugetVersion.optional(),
    }),
  ),
});

/** The gallery's own `signet:signature` property (docs/feed.md). */
export const signetSignature = z.strictObject({
  status: z.enum(["signed", "unsigned", "invalid"]),
  trusted: z.boolean(),
  author: z
    .strictObject({
      subject: z.string().nullable(),
      sha256Fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
      provenSigningTime: timestamp,
      provenSigningTimeSource: z.enum(["timestamp", "received"]),
      certificateCompromisedAt: timestamp.nullable(),
    })
    .nullable(),
  repositorySigned: z.boolean(),
  repository: z
    .strictObject({
      subject: z.string(),
      sha256Fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
      serviceIndexUrl: z.string().nullable(),
    })
    .nullable(),
  publishedSha512: sha512Base64,
  uploadedSha512: sha512Base64,
});
