// The differential matrix: every case is a recipe that turns a fresh unsigned package into
// the package to judge, built in-process (test/support/signing.ts) so the run needs no
// `dotnet nuget sign` and can make what the client would refuse to sign. Groups follow
// issue 11: key type and size with the CMS digest; certificate digests; timestamp imprints
// and package hashes; chain depth; CA flags and path length (signer and TSA chains); EKUs
// and key usage; validity against the timestamp; timestamps; countersignatures; tampering.

import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { signingCertificateV2Attribute, type TimestampAuthority } from "@/lib/timestamping";
import { OID } from "@/lib/signing/oids";
import {
  EXTENDED_KEY_USAGE,
  issueCertificate,
  type CertificateHash,
  type CertificateOptions,
  type TestCertificate,
} from "@/test/support/pki";
import { timestampTokenFor } from "@/test/support/resign";
import {
  addUnsignedAttribute,
  attribute,
  createSignerInfo,
  signedPackage,
  type PackageHash,
  type SignatureSpec,
  type SignerSpec,
} from "@/test/support/signing";
import { DAMAGE, seededRandom, type DamageClass } from "@/test/support/tamper";
import {
  authorityOf,
  daysFromNow,
  issueTsa,
  OTHER_EXTENDED_KEY_USAGE,
  type DifferentialWorld,
  type KeyName,
} from "./world";

export interface DifferentialCase {
  /** Unique and stable: the strictness table names cases by it. */
  name: string;
  group: string;
  build: (unsigned: Uint8Array) => Promise<Uint8Array>;
  /** For tampering cases, the damage class (test/support/tamper.ts). */
  damage?: DamageClass;
}

const DIGESTS: readonly CertificateHash[] = ["SHA-1", "SHA-256", "SHA-384", "SHA-512"];
const PACKAGE_HASHES: readonly PackageHash[] = ["SHA-256", "SHA-384", "SHA-512"];
const KEYS: readonly KeyName[] = ["rsa1024", "rsa2048", "rsa3072", "rsa4096", "ecdsaP256"];
const CODE_SIGNING = [EXTENDED_KEY_USAGE.codeSigning];
const UNKNOWN_EXTENSION = "1.3.6.1.4.1.55555.9.9";

/** Random damage is replayed from these seeds, several per class that picks what to damage. */
const TAMPER_SEEDS = [7, 8, 11, 23, 37, 41, 59];
/** Classes whose damage does not depend on the random choices. */
const FIXED_DAMAGE: ReadonlySet<DamageClass> = new Set(["signature-compressed", "signature-duplicated"]);

function unknownExtension(critical: boolean): pkijs.Extension {
  return new pkijs.Extension({ extnID: UNKNOWN_EXTENSION, critical, extnValue: new asn1js.Null().toBER() });
}

/** Name constraints permitting only directory names under O=Contoso (the test names have none), critical as RFC 5280 asks. */
function contosoOnlyNameConstraints(): pkijs.Extension {
  const contoso = new pkijs.GeneralName({
    type: 4,
    value: new pkijs.RelativeDistinguishedNames({
      typesAndValues: [
        new pkijs.AttributeTypeAndValue({ type: "2.5.4.10", value: new asn1js.PrintableString({ value: "Contoso" }) }),
      ],
    }),
  });
  const value = new pkijs.NameConstraints({ permittedSubtrees: [new pkijs.GeneralSubtree({ base: contoso })] });
  return new pkijs.Extension({ extnID: OID.nameConstraints, critical: true, extnValue: value.toSchema().toBER() });
}

