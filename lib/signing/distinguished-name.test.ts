import { describe, expect, it } from "vitest";
import { displayName, formatDistinguishedName, nameAttribute, parseDistinguishedName } from "./distinguished-name";

describe("parseDistinguishedName", () => {
  it("splits attributes and undoes escaped specials", () => {
    expect(parseDistinguishedName("CN=DigiCert Timestamp 2023,O=DigiCert\\, Inc.,C=US")).toEqual([
      { type: "CN", value: "DigiCert Timestamp 2023" },
      { type: "O", value: "DigiCert, Inc." },
      { type: "C", value: "US" },
    ]);
  });

  it("reads hex-escaped characters and multi-valued RDNs", () => {
    expect(parseDistinguishedName("CN=A\\2Bb+OU=Unit,O=\\#hash")).toEqual([
      { type: "CN", value: "A+b" },
      { type: "OU", value: "Unit" },
      { type: "O", value: "#hash" },
    ]);
  });
});

describe("nameAttribute and displayName", () => {
  it("finds the first value of a type in any case", () => {
    expect(nameAttribute("CN=Contoso Signing,O=Contoso Ltd", "cn")).toBe("Contoso Signing");
    expect(nameAttribute("CN=Contoso Signing", "O")).toBeNull();
  });

  it("falls back from CN to O to the whole name", () => {
    expect(displayName("CN=Contoso,O=Contoso Ltd")).toBe("Contoso");
    expect(displayName("O=Contoso Ltd,C=US")).toBe("Contoso Ltd");
    expect(displayName("C=US")).toBe("C=US");
  });
});

describe("formatDistinguishedName", () => {
  it("writes the CN first and separates attributes with ', '", () => {
    expect(
      formatDistinguishedName("CN=Microsoft Corporation,O=Microsoft Corporation,L=Redmond,ST=Washington,C=US"),
    ).toBe("CN=Microsoft Corporation, O=Microsoft Corporation, L=Redmond, ST=Washington, C=US");
    expect(formatDistinguishedName("C=US,O=Contoso,CN=Contoso Signing")).toBe("CN=Contoso Signing, C=US, O=Contoso");
  });

  it("keeps a separator inside a value escaped, and a name without attributes as it is", () => {
    expect(formatDistinguishedName("CN=DigiCert Timestamp 2023,O=DigiCert\\, Inc.,C=US")).toBe(
      "CN=DigiCert Timestamp 2023, O=DigiCert\\, Inc., C=US",
    );
    expect(formatDistinguishedName("O=No Common Name")).toBe("O=No Common Name");
    expect(formatDistinguishedName("not a name")).toBe("not a name");
  });
});
