/** The five stages' names as the UI writes them (the paper's order). Pure: pages and components import it. */
export const STAGE_NAMES: Record<number, string> = {
  1: "Function call classification",
  2: "Query & tool identification",
  3: "CoT identification",
  4: "Function & parameter identification",
  5: "Format identification",
};
