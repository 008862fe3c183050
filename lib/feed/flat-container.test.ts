import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { flatContainerFileName, flatContainerPackagePath, pulledWebStream } from "./flat-container";

describe("flat container addresses", () => {
  it("are lower-case, as NuGet clients build them", () => {
    expect(flatContainerFileName("contoso.core", "1.0.0-beta")).toBe("contoso.core.1.0.0-beta.nupkg");
    expect(flatContainerPackagePath("Contoso.Core", "1.0.0-Beta")).toBe(
      "/v3-flatcontainer/contoso.core/1.0.0-beta/contoso.core.1.0.0-beta.nupkg",
    );
  });
});

describe("pulledWebStream", () => {
  it("yields the file's bytes in order", async () => {
    const stream = pulledWebStream(Readable.from([Buffer.from("package "), Buffer.from("bytes")]));
    expect(await new Response(stream).text()).toBe("package bytes");
  });

  it("closes the file when the client hangs up, reading nothing more", async () => {
    let produced = 0;
    const file = new Readable({
      read() {
        produced += 1;
        this.push(Buffer.alloc(64 * 1024, produced));
      },
    });
    const reader = pulledWebStream(file).getReader();
    await reader.read();
    await reader.cancel();
    expect(file.destroyed).toBe(true);
    const afterCancel = produced;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(produced).toBe(afterCancel);
  });
});
