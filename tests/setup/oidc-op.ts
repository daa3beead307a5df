/**
 * A real OpenID Provider (oidc-provider) for the tests, on 127.0.0.1, configured like ProConnect:
 * authorization code + PKCE, one scope per claim (given_name, usual_name, email, uid, siret),
 * userinfo returned as a signed JWT, `acr` in the ID token, RP-initiated logout. Its login page
 * is its own (a plain form): a test signs in as one of the accounts it was given.
 *
 * Knobs for the failure tests: `acr` (what the next login carries), `idTokenTtl` (negative: the
 * ID token is born expired), `foreignKeys` (the published keys are not the signing keys).
 */
import http from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';

export interface OpAccount {
	email?: string;
	email_verified?: boolean;
	given_name?: string;
	usual_name?: string;
	siret?: string;
	uid?: string;
}

export interface TestOp {
	issuer: string;
	clientId: string;
	clientSecret: string;
	accounts: Map<string, OpAccount>;
	/** The acr the next logins carry (null: none). */
	acr: string | null;
	idTokenTtl: number;
	foreignKeys: boolean;
	/** How many times the end-session endpoint was asked to log out, per subject. */
	logouts: string[];
	close(): Promise<void>;
}

export const OP_PASSWORD = 'op-password';

function rsaJwk(kid: string) {
	const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	return {
		priv: { ...(privateKey.export({ format: 'jwk' }) as Record<string, string>), kid, alg: 'RS256', use: 'sig' },
		pub: { ...(publicKey.export({ format: 'jwk' }) as Record<string, string>), kid, alg: 'RS256', use: 'sig' }
	};
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(uid: string, error?: string): string {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test identity provider — sign in</title></head>
<body><main><h1>Test identity provider</h1>${error ? `<p role="alert">${esc(error)}</p>` : ''}
<form method="post" action="/interaction/${esc(uid)}/login">
<p><label for="login">Login</label> <input id="login" name="login" autocomplete="username" required></p>
<p><label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password" required></p>
<p><button type="submit">Sign in at the provider</button></p>
</form></main></body></html>`;
}

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
	let body = '';
	for await (const chunk of req) body += chunk;
	return new URLSearchParams(body);
}

export async function startTestOp(opts: { port?: number; redirectUris: string[]; postLogoutRedirectUris: string[] }): Promise<TestOp> {
	const server = http.createServer();
	await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
	const port = (server.address() as { port: number }).port;
	const issuer = `http://127.0.0.1:${port}`;
	const signing = rsaJwk('op-key-1');
	const foreign = rsaJwk('op-key-1');
	const op: TestOp = {
		issuer,
		clientId: 'labo-test',
		clientSecret: randomBytes(16).toString('hex'),
		accounts: new Map(),
		acr: 'eidas1',
		idTokenTtl: 600,
		foreignKeys: false,
		logouts: [],
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
	const SCOPES = ['openid', 'email', 'profile', 'given_name', 'usual_name', 'uid', 'siret'];
	const provider = new Provider(issuer, {
		clients: [
			{
				client_id: op.clientId,
				client_secret: op.clientSecret,
				redirect_uris: opts.redirectUris,
				post_logout_redirect_uris: opts.postLogoutRedirectUris,
				response_types: ['code'],
				grant_types: ['authorization_code'],
				token_endpoint_auth_method: 'client_secret_post',
				id_token_signed_response_alg: 'RS256',
				userinfo_signed_response_alg: 'RS256'
			}
		],
		jwks: { keys: [signing.priv] },
		cookies: { keys: [randomBytes(16).toString('hex')] },
		scopes: SCOPES,
		claims: {
			openid: ['sub'],
			email: ['email', 'email_verified'],
			profile: ['given_name', 'usual_name'],
			given_name: ['given_name'],
			usual_name: ['usual_name'],
			uid: ['uid'],
			siret: ['siret'],
			acr: null
		} as never,
		acrValues: ['eidas1', 'eidas2', 'eidas3'],
		pkce: { required: () => true, methods: ['S256'] },
		features: {
			devInteractions: { enabled: false },
			jwtUserinfo: { enabled: true },
			rpInitiatedLogout: {
				enabled: true,
				logoutSource: async (ctx: KoaContextWithOIDC, form: string) => {
					ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test identity provider — sign out</title></head><body><main><h1>Sign out of the test identity provider?</h1>${form}<button form="op.logoutForm" name="logout" value="yes" type="submit">Yes, sign me out</button></main></body></html>`;
				}
			}
		},
		ttl: {
			AccessToken: 600,
			AuthorizationCode: 60,
			Grant: 3600,
			Interaction: 600,
			Session: 3600,
			IdToken: () => op.idTokenTtl
		},
		findAccount: async (_ctx: unknown, sub: string) => {
			const a = op.accounts.get(sub);
			if (!a) return undefined;
			return { accountId: sub, claims: async () => ({ sub, ...a }) };
		},
		interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
		// No consent screen: the test client is pre-approved for what it asks.
		loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
			const accountId = ctx.oidc.session!.accountId!;
			const clientId = ctx.oidc.client!.clientId;
			const grant = new ctx.oidc.provider.Grant({ clientId, accountId });
			grant.addOIDCScope(SCOPES.join(' '));
			grant.addOIDCClaims(['acr']);
			await grant.save();
			return grant;
		}
	} as never);
	provider.on('end_session.success', (ctx: KoaContextWithOIDC) => {
		op.logouts.push(ctx.oidc.session?.accountId ?? 'unknown');
	});
	const callback = provider.callback();
	server.on('request', (req, res) => {
		void (async () => {
			const url = new URL(req.url ?? '/', issuer);
			if (url.pathname === '/jwks' && op.foreignKeys) {
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ keys: [foreign.pub] }));
				return;
			}
			const m = /^\/interaction\/([^/]+)(\/login)?$/.exec(url.pathname);
			if (!m) return callback(req, res);
			const details = await provider.interactionDetails(req, res);
			if (req.method === 'GET') {
				res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
				res.end(loginPage(details.uid));
				return;
			}
			const form = await readForm(req);
			const login = form.get('login') ?? '';
			if (!op.accounts.has(login) || form.get('password') !== OP_PASSWORD) {
				res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
				res.end(loginPage(details.uid, 'Unknown login or wrong password.'));
				return;
			}
			await provider.interactionFinished(req, res, { login: { accountId: login, ...(op.acr ? { acr: op.acr } : {}) } }, { mergeWithLastSubmission: false });
		})().catch((err: unknown) => {
			res.writeHead(500, { 'content-type': 'text/plain' });
			res.end(String(err));
		});
	});
	return op;
}

/**
 * Walks a browser through the provider without one: follows redirects with a cookie jar, signs
 * in on the login form, and returns the URL the provider sends back to (the client's callback).
 */
export async function signInAtOp(authorizationUrl: string, login: string, stopAt: string): Promise<URL> {
	const jar = new Map<string, string>();
	const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
	const keep = (res: Response) => {
		for (const c of res.headers.getSetCookie()) {
			const [pair] = c.split(';');
			const i = pair!.indexOf('=');
			jar.set(pair!.slice(0, i), pair!.slice(i + 1));
		}
	};
	let url = authorizationUrl;
	let init: RequestInit = {};
	for (let i = 0; i < 12; i++) {
		if (url.startsWith(stopAt)) return new URL(url);
		const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers ?? {}), cookie: cookieHeader() } });
		keep(res);
		init = {};
		const location = res.headers.get('location');
		if (location) {
			url = new URL(location, url).href;
			continue;
		}
		const page = await res.text();
		const action = /action="([^"]+)"/.exec(page)?.[1];
		if (res.status !== 200 || !action) throw new Error(`unexpected provider answer ${res.status}: ${page.slice(0, 300)}`);
		url = new URL(action.replace(/&amp;/g, '&'), url).href;
		init = {
			method: 'POST',
			body: new URLSearchParams({ login, password: OP_PASSWORD }).toString(),
			headers: { 'content-type': 'application/x-www-form-urlencoded' }
		};
	}
	throw new Error('too many redirects at the provider');
}
