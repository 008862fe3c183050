"use client";
// Registering certificates: the file (picked, dropped or pasted as PEM) is parsed and checked
// in the browser with the same code the server runs, so the author sees the subject, the
// SHA-256 fingerprint and any problem before submitting. The server checks again regardless.

import { useState } from "react";
import { DeleteWithConfirmation } from "@/app/_components/DeleteWithConfirmation";
import { FileDropZone } from "@/app/_components/FileDropZone";
import { useStepUpFetch } from "@/app/_components/StepUp";
import { DistinguishedName } from "@/app/_components/packages/DistinguishedName";
import { Fingerprint } from "@/app/_components/packages/Fingerprint";
import { Time } from "@/app/_components/packages/Time";
import { displayFingerprint } from "@/lib/certificates/fingerprint";
import { formatDistinguishedName } from "@/lib/signing/distinguished-name";
import {
  inspectCertificateFile,
  MAX_CERTIFICATE_FILE_BYTES,
  type CertificateInspection,
} from "@/lib/certificates/inspect";
import type { RegisteredCertificate } from "@/lib/certificates/registry";
import type { ChainTrust } from "@/lib/signing/chain-trust";
import { STATUS_LABELS } from "@/lib/certificates/status";
import { IssueList } from "@/app/_components/IssueList";
import { failureIssues, readResponseJson } from "@/app/_components/api-errors";
import { useRegisteredList } from "./use-registered-list";
import type { Issue } from "@/lib/issues";

const API = "/api/account/certificates";

