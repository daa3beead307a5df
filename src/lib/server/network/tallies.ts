/**
 * A call's tallies — people invited, answers received, yeses, people assigned — as correlated
 * subqueries for a select list: `.select((eb) => callTallies(eb.ref('c.id')))`.
 */
import { expressionBuilder, type Expression } from 'kysely';
import type { Database } from '../db/schema';
import type { AssignRole } from '$lib/shared/network';

const eb = expressionBuilder<Database>();

/** `assignedRole` counts only the people assigned in that role (all of them without it). */
export function callTallies(callId: Expression<string>, assignedRole?: AssignRole) {
	const answers = () => eb.selectFrom('call_answer as a').where('a.call_id', '=', callId);
	let assigned = eb.selectFrom('call_assignment as s').where('s.call_id', '=', callId);
	if (assignedRole) assigned = assigned.where('s.role', '=', assignedRole);
	return [
		answers()
			.select((e) => e.fn.countAll().as('n'))
			.as('invited'),
		answers()
			.where('a.answered_at', 'is not', null)
			.select((e) => e.fn.countAll().as('n'))
			.as('answered'),
		answers()
			.where('a.answer', '=', 'yes')
			.select((e) => e.fn.countAll().as('n'))
			.as('yes'),
		assigned.select((e) => e.fn.countAll().as('n')).as('assigned')
	] as const;
}
