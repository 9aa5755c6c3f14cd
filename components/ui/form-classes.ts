/** A form field's look (input, select) and its label's, shared by the studio's forms. */
export const FIELD = "block w-full rounded-lg border-0 bg-white px-3 py-2 text-sm text-stone-900 ring-1 ring-inset ring-stone-300 focus:ring-2 focus:ring-accent-600 focus:outline-none disabled:bg-stone-50";
export const LABEL = "mb-1.5 block text-sm font-medium text-stone-700";
/** A field's label inside a fieldset, under the fieldset's legend (which takes LABEL). */
export const SUB_LABEL = "mb-1 block text-xs text-stone-600";
