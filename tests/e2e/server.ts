/**
 * Starts what the end-to-end tests talk to: a real SMTP server on 127.0.0.1 that keeps each
 * mail as a JSON file, and the app itself through `npm start`'s own entry point on an empty
 * data directory (so the demo lab is loaded exactly as a new user gets it).
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { startMailCapture } from './mail-capture';
import { buildIfNeeded } from '../../src/cli/build';
import { startTestOp } from '../setup/oidc-op';

export const E2E_DIR = path.resolve(`.tmp/e2e-${process.env.E2E_INDEX ?? 0}`);
export const MAIL_DIR = path.join(E2E_DIR, 'mail');
const SMTP_PORT = Number(process.env.E2E_SMTP_PORT ?? 2526);

fs.rmSync(E2E_DIR, { recursive: true, force: true });
fs.mkdirSync(MAIL_DIR, { recursive: true });

// Several servers start at once: one builds the app, the others wait for it (a lock directory).
const lock = path.resolve('.tmp/e2e-build.lock');
fs.mkdirSync(path.dirname(lock), { recursive: true });
const wait = new Int32Array(new SharedArrayBuffer(4));
for (let tries = 0; ; tries++) {
	try {
		fs.mkdirSync(lock);
		break;
	} catch {
		if (tries > 2400) throw new Error(`e2e: the build lock ${lock} was never released`);
		Atomics.wait(wait, 0, 0, 100);
	}
}
try {
	buildIfNeeded(process.cwd());
} finally {
	fs.rmdirSync(lock);
}

const smtp = startMailCapture(MAIL_DIR, SMTP_PORT);

// The identity provider for single sign-on (tests/setup/oidc-op.ts), on 127.0.0.1 at a fixed
// port per server, with the agent the sign-on spec signs in as.
const APP_ORIGIN = `http://127.0.0.1:${process.env.E2E_PORT ?? '3210'}`;
export const OP_PORT = 4410 + Number(process.env.E2E_INDEX ?? 0);
const op = await startTestOp({ port: OP_PORT, redirectUris: [`${APP_ORIGIN}/auth/oidc/callback`], postLogoutRedirectUris: [`${APP_ORIGIN}/login?bye`] });
op.accounts.set('agent.sso', {
	email: 'agent.sso@ville-e2e.example',
	email_verified: true,
	given_name: 'Sacha',
	usual_name: 'Dupont',
	siret: '21130055300016',
	uid: '77'
});

const app = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'src/cli/start.ts'], {
	stdio: 'inherit',
	env: {
		...process.env,
		DATA_DIR: path.join(E2E_DIR, 'data'),
		PORT: process.env.E2E_PORT ?? '3210',
		HOST: '127.0.0.1',
		SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
		DATABASE_URL: '',
		OIDC_ISSUER: op.issuer,
		OIDC_CLIENT_ID: op.clientId,
		OIDC_CLIENT_SECRET: op.clientSecret,
		OIDC_SCOPES: 'openid email given_name usual_name uid siret',
		OIDC_LABEL: 'Test IdP',
		OIDC_ACR_VALUES: 'eidas1'
	}
});
const stop = () => {
	app.kill('SIGTERM');
	void op.close();
	smtp.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
app.on('exit', (code) => {
	smtp.close();
	process.exit(code ?? 1);
});
