// The address a request comes from, for the sign-in rate limit and the audit log. better-auth reads it from a
// header (`advanced.ipAddress.ipAddressHeaders`), and Next passes on whatever X-Forwarded-For the client sent, so
// trusting that header would let anyone reset the rate limit and forge the logged address. Instead the web server
// process stamps every request, at the socket, with a header of its own: the socket's address, or — only when
// that address is a proxy listed in STUDIO_TRUSTED_PROXIES — the first address in X-Forwarded-For that is not a
// trusted proxy, read from the right. The header's name carries a random part made at start, so a client cannot
// send it itself, not even in the moment before the stamp is installed (better-auth then finds no address and
// counts such requests in one shared bucket).
import "server-only";
import { randomBytes } from "node:crypto";
import http from "node:http";
import { BlockList, isIP } from "node:net";

export const TRUSTED_PROXIES_ENV = "STUDIO_TRUSTED_PROXIES";

const state = globalThis as { __studioAddressHeader?: string; __studioAddressStamp?: boolean };

/** The header the stamp writes and better-auth reads (one per process). */
export function clientAddressHeader(): string {
  state.__studioAddressHeader ??= `x-studio-client-${randomBytes(12).toString("hex")}`;
  return state.__studioAddressHeader;
}

/** STUDIO_TRUSTED_PROXIES: addresses or CIDR ranges (`10.0.0.0/8`, `::1`), comma-separated. Throws on a bad entry. */
export function trustedProxies(env: Record<string, string | undefined> = process.env): BlockList {
  const list = new BlockList();
  for (const entry of (env[TRUSTED_PROXIES_ENV] ?? "").split(",").map((e) => e.trim()).filter(Boolean)) {
    const [address, prefix] = entry.split("/");
    const type = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (!isIP(address) || (prefix !== undefined && !/^\d+$/.test(prefix))) {
      throw new Error(`${TRUSTED_PROXIES_ENV}: "${entry}" is not an IP address or CIDR range (e.g. 10.0.0.0/8)`);
    }
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return list;
}

/** `::ffff:1.2.3.4` (an IPv4 client on a dual-stack socket) as `1.2.3.4`. */
function plain(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1] : address;
}

function isTrusted(address: string, trusted: BlockList): boolean {
  const type = isIP(address);
  return type !== 0 && trusted.check(address, type === 6 ? "ipv6" : "ipv4");
}

/**
 * The client's address: the socket's, unless the socket is a trusted proxy; then the proxies' X-Forwarded-For
 * chain is read from the right, past every trusted proxy, to the first address that is not one.
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | string[] | undefined, trusted: BlockList): string | null {
  const socket = socketAddress ? plain(socketAddress) : null;
  if (!socket || !isTrusted(socket, trusted)) return socket;
  const chain = [forwardedFor ?? []].flat().join(",").split(",").map((a) => plain(a.trim())).filter(Boolean);
  for (let i = chain.length - 1; i >= 0; i--) {
    if (!isIP(chain[i])) return null;
    if (!isTrusted(chain[i], trusted)) return chain[i];
  }
  return socket;
}

/**
 * Stamps every request this process's HTTP servers receive with the client's address (see the top of this file).
 * Runs once, at the web server's start (instrumentation.ts).
 */
export function stampClientAddresses(env: Record<string, string | undefined> = process.env): void {
  if (state.__studioAddressStamp) return;
  state.__studioAddressStamp = true;
  const trusted = trustedProxies(env);
  const header = clientAddressHeader();
  const emit = http.Server.prototype.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const req = args[0] as http.IncomingMessage;
      const address = clientAddress(req.socket?.remoteAddress, req.headers["x-forwarded-for"], trusted);
      if (address) req.headers[header] = address;
      else delete req.headers[header];
    }
    return emit.call(this, event, ...args);
  } as typeof http.Server.prototype.emit;
}
