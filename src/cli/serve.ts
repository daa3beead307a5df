import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Serves the production build with Node's http server. adapter-node assumes https when it
 * cannot tell the protocol; Labo serves plain http itself, so unless ORIGIN is set or a proxy
 * says otherwise (X-Forwarded-Proto), a request is marked as http. This keeps SvelteKit's
 * origin check (CSRF) right on http://localhost and http://127.0.0.1 alike.
 */
export async function serve(opts: { root: string; port: number; host: string }): Promise<http.Server> {
	process.env.PROTOCOL_HEADER ??= 'x-forwarded-proto';
	// Uploads (attachments, imports) are checked against their own limits by the app, which
	// answers in French; the adapter's limit only has to stay above them.
	process.env.BODY_SIZE_LIMIT ??= '52M';
	const header = process.env.PROTOCOL_HEADER.toLowerCase();
	const fixedOrigin = Boolean(process.env.ORIGIN);
	const { handler } = (await import(pathToFileURL(path.join(opts.root, 'build', 'handler.js')).href)) as {
		handler: (req: http.IncomingMessage, res: http.ServerResponse, next?: () => void) => void;
	};
	const server = http.createServer((req, res) => {
		if (!fixedOrigin && !req.headers[header]) req.headers[header] = 'http';
		handler(req, res);
	});
	server.keepAliveTimeout = 5000;
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
