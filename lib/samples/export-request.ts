// What the browser's export routes accept — a download and the check before it read the same parameters.
import { z } from "zod";
import { EXPORT_FORMAT_IDS } from "@/lib/formats";
import type { ExportFormatId } from "./export";
import { SAMPLE_STATUSES } from "./types";

const FORMATS = EXPORT_FORMAT_IDS;

export const exportFormat = z.enum(FORMATS, { error: `format must be one of ${FORMATS.join(", ")}` }).default("funreason");

/** A dataset's export: ?format=…&status=passed,approved (empty or absent status: the refined set). */
export const DatasetExportQuery = z.object({
  format: exportFormat,
  status: z
    .string()
    .default("")
    .transform((value) => value.split(",").map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(SAMPLE_STATUSES, { error: `status must be a comma-separated list of ${SAMPLE_STATUSES.join(", ")}` }))),
});

/** A selection of the samples table: format and ids=1,2,3 (a form post: a selection can be thousands of ids). */
export const SampleSelectionExport = z.object({
  format: exportFormat,
  ids: z
    .string({ error: "ids is missing" })
    .regex(/^\d+(,\d+)*$/, "ids must be a comma-separated list of sample ids")
    .transform((text) => text.split(",").map(Number)),
});

/** The first message of each distinct zod issue, for a 400. */
export function issuesMessage(error: z.ZodError): string {
  return [...new Set(error.issues.map((issue) => issue.message))].join("; ");
}
