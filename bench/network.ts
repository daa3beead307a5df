/**
 * npm run bench:network — on SQLite and on PostgreSQL (a throwaway cluster when installed):
 *  1. matching a call for facilitators over 50,000 referents (skills, availability, days per
 *     month, ladder levels derived from 100,000 recorded participations), and proposing an
 *     assignment from 2,000 answers; beside a plain read of every referent's id and person
 *     (the baseline, same run, same database);
 *  2. importing 10,000 CSV rows: preview (decode, validate every row, compare with the
 *     database) then the write with its invitation mails; beside plain inserts of the same
 *     10,000 invitations without validation.
 * Options (environment): BENCH_REFERENTS (50000), BENCH_IMPORT_ROWS (10000).
 */
import { newId } from '../src/lib/server/db/util';
import type { Db } from '../src/lib/server/db';
import type { LabContext } from '../src/lib/server/labs/labs.service';
import { createEvent } from '../src/lib/server/events/events.service';
import { listSkills, saveSkills } from '../src/lib/server/network/network.service';
import { createCall, getCall, matchCall } from '../src/lib/server/network/calls.service';
import { previewImport, runImport } from '../src/lib/server/network/import.service';
import { CONSENT_VERSION, TERRITORIES } from '../src/lib/shared/network';
import { fmt, machine, onBothDatabases } from './lib';

const REFERENTS = Number(process.env.BENCH_REFERENTS ?? 50_000);
const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 10_000);
const PARTICIPATIONS = REFERENTS * 2;
const SKILLS = ['World café', 'Design sprint', 'Théâtre-forum', 'Forum ouvert', 'Photolangage', 'Facilitation graphique', 'Carte mentale', 'Jeu de rôle'];
const DAY = 86_400_000;

