// One click below the badge: everything the engine found about the signatures, from the stored
// report. A <details> element, so it opens without JavaScript and with the keyboard.
import { listOf } from "@/lib/validation/rules/wording";
import type { ProvenSigningTime } from "@/lib/validation/proven-signing-time";
import type { CertificateView, SignatureView, SignerDetails } from "@/lib/packages/signer-details";
import { ChainDiagram } from "./ChainDiagram";
import { CodeSnippet } from "./CodeSnippet";
import { CopyButton } from "./CopyButton";
import { DistinguishedName } from "./DistinguishedName";
import { Fingerprint } from "./Fingerprint";
import { RevocationNote, withoutRevocationNotices } from "./RevocationNote";
import { Time } from "./Time";

function Row({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <>
      <dt className="text-slate-500">{term}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </>
  );
}

function CertificateRows({ certificate, fingerprintId }: { certificate: CertificateView; fingerprintId: string }) {
  return (
    <>
      <Row term="Subject (CN)">{certificate.commonName ?? "—"}</Row>
      <Row term="Organization (O)">{certificate.organization ?? "—"}</Row>
      <Row term="Full subject">
        <DistinguishedName value={certificate.subject} className="text-xs" />
      </Row>
      <Row term="Issuer">
        <DistinguishedName value={certificate.issuer} className="text-xs" />
      </Row>
      <Row term="SHA-256 fingerprint">
        <span className="flex flex-wrap items-center gap-2">
          <Fingerprint hex={certificate.sha256Fingerprint} id={fingerprintId} />
          <CopyButton
            text={certificate.sha256FingerprintDisplay}
            label={`Copy the SHA-256 fingerprint of ${certificate.name}`}
          />
        </span>
      </Row>
      <Row term="Serial number">
        <code className="text-xs break-all">{certificate.serialNumber}</code>
      </Row>
      <Row term="Valid from">
        <Time value={certificate.notBefore} dateOnly />
      </Row>
      <Row term="Valid to">
        <Time value={certificate.notAfter} dateOnly />
      </Row>
    </>
  );
}

function SignatureSection({
  signature,
  slug,
  registeredBy,
}: {
  signature: SignatureView;
  slug: string;
  registeredBy?: string[];
}) {
  const timestamp = signature.timestamps[0];
  return (
    <section aria-labelledby={`${slug}-heading`} data-signature={slug} className="space-y-3">
      <h3 id={`${slug}-heading`} className="font-medium">
        {signature.title}{" "}
        <span className={signature.valid ? "text-green-800" : "text-red-800"}>
          ({signature.valid ? "valid" : "not valid"})
        </span>
      </h3>
      <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[11rem_1fr]">
        {signature.signer ? (
          <CertificateRows certificate={signature.signer} fingerprintId={`${slug}-fingerprint`} />
        ) : null}
        {registeredBy ? (
          <Row term="Registered by">
            {registeredBy.length > 0
              ? `${listOf(registeredBy, "and")} (package ${registeredBy.length === 1 ? "owner" : "owners"})`
              : "No current owner of this package has registered this certificate."}
          </Row>
        ) : null}
        <Row term="Timestamp authority">{timestamp?.authority ? timestamp.authority.name : "No timestamp"}</Row>
        <Row term="Timestamped at">
          {timestamp ? (
            <>
              <Time value={timestamp.time} />
              {timestamp.valid ? null : " (timestamp not valid)"}
            </>
          ) : (
            "—"
          )}
        </Row>
        {signature.signingTime ? (
          <Row term="Signing time (claimed)">
            <Time value={signature.signingTime} />
          </Row>
        ) : null}
        <Row term="Digest algorithm">{signature.digestAlgorithm}</Row>
        {signature.serviceIndexUrl ? <Row term="Repository">{signature.serviceIndexUrl}</Row> : null}
        {signature.packageOwners ? <Row term="Owners vouched for">{signature.packageOwners.join(", ")}</Row> : null}
      </dl>
      {signature.chain ? <ChainDiagram chain={signature.chain} label={`${signature.title} certificate chain`} /> : null}
    </section>
  );
}

