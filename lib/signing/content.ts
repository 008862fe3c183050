// The signed content: a small "properties document" naming the package hash (NuGet.Client's SignatureContent),
// e.g. "Version:1\n\n2.16.840.1.101.3.4.2.1-Hash:<base64>\n\n". Parsed with the NuGet client's
// rules (KeyPairFileReader, SignatureContent.Load): LF or CRLF lines, `name:value` properties,
// every section ended by an empty line, Version 1 only, first SHA-2 hash property wins.

import { IssueError } from "@/lib/issues";
import { HASH_ALGORITHMS, type HashAlgorithm } from "./oids";

export interface SignatureContent {
  hashAlgorithm: HashAlgorithm;
  /**
   * The package hash the signer committed to, as written (base64). NuGet compares it as text
   * with the base64 of the package's hash, so a damaged value fails the integrity check
   * (NU3008) rather than making the signature unreadable.
   */
  hashValue: string;
}

const PROPERTY_NAME = /^[a-zA-Z0-9.\-/]+$/;
const HASH_KEY_SUFFIX = "-Hash";

function malformed(reason: string): IssueError {
  return new IssueError("NU3000", `The signature content cannot be read: ${reason}.`);
}

/** Sections of `name:value` properties; each must be closed by an empty line. */
export function readPropertySections(text: string): Map<string, string>[] {
  const lines = text.split("\n").map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
  // The text after the last line break is not a line; a document must end with one.
  if (lines.pop() !== "") throw malformed("it does not end with a line break");
  const sections: Map<string, string>[] = [];
  let current = new Map<string, string>();
  for (const line of lines) {
    if (line === "") {
      if (current.size === 0) throw malformed("it has an empty section");
      sections.push(current);
      current = new Map();
      continue;
    }
    const colon = line.indexOf(":");
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1);
    if (colon <= 0 || !PROPERTY_NAME.test(name) || value === "")
      throw malformed(`the line '${line.slice(0, 80)}' is not a name:value property`);
    if (current.has(name)) throw malformed(`the property '${name}' appears twice in one section`);
    current.set(name, value);
  }
  if (current.size > 0) throw malformed("its last section is not followed by an empty line");
  return sections;
}

export function parseSignatureContent(bytes: Uint8Array): SignatureContent {
  // Read as .NET's Encoding.UTF8 reads it: a byte sequence that is not UTF-8 becomes U+FFFD.
  const [header, body] = readPropertySections(new TextDecoder("utf-8").decode(bytes));
  const version = header?.get("Version");
  if (version === undefined) throw malformed("it has no Version property");
  if (version !== "1")
    throw new IssueError(
      "NU3007",
      `The package signature format version '${version}' is not supported; only version 1 is.`,
    );
  if (!body) throw malformed("it has no hash section");
  for (const [name, value] of body) {
    const algorithm = HASH_ALGORITHMS.find((candidate) => name === `${candidate.oid}${HASH_KEY_SUFFIX}`);
    if (!algorithm) continue;
    return { hashAlgorithm: algorithm, hashValue: value };
  }
  const otherHash = [...body.keys()].find((name) => name.endsWith(HASH_KEY_SUFFIX));
  if (otherHash) {
    throw new IssueError(
      "NU3016",
      `The package hash algorithm ${otherHash.slice(0, -HASH_KEY_SUFFIX.length)} is not supported; use SHA-256, SHA-384 or SHA-512.`,
    );
  }
  throw malformed("it names no package hash");
}
