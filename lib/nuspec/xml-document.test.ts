import { describe, expect, it } from "vitest";
import { parseXmlDocument } from "./xml-document";

function issueError(code: string, text: string): unknown {
  return expect.objectContaining({ name: "IssueError", code, message: expect.stringContaining(text) });
}

describe("parseXmlDocument", () => {
  it("builds the element tree with namespaces resolved and prefixes removed", () => {
    const root = parseXmlDocument(
      `<?xml version="1.0"?><p:package xmlns:p="urn:a" xmlns="urn:b"><metadata><p:id>x</p:id></metadata></p:package>`,
    );
    expect(root.name).toBe("package");
    expect(root.namespace).toBe("urn:a");
    const metadata = root.children[0];
    expect(metadata?.namespace).toBe("urn:b");
    expect(metadata?.children[0]).toMatchObject({ name: "id", namespace: "urn:a", text: "x" });
  });

  it("decodes predefined entities and character references in text and attributes", () => {
    const root = parseXmlDocument(`<a title="x &amp; &quot;y&quot;">&lt;html&gt; &#65;&#x42; &apos;ok&apos;</a>`);
    expect(root.text).toBe(`<html> AB 'ok'`);
    expect(root.attributes).toEqual({ title: `x & "y"` });
  });

  it("keeps CDATA verbatim and in document order with the surrounding text", () => {
    const root = parseXmlDocument(`<a>one <![CDATA[&amp; <b>]]> two</a>`);
    expect(root.text).toBe("one &amp; <b> two");
    expect(root.children).toEqual([]);
  });

  it("ignores a byte-order mark, the declaration and comments", () => {
    const root = parseXmlDocument(`\uFEFF<?xml version="1.0" encoding="utf-8"?><!-- note --><a>t<!-- c --></a>`);
    expect(root).toMatchObject({ name: "a", namespace: "", text: "t" });
  });

  it("leaves namespace declarations and prefixed attributes out of the attributes", () => {
    const root = parseXmlDocument(`<a xmlns="urn:x" xmlns:q="urn:q" q:z="1" xml:lang="en" plain="2"/>`);
    expect(root.attributes).toEqual({ plain: "2" });
  });

  it.each([
    `<!DOCTYPE package [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><package>&xxe;</package>`,
    `<?xml version="1.0"?>\n<!doctype package><package/>`,
    `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><lolz>&lol2;</lolz>`,
    `<package><![CDATA[<!ENTITY x "y">]]></package>`,
  ])("refuses document type declarations before parsing: %j", (xml) => {
    expect(() => parseXmlDocument(xml)).toThrow(issueError("NUSPEC_DTD_FORBIDDEN", "external entity"));
  });

  it.each([
    ["<a><b></a>", "line 1"],
    ["", "Start tag expected"],
    ["not xml", "not expected"],
    ["<a>x & y</a>", "not expected"],
    ["<a/><b/>", "more than one root element"],
    ["<a>&foo;</a>", "the entity '&foo;' is not defined"],
    ["<a b='x &amp y'/>", "'&amp' is not a reference"],
    ["<a b='&'/>", "'&' is not a reference"],
    ["<a>&#xZZ;</a>", "not expected"],
    ["<a b='&#xZZ;'/>", "'&#xZZ;' names no XML character"],
    ["<a>\u0001</a>", "control character"],
    ["<a>&#0;</a>", "names no XML character"],
    ["<a x='&#xD800;'/>", "names no XML character"],
    ["<q:a/>", "prefix 'q' of <q:a> is not declared"],
  ])("refuses %j as NUSPEC_INVALID_XML (%s)", (xml, detail) => {
    expect(() => parseXmlDocument(xml)).toThrow(issueError("NUSPEC_INVALID_XML", detail));
  });

  it("refuses hostile nesting with an issue instead of exhausting the stack", () => {
    const nested = (depth: number) => "<a>".repeat(depth) + "</a>".repeat(depth);
    expect(parseXmlDocument(nested(30)).children).toHaveLength(1);
    expect(() => parseXmlDocument(nested(100_000))).toThrow(
      issueError("NUSPEC_INVALID_XML", "Maximum nested tags exceeded"),
    );
  });
});
