// A generated corpus of hostile packages (issue 14): every refusal class the upload rules know,
// in many variants, each with the codes its refusal must carry. Built in memory from a fixed
// seed, so a failure names a package that can be rebuilt. test/hostile/hostile-corpus.test.ts
// sends every one through the push API and the browser upload route; e2e/hostile-corpus.spec.ts
// sends a sample over real HTTP to `next start`.

import { STORED, buildEntry, type RawZipEntry } from "@/test/support/zip";
import { addSignatureEntry, buildUnsignedPackage } from "@/test/support/nupkg";
import {
  declaringSize,
  entry,
  packageWith,
  withCompressionMethod,
  withCrc,
  withDeclaredSizes,
  zipOf,
} from "@/test/uploads/packages";

export interface HostilePackage {
  /** Unique, readable: the class and the variant. */
  name: string;
  bytes: Uint8Array;
  /** The refusal must carry one of these codes as an error (or match the pattern). */
  expected: readonly string[] | RegExp;
}

/** Codes that say nothing about what is wrong; no hostile package may be refused with only these. */
export const GENERIC_CODES: ReadonlySet<string> = new Set([
  "REQUEST_REFUSED",
  "UPLOAD_REFUSED",
  "INTERNAL_ERROR",
  "INVALID_REQUEST",
  "UNEXPECTED_ERROR",
]);

const encoder = new TextEncoder();

/** mulberry32: a small seeded generator, so the corpus is the same on every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytes(random: () => number, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => Math.floor(random() * 256));
}

/** The entry with the "encrypted" flag set in both headers. */
function encrypted(original: RawZipEntry): RawZipEntry {
  const localHeader = original.localHeader.slice();
  const centralHeader = original.centralHeader.slice();
  const local = new DataView(localHeader.buffer);
  const central = new DataView(centralHeader.buffer);
  local.setUint16(6, local.getUint16(6, true) | 1, true);
  central.setUint16(8, central.getUint16(8, true) | 1, true);
  return { ...original, localHeader, centralHeader };
}

function manifest(
  id: string,
  metadata: string,
  root = "package",
  namespace = "http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd",
): string {
  return `<?xml version="1.0" encoding="utf-8"?><${root} xmlns="${namespace}"><metadata>${metadata}</metadata></${root}>`;
}

const VALID_FIELDS = (id: string) =>
  `<id>${id}</id><version>1.0.0</version><authors>a</authors><description>d</description>`;

function notZips(random: () => number): HostilePackage[] {
  const packages: HostilePackage[] = [];
  for (let variant = 0; variant < 60; variant++) {
    packages.push({
      name: `not-a-zip/random-${variant}`,
      bytes: randomBytes(random, 1 + Math.floor(random() * 4000)),
      expected: ["ZIP_INVALID"],
    });
  }
  const headers = [
    "%PDF-1.7\n",
    "\x1f\x8b\x08\x00",
    "MZ\x90\x00",
    '<?xml version="1.0"?><package/>',
    "PK\x03\x04",
    "PK\x05\x06",
    "PK\x01\x02",
    "Rar!\x1a\x07",
    "7z\xbc\xaf\x27\x1c",
  ];
  for (const header of headers) {
    packages.push({
      name: `not-a-zip/header-${JSON.stringify(header)}`,
      bytes: Uint8Array.from([...encoder.encode(header), ...randomBytes(random, 200)]),
      expected: ["ZIP_INVALID"],
    });
  }
  // An end-of-central-directory record and nothing else: a zip with no entries.
  const emptyZip = new Uint8Array(22);
  new DataView(emptyZip.buffer).setUint32(0, 0x06054b50, true);
  packages.push({ name: "not-a-zip/empty-archive", bytes: emptyZip, expected: ["ZIP_INVALID"] });
  packages.push({ name: "not-a-zip/no-bytes", bytes: new Uint8Array(0), expected: ["PACKAGE_EMPTY"] });
  return packages;
}

function truncated(random: () => number): HostilePackage[] {
  const whole = buildUnsignedPackage({
    id: "Hostile.Truncated",
    version: "1.0.0",
    files: { "content/a.txt": "a".repeat(5000) },
  });
  return Array.from({ length: 60 }, (_, variant) => {
    // Every cut loses the end-of-central-directory record (the last 22 bytes).
    const cut = 1 + Math.floor(random() * (whole.byteLength - 23));
    return {
      name: `truncated/${variant}-at-${cut}`,
      bytes: whole.slice(0, cut),
      expected: ["ZIP_INVALID"],
    } satisfies HostilePackage;
  }).concat([
    { name: "truncated/one-byte-short", bytes: whole.slice(0, whole.byteLength - 1), expected: ["ZIP_INVALID"] },
  ]);
}

