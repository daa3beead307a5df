import { z } from 'zod';
import type { MessageKey } from '$lib/i18n';

export const EVENT_KINDS = ['workshop', 'meeting', 'seminar', 'training'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
export const PARTICIPANT_ROLES = ['participant', 'facilitator', 'co_facilitator', 'observer', 'trainer', 'trainee'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

export interface ParticipantLine {
	name: string;
	organisation: string;
	role: ParticipantRole;
	/** Recorded attendance: true present, false absent, null not said (counts as present). */
	attended?: boolean | null;
}
export interface DecisionLine {
	text: string;
	owner: string;
	dueOn: string | null;
}

const ROLE_WORDS: Record<string, ParticipantRole> = {
	participant: 'participant',
	participante: 'participant',
	animateur: 'facilitator',
	animatrice: 'facilitator',
	facilitator: 'facilitator',
	'co-animateur': 'co_facilitator',
	'co-animatrice': 'co_facilitator',
	co_facilitator: 'co_facilitator',
	'co-facilitator': 'co_facilitator',
	observateur: 'observer',
	observatrice: 'observer',
	observer: 'observer',
	formateur: 'trainer',
	formatrice: 'trainer',
	trainer: 'trainer',
	stagiaire: 'trainee',
	trainee: 'trainee'
};

type LineResult<T> = { ok: true; rows: T[] } | { ok: false; line: number; key: MessageKey };

const ATTENDANCE_WORDS: Record<string, boolean> = {
	present: true,
	présent: true,
	présente: true,
	presente: true,
	absent: false,
	absente: false
};

/** "Nom ; Organisation ; rôle ; présent|absent" per line (all but the name optional). */
export function parseParticipants(text: string): LineResult<ParticipantLine> {
	const rows: ParticipantLine[] = [];
	const lines = text.split(/\r?\n/);
	for (let i = 0; i < lines.length; i++) {
		const raw = lines[i]!.trim();
		if (!raw) continue;
		const [name = '', organisation = '', role = '', attendance = ''] = raw.split(';').map((p) => p.trim());
		if (!name || name.length > 120) return { ok: false, line: i + 1, key: 'event.badParticipant' };
		const r = role ? ROLE_WORDS[role.toLowerCase()] : 'participant';
		if (!r) return { ok: false, line: i + 1, key: 'event.badRole' };
		const attended = attendance ? ATTENDANCE_WORDS[attendance.toLowerCase()] : null;
		if (attended === undefined) return { ok: false, line: i + 1, key: 'event.badAttendance' };
		rows.push({ name, organisation: organisation.slice(0, 200), role: r, attended });
	}
	if (rows.length > 500) return { ok: false, line: 501, key: 'event.tooManyLines' };
	return { ok: true, rows };
}

/** "Décision ; Responsable ; AAAA-MM-JJ" per line (owner and due date optional). */
export function parseDecisions(text: string): LineResult<DecisionLine> {
	const rows: DecisionLine[] = [];
	const lines = text.split(/\r?\n/);
	for (let i = 0; i < lines.length; i++) {
		const raw = lines[i]!.trim();
		if (!raw) continue;
		const [t = '', owner = '', due = ''] = raw.split(';').map((p) => p.trim());
		if (!t || t.length > 500) return { ok: false, line: i + 1, key: 'event.badDecision' };
		if (due && !isIsoDay(due)) return { ok: false, line: i + 1, key: 'event.badDueDate' };
		rows.push({ text: t, owner: owner.slice(0, 120), dueOn: due || null });
	}
	if (rows.length > 200) return { ok: false, line: 201, key: 'event.tooManyLines' };
	return { ok: true, rows };
}

export function isIsoDay(v: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
	const d = new Date(v + 'T00:00:00Z');
	return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
}

export const participantsToText = (rows: ParticipantLine[]): string =>
	rows.map((p) => [p.name, p.organisation, p.role, ...(p.attended === true ? ['présent'] : p.attended === false ? ['absent'] : [])].join(' ; ')).join('\n');
export const decisionsToText = (rows: DecisionLine[]): string => rows.map((d) => [d.text, d.owner, d.dueOn ?? ''].join(' ; ')).join('\n');

/** datetime-local values ("2014-02-06T14:00") are Europe/Paris wall-clock times. */
export const localDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/);
