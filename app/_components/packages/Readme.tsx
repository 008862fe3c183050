// Shows a readme that lib/packages/readme.ts rendered: its HTML passed an allowlist sanitizer
// there and is balanced, so it cannot reach outside this box.
export function Readme({ html }: { html: string }) {
  return <div className="readme break-words text-sm leading-relaxed" dangerouslySetInnerHTML={{ __html: html }} />;
}
