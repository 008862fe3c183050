"use client";
// Verify a copy in the browser: drop a .nupkg (sent as the request body, nothing kept) or paste
// its SHA-512, and read what the gallery says it is, who signed it and what NuGet does with it.
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { FileDropZone } from "@/app/_components/FileDropZone";
import { Fingerprint } from "@/app/_components/packages/Fingerprint";
import { packageHref } from "@/app/_components/packages/links";
import { VerdictTable } from "@/app/_components/policy/VerdictTable";
import type { CopyAnswer, CopyAnswerKind } from "@/lib/copies/verify-copy";
import { failureMessage, readResponseJson } from "@/app/_components/api-errors";

const VERIFY_API = "/api/verify";

const KINDS: Record<CopyAnswerKind, { title: string; className: string }> = {
  identical: { title: "Identical to the published file", className: "border-green-300 bg-green-50 text-green-950" },
  "author-upload": { title: "The author's upload", className: "border-green-300 bg-green-50 text-green-950" },
  "same-contents": {
    title: "Same contents, different signatures",
    className: "border-amber-300 bg-amber-50 text-amber-950",
  },
  rezipped: { title: "Same files, different archive", className: "border-amber-300 bg-amber-50 text-amber-950" },
  tampered: { title: "Changed", className: "border-red-300 bg-red-50 text-red-950" },
  unknown: { title: "Nothing to compare with", className: "border-slate-300 bg-slate-50 text-slate-900" },
  unreadable: { title: "Not a readable package", className: "border-red-300 bg-red-50 text-red-950" },
};

type State =
  | { status: "idle" }
  | { status: "checking"; what: string }
  | { status: "answered"; answer: CopyAnswer }
  | { status: "failed"; message: string };

async function ask(request: Promise<Response>): Promise<State> {
  try {
    const response = await request;
    const body = await readResponseJson(response);
    const answer = response.ok ? (body as { answer?: CopyAnswer } | null)?.answer : undefined;
    if (answer) return { status: "answered", answer };
    return { status: "failed", message: failureMessage(response.status, body) };
  } catch {
    return { status: "failed", message: "The gallery could not be reached; check your connection and try again." };
  }
}

function Answer({ answer }: { answer: CopyAnswer }) {
  const kind = KINDS[answer.kind];
  const differences = answer.differences;
  return (
    <section aria-labelledby="answer-heading" data-answer={answer.kind} className="space-y-4">
      <div className={`rounded border p-4 ${kind.className}`}>
        <h2 id="answer-heading" className="text-lg font-semibold">
          {kind.title}
        </h2>
        <p>{answer.sentence}</p>
        {answer.package ? (
          <p className="mt-1 text-sm">
            <Link href={packageHref(answer.package.id, answer.package.version)}>
              {answer.package.id} {answer.package.version} on this gallery
            </Link>
          </p>
        ) : null}
      </div>
      {differences && differences.changed.length + differences.added.length + differences.removed.length > 0 ? (
        <dl className="grid grid-cols-[6rem_1fr] gap-x-3 gap-y-1 text-sm" aria-label="What differs">
          {(["changed", "added", "removed"] as const).map((part) =>
            differences[part].length > 0 ? (
              <div key={part} className="contents">
                <dt className="text-slate-500 capitalize">{part}</dt>
                <dd className="break-all">{differences[part].join(", ")}</dd>
              </div>
            ) : null,
          )}
        </dl>
      ) : null}
      {answer.signature ? (
        <dl className="grid grid-cols-[10rem_1fr] gap-x-3 gap-y-1 text-sm" aria-label="Signatures">
          <dt className="text-slate-500">Author signature</dt>
          <dd className="min-w-0">
            {answer.signature.signerName ? (
              <>
                {answer.signature.signerName}
                {answer.signature.signerFingerprint ? (
                  <>
                    {" "}
                    (SHA-256 <Fingerprint hex={answer.signature.signerFingerprint} />)
                  </>
                ) : null}
              </>
            ) : (
              "none"
            )}
          </dd>
          <dt className="text-slate-500">Repository signature</dt>
          <dd>
            {answer.signature.repositoryName
              ? `${answer.signature.repositoryName}${answer.signature.repositoryServiceIndexUrl ? ` (${answer.signature.repositoryServiceIndexUrl})` : ""}`
              : "none"}
          </dd>
          <dt className="text-slate-500">Verification</dt>
          <dd>
            {answer.signature.status}
            {answer.signature.issues
              .filter((issue) => issue.level === "error")
              .map((issue) => (
                <span key={`${issue.code}${issue.message}`} className="block text-red-800">
                  {issue.code}: {issue.message}
                </span>
              ))}
          </dd>
        </dl>
      ) : null}
      {answer.verdicts ? (
        <VerdictTable verdicts={answer.verdicts} caption="What NuGet does with this copy under each consumer policy" />
      ) : null}
      <p className="text-xs break-all text-slate-500">SHA-512: {answer.sha512}</p>
    </section>
  );
}

export function VerifyCopy({ maxBytesText }: { maxBytesText: string }) {
  const [state, setState] = useState<State>({ status: "idle" });
  const [hash, setHash] = useState("");

  async function checkFile(file: File) {
    setState({ status: "checking", what: file.name });
    setState(
      await ask(
        fetch(VERIFY_API, { method: "POST", headers: { "content-type": "application/octet-stream" }, body: file }),
      ),
    );
  }

  async function checkHash(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setState({ status: "checking", what: "the hash" });
    setState(await ask(fetch(`${VERIFY_API}?sha512=${encodeURIComponent(hash.trim())}`)));
  }

  return (
    <div className="space-y-6">
      <FileDropZone
        prompt="Drop a .nupkg file here, or"
        buttonLabel="Choose a package"
        accept=".nupkg"
        onFile={checkFile}
        hint={`Up to ${maxBytesText}. The file is compared and discarded; nothing is kept.`}
        emphasis="primary"
      />
      <form onSubmit={checkHash} className="flex flex-wrap items-end gap-2 text-sm">
        <label className="flex min-w-0 flex-1 flex-col gap-1">
          <span>Or its SHA-512 (hex or base64)</span>
          <input
            name="sha512"
            value={hash}
            onChange={(event) => setHash(event.target.value)}
            spellCheck={false}
            autoComplete="off"
            className="rounded border border-slate-300 px-2 py-1 font-mono text-xs"
          />
        </label>
        <button type="submit" className="rounded border border-slate-300 bg-white px-3 py-1 hover:border-accent">
          Look up
        </button>
      </form>
      <div aria-live="polite">
        {state.status === "checking" ? <p>Checking {state.what}…</p> : null}
        {state.status === "failed" ? (
          <p role="alert" className="text-red-800">
            {state.message}
          </p>
        ) : null}
        {state.status === "answered" ? <Answer answer={state.answer} /> : null}
      </div>
    </div>
  );
}
