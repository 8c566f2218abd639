/**
 * Shapes of the traits that `cryoweave.widget` syncs to the front end.
 * Keys of `Traits` are the Python trait names, exactly.
 */

export interface FieldSummary {
  name: string;
  /** numpy dtype string, e.g. "<f4", "|S48", "|O". */
  dtype: string;
  /** Per-row shape: [] for a scalar column, [2] for a 2-vector. */
  shape: number[];
}

export interface GroupSummary {
  /** "" for the group holding `uid`; otherwise a result prefix such as "ctf". */
  prefix: string;
  fields: FieldSummary[];
}

export interface DatasetSummary {
  rows: number;
  path: string | null;
  groups: GroupSummary[];
}

export interface Traits {
  summary: DatasetSummary;
}
