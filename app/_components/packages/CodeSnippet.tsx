import { CopyButton } from "./CopyButton";

/** A block of text to paste somewhere, with a copy button. */
export function CodeSnippet({ code, label, id }: { code: string; label: string; id?: string }) {
  return (
    <div className="flex items-start gap-2 rounded border border-slate-200 bg-slate-50 p-2">
      <pre id={id} className="min-w-0 flex-1 text-xs leading-relaxed break-all whitespace-pre-wrap">
        <code>{code}</code>
      </pre>
      <CopyButton text={code} label={label} />
    </div>
  );
}
