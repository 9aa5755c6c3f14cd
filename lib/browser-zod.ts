// zod for modules that also run in the browser (import `z` from here there, not from "zod"). In the browser, zod's
// first object schema probes for eval with `Function("")`, which the Content-Security-Policy blocks and reports;
// without compiled parsers parsing is as correct. The server keeps them: this only changes the browser.
import { z } from "zod";

if (typeof window !== "undefined") z.config({ jitless: true });

export { z };
