// Refused uploads as the admin console lists and acts on them. Listing and the review actions
// themselves belong to the upload pipeline (lib/uploads); this module reads the console's
// filters from GET parameters, checks the actions' input, and streams quarantined files.
import { Readable } from "node:stream";
import { z } from "zod";
import type { Db } from "@/lib/db";
import { IssueError } from "@/lib/issues";
import type { PackageStorage } from "@/lib/storage";
import {
  getUploadAttempt,
  listUploadAttempts,
  type UploadAttemptDetail,
  type UploadAttemptPage,
  type UploadOutcome,
  type UploadStatusName,
} from "@/lib/uploads";
import { requiredReasonSchema } from "@/lib/audit";

export const REVIEW_STATUSES = [
  "REJECTED",
  "APPROVED",
  "DELETED",
  "ACCEPTED",
] as const satisfies readonly UploadStatusName[];
const STATUS_CHOICES = [...REVIEW_STATUSES, "all"] as const;
export type ReviewStatusChoice = (typeof STATUS_CHOICES)[number];

const DAY_MS = 24 * 60 * 60 * 1000;
const blankAsMissing = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const isoDay = z.preprocess(blankAsMissing, z.iso.date("Dates are written YYYY-MM-DD.").optional());
const text = z.preprocess(blankAsMissing, z.string().trim().max(200).optional());

/** The table's GET parameters, as the filter form sends them (blank fields are no filter). */
export const uploadFilterSchema = z.object({
  code: text,
  packageId: text,
  uploader: text,
  from: isoDay,
  to: isoDay,
  status: z.preprocess(
    blankAsMissing,
    z.enum(STATUS_CHOICES, "Choose one of the listed statuses.").default("REJECTED"),
  ),
  page: z.preprocess(blankAsMissing, z.coerce.number().int().min(1).max(100_000).default(1)),
});
export type UploadFilterParams = z.output<typeof uploadFilterSchema>;

export interface RejectedUploadList extends UploadAttemptPage {
  filter: UploadFilterParams;
  /** One sentence per unusable parameter; those parameters are ignored. */
  problems: string[];
}

/** Reads the parameters; an unusable one is reported and ignored, so the others still apply. */
export function readUploadFilter(params: Record<string, string | string[] | undefined>): {
  filter: UploadFilterParams;
  problems: string[];
} {
  const single = Object.fromEntries(
    Object.entries(params).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value]),
  );
  const parsed = uploadFilterSchema.safeParse(single);
  if (parsed.success) return { filter: parsed.data, problems: [] };
  const unusable = new Set(parsed.error.issues.map((issue) => String(issue.path[0])));
  // Every field is optional or defaulted, so without the unusable ones the parse succeeds.
  const filter = uploadFilterSchema.parse(
    Object.fromEntries(Object.entries(single).filter(([key]) => !unusable.has(key))),
  );
  return { filter, problems: parsed.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`) };
}

/** The attempts the filter selects; an uploader name nobody has selects nothing. */
export async function listUploadsForReview(
  db: Db,
  params: Record<string, string | string[] | undefined>,
): Promise<RejectedUploadList> {
  const { filter, problems } = readUploadFilter(params);
  const empty = { attempts: [], total: 0, page: filter.page, pageSize: 0, filter, problems };
  let uploaderId: string | undefined;
  if (filter.uploader) {
    const uploader = await db.user.findUnique({
      where: { username: filter.uploader.toLowerCase() },
      select: { id: true },
    });
    if (!uploader)
      return { ...empty, problems: [...problems, `uploader: no account has the username '${filter.uploader}'.`] };
    uploaderId = uploader.id;
  }
  const page = await listUploadAttempts(db, {
    status: filter.status === "all" ? [...REVIEW_STATUSES] : filter.status,
    ...(filter.code ? { issueCode: filter.code.toUpperCase() } : {}),
    ...(filter.packageId ? { packageId: filter.packageId } : {}),
    ...(uploaderId ? { uploaderId } : {}),
    ...(filter.from ? { from: new Date(`${filter.from}T00:00:00Z`) } : {}),
    // "to" names the last day included.
    ...(filter.to ? { to: new Date(new Date(`${filter.to}T00:00:00Z`).getTime() + DAY_MS) } : {}),
    page: filter.page,
  });
  return { ...page, filter, problems };
}

export async function getUploadForReview(db: Db, attemptId: string): Promise<UploadAttemptDetail> {
  const attempt = await getUploadAttempt(db, attemptId);
  // Previews are the uploader's own business until submitted.
  if (!attempt || attempt.status === "PREVIEW") throw new IssueError("UPLOAD_NOT_FOUND", "There is no such upload.");
  return attempt;
}

export const approveUploadSchema = z.object({ reason: requiredReasonSchema });
export const deleteUploadSchema = z.object({ reason: requiredReasonSchema });

export interface QuarantinedDownload {
  fileName: string;
  size: number;
  body: ReadableStream<Uint8Array>;
}

function downloadName(attempt: UploadAttemptDetail): string {
  const safe = (part: string) => part.replace(/[^A-Za-z0-9._+-]/g, "_");
  return attempt.packageId && attempt.version
    ? `${safe(attempt.packageId)}.${safe(attempt.version)}.nupkg`
    : `upload-${safe(attempt.id)}.nupkg`;
}

/** The kept file of a refused (or deleted-but-not-yet-removed) upload, streamed from storage. */
export async function openQuarantinedFile(
  db: Db,
  storage: PackageStorage,
  attemptId: string,
): Promise<QuarantinedDownload> {
  const attempt = await getUploadForReview(db, attemptId);
  if (!attempt.storageKey) {
    throw new IssueError(
      "UPLOAD_FILE_NOT_FOUND",
      "This upload's file is not kept: it was published, deleted, or only repeated an existing version.",
    );
  }
  const size = await storage.size(attempt.storageKey);
  const stream = await storage.get(attempt.storageKey);
  return { fileName: downloadName(attempt), size, body: Readable.toWeb(stream) as ReadableStream<Uint8Array> };
}

/** What the console says after a review action. */
export function outcomeMessage(outcome: UploadOutcome): string {
  if (outcome.status === "accepted") {
    return `Published as ${outcome.packageVersion.packageId} ${outcome.packageVersion.version}.`;
  }
  const errors = outcome.issues.filter((issue) => issue.level === "error").map((issue) => issue.code);
  return `Still refused (${errors.join(", ") || "no error codes"}); the upload stays in quarantine with the new issues.`;
}
