"use client";
// The upload page's steps: choose (pick or drop) -> upload with a progress bar -> the server's
// preview -> Submit or Cancel -> the verdict. The browser checks only what it can know without
// reading the package (name, emptiness, size limit); the server judges everything, twice: at
// preview and again at submit, since owners, certificates or reservations may change between.

import Link from "next/link";
import { useRef, useState } from "react";
import { FileDropZone } from "@/app/_components/FileDropZone";
import { RegisterCertificateButton } from "@/app/_components/RegisterCertificateButton";
import type { Issue } from "@/lib/issues";
import { formatSize } from "@/lib/validation/rules/wording";
import { problemWithFile } from "./file-checks";
import { IssueList, errorsOf, warningsOf } from "@/app/_components/IssueList";
import { PackagePreviewView } from "./_components/PackagePreviewView";
import type { UploadPreview } from "./preview-model";
import {
  UploadRequestError,
  cancelPreview,
  sendPackageForPreview,
  submitPreview,
  type UploadProgress,
} from "./upload-client";

type Stage =
  | { kind: "choosing"; notice?: string }
  | { kind: "uploading"; fileName: string; progress: UploadProgress }
  | { kind: "checking"; fileName: string }
  | { kind: "preview"; preview: UploadPreview; busy: boolean; problem?: string }
  | { kind: "accepted"; packageId: string; version: string; warnings: Issue[] }
  | { kind: "refused"; issues: Issue[] }
  | { kind: "failed"; message: string; issues: Issue[] };

function percentOf({ loaded, total }: UploadProgress): number {
  return total === 0 ? 0 : Math.floor((loaded / total) * 100);
}

function ProgressBar({
  fileName,
  progress,
  onStop,
}: {
  fileName: string;
  progress: UploadProgress;
  onStop: () => void;
}) {
  const percent = percentOf(progress);
  return (
    <section aria-label="Upload progress" className="space-y-2 rounded border border-slate-200 p-5">
      <p className="text-sm">Uploading {fileName}</p>
      <div
        role="progressbar"
        aria-label="Upload progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}%`}
        className="h-3 w-full overflow-hidden rounded bg-slate-200"
      >
        <div className="h-full bg-accent transition-[width]" style={{ width: `${percent}%` }} />
      </div>
      <p data-progress-text className="text-sm text-slate-600">
        {percent}% ({formatSize(progress.loaded)} of {formatSize(progress.total)})
      </p>
      <button type="button" onClick={onStop} className="rounded border border-slate-300 px-3 py-1 text-sm">
        Stop upload
      </button>
    </section>
  );
}

function FilePicker({ maxBytes, onFile }: { maxBytes: number; onFile: (file: File) => void }) {
  return (
    <FileDropZone
      prompt="Drop a .nupkg file here, or"
      buttonLabel="Choose a package file"
      accept=".nupkg"
      emphasis="primary"
      onFile={onFile}
      hint={`Up to ${formatSize(maxBytes)}. Nothing is published until you check the preview and submit.`}
    />
  );
}

function Verdict({
  stage,
  onAnother,
}: {
  stage: Extract<Stage, { kind: "accepted" | "refused" | "failed" }>;
  onAnother: () => void;
}) {
  const another = (
    <button type="button" onClick={onAnother} className="rounded border border-slate-300 px-3 py-1 text-sm">
      Upload another package
    </button>
  );
  if (stage.kind === "accepted") {
    const href = `/packages/${encodeURIComponent(stage.packageId)}/${encodeURIComponent(stage.version)}`;
    return (
      <section
        role="status"
        aria-label="Upload accepted"
        className="space-y-3 rounded border border-green-300 bg-green-50 p-5"
      >
        <h2 className="text-lg font-medium text-green-900">
          {stage.packageId} {stage.version} is published
        </h2>
        <p>
          <Link href={href}>View the package page</Link>
        </p>
        {stage.warnings.length > 0 ? <IssueList issues={stage.warnings} label="Warnings" /> : null}
        {another}
      </section>
    );
  }
  const title = stage.kind === "refused" ? "The package was refused" : "The upload did not go through";
  return (
    <section role="alert" aria-label={title} className="space-y-3 rounded border border-red-300 bg-red-50 p-5">
      <h2 className="text-lg font-medium text-red-900">{title}</h2>
      {stage.kind === "refused" ? (
        <p>Nothing was published; the upload is kept for an administrator to review. The reasons:</p>
      ) : null}
      {stage.kind === "failed" && stage.issues.length === 0 ? <p>{stage.message}</p> : null}
      <IssueList issues={stage.kind === "refused" ? errorsOf(stage.issues) : stage.issues} label="Reasons" />
      <p>
        Every upload and its reasons are kept on <Link href="/account/uploads">My uploads</Link>.
      </p>
      {another}
    </section>
  );
}