export function differentialCases(world: DifferentialWorld): DifferentialCase[] {
  const cases: DifferentialCase[] = [];
  const add = (group: string, name: string, build: DifferentialCase["build"], damage?: DamageClass) =>
    cases.push({ group, name, build, ...(damage ? { damage } : {}) });
  const sign = (spec: SignatureSpec) => (unsigned: Uint8Array) => signedPackage(spec, unsigned);
  const author = (signer: TestCertificate, overrides: Partial<SignerSpec> = {}): SignerSpec => ({
    signer,
    kind: "author",
    authority: world.authority,
    ...overrides,
  });
  const repository = (signer: TestCertificate = world.repository, overrides: Partial<SignerSpec> = {}): SignerSpec => ({
    signer,
    kind: "repository",
    authority: world.authority,
    ...overrides,
  });
  const leaf = (commonName: string, options: Partial<CertificateOptions> = {}) =>
    issueCertificate({
      commonName,
      key: world.keys.rsa2048,
      issuer: world.root,
      extendedKeyUsages: CODE_SIGNING,
      notBefore: daysFromNow(-60),
      notAfter: daysFromNow(365),
      ...options,
    });
  const intermediate = (commonName: string, options: Partial<CertificateOptions> = {}) =>
    issueCertificate({
      commonName,
      key: world.keys.rsa2048,
      issuer: world.root,
      certificateAuthority: true,
      notBefore: daysFromNow(-200),
      notAfter: daysFromNow(1000),
      ...options,
    });
  /** Signed by a leaf under the given certificates (issuing order, top first), with the trusted TSA. */
  const signedUnder =
    (
      issuers: (issuer: TestCertificate) => Promise<TestCertificate>,
      leafOptions: Partial<CertificateOptions> = {},
      signer: Partial<SignerSpec> = {},
    ) =>
    async (unsigned: Uint8Array) => {
      const issuer = await issuers(world.root);
      return signedPackage(
        { primary: author(await leaf("Signet Differential Chained Signer", { issuer, ...leafOptions }), signer) },
        unsigned,
      );
    };
  /** Signed by the standard signer, timestamped by a TSA certificate the builder makes. */
  const stampedBy =
    (tsa: () => Promise<TestCertificate>, options: Partial<Omit<TimestampAuthority, "signer">> = {}) =>
    async (unsigned: Uint8Array) =>
      signedPackage(
        { primary: author(world.signer, { authority: await authorityOf(await tsa(), options) }) },
        unsigned,
      );
  const tsaIntermediate = (options: Partial<CertificateOptions> = {}) =>
    issueCertificate({
      commonName: "Signet Differential TSA Intermediate",
      key: world.keys.rsa2048,
      issuer: world.tsaRoot,
      certificateAuthority: true,
      notBefore: daysFromNow(-300),
      notAfter: daysFromNow(1000),
      ...options,
    });

  // Key type and size, with the CMS digest (message digest and signature hash).
  for (const key of KEYS) {
    for (const digest of DIGESTS) {
      add("key and CMS digest", `${key} signer, ${digest} CMS digest`, async (unsigned) =>
        signedPackage(
          { primary: author(await leaf(`Signet Differential ${key}`, { key: world.keys[key] }), { digest }) },
          unsigned,
        ),
      );
    }
  }
  for (const key of KEYS) {
    add("key and CMS digest", `${key} repository countersigner`, async (unsigned) =>
      signedPackage(
        {
          primary: author(world.signer),
          countersigners: [repository(await leaf(`Signet Differential Repository ${key}`, { key: world.keys[key] }))],
        },
        unsigned,
      ),
    );
    add(
      "key and CMS digest",
      `${key} intermediate`,
      signedUnder(() => intermediate(`Signet Differential ${key} Intermediate`, { key: world.keys[key] })),
    );
    if (key !== "ecdsaP256")
      add(
        "key and CMS digest",
        `${key} TSA`,
        stampedBy(() => issueTsa(world, { key: world.keys[key] })),
      );
  }

  // The hash of each certificate's signature.
  for (const digest of DIGESTS) {
    add("certificate digest", `signer certificate signed with ${digest}`, async (unsigned) =>
      signedPackage(
        { primary: author(await leaf("Signet Differential Cert Digest", { signatureHash: digest })) },
        unsigned,
      ),
    );
    add(
      "certificate digest",
      `intermediate signed with ${digest}`,
      signedUnder(() => intermediate("Signet Differential Digest Intermediate", { signatureHash: digest })),
    );
    add(
      "certificate digest",
      `TSA certificate signed with ${digest}`,
      stampedBy(() => issueTsa(world, { signatureHash: digest })),
    );
    add("certificate digest", `repository certificate signed with ${digest}`, async (unsigned) =>
      signedPackage(
        {
          primary: author(world.signer),
          countersigners: [repository(await leaf("Signet Differential Repository Digest", { signatureHash: digest }))],
        },
        unsigned,
      ),
    );
  }

  // Timestamp message imprint, with each package hash.
  for (const imprint of DIGESTS) {
    for (const packageHash of PACKAGE_HASHES) {
      add(
        "imprint and package hash",
        `${imprint} timestamp imprint, ${packageHash} package hash`,
        sign({ primary: author(world.signer, { timestampImprint: imprint }), packageHash }),
      );
    }
  }
  for (const packageHash of PACKAGE_HASHES) {
    add(
      "imprint and package hash",
      `${packageHash} package hash, no timestamp`,
      sign({ primary: author(world.signer, { authority: null }), packageHash }),
    );
  }

  // Chain depth 1-4, timestamped and not.
  const chainOfDepth = async (depth: number): Promise<TestCertificate> => {
    if (depth === 1) return world.selfSignedSigner;
    let issuer = world.root;
    for (let level = 2; level < depth; level++)
      issuer = await intermediate(`Signet Differential Depth ${depth} Level ${level}`, { issuer });
    return leaf(`Signet Differential Depth ${depth} Signer`, { issuer });
  };
  for (const depth of [1, 2, 3, 4]) {
    add("chain depth", `signer chain of ${depth}, timestamped`, async (unsigned) =>
      signedPackage({ primary: author(await chainOfDepth(depth)) }, unsigned),
    );
    add("chain depth", `signer chain of ${depth}, no timestamp`, async (unsigned) =>
      signedPackage({ primary: author(await chainOfDepth(depth), { authority: null }) }, unsigned),
    );
  }
  for (const depth of [3, 4]) {
    add(
      "chain depth",
      `TSA chain of ${depth}`,
      stampedBy(async () => {
        let issuer = world.tsaRoot;
        for (let level = 2; level < depth; level++)
          issuer = await tsaIntermediate({ issuer, commonName: `Signet Differential TSA Level ${level}` });
        return issueTsa(world, { issuer });
      }),
    );
  }

  // CA flags, key usage and path length of the certificates that issue others: for the signer chain and the TSA chain.
  const issuingVariants: Array<[string, Partial<CertificateOptions>]> = [
    ["cA=false with keyCertSign", { basicConstraints: { cA: false }, keyUsage: ["digitalSignature", "keyCertSign"] }],
    [
      "an end entity (cA=false, digitalSignature) acting as CA",
      { basicConstraints: { cA: false }, keyUsage: ["digitalSignature"] },
    ],
    ["no basic constraints, keyCertSign", { basicConstraints: null, keyUsage: ["keyCertSign", "cRLSign"] }],
    ["cA=true without keyCertSign", { keyUsage: ["digitalSignature", "cRLSign"] }],
    ["cA=true without key usage", { keyUsage: null }],
    ["cA=true, basic constraints not critical", { basicConstraints: { cA: true, critical: false } }],
    ["an unknown critical extension", { extraExtensions: [unknownExtension(true)] }],
    ["an unknown non-critical extension", { extraExtensions: [unknownExtension(false)] }],
    ["name constraints its subordinate violates", { extraExtensions: [contosoOnlyNameConstraints()] }],
  ];
  for (const [variant, options] of issuingVariants) {
    add(
      "CA flags and path length",
      `signer intermediate with ${variant}`,
      signedUnder(() => intermediate("Signet Differential Issuing Variant", options)),
    );
    add(
      "CA flags and path length",
      `TSA intermediate with ${variant}`,
      stampedBy(async () => issueTsa(world, { issuer: await tsaIntermediate(options) })),
    );
  }
  const pathLength =
    (limit: number, below: number, names = "Signet Differential") =>
    async (root: TestCertificate) => {
      let issuer = await intermediate(`${names} PathLen ${limit}`, {
        issuer: root,
        basicConstraints: { cA: true, pathLenConstraint: limit },
      });
      for (let level = 0; level < below; level++)
        issuer = await intermediate(`${names} Below PathLen ${level}`, { issuer });
      return issuer;
    };
  for (const [limit, below] of [
    [0, 0],
    [0, 1],
    [1, 1],
    [1, 2],
  ] as const) {
    add(
      "CA flags and path length",
      `pathLen ${limit} with ${below} intermediate(s) below`,
      signedUnder(pathLength(limit, below)),
    );
  }
  for (const [limit, below] of [
    [0, 1],
    [1, 1],
  ] as const) {
    add(
      "CA flags and path length",
      `TSA chain: pathLen ${limit} with ${below} intermediate(s) below`,
      stampedBy(async () =>
        issueTsa(world, { issuer: await pathLength(limit, below, "Signet Differential TSA")(world.tsaRoot) }),
      ),
    );
  }
  add("CA flags and path length", "pathLen 0 on the trusted root, leaf directly below", async (unsigned) =>
    signedPackage(
      { primary: author(await leaf("Signet Differential Under Limited Root", { issuer: world.limitedRoot })) },
      unsigned,
    ),
  );
  add("CA flags and path length", "pathLen 0 on the trusted root, an intermediate below", async (unsigned) => {
    const issuer = await intermediate("Signet Differential Under Limited Root CA", { issuer: world.limitedRoot });
    return signedPackage(
      { primary: author(await leaf("Signet Differential Under Limited Root Leaf", { issuer })) },
      unsigned,
    );
  });
  add("CA flags and path length", "forged 'Microsoft Corporation' issued by a code-signing leaf", async (unsigned) =>
    signedPackage({ primary: author(await leaf("Microsoft Corporation", { issuer: world.signer })) }, unsigned),
  );
  add(
    "CA flags and path length",
    "forged TSA issued by a TSA certificate",
    stampedBy(async () => issueTsa(world, { issuer: world.tsa, commonName: "Microsoft Time-Stamp Service" })),
  );
  add(
    "CA flags and path length",
    "forged signer under an untrusted end entity, with a valid repository countersignature",
    async (unsigned) => {
      const endEntity = await leaf("Signet Differential Untrusted End Entity", { issuer: world.untrustedRoot });
      return signedPackage(
        { primary: author(await leaf("Microsoft Corporation", { issuer: endEntity })), countersigners: [repository()] },
        unsigned,
      );
    },
  );
  add(
    "CA flags and path length",
    "signer with an unknown critical extension",
    signedUnder(async (root) => root, { extraExtensions: [unknownExtension(true)] }),
  );
  add(
    "CA flags and path length",
    "signer that is itself a CA",
    signedUnder(async (root) => root, { certificateAuthority: true, keyUsage: ["digitalSignature", "keyCertSign"] }),
  );

  // Extended key usage and key usage.
  const ekus: Array<[string, string[]]> = [
    ["no EKU extension", []],
    ["codeSigning", CODE_SIGNING],
    ["serverAuth only", [OTHER_EXTENDED_KEY_USAGE.serverAuth]],
    ["lifetimeSigning only", [OTHER_EXTENDED_KEY_USAGE.lifetimeSigning]],
    ["codeSigning and lifetimeSigning", [...CODE_SIGNING, OTHER_EXTENDED_KEY_USAGE.lifetimeSigning]],
    ["anyExtendedKeyUsage only", [OTHER_EXTENDED_KEY_USAGE.anyExtendedKeyUsage]],
    ["codeSigning and serverAuth", [...CODE_SIGNING, OTHER_EXTENDED_KEY_USAGE.serverAuth]],
  ];
  for (const [name, extendedKeyUsages] of ekus) {
    add(
      "EKU and key usage",
      `signer EKU: ${name}`,
      signedUnder(async (root) => root, { extendedKeyUsages }),
    );
    add(
      "EKU and key usage",
      `intermediate EKU: ${name}`,
      signedUnder(() => intermediate("Signet Differential EKU Intermediate", { extendedKeyUsages })),
    );
    add("EKU and key usage", `repository countersigner EKU: ${name}`, async (unsigned) =>
      signedPackage(
        {
          primary: author(world.signer),
          countersigners: [repository(await leaf("Signet Differential Repository EKU", { extendedKeyUsages }))],
        },
        unsigned,
      ),
    );
  }
  add("EKU and key usage", "lifetimeSigning signer, expired now, valid at the timestamp", async (unsigned) => {
    const signer = await leaf("Signet Differential Lifetime Expired", {
      extendedKeyUsages: [...CODE_SIGNING, OTHER_EXTENDED_KEY_USAGE.lifetimeSigning],
      notBefore: daysFromNow(-30),
      notAfter: daysFromNow(-5),
    });
    return signedPackage(
      { primary: author(signer, { authority: await authorityOf(world.tsa, { clock: () => daysFromNow(-10) }) }) },
      unsigned,
    );
  });
  const tsaUsages: Array<[string, string[]]> = [
    ["no EKU extension", []],
    ["serverAuth only (no timeStamping)", [OTHER_EXTENDED_KEY_USAGE.serverAuth]],
    ["timeStamping and codeSigning", [EXTENDED_KEY_USAGE.timeStamping, ...CODE_SIGNING]],
    ["anyExtendedKeyUsage only", [OTHER_EXTENDED_KEY_USAGE.anyExtendedKeyUsage]],
  ];
  for (const [name, extendedKeyUsages] of tsaUsages)
    add(
      "EKU and key usage",
      `TSA EKU: ${name}`,
      stampedBy(() => issueTsa(world, { extendedKeyUsages })),
    );
  add(
    "EKU and key usage",
    "TSA intermediate EKU: codeSigning only",
    stampedBy(async () => issueTsa(world, { issuer: await tsaIntermediate({ extendedKeyUsages: CODE_SIGNING }) })),
  );
  const keyUsages: Array<[string, CertificateOptions["keyUsage"]]> = [
    ["no key usage extension", null],
    ["keyEncipherment only", ["keyEncipherment"]],
    ["nonRepudiation only", ["nonRepudiation"]],
    ["digitalSignature and nonRepudiation", ["digitalSignature", "nonRepudiation"]],
  ];
  for (const [name, keyUsage] of keyUsages)
    add(
      "EKU and key usage",
      `signer key usage: ${name}`,
      signedUnder(async (root) => root, { keyUsage }),
    );
  add(
    "EKU and key usage",
    "TSA key usage: keyEncipherment only",
    stampedBy(() => issueTsa(world, { keyUsage: ["keyEncipherment"] })),
  );

  // Validity windows against the timestamp and now.
  const backdated = (days: number) => authorityOf(world.tsa, { clock: () => daysFromNow(days) });
  const validity: Array<[string, Partial<CertificateOptions>, number | null]> = [
    ["signer expired now, valid at the timestamp", { notBefore: daysFromNow(-30), notAfter: daysFromNow(-5) }, -10],
    ["signer expired before the timestamp", { notBefore: daysFromNow(-30), notAfter: daysFromNow(-20) }, -10],
    ["signer expired now, no timestamp", { notBefore: daysFromNow(-30), notAfter: daysFromNow(-5) }, null],
    [
      "signer not yet valid at the timestamp, valid now",
      { notBefore: daysFromNow(-5), notAfter: daysFromNow(30) },
      -10,
    ],
    ["signer not yet valid now, timestamped now", { notBefore: daysFromNow(5), notAfter: daysFromNow(30) }, 0],
    ["signer not yet valid now, no timestamp", { notBefore: daysFromNow(5), notAfter: daysFromNow(30) }, null],
    ["signer valid, timestamped 10 days ago", {}, -10],
    ["signer valid, timestamp a day in the future", {}, 1],
  ];
  for (const [name, options, timestampDay] of validity) {
    add("validity", name, async (unsigned) =>
      signedPackage(
        {
          primary: author(await leaf("Signet Differential Validity", options), {
            authority: timestampDay === null ? null : await backdated(timestampDay),
          }),
        },
        unsigned,
      ),
    );
  }
  const intermediateValidity: Array<[string, Partial<CertificateOptions>, number | null]> = [
    [
      "intermediate expired now, valid at the timestamp",
      { notBefore: daysFromNow(-100), notAfter: daysFromNow(-5) },
      -10,
    ],
    ["intermediate expired before the timestamp", { notBefore: daysFromNow(-100), notAfter: daysFromNow(-20) }, -10],
    ["intermediate expired now, no timestamp", { notBefore: daysFromNow(-100), notAfter: daysFromNow(-5) }, null],
    ["intermediate not yet valid now", { notBefore: daysFromNow(5), notAfter: daysFromNow(100) }, 0],
    [
      "intermediate not yet valid at the timestamp, valid now",
      { notBefore: daysFromNow(-5), notAfter: daysFromNow(100) },
      -10,
    ],
  ];
  for (const [name, options, timestampDay] of intermediateValidity) {
    add("validity", name, async (unsigned) => {
      const issuer = await intermediate("Signet Differential Validity Intermediate", options);
      const signer = await leaf("Signet Differential Validity Leaf", {
        issuer,
        notBefore: daysFromNow(-60),
        notAfter: daysFromNow(365),
      });
      return signedPackage(
        { primary: author(signer, { authority: timestampDay === null ? null : await backdated(timestampDay) }) },
        unsigned,
      );
    });
  }
  add("validity", "trusted root expired", async (unsigned) =>
    signedPackage(
      {
        primary: author(
          await leaf("Signet Differential Under Expired Root", {
            issuer: world.expiredRoot,
            notAfter: daysFromNow(-2),
          }),
        ),
      },
      unsigned,
    ),
  );
  add(
    "validity",
    "TSA certificate expired now, valid at the timestamp",
    stampedBy(() => issueTsa(world, { notBefore: daysFromNow(-30), notAfter: daysFromNow(-5) }), {
      clock: () => daysFromNow(-10),
    }),
  );
  add(
    "validity",
    "TSA certificate not yet valid at the timestamp",
    stampedBy(() => issueTsa(world, { notBefore: daysFromNow(-5), notAfter: daysFromNow(30) }), {
      clock: () => daysFromNow(-10),
    }),
  );
  add(
    "validity",
    "TSA certificate expired at the timestamp",
    stampedBy(() => issueTsa(world, { notBefore: daysFromNow(-30), notAfter: daysFromNow(-20) }), {
      clock: () => daysFromNow(-10),
    }),
  );
  add(
    "validity",
    "TSA intermediate expired now, valid at the timestamp",
    stampedBy(
      async () =>
        issueTsa(world, {
          issuer: await tsaIntermediate({ notBefore: daysFromNow(-100), notAfter: daysFromNow(-5) }),
          notBefore: daysFromNow(-90),
          notAfter: daysFromNow(-6),
        }),
      { clock: () => daysFromNow(-10) },
    ),
  );

  // Timestamps.
  const withTokens = (
    signer: TestCertificate,
    tokens: Array<(signature: Uint8Array<ArrayBuffer>) => Promise<pkijs.ContentInfo>>,
  ) =>
    sign({
      primary: author(signer, {
        authority: null,
        editSignerInfo: async (signerInfo) => {
          const signature = new Uint8Array(signerInfo.signature.valueBlock.valueHexView);
          for (const token of tokens)
            addUnsignedAttribute(signerInfo, attribute(OID.timestampToken, (await token(signature)).toSchema()));
        },
      }),
    });
  const good = (signature: Uint8Array<ArrayBuffer>) => timestampTokenFor(world.authority, signature);
  const untrusted = (signature: Uint8Array<ArrayBuffer>) => timestampTokenFor(world.untrustedAuthority, signature);
  const overOtherBytes = () => timestampTokenFor(world.authority, new TextEncoder().encode("another signature"));
  add("timestamps", "no timestamp", sign({ primary: author(world.signer, { authority: null }) }));
  add("timestamps", "good timestamp", sign({ primary: author(world.signer) }));
  add(
    "timestamps",
    "timestamp from an untrusted TSA",
    sign({ primary: author(world.signer, { authority: world.untrustedAuthority }) }),
  );
  add("timestamps", "imprint does not match the signature", withTokens(world.signer, [overOtherBytes]));
  add("timestamps", "two good tokens", withTokens(world.signer, [good, good]));
  add("timestamps", "good token, then an untrusted one", withTokens(world.signer, [good, untrusted]));
  add("timestamps", "untrusted token, then a good one", withTokens(world.signer, [untrusted, good]));
  add("timestamps", "good token, then one over other bytes", withTokens(world.signer, [good, overOtherBytes]));
  add("timestamps", "token over other bytes, then a good one", withTokens(world.signer, [overOtherBytes, good]));
  add(
    "timestamps",
    "accuracy of a day",
    stampedBy(async () => world.tsa, { accuracySeconds: 86_400 }),
  );
  add("timestamps", "untrusted TSA on an expired signer", async (unsigned) =>
    signedPackage(
      {
        primary: author(
          await leaf("Signet Differential Expired Untrusted TSA", {
            notBefore: daysFromNow(-30),
            notAfter: daysFromNow(-5),
          }),
          { authority: world.untrustedAuthority },
        ),
      },
      unsigned,
    ),
  );

  // Countersignatures.
  const expiredAuthor = () =>
    leaf("Signet Differential Expired Author", { notBefore: daysFromNow(-30), notAfter: daysFromNow(-5) });
  const graftedCountersignature = (signerInfo: pkijs.SignerInfo) =>
    createSignerInfo(repository(), new TextEncoder().encode("the signature value of another package"), true).then(
      (grafted) =>
        addUnsignedAttribute(
          signerInfo,
          new pkijs.Attribute({ type: OID.countersignature, values: [grafted.toSchema()] }),
        ),
    );
  add(
    "countersignatures",
    "repository countersignature",
    sign({ primary: author(world.signer), countersigners: [repository()] }),
  );
  add(
    "countersignatures",
    "two repository countersignatures",
    sign({ primary: author(world.signer), countersigners: [repository(), repository()] }),
  );
  add(
    "countersignatures",
    "grafted repository countersignature",
    sign({ primary: author(world.signer, { editSignerInfo: graftedCountersignature }) }),
  );
  add(
    "countersignatures",
    "repository countersignature without timestamp",
    sign({ primary: author(world.signer), countersigners: [repository(world.repository, { authority: null })] }),
  );
  add("countersignatures", "repository countersignature from an untrusted root", async (unsigned) =>
    signedPackage(
      {
        primary: author(world.signer),
        countersigners: [
          repository(await leaf("Signet Differential Untrusted Repository", { issuer: world.untrustedRoot })),
        ],
      },
      unsigned,
    ),
  );
  add(
    "countersignatures",
    "repository countersignature with an untrusted TSA",
    sign({
      primary: author(world.signer),
      countersigners: [repository(world.repository, { authority: world.untrustedAuthority })],
    }),
  );
  add("countersignatures", "author from an untrusted root, valid repository countersignature", async (unsigned) =>
    signedPackage(
      {
        primary: author(await leaf("Signet Differential Untrusted Author", { issuer: world.untrustedRoot })),
        countersigners: [repository()],
      },
      unsigned,
    ),
  );
  add(
    "countersignatures",
    "author expired without timestamp, timestamped repository countersignature",
    async (unsigned) =>
      signedPackage(
        { primary: author(await expiredAuthor(), { authority: null }), countersigners: [repository()] },
        unsigned,
      ),
  );
  add(
    "countersignatures",
    "author expired without timestamp, repository countersignature timestamped while it was valid",
    async (unsigned) =>
      signedPackage(
        {
          primary: author(await expiredAuthor(), { authority: null }),
          countersigners: [repository(world.repository, { authority: await backdated(-10) })],
        },
        unsigned,
      ),
  );
  add(
    "countersignatures",
    "untimestamped author, repository countersignature",
    sign({ primary: author(world.signer, { authority: null }), countersigners: [repository()] }),
  );
  add("countersignatures", "forged repository countersigner", async (unsigned) =>
    signedPackage(
      {
        primary: author(world.signer),
        countersigners: [repository(await leaf("Signet Differential Forged Repository", { issuer: world.repository }))],
      },
      unsigned,
    ),
  );
  add("countersignatures", "repository primary signature", sign({ primary: repository() }));
  add(
    "countersignatures",
    "repository primary signature without timestamp",
    sign({ primary: repository(world.repository, { authority: null }) }),
  );
  add("countersignatures", "repository primary signature from an untrusted root", async (unsigned) =>
    signedPackage(
      {
        primary: repository(
          await leaf("Signet Differential Untrusted Repository Primary", { issuer: world.untrustedRoot }),
        ),
      },
      unsigned,
    ),
  );

  // Signed attributes NuGet reads when it loads a signature, each signed over as written.
  const editedAttributes =
    (edit: (attributes: pkijs.Attribute[]) => Promise<pkijs.Attribute[]> | pkijs.Attribute[]) =>
    async (unsigned: Uint8Array) => {
      const other = await leaf("Signet Differential Other Certificate");
      const attributes = await edit(
        await Promise.resolve([
          attribute(
            OID.signingCertificateV2,
            (await signingCertificateV2Attribute(other.certificate, "SHA-256")).values[0] as asn1js.AsnType,
          ),
        ]),
      );
      return signedPackage(
        {
          primary: author(world.signer, {
            editAttributes: (original) => [
              ...original.filter((candidate) => !attributes.some((added) => added.type === candidate.type)),
              ...attributes.filter((added) => added.values.length > 0),
            ],
          }),
        },
        unsigned,
      );
    };
  const dropAttribute = (type: string) => editedAttributes(() => [new pkijs.Attribute({ type, values: [] })]);
  add("signed attributes", "no signing-certificate-v2", dropAttribute(OID.signingCertificateV2));
  add("signed attributes", "no signing-time", dropAttribute(OID.signingTime));
  add(
    "signed attributes",
    "no commitment type (a signature of unknown kind)",
    dropAttribute(OID.commitmentTypeIndication),
  );
  add(
    "signed attributes",
    "signing-certificate-v2 naming another certificate",
    editedAttributes((attributes) => attributes),
  );
  add(
    "signed attributes",
    "signing-certificate-v2 that cannot be decoded",
    editedAttributes(() => [
      attribute(OID.signingCertificateV2, new asn1js.Sequence({ value: [new asn1js.Integer({ value: 1 })] })),
    ]),
  );
  add(
    "signed attributes",
    "RSA-1024 signer whose signing-certificate-v2 names another certificate",
    async (unsigned) => {
      const other = await leaf("Signet Differential Other Certificate");
      const signer = await leaf("Signet Differential RSA-1024 ESS", { key: world.keys.rsa1024 });
      const ess = await signingCertificateV2Attribute(other.certificate, "SHA-256");
      return signedPackage(
        {
          primary: author(signer, {
            editAttributes: (original) =>
              original.map((candidate) => (candidate.type === OID.signingCertificateV2 ? ess : candidate)),
          }),
        },
        unsigned,
      );
    },
  );
  add(
    "signed attributes",
    "signing-certificate-v2 listing no certificates",
    editedAttributes(() => [
      attribute(OID.signingCertificateV2, new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [] })] })),
    ]),
  );

  // Tampering with a valid signed package.
  for (const damage of Object.keys(DAMAGE) as DamageClass[]) {
    const seeds = FIXED_DAMAGE.has(damage) ? TAMPER_SEEDS.slice(0, 1) : TAMPER_SEEDS;
    for (const seed of seeds) {
      add(
        "tampering",
        `${damage} (seed ${seed})`,
        async (unsigned) =>
          DAMAGE[damage](await signedPackage({ primary: author(world.signer) }, unsigned), seededRandom(seed)),
        damage,
      );
    }
  }
  return cases;
}
