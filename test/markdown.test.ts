// The renderer of guidelines and comments (components/ui/Markdown.tsx): basic formatting comes out as elements, and
// hostile text — HTML, script, event handlers, javascript: links — comes out inert, as the text it is.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Markdown, safeHref } from "@/components/ui/Markdown";

const render = (text: string) => renderToStaticMarkup(createElement(Markdown, { children: text }));
/** The tags the HTML holds, each once, sorted. */
const tags = (html: string) => [...new Set([...html.matchAll(/<([a-z][a-z0-9]*)/g)].map((m) => m[1]))].sort();

describe("Markdown: basic formatting", () => {
  it("renders headings, paragraphs, bold, italic, code, lists and http(s) links", () => {
    const html = render(
      [
        "# Approve only when",
        "",
        "The **arguments** come from the *query*, e.g. `unit=\"celsius\"`.",
        "",
        "- one",
        "- two",
        "",
        "1. first",
        "",
        "```",
        "get_weather(city='Lyon')",
        "```",
        "",
        "See [BFCL](https://gorilla.cs.berkeley.edu/leaderboard.html).",
      ].join("\n"),
    );
    expect(tags(html)).toEqual(["a", "code", "div", "h3", "li", "ol", "p", "pre", "strong", "em", "ul"].sort());
    expect(html).toContain(">Approve only when</h3>");
    expect(html).toContain("<strong");
    expect(html).toContain("get_weather(city=&#x27;Lyon&#x27;)");
    expect(html).toMatch(/<a href="https:\/\/gorilla\.cs\.berkeley\.edu\/leaderboard\.html" target="_blank" rel="noopener noreferrer nofollow"[^>]*>BFCL<\/a>/);
  });
});

describe("Markdown: hostile input renders inert, as text", () => {
  it("shows a <script> element as its text, never as a script", () => {
    const html = render("Hello <script>alert(1)</script> world");
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("shows a block of HTML as text", () => {
    const html = render('<div onclick="alert(1)">\n<b>bold?</b>\n</div>');
    expect(html).not.toMatch(/<div onclick/);
    expect(html).not.toContain("<b>");
    expect(html).toContain("&lt;div onclick=&quot;alert(1)&quot;&gt;");
  });

  it("shows <img onerror> as text and loads nothing", () => {
    const html = render('<img src=x onerror="alert(1)">');
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
  });

  it("leaves out a Markdown image, keeping nothing that loads", () => {
    const html = render("![tracker](https://evil.example/pixel.png)");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("evil.example");
  });

  it("makes javascript:, data: and relative links plain text", () => {
    for (const url of ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>", "/samples/1", "vbscript:x", "mailto:a@b.c"]) {
      const html = render(`[click me](${url})`);
      expect(html, url).not.toContain("<a");
      expect(html, url).not.toContain("href");
      expect(html, url).toContain("click me");
    }
  });

  it("makes an autolink to javascript: plain text", () => {
    const html = render("<javascript:alert(1)>");
    expect(html).not.toContain("href");
  });

  it("puts no raw HTML attributes through a link title", () => {
    const html = render('[x](https://example.org "a\\" onmouseover=\\"alert(1)")');
    expect(html).not.toMatch(/ onmouseover=/);
  });
});

describe("safeHref", () => {
  it("keeps absolute http(s) addresses only", () => {
    expect(safeHref("https://example.org/a?b=1")).toBe("https://example.org/a?b=1");
    expect(safeHref("HTTP://example.org")).toBe("HTTP://example.org");
    expect(safeHref("javascript:alert(1)")).toBeNull();
    expect(safeHref("//evil.example")).toBeNull();
    expect(safeHref("https://")).toBeNull();
  });
});
