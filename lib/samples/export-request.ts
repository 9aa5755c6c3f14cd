// What the browser's export routes accept — a download and the check before it read the same parameters.
import { z } from "zod";
import { EXPORT_FORMAT_IDS } from "@/lib/formats";
import { INT4_MAX } from "@/lib/zod/schemas";
import type { ExportFormatId } from "./export";
import { SAMPLE_STATUSES } from "./types";

const FORMATS = EXPORT_FORMAT_IDS;

export const exportFormat = z.enum(FORMATS, { error: `format must be one of ${FORMATS.join(", ")}` }).default("funreason");

/** The path of /api/datasets/<name>/… */
export const DatasetParams = z.object({ name: z.string().min(1, "the dataset name is empty").max(100, "the dataset name is longer than 100 characters") });

/** ?format=… beside a table filter (the filter is read from the query string by requireTableFilter). */
export const ExportFormatQuery = z.object({ format: exportFormat });

/**
 * A dataset's export: ?format=…&status=passed,approved (empty or absent status: the refined set), and
 * withErrorToolResponses=true to write conversations whose tool results the source marks deliberately wrong.
 */
export const DatasetExportQuery = z.object({
  format: exportFormat,
  withErrorToolResponses: z.stringbool({ error: "withErrorToolResponses must be true or false" }).default(false),
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
    .regex(/^[1-9]\d{0,9}(,[1-9]\d{0,9})*$/, "ids must be a comma-separated list of sample ids")
    .transform((text) => text.split(",").map(Number))
    .refine((ids) => ids.every((id) => id <= INT4_MAX), "ids holds a number too large to be a sample id"),
});
