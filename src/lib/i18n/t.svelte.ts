import { page } from '$app/state';
import { translate, formatDate, formatDateTime, roleLabel, type MessageKey, type Params } from './index';
import type { Locale, Role } from '$lib/shared/roles';

/** The current page's locale (set by the root layout from cookie or account). */
export function locale(): Locale {
	return (page.data as { locale?: Locale }).locale ?? 'fr';
}

/** Translates in the current page's locale; usable in any component's markup. */
export const t = (key: MessageKey, params?: Params): string => translate(locale(), key, params);
export const d = (iso: string | null | undefined): string => formatDate(locale(), iso);
export const dt = (iso: string | null | undefined): string => formatDateTime(locale(), iso);
export const r = (role: Role | 'public'): string => roleLabel(locale(), role);
