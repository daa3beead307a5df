/**
 * npm run bench:search — 100,000 knowledge items of generated French-like text in one lab,
 * then 200 varied queries through the search service on SQLite and on PostgreSQL (a throwaway
 * cluster from the system's binaries, when installed). Prints p50/p95 per database, and as a
 * same-run baseline the cost of a primary-key lookup on the same table.
 *
 * Options (environment): BENCH_ITEMS (100000), BENCH_QUERIES (200).
 */
import type { Db } from '../src/lib/server/db';
import { indexDocument, search } from '../src/lib/server/search/search.service';
import type { LabContext } from '../src/lib/server/labs/labs.service';
import { fmt, machine, onBothDatabases, percentile } from './lib';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 200);

// A deterministic generator (mulberry32) so both databases get the same corpus and queries.
function rng(seed: number) {
	return () => {
		seed |= 0;
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
const WORDS = (
	'atelier expérimentation coordination capitalisation mobilisation référent animation principe méthode leçon agents direction lycée ' +
	'région territoire usager service public design politique commande cahier charges fonds enveloppe budget paiement séminaire groupe ' +
	'coproduction diversité facilitateur réseau volontaire formation échelle commune intercommunalité département état association citoyen ' +
	'innovation laboratoire prototype évaluation verdict preuve hypothèse scénario opérateur partenaire sponsor jalon calendrier restitution ' +
	'synthèse compte rendu décision suivi indicateur impact qualité accueil numérique emploi avenir jeunesse formation apprentissage mobilité ' +
	'transport santé social solidarité environnement énergie climat eau agriculture alimentation culture patrimoine sport tourisme économie'
).split(' ');
const STOP = 'le la les de des du un une et en à au aux pour par sur avec dans'.split(' ');

function sentence(r: () => number, n: number): string {
	const out: string[] = [];
	for (let i = 0; i < n; i++) {
		out.push(r() < 0.35 ? STOP[Math.floor(r() * STOP.length)]! : WORDS[Math.floor(Math.pow(r(), 1.6) * WORDS.length)]! + (r() < 0.2 ? 's' : ''));
	}
	const s = out.join(' ');
	return s.charAt(0).toUpperCase() + s.slice(1) + '.';
}

function queries(): string[] {
	const r = rng(42);
	const qs: string[] = [];
	const strip = (w: string) => w.normalize('NFD').replace(/\p{M}/gu, '');
	for (let i = 0; i < QUERIES; i++) {
		const w = () => WORDS[Math.floor(r() * WORDS.length)]!;
		switch (i % 5) {
			case 0:
				qs.push(w());
				break; // one word
			case 1:
				qs.push(strip(w()));
				break; // typed without accents
			case 2:
				qs.push(`${w()} ${w()}`);
				break; // two words
			case 3:
				qs.push(w().slice(0, 5));
				break; // a prefix
			default:
				qs.push(`${w()}s ${strip(w())} ${w()}`); // three words, a plural
		}
	}
	return qs;
}

async function fill(db: Db): Promise<LabContext> {
	const now = new Date().toISOString();
	const lab = { id: '00000000-0000-4000-8000-000000000001', slug: 'bench', name: 'Labo bench', region: 'R', description: '', settings: '{}', created_at: now };
	await db.insertInto('lab').values(lab).execute();
	const r = rng(7);
	const types = ['principle', 'method', 'operating_form', 'mobilisation_idea', 'lesson'];
	const chunk = 1000;
	for (let start = 0; start < ITEMS; start += chunk) {
		await db.transaction().execute(async (trx) => {
			for (let i = start; i < Math.min(ITEMS, start + chunk); i++) {
				const title = sentence(r, 4 + Math.floor(r() * 5)).slice(0, -1);
				const body = Array.from({ length: 2 + Math.floor(r() * 4) }, () => sentence(r, 10 + Math.floor(r() * 15))).join(' ');
				await indexDocument(trx, {
					type: 'knowledge',
					id: `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
					labId: lab.id,
					title,
					body,
					subtype: types[i % 5],
					visibility: i % 3 === 0 ? 'public' : 'lab',
					date: new Date(Date.UTC(2013, 0, 1) + i * 3600_000).toISOString()
				});
			}
		});
	}
	return { lab, actor: null, role: 'resident' };
}

async function measure(name: string, db: Db): Promise<void> {
	const t0 = Date.now();
	const ctx = await fill(db);
	const loadSeconds = (Date.now() - t0) / 1000;
	const qs = queries();
	for (const q of qs.slice(0, 20)) await search(db, ctx, { q }); // warm-up
	const times: number[] = [];
	let hits = 0;
	for (const q of qs) {
		const s = performance.now();
		const r = await search(db, ctx, { q, limit: 20 });
		times.push(performance.now() - s);
		hits += r.hits.length;
	}
	const pk: number[] = [];
	for (let i = 0; i < QUERIES; i++) {
		const s = performance.now();
		await db
			.selectFrom('search_document')
			.where('doc_type', '=', 'knowledge')
			.where('doc_id', '=', `10000000-0000-4000-8000-${String((i * 7919) % ITEMS).padStart(12, '0')}`)
			.selectAll()
			.executeTakeFirst();
		pk.push(performance.now() - s);
	}
	times.sort((a, b) => a - b);
	pk.sort((a, b) => a - b);
	console.log(
		[
			name.padEnd(11),
			fmt(loadSeconds).padStart(8),
			fmt(percentile(times, 50), 2).padStart(8),
			fmt(percentile(times, 95), 2).padStart(8),
			fmt(times[times.length - 1]!, 2).padStart(8),
			fmt(hits / QUERIES, 1).padStart(9),
			fmt(percentile(pk, 50), 3).padStart(10),
			`${fmt(percentile(times, 50) / percentile(pk, 50), 0)}×`.padStart(9)
		].join(' ')
	);
}

async function main() {
	console.log(`machine: ${machine()}`);
	console.log(
		`dataset: ${ITEMS} knowledge items in one lab (French-like text, 20–100 words each), ${QUERIES} queries (one word, no accents, two words, prefixes, three words with a plural)\n`
	);
	console.log(
		[
			'database'.padEnd(11),
			'load s'.padStart(8),
			'p50 ms'.padStart(8),
			'p95 ms'.padStart(8),
			'max ms'.padStart(8),
			'hits/q'.padStart(9),
			'pk p50 ms'.padStart(10),
			'p50/pk'.padStart(9)
		].join(' ')
	);
	await onBothDatabases(measure, 2);
	console.log('\np50/pk: median search time over the median primary-key lookup on the same table, same run.');
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
