// A small, safe XML reader for package manifests: it refuses document type declarations
// (the door to XML external entities and "billion laughs" expansion) before any parsing,
// lets fast-xml-parser build the tree with its own entity processing switched off, and then
// decodes only what XML defines without a DTD: the five predefined entities and character
// references. The result is a plain element tree with namespaces resolved, so the nuspec
// reader never deals with prefixes, entity text or the parser's output shape.

import { XMLParser, XMLValidator } from "fast-xml-parser";
import { IssueError } from "@/lib/issues";

export interface XmlElement {
  /** Local name, without any prefix. */
  name: string;
  /** The namespace URI the element is in; "" when it is in no namespace. */
  namespace: string;
  /** Unprefixed attributes by name, values decoded; namespace declarations are left out. */
  attributes: Readonly<Record<string, string>>;
  children: XmlElement[];
  /** The element's own character data in document order, references decoded, CDATA verbatim. */
  text: string;
}

// fast-xml-parser's preserveOrder output: each node is { [tagName]: children, ":@"?: attributes },
// { "#text": string } or { "#cdata": [{ "#text": string }] }.
type OrderedNode = Record<string, unknown>;

const ATTRIBUTES_KEY = ":@";
const TEXT_KEY = "#text";
const MAX_ELEMENT_DEPTH = 32;
const CDATA_KEY = "#cdata";

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: CDATA_KEY,
  // A manifest nests five levels deep; the cap keeps hostile nesting from exhausting the stack
  // when the tree is built.
  maxNestedTags: MAX_ELEMENT_DEPTH,
});

const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = {
  lt: "<",
  gt: ">",
  amp: "&",
  quot: '"',
  apos: "'",
};

const XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace";

function invalidXml(detail: string): IssueError {
  return new IssueError("NUSPEC_INVALID_XML", `The nuspec is not well-formed XML: ${detail}`);
}

/** Refuses <!DOCTYPE> and <!ENTITY> anywhere, even inside CDATA or comments: a manifest never
 * needs either, and a plain text scan cannot be fooled the way a partial parse can. */
function refuseDocumentTypeDeclarations(xml: string): void {
  if (/<!\s*(DOCTYPE|ENTITY)/i.test(xml)) {
    throw new IssueError(
      "NUSPEC_DTD_FORBIDDEN",
      "The nuspec contains a document type declaration (<!DOCTYPE> or <!ENTITY>). Package manifests never need one, " +
        "and they are refused because they enable XML external entity and entity-expansion attacks.",
    );
  }
}

// XML 1.0 §2.2 Char production: what a character reference may name.
function isXmlCharacter(codePoint: number): boolean {
  return (
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff)
  );
}

function decodeCharacterReference(reference: string, body: string): string {
  const hex = /^#x([0-9A-Fa-f]+)$/.exec(body)?.[1];
  const decimal = /^#([0-9]+)$/.exec(body)?.[1];
  const codePoint =
    hex !== undefined ? Number.parseInt(hex, 16) : decimal !== undefined ? Number.parseInt(decimal, 10) : NaN;
  if (!isXmlCharacter(codePoint)) throw invalidXml(`the character reference '${reference}' names no XML character.`);
  return String.fromCodePoint(codePoint);
}

function decodeReference(reference: string, body: string, semicolon: string): string {
  if (body === "" || semicolon === "") {
    throw invalidXml(`'${reference}' is not a reference; write a literal '&' as '&amp;'.`);
  }
  if (body.startsWith("#")) return decodeCharacterReference(reference, body);
  const replacement = PREDEFINED_ENTITIES[body];
  if (replacement === undefined) throw invalidXml(`the entity '${reference}' is not defined.`);
  return replacement;
}

/** Decodes &lt; &gt; &amp; &quot; &apos; and &#…; references. Any other entity is undefined
 * without a DTD, and a bare '&' is not allowed in XML; both are errors. */
