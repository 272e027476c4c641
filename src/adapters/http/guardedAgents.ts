import dns from 'node:dns';
import type http from 'node:http';
import net, { type LookupFunction } from 'node:net';
import type { Duplex } from 'node:stream';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { isForbiddenAddress } from './forbiddenAddress.ts';

/** The error of a refused address; the downloader words it for the client. */
export const FORBIDDEN_ADDRESS = 'ERR_FORBIDDEN_ADDRESS';

function forbidden(host: string, address: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${host} resolves to ${address}, which may not be reached.`);
  error.code = FORBIDDEN_ADDRESS;
  return error;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address?: string | dns.LookupAddress[], family?: number) => void;

/**
 * `lookup` (by default `dns.lookup`) with every address it answers checked by
 * {@link isForbiddenAddress}: one forbidden address fails the whole lookup, so neither the first
 * attempt nor happy-eyeballs fallbacks ever connect to it.
 */
export function guardedLookup(lookup: LookupFunction = dns.lookup as LookupFunction): LookupFunction {
  return ((hostname: string, options: dns.LookupOptions, callback: LookupCallback) => {
    lookup(hostname, options, ((error, address, family) => {
      if (error) return callback(error);
      const answers = Array.isArray(address) ? address : [{ address: address as string, family }];
      const refused = answers.find((answer) => isForbiddenAddress(answer.address));
      if (refused !== undefined) return callback(forbidden(hostname, refused.address));
      callback(null, address, family);
    }) as LookupCallback);
  }) as LookupFunction;
}

type ConnectionCallback = (error: Error | null, socket: Duplex) => void;

/**
 * A connection through `connect` unless the literal host is forbidden: then a socket that fails
 * at once (the way request-filtering-agent refuses one), and nothing is sent anywhere. A host name
 * is looked up through {@link guardedLookup}.
 */
function guardedConnection(
  options: net.TcpNetConnectOpts,
  callback: ConnectionCallback | undefined,
  connect: (options: net.TcpNetConnectOpts) => Duplex,
): Duplex {
  const { host } = options;
  if (host !== undefined && net.isIP(host) !== 0 && isForbiddenAddress(host)) {
    const socket = new net.Socket();
    const error = forbidden(host, host);
    if (callback) callback(error, socket);
    else socket.destroy(error);
    return socket;
  }
  return connect({ ...options, lookup: guardedLookup(options.lookup) });
}

class GuardedHttpAgent extends RequestFilteringHttpAgent {
  override createConnection(options: net.TcpNetConnectOpts, callback?: ConnectionCallback): Duplex {
    return guardedConnection(options, callback, (guarded) => super.createConnection(guarded, callback));
  }
}

class GuardedHttpsAgent extends RequestFilteringHttpsAgent {
  override createConnection(options: net.TcpNetConnectOpts, callback?: ConnectionCallback): Duplex {
    return guardedConnection(options, callback, (guarded) => super.createConnection(guarded, callback));
  }
}

/**
 * The agents of the downloader for hosts that are not trusted: request-filtering-agent's (which
 * refuses the non-unicast ranges of `ipaddr.js` at connect time), with {@link isForbiddenAddress}
 * checked first, on a literal host before any connection and on every DNS answer before it is
 * used. It covers what the library lets through, such as `::/96` (`http://[::127.0.0.1]/`).
 */
export function guardedAgents(): { 'http:': http.Agent; 'https:': http.Agent } {
  return { 'http:': new GuardedHttpAgent({ keepAlive: false }), 'https:': new GuardedHttpsAgent({ keepAlive: false }) };
}
