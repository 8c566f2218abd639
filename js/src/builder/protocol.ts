/**
 * The JobBuilder widget's contract between Python (`cryoweave.widget.JobBuilder`) and the
 * front end. Python owns the model: it publishes the traits below, and the front end never
 * edits them; it sends requests (`Request`) as anywidget custom messages and Python answers
 * each one with a `Reply` carrying the same `id`.
 *
 * The Python side mirrors these shapes in `src/cryoweave/widget/builder_graph.py` (traits)
 * and `builder_requests.py` (requests and replies); a change here is a change there.
 */

// ---------------------------------------------------------------------------------------
// Traits (Python -> front end). Their size grows with the number of jobs, never with the
// number of particles.
//
// The `graph` trait travels compact (`GraphWire`): the static parts of each job type are
// sent once, in `specs`, and each job carries only its own state. `normalizeGraph`
// (graph.ts), the one place that reads the trait, expands it into `GraphView`, the shape
// every view uses; nothing else sees the `*Wire` types.

/** CryoSPARC's job statuses (cryosparc-tools' JobStatus). */
export type JobStatus =
  | "building"
  | "queued"
  | "launched"
  | "started"
  | "running"
  | "waiting"
  | "completed"
  | "killed"
  | "failed";
/** A saved version number, or "F" for the final (last) one. */
export type Version = number | "F";

export interface ResultView {
  name: string; // "blob"
  type: string; // "particle.blob"
  /** Carried through unread from an input, as CryoSPARC marks it. */
  passthrough: boolean;
  /** Saved versions, oldest first; empty for a building job. */
  versions: number[];
  /** Project-relative `.cs` path of each version, same order as `versions`. */
  metafiles: string[];
  num_items: number;
}

export interface OutputView {
  name: string; // "particles"
  type: string; // item type: "particle", "volume", "mask", "exposure", ...
  title: string;
  num_items: number;
  results: ResultView[];
}

export interface SlotView {
  name: string;
  type: string; // result type, "particle.blob"
  required: boolean;
  title: string;
}

export interface SlotSourceView {
  /** Slot of the input it fills; null for a passthrough result. */
  slot: string | null;
  job: string;
  group: string;
  result: string;
  result_type: string;
  version: Version;
  /** "J3.particles.blob", with "@v2" when not the final version. */
  label: string;
  /** Filled from elsewhere than the connection's own group (or another version). */
  override: boolean;
}

export interface ConnectionView {
  job: string;
  group: string;
  slots: SlotSourceView[];
}

export interface InputView {
  name: string;
  type: string; // item type
  title: string;
  slots: SlotView[];
  count_min: number;
  count_max: number | null; // null: unlimited
  repeat_allowed: boolean;
  /** "1 to unlimited groups, repeats not allowed". */
  requirements: string;
  /** "waiting": met, but some parents have not completed (named in `problems`). */
  status: "met" | "waiting" | "unmet";
  /** Why it is unmet, or whom it waits for; empty when met and ready. */
  problems: string[];
  connections: ConnectionView[];
}

export interface JobView {
  uid: string; // "J12"
  type: string; // catalog key, "homo_refine_new"
  type_title: string; // "Homogeneous Refinement"
  title: string; // user title
  section: string;
  status: JobStatus;
  position: [number, number];
  /** Info tags, e.g. ["6,012 particles", "1 volume"]. */
  tags: string[];
  /** The job belongs to an opened CryoSPARC project: read-only, never written. */
  external: boolean;
  inputs: InputView[];
  outputs: OutputView[];
}

export interface GraphView {
  title: string;
  /** Absolute path of the project folder on the kernel's machine (metafiles are relative). */
  root: string;
  read_only: boolean;
  jobs: JobView[];
  can_undo: boolean;
  can_redo: boolean;
  /** What undo would revert, e.g. "connect J3.particles to J5.particles"; "" when none. */
  undo_label: string;
  redo_label: string;
  /** Increases with every change, so views can tell a new state from a repeated one. */
  revision: number;
  /** Some job was moved by hand (or by a layout of the canvas): the positions are the user's.
   * Until then the canvas lays the project out when it first shows it. */
  laid_out: boolean;
  /** The job the last edit made from Python (a notebook cell); "" when it made none or came
   * from the canvas. The canvas scrolls it into view once. Absent in a graph made on the page. */
  made_in_python?: string;
}