function decodeReferences(text: string): string {
  return text.replace(/&([^\s&;<"']*)(;?)/g, decodeReference);
}

// XML 1.0 §2.2: control characters other than tab, newline and carriage return may not appear.
const FORBIDDEN_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function splitQualifiedName(qualifiedName: string): { prefix: string; localName: string } {
  const colon = qualifiedName.indexOf(":");
  if (colon < 0) return { prefix: "", localName: qualifiedName };
  return { prefix: qualifiedName.slice(0, colon), localName: qualifiedName.slice(colon + 1) };
}

/** Adds the element's own xmlns / xmlns:p declarations to the prefixes in scope. */
function declareNamespaces(
  scope: ReadonlyMap<string, string>,
  rawAttributes: Record<string, string>,
): Map<string, string> {
  const declared = new Map(scope);
  for (const [name, value] of Object.entries(rawAttributes)) {
    if (name === "xmlns") declared.set("", decodeReferences(value));
    else if (name.startsWith("xmlns:")) declared.set(name.slice("xmlns:".length), decodeReferences(value));
  }
  return declared;
}

function readAttributes(rawAttributes: Record<string, string>): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(rawAttributes)) {
    if (name === "xmlns" || name.includes(":")) continue;
    attributes[name] = decodeReferences(value);
  }
  return attributes;
}

function rawAttributesOf(node: OrderedNode): Record<string, string> {
  const attributes = node[ATTRIBUTES_KEY];
  return typeof attributes === "object" && attributes !== null ? (attributes as Record<string, string>) : {};
}

function cdataText(node: OrderedNode): string {
  const parts = node[CDATA_KEY] as OrderedNode[];
  return parts.map((part) => String(part[TEXT_KEY] ?? "")).join("");
}

function tagNameOf(node: OrderedNode): string | undefined {
  return Object.keys(node).find((key) => key !== ATTRIBUTES_KEY);
}

function buildElement(node: OrderedNode, tagName: string, scope: ReadonlyMap<string, string>): XmlElement {
  const rawAttributes = rawAttributesOf(node);
  const namespaces = declareNamespaces(scope, rawAttributes);
  const { prefix, localName } = splitQualifiedName(tagName);
  const namespace = namespaces.get(prefix);
  if (namespace === undefined) throw invalidXml(`the prefix '${prefix}' of <${tagName}> is not declared.`);
  const element: XmlElement = {
    name: localName,
    namespace,
    attributes: readAttributes(rawAttributes),
    children: [],
    text: "",
  };
  for (const child of node[tagName] as OrderedNode[]) {
    if (TEXT_KEY in child) element.text += decodeReferences(String(child[TEXT_KEY]));
    else if (CDATA_KEY in child) element.text += cdataText(child);
    else {
      const childTag = tagNameOf(child);
      if (childTag !== undefined) element.children.push(buildElement(child, childTag, namespaces));
    }
  }
  return element;
}

function parseOrdered(content: string): OrderedNode[] {
  try {
    return parser.parse(content) as OrderedNode[];
  } catch (failure) {
    // The parser throws plain Errors for limits the validator does not check (nesting depth).
    if (failure instanceof Error) throw invalidXml(`${failure.message.replace(/\.$/, "")}.`);
    throw failure;
  }
}

/** Parses an XML document into its root element; throws IssueError NUSPEC_DTD_FORBIDDEN or
 * NUSPEC_INVALID_XML (with the line of the problem) for anything else than one safe,
 * well-formed document. */
export function parseXmlDocument(xml: string): XmlElement {
  refuseDocumentTypeDeclarations(xml);
  const content = xml.replace(/^\uFEFF/, "");
  if (FORBIDDEN_CHARACTERS.test(content)) throw invalidXml("it contains a control character that XML does not allow.");
  const validation = XMLValidator.validate(content);
  if (validation !== true) {
    throw invalidXml(`${validation.err.msg.replace(/\.$/, "")} (line ${validation.err.line}).`);
  }
  const roots = parseOrdered(content).filter((node) => !(TEXT_KEY in node));
  const [root, ...others] = roots;
  const rootTag = root === undefined ? undefined : tagNameOf(root);
  if (root === undefined || rootTag === undefined) throw invalidXml("it has no root element.");
  if (others.length > 0) throw invalidXml("it has more than one root element.");
  return buildElement(
    root,
    rootTag,
    new Map([
      ["", ""],
      ["xml", XML_NAMESPACE],
    ]),
  );
}
