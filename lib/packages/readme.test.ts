import { describe, expect, it } from "vitest";
import { HOSTILE_MARKDOWN } from "@/test/support/hostile-markdown";
import { MAX_HTML_DEPTH, renderReadme } from "./readme";

const REL = 'rel="nofollow noopener noreferrer ugc"';

describe("renderReadme: what authors write", () => {
  it("renders headings under the page's own, paragraphs, lists and fenced code", () => {
    expect(
      renderReadme(
        "# Contoso\r\n\r\nFast and\nsmall.\n\n- one\n- two\n\n1. first\n2. second\n\n```csharp\nvar x = 1 < 2;\n```\n",
      ),
    ).toBe(
      "<h3>Contoso</h3>\n<p>Fast and\nsmall.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<ol>\n<li>first</li>\n<li>second</li>\n</ol>\n<pre><code>var x = 1 &lt; 2;\n</code></pre>\n",
    );
  });

  it("renders GFM tables with their alignment", () => {
    expect(renderReadme("| Name | Size |\n|:-----|-----:|\n| a | 1 |")).toBe(
      '<table>\n<thead>\n<tr>\n<th style="text-align:left">Name</th>\n<th style="text-align:right">Size</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td style="text-align:left">a</td>\n<td style="text-align:right">1</td>\n</tr>\n</tbody>\n</table>\n',
    );
  });

  it("renders badges as linked images, strikethrough, autolinks and task lists", () => {
    expect(renderReadme("[![build](https://img.shields.io/b.svg)](https://ci.example.test/p)")).toBe(
      `<p><a href="https://ci.example.test/p" ${REL}><img src="https://img.shields.io/b.svg" alt="build"></a></p>\n`,
    );
    expect(renderReadme("~~old~~ https://example.test/a and www.example.test/b, not README.md")).toBe(
      `<p><s>old</s> <a href="https://example.test/a" ${REL}>https://example.test/a</a> and <a href="http://www.example.test/b" ${REL}>www.example.test/b</a>, not README.md</p>\n`,
    );
    expect(renderReadme("- [ ] to do\n- [x] done")).toBe(
      '<ul class="contains-task-list">\n<li class="task-list-item"><input type="checkbox" disabled> to do</li>\n<li class="task-list-item"><input checked="" type="checkbox" disabled> done</li>\n</ul>\n',
    );
  });

  it("keeps the safe inline HTML readmes use: centred logos, details, line breaks", () => {
    expect(
      renderReadme(
        '<p align="center"><img src="https://example.test/logo.png" width="120" alt="Logo"></p>\n\n<details><summary>More</summary>\n\nHidden *text*<br>\n\n</details>',
      ),
    ).toBe(
      '<p align="center"><img src="https://example.test/logo.png" width="120" alt="Logo"></p>\n<details><summary>More</summary>\n<p>Hidden <em>text</em><br></p>\n</details>',
    );
    expect(renderReadme('<h1 align="center">Title</h1>')).toBe("<h3>Title</h3>");
  });

  it("gives relative links no target and relative images no source: there is no repository to resolve them against", () => {
    expect(renderReadme("[guide](docs/guide.md) ![logo](images/logo.png) [top](#top)")).toBe(
      '<p><a>guide</a> <img alt="logo"> <a>top</a></p>\n',
    );
  });
});

