import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

function newestMtime(root: string, entries: string[]): number {
	let newest = 0;
	const walk = (p: string) => {
		if (!fs.existsSync(p)) return;
		const st = fs.statSync(p);
		if (st.isDirectory()) for (const e of fs.readdirSync(p)) walk(path.join(p, e));
		else newest = Math.max(newest, st.mtimeMs);
	};
	for (const e of entries) walk(path.join(root, e));
	return Math.floor(newest);
}

/** Runs `vite build` when the build is missing or older than the sources (a stamp records them). */
export function buildIfNeeded(root: string): void {
	const entry = path.join(root, 'build', 'handler.js');
	const stampFile = path.join(root, 'build', '.source-stamp');
	const sources = newestMtime(root, ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package-lock.json']);
	const stamp = fs.existsSync(stampFile) ? Number(fs.readFileSync(stampFile, 'utf8')) : -1;
	if (fs.existsSync(entry) && stamp === sources) return;
	console.log('Construction de l’application / building the app (vite build)…');
	const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], {
		cwd: root,
		stdio: 'inherit'
	});
	if (r.status !== 0) {
		console.error('Erreur / error: la construction a échoué / the build failed');
		process.exit(1);
	}
	fs.writeFileSync(stampFile, String(sources));
}
