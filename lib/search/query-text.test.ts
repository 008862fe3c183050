import { describe, expect, it } from "vitest";
import { parseSearchText } from "./query-text";

describe("parseSearchText", () => {
  it("splits free words on whitespace", () => {
    expect(parseSearchText("  json \t serializer\n")).toEqual([
      { field: null, value: "json" },
      { field: null, value: "serializer" },
    ]);
  });

  it("reads field filters, with any case, aliases and quoted values", () => {
    expect(
      parseSearchText(
        'ID:Contoso packageid:Contoso.Core tag:json authors:Jane owners:alice title:"Handy Tools" version:1.0',
      ),
    ).toEqual([
      { field: "id", value: "Contoso" },
      { field: "packageid", value: "Contoso.Core" },
      { field: "tags", value: "json" },
      { field: "author", value: "Jane" },
      { field: "owner", value: "alice" },
      { field: "title", value: "Handy Tools" },
      { field: "version", value: "1.0" },
    ]);
  });

  it("keeps a quoted phrase together and an unknown field as a plain word", () => {
    expect(parseSearchText('"handy tools" color:blue http://x')).toEqual([
      { field: null, value: "handy tools" },
      { field: null, value: "color:blue" },
      { field: null, value: "http://x" },
    ]);
  });

  it("drops empty values and reads an unclosed quote to the end", () => {
    expect(parseSearchText('id: "" title:"open ended')).toEqual([{ field: "title", value: "open ended" }]);
  });

  it("stays linear on hostile input", () => {
    const text = `${'"'.repeat(50_000)}${"a:".repeat(50_000)}`;
    const started = performance.now();
    parseSearchText(text);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
