// The tree math against published vectors (RFC 6962's reference inputs, with the roots and
// proofs certificate-transparency's reference implementation publishes for them), and against
// an independent implementation: a Python program written from RFC 9162 alone checks every
// root, inclusion proof and consistency proof for trees of 1 to 300 leaves.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import {
  appendLeaf,
  compactRangeNodes,
  consistencyProofRanges,
  EMPTY_TREE_ROOT,
  hashRanges,
  inclusionProofRanges,
  leafHash,
  lookupFrom,
  nodesOfRanges,
  rootFromCompactRange,
  verifyConsistency,
  verifyInclusion,
  type Hash,
  type NodeLookup,
  type StoredNode,
} from "./merkle";

const execFileAsync = promisify(execFile);

const hex = (hash: Uint8Array) => Buffer.from(hash).toString("hex");
const fromHex = (text: string) => new Uint8Array(Buffer.from(text, "hex"));

/** A tree built by appending, as the log does, with every stored node and every root on the way. */
function buildTree(entries: readonly Uint8Array[]): {
  lookup: NodeLookup;
  roots: Hash[];
  leaves: Hash[];
  nodes: StoredNode[];
} {
  let compactRange: Hash[] = [];
  const nodes: StoredNode[] = [];
  const roots: Hash[] = [EMPTY_TREE_ROOT];
  const leaves = entries.map(leafHash);
  leaves.forEach((leaf, size) => {
    const appended = appendLeaf(size, compactRange, leaf);
    compactRange = appended.compactRange;
    nodes.push(...appended.nodes);
    roots.push(appended.root);
  });
  return { lookup: lookupFrom(nodes), roots, leaves, nodes };
}

// RFC 6962's reference inputs and the roots of their first n (certificate-transparency's
// reference test data, also in transparency-dev/merkle).
const RFC_INPUTS = [
  "",
  "00",
  "10",
  "2021",
  "3031",
  "40414243",
  "5051525354555657",
  "606162636465666768696a6b6c6d6e6f",
].map(fromHex);
const RFC_ROOTS = [
  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];
