"use client";
// Signer identities on the Certificates page: for short-lived certificates (Azure Trusted Signing's
// live about three days) the account registers what stays the same (the issuing CA by fingerprint,
// plus the Trusted Signing identity EKU or stable subject fields) once; each concrete certificate
// a published version was signed with is listed under it.

import { useState } from "react";
import { DeleteWithConfirmation } from "@/app/_components/DeleteWithConfirmation";
import { useStepUpFetch } from "@/app/_components/StepUp";
import { DistinguishedName } from "@/app/_components/packages/DistinguishedName";
import { Fingerprint } from "@/app/_components/packages/Fingerprint";
import { Time } from "@/app/_components/packages/Time";
import type { RegisteredIdentity } from "@/lib/identity/identity-registry";
import type { Issue } from "@/lib/issues";
import { IssueList } from "@/app/_components/IssueList";
import { failureIssues, readResponseJson } from "@/app/_components/api-errors";
import { PossessionProof, PROOF_WORDS } from "./CertificateManager";
import { useRegisteredList } from "./use-registered-list";

const API = "/api/account/identities";

function IdentityRow({
  identity,
  onRemoved,
  onProven,
}: {
  identity: RegisteredIdentity;
  onRemoved?: (id: string) => void;
  onProven?: () => void;
}) {
  return (
    <li aria-label={identity.label} className="space-y-2 rounded border border-slate-200 p-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="font-medium break-all">
          {identity.kind === "TRUSTED_SIGNING_EKU" ? "Trusted Signing identity" : "Issuer and subject"}
        </h3>
        <span
          data-identity-status={identity.provenBy ? "active" : "unproven"}
          className={`rounded px-2 py-0.5 text-xs font-medium ${identity.provenBy ? "bg-emerald-100 text-emerald-800" : "bg-amber-100 text-amber-900"}`}
        >
          {identity.provenBy ? "Active" : "Awaiting proof of possession"}
        </span>
      </div>
      <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[9rem_1fr]">
        <dt className="text-slate-500">Issuing CA</dt>
        <dd className="min-w-0">
          <Fingerprint hex={identity.caFingerprint} />
        </dd>
        {identity.identityOid ? (
          <>
            <dt className="text-slate-500">Identity EKU</dt>
            <dd className="break-all font-mono text-xs">{identity.identityOid}</dd>
          </>
        ) : (
          <>
            <dt className="text-slate-500">Subject fields</dt>
            <dd className="min-w-0">
              <DistinguishedName attributes={identity.subjectFields} />
            </dd>
          </>
        )}
        <dt className="text-slate-500">Possession</dt>
        <dd data-proof={identity.provenBy ?? "none"}>
          {identity.provenBy && identity.provenAt ? (
            <>
              Proven {PROOF_WORDS[identity.provenBy]} <Time value={identity.provenAt} />.
            </>
          ) : (
            "Not proven yet."
          )}
        </dd>
      </dl>
      {identity.certificates.length > 0 ? (
        <table aria-label="Certificates seen under this identity" className="w-full text-left text-xs">
          <thead>
            <tr className="text-slate-500">
              <th className="py-1 pr-2 font-normal">Certificate (SHA-256)</th>
              <th className="py-1 pr-2 font-normal">Valid</th>
              <th className="py-1 font-normal">First signed a version</th>
            </tr>
          </thead>
          <tbody>
            {identity.certificates.map((certificate) => (
              <tr key={certificate.sha256Fingerprint} className="border-t border-slate-100">
                <td className="py-1 pr-2">
                  <Fingerprint hex={certificate.sha256Fingerprint} className="" />
                </td>
                <td className="py-1 pr-2 whitespace-nowrap">
                  {certificate.notBefore ? <Time value={certificate.notBefore} dateOnly /> : "?"} to{" "}
                  {certificate.notAfter ? <Time value={certificate.notAfter} dateOnly /> : "?"}
                </td>
                <td className="py-1 whitespace-nowrap">
                  <Time value={certificate.firstSeenAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="text-sm text-slate-600">No version signed under this identity yet.</p>
      )}
      {identity.provenBy === null && onProven ? (
        <PossessionProof
          challengeUrl={`${API}/${encodeURIComponent(identity.id)}/challenge`}
          forIdentity
          onProven={onProven}
        />
      ) : null}
      {onRemoved ? (
        <DeleteWithConfirmation
          url={`${API}/${encodeURIComponent(identity.id)}`}
          action="remove"
          onDeleted={() => onRemoved(identity.id)}
        >
          After removal, packages you push signed with certificates of this identity are refused unless another owner
          registered it. Packages already published stay as they are.
        </DeleteWithConfirmation>
      ) : null}
    </li>
  );
}

function IdentityRegistration({ onRegistered }: { onRegistered: (identity: RegisteredIdentity) => void }) {
  const [kind, setKind] = useState<RegisteredIdentity["kind"]>("TRUSTED_SIGNING_EKU");
  const [caFingerprint, setCaFingerprint] = useState("");
  const [identityOid, setIdentityOid] = useState("");
  const [commonName, setCommonName] = useState("");
  const [organization, setOrganization] = useState("");
  const [issues, setIssues] = useState<Issue[]>([]);
  const stepUpFetch = useStepUpFetch();

  async function register(event: React.FormEvent) {
    event.preventDefault();
    setIssues([]);
    const subjectFields = [
      { type: "CN", value: commonName },
      { type: "O", value: organization },
    ].filter((field) => field.value.trim() !== "");
    const body =
      kind === "TRUSTED_SIGNING_EKU" ? { kind, caFingerprint, identityOid } : { kind, caFingerprint, subjectFields };
    const response = await stepUpFetch(API, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const json = await readResponseJson(response);
    if (response.ok) {
      onRegistered((json as { identity: RegisteredIdentity }).identity);
      setCaFingerprint("");
      setIdentityOid("");
      setCommonName("");
      setOrganization("");
    } else setIssues(failureIssues(response.status, json));
  }

  const input = "mt-1 block w-full rounded border border-slate-300 px-2 py-1 font-mono text-xs";
  return (
    <form
      onSubmit={register}
      aria-label="Register a signer identity"
      className="space-y-3 rounded border border-slate-200 p-4 text-sm"
    >
      <h3 className="font-medium">Register a signer identity</h3>
      <p className="text-slate-600">
        For certificates that live a few days, register what stays the same instead of each certificate: the issuing CA
        (the certificate right above yours, by SHA-256 fingerprint) and either the Trusted Signing identity EKU (the one
        under 1.3.6.1.4.1.311.97 that is not 1.3.6.1.4.1.311.97.1.0, listed in the certificate&apos;s Enhanced Key
        Usage) or subject fields every certificate carries.
      </p>
      <fieldset className="flex gap-4">
        <label>
          <input
            type="radio"
            name="kind"
            checked={kind === "TRUSTED_SIGNING_EKU"}
            onChange={() => setKind("TRUSTED_SIGNING_EKU")}
          />{" "}
          Trusted Signing identity EKU
        </label>
        <label>
          <input
            type="radio"
            name="kind"
            checked={kind === "ISSUER_SUBJECT"}
            onChange={() => setKind("ISSUER_SUBJECT")}
          />{" "}
          Subject fields
        </label>
      </fieldset>
      <label className="block">
        Issuing CA fingerprint
        <input value={caFingerprint} onChange={(event) => setCaFingerprint(event.target.value)} className={input} />
      </label>
      {kind === "TRUSTED_SIGNING_EKU" ? (
        <label className="block">
          Identity EKU
          <input
            value={identityOid}
            onChange={(event) => setIdentityOid(event.target.value)}
            placeholder="1.3.6.1.4.1.311.97.…"
            className={input}
          />
        </label>
      ) : (
        <div className="grid gap-2 sm:grid-cols-2">
          <label className="block">
            Subject CN
            <input value={commonName} onChange={(event) => setCommonName(event.target.value)} className={input} />
          </label>
          <label className="block">
            Subject O
            <input value={organization} onChange={(event) => setOrganization(event.target.value)} className={input} />
          </label>
        </div>
      )}
      <IssueList issues={issues} label="Identity problems" alert />
      <button type="submit" className="rounded bg-brand px-3 py-1 text-white hover:bg-brand-dark">
        Register identity
      </button>
    </form>
  );
}

export function SignerIdentities({
  initialIdentities,
  editable,
}: {
  initialIdentities: RegisteredIdentity[];
  editable: boolean;
}) {
  const { entries: identities, add, remove, reload } = useRegisteredList(initialIdentities, API, "identities");

  return (
    <section aria-labelledby="identities-heading" className="space-y-3">
      <h2 id="identities-heading" className="text-lg font-medium">
        Signer identities: {identities.length}
      </h2>
      {identities.length === 0 ? (
        <p className="text-sm text-slate-600">
          No signer identities. Register one if your certificates are renewed every few days.
        </p>
      ) : (
        <ul aria-label="Signer identities" className="space-y-3">
          {identities.map((identity) => (
            <IdentityRow
              key={identity.id}
              identity={identity}
              onRemoved={editable ? remove : undefined}
              onProven={editable ? () => void reload() : undefined}
            />
          ))}
        </ul>
      )}
      {editable ? <IdentityRegistration onRegistered={add} /> : null}
    </section>
  );
}
