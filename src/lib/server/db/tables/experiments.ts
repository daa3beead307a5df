/** Row types of the tables the `experiments` domain owns (see src/lib/server/architecture.ts). */
import type { Generated } from 'kysely';

export interface ExperimentTable {
	id: string;
	lab_id: string;
	title: string;
	scenario: string;
	summary: string;
	sponsor: string;
	operator: string;
	partners: string;
	lineage_type: string | null;
	lineage_id: string | null;
	status: string;
	conclusions: string;
	created_by: string | null;
	created_at: string;
	updated_at: string;
	published: Generated<number>;
}

export interface ExperimentStatusChangeTable {
	id: string;
	lab_id: string;
	experiment_id: string;
	from_status: string | null;
	to_status: string;
	changed_at: string;
	actor_id: string | null;
}

export interface ExperimentMilestoneTable {
	id: string;
	lab_id: string;
	experiment_id: string;
	title: string;
	due_on: string;
	state: string;
}

export interface ExperimentRoleTable {
	id: string;
	lab_id: string;
	experiment_id: string;
	responsibility: string;
	person_name: string;
	/** The lab member or network referent, when it is someone known (null: someone from outside). */
	person_id: string | null;
	estimated_days: number;
	actual_days: number;
}

export interface ExperimentTestTable {
	id: string;
	lab_id: string;
	experiment_id: string;
	knowledge_id: string;
	verdict: string | null;
	evidence: string;
}

export interface ExperimentMemberTable {
	lab_id: string;
	experiment_id: string;
	account_id: string;
}
