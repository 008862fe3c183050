// The digest algorithms the authority accepts in a request's message imprint and uses for
// its own token. NuGet rejects SHA-1 imprints (NU3030) and SHA-1 token digests (NU3024), so
// only the SHA-2 family is offered.

export type DigestAlgorithmName = "SHA-256" | "SHA-384" | "SHA-512";

interface DigestAlgorithm {
  name: DigestAlgorithmName;
  oid: string;
  digestLength: number;
}

const DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = [
  { name: "SHA-256", oid: "2.16.840.1.101.3.4.2.1", digestLength: 32 },
  { name: "SHA-384", oid: "2.16.840.1.101.3.4.2.2", digestLength: 48 },
  { name: "SHA-512", oid: "2.16.840.1.101.3.4.2.3", digestLength: 64 },
];

export function digestAlgorithmByOid(oid: string): DigestAlgorithm | undefined {
  return DIGEST_ALGORITHMS.find((algorithm) => algorithm.oid === oid);
}

export function digestAlgorithmByName(name: DigestAlgorithmName): DigestAlgorithm {
  const algorithm = DIGEST_ALGORITHMS.find((candidate) => candidate.name === name);
  if (!algorithm) throw new RangeError(`Unknown digest algorithm ${name}`);
  return algorithm;
}

export async function digest(name: DigestAlgorithmName, data: BufferSource): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest(name, data));
}
