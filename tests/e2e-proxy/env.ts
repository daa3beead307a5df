/** Where the proxy suite's pieces listen; everything derives from E2E_PROXY_PORT (nginx, https). */
import path from 'node:path';

export const PROXY_PORT = Number(process.env.E2E_PROXY_PORT ?? 3443);
/** nginx's plain-http server, which only redirects. */
export const HTTP_PORT = PROXY_PORT + 1;
/** The app, on loopback, reached only through nginx. */
export const APP_PORT = PROXY_PORT + 2;
export const SMTP_PORT = PROXY_PORT + 3;
export const ORIGIN = `https://127.0.0.1:${PROXY_PORT}`;
/** nginx connects to the app from this address, so the socket's peer differs from the client's. */
export const NGINX_BIND = '127.0.0.2';

export const PROXY_DIR = path.resolve('.tmp/e2e-proxy');
export const MAIL_DIR = path.join(PROXY_DIR, 'mail');
export const DATA_DIR = path.join(PROXY_DIR, 'data');

export const LAB = 'proxy';
export const PASSWORD = 'proxy-e2e-password';
export const ADMIN = 'coordination@proxy.example';
/** Locked out by the rate-limit test; no other test uses it. */
export const LOCKED = 'bloquee@proxy.example';
