import { describe, expect, it } from "vitest";
import { parseInline, parseReadme } from "./readme";

describe("parseReadme", () => {
  it("reads headings, paragraphs, lists and fenced code", () => {
    const blocks = parseReadme("# Contoso\r\n\r\nFast and\nsmall.\n\n- one\n- two\n\n1. first\n2. second\n\n```csharp\nvar x = 1;\n```\n");
    expect(blocks).toEqual([
      { kind: "heading", level: 1, content: [{ kind: "text", text: "Contoso" }] },
      { kind: "paragraph", content: [{ kind: "text", text: "Fast and small." }] },
      { kind: "list", ordered: false, items: [[{ kind: "text", text: "one" }], [{ kind: "text", text: "two" }]] },
      { kind: "list", ordered: true, items: [[{ kind: "text", text: "first" }], [{ kind: "text", text: "second" }]] },
      { kind: "code", text: "var x = 1;" },
    ]);
  });

  it("keeps HTML as text and an unclosed fence as code to the end", () => {
    expect(parseReadme("<script>alert(1)</script>\n```\n<b>x</b>")).toEqual([
      { kind: "paragraph", content: [{ kind: "text", text: "<script>alert(1)</script>" }] },
      { kind: "code", text: "<b>x</b>" },
    ]);
  });
});

describe("parseInline", () => {
  it("reads code, strong, emphasis and web links", () => {
    expect(parseInline("Use `Add()` **now**, *really*: [docs](https://example.test/docs)")).toEqual([
      { kind: "text", text: "Use " },
      { kind: "code", text: "Add()" },
      { kind: "text", text: " " },
      { kind: "strong", children: [{ kind: "text", text: "now" }] },
      { kind: "text", text: ", " },
      { kind: "emphasis", children: [{ kind: "text", text: "really" }] },
      { kind: "text", text: ": " },
      { kind: "link", href: "https://example.test/docs", children: [{ kind: "text", text: "docs" }] },
    ]);
  });

  it("never links to non-web targets, and turns images into links", () => {
    expect(parseInline("[x](javascript:alert(1))")).toEqual([{ kind: "text", text: "[x](javascript:alert(1)" }, { kind: "text", text: ")" }]);
    expect(parseInline("![logo](https://example.test/logo.png)")).toEqual([
      { kind: "link", href: "https://example.test/logo.png", children: [{ kind: "text", text: "logo" }] },
    ]);
  });

  it("leaves snake_case words alone", () => {
    expect(parseInline("call my_long_name here")).toEqual([{ kind: "text", text: "call my_long_name here" }]);
  });
});