/** The static part of an input group, as its job type declares it. */
export type InputSpecWire = Omit<InputView, "status" | "problems" | "connections">;

/** The static part of an output group: its declared results (saved or not). */
export interface OutputSpecWire {
  name: string;
  type: string;
  title: string;
  results: { name: string; type: string }[];
}

/** The static parts of a job type, shared by the jobs whose `spec` names it. */
export interface SpecWire {
  type_title: string;
  section: string;
  inputs: InputSpecWire[];
  outputs: OutputSpecWire[];
}

/** A slot source without its `label`, which `normalizeGraph` derives (`dragLabel`). */
export type SlotSourceWire = Omit<SlotSourceView, "label">;

export interface ConnectionWire {
  job: string;
  group: string;
  slots: SlotSourceWire[];
}

/** What a job has of its own in an input group; same order as its spec's `inputs`. */
export interface InputWire {
  status: "met" | "waiting" | "unmet";
  problems: string[];
  connections: ConnectionWire[];
}

/** What a job has of its own in an output group; same order as its spec's `outputs`. */
export interface OutputWire {
  num_items: number;
  /**
   * Left out when they are exactly the spec's declared results with nothing saved or passed
   * through (a job being built): each then has no versions, no metafiles and 0 items.
   */
  results?: ResultView[];
}

export interface JobWire {
  uid: string;
  type: string;
  /** Key of `GraphWire.specs`: the catalog key when the job's groups are the catalog's,
   * else the job's own uid (external and imported jobs, jobs with specs of their own). */
  spec: string;
  title: string;
  status: JobStatus;
  position: [number, number];
  tags: string[];
  external: boolean;
  inputs: InputWire[];
  outputs: OutputWire[];
}

/** The `graph` trait as sent: `GraphView` with the jobs compact and their specs apart. */
export interface GraphWire extends Omit<GraphView, "jobs"> {
  specs: Record<string, SpecWire>;
  jobs: JobWire[];
}

/** Everything of `GraphView` but its jobs. */
export type GraphHeader = Omit<GraphView, "jobs">;

/**
 * After an edit, Python sends every view what changed (`msg:custom`, no `id`) instead of the
 * whole `graph` trait again: the trait stays current on the kernel for views that ask for it
 * whole (a new view, a reload, or the `graph` request). Applied by `graphStore.ts`.
 */
export interface GraphPatch extends GraphHeader {
  type: "graph_patch";
  /** The revision this patch applies to; a view at another revision asks for the graph. */
  base: number;
  /** Specs new or changed since `base`; a view keeps every spec it has been sent. */
  specs: Record<string, SpecWire>;
  /** Jobs added or changed, whole. */
  jobs: JobWire[];
  /** Uids of jobs deleted. */
  removed: string[];
}

export interface CatalogEntry {
  key: string;
  title: string;
  section: string;
  description: string;
}

export interface BuilderTraits {
  /** Read through `normalizeGraph` only. */
  graph: GraphWire;
  /** Every job type that can be added, sent once. */
  catalog: CatalogEntry[];
  /** Each edit made on the canvas as its line of Python (`builder.code()`), oldest first. */
  code_lines: string[];
}

// ---------------------------------------------------------------------------------------
// Requests (front end -> Python), sent with `model.send(request)`.

export type Command =
  | { op: "connect"; job: string; input: string; source_job: string; source_output: string }
  | {
      op: "connect_result";
      job: string;
      input: string;
      connection: number;
      slot: string;
      source_job: string;
      source_output: string;
      source_result: string;
      version: Version;
    }
  | { op: "disconnect"; job: string; input: string; connection: number }
  | { op: "clear_slot"; job: string; input: string; connection: number; slot: string }
  | { op: "set_title"; job: string; title: string }
  /** A parameter of a building job, by CryoSPARC's key; `value` null leaves it unset. */
  | { op: "set_param"; job: string; key: string; value: ParamValue }
  /** Back to the job type's default. */
  | { op: "clear_param"; job: string; key: string }
  | { op: "set_position"; job: string; x: number; y: number }
  | { op: "set_positions"; positions: Record<string, [number, number]> }
  | { op: "add_job"; type: string; x: number; y: number }
  | { op: "delete_job"; job: string }
  /** A completed Select 2D job of a 2D classification's chosen classes (`select_classes`). */
  | { op: "select_classes"; job: string; classes: number[] }
  /** A completed job of the particles whose numeric field lies in [low, high] (null: open). */
  | {
      op: "select_particles";
      job: string;
      output: string;
      field: string;
      low: number | null;
      high: number | null;
    }
  | { op: "undo" }
  | { op: "redo" };

