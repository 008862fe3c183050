// The browser side of the upload API. The package goes up with XMLHttpRequest rather than
// fetch because only XHR reports upload progress, which matters for packages of hundreds of MB.
import { failureMessage, isErrorBody, issuesOf, readResponseJson } from "@/app/_components/api-errors";
import type { Issue } from "@/lib/issues";
import type { UploadOutcome } from "@/lib/uploads";
import type { UploadPreview } from "./preview-model";

export const UPLOADS_API = "/api/uploads";

export interface UploadProgress {
  loaded: number;
  total: number;
}

/** A request that did not give the expected answer, worded for the page. */
export class UploadRequestError extends Error {
  constructor(
    message: string,
    readonly issues: Issue[] = [],
  ) {
    super(message);
    this.name = "UploadRequestError";
  }
}

function failureFrom(status: number, body: unknown): UploadRequestError {
  return new UploadRequestError(failureMessage(status, body), isErrorBody(body) ? issuesOf(body) : []);
}

/** Sends the file as multipart form data, reporting progress; resolves with the judged preview. */
export function sendPackageForPreview(
  file: File,
  onProgress: (progress: UploadProgress) => void,
  signal: AbortSignal,
): Promise<UploadPreview> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", UPLOADS_API);
    request.responseType = "json";
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress({ loaded: event.loaded, total: event.total });
    };
    request.onload = () => {
      const body: unknown = request.response;
      if (request.status === 201 && typeof body === "object" && body !== null && "preview" in body)
        resolve((body as { preview: UploadPreview }).preview);
      else reject(failureFrom(request.status, body));
    };
    // The server stops reading an oversized body, which the browser may see as a dropped connection.
    request.onerror = () =>
      reject(
        new UploadRequestError(
          "The connection closed before the server answered. Check the file's size and your connection, then try again.",
        ),
      );
    request.onabort = () => reject(new UploadRequestError("The upload was stopped."));
    signal.addEventListener("abort", () => request.abort(), { once: true });
    const form = new FormData();
    form.append("package", file, file.name);
    request.send(form);
  });
}

/**
 * The pipeline's outcome, accepted or refused (a refusal lists the judgement's issues); anything
 * else (gone, already submitted) throws.
 */
export async function submitPreview(attemptId: string): Promise<UploadOutcome> {
  const response = await fetch(`${UPLOADS_API}/${encodeURIComponent(attemptId)}/submit`, { method: "POST" });
  const body = await readResponseJson(response);
  if (response.status === 201) return body as UploadOutcome;
  if (isErrorBody(body) && body.issues) return { status: "rejected", attemptId, issues: body.issues };
  throw failureFrom(response.status, body);
}

export async function cancelPreview(attemptId: string): Promise<void> {
  const response = await fetch(`${UPLOADS_API}/${encodeURIComponent(attemptId)}`, { method: "DELETE" });
  if (!response.ok) throw failureFrom(response.status, await readResponseJson(response));
}
