// Name constraints (RFC 5280 §4.2.1.10): a CA certificate may limit the names of every
// certificate below it. A name of a form the constraints mention must fall inside one
// permitted subtree of that form and inside no excluded subtree. Supported forms: directory
// names (RDN prefix), DNS names, e-mail addresses (also the subject's emailAddress
// attribute), URIs (by host) and IP addresses; a constraint of any other form that meets a
// name of that form cannot be judged, and is refused rather than ignored.

import * as asn1js from "asn1js";
import type * as pkijs from "pkijs";
import { nameBytes } from "../names";
import { OID } from "../oids";
import { readSubjectAltNames } from "./extensions";

/** GeneralName CHOICE tags (RFC 5280 §4.2.1.6). */
const FORM = { rfc822Name: 1, dNSName: 2, directoryName: 4, uniformResourceIdentifier: 6, iPAddress: 7 } as const;
const FORM_NAMES: Record<number, string> = {
  0: "otherName",
  1: "e-mail",
  2: "DNS",
  3: "X.400 address",
  4: "directory name",
  5: "EDI party name",
  6: "URI",
  7: "IP address",
  8: "registered ID",
};

export type NameConstraintVerdict =
  { ok: true } | { ok: false; kind: "not-permitted" | "excluded" | "unsupported"; name: string };

interface SubjectName {
  form: number;
  /** For people: the name as it would be written. */
  text: string;
  value: string | Uint8Array | readonly string[];
}

/** A name as RDNs, each RDN its attributes as "oid=value" with string values case- and space-folded, sorted. */
function canonicalRdns(name: pkijs.RelativeDistinguishedNames): string[] {
  const parsed = asn1js.fromBER(nameBytes(name));
  if (!(parsed.result instanceof asn1js.Sequence)) return [];
  return parsed.result.valueBlock.value.map((rdn) => {
    const attributes = rdn instanceof asn1js.Set ? rdn.valueBlock.value : [];
    return attributes
      .map((attribute) => {
        const [type, value] = attribute instanceof asn1js.Sequence ? attribute.valueBlock.value : [];
        const oid = type instanceof asn1js.ObjectIdentifier ? type.valueBlock.toString() : "?";
        const text =
          value instanceof asn1js.BaseStringBlock
            ? value.getValue().trim().replace(/\s+/g, " ").toLowerCase()
            : Buffer.from(value ? value.toBER() : new ArrayBuffer(0)).toString("hex");
        return `${oid}=${text}`;
      })
      .sort()
      .join("+");
  });
}

function emailAddressesInSubject(name: pkijs.RelativeDistinguishedNames): string[] {
  return name.typesAndValues
    .filter((attribute) => attribute.type === OID.emailAddress && attribute.value instanceof asn1js.BaseStringBlock)
    .map((attribute) => (attribute.value as asn1js.BaseStringBlock).getValue());
}

/** The names a certificate claims: its subject (when not empty), its subject alternative names, e-mail addresses in its subject. */
function namesOf(certificate: pkijs.Certificate, subjectText: string): SubjectName[] {
  const names: SubjectName[] = [];
  const rdns = canonicalRdns(certificate.subject);
  if (rdns.length > 0) names.push({ form: FORM.directoryName, text: subjectText, value: rdns });
  for (const email of emailAddressesInSubject(certificate.subject))
    names.push({ form: FORM.rfc822Name, text: email, value: email });
  for (const altName of readSubjectAltNames(certificate)) {
    if (altName.type === FORM.directoryName) {
      names.push({
        form: FORM.directoryName,
        text: "a directory name",
        value: canonicalRdns(altName.value as pkijs.RelativeDistinguishedNames),
      });
    } else if (altName.type === FORM.iPAddress) {
      names.push({
        form: FORM.iPAddress,
        text: "an IP address",
        value: (altName.value as asn1js.OctetString).valueBlock.valueHexView,
      });
    } else {
      const text = typeof altName.value === "string" ? altName.value : "";
      names.push({ form: altName.type, text: text || `a ${FORM_NAMES[altName.type] ?? "other"} name`, value: text });
    }
  }
  return names;
}

