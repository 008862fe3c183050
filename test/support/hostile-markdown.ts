// Markdown built to make a renderer slow: each pattern repeated to a given size. Shared by the
// readme tests (how the cost grows between two sizes) and bench/hostile-input.ts (the figures in BENCHMARKS.md).

function fill(unit: string, bytes: number): string {
  return unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
}

/** A fixed opening, then the unit repeated up to the size. */
function after(opening: string, unit: string, bytes: number): string {
  return opening + fill(unit, bytes - opening.length);
}

/** A line per step, the step number choosing the line (ever deeper nesting, longer runs...). */
function lines(bytes: number, line: (step: number) => string): string {
  const parts: string[] = [];
  let length = 0;
  for (let step = 0; length < bytes; step++) {
    const next = line(step);
    parts.push(next);
    length += next.length;
  }
  return parts.join("").slice(0, bytes);
}

export const HOSTILE_MARKDOWN: Readonly<Record<string, (bytes: number) => string>> = {
  "open brackets": (bytes) => fill("[", bytes),
  "link openers": (bytes) => fill("[a](", bytes),
  "image openers": (bytes) => fill("![", bytes),
  "closed brackets": (bytes) => fill("[x]", bytes),
  "empty links": (bytes) => fill("[]( ", bytes),
  "reference uses": (bytes) => after("[a]: https://example.test\n", "[a]", bytes),
  "reference definitions": (bytes) => fill("[a]: b\n", bytes),
  backticks: (bytes) => fill("`", bytes),
  "backtick runs": (bytes) => lines(bytes, (step) => `${"`".repeat(step % 200)}a`),
  stars: (bytes) => fill("*", bytes),
  underscores: (bytes) => fill("_", bytes),
  "nested emphasis": (bytes) => fill("*a **a ***a _a __a ", bytes),
  "emphasis openers": (bytes) => fill("*a_", bytes),
  strikethrough: (bytes) => fill("~~a ", bytes),
  "long line": (bytes) => fill("abc def ", bytes),
  "many tables": (bytes) => fill("| a | b |\n|---|---|\n| c | d |\n\n", bytes),
  "table rows": (bytes) => after("|a|b|\n|-|-|\n", "|x|y|\n", bytes),
  "wide table": (bytes) => after(`${"|a".repeat(2000)}|\n${"|-".repeat(2000)}|\n`, "|x", bytes),
  pipes: (bytes) => fill("|", bytes),
  "deep blockquote": (bytes) => fill(">", bytes),
  "blockquote lines": (bytes) => lines(bytes, (step) => `${">".repeat(step % 500)} a\n`),
  "deep list": (bytes) => fill("- ", bytes),
  "nested list lines": (bytes) => lines(bytes, (step) => `${"  ".repeat(step % 300)}- a\n`),
  "html nesting": (bytes) => fill("<div>", bytes),
  "html inline nesting": (bytes) => fill("<span><b>", bytes),
  "html closings": (bytes) => fill("</div></span>", bytes),
  "html openers": (bytes) => fill("<a ", bytes),
  "html comments": (bytes) => fill("<!--", bytes),
  "html attributes": (bytes) => fill('<a href="https://x" title="y" ', bytes),
  "script bodies": (bytes) => fill("<script>a", bytes),
  autolinks: (bytes) => fill("https://a.test/(", bytes),
  "www links": (bytes) => fill("www.a.b ", bytes),
  "angle autolinks": (bytes) => fill("<http://a", bytes),
  emails: (bytes) => fill("a@b.", bytes),
  entities: (bytes) => fill("&#", bytes),
  fences: (bytes) => fill("```\n", bytes),
  setext: (bytes) => fill("a\n=\n", bytes),
  headings: (bytes) => fill("# ", bytes),
  backslashes: (bytes) => fill("\\", bytes),
  newlines: (bytes) => fill("\n", bytes),
};