const RFC_INCLUSION = [
  {
    index: 0,
    size: 8,
    proof: [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
  { index: 2, size: 3, proof: ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"] },
  {
    index: 1,
    size: 5,
    proof: [
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  },
  { index: 0, size: 1, proof: [] },
];
const RFC_CONSISTENCY = [
  { size1: 1, size2: 1, proof: [] },
  {
    size1: 1,
    size2: 8,
    proof: [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  },
  {
    size1: 6,
    size2: 8,
    proof: [
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
  {
    size1: 2,
    size2: 5,
    proof: [
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  },
  {
    size1: 6,
    size2: 7,
    proof: [
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
];

describe("RFC 6962 reference vectors", () => {
  const tree = buildTree(RFC_INPUTS);

  it("gives the published root for the empty tree and for the first 1 to 8 inputs", () => {
    expect(tree.roots.map(hex)).toEqual(RFC_ROOTS);
    expect(hex(EMPTY_TREE_ROOT)).toBe(RFC_ROOTS[0]);
  });

  it("builds the published inclusion proofs, which verify", () => {
    for (const { index, size, proof } of RFC_INCLUSION) {
      const built = hashRanges(inclusionProofRanges(index, size), tree.lookup);
      expect(built.map(hex), `leaf ${index} of ${size}`).toEqual(proof);
      expect(verifyInclusion(index, size, tree.leaves[index] as Hash, built, tree.roots[size] as Hash)).toBe(true);
    }
  });

  it("builds the published consistency proofs, which verify", () => {
    for (const { size1, size2, proof } of RFC_CONSISTENCY) {
      const built = hashRanges(consistencyProofRanges(size1, size2), tree.lookup);
      expect(built.map(hex), `${size1} to ${size2}`).toEqual(proof);
      expect(verifyConsistency(size1, size2, built, tree.roots[size1] as Hash, tree.roots[size2] as Hash)).toBe(true);
    }
  });

  it("refuses corrupted inclusion proofs: wrong index, size, leaf or root, a flipped bit, a hash added or taken away", () => {
    const { index, size } = { index: 5, size: 8 };
    const proof = hashRanges(inclusionProofRanges(index, size), tree.lookup);
    const leaf = tree.leaves[index] as Hash;
    const root = tree.roots[size] as Hash;
    const flipped = proof.map((hash, position) =>
      position === 1 ? Uint8Array.from(hash, (byte, i) => (i === 0 ? byte ^ 8 : byte)) : hash,
    );
    const probes: [string, boolean][] = [
      ["index - 1", verifyInclusion(index - 1, size, leaf, proof, root)],
      ["index + 1", verifyInclusion(index + 1, size, leaf, proof, root)],
      ["size * 2", verifyInclusion(index, size * 2, leaf, proof, root)],
      ["size / 2", verifyInclusion(index, size / 2, leaf, proof, root)],
      ["index = size", verifyInclusion(size, size, leaf, proof, root)],
      ["other leaf", verifyInclusion(index, size, tree.leaves[4] as Hash, proof, root)],
      ["empty root", verifyInclusion(index, size, leaf, proof, EMPTY_TREE_ROOT)],
      ["flipped bit", verifyInclusion(index, size, leaf, flipped, root)],
      ["trailing root", verifyInclusion(index, size, leaf, [...proof, root], root)],
      ["preceding root", verifyInclusion(index, size, leaf, [root, ...proof], root)],
      ["removed hash", verifyInclusion(index, size, leaf, proof.slice(0, -1), root)],
      ["short hash", verifyInclusion(index, size, leaf, [...proof.slice(0, -1), new Uint8Array(31)], root)],
    ];
    expect(probes.filter(([, accepted]) => accepted).map(([name]) => name)).toEqual([]);
  });

  it("refuses corrupted consistency proofs: wrong sizes or roots, swapped roots, empty, truncated or padded proofs", () => {
    const { size1, size2 } = { size1: 6, size2: 8 };
    const proof = hashRanges(consistencyProofRanges(size1, size2), tree.lookup);
    const root1 = tree.roots[size1] as Hash;
    const root2 = tree.roots[size2] as Hash;
    const probes: [string, boolean][] = [
      ["size1 - 1", verifyConsistency(size1 - 1, size2, proof, root1, root2)],
      ["size1 + 1", verifyConsistency(size1 + 1, size2, proof, root1, root2)],
      ["size2 * 2", verifyConsistency(size1, size2 * 2, proof, root1, root2)],
      ["size1 > size2", verifyConsistency(size2, size1, proof, root2, root1)],
      ["wrong root1", verifyConsistency(size1, size2, proof, tree.roots[5] as Hash, root2)],
      ["wrong root2", verifyConsistency(size1, size2, proof, root1, tree.roots[7] as Hash)],
      ["swapped roots", verifyConsistency(size1, size2, proof, root2, root1)],
      ["empty proof", verifyConsistency(size1, size2, [], root1, root2)],
      ["truncated", verifyConsistency(size1, size2, proof.slice(0, -1), root1, root2)],
      ["trailing root", verifyConsistency(size1, size2, [...proof, root2], root1, root2)],
      ["preceding proof[0]", verifyConsistency(size1, size2, [proof[0] as Hash, ...proof], root1, root2)],
      ["equal sizes, different roots", verifyConsistency(size2, size2, [], root1, root2)],
      ["equal sizes, non-empty proof", verifyConsistency(size2, size2, [root2], root2, root2)],
    ];
    expect(probes.filter(([, accepted]) => accepted).map(([name]) => name)).toEqual([]);
  });

  it("keeps the compact range: its nodes are stored and fold to the root at every size", () => {
    for (let size = 0; size <= RFC_INPUTS.length; size++) {
      const range = compactRangeNodes(size).map(tree.lookup);
      expect(hex(rootFromCompactRange(range))).toBe(RFC_ROOTS[size]);
    }
  });

  it("stores each node once: a tree of n leaves keeps 2n - popcount(n) nodes", () => {
    const keys = tree.nodes.map((node) => `${node.level}/${node.index}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBe(2 * 8 - 1);
  });

  it("asks storage for O(log n) nodes for any proof", () => {
    const size = 1_000_000;
    for (const index of [0, 1, 499_999, 524_288, 999_999]) {
      expect(nodesOfRanges(inclusionProofRanges(index, size)).length).toBeLessThanOrEqual(
        2 * Math.ceil(Math.log2(size)),
      );
    }
    expect(nodesOfRanges(consistencyProofRanges(333_333, size)).length).toBeLessThanOrEqual(
      2 * Math.ceil(Math.log2(size)),
    );
  });
});

const LARGEST = 300;

async function hasPython(): Promise<boolean> {
  try {
    await execFileAsync("python3", ["--version"]);
    return true;
  } catch {
    return false;
  }
}

const python = await hasPython();
if (!python) {
  const message = "SKIPPED: lib/tlog/merkle.test.ts independent RFC 9162 check — python3 is not on PATH.";
  if (process.env.CI === "true") throw new Error(message);
  console.warn(`\n${"#".repeat(78)}\n# ${message}\n${"#".repeat(78)}\n`);
}

describe.skipIf(!python)(
  "against an independent RFC 9162 implementation (Python), every tree of 1 to 300 leaves",
  () => {
    it("agrees on every root, every leaf's inclusion proof and the consistency proof for every pair of sizes", async () => {
      const tree = buildTree(Array.from({ length: LARGEST }, (_, i) => new TextEncoder().encode(`leaf-${i}`)));
      const chunks: Uint8Array[] = [];
      const writeProof = (proof: Hash[]) => {
        const count = new Uint8Array(2);
        new DataView(count.buffer).setUint16(0, proof.length);
        chunks.push(count, ...proof);
      };
      for (let size = 1; size <= LARGEST; size++) {
        chunks.push(tree.roots[size] as Hash);
        for (let index = 0; index < size; index++)
          writeProof(hashRanges(inclusionProofRanges(index, size), tree.lookup));
        for (let size1 = 0; size1 <= size; size1++)
          writeProof(hashRanges(consistencyProofRanges(size1, size), tree.lookup));
      }
      const dir = mkdtempSync(path.join(tmpdir(), "signet-merkle-"));
      try {
        const proofsFile = path.join(dir, "proofs.bin");
        writeFileSync(proofsFile, Buffer.concat(chunks));
        const script = path.join(import.meta.dirname, "fixtures", "rfc9162_reference.py");
        const { stdout } = await execFileAsync("python3", [script, proofsFile, String(LARGEST)], {
          maxBuffer: 1 << 20,
        }).catch((failure: { stdout?: string }) => ({ stdout: failure.stdout ?? "" }));
        const summary = JSON.parse(stdout) as {
          checked: Record<string, number>;
          failures: string[];
          failureCount: number;
        };
        expect(summary.failures).toEqual([]);
        expect(summary.checked).toEqual({
          roots: LARGEST,
          inclusion: (LARGEST * (LARGEST + 1)) / 2,
          consistency: (LARGEST * (LARGEST + 3)) / 2,
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("verifies its own proofs for every tree of 1 to 300 leaves and refuses a sample of them for the wrong leaf", () => {
      const tree = buildTree(Array.from({ length: LARGEST }, (_, i) => new TextEncoder().encode(`leaf-${i}`)));
      const refused: string[] = [];
      for (let size = 1; size <= LARGEST; size++) {
        const root = tree.roots[size] as Hash;
        for (let index = 0; index < size; index++) {
          const proof = hashRanges(inclusionProofRanges(index, size), tree.lookup);
          if (!verifyInclusion(index, size, tree.leaves[index] as Hash, proof, root))
            refused.push(`inclusion ${index}/${size}`);
          if (
            size > 1 &&
            index % 7 === 0 &&
            verifyInclusion(index, size, tree.leaves[(index + 1) % size] as Hash, proof, root)
          )
            refused.push(`wrong leaf accepted ${index}/${size}`);
        }
        for (let size1 = 0; size1 <= size; size1 += size1 < 40 ? 1 : 7) {
          const proof = hashRanges(consistencyProofRanges(size1, size), tree.lookup);
          if (!verifyConsistency(size1, size, proof, tree.roots[size1] as Hash, root))
            refused.push(`consistency ${size1}->${size}`);
        }
      }
      expect(refused).toEqual([]);
    });
  },
);