const UNSUPPORTED_METHODS = [1, 2, 3, 4, 5, 6, 7, 9, 10, 12, 14, 18, 19, 20, 93, 94, 95, 96, 97, 98, 99];

function compressionMethods(): HostilePackage[] {
  return UNSUPPORTED_METHODS.flatMap((method) => {
    const id = `Hostile.Method${method}`;
    const content = withCompressionMethod(
      buildEntry("content/data.bin", encoder.encode("compressed by something else"), STORED),
      method,
    );
    const manifestEntry = withCompressionMethod(
      buildEntry(`${id}.nuspec`, encoder.encode(manifest(id, VALID_FIELDS(id))), STORED),
      method,
    );
    return [
      {
        name: `compression/content-method-${method}`,
        bytes: packageWith(id, [content]),
        expected: ["ZIP_COMPRESSION_UNSUPPORTED"],
      },
      {
        name: `compression/manifest-method-${method}`,
        bytes: zipOf([manifestEntry]),
        expected: ["ZIP_COMPRESSION_UNSUPPORTED"],
      },
    ];
  });
}

function damagedData(random: () => number): HostilePackage[] {
  const packages: HostilePackage[] = [];
  for (let variant = 0; variant < 15; variant++) {
    const id = `Hostile.Crc${variant}`;
    const crc = Math.floor(random() * 0xffffffff);
    packages.push({
      name: `crc/deflated-${variant}`,
      bytes: packageWith(id, [withCrc(entry("content/a.txt", `content ${variant}`), crc)]),
      expected: ["ZIP_ENTRY_CRC_MISMATCH"],
    });
    packages.push({
      name: `crc/stored-${variant}`,
      bytes: packageWith(id, [withCrc(buildEntry("content/a.bin", randomBytes(random, 100), STORED), crc)]),
      expected: ["ZIP_ENTRY_CRC_MISMATCH"],
    });
  }
  for (let variant = 0; variant < 5; variant++) {
    const id = `Hostile.CrcManifest${variant}`;
    packages.push({
      name: `crc/manifest-${variant}`,
      bytes: zipOf([withCrc(entry(`${id}.nuspec`, manifest(id, VALID_FIELDS(id))), variant + 1)]),
      expected: ["ZIP_ENTRY_CRC_MISMATCH"],
    });
  }
  for (const [variant, declared] of [0, 1, 99, 4095, 70_000].entries()) {
    const id = `Hostile.Size${variant}`;
    packages.push({
      name: `size/declares-${declared}`,
      bytes: packageWith(id, [declaringSize(entry("content/a.txt", "x".repeat(5000)), declared)]),
      expected: ["ZIP_ENTRY_SIZE_MISMATCH"],
    });
  }
  for (let variant = 0; variant < 5; variant++) {
    packages.push({
      name: `encrypted/${variant}`,
      bytes: packageWith(`Hostile.Encrypted${variant}`, [encrypted(entry("content/secret.txt", "hidden"))]),
      expected: ["ZIP_ENTRY_ENCRYPTED"],
    });
  }
  // Bit flips inside an entry's compressed data: it no longer inflates, or inflates to other bytes.
  const original = entry(
    "content/payload.txt",
    Array.from({ length: 400 }, (_, line) => `line ${line} of the payload\n`).join(""),
  );
  for (let variant = 0; variant < 80; variant++) {
    const data = original.data.slice();
    for (let flips = 1 + Math.floor(random() * 3); flips > 0; flips--) {
      const at = Math.floor(random() * data.byteLength);
      data[at] = (data[at] ?? 0) ^ (1 << Math.floor(random() * 8));
    }
    packages.push({
      name: `flipped-data/${variant}`,
      bytes: packageWith(`Hostile.Flipped${variant}`, [{ ...original, data }]),
      expected: ["ZIP_ENTRY_CORRUPT", "ZIP_ENTRY_CRC_MISMATCH", "ZIP_ENTRY_SIZE_MISMATCH"],
    });
  }
  return packages;
}

