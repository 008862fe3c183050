import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { describe, expect, it } from "vitest";
import { escapeAttributeValue, formatName, nameBytes } from "./names";

function name(rdns: [string, asn1js.AsnType][][]): pkijs.RelativeDistinguishedNames {
  const der = new asn1js.Sequence({
    value: rdns.map(
      (rdn) =>
        new asn1js.Set({
          value: rdn.map(
            ([type, value]) => new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: type }), value] }),
          ),
        }),
    ),
  }).toBER();
  return new pkijs.RelativeDistinguishedNames({ schema: asn1js.fromBER(der).result });
}

describe("formatName", () => {
  it("prints most specific first with openssl's short names", () => {
    const subject = name([
      [["2.5.4.6", new asn1js.PrintableString({ value: "US" })]],
      [["2.5.4.10", new asn1js.Utf8String({ value: "DigiCert, Inc." })]],
      [["2.5.4.3", new asn1js.Utf8String({ value: "DigiCert Timestamp 2023" })]],
    ]);
    expect(formatName(subject)).toBe("CN=DigiCert Timestamp 2023,O=DigiCert\\, Inc.,C=US");
  });

  it("joins multi-valued RDNs with '+' and dumps unknown attribute types as DER hex", () => {
    const subject = name([
      [
        ["2.5.4.3", new asn1js.Utf8String({ value: "A" })],
        ["2.5.4.11", new asn1js.Utf8String({ value: "B" })],
      ],
      [["1.2.3.4", new asn1js.Utf8String({ value: "x" })]],
    ]);
    expect(formatName(subject)).toBe("1.2.3.4=#0c0178,CN=A+OU=B");
  });

  it("keeps the original DER for comparisons", () => {
    const subject = name([[["2.5.4.3", new asn1js.PrintableString({ value: "Root" })]]]);
    expect(Buffer.from(nameBytes(subject)).toString("hex")).toBe("300f310d300b06035504031304526f6f74");
  });
});

describe("escapeAttributeValue", () => {
  it.each([
    ["a,b+c", "a\\,b\\+c"],
    ['say "hi"; <x>', 'say \\"hi\\"\\; \\<x\\>'],
    ["#tag", "\\#tag"],
    [" lead and trail ", "\\ lead and trail\\ "],
    ["back\\slash", "back\\\\slash"],
    ["bell\u0007", "bell\\07"],
  ])("%j → %j", (value, escaped) => {
    expect(escapeAttributeValue(value)).toBe(escaped);
  });
});
