import { Badge } from "@/components/ui/Badge";
import { cx } from "@/components/ui/cx";
import { toolParams, type Param, type ParamType } from "@/lib/pipeline/schema-types";
import { describeType } from "@/lib/pipeline/stages/type-check";
import type { Tool } from "@/lib/samples/types";

/** A value as the tools wrote it: strings quoted, everything else as JSON. */
function literal(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** The type without its enum (the enum gets its own line). */
function typeText(type: ParamType): string {
  return describeType({ ...type, enum: undefined });
}

/** The declared properties of a dict parameter (nested one level deep is shown as indented rows). */
function nestedParams(type: ParamType): Param[] {
  return type.kind === "object" && type.properties ? Object.values(type.properties) : [];
}

function ParamRows({ params, depth = 0 }: { params: Param[]; depth?: number }) {
  return params.map((param) => {
    const values = param.enum ?? param.type.enum;
    const nested = depth < 2 ? nestedParams(param.type) : [];
    return (
      <ParamRowGroup key={param.name} param={param} values={values} nested={nested} depth={depth} />
    );
  });
}

function ParamRowGroup({ param, values, nested, depth }: { param: Param; values?: unknown[]; nested: Param[]; depth: number }) {
  return (
    <>
      <tr className="align-top" data-param={param.name}>
        <th scope="row" className="py-2 pr-3 pl-4 text-left font-normal">
          <span className="font-mono text-[13px] [overflow-wrap:anywhere] text-stone-900" style={{ paddingLeft: `${depth * 0.875}rem` }}>
            {depth > 0 ? <span className="text-stone-300">└ </span> : null}
            {param.name}
          </span>
        </th>
        <td className="px-3 py-2">
          <span className={cx("font-mono text-xs", param.type.kind === "unknown" ? "text-amber-700" : "text-stone-600")}>{typeText(param.type)}</span>
        </td>
        <td className="px-3 py-2 text-xs">
          {param.required ? <span className="font-medium text-stone-800">required</span> : <span className="text-stone-400">optional</span>}
        </td>
        <td className="py-2 pr-4 pl-3 text-xs leading-5 [overflow-wrap:anywhere] text-stone-600">
          {param.description ? <p className="text-[13px] leading-5 text-stone-700">{param.description}</p> : null}
          {values?.length ? (
            <p className="mt-1 flex flex-wrap items-center gap-1">
              <span className="text-stone-400">one of</span>
              {values.map((v, i) => (
                <code key={i} className="rounded bg-stone-100 px-1 py-px font-mono text-[11px] text-stone-700">
                  {typeof v === "string" ? v : literal(v)}
                </code>
              ))}
            </p>
          ) : null}
          {param.default !== undefined ? (
            <p className="mt-1">
              <span className="text-stone-400">default </span>
              <code className="font-mono text-[11px] text-stone-700">{literal(param.default)}</code>
            </p>
          ) : null}
          {!param.description && !values?.length && param.default === undefined ? <span className="text-stone-300">—</span> : null}
        </td>
      </tr>
      {nested.length ? <ParamRows params={nested} depth={depth + 1} /> : null}
    </>
  );
}

/**
 * One tool: name, description, and its parameters as a table (xLAM-style and JSON-schema-style tools alike). A
 * folded tool shows its name, description and parameter count; the header opens it (mouse, Enter or Space).
 */
export function ToolSchema({ tool, called, open }: { tool: Tool; called: boolean; open: boolean }) {
  const params = toolParams(tool);
  return (
    <details open={open} className="group overflow-hidden rounded-lg border border-stone-200" data-tool={String(tool.name)} aria-label={`Tool ${String(tool.name)}`}>
      <summary className="cursor-pointer list-none bg-stone-50/60 px-4 py-2.5 group-open:border-b group-open:border-stone-100 hover:bg-stone-100/60 [&::-webkit-details-marker]:hidden">
        <div className="flex flex-wrap items-center gap-2">
          <span aria-hidden className="text-[10px] text-stone-400 transition-transform group-open:rotate-90">
            ▶
          </span>
          <h3 className="font-mono text-sm font-semibold break-all text-stone-900">{String(tool.name)}</h3>
          {called ? (
            <Badge tone="teal" title="The answer calls this tool">
              called
            </Badge>
          ) : null}
          <span className="ml-auto text-xs text-stone-400 group-open:hidden">
            {params.length} parameter{params.length === 1 ? "" : "s"}
          </span>
        </div>
        {tool.description ? <p className="mt-1 pl-4 text-[13px] leading-5 text-stone-600">{String(tool.description)}</p> : null}
      </summary>
      {params.length ? (
        <div className="overflow-x-auto">
          <table className="w-full table-fixed text-sm" aria-label={`Parameters of ${String(tool.name)}`}>
            <thead className="text-[11px] font-medium tracking-wide text-stone-400 uppercase">
              <tr>
                <th scope="col" className="w-[28%] py-1.5 pr-3 pl-4 text-left font-medium">Parameter</th>
                <th scope="col" className="w-[18%] px-3 py-1.5 text-left font-medium">Type</th>
                <th scope="col" className="w-[15%] px-3 py-1.5 text-left font-medium">Req.</th>
                <th scope="col" className="py-1.5 pr-4 pl-3 text-left font-medium">Description</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100 border-t border-stone-100">
              <ParamRows params={params} />
            </tbody>
          </table>
        </div>
      ) : (
        <p className="px-4 py-2.5 text-xs text-stone-400 italic">No parameters</p>
      )}
    </details>
  );
}

/** Up to this many tools, all are shown open; beyond it, the ones the answer does not call start folded. */
export const TOOLS_OPEN_UP_TO = 3;

/** Every tool of a sample, those the answer calls marked. */
export function ToolList({ tools, calledNames }: { tools: Tool[]; calledNames: ReadonlySet<string> }) {
  if (!tools.length) return <p className="text-sm text-stone-400 italic">No tools</p>;
  return (
    <div className="space-y-3">
      {tools.map((tool, i) => {
        const called = calledNames.has(String(tool.name));
        return <ToolSchema key={i} tool={tool} called={called} open={called || tools.length <= TOOLS_OPEN_UP_TO} />;
      })}
    </div>
  );
}