/** A small deterministic generator, so both databases get the same data. */
function rng(seed: number) {
	let s = seed >>> 0;
	return () => {
		s = (s * 1664525 + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

async function timeIt(n: number, fn: () => Promise<unknown>): Promise<{ median: number; times: number[] }> {
	const times: number[] = [];
	for (let i = 0; i < n; i++) {
		const t = performance.now();
		await fn();
		times.push(performance.now() - t);
	}
	const sorted = [...times].sort((a, b) => a - b);
	return { median: sorted[Math.floor(sorted.length / 2)]!, times };
}

async function insertMany<T>(db: Db, table: string, rows: T[], batch = 500) {
	for (let i = 0; i < rows.length; i += batch)
		await db
			.insertInto(table as never)
			.values(rows.slice(i, i + batch) as never)
			.execute();
}

async function run(name: string, db: Db) {
	const random = rng(42);
	const now = new Date().toISOString();
	const lab = { id: newId(), slug: 'bench', name: 'Labo bench', region: 'R', description: '' };
	await db
		.insertInto('lab')
		.values({ ...lab, settings: '{}', created_at: now })
		.execute();
	const ctx: LabContext = { lab, actor: null, role: 'coordinator' };
	await saveSkills(db, ctx, SKILLS);
	const skills = await listSkills(db, lab.id);

	// 50,000 referents with persons, 1–3 skills each, a few unavailable periods.
	const t0 = performance.now();
	const persons: object[] = [];
	const referents: { id: string; person_id: string }[] = [];
	const referentRows: object[] = [];
	const skillRows: object[] = [];
	const unavailable: object[] = [];
	for (let i = 0; i < REFERENTS; i++) {
		const personId = newId();
		const id = newId();
		persons.push({ id: personId, name: `Agent ${i} Exemple`, email: `agent${i}@bench.example`, organisation: null, created_at: now, updated_at: now });
		referents.push({ id, person_id: personId });
		const consent = new Date(Date.now() - Math.floor(random() * 700) * DAY).toISOString();
		referentRows.push({
			id,
			lab_id: lab.id,
			person_id: personId,
			directorate: `Direction ${i % 12}`,
			service: '',
			territory: TERRITORIES[i % TERRITORIES.length],
			languages: 'français',
			days_per_month: 1 + (i % 3),
			bio: '',
			consent_version: CONSENT_VERSION,
			consent_at: consent,
			withdrawn_at: i % 50 === 0 ? now : null,
			erasure_requested_at: null,
			created_at: consent,
			updated_at: consent
		});
		const own = new Set(
			[Math.floor(random() * skills.length), Math.floor(random() * skills.length), Math.floor(random() * skills.length)].slice(0, 1 + (i % 3))
		);
		for (const s of own) skillRows.push({ referent_id: id, skill_id: skills[s]!.id });
		if (i % 20 === 0) unavailable.push({ id: newId(), referent_id: id, from_day: '2030-01-01', to_day: '2030-12-31' });
	}
	await insertMany(db, 'person', persons);
	await insertMany(db, 'referent', referentRows);
	await insertMany(db, 'referent_skill', skillRows, 1000);
	await insertMany(db, 'referent_unavailable', unavailable);

	// 100,000 recorded participations over 2,000 past events, for the ladder.
	const events: object[] = [];
	const eventIds: string[] = [];
	for (let e = 0; e < 2000; e++) {
		const id = newId();
		eventIds.push(id);
		const start = new Date(Date.now() - (10 + e) * DAY).toISOString();
		events.push({
			id,
			lab_id: lab.id,
			kind: e % 10 === 0 ? 'training' : 'workshop',
			title: `Atelier ${e}`,
			starts_at: start,
			ends_at: start,
			place: '',
			online_url: '',
			description: '',
			agenda: '',
			minutes: '',
			created_by: null,
			created_at: now,
			updated_at: now
		});
	}
	await insertMany(db, 'event', events);
	const roles = ['facilitator', 'co_facilitator', 'trainee', 'participant'];
	const participations: object[] = [];
	for (let p = 0; p < PARTICIPATIONS; p++) {
		const r = referents[Math.floor(random() * referents.length)]!;
		const e = Math.floor(random() * eventIds.length);
		participations.push({
			id: newId(),
			lab_id: lab.id,
			event_id: eventIds[e]!,
			person_id: r.person_id,
			name: 'x',
			organisation: '',
			role: e % 10 === 0 ? 'trainee' : roles[p % roles.length],
			attended: null,
			position: 0
		});
	}
	await insertMany(db, 'event_participant', participations);
	const loadS = (performance.now() - t0) / 1000;

	const eventId = await createEvent(db, ctx, {
		kind: 'seminar',
		title: 'Séminaire',
		startsAt: new Date(Date.now() + 60 * DAY).toISOString(),
		endsAt: new Date(Date.now() + 60 * DAY + 8 * 3600_000).toISOString(),
		place: '',
		onlineUrl: '',
		description: '',
		agenda: '',
		minutes: '',
		participants: [],
		decisions: []
	});
	const callId = await createCall(db, ctx, {
		eventId,
		needed: 8,
		minLevel: 'facilitator',
		skills: [skills[0]!.id],
		deadline: new Date(Date.now() + 30 * DAY).toISOString(),
		message: '',
		pairNovices: true
	});

	const baseline = await timeIt(5, () => db.selectFrom('referent').where('lab_id', '=', lab.id).select(['id', 'person_id']).execute());
	let matched = { atLevel: 0, novices: 0 };
	const match = await timeIt(5, async () => {
		const m = await matchCall(db, lab.id, callId);
		matched = { atLevel: m.atLevel.length, novices: m.novices.length };
	});

	// 2,000 of the matched answered (yes, maybe, no); the call page computes the proposal.
	const m = await matchCall(db, lab.id, callId);
	const sent = new Date().toISOString();
	const answers = [...m.atLevel.slice(0, 1000), ...m.novices.slice(0, 1000)].map((r, i) => ({
		id: newId(),
		call_id: callId,
		referent_id: r.referentId,
		token_hash: newId(),
		answer: ['yes', 'maybe', 'no'][i % 3],
		answered_at: sent,
		sent_at: sent
	}));
	await insertMany(db, 'call_answer', answers);
	await db.updateTable('network_call').set({ state: 'open', sent_at: sent }).where('id', '=', callId).execute();
	let picks = 0;
	const propose = await timeIt(5, async () => {
		const c = await getCall(db, ctx, callId);
		picks = c.proposal.picks.length;
	});

	// Import of 10,000 rows: preview then write, beside plain inserts.
	const header = 'nom;email;direction;service;territoire;competences;langues;jours_par_mois';
	const lines = Array.from(
		{ length: IMPORT_ROWS },
		(_, i) =>
			`Agent importé ${i};import${i}@bench.example;Direction ${i % 12};Service ${i % 30};${TERRITORIES[i % 6]};${SKILLS[i % 8]}|${SKILLS[(i + 3) % 8]};français;${1 + (i % 4)}`
	);
	const csv = Buffer.from([header, ...lines].join('\n'), 'utf8');
	const p0 = performance.now();
	const preview = await previewImport(db, ctx, csv, 'agents.csv');
	const previewMs = performance.now() - p0;
	if (!preview.jobId) throw new Error(`import refused: ${JSON.stringify(preview.errors.slice(0, 3))}`);
	const w0 = performance.now();
	await runImport(db, ctx, preview.jobId, 'http://127.0.0.1');
	const writeMs = performance.now() - w0;
	const again0 = performance.now();
	const again = await previewImport(db, ctx, csv, 'agents.csv');
	const againMs = performance.now() - again0;
	const plain = Array.from({ length: IMPORT_ROWS }, (_, i) => ({
		id: newId(),
		lab_id: lab.id,
		email: `plain${i}@bench.example`,
		name: `Agent ${i}`,
		profile: '{}',
		row_hash: String(i),
		token_hash: newId(),
		accepted_at: null,
		created_at: now,
		updated_at: now
	}));
	const b0 = performance.now();
	await insertMany(db, 'network_invitation', plain);
	const plainMs = performance.now() - b0;

	console.log(
		`\n${name}: ${REFERENTS.toLocaleString('en')} referents, ${PARTICIPATIONS.toLocaleString('en')} participations, 2,000 events (loaded in ${fmt(loadS)} s)`
	);
	console.log(`  baseline, read every referent id:        median ${fmt(baseline.median)} ms`);
	console.log(
		`  match a call (skill, availability, days, level): median ${fmt(match.median)} ms  (×${fmt(match.median / baseline.median)} baseline) → ${matched.atLevel.toLocaleString('en')} at level, ${matched.novices.toLocaleString('en')} novices`
	);
	console.log(
		`  call page with proposal from ${answers.length.toLocaleString('en')} answers: median ${fmt(propose.median)} ms (×${fmt(propose.median / baseline.median)} baseline) → ${picks} picks`
	);
	console.log(
		`  import ${IMPORT_ROWS.toLocaleString('en')} rows: preview ${fmt(previewMs)} ms + write ${fmt(writeMs)} ms (with ${preview.counts.new.toLocaleString('en')} invitation mails) = ${fmt((previewMs + writeMs) / 1000, 2)} s`
	);
	console.log(`  re-import preview (all unchanged: ${again.counts.unchanged.toLocaleString('en')}): ${fmt(againMs)} ms`);
	console.log(
		`  baseline, plain insert of ${IMPORT_ROWS.toLocaleString('en')} invitations: ${fmt(plainMs)} ms (import is ×${fmt((previewMs + writeMs) / plainMs)})`
	);
}

console.log(`bench:network on ${machine()}`);
await onBothDatabases(run, 4);
