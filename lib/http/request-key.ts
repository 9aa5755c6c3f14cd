// A name the browser draws for a long request before sending it, so it can poll that request's progress while the
// answer has not come (an import being uploaded, a bulk action working through its batches). No server code here.

/** 32 hexadecimal digits. */
export const REQUEST_KEY = /^[0-9a-f]{32}$/;

/** 32 random hex digits (crypto.randomUUID is missing outside secure contexts, e.g. plain http on a LAN name). */
export function newRequestKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