export function PackageUploader({ maxBytes }: { maxBytes: number }) {
  const [stage, setStage] = useState<Stage>({ kind: "choosing" });
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const upload = useRef<AbortController | null>(null);

  function failed(error: unknown): Stage {
    if (error instanceof UploadRequestError) return { kind: "failed", message: error.message, issues: error.issues };
    return { kind: "failed", message: "The request failed; check your connection and try again.", issues: [] };
  }

  async function send(file: File) {
    const problem = problemWithFile(file, maxBytes);
    setFileProblem(problem);
    if (problem) return;
    const controller = new AbortController();
    upload.current = controller;
    setStage({ kind: "uploading", fileName: file.name, progress: { loaded: 0, total: file.size } });
    try {
      const preview = await sendPackageForPreview(
        file,
        (progress) =>
          setStage(
            progress.loaded >= progress.total
              ? { kind: "checking", fileName: file.name }
              : { kind: "uploading", fileName: file.name, progress },
          ),
        controller.signal,
      );
      setStage({ kind: "preview", preview, busy: false });
    } catch (error) {
      setStage(
        controller.signal.aborted
          ? { kind: "choosing", notice: "The upload was stopped; nothing was kept." }
          : failed(error),
      );
    }
  }

  async function submit(preview: UploadPreview) {
    setStage({ kind: "preview", preview, busy: true });
    try {
      const result = await submitPreview(preview.attemptId);
      setStage(
        result.status === "accepted"
          ? {
              kind: "accepted",
              packageId: result.packageVersion.packageId,
              version: result.packageVersion.version,
              warnings: warningsOf(result.issues),
            }
          : { kind: "refused", issues: result.issues },
      );
    } catch (error) {
      setStage(failed(error));
    }
  }

  async function cancel(preview: UploadPreview) {
    setStage({ kind: "preview", preview, busy: true });
    try {
      await cancelPreview(preview.attemptId);
      setStage({ kind: "choosing", notice: "The upload was cancelled and its file deleted." });
    } catch (error) {
      setStage({
        kind: "preview",
        preview,
        busy: false,
        problem: error instanceof Error ? error.message : "The upload could not be cancelled.",
      });
    }
  }

  switch (stage.kind) {
    case "choosing":
      return (
        <div className="space-y-3">
          {stage.notice ? (
            <p role="status" className="text-sm text-slate-700">
              {stage.notice}
            </p>
          ) : null}
          <FilePicker maxBytes={maxBytes} onFile={(file) => void send(file)} />
          {fileProblem ? (
            <p
              role="alert"
              data-file-problem
              className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900"
            >
              {fileProblem}
            </p>
          ) : null}
        </div>
      );
    case "uploading":
      return <ProgressBar fileName={stage.fileName} progress={stage.progress} onStop={() => upload.current?.abort()} />;
    case "checking":
      return (
        <p role="status" className="rounded border border-slate-200 p-5">
          {stage.fileName} is uploaded; checking its contents and signature…
        </p>
      );
    case "preview": {
      const { preview } = stage;
      const actions = preview.unregisteredSignerFingerprint
        ? {
            SIGNER_NOT_REGISTERED: (
              <RegisterCertificateButton
                fingerprint={preview.unregisteredSignerFingerprint}
                then="Upload the package again to publish it."
              />
            ),
          }
        : undefined;
      if (preview.refused) {
        return (
          <div className="space-y-6">
            <section
              role="alert"
              aria-label="The package was refused"
              className="space-y-2 rounded border border-red-300 bg-red-50 p-5"
            >
              <h2 className="text-lg font-medium text-red-900">The package was refused</h2>
              <p>
                Nothing was published. The upload is recorded as refused on{" "}
                <Link href={`/account/uploads/${preview.attemptId}`}>My uploads</Link>, with its file kept for an
                administrator to review. Fix the reasons below and upload the package again.
              </p>
              <button
                type="button"
                onClick={() => setStage({ kind: "choosing" })}
                className="rounded border border-slate-300 bg-white px-3 py-1 text-sm"
              >
                Upload another package
              </button>
            </section>
            <PackagePreviewView preview={preview} actions={actions} />
          </div>
        );
      }
      const blocked = errorsOf(preview.issues).length > 0;
      return (
        <div className="space-y-6">
          <PackagePreviewView preview={preview} actions={actions} />
          {stage.problem ? <p role="alert">{stage.problem}</p> : null}
          <div className="flex flex-wrap items-center gap-3">
            <button
              type="button"
              disabled={blocked || stage.busy}
              onClick={() => void submit(stage.preview)}
              className="rounded bg-brand px-4 py-2 text-white hover:bg-brand-dark disabled:cursor-not-allowed disabled:opacity-50"
            >
              Submit
            </button>
            <button
              type="button"
              disabled={stage.busy}
              onClick={() => void cancel(stage.preview)}
              className="rounded border border-slate-300 px-4 py-2"
            >
              Cancel
            </button>
            {blocked ? (
              <span className="text-sm text-slate-600">Fix the problems above and upload the package again.</span>
            ) : null}
          </div>
        </div>
      );
    }
    default:
      return <Verdict stage={stage} onAnother={() => setStage({ kind: "choosing" })} />;
  }
}
