// A package's embedded readme as a small, safe subset of Markdown: headings, paragraphs,
// lists, fenced code, and inline code, emphasis and links. The result is a tree that pages
// render as React elements, so HTML in a readme is always shown as text and never
// interpreted; links keep only http(s) targets and images become links to their address
// (the page never loads third-party content). Browser-safe.

import { isWebUrl } from "@/lib/validation/rules/metadata-fields";

export type Inline =
  | { kind: "text"; text: string }
  | { kind: "code"; text: string }
  | { kind: "strong"; children: Inline[] }
  | { kind: "emphasis"; children: Inline[] }
  | { kind: "link"; href: string; children: Inline[] };

export type Block =
  | { kind: "heading"; level: 1 | 2 | 3 | 4 | 5 | 6; content: Inline[] }
  | { kind: "paragraph"; content: Inline[] }
  | { kind: "code"; text: string }
  | { kind: "list"; ordered: boolean; items: Inline[][] };

// One alternative per inline construct; the first match in the text wins.
const INLINE = /`([^`]+)`|\*\*(.+?)\*\*|__(.+?)__|\*(.+?)\*|\b_(.+?)_\b|!?\[([^\]]*)\]\(([^)\s]+)\)/;

export function parseInline(text: string): Inline[] {
  const result: Inline[] = [];
  let rest = text;
  while (rest.length > 0) {
    const match = INLINE.exec(rest);
    if (!match) {
      result.push({ kind: "text", text: rest });
      break;
    }
    if (match.index > 0) result.push({ kind: "text", text: rest.slice(0, match.index) });
    result.push(inlineFor(match));
    rest = rest.slice(match.index + match[0].length);
  }
  return result;
}

function inlineFor(match: RegExpExecArray): Inline {
  const [whole, code, strong, strongUnderscore, emphasis, emphasisUnderscore, label, href] = match;
  if (code !== undefined) return { kind: "code", text: code };
  if (strong !== undefined || strongUnderscore !== undefined) return { kind: "strong", children: parseInline(strong ?? strongUnderscore ?? "") };
  if (emphasis !== undefined || emphasisUnderscore !== undefined) return { kind: "emphasis", children: parseInline(emphasis ?? emphasisUnderscore ?? "") };
  if (href !== undefined && isWebUrl(href)) {
    const children = parseInline(label || href);
    return { kind: "link", href, children };
  }
  // A link to anything but the web (javascript:, data:, a relative path) stays plain text.
  return { kind: "text", text: whole };
}

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const LIST_ITEM = /^\s{0,3}(?:([-*+])|(\d{1,9})[.)])\s+(.*)$/;
const FENCE = /^\s{0,3}(```|~~~)/;

/** Splits the readme into blocks; every line lands in exactly one block. */
export function parseReadme(markdown: string): Block[] {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const blocks: Block[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] ?? "";
    const fence = FENCE.exec(line);
    if (fence) {
      const end = lines.findIndex((candidate, at) => at > index && candidate.trimStart().startsWith(fence[1] ?? ""));
      const stop = end === -1 ? lines.length : end;
      blocks.push({ kind: "code", text: lines.slice(index + 1, stop).join("\n") });
      index = stop + 1;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ kind: "heading", level: (heading[1]?.length ?? 1) as 1 | 2 | 3 | 4 | 5 | 6, content: parseInline(heading[2] ?? "") });
      index += 1;
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      const ordered = item[2] !== undefined;
      const items: Inline[][] = [];
      while (index < lines.length) {
        const next = LIST_ITEM.exec(lines[index] ?? "");
        if (!next || (next[2] !== undefined) !== ordered) break;
        items.push(parseInline(next[3] ?? ""));
        index += 1;
      }
      blocks.push({ kind: "list", ordered, items });
      continue;
    }
    if (line.trim() === "") {
      index += 1;
      continue;
    }
    const paragraph: string[] = [];
    while (index < lines.length) {
      const next = lines[index] ?? "";
      if (next.trim() === "" || FENCE.test(next) || HEADING.test(next) || LIST_ITEM.test(next)) break;
      paragraph.push(next.trim());
      index += 1;
    }
    blocks.push({ kind: "paragraph", content: parseInline(paragraph.join(" ")) });
  }
  return blocks;
}
