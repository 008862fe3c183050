// `dotnet nuget push` end to end: who is pushing (the API key, checked before a byte of the
// package is read), the package off the wire (multipart as the NuGet client sends it, or a raw
// body as nuget.org also accepts), then the one upload pipeline, and the answer NuGet expects.
import { authenticateApiKey, expiringKeyWarnings } from "@/lib/api-keys/registry";
import type { Db } from "@/lib/db";
import type { Issue } from "@/lib/issues";
import type { PackageStorage } from "@/lib/storage";
import { services } from "@/lib/services";
import {
  receiveMultipartPackage,
  receivePackageStream,
  submitPackage,
  type ReceivedPackage,
  type UploadOutcome,
} from "@/lib/uploads";
import { nugetRefusal, nugetWarningHeaders } from "./nuget-responses";
import { flatContainerPackagePath } from "./flat-container";
import { API_KEY_HEADER } from "./service-index";

export interface PushSettings {
  maxBytes: number;
  now?: Date;
}

function receivePushBody(request: Request, maxBytes: number): Promise<ReceivedPackage> {
  const multipart = /^multipart\/form-data\b/i.test(request.headers.get("content-type") ?? "");
  const options = { maxBytes, staging: services.staging };
  return multipart ? receiveMultipartPackage(request, options) : receivePackageStream(request.body, options);
}

/**
 * 201 with where the package can be downloaded, or the refusal with the first error's sentence.
 * `notices` are warnings about the request rather than the package (an expiring key).
 */
export function pushOutcomeResponse(outcome: UploadOutcome, notices: readonly Issue[] = []): Response {
  if (outcome.status === "rejected") return nugetRefusal(outcome.issues);
  const { packageId, version } = outcome.packageVersion;
  const location = flatContainerPackagePath(packageId, version);
  const issues = [...outcome.issues, ...notices];
  const headers = nugetWarningHeaders(issues);
  headers.set("Location", location);
  return Response.json(
    { attemptId: outcome.attemptId, packageId, version, download: location, issues },
    { status: 201, headers },
  );
}

/** Handles one push request; refusals are thrown as IssueErrors or answered from the outcome. */
export async function pushPackage(
  db: Db,
  storage: PackageStorage,
  request: Request,
  settings: PushSettings,
): Promise<Response> {
  const now = settings.now ?? new Date();
  const caller = await authenticateApiKey(db, request.headers.get(API_KEY_HEADER), now);
  const received = await receivePushBody(request, settings.maxBytes);
  // submitPackage always disposes of the staged file (published, quarantined or removed).
  const outcome = await submitPackage(db, storage, received, {
    ...services.judging(),
    uploaderId: caller.user.id,
    source: "API",
    apiKey: caller.grant,
    now,
    ...(caller.provenance ? { provenance: caller.provenance } : {}),
  });
  return pushOutcomeResponse(outcome, expiringKeyWarnings(caller.grant, now));
}
