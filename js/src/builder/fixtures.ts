// Test data only: the job builder guide's "downsampled particles" case as Python would send it.
import type { GraphView, InputView, JobView, OutputView, ResultView } from "./protocol";

export function result(
  name: string,
  versions: number[] = [0],
  extra: Partial<ResultView> = {},
): ResultView {
  return {
    name,
    type: `particle.${name}`,
    passthrough: false,
    versions,
    metafiles: versions.map((v) => `J0/J0_particles_${name}_v${v}.cs`),
    num_items: 10_000,
    ...extra,
  };
}

export function particlesOutput(uid: string, results: ResultView[], numItems = 10_000): OutputView {
  return {
    name: "particles",
    type: "particle",
    title: "Particles",
    num_items: numItems,
    results: results.map((r) => ({
      ...r,
      metafiles: r.metafiles.map((m) => m.replaceAll("J0", uid)),
    })),
  };
}

export function job(uid: string, extra: Partial<JobView> = {}): JobView {
  return {
    uid,
    type: "import_particles",
    type_title: "Import Particles",
    title: "",
    section: "imports",
    status: "completed",
    position: [0, 0],
    tags: [],
    external: false,
    inputs: [],
    outputs: [],
    ...extra,
  };
}

/** A met particles input of a completed job, fed by `source`'s particles. */
export function simpleInput(source: string): InputView {
  return {
    name: "particles",
    type: "particle",
    title: "Particles",
    slots: [{ name: "blob", type: "particle.blob", required: true, title: "Blob" }],
    count_min: 1,
    count_max: 1,
    repeat_allowed: false,
    requirements: "1 group",
    status: "met",
    problems: [],
    connections: [
      {
        job: source,
        group: "particles",
        slots: [
          {
            slot: "blob",
            job: source,
            group: "particles",
            result: "blob",
            result_type: "particle.blob",
            version: "F",
            label: `${source}.particles.blob`,
            override: false,
          },
        ],
      },
    ],
  };
}

const particlesInput: InputView = {
  name: "particles",
  type: "particle",
  title: "Particle stacks",
  slots: [
    { name: "blob", type: "particle.blob", required: true, title: "Particle data" },
    { name: "ctf", type: "particle.ctf", required: true, title: "CTF" },
    { name: "alignments3D", type: "particle.alignments3D", required: false, title: "Poses" },
  ],
  count_min: 1,
  count_max: null,
  repeat_allowed: false,
  requirements: "1 to unlimited groups, repeats not allowed",
  status: "met",
  problems: [],
  connections: [
    {
      job: "J3",
      group: "particles",
      slots: [
        {
          slot: "blob",
          job: "J1",
          group: "particles",
          result: "blob",
          result_type: "particle.blob",
          version: "F",
          label: "J1.particles.blob",
          override: true,
        },
        {
          slot: "ctf",
          job: "J3",
          group: "particles",
          result: "ctf",
          result_type: "particle.ctf",
          version: "F",
          label: "J3.particles.ctf",
          override: false,
        },
        {
          slot: "alignments3D",
          job: "J3",
          group: "particles",
          result: "alignments3D",
          result_type: "particle.alignments3D",
          version: 1,
          label: "J3.particles.alignments3D@v1",
          override: true,
        },
        {
          slot: null,
          job: "J3",
          group: "particles",
          result: "alignments2D",
          result_type: "particle.alignments2D",
          version: "F",
          label: "J3.particles.alignments2D",
          override: false,
        },
      ],
    },
  ],
};

const volumeInput: InputView = {
  name: "volume",
  type: "volume",
  title: "Initial volume",
  slots: [{ name: "map", type: "volume.blob", required: true, title: "Map" }],
  count_min: 1,
  count_max: 1,
  repeat_allowed: false,
  requirements: "1 group",
  status: "unmet",
  problems: ["needs 1 group, has none"],
  connections: [],
};

export function sampleGraph(): GraphView {
  return {
    title: "P1",
    root: "/data/P1",
    read_only: false,
    can_undo: true,
    can_redo: false,
    undo_label: "connect J3.particles to J4.particles",
    redo_label: "",
    revision: 7,
    laid_out: true,
    jobs: [
      job("J1", {
        tags: ["10,000 particles"],
        outputs: [particlesOutput("J1", [result("blob"), result("ctf")])],
      }),
      job("J2", {
        type: "downsample_particles",
        type_title: "Downsample Particles",
        position: [400, 0],
        inputs: [simpleInput("J1")],
        outputs: [
          particlesOutput("J2", [result("blob"), result("ctf", [], { passthrough: true })]),
        ],
      }),
      job("J3", {
        type: "class_2D",
        type_title: "2D Classification",
        title: "keep good classes",
        position: [800, 0],
        tags: ["6,000 particles"],
        inputs: [simpleInput("J2")],
        outputs: [
          particlesOutput(
            "J3",
            [
              result("alignments2D", [0, 1, 2]),
              result("alignments3D", [0, 1]),
              result("blob", [0], { passthrough: true }),
              result("ctf", [0], { passthrough: true }),
            ],
            6_000,
          ),
        ],
      }),
      job("J4", {
        type: "homo_refine_new",
        type_title: "Homogeneous Refinement",
        status: "building",
        position: [1200, 0],
        inputs: [particlesInput, volumeInput],
        outputs: [
          {
            name: "volume",
            type: "volume",
            title: "Refined volume",
            num_items: 0,
            results: [{ ...result("map", []), type: "volume.blob" }],
          },
        ],
      }),
    ],
  };
}

/** The opening tag of the element with this test id in static markup. */
export function openingTag(html: string, testId: string): string {
  const match = new RegExp(`<[a-z]+[^>]*data-testid="${testId}"[^>]*>`).exec(html);
  if (!match) throw new Error(`no element with data-testid="${testId}"`);
  return match[0];
}
