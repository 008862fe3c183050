// Draws the parsed readme (lib/packages/readme.ts) as React elements: text is always text.
import type { ReactNode } from "react";
import type { Block, Inline } from "@/lib/packages/readme";

function InlineContent({ content }: { content: Inline[] }): ReactNode {
  return content.map((item, index) => {
    switch (item.kind) {
      case "text":
        return item.text;
      case "code":
        return (
          <code key={index} className="rounded bg-slate-100 px-1 text-[0.85em]">
            {item.text}
          </code>
        );
      case "strong":
        return (
          <strong key={index}>
            <InlineContent content={item.children} />
          </strong>
        );
      case "emphasis":
        return (
          <em key={index}>
            <InlineContent content={item.children} />
          </em>
        );
      case "link":
        return (
          <a key={index} href={item.href} rel="nofollow noopener noreferrer">
            <InlineContent content={item.children} />
          </a>
        );
    }
  });
}

const HEADING_CLASSES = ["text-xl font-semibold", "text-lg font-semibold", "font-semibold", "font-medium", "font-medium", "font-medium"];

function BlockContent({ block }: { block: Block }) {
  switch (block.kind) {
    case "heading": {
      // Readme headings sit under the page's own "Readme" heading (h2).
      const Tag = (["h3", "h4", "h5", "h6", "h6", "h6"] as const)[block.level - 1] ?? "h6";
      return (
        <Tag className={HEADING_CLASSES[block.level - 1]}>
          <InlineContent content={block.content} />
        </Tag>
      );
    }
    case "paragraph":
      return (
        <p>
          <InlineContent content={block.content} />
        </p>
      );
    case "code":
      return (
        <pre className="overflow-x-auto rounded bg-slate-50 p-3 text-xs">
          <code>{block.text}</code>
        </pre>
      );
    case "list": {
      const List = block.ordered ? "ol" : "ul";
      return (
        <List className={`${block.ordered ? "list-decimal" : "list-disc"} space-y-1 pl-6`}>
          {block.items.map((item, index) => (
            <li key={index}>
              <InlineContent content={item} />
            </li>
          ))}
        </List>
      );
    }
  }
}

export function Readme({ blocks }: { blocks: Block[] }) {
  return (
    <div className="space-y-3 break-words text-sm leading-relaxed">
      {blocks.map((block, index) => (
        <BlockContent key={index} block={block} />
      ))}
    </div>
  );
}
