// Reading upload attempts for "My uploads" and the admin console: filtered, paged lists and one
// attempt in full, with the stored JSON turned back into typed issues and reports.

import { z } from "zod";
import type { Db } from "@/lib/db";
import { isIssueCode, type Issue, type IssueCode } from "@/lib/issues";
import type { SignatureReport } from "@/lib/signing";
import type { UploadSourceName, UploadStatusName } from "./publish";

export interface UploadAttemptFilter {
  uploaderId?: string;
  status?: UploadStatusName | readonly UploadStatusName[];
  /** Attempts with at least one issue of this code. */
  issueCode?: string;
  /** A part of the package ID, in any case. */
  packageId?: string;
  /** createdAt >= from and < to. */
  from?: Date;
  to?: Date;
  /** 1-based. */
  page?: number;
  pageSize?: number;
}

export interface UploadAttemptSummary {
  id: string;
  uploaderId: string;
  uploaderUsername: string;
  source: UploadSourceName;
  status: UploadStatusName;
  packageId: string | null;
  version: string | null;
  fileSize: number;
  issues: Issue[];
  createdAt: Date;
  decidedAt: Date | null;
  /** Set once published (ACCEPTED or APPROVED). */
  packageVersionId: string | null;
}

export interface UploadAttemptDetail extends UploadAttemptSummary {
  sha512: string | null;
  storageKey: string | null;
  signatureReport: SignatureReport | null;
  nuspecXml: string | null;
  reviewerId: string | null;
  reviewerUsername: string | null;
  reviewReason: string | null;
}

export interface UploadAttemptPage {
  attempts: UploadAttemptSummary[];
  total: number;
  page: number;
  pageSize: number;
}

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

const storedIssues = z.array(
  z.object({
    code: z.custom<IssueCode>((code) => typeof code === "string" && isIssueCode(code)),
    level: z.enum(["error", "warning"]),
    message: z.string(),
  }),
);

/**
 * Issues as stored; a row that does not hold a valid list (written by hand, say, or naming a code
 * the catalogue does not have) reads as none.
 */
export function parseStoredIssues(json: string): Issue[] {
  try {
    const parsed = storedIssues.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

function parseStoredReport(json: string | null): SignatureReport | null {
  // Only the upload pipeline writes this column, from a SignatureReport.
  return json === null ? null : (JSON.parse(json) as SignatureReport);
}

// Issue lists are stored as JSON.stringify writes them, so a code appears as this exact text.
function issueCodeNeedle(code: string): string {
  return JSON.stringify({ code }).slice(1, -1);
}

function whereOf(filter: UploadAttemptFilter) {
  const statuses =
    filter.status === undefined ? undefined : typeof filter.status === "string" ? [filter.status] : [...filter.status];
  return {
    ...(filter.uploaderId ? { uploaderId: filter.uploaderId } : {}),
    ...(statuses ? { status: { in: statuses } } : {}),
    ...(filter.issueCode ? { issues: { contains: issueCodeNeedle(filter.issueCode) } } : {}),
    ...(filter.packageId ? { packageIdLower: { contains: filter.packageId.toLowerCase() } } : {}),
    ...(filter.from || filter.to
      ? { createdAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } }
      : {}),
  };
}

const SUMMARY_FIELDS = {
  id: true,
  uploaderId: true,
  source: true,
  status: true,
  packageId: true,
  version: true,
  fileSize: true,
  issues: true,
  createdAt: true,
  decidedAt: true,
  packageVersionId: true,
  uploader: { select: { username: true } },
} as const;

interface SummaryRow {
  id: string;
  uploaderId: string;
  source: UploadSourceName;
  status: UploadStatusName;
  packageId: string | null;
  version: string | null;
  fileSize: number;
  issues: string;
  createdAt: Date;
  decidedAt: Date | null;
  packageVersionId: string | null;
  uploader: { username: string };
}

function toSummary(row: SummaryRow): UploadAttemptSummary {
  const { uploader, issues, ...fields } = row;
  return { ...fields, uploaderUsername: uploader.username, issues: parseStoredIssues(issues) };
}

/** Attempts matching the filter, newest first. */
export async function listUploadAttempts(db: Db, filter: UploadAttemptFilter = {}): Promise<UploadAttemptPage> {
  const pageSize = Math.min(Math.max(Math.trunc(filter.pageSize ?? DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE);
  const page = Math.max(Math.trunc(filter.page ?? 1), 1);
  const where = whereOf(filter);
  const [rows, total] = await Promise.all([
    db.uploadAttempt.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * pageSize,
      take: pageSize,
      select: SUMMARY_FIELDS,
    }),
    db.uploadAttempt.count({ where }),
  ]);
  return { attempts: rows.map(toSummary), total, page, pageSize };
}

/** One attempt in full, or null when there is none with this id. */
export async function getUploadAttempt(db: Db, id: string): Promise<UploadAttemptDetail | null> {
  const row = await db.uploadAttempt.findUnique({
    where: { id },
    select: {
      ...SUMMARY_FIELDS,
      sha512: true,
      storageKey: true,
      signatureReport: true,
      nuspecXml: true,
      reviewerId: true,
      reviewReason: true,
      reviewer: { select: { username: true } },
    },
  });
  if (!row) return null;
  const { sha512, storageKey, signatureReport, nuspecXml, reviewerId, reviewReason, reviewer, ...summary } = row;
  return {
    ...toSummary(summary),
    sha512,
    storageKey,
    signatureReport: parseStoredReport(signatureReport),
    nuspecXml,
    reviewerId,
    reviewerUsername: reviewer?.username ?? null,
    reviewReason,
  };
}
