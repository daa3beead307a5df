/** Row types of the tables the `installation` domain owns (see src/lib/server/architecture.ts). */

export interface InstallSettingTable {
	key: string;
	value: string;
	updated_at: string;
}
