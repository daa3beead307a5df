import { fr, type MessageKey } from './fr';
import { en } from './en';
import type { Locale, Role } from '$lib/shared/roles';

export type { MessageKey };
export type Params = Record<string, string | number>;

const catalogs: Record<Locale, Record<MessageKey, string>> = { fr, en };

export function isMessageKey(k: string): k is MessageKey {
	return k in fr;
}

/** Translates a key; unknown keys (e.g. a code from an older server) fall back to the key itself. */
export function translate(locale: Locale, key: string, params: Params = {}): string {
	const template = plurals(locale, isMessageKey(key) ? catalogs[locale][key] : key, params);
	return template.replace(/\{(\w+)\}/g, (_, name: string) =>
		name in params ? formatParam(locale, params[name]!) : `{${name}}`
	);
}

/**
 * Real plurals, ICU-style: `{count, plural, =0 {aucune} one {# demande} other {# demandes}}`
 * picks a branch by the locale's plural rules (French counts 0 and 1 as "one"); `#` is the
 * formatted number and `{name}` parameters work inside a branch.
 */
const PLURAL_RE = /\{(\w+), plural,((?:\s*(?:=\d+|zero|one|two|few|many|other)\s*\{(?:[^{}]|\{\w+\})*\})+)\s*\}/g;
const BRANCH_RE = /(=\d+|zero|one|two|few|many|other)\s*\{((?:[^{}]|\{\w+\})*)\}/g;

const rules = new Map<Locale, Intl.PluralRules>();
function pluralRules(locale: Locale): Intl.PluralRules {
	let r = rules.get(locale);
	if (!r) rules.set(locale, (r = new Intl.PluralRules(tag(locale))));
	return r;
}

function plurals(locale: Locale, template: string, params: Params): string {
	if (!template.includes(', plural,')) return template;
	return template.replace(PLURAL_RE, (whole, name: string, body: string) => {
		const n = Number(params[name]);
		if (!(name in params) || Number.isNaN(n)) return whole;
		const branches = new Map([...body.matchAll(BRANCH_RE)].map((m) => [m[1]!, m[2]!]));
		const text = branches.get(`=${n}`) ?? branches.get(pluralRules(locale).select(n)) ?? branches.get('other') ?? '';
		return text.replace(/#/g, formatParam(locale, n));
	});
}

function formatParam(locale: Locale, v: string | number): string {
	if (typeof v === 'number') return cached(`n:${locale}`, () => new Intl.NumberFormat(tag(locale))).format(v);
	// A parameter may itself be a message key (e.g. a status name given by the server).
	return isMessageKey(v) ? catalogs[locale][v] : v;
}

export function roleLabel(locale: Locale, role: Role | 'public'): string {
	return translate(locale, `role.${role}`);
}

const TZ = 'Europe/Paris';

// Formatters are costly to build (tens of microseconds each): one per locale and style, kept.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
	let f = formatters.get(key) as T | undefined;
	if (!f) formatters.set(key, (f = make()));
	return f;
}
const tag = (locale: Locale) => (locale === 'fr' ? 'fr-FR' : 'en-GB');

/** "6 février 2014" */
export function formatDate(locale: Locale, iso: string | null | undefined): string {
	if (!iso) return '';
	return cached(`d:${locale}`, () => new Intl.DateTimeFormat(tag(locale), { day: 'numeric', month: 'long', year: 'numeric', timeZone: TZ })).format(new Date(iso));
}

/** "6 février 2014 à 14:30" */
export function formatDateTime(locale: Locale, iso: string | null | undefined): string {
	if (!iso) return '';
	return cached(`dt:${locale}`, () => new Intl.DateTimeFormat(tag(locale), { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: TZ })).format(new Date(iso));
}

/** "12 500,00 €" from integer cents. */
export function formatEuros(locale: Locale, cents: number): string {
	return cached(`eur:${locale}`, () => new Intl.NumberFormat(tag(locale), { style: 'currency', currency: 'EUR' })).format(cents / 100);
}
