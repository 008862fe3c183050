// A package's embedded readme rendered as GitHub and nuget.org render it: CommonMark with GFM
// tables, strikethrough, autolinks and task lists (markdown-it), raw HTML allowed but cleaned
// by an allowlist sanitizer (js-xss). Both are linear on adversarial input (bench/hostile-input.ts
// measures 1 MiB of each hostile pattern); sanitize-html and parse5-based pipelines were
// measured too and rejected: quadratic time or a stack overflow on 200,000 nested tags.
//
// What survives: the structural and text tags GitHub keeps, links to absolute http(s) and
// mailto: addresses, images from https: addresses (the page's CSP allows no others), table
// alignment, disabled task-list checkboxes. Scripts, styles, event handlers, iframes, forms,
// SVG and every other tag are shown as text or dropped.
// A relative address has no base on the gallery (the readme came out of a .nupkg, not a
// repository), so such a link keeps its text without a target and such an image shows its alt
// text. Readme headings sit under the page's own "Readme" heading (h2), so # becomes <h3>.

import MarkdownIt from "markdown-it";
import taskLists from "markdown-it-task-lists";
import xssModule, { type IWhiteList } from "xss";

// xss is CommonJS: its functions hang off the default export, which its typings describe as the
// module itself (named imports fail under Node's ESM loader).
const { FilterXSS, escapeAttrValue } = xssModule as unknown as typeof import("xss");

const markdown = new MarkdownIt({ html: true, linkify: true, typographer: false }).use(taskLists);
// GFM's extended autolinks: "www." starts a link as "http://" does (linkify-it's fuzzy mode would
// also link every "README.md", so only this prefix is added).
markdown.linkify.add("www.", {
  validate(text, position, self) {
    // linkify-it's own sticky host-and-path matcher, the one it uses after "//".
    const hostAndPath = (
      self.re as unknown as { get_relative_proto_validator(): RegExp }
    ).get_relative_proto_validator();
    hostAndPath.lastIndex = position;
    return hostAndPath.exec(text)?.[0].length ?? 0;
  },
  normalize(match) {
    match.url = `http://${match.url}`;
  },
});

const HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"];
const ALIGN = ["align"];
const TABLE_CELL = ["align", "colspan", "rowspan", "style"];

const ALLOWED_TAGS: IWhiteList = {
  a: ["href", "title"],
  abbr: ["title"],
  b: [],
  blockquote: [],
  br: [],
  code: [],
  dd: [],
  del: [],
  details: ["open"],
  div: ALIGN,
  dl: [],
  dt: [],
  em: [],
  hr: [],
  i: [],
  img: ["src", "alt", "title", "width", "height", "align"],
  input: ["type", "checked", "disabled"],
  ins: [],
  kbd: [],
  li: ["class"],
  mark: [],
  ol: ["start", "class"],
  p: ALIGN,
  pre: [],
  q: [],
  s: [],
  samp: [],
  small: [],
  span: [],
  strike: [],
  strong: [],
  sub: [],
  summary: [],
  sup: [],
  table: [],
  tbody: [],
  td: TABLE_CELL,
  tfoot: [],
  th: TABLE_CELL,
  thead: [],
  tr: [],
  tt: [],
  ul: ["class"],
  var: [],
  ...Object.fromEntries(HEADINGS.map((heading) => [heading, ALIGN])),
};

/** Elements that never have a closing tag, so they never open a level of nesting. */
const VOID_TAGS = new Set(["br", "hr", "img", "input"]);

/** Deeper raw HTML nesting is dropped (the text stays); GitHub's renderer stops far earlier. */
export const MAX_HTML_DEPTH = 64;