const UNSAFE_NAMES: readonly [string, string][] = [
  [".", "ZIP_ENTRY_NAME_INVALID"],
  ["./", "ZIP_ENTRY_NAME_INVALID"],
  ["%2e", "ZIP_ENTRY_NAME_INVALID"],
  ["../evil.dll", "ZIP_ENTRY_PATH_TRAVERSAL"],
  ["..\\evil.dll", "ZIP_ENTRY_PATH_TRAVERSAL"],
  ["lib/../../evil.dll", "ZIP_ENTRY_PATH_TRAVERSAL"],
  ["lib\\..\\..\\evil.dll", "ZIP_ENTRY_PATH_TRAVERSAL"],
  ["lib/..\\..\\evil.dll", "ZIP_ENTRY_PATH_TRAVERSAL"],
  ["%2e%2e/evil.dll", "ZIP_ENTRY_PATH_TRAVERSAL"],
  ["%2E%2E%5Cevil.dll", "ZIP_ENTRY_PATH_TRAVERSAL"],
  ["/etc/cron.d/evil", "ZIP_ENTRY_PATH_TRAVERSAL"],
  ["\\Windows\\evil.dll", "ZIP_ENTRY_PATH_TRAVERSAL"],
  ["%2Fetc%2Fpasswd", "ZIP_ENTRY_PATH_TRAVERSAL"],
  ["C:/evil.dll", "ZIP_ENTRY_PATH_TRAVERSAL"],
  ["c:evil.dll", "ZIP_ENTRY_PATH_TRAVERSAL"],
  ["Z:\\evil.dll", "ZIP_ENTRY_PATH_TRAVERSAL"],
  ["lib//evil.dll", "ZIP_ENTRY_NAME_INVALID"],
  ["lib/./evil.dll", "ZIP_ENTRY_NAME_INVALID"],
  ["lib\\\\evil.dll", "ZIP_ENTRY_NAME_INVALID"],
  ["", "ZIP_ENTRY_NAME_INVALID"],
  ["lib/evil\u0000.dll", "ZIP_ENTRY_NAME_INVALID"],
  ["lib/evil\u0007.dll", "ZIP_ENTRY_NAME_INVALID"],
  ["lib/evil\n.dll", "ZIP_ENTRY_NAME_INVALID"],
  ["lib/evil%0A.dll", "ZIP_ENTRY_NAME_INVALID"],
  ["lib/evil\u007f.dll", "ZIP_ENTRY_NAME_INVALID"],
  ["lib/a.dll:hidden", "ZIP_ENTRY_NAME_STREAM"],
  ["lib/a.dll::$DATA", "ZIP_ENTRY_NAME_STREAM"],
  ["content/file:Zone.Identifier", "ZIP_ENTRY_NAME_STREAM"],
  ["lib/a%3Ab.dll", "ZIP_ENTRY_NAME_STREAM"],
  ["lib/what?.dll", "ZIP_ENTRY_NAME_INVALID"],
  ["lib/star*.dll", "ZIP_ENTRY_NAME_INVALID"],
  ["lib/a<b.dll", "ZIP_ENTRY_NAME_INVALID"],
  ["lib/a>b.dll", "ZIP_ENTRY_NAME_INVALID"],
  ['lib/a"b.dll', "ZIP_ENTRY_NAME_INVALID"],
  ["lib/a|b.dll", "ZIP_ENTRY_NAME_INVALID"],
  ["lib/trailing.", "ZIP_ENTRY_NAME_INVALID"],
  ["lib/trailing ", "ZIP_ENTRY_NAME_INVALID"],
  ["lib. /a.dll", "ZIP_ENTRY_NAME_INVALID"],
  ["content /a.txt", "ZIP_ENTRY_NAME_INVALID"],
];

const DEVICE_NAMES = [
  "CON",
  "PRN",
  "AUX",
  "NUL",
  ...Array.from({ length: 9 }, (_, n) => `COM${n + 1}`),
  ...Array.from({ length: 9 }, (_, n) => `LPT${n + 1}`),
  "com\u00b9",
  "LPT\u00b3",
];

const BIDI_CHARACTERS = [
  "\u202a",
  "\u202b",
  "\u202c",
  "\u202d",
  "\u202e",
  "\u2066",
  "\u2067",
  "\u2068",
  "\u2069",
  "\u200e",
  "\u200f",
  "\u061c",
];

