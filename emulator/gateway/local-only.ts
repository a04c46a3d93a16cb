import type { IncomingHttpHeaders } from 'node:http';

/** Host names that always mean this machine: a DNS name an attacker controls cannot be one of them. */
function isLoopbackHost(host: string): boolean {
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  const lower = name.toLowerCase();
  return lower === '127.0.0.1' || lower === '[::1]' || lower === 'localhost' || lower.endsWith('.localhost');
}

/**
 * Why a request must be refused because it may come from a web page rather than from an SDK, the CLI
 * or the emulator's own processes, or undefined when it may go on. Browsers mark what pages send:
 * an `Origin` header on every cross-origin and every non-GET request, `Sec-Fetch-Site` on everything
 * (only `none` means the user typed the address). A page that rebinds its own DNS name to 127.0.0.1
 * still sends its own name as `Host`, so only loopback names are answered.
 */
export function browserRequestRefusal(headers: IncomingHttpHeaders): string | undefined {
  if (headers.origin !== undefined) {
    return `the emulator refuses requests from web pages: this one carries Origin: ${headers.origin} (AWS SDKs and the CLI send none)`;
  }
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'none') {
    return `the emulator refuses requests from web pages: this one carries Sec-Fetch-Site: ${site}`;
  }
  const host = headers.host;
  if (!host || !isLoopbackHost(host)) {
    return `the emulator answers only requests addressed to this machine (Host 127.0.0.1, localhost or [::1]); Host ${host ?? '(none)'} is refused: point AWS_ENDPOINT_URL at http://127.0.0.1:<port>`;
  }
  return undefined;
}
