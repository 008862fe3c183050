// A Prisma generator that writes the schema's datamodel (Prisma's own DMMF) as JSON to its
// `output` path. lib/db/datamodel.ts runs it to learn every model and field exactly as Prisma
// reads them. Prisma speaks JSON-RPC to generators: requests on stdin, answers on stderr.
import { writeFileSync } from "node:fs";
import { createInterface } from "node:readline";

function answer(id, result) {
  process.stderr.write(`${JSON.stringify({ jsonrpc: "2.0", id, result })}\n`);
}

createInterface({ input: process.stdin }).on("line", (line) => {
  const request = JSON.parse(line);
  if (request.method === "getManifest") {
    answer(request.id, { manifest: { prettyName: "Signet datamodel dump", defaultOutput: "datamodel.json" } });
  } else if (request.method === "generate") {
    writeFileSync(request.params.generator.output.value, JSON.stringify(request.params.dmmf.datamodel));
    answer(request.id, null);
  }
});
