import { currentRequestId } from './request-context';

type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function threshold(): number {
	const l = (process.env.LOG_LEVEL ?? 'info') as Level;
	return order[l] ?? 20;
}

function write(level: Level, msg: string, fields?: Record<string, unknown>) {
	if (order[level] < threshold()) return;
	const requestId = currentRequestId();
	const line = JSON.stringify({ t: new Date().toISOString(), level, msg, ...(requestId ? { requestId } : {}), ...fields });
	(level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(line + '\n');
}

/** Structured one-line JSON logs; inside a request each line carries its `requestId`. */
export const log = {
	debug: (m: string, f?: Record<string, unknown>) => write('debug', m, f),
	info: (m: string, f?: Record<string, unknown>) => write('info', m, f),
	warn: (m: string, f?: Record<string, unknown>) => write('warn', m, f),
	error: (m: string, f?: Record<string, unknown>) => write('error', m, f)
};