/** "example.com" covers itself and every name below it; ".example.com" only the names below it. */
function withinDomain(host: string, constraint: string): boolean {
  const name = host.toLowerCase();
  const domain = constraint.toLowerCase();
  if (domain === "") return true;
  if (domain.startsWith(".")) return name.endsWith(domain);
  return name === domain || name.endsWith(`.${domain}`);
}

function withinMailbox(address: string, constraint: string): boolean {
  const at = address.lastIndexOf("@");
  if (at < 0) return false;
  if (constraint.includes("@"))
    return (
      address.slice(0, at) === constraint.slice(0, constraint.lastIndexOf("@")) &&
      address.slice(at + 1).toLowerCase() === constraint.slice(constraint.lastIndexOf("@") + 1).toLowerCase()
    );
  const host = address.slice(at + 1).toLowerCase();
  return constraint.startsWith(".") ? host.endsWith(constraint.toLowerCase()) : host === constraint.toLowerCase();
}

function uriHost(uri: string): string | null {
  try {
    return new URL(uri).hostname || null;
  } catch {
    return null;
  }
}

function withinAddressRange(address: Uint8Array, constraint: Uint8Array): boolean {
  if (constraint.byteLength !== address.byteLength * 2) return false;
  for (let index = 0; index < address.byteLength; index++) {
    const mask = constraint[address.byteLength + index] ?? 0;
    if (((address[index] ?? 0) & mask) !== ((constraint[index] ?? 0) & mask)) return false;
  }
  return true;
}

/** Whether `name` lies in the subtree `base`; undefined when that form cannot be judged. */
function withinSubtree(name: SubjectName, base: pkijs.GeneralName): boolean | undefined {
  switch (base.type) {
    case FORM.directoryName: {
      const prefix = canonicalRdns(base.value as pkijs.RelativeDistinguishedNames);
      const rdns = name.value as readonly string[];
      return prefix.length <= rdns.length && prefix.every((rdn, index) => rdns[index] === rdn);
    }
    case FORM.dNSName:
      return withinDomain(name.value as string, String(base.value));
    case FORM.rfc822Name:
      return withinMailbox(name.value as string, String(base.value));
    case FORM.uniformResourceIdentifier: {
      const host = uriHost(name.value as string);
      return host !== null && withinDomain(host, String(base.value));
    }
    case FORM.iPAddress:
      return withinAddressRange(name.value as Uint8Array, (base.value as asn1js.OctetString).valueBlock.valueHexView);
    default:
      return undefined;
  }
}

/** Judges one certificate's names against one CA's name constraints. */
export function checkNameConstraints(
  certificate: pkijs.Certificate,
  subjectText: string,
  constraints: pkijs.NameConstraints,
): NameConstraintVerdict {
  const permitted = constraints.permittedSubtrees ?? [];
  const excluded = constraints.excludedSubtrees ?? [];
  for (const name of namesOf(certificate, subjectText)) {
    const permittedOfForm = permitted.filter((subtree) => subtree.base.type === name.form);
    const excludedOfForm = excluded.filter((subtree) => subtree.base.type === name.form);
    const judged = [...permittedOfForm, ...excludedOfForm].map((subtree) => withinSubtree(name, subtree.base));
    if (judged.includes(undefined)) return { ok: false, kind: "unsupported", name: name.text };
    const inPermitted = permittedOfForm.length === 0 || judged.slice(0, permittedOfForm.length).includes(true);
    const inExcluded = judged.slice(permittedOfForm.length).includes(true);
    if (!inPermitted) return { ok: false, kind: "not-permitted", name: name.text };
    if (inExcluded) return { ok: false, kind: "excluded", name: name.text };
  }
  return { ok: true };
}
