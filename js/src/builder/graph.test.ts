import { describe, expect, it } from "vitest";
import { EMPTY_GRAPH, normalizeGraph } from "./graph";
import type { GraphView, GraphWire, InputSpecWire, SlotSourceWire } from "./protocol";

const particlesSpec: InputSpecWire = {
  name: "particles",
  type: "particle",
  title: "Particle stacks",
  slots: [
    { name: "blob", type: "particle.blob", required: true, title: "Particle data" },
    { name: "alignments3D", type: "particle.alignments3D", required: false, title: "Poses" },
  ],
  count_min: 1,
  count_max: null,
  repeat_allowed: false,
  requirements: "1 to unlimited groups, repeats not allowed",
};

function source(slot: string | null, extra: Partial<SlotSourceWire> = {}): SlotSourceWire {
  return {
    slot,
    job: "J1",
    group: "particles",
    result: slot ?? "ctf",
    result_type: `particle.${slot ?? "ctf"}`,
    version: "F",
    override: false,
    ...extra,
  };
}

/** J1: an import with specs of its own and saved results; J2, J3: refinements being built. */
function wire(): GraphWire {
  return {
    title: "P1",
    root: "/data/P1",
    read_only: false,
    can_undo: true,
    can_redo: false,
    undo_label: "connect J1.particles to J2.particles",
    redo_label: "",
    revision: 3,
    laid_out: true,
    specs: {
      J1: {
        type_title: "Import",
        section: "Import",
        inputs: [],
        outputs: [
          {
            name: "particles",
            type: "particle",
            title: "Particles",
            results: [{ name: "blob", type: "particle.blob" }],
          },
        ],
      },
      homo_refine_new: {
        type_title: "Homogeneous Refinement",
        section: "refinement",
        inputs: [particlesSpec],
        outputs: [
          {
            name: "volume",
            type: "volume",
            title: "Refined volume",
            results: [
              { name: "map", type: "volume.blob" },
              { name: "map_half_A", type: "volume.blob" },
            ],
          },
        ],
      },
    },
    jobs: [
      {
        uid: "J1",
        type: "import_particles",
        spec: "J1",
        title: "raw",
        status: "completed",
        position: [0, 0],
        tags: ["300 particles"],
        external: true,
        inputs: [],
        outputs: [
          {
            num_items: 300,
            results: [
              {
                name: "blob",
                type: "particle.blob",
                passthrough: false,
                versions: [0, 2],
                metafiles: ["J1/a.cs", "J1/b.cs"],
                num_items: 300,
              },
            ],
          },
        ],
      },
      {
        uid: "J2",
        type: "homo_refine_new",
        spec: "homo_refine_new",
        title: "first",
        status: "building",
        position: [300, 0],
        tags: ["300 particles"],
        external: false,
        inputs: [
          {
            status: "met",
            problems: [],
            connections: [
              {
                job: "J1",
                group: "particles",
                slots: [
                  source("blob", { version: 2, override: true }),
                  source("alignments3D", { version: 0, override: true }),
                  source(null),
                ],
              },
            ],
          },
        ],
        outputs: [{ num_items: 0 }],
      },
      {
        uid: "J3",
        type: "homo_refine_new",
        spec: "homo_refine_new",
        title: "second",
        status: "building",
        position: [600, 0],
        tags: [],
        external: false,
        inputs: [
          { status: "unmet", problems: ["needs at least 1 group(s), has 0"], connections: [] },
        ],
        outputs: [{ num_items: 0 }],
      },
    ],
  };
}

const unsaved = (name: string) => ({
  name,
  type: "volume.blob",
  passthrough: false,
  versions: [],
  metafiles: [],
  num_items: 0,
});

const refinedVolume = {
  name: "volume",
  type: "volume",
  title: "Refined volume",
  num_items: 0,
  results: [unsaved("map"), unsaved("map_half_A")],
};

const expected: GraphView = {
  title: "P1",
  root: "/data/P1",
  read_only: false,
  can_undo: true,
  can_redo: false,
  undo_label: "connect J1.particles to J2.particles",
  redo_label: "",
  revision: 3,
  laid_out: true,
  jobs: [
    {
      uid: "J1",
      type: "import_particles",
      type_title: "Import",
      title: "raw",
      section: "Import",
      status: "completed",
      position: [0, 0],
      tags: ["300 particles"],
      external: true,
      inputs: [],
      outputs: [
        {
          name: "particles",
          type: "particle",
          title: "Particles",
          num_items: 300,
          results: [
            {
              name: "blob",
              type: "particle.blob",
              passthrough: false,
              versions: [0, 2],
              metafiles: ["J1/a.cs", "J1/b.cs"],
              num_items: 300,
            },
          ],
        },
      ],
    },
    {
      uid: "J2",
      type: "homo_refine_new",
      type_title: "Homogeneous Refinement",
      title: "first",
      section: "refinement",
      status: "building",
      position: [300, 0],
      tags: ["300 particles"],
      external: false,
      inputs: [
        {
          ...particlesSpec,
          status: "met",
          problems: [],
          connections: [
            {
              job: "J1",
              group: "particles",
              slots: [
                {
                  ...source("blob", { version: 2, override: true }),
                  label: "J1.particles.blob@v2",
                },
                {
                  ...source("alignments3D", { version: 0, override: true }),
                  label: "J1.particles.alignments3D@v0",
                },
                { ...source(null), label: "J1.particles.ctf" },
              ],
            },
          ],
        },
      ],
      outputs: [refinedVolume],
    },
    {
      uid: "J3",
      type: "homo_refine_new",
      type_title: "Homogeneous Refinement",
      title: "second",
      section: "refinement",
      status: "building",
      position: [600, 0],
      tags: [],
      external: false,
      inputs: [
        {
          ...particlesSpec,
          status: "unmet",
          problems: ["needs at least 1 group(s), has 0"],
          connections: [],
        },
      ],
      outputs: [refinedVolume],
    },
  ],
};

describe("normalizeGraph", () => {
  it("expands the compact trait into the views' GraphView", () => {
    expect(normalizeGraph(wire())).toEqual(expected);
  });

  it("labels slot sources as the protocol does, with @v only when not the final version", () => {
    const [, j2] = normalizeGraph(wire()).jobs;
    const labels = j2?.inputs[0]?.connections[0]?.slots.map((s) => s.label);
    expect(labels).toEqual([
      "J1.particles.blob@v2",
      "J1.particles.alignments3D@v0",
      "J1.particles.ctf",
    ]);
  });

  it("gives left-out results the spec's declared results, unsaved", () => {
    const [, j2, j3] = normalizeGraph(wire()).jobs;
    expect(j2?.outputs[0]?.results).toEqual([unsaved("map"), unsaved("map_half_A")]);
    expect(j3?.outputs).toEqual(j2?.outputs);
  });

  it("is an empty graph before Python assigns the trait", () => {
    expect(normalizeGraph(undefined)).toBe(EMPTY_GRAPH);
    expect(normalizeGraph({})).toEqual(EMPTY_GRAPH);
    expect(normalizeGraph({})).not.toHaveProperty("specs");
  });
});