function unsafeNames(): HostilePackage[] {
  const named = (name: string, expected: string, label: string): HostilePackage => ({
    name: `entry-name/${label}`,
    bytes: packageWith("Hostile.Name", [entry(name, "x")]),
    expected: [expected],
  });
  return [
    ...UNSAFE_NAMES.map(([name, code]) => named(name, code, JSON.stringify(name))),
    ...DEVICE_NAMES.flatMap((device) => [
      named(`content/${device.toLowerCase()}`, "ZIP_ENTRY_NAME_RESERVED", `device ${device}`),
      named(`lib/net8.0/${device}.dll`, "ZIP_ENTRY_NAME_RESERVED", `device ${device}.dll`),
    ]),
    ...BIDI_CHARACTERS.flatMap((character) => {
      const hex = character.codePointAt(0)!.toString(16);
      const percent = Array.from(encoder.encode(character), (byte) => `%${byte.toString(16).toUpperCase()}`).join("");
      return [
        named(`content/invoice${character}fdp.exe`, "ZIP_ENTRY_NAME_BIDI_CONTROL", `bidi U+${hex}`),
        named(`content/invoice${percent}fdp.exe`, "ZIP_ENTRY_NAME_BIDI_CONTROL", `bidi U+${hex} percent-encoded`),
      ];
    }),
    ...[261, 300, 1000, 4096, 65_000].map((length) =>
      named(`content/${"n".repeat(length)}`, "ZIP_ENTRY_NAME_TOO_LONG", `${length} characters`),
    ),
    ...[256, 300].map((bytes) =>
      named(`content/${"é".repeat(bytes / 2)}x.txt`, "ZIP_ENTRY_NAME_TOO_LONG", `segment of ${bytes}+ bytes`),
    ),
    ...[1, 2, 3].map((copies) => ({
      name: `entry-name/duplicate-${copies}`,
      bytes: packageWith("Hostile.Duplicate", [
        entry("content/a.txt", "1"),
        ...Array.from({ length: copies }, (_, n) => entry(n % 2 ? "CONTENT/A.TXT" : "content/a.txt", "2")),
      ]),
      expected: ["ZIP_DUPLICATE_ENTRY"],
    })),
  ];
}

function zipBombs(): HostilePackage[] {
  const packages: HostilePackage[] = [];
  const files = { "content/a.bin": "a", "content/b.bin": "b" };
  for (const declared of [0xf0000000, 0xffffffff, 0x80000001]) {
    packages.push({
      name: `bomb/declares-${declared}`,
      bytes: withDeclaredSizes(
        buildUnsignedPackage({ id: "Hostile.Declared", version: "1.0.0", files }),
        Object.keys(files),
        declared,
      ),
      expected: ["PACKAGE_UNCOMPRESSED_TOO_LARGE"],
    });
  }
  const spaces = new Uint8Array(64 * 1024 * 1024).fill(0x20);
  spaces.set(encoder.encode("<package/>"));
  const manifestBomb = entry("Hostile.Bomb.nuspec", spaces);
  packages.push({ name: "bomb/manifest-64MB", bytes: zipOf([manifestBomb]), expected: ["ZIP_ENTRY_TOO_LARGE"] });
  packages.push({
    name: "bomb/manifest-lying-size",
    bytes: zipOf([declaringSize(manifestBomb, 2_000)]),
    expected: ["ZIP_ENTRY_TOO_LARGE", "ZIP_ENTRY_SIZE_MISMATCH"],
  });
  const zeros = entry("content/zeros.bin", new Uint8Array(128 * 1024 * 1024));
  packages.push({
    name: "bomb/content-lying-size",
    bytes: packageWith("Hostile.Zeros", [declaringSize(zeros, 1024)]),
    expected: ["ZIP_ENTRY_SIZE_MISMATCH"],
  });
  const empty = new Uint8Array(0);
  const manyFiles = Array.from({ length: 20_001 }, (_, index) => buildEntry(`c/${index}`, empty, STORED));
  packages.push({
    name: "bomb/20001-entries",
    bytes: packageWith("Hostile.Many", manyFiles),
    expected: ["PACKAGE_TOO_MANY_ENTRIES"],
  });
  return packages;
}

const INVALID_VERSIONS = [
  "",
  "1.0.0-beta_1",
  "1.2.3.4.5",
  "v1.0.0",
  "1.0.0-01",
  "1.0.0-a.01",
  "x.y.z",
  "1.0.0.0.0",
  "1..0",
  "-1.0.0",
  "1.0.0-",
  "1.0.0-beta..1",
  "1.0.0+",
  "01.0.0-01",
  "1.0.0 beta",
  "9999999999999999999.0.0",
  "1.0.0-β",
  "1.0.0\u0000",
];
const INVALID_IDS = [
  "",
  "Bad..Id",
  ".Leading",
  "Trailing.",
  "has space",
  "semi;colon",
  "slash/id",
  "back\\slash",
  "a".repeat(101),
  "<script>",
  "id%2F",
  "-dash",
];

