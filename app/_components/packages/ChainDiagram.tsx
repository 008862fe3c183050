import type { ChainView } from "@/lib/packages/signer-details";
import { Fingerprint } from "./Fingerprint";
import { Time } from "./Time";

function roleOf(index: number, length: number): string {
  if (length === 1) return "Signer (self-signed)";
  if (index === 0) return "Root";
  return index === length - 1 ? "Signer" : "Intermediate";
}

/** The certificate chain as boxes joined by arrows, root at the top, the signer at the bottom. */
export function ChainDiagram({ chain, label }: { chain: ChainView; label: string }) {
  const { fromRoot } = chain;
  return (
    <figure className="space-y-2">
      <figcaption className="text-sm text-slate-600">
        {label}: {chain.trusted ? "chains to a trusted root" : "does not chain to a trusted root"}
      </figcaption>
      <ol aria-label={label} className="flex flex-col items-stretch">
        {fromRoot.map((certificate, index) => (
          <li key={`${certificate.sha256Fingerprint}-${index}`} className="flex flex-col items-center">
            {index > 0 ? (
              <span aria-hidden="true" className="py-0.5 text-lg leading-none text-slate-400">
                ↓
              </span>
            ) : null}
            <div
              data-chain-role={roleOf(index, fromRoot.length)}
              className={`w-full rounded border px-3 py-2 text-sm ${index === fromRoot.length - 1 ? "border-accent bg-brand-light" : "border-slate-300 bg-white"}`}
            >
              <div className="text-xs uppercase tracking-wide text-slate-500">{roleOf(index, fromRoot.length)}</div>
              <div className="font-medium break-words">{certificate.name}</div>
              <div className="text-xs text-slate-600">
                Valid <Time value={certificate.notBefore} dateOnly /> to <Time value={certificate.notAfter} dateOnly />
              </div>
              <Fingerprint hex={certificate.sha256Fingerprint} className="block text-[0.65rem] text-slate-500" />
            </div>
          </li>
        ))}
      </ol>
      {chain.problems.length > 0 ? (
        <ul className="list-disc pl-5 text-sm text-red-800">
          {chain.problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      ) : null}
    </figure>
  );
}