const WEB_OR_MAIL = /^(?:https?:\/\/|mailto:)/i;
const CLASS_VALUES = new Set(["task-list-item", "contains-task-list", "task-list-item-checkbox"]);
const TABLE_ALIGNMENT = /^text-align:(?:left|right|center)$/;
const NUMBER = /^\d{1,5}$/;
const CHECKBOX = /\stype\s*=\s*["']?checkbox\b/i;

/** The cleaned value of an allowed attribute, or null to drop the attribute. */
function attributeValue(tag: string, name: string, value: string): string | null {
  switch (name) {
    case "href":
      return WEB_OR_MAIL.test(value.trim()) ? value.trim() : null;
    case "src":
      return /^https:\/\//i.test(value.trim()) ? value.trim() : null;
    case "style":
      return TABLE_ALIGNMENT.test(value.replace(/\s/g, "")) ? value.replace(/\s/g, "") : null;
    case "class":
      return value.split(/\s+/).every((word) => CLASS_VALUES.has(word)) ? value : null;
    case "disabled":
      return null;
    case "type":
      return tag === "input" && value.toLowerCase() === "checkbox" ? "checkbox" : null;
    case "align":
      return /^(?:left|right|center)$/i.test(value) ? value.toLowerCase() : null;
    case "width":
    case "height":
    case "start":
    case "colspan":
    case "rowspan":
      return NUMBER.test(value) ? value : null;
    default:
      return value;
  }
}

/** A heading one or two levels down, so a readme's # sits under the page's h2. */
function shiftedHeading(tag: string): string {
  return `h${Math.min(Number(tag.slice(1)) + 2, 6)}`;
}

/**
 * Cleans the HTML that markdown-it produced (its own markup plus the readme's raw HTML) in one
 * linear pass, and keeps it balanced, so nothing a readme writes can close or restyle the page
 * around it: a closing tag with no open element of its name is dropped, one that skips open
 * elements closes them first, and whatever is still open at the end is closed. Each element is
 * opened and closed at most once, so the balancing is linear too.
 */
function sanitize(html: string): string {
  const open: string[] = [];
  const openCounts = new Map<string, number>();
  const filter = new FilterXSS({
    whiteList: ALLOWED_TAGS,
    stripIgnoreTag: false,
    stripIgnoreTagBody: ["script", "style", "iframe", "noscript", "template", "textarea", "xmp", "title"],
    allowCommentTag: false,
    css: false,
    onTag(tag, source, { isClosing, isWhite }) {
      if (!isWhite) return undefined;
      const name = HEADINGS.includes(tag) ? shiftedHeading(tag) : tag;
      if (VOID_TAGS.has(tag)) return isClosing || (tag === "input" && !CHECKBOX.test(source)) ? "" : undefined;
      if (!isClosing) {
        if (open.length >= MAX_HTML_DEPTH) return "";
        open.push(name);
        openCounts.set(name, (openCounts.get(name) ?? 0) + 1);
        // Headings keep their alignment under their new name; the rest go through the allowlist.
        return name === tag ? undefined : `<${name}>`;
      }
      if (!openCounts.get(name)) return "";
      let closing = "";
      for (;;) {
        const innermost = open.pop()!;
        openCounts.set(innermost, openCounts.get(innermost)! - 1);
        closing += `</${innermost}>`;
        if (innermost === name) return closing;
      }
    },
    onTagAttr(tag, name, value, isWhiteAttr) {
      if (!isWhiteAttr) return "";
      const cleaned = attributeValue(tag, name, value);
      if (cleaned === null) return "";
      const attribute = `${name}="${escapeAttrValue(cleaned)}"`;
      // Links leave the gallery without passing on who read the page or lending it search rank.
      if (name === "href") return `${attribute} rel="nofollow noopener noreferrer ugc"`;
      // A readme's checkboxes show a state; nobody ticks them on the gallery.
      if (name === "type") return `${attribute} disabled`;
      return attribute;
    },
    onIgnoreTagAttr: () => "",
  });
  const cleaned = filter.process(html);
  return (
    cleaned +
    open
      .reverse()
      .map((name) => `</${name}>`)
      .join("")
  );
}

/** The readme's Markdown as safe, balanced HTML for the package page. */
export function renderReadme(source: string): string {
  return sanitize(markdown.render(source));
}
