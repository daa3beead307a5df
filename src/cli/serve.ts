import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Serves the production build with Node's http server. adapter-node assumes https when it
 * cannot tell the protocol; Labo serves plain http itself, so unless ORIGIN is set or a proxy
 * says otherwise (X-Forwarded-Proto), a request is marked as http. This keeps SvelteKit's
 * origin check (CSRF) right on http://localhost and http://127.0.0.1 alike.
 */
/** Probes that a load balancer sends to a server's own address, whatever the Host. */
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * `allowedHost` (production: ORIGIN's host) refuses any other Host header with a 400 before any
 * work, so no page or link can be made for a forged host.
 */
export async function serve(opts: { root: string; port: number; host: string; allowedHost?: string }): Promise<http.Server> {
	process.env.PROTOCOL_HEADER ??= 'x-forwarded-proto';
	// Uploads (attachments, imports) are checked against their own limits by the app, which
	// answers in French; the adapter's limit only has to stay above them.
	process.env.BODY_SIZE_LIMIT ??= '52M';
	const header = process.env.PROTOCOL_HEADER.toLowerCase();
	const fixedOrigin = Boolean(process.env.ORIGIN);
	const { handler } = (await import(pathToFileURL(path.join(opts.root, 'build', 'handler.js')).href)) as {
		handler: (req: http.IncomingMessage, res: http.ServerResponse, next?: () => void) => void;
	};
	const allowedHost = opts.allowedHost?.toLowerCase();
	const server = http.createServer((req, res) => {
		if (allowedHost && (req.headers.host ?? '').toLowerCase() !== allowedHost && !PROBES.has((req.url ?? '').split('?')[0]!)) {
			res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
			res.end('Hôte inconnu / unknown host\n');
			return;
		}
		if (!fixedOrigin && !req.headers[header]) req.headers[header] = 'http';
		handler(req, res);
	});
	server.keepAliveTimeout = 5000;
	// Slow or idle clients don't hold a connection: headers within 20 s, a whole request (uploads
	// included) within 5 minutes, and no more than 60 s without a byte.
	server.headersTimeout = 20_000;
	server.requestTimeout = 300_000;
	server.setTimeout(60_000, (socket) => socket.destroy());
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(opts.port, opts.host, resolve);
	});
	const shutdown = () => {
		server.close(() => process.exit(0));
		server.closeIdleConnections();
		setTimeout(() => process.exit(0), 5000).unref();
	};
	process.once('SIGTERM', shutdown);
	process.once('SIGINT', shutdown);
	return server;
}