function malformedManifests(): HostilePackage[] {
  const nuspecCodes = /^(NUSPEC_[A-Z_]+|PACKAGE_ID_[A-Z_]+|VERSION_[A-Z_]+|DEPENDENCY_ID_INVALID|ZIP_ENTRY_TOO_LARGE)$/;
  const one = (label: string, nuspec: string, id = "Hostile.Manifest"): HostilePackage => ({
    name: `manifest/${label}`,
    bytes: zipOf([entry(`${id}.nuspec`, nuspec)]),
    expected: nuspecCodes,
  });
  const id = "Hostile.Manifest";
  return [
    one("not xml", "this is not xml at all"),
    one("unclosed", "<package><metadata><id>x</id>"),
    one("wrong root", manifest(id, VALID_FIELDS(id), "project")),
    one("unknown schema", manifest(id, VALID_FIELDS(id), "package", "http://example.test/not-nuspec")),
    one("dtd", `<?xml version="1.0"?><!DOCTYPE package [<!ELEMENT package ANY>]>${manifest(id, VALID_FIELDS(id))}`),
    one(
      "xxe",
      `<?xml version="1.0"?><!DOCTYPE package [<!ENTITY x SYSTEM "file:///etc/passwd">]>${manifest(id, `<id>&x;</id><version>1.0.0</version><authors>a</authors><description>d</description>`)}`,
    ),
    one(
      "billion laughs",
      `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>${manifest(id, "<id>&lol2;</id>")}`,
    ),
    one(
      "no metadata",
      `<?xml version="1.0"?><package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd"></package>`,
    ),
    one("no id", manifest(id, "<version>1.0.0</version><authors>a</authors><description>d</description>")),
    one("no version", manifest(id, `<id>${id}</id><authors>a</authors><description>d</description>`)),
    one("no authors", manifest(id, `<id>${id}</id><version>1.0.0</version><description>d</description>`)),
    one("no description", manifest(id, `<id>${id}</id><version>1.0.0</version><authors>a</authors>`)),
    one("duplicate id", manifest(id, `${VALID_FIELDS(id)}<id>Other</id>`)),
    one(
      "nul in description",
      manifest(id, `<id>${id}</id><version>1.0.0</version><authors>a</authors><description>d\u0000d</description>`),
    ),
    one(
      "nul in id",
      manifest(id, `<id>${id}\u0000</id><version>1.0.0</version><authors>a</authors><description>d</description>`),
      "Hostile.NulId",
    ),
    one("utf-16 garbage", String.fromCharCode(0xfeff) + "\ud800\udc00<package/>"),
    one(
      "huge description",
      manifest(
        id,
        `<id>${id}</id><version>1.0.0</version><authors>a</authors><description>${"d".repeat(1_100_000)}</description>`,
      ),
    ),
    one("huge title", manifest(id, `${VALID_FIELDS(id)}<title>${"t".repeat(300_000)}</title>`)),
    one(
      "huge tags",
      manifest(
        id,
        `${VALID_FIELDS(id)}<tags>${Array.from({ length: 20_000 }, (_, tag) => `tag${tag}`).join(" ")}</tags>`,
      ),
    ),
    one("long language", manifest(id, `${VALID_FIELDS(id)}<language>${"en-".repeat(20)}</language>`)),
    one(
      "bad dependency id",
      manifest(id, `${VALID_FIELDS(id)}<dependencies><dependency id="bad id!" version="1.0.0"/></dependencies>`),
    ),
    one(
      "bad dependency range",
      manifest(id, `${VALID_FIELDS(id)}<dependencies><dependency id="Ok" version="[1.0.0"/></dependencies>`),
    ),
    ...INVALID_VERSIONS.map((version, index) =>
      one(
        `version ${JSON.stringify(version)}`,
        manifest(id, `<id>${id}</id><version>${version}</version><authors>a</authors><description>d</description>`),
        `${id}${index}`,
      ),
    ),
    ...INVALID_IDS.map((badId, index) =>
      one(
        `id ${JSON.stringify(badId.slice(0, 20))}`,
        manifest(
          badId,
          `<id>${badId.replaceAll("<", "&lt;")}</id><version>1.0.0</version><authors>a</authors><description>d</description>`,
        ),
        `Hostile.Id${index}`,
      ),
    ),
  ];
}

