// Markdown that people write in the studio (dataset guidelines, comments), shown as React text with basic formatting:
// headings, paragraphs, bold and italic, inline code and code blocks, lists, and links to http(s) addresses only.
// Never HTML: react-markdown builds React elements (no innerHTML), HTML written in the text is shown as the text it
// is (no rehype-raw), any other element (images, …) is left out with its text kept, and a link to anything but
// http(s) (javascript:, data:, a relative path) is plain text.
import ReactMarkdown, { type Components } from "react-markdown";
import { cx } from "./cx";

const ALLOWED = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "strong", "em", "code", "pre", "ul", "ol", "li", "a", "br"];

/** The address when it is an absolute http(s) URL, else null (the link becomes text). */
export function safeHref(url: string): string | null {
  return /^https?:\/\/[^\s]/i.test(url) ? url : null;
}

const heading = "mt-3 mb-1.5 font-semibold text-stone-900 first:mt-0";
const COMPONENTS: Components = {
  h1: ({ children }) => <h3 className={cx(heading, "text-base")}>{children}</h3>,
  h2: ({ children }) => <h4 className={cx(heading, "text-[15px]")}>{children}</h4>,
  h3: ({ children }) => <h5 className={cx(heading, "text-sm")}>{children}</h5>,
  h4: ({ children }) => <h6 className={cx(heading, "text-sm")}>{children}</h6>,
  h5: ({ children }) => <h6 className={cx(heading, "text-sm")}>{children}</h6>,
  h6: ({ children }) => <h6 className={cx(heading, "text-sm")}>{children}</h6>,
  p: ({ children }) => <p className="my-2 first:mt-0 last:mb-0">{children}</p>,
  ul: ({ children }) => <ul className="my-2 list-disc space-y-1 pl-5">{children}</ul>,
  ol: ({ children }) => <ol className="my-2 list-decimal space-y-1 pl-5">{children}</ol>,
  pre: ({ children }) => <pre className="my-2 overflow-x-auto rounded-lg bg-stone-100 px-3 py-2 font-mono text-xs leading-5 text-stone-800 [&_code]:bg-transparent [&_code]:p-0">{children}</pre>,
  code: ({ children }) => <code className="rounded bg-stone-100 px-1 py-0.5 font-mono text-[0.85em] text-stone-800">{children}</code>,
  a: ({ href, children }) =>
    href ? (
      <a href={href} target="_blank" rel="noopener noreferrer nofollow" className="font-medium text-accent-800 underline hover:text-accent-900">
        {children}
      </a>
    ) : (
      <span>{children}</span>
    ),
};

export function Markdown({ children, className, testId }: { children: string; className?: string; testId?: string }) {
  return (
    <div className={cx("text-sm leading-6 [overflow-wrap:anywhere] text-stone-800", className)} data-testid={testId}>
      <ReactMarkdown allowedElements={ALLOWED} unwrapDisallowed urlTransform={(url) => safeHref(url)} components={COMPONENTS}>
        {children}
      </ReactMarkdown>
    </div>
  );
}