/**
 * `trusted` false (invalid or compromised signing) leaves out the advice to trust this signer.
 * `checkedAt` is when the stored report was made (the version's publication).
 */
export function SignerPanel({
  details,
  registeredBy,
  trusted,
  provenSigningTime,
  checkedAt,
}: {
  details: SignerDetails;
  registeredBy: string[];
  trusted: boolean;
  provenSigningTime: ProvenSigningTime;
  checkedAt: Date;
}) {
  // The engine's "revocation checking is offline" line per chain is how the gallery checks, not a
  // finding about this package: one neutral note instead of a warning per chain.
  const { issues, checkedOffline } = withoutRevocationNotices(details.issues);
  return (
    <details className="group rounded border border-slate-200">
      <summary className="cursor-pointer px-4 py-2 font-medium focus-visible:outline-2 focus-visible:outline-accent">
        Signature details
      </summary>
      <div className="space-y-6 border-t border-slate-200 px-4 py-4">
        <p className="text-sm">
          Package integrity:{" "}
          {details.integrity === null
            ? "not checked"
            : details.integrity
              ? `intact (the contents match the signed ${details.packageHashAlgorithm ?? ""} hash)`
              : "MODIFIED after signing (the contents do not match the signed hash)"}
        </p>
        <p className="text-sm" data-proven-signing-time={provenSigningTime.source}>
          Proven signed by: <Time value={provenSigningTime.time} />{" "}
          {provenSigningTime.source === "TIMESTAMP"
            ? "(its timestamp)"
            : "(when this gallery received it: it has no valid timestamp, and the signing time a signer writes proves nothing)"}
        </p>
        {details.author ? (
          <SignatureSection
            signature={details.author}
            slug="author"
            registeredBy={details.author.kind === "author" ? registeredBy : undefined}
          />
        ) : null}
        {details.repository ? <SignatureSection signature={details.repository} slug="repository" /> : null}
        {issues.length > 0 ? (
          <section aria-labelledby="engine-issues-heading" className="space-y-2">
            <h3 id="engine-issues-heading" className="font-medium">
              What the verification reported
            </h3>
            <ul className="space-y-1 text-sm">
              {issues.map((issue, index) => (
                <li
                  key={`${issue.code}-${index}`}
                  className={issue.level === "error" ? "text-red-800" : "text-amber-900"}
                >
                  <span className="font-mono text-xs">{issue.code}</span>{" "}
                  {issue.level === "error" ? "error" : "warning"}: {issue.message}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {checkedOffline ? <RevocationNote checkedAt={checkedAt} /> : null}
        {trusted && details.trustedSignersConfig ? (
          <section aria-labelledby="trusted-signers-heading" className="space-y-2">
            <h3 id="trusted-signers-heading" className="font-medium">
              Require this signer in your projects
            </h3>
            <p className="text-sm text-slate-700">
              Add this to the <code>&lt;configuration&gt;</code> of your <code>nuget.config</code> and set{" "}
              <code>signatureValidationMode</code> to <code>require</code>: restore then accepts this package only when
              this certificate signed it.
            </p>
            <CodeSnippet
              code={details.trustedSignersConfig}
              label="Copy the trustedSigners configuration"
              id="trusted-signers"
            />
          </section>
        ) : null}
        {details.repositoryTrustedSignersConfig ? (
          <section aria-labelledby="repository-trusted-signers-heading" className="space-y-2">
            <h3 id="repository-trusted-signers-heading" className="font-medium">
              Require this repository&apos;s signature
            </h3>
            <p className="text-sm text-slate-700">
              With this in the <code>&lt;trustedSigners&gt;</code> of your <code>nuget.config</code> and{" "}
              <code>signatureValidationMode</code> set to <code>require</code>, restore accepts packages from this feed
              only when this repository certificate signed them for these owners.
            </p>
            <CodeSnippet
              code={details.repositoryTrustedSignersConfig}
              label="Copy the repository trustedSigners configuration"
              id="repository-trusted-signers"
            />
          </section>
        ) : null}
      </div>
    </details>
  );
}