/** What is being dragged: a whole output group, or one result of it (at a version). */
export type DragSource =
  | { kind: "group"; job: string; output: string }
  | { kind: "result"; job: string; output: string; result: string; version: Version };

export type Request =
  | { id: number; type: "command"; command: Command }
  /** At drag start: which targets accept the source, and why the others refuse. */
  | { id: number; type: "compatibility"; source: DragSource }
  /** Resolve a building job's input: its row count and fields with provenance. */
  | { id: number; type: "preview"; job: string; input: string }
  /** One page of rows of a resolved input. */
  | { id: number; type: "rows"; job: string; input: string; offset: number; limit: number }
  /** Bytes `offset` onwards (at most 8 MiB) of one saved `.cs` file of a result version. */
  | {
      id: number;
      type: "download";
      job: string;
      output: string;
      result: string;
      version: Version;
      offset: number;
    }
  /** A job's parameters, with values and defaults, for the parameters panel. */
  | { id: number; type: "params"; job: string }
  /** The whole `graph` trait, for a view that missed a patch. */
  | { id: number; type: "graph" }
  /** The cryosparc-tools script that builds the selected building jobs in CryoSPARC. */
  | { id: number; type: "handoff"; jobs: string[]; workspace: string }
  /** The CryoSPARC workflow file of the selected building jobs. */
  | { id: number; type: "workflow"; jobs: string[] }
  /** ELK's web worker script, asked for when a layout is first needed (`LayoutEngineReply`). */
  | { id: number; type: "layout_engine" }
  /** A page of particle images of an output, or of a building job's resolved input. */
  | {
      id: number;
      type: "tiles";
      job: string;
      side: "input" | "output";
      name: string;
      slot: string;
      offset: number;
      limit: number;
    }
  /** A 2D classification's class averages, most particles first. */
  | { id: number; type: "class_gallery"; job: string; output: string }
  /** Slice `z` (null: the central one) and the central xz, yz slices of a map and half maps. */
  | { id: number; type: "volume_slices"; job: string; output: string; z: number | null }
  /** One exposure's micrograph, shrunk, with its picks. */
  | { id: number; type: "micrograph"; job: string; output: string; index: number };

// ---------------------------------------------------------------------------------------
// Replies (Python -> front end), `msg:custom` with the request's id.

export interface Refusal {
  id: number;
  ok: false;
  /** Why, naming the jobs, inputs and slots involved. Shown on the canvas. */
  error: string;
}

export interface CommandReply {
  id: number;
  ok: true;
  /** What was done ("connect J3.particles to J5.particles"). */
  done: string;
  /** Uid of the job made by "add_job". */
  job?: string;
}

export interface Verdict {
  ok: boolean;
  reason: string; // "" when ok
}

export interface CompatibilityReply {
  id: number;
  ok: true;
  /**
   * Keyed by the target id (the target element's `data-target`, see compat.ts):
   * group drags: "input-{uid}-{input}" for every input group of every building job;
   * result drags: "slot-{uid}-{input}-{connection_idx}-{slot}" for every slot of every
   * connection of every building job.
   */
  targets: Record<string, Verdict>;
}

export interface FieldView {
  name: string; // "ctf/df1_A"
  dtype: string; // numpy dtype string
  shape: number[];
  /** Where the values come from: "J3.particles.ctf" per connection ("@v2" when not F). */
  sources: string[];
  /** Numeric scalar fields: bin counts of the values from `low` to `high` (a strided
   * sample of large tables), made in Python; null for uid, strings and vectors. */
  histogram: Histogram | null;
}

export interface Histogram {
  counts: number[];
  low: number;
  high: number;
}

export interface ResultFieldsView {
  prefix: string; // "" for uid
  fields: FieldView[];
}

export interface PreviewReply {
  id: number;
  ok: true;
  rows: number;
  groups: ResultFieldsView[];
}

export interface ColumnView {
  /** Column name as in `Dataset.to_pandas()`: vector fields split as "name/0", "name/1". */
  name: string;
  /**
   * How to read the matching buffer: "u8" "i8" "f8" "f4" "u4" "i4" "u2" "i2" "u1" "i1"
   * (little-endian typed arrays), or "str" (fixed-width UTF-8 records padded with zero
   * bytes, as in a `.cs` file: the width is the buffer's length over the row count).
   */
  kind: string;
}

