/**
 * What the groups page of a co-production session shows, and the labels its sections share:
 * attributes and their values by name, the pre-checks' problems with participants' names.
 */
import type { sessionView } from '$lib/server/sessions/sessions.service';
import type { memberChoices } from '$lib/server/members/members.service';
import type { GroupingProblem } from '$lib/grouping/precheck';
import { t } from '$lib/i18n/t.svelte';
import type { MessageKey } from '$lib/i18n';
import { answerFor } from '$lib/shared/forms';
import { isActorType, isScale } from '$lib/shared/sessions';

export type SessionPageData = Awaited<ReturnType<typeof sessionView>> & {
	lab: { slug: string; name: string };
	members: Awaited<ReturnType<typeof memberChoices>>;
	canEdit: boolean;
	problems: GroupingProblem[];
	constraintText: { together: string; apart: string; pinned: string };
};

const BUILTIN: Partial<Record<string, MessageKey>> = {
	organisation: 'session.attr.organisation',
	actorType: 'session.attr.actorType',
	scale: 'session.attr.scale',
	directorate: 'session.attr.directorate'
};

/** Labels read from the page's current data (a getter, so they follow its updates). */
export function sessionLabels(data: () => Pick<SessionPageData, 'attributes' | 'participants'>) {
	const attributeLabel = (key: string) => {
		const a = data().attributes.find((x) => x.key === key);
		const builtin = BUILTIN[key];
		return a?.label ?? (builtin ? t(builtin) : key);
	};
	const valueLabel = (key: string, value: string) =>
		key === 'actorType' && isActorType(value) ? t(`session.actorType.${value}`) : key === 'scale' && isScale(value) ? t(`session.scale.${value}`) : value;
	/** A problem's message, participants' indices replaced by their names and groups counted from 1. */
	const problemText = (p: { code: MessageKey; params: Record<string, string | number> }) => {
		const names = data().participants.map((x) => x.name);
		const params: Record<string, string | number> = { ...p.params };
		for (const k of ['a', 'b', 'participant'] as const) if (typeof params[k] === 'number') params[k] = names[params[k] as number] ?? '?';
		if (typeof params.members === 'string')
			params.members = params.members
				.split(',')
				.map((i) => names[Number(i)] ?? '?')
				.join(', ');
		if (typeof params.group === 'number') params.group = (params.group as number) + 1;
		return t(p.code, params);
	};
	return { attributeLabel, valueLabel, problemText };
}

export type SessionLabels = ReturnType<typeof sessionLabels>;

/** What was typed in the form `formId` and sent back with its errors, else `fallback`. */
export const typedIn =
	(form: unknown, formId: string) =>
	(key: string, fallback = ''): string =>
		(answerFor(form, formId)?.values?.[key] as string | undefined) ?? fallback;