function misplacedFiles(): HostilePackage[] {
  const id = "Hostile.Files";
  const withReadme = (readme: string, files: RawZipEntry[]) =>
    zipOf([entry(`${id}.nuspec`, manifest(id, `${VALID_FIELDS(id)}<readme>${readme}</readme>`)), ...files]);
  return [
    { name: "files/no-manifest", bytes: zipOf([entry("content/a.txt", "a")]), expected: ["NUSPEC_NOT_FOUND"] },
    {
      name: "files/manifest-in-folder",
      bytes: zipOf([entry(`lib/${id}.nuspec`, manifest(id, VALID_FIELDS(id)))]),
      expected: ["NUSPEC_NOT_FOUND"],
    },
    {
      name: "files/two-manifests",
      bytes: zipOf([
        entry("A.nuspec", manifest("A", VALID_FIELDS("A"))),
        entry("B.nuspec", manifest("B", VALID_FIELDS("B"))),
      ]),
      expected: ["NUSPEC_MULTIPLE"],
    },
    { name: "files/readme-missing", bytes: withReadme("README.md", []), expected: ["EMBEDDED_FILE_MISSING"] },
    {
      name: "files/readme-wrong-case",
      bytes: withReadme("README.md", [entry("readme.md", "# hi")]),
      expected: ["EMBEDDED_FILE_MISSING"],
    },
    {
      name: "files/readme-not-markdown",
      bytes: withReadme("readme.exe", [entry("readme.exe", "MZ")]),
      expected: ["EMBEDDED_FILE_TYPE"],
    },
    {
      name: "files/readme-not-utf8",
      bytes: withReadme("README.md", [entry("README.md", Uint8Array.from([0xff, 0xfe, 0xc3, 0x28]))]),
      expected: ["README_INVALID_ENCODING"],
    },
    {
      name: "files/readme-with-nul",
      bytes: withReadme("README.md", [entry("README.md", "# Title\u0000hidden")]),
      expected: ["README_INVALID_ENCODING"],
    },
    {
      name: "files/readme-too-large",
      bytes: withReadme("README.md", [entry("README.md", "#".repeat(1024 * 1024 + 1))]),
      expected: ["ZIP_ENTRY_TOO_LARGE"],
    },
  ];
}

function badSignatures(random: () => number): HostilePackage[] {
  const signatureCodes = /^NU3\d{3}$/;
  const unsigned = buildUnsignedPackage({ id: "Hostile.Signed", version: "1.0.0" });
  const signatures: [string, Uint8Array][] = [
    ["empty", new Uint8Array(0)],
    ["one byte", Uint8Array.of(0x30)],
    ["text", encoder.encode("this is not a signature")],
    ["truncated sequence", Uint8Array.of(0x30, 0x82, 0xff, 0xff, 0x06)],
    ["indefinite length", Uint8Array.of(0x30, 0x80, 0x00, 0x00)],
    ["deep nesting", Uint8Array.from({ length: 2000 }, (_, index) => (index % 2 ? 0x80 : 0x30))],
    ...Array.from(
      { length: 14 },
      (_, variant) =>
        [`random ${variant}`, randomBytes(random, 16 + Math.floor(random() * 3000))] as [string, Uint8Array],
    ),
  ];
  return signatures.map(([label, signature]) => ({
    name: `signature/${label}`,
    bytes: addSignatureEntry(unsigned, signature),
    expected: signatureCodes,
  }));
}

/** The whole corpus: more than 500 packages, each refused for a reason it names. */
export function hostileCorpus(): HostilePackage[] {
  const random = seeded(0x1405);
  return [
    ...notZips(random),
    ...truncated(random),
    ...compressionMethods(),
    ...damagedData(random),
    ...unsafeNames(),
    ...zipBombs(),
    ...malformedManifests(),
    ...misplacedFiles(),
    ...badSignatures(random),
  ];
}

/** Whether the refusal's error codes include what the package was built to be refused for. */
export function refusedAsExpected(hostile: HostilePackage, errorCodes: readonly string[]): boolean {
  const { expected } = hostile;
  return errorCodes.some((code) => (expected instanceof RegExp ? expected.test(code) : expected.includes(code)));
}