export interface RowsReply {
  id: number;
  ok: true;
  offset: number;
  /** Rows in this page (buffers hold this many values each). */
  count: number;
  total: number;
  /** One binary buffer per column, same order, in the message's buffers. */
  columns: ColumnView[];
}

export interface DownloadReply {
  id: number;
  ok: true;
  /** Suggested file name, e.g. "J3_particles.cs"; the chunk is the message's one buffer. */
  filename: string;
  path: string; // absolute path on the kernel's machine, for copy-path
  offset: number; // where the chunk starts in the file
  size: number; // the whole file's bytes: ask again from offset + chunk length until reached
  stamp: string; // changes when the file does: chunks with different stamps must not be joined
}

export interface GraphReply {
  id: number;
  ok: true;
  graph: GraphWire;
}

export type Reply =
  | Refusal
  | CommandReply
  | GraphReply
  | CompatibilityReply
  | PreviewReply
  | RowsReply
  | DownloadReply
  | HandoffReply
  | WorkflowReply
  | ParamsReply
  | LayoutEngineReply
  | TilesReply
  | ClassGalleryReply
  | VolumeSlicesReply
  | MicrographReply;

// Pictures: uint8 pixels (contrast set in Python), row after row, in the message's buffers.

export interface TilesReply {
  id: number;
  ok: true;
  offset: number;
  /** Tiles in this page; the one buffer holds `count` tiles of `size`, one after another. */
  count: number;
  total: number;
  /** The images' own [ny, nx] (empty when the page is); `size` is smaller for big boxes. */
  box: number[];
  size: number[];
}

export interface ClassGalleryReply {
  id: number;
  ok: true;
  /** Class numbers, most particles first; the buffer holds their tiles in this order. */
  classes: number[];
  counts: number[];
  /** The job's particles in all. */
  particles: number;
  box: number[];
  size: number[];
}

export interface VolumeSlice {
  slot: string; // "map", "map_half_A", "map_half_B"
  shape: number[]; // [nz, ny, nx]
  /** [h, w] of the xy, xz and yz slices, in this order in the map's buffer. */
  sizes: number[][];
}

export interface VolumeSlicesReply {
  id: number;
  ok: true;
  /** One buffer per map, same order. */
  maps: VolumeSlice[];
  z: number;
}

export interface MicrographReply {
  id: number;
  ok: true;
  index: number;
  total: number;
  path: string;
  /** The micrograph's own [ny, nx]; `size` is the picture's in the first buffer. */
  shape: number[];
  size: number[];
  /** Picks of this exposure: the second buffer holds `picks` float32 (x, y) pairs, in the
   * picture's pixels. */
  picks: number;
  /** A pick's circle radius in the picture's pixels (0: not known). */
  radius: number;
}

/** The message's one buffer is ELK's worker script (UTF-8), run in a web worker. */
export interface LayoutEngineReply {
  id: number;
  ok: true;
}

export interface HandoffReply {
  id: number;
  ok: true;
  /** A runnable Python script for cryosparc-tools 5. */
  script: string;
  /** What it makes, in order: the selected jobs and any Import Result Group. */
  jobs: string[];
}

export interface WorkflowReply {
  id: number;
  ok: true;
  /** Suggested file name, e.g. "T20S_workflow.json". */
  filename: string;
  /** The workflow's JSON. */
  text: string;
}

export type ParamValue = boolean | number | string | null;

/** One parameter of a job, as `job.params` has it in Python. */
export interface ParamView {
  key: string; // CryoSPARC's key, "class2D_K"
  title: string;
  type: "bool" | "int" | "float" | "str" | "choice";
  value: ParamValue;
  default: ParamValue;
  /** Set on this job (it may still equal the default). */
  is_set: boolean;
  /** Set, and different from the default. */
  changed: boolean;
  section: string;
  advanced: boolean;
  help: string;
  choices: string[];
  minimum: number | null;
  maximum: number | null;
  /** null is accepted ("not set": CryoSPARC decides). */
  optional: boolean;
}

export interface ParamsReply {
  id: number;
  ok: true;
  job: string;
  type_title: string;
  /** A building job of a project open for writing. */
  editable: boolean;
  params: ParamView[];
}
