import { splitThink } from "@/lib/pipeline/render";

/** Paragraphs at blank lines; single line breaks are kept inside a paragraph. */
function Prose({ text }: { text: string }) {
  const paragraphs = text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  return (
    <div className="space-y-3 text-[14px] leading-6 whitespace-pre-line text-stone-800">
      {paragraphs.map((p, i) => (
        <p key={i}>{p}</p>
      ))}
    </div>
  );
}

/**
 * A chain of thought as readable prose that scrolls inside its panel, or at its full height (`full`). A
 * `<think>…</think>` block in it (some sources keep the tags) is shown as "Reasoning", apart from what follows it.
 */
export function CotView({ cot, full = false }: { cot: string | null; full?: boolean }) {
  if (!cot?.trim()) return <p className="px-5 py-6 text-sm text-stone-400 italic">No chain of thought yet: a full run or a regeneration writes one.</p>;
  const { cot: thought, rest } = splitThink(cot);
  return (
    <div className={full ? "px-5 py-4" : "max-h-[30rem] overflow-y-auto px-5 py-4"} tabIndex={0} aria-label="Chain of thought text" data-testid="cot" data-full={full}>
      {thought !== null ? (
        <>
          <div className="rounded-lg border-l-2 border-violet-300 bg-violet-50/40 py-2.5 pr-3 pl-4">
            <p className="mb-1.5 text-[11px] font-semibold tracking-wide text-violet-700 uppercase">Reasoning</p>
            <Prose text={thought} />
          </div>
          {rest.trim() ? (
            <div className="mt-4">
              <Prose text={rest} />
            </div>
          ) : null}
        </>
      ) : (
        <Prose text={cot} />
      )}
    </div>
  );
}
