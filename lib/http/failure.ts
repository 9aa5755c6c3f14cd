/**
 * What to tell a person when a request to the studio's own API failed: the server's words when it gave them (every
 * handler answers `{error}`); otherwise what the status means. A bare 5xx is a failure the handler did not expect,
 * most often the database being unreachable.
 */
export function failureMessage(response: Response, json: { error?: unknown }): string {
  if (typeof json.error === "string" && json.error) return json.error;
  if (response.status >= 500) {
    return `The server could not do it (HTTP ${response.status}); the database may be unreachable. Try again in a moment: the server log has the details.`;
  }
  return `The server answered HTTP ${response.status}.`;
}
