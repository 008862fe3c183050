import type { ReadmeContent } from "@/lib/packages/package-page";

// Shows a readme as lib/packages/readme.ts rendered it when the version was published: its HTML
// passed an allowlist sanitizer there and is balanced, so it cannot reach outside this box. A
// version whose readme has not been rendered yet shows its text, escaped, as written.
export function Readme({ content }: { content: ReadmeContent }) {
  if ("text" in content) return <pre className="readme text-sm break-words whitespace-pre-wrap">{content.text}</pre>;
  return (
    <div className="readme break-words text-sm leading-relaxed" dangerouslySetInnerHTML={{ __html: content.html }} />
  );
}