function base64Of(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

type StepUpFetch = ReturnType<typeof useStepUpFetch>;

interface Registered {
  certificate: RegisteredCertificate;
  /** Whether a registered file chains to a trusted root (absent for fingerprints). */
  trust?: ChainTrust;
}

async function submit(
  stepUpFetch: StepUpFetch,
  body: { file: string } | { fingerprint: string },
): Promise<Registered | Issue[]> {
  const response = await stepUpFetch(API, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = await readResponseJson(response);
  if (response.ok) return json as Registered;
  return failureIssues(response.status, json);
}

function Preview({ inspection }: { inspection: CertificateInspection }) {
  if (!inspection.summary) return null;
  return (
    <dl
      aria-label="Certificate preview"
      className="grid grid-cols-1 gap-x-4 gap-y-1 rounded bg-slate-50 p-3 text-sm sm:grid-cols-[9rem_1fr]"
    >
      <dt className="text-slate-500">Subject</dt>
      <dd data-preview="subject" className="min-w-0">
        <DistinguishedName value={inspection.summary.subject} />
      </dd>
      <dt className="text-slate-500">Issuer</dt>
      <dd className="min-w-0">
        <DistinguishedName value={inspection.summary.issuer} />
      </dd>
      <dt className="text-slate-500">SHA-256</dt>
      <dd data-preview="fingerprint" className="min-w-0">
        <Fingerprint hex={inspection.summary.sha256Fingerprint} />
      </dd>
      <dt className="text-slate-500">Valid</dt>
      <dd>
        <Time value={inspection.summary.notBefore} dateOnly /> to <Time value={inspection.summary.notAfter} dateOnly />
      </dd>
    </dl>
  );
}

function FileRegistration({ onRegistered }: { onRegistered: (certificate: RegisteredCertificate) => void }) {
  const [trust, setTrust] = useState<ChainTrust | null>(null);
  const [bytes, setBytes] = useState<Uint8Array | null>(null);
  const [fileName, setFileName] = useState("");
  const [pem, setPem] = useState("");
  const [inspection, setInspection] = useState<CertificateInspection | null>(null);
  const [serverIssues, setServerIssues] = useState<Issue[]>([]);
  const [busy, setBusy] = useState(false);
  const stepUpFetch = useStepUpFetch();

  async function choose(selected: Uint8Array, name: string) {
    setBytes(selected);
    setFileName(name);
    setServerIssues([]);
    setInspection(await inspectCertificateFile(selected, new Date()));
  }

  async function chooseFile(file: File) {
    setPem("");
    await choose(new Uint8Array(await file.arrayBuffer()), file.name);
  }

  async function register() {
    if (!bytes) return;
    setBusy(true);
    const result = await submit(stepUpFetch, { file: base64Of(bytes) });
    setBusy(false);
    if (Array.isArray(result)) {
      setServerIssues(result);
      return;
    }
    onRegistered(result.certificate);
    setTrust(result.trust ?? null);
    setBytes(null);
    setFileName("");
    setPem("");
    setInspection(null);
  }

  const blocked = !bytes || busy || (inspection?.issues.length ?? 0) > 0;
  return (
    <section aria-labelledby="upload-heading" className="space-y-3 rounded border border-slate-200 p-5">
      <h2 id="upload-heading" className="text-lg font-medium">
        Register a certificate file
      </h2>
      <FileDropZone
        prompt="Drop a .cer (DER) or .pem file here, or"
        buttonLabel="Choose a certificate file"
        accept=".cer,.crt,.pem,.der"
        onFile={(file) => void chooseFile(file)}
        hint={`Up to ${MAX_CERTIFICATE_FILE_BYTES.toLocaleString("en-US")} bytes. Only the public certificate: never upload a .pfx with its private key.`}
      />
      <div className="space-y-1">
        <label htmlFor="certificate-pem" className="block text-sm font-medium">
          Or paste a PEM certificate
        </label>
        <textarea
          id="certificate-pem"
          value={pem}
          rows={4}
          placeholder="-----BEGIN CERTIFICATE-----"
          onChange={(event) => {
            setPem(event.target.value);
            if (event.target.value.trim()) void choose(new TextEncoder().encode(event.target.value), "pasted PEM");
            else setInspection(null);
          }}
          className="w-full rounded border border-slate-300 px-3 py-2 font-mono text-xs"
        />
      </div>
      {fileName ? <p className="text-sm text-slate-600">Selected: {fileName}</p> : null}
      {inspection ? <Preview inspection={inspection} /> : null}
      <IssueList
        issues={serverIssues.length > 0 ? serverIssues : (inspection?.issues ?? [])}
        label="Certificate problems"
        alert
      />
      {trust ? (
        <p
          role="status"
          data-trust={trust.status}
          className={`rounded p-3 text-sm ${trust.status === "trusted" ? "bg-green-50 text-green-900" : "bg-amber-50 text-amber-900"}`}
        >
          Registered; prove you hold its private key below. {trust.message}
        </p>
      ) : null}
      <button
        type="button"
        disabled={blocked}
        onClick={register}
        className="rounded bg-brand px-4 py-2 text-white hover:bg-brand-dark disabled:cursor-not-allowed disabled:opacity-50"
      >
        Register certificate
      </button>
    </section>
  );
}

function FingerprintRegistration({ onRegistered }: { onRegistered: (certificate: RegisteredCertificate) => void }) {
  const [fingerprint, setFingerprint] = useState("");
  const [issues, setIssues] = useState<Issue[]>([]);
  const stepUpFetch = useStepUpFetch();

  async function register() {
    const result = await submit(stepUpFetch, { fingerprint });
    if (Array.isArray(result)) {
      setIssues(result);
      return;
    }
    setIssues([]);
    setFingerprint("");
    onRegistered(result.certificate);
  }

  return (
    <section aria-labelledby="fingerprint-heading" className="space-y-3 rounded border border-slate-200 p-5">
      <h2 id="fingerprint-heading" className="text-lg font-medium">
        Register by SHA-256 fingerprint
      </h2>
      <p className="text-sm text-slate-600">
        If you do not have the certificate file at hand, register its fingerprint. Without the file we cannot check the
        certificate (code-signing usage, key size, expiry); its subject, issuer and validity appear once you push a
        package signed with it.
      </p>
      <label htmlFor="certificate-fingerprint" className="block text-sm font-medium">
        SHA-256 fingerprint
      </label>
      <input
        id="certificate-fingerprint"
        value={fingerprint}
        onChange={(event) => setFingerprint(event.target.value)}
        placeholder="64 hex digits; colons or spaces are fine"
        className="w-full rounded border border-slate-300 px-3 py-2 font-mono text-xs"
      />
      <IssueList issues={issues} label="Fingerprint problems" alert />
      <button
        type="button"
        disabled={!fingerprint.trim()}
        onClick={register}
        className="rounded bg-brand px-4 py-2 text-white hover:bg-brand-dark disabled:opacity-50"
      >
        Register fingerprint
      </button>
    </section>
  );
}

const STATUS_STYLES: Record<RegisteredCertificate["status"], string> = {
  unproven: "bg-amber-100 text-amber-900",
  pending: "bg-slate-100 text-slate-700",
  active: "bg-green-100 text-green-800",
  expiring: "bg-amber-100 text-amber-900",
  expired: "bg-red-100 text-red-800",
};

interface Challenge {
  id: string;
  expiresAt: string;
  packageFileName: string;
}

function base64OfFile(file: File): Promise<string> {
  return file.arrayBuffer().then((buffer) => base64Of(new Uint8Array(buffer)));
}

/** Getting a one-time challenge, the commands that sign it, and uploading the signed file. */
export function PossessionProof({
  challengeUrl,
  forIdentity = false,
  onProven,
}: {
  challengeUrl: string;
  forIdentity?: boolean;
  onProven: () => void;
}) {
  const [challenge, setChallenge] = useState<Challenge | null>(null);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [busy, setBusy] = useState(false);
  const stepUpFetch = useStepUpFetch();

  async function start() {
    setIssues([]);
    const response = await stepUpFetch(challengeUrl, { method: "POST" });
    const json = await readResponseJson(response);
    if (response.ok) setChallenge((json as { challenge: Challenge }).challenge);
    else setIssues(failureIssues(response.status, json));
  }

  async function upload(file: File) {
    if (!challenge) return;
    setBusy(true);
    const response = await stepUpFetch(`/api/account/challenges/${encodeURIComponent(challenge.id)}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ file: await base64OfFile(file) }),
    });
    setBusy(false);
    if (response.ok) {
      onProven();
      return;
    }
    setIssues(failureIssues(response.status, await readResponseJson(response)));
  }

  const download = challenge ? `/api/account/challenges/${encodeURIComponent(challenge.id)}` : "";
  return (
    <section aria-label="Prove possession" className="space-y-2 rounded bg-amber-50 p-3 text-sm">
      {forIdentity ? (
        <p>
          This identity lets packages through once you prove you hold the key of a current certificate of it: sign a
          one-time challenge with that certificate, its issuing CA certificate included, and upload the signed file.
          (The first package this gallery sees signed with a certificate of the identity also counts as the proof.)
        </p>
      ) : (
        <p>
          This certificate lets packages through once you prove you hold its private key: sign a one-time challenge with
          it and upload the signed file. (The first package this gallery ever sees signed with it also counts as the
          proof.)
        </p>
      )}
      {challenge ? (
        <div className="space-y-2">
          <p>
            Challenge valid until <Time value={challenge.expiresAt} />. Sign it one of two ways:
          </p>
          <ol className="list-decimal space-y-2 pl-5">
            <li>
              <a href={`${download}?format=nupkg`} className="text-accent underline">
                Download the challenge package
              </a>
              , then run{" "}
              <code data-command="dotnet" className="block break-all rounded bg-white p-2 text-xs">
                dotnet nuget sign {challenge.packageFileName} --certificate-path signing.pfx --certificate-password
                &lt;password&gt; --output signed
              </code>
              and upload <code>signed/{challenge.packageFileName}</code> (--certificate-fingerprint works instead of
              --certificate-path for a certificate in your store).
            </li>
            <li>
              <a href={`${download}?format=txt`} className="text-accent underline">
                Download challenge.txt
              </a>
              , then run{" "}
              <code data-command="openssl" className="block break-all rounded bg-white p-2 text-xs">
                openssl cms -sign -binary -in challenge.txt -signer certificate.pem -inkey key.pem{" "}
                {forIdentity ? "-certfile issuing-ca.pem " : ""}-md sha256 -outform DER -out challenge.p7s
              </code>
              and upload <code>challenge.p7s</code> (a detached signature; -nodetach works too).
            </li>
          </ol>
          <label className="block font-medium">
            Signed file
            <input
              type="file"
              aria-label="Signed challenge"
              disabled={busy}
              onChange={(event) => event.target.files?.[0] && void upload(event.target.files[0])}
              className="mt-1 block text-sm"
            />
          </label>
        </div>
      ) : (
        <button type="button" onClick={start} className="rounded bg-brand px-3 py-1 text-white hover:bg-brand-dark">
          Get a challenge
        </button>
      )}
      <IssueList issues={issues} label="Proof problems" alert />
    </section>
  );
}

export const PROOF_WORDS = {
  CHALLENGE: "by signing a challenge",
  FIRST_PUSH: "by the first push signed with it",
} as const;

/** Without `onRemoved` the row is read-only (an admin looking at someone else's account). */
function CertificateRow({
  certificate,
  onRemoved,
  onProven,
}: {
  certificate: RegisteredCertificate;
  onRemoved?: (id: string) => void;
  onProven?: () => void;
}) {
  const [copied, setCopied] = useState(false);
  const fingerprint = displayFingerprint(certificate.sha256Fingerprint);

  async function copy() {
    await navigator.clipboard.writeText(fingerprint);
    setCopied(true);
  }

  return (
    <li
      aria-label={certificate.subject ? formatDistinguishedName(certificate.subject) : "Details pending"}
      className="space-y-2 rounded border border-slate-200 p-4"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="min-w-0 font-medium">
          {certificate.subject ? <DistinguishedName value={certificate.subject} /> : "Details pending"}
        </h3>
        <span
          data-status={certificate.status}
          className={`rounded px-2 py-0.5 text-xs font-medium ${STATUS_STYLES[certificate.status]}`}
        >
          {STATUS_LABELS[certificate.status]}
        </span>
      </div>
      <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[9rem_1fr]">
        <dt className="text-slate-500">Issuer</dt>
        <dd className="min-w-0">
          {certificate.issuer ? <DistinguishedName value={certificate.issuer} /> : "Details pending"}
        </dd>
        <dt className="text-slate-500">SHA-256</dt>
        <dd className="flex flex-wrap items-center gap-2">
          <Fingerprint hex={certificate.sha256Fingerprint} />
          <button
            type="button"
            onClick={copy}
            className="rounded border border-slate-300 px-2 py-0.5 text-xs hover:border-accent"
          >
            {copied ? "Copied" : "Copy fingerprint"}
          </button>
        </dd>
        <dt className="text-slate-500">Valid</dt>
        <dd>
          {certificate.notBefore && certificate.notAfter ? (
            <>
              <Time value={certificate.notBefore} dateOnly /> to <Time value={certificate.notAfter} dateOnly />
            </>
          ) : (
            "Known once you push a package signed with this certificate."
          )}
        </dd>
        <dt className="text-slate-500">Possession</dt>
        <dd data-proof={certificate.provenBy ?? "none"}>
          {certificate.provenBy && certificate.provenAt ? (
            <>
              Proven {PROOF_WORDS[certificate.provenBy]} <Time value={certificate.provenAt} />.
            </>
          ) : (
            "Not proven yet."
          )}
          {certificate.otherRegistrations > 0
            ? ` ${certificate.otherRegistrations} other ${certificate.otherRegistrations === 1 ? "account has" : "accounts have"} registered this certificate too; each proves possession on its own.`
            : ""}
        </dd>
      </dl>
      {certificate.firstSeenIssues && certificate.firstSeenIssues.length > 0 ? (
        <IssueList issues={certificate.firstSeenIssues} label="Checks when first seen in a package" />
      ) : null}
      {certificate.provenBy === null && certificate.status !== "expired" && onProven ? (
        <PossessionProof challengeUrl={`${API}/${encodeURIComponent(certificate.id)}/challenge`} onProven={onProven} />
      ) : null}
      {onRemoved ? (
        <DeleteWithConfirmation
          url={`${API}/${encodeURIComponent(certificate.id)}`}
          action="remove"
          onDeleted={() => onRemoved(certificate.id)}
        >
          After removal, packages you push signed with this certificate are refused unless another owner of the package
          has registered it. Packages already published stay as they are.
        </DeleteWithConfirmation>
      ) : null}
    </li>
  );
}

export function CertificateManager({
  initialCertificates,
  editable,
  trustedRoots,
}: {
  initialCertificates: RegisteredCertificate[];
  editable: boolean;
  trustedRoots: string[];
}) {
  const { entries: certificates, add, remove, reload } = useRegisteredList(initialCertificates, API, "certificates");
  const count = `${certificates.length} ${certificates.length === 1 ? "certificate" : "certificates"}`;
  return (
    <div className="space-y-6">
      <section aria-labelledby="registered-heading" className="space-y-3">
        <h2 id="registered-heading" className="text-lg font-medium">
          Registered: {count}
        </h2>
        {certificates.length === 0 ? (
          <p className="text-sm text-slate-600">
            No certificates yet. Until you register one, signed packages you push are refused.
          </p>
        ) : (
          <ul aria-label="Registered certificates" className="space-y-3">
            {certificates.map((certificate) => (
              <CertificateRow
                key={certificate.id}
                certificate={certificate}
                onRemoved={editable ? remove : undefined}
                onProven={editable ? () => void reload() : undefined}
              />
            ))}
          </ul>
        )}
      </section>
      {editable ? (
        <>
          <FileRegistration onRegistered={add} />
          <FingerprintRegistration onRegistered={add} />
        </>
      ) : null}
      <details className="rounded border border-slate-200 p-4 text-sm">
        <summary className="cursor-pointer font-medium">
          Roots this gallery trusts for code signing ({trustedRoots.length})
        </summary>
        <p className="mt-2 text-slate-600">
          A signing certificate must chain to one of these. If yours does not, packages signed with it are refused
          (NU3018): use a certificate from one of these CAs, or ask the gallery&apos;s administrators to trust your
          root.
        </p>
        <ul className="mt-2 max-h-64 list-disc overflow-auto pl-5 text-xs">
          {trustedRoots.map((subject) => (
            <li key={subject}>
              <DistinguishedName value={subject} />
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}