describe("renderReadme: what attackers write", () => {
  it.each([
    ["a script", "<script>alert(1)</script>after", "after"],
    ["an event handler", "<img src=x onerror=alert(1)>", "<img>"],
    ["a javascript: link", "[x](javascript:alert(1))", "<p>[x](javascript:alert(1))</p>"],
    ["a javascript: link in HTML", '<a href="javascript:alert(1)">x</a>', "<p><a>x</a></p>"],
    ["an entity-encoded javascript: link", '<a href="jav&#x61;script:alert(1)">x</a>', "<p><a>x</a></p>"],
    ["a plain-http image", "![x](http://example.test/x.png)", '<p><img alt="x"></p>'],
    ["a data: image", "![x](data:image/png;base64,iVBORw0KGgo=)", '<p><img alt="x"></p>'],
    ["a style attribute", '<p style="position:fixed;top:0">x</p>', "<p>x</p>"],
    ["a style element", "<style>body{display:none}</style>x", "x"],
    ["an iframe", '<iframe src="https://evil.test"></iframe>x', "x"],
    [
      "a form",
      '<form action="https://evil.test"><button>Go</button></form>',
      '&lt;form action="https://evil.test"&gt;&lt;button&gt;Go&lt;/button&gt;&lt;/form&gt;',
    ],
    ["a text input", '<input type="text" value="x"><input type=password>', "<p></p>"],
    ["SVG", "<svg onload=alert(1)><circle/></svg>", "<p>&lt;svg onload=alert(1)&gt;&lt;circle/&gt;&lt;/svg&gt;</p>"],
    [
      "a quote breaking out of an attribute",
      '<a href="https://x.test/&quot; onmouseover=&quot;alert(1)">q</a>',
      `<p><a href="https://x.test/&quot; onmouseover=&quot;alert(1)" ${REL}>q</a></p>`,
    ],
    ["an unclosed comment", "a\n\n<!-- everything after", "<p>a</p>"],
    [
      "a meta refresh",
      '<meta http-equiv="refresh" content="0;url=https://evil.test">',
      '&lt;meta http-equiv="refresh" content="0;url=https://evil.test"&gt;',
    ],
    ["a base element", '<base href="https://evil.test/">', '&lt;base href="https://evil.test/"&gt;'],
  ])("neutralises %s", (_name, source, html) => {
    expect(renderReadme(source).trim()).toBe(html);
  });

  it("cannot close or reopen the page around it: stray closing tags go, open ones are closed", () => {
    expect(renderReadme("</div></div></main>\n\n<div><table><tr><td>open")).toBe(
      "&lt;/main&gt;\n<div><table><tr><td>open</td></tr></table></div>",
    );
    expect(renderReadme("<b><i>x</b> y</i>")).toBe("<p><b><i>x</i></b> y</p>\n");
  });

  it(`drops raw HTML nested deeper than ${MAX_HTML_DEPTH} elements but keeps its text`, () => {
    const html = renderReadme(`${"<div>".repeat(MAX_HTML_DEPTH + 10)}deep`);
    expect(html.match(/<div>/g)).toHaveLength(MAX_HTML_DEPTH);
    expect(html.match(/<\/div>/g)).toHaveLength(MAX_HTML_DEPTH);
    expect(html).toContain("deep");
  });
});

describe("renderReadme grows linearly on hostile Markdown", () => {
  // The hand-written renderer took 6.4 s on 64,000 "[" (issue 14): quadratic. Rendering happens at
  // publish, on readmes of up to 1 MiB; bench:hostile prints what each pattern costs
  // (BENCHMARKS.md). This test asserts the shape, not a time budget that a loaded machine breaks:
  // 1 MiB must cost less than ten times what 256 KiB costs (linear gives about 4, quadratic 16).
  // That holds only while a quadratic part costs less than the linear work at 256 KiB, so 1 MiB
  // costs at most about five times its linear figure. Work is this process's CPU time (Vitest
  // runs each file in its own process), which waiting for a shared core does not inflate; the
  // best of two small runs takes out GC and cache noise, and a few milliseconds of slack keep
  // patterns that cost almost nothing from failing on noise alone.
  const KIB = 1024;
  const SMALL = 256 * KIB;
  const LARGE = 4 * SMALL;
  const MAX_GROWTH = 10;
  const SLACK_MS = 20;
  const PATTERNS = [
    "open brackets",
    "image openers",
    "backtick runs",
    "nested emphasis",
    "long line",
    "many tables",
    "table rows",
    "blockquote lines",
    "nested list lines",
    "html nesting",
    "html attributes",
  ];

  function cpuMilliseconds(): number {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  }

  function leastWork(source: string, runs: number): number {
    let least = Infinity;
    for (let run = 0; run < runs; run++) {
      const started = cpuMilliseconds();
      renderReadme(source);
      least = Math.min(least, cpuMilliseconds() - started);
    }
    return least;
  }

  it.each(PATTERNS)("%s", { timeout: 180_000 }, (pattern) => {
    const make = HOSTILE_MARKDOWN[pattern]!;
    const [small, large] = [make(SMALL), make(LARGE)];
    expect([small.length, large.length]).toEqual([SMALL, LARGE]);
    leastWork(make(KIB), 1); // compiled before anything is measured
    const smallWork = leastWork(small, 2);
    const largeWork = leastWork(large, 1);
    expect(
      largeWork,
      `${smallWork.toFixed(0)} ms for ${SMALL / KIB} KiB, ${largeWork.toFixed(0)} ms for ${LARGE / KIB} KiB`,
    ).toBeLessThan(MAX_GROWTH * smallWork + SLACK_MS);
  });
});
