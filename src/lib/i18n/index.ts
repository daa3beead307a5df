import { fr, type MessageKey } from './fr';
import type { Locale, Role } from '$lib/shared/roles';

export type { MessageKey };
export type Params = Record<string, string | number>;
export type Catalog = Record<MessageKey, string>;

/**
 * French, the source of every key, is always here. Another language is loaded when chosen: the
 * browser fetches it only for a page in that language (the root layout's load awaits
 * `loadCatalog`); the server registers every catalogue up front (`$lib/server/i18n`).
 */
const catalogs: Partial<Record<Locale, Catalog>> = { fr };

export function provideCatalog(locale: Locale, catalog: Catalog): void {
	catalogs[locale] = catalog;
}

export async function loadCatalog(locale: Locale): Promise<void> {
	if (locale === 'en' && !catalogs.en) catalogs.en = (await import('./en')).en;
}

const catalogOf = (locale: Locale): Catalog => catalogs[locale] ?? fr;

export function isMessageKey(k: unknown): k is MessageKey {
	return typeof k === 'string' && Object.hasOwn(fr, k);
}

/**
 * The one door for a key that comes from outside the code (a stored value, a code sent by an
 * older server, a Zod issue message): the value if the catalogue has it, else the fallback.
 */
export function messageKeyOr(value: unknown, fallback: MessageKey): MessageKey {
	return isMessageKey(value) ? value : fallback;
}

/** A message and its parameters, as forms and errors carry them. */
export interface Message {
	key: MessageKey;
	params?: Params;
}

/** Translates a catalogue key (an unknown key is a type error; see `messageKeyOr`). */
export function translate(locale: Locale, key: MessageKey, params: Params = {}): string {
	return interpolate(locale, catalogOf(locale)[key] ?? key, params);
}

/**
 * Fills a template in a locale.
 * `{name}` is replaced by the parameter; `{name|singular|plural}` picks the form agreeing with the
 * number `name` under the locale's plural rules (French: 0 and 1 are singular; English: only 1),
 * e.g. '{count} {count|membre|membres}'; `#` in a form is the number ('{n|mon commentaire|mes # commentaires}').
 */
export function interpolate(locale: Locale, template: string, params: Params = {}): string {
	return template.replace(/\{(\w+)(?:\|([^|{}]*)\|([^|{}]*))?\}/g, (whole, name: string, one?: string, other?: string) => {
		if (!(name in params)) return whole;
		if (one === undefined) return formatParam(locale, params[name]!);
		const form = pluralCategory(locale, Number(params[name])) === 'one' ? one : other!;
		return form.replace(/#/g, () => formatParam(locale, params[name]!));
	});
}

const pluralRules = new Map<Locale, Intl.PluralRules>();
function pluralCategory(locale: Locale, n: number): Intl.LDMLPluralRule {
	let r = pluralRules.get(locale);
	if (!r) pluralRules.set(locale, (r = new Intl.PluralRules(tag(locale))));
	return r.select(n);
}

function formatParam(locale: Locale, v: string | number): string {
	if (typeof v === 'number') return cached(`n:${locale}`, () => new Intl.NumberFormat(tag(locale))).format(v);
	// A parameter may itself be a message key (e.g. a status name given by the server).
	return isMessageKey(v) ? catalogOf(locale)[v] : v;
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
	return cached(`d:${locale}`, () => new Intl.DateTimeFormat(tag(locale), { day: 'numeric', month: 'long', year: 'numeric', timeZone: TZ })).format(
		new Date(iso)
	);
}

/** "6 février 2014 à 14:30" */
export function formatDateTime(locale: Locale, iso: string | null | undefined): string {
	if (!iso) return '';
	return cached(
		`dt:${locale}`,
		() => new Intl.DateTimeFormat(tag(locale), { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: TZ })
	).format(new Date(iso));
}

/** "12 500,00 €" from integer cents. */
export function formatEuros(locale: Locale, cents: number): string {
	return cached(`eur:${locale}`, () => new Intl.NumberFormat(tag(locale), { style: 'currency', currency: 'EUR' })).format(cents / 100);
}
