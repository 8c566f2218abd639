import { describe, expect, it } from "vitest";
import { bySection, searchCatalog, searchJobs } from "./palette";
import type { CatalogEntry } from "./protocol";

const entry = (key: string, title: string, section: string, description = ""): CatalogEntry => ({
  key,
  title,
  section,
  description,
});

const catalog = [
  entry(
    "nu_refine",
    "Non-uniform Refinement",
    "refinement",
    "3D refinement with adaptive regularisation",
  ),
  entry("homo_refine_new", "Homogeneous Refinement", "refinement"),
  entry("class_2D", "2D Classification", "particle curation"),
  entry("local_resolution", "Local Resolution Estimation", "local processing"),
  entry("refine_local", "Local Refinement", "local processing"),
];

describe("searchCatalog", () => {
  it("returns everything, in catalog order, for an empty query", () => {
    expect(searchCatalog(catalog, "  ").map((e) => e.key)).toEqual(catalog.map((e) => e.key));
  });

  it("ranks titles starting with the query first, then title words, then other fields", () => {
    expect(searchCatalog(catalog, "Local").map((e) => e.key)).toEqual([
      "local_resolution",
      "refine_local",
    ]);
    expect(searchCatalog(catalog, "refinement").map((e) => e.key)).toEqual([
      "nu_refine",
      "homo_refine_new",
      "refine_local",
    ]);
  });

  it("needs every word, in any field, ignoring case", () => {
    expect(searchCatalog(catalog, "local RES").map((e) => e.key)).toEqual(["local_resolution"]);
    expect(searchCatalog(catalog, "adaptive").map((e) => e.key)).toEqual(["nu_refine"]);
    expect(searchCatalog(catalog, "class_2d").map((e) => e.key)).toEqual(["class_2D"]);
    expect(searchCatalog(catalog, "motion")).toEqual([]);
  });
});

describe("bySection", () => {
  it("groups entries by section in order of appearance", () => {
    expect(bySection(catalog).map(([section, list]) => [section, list.length])).toEqual([
      ["refinement", 2],
      ["particle curation", 1],
      ["local processing", 2],
    ]);
  });
});

describe("searchJobs", () => {
  const jobs = [
    { uid: "J1", type: "import_particles", type_title: "Import Particle Stack", title: "Import" },
    { uid: "J10", type: "homo_refine_new", type_title: "Homogeneous Refinement", title: "Refine" },
    {
      uid: "J12",
      type: "nonuniform_refine_new",
      type_title: "Non-uniform Refinement",
      title: "NU",
    },
    { uid: "J2", type: "class_2D_new", type_title: "2D Classification", title: "J1 again" },
  ];

  it("puts the uid itself first, then uids and titles starting with the query", () => {
    expect(searchJobs(jobs, "J1").map((j) => j.uid)).toEqual(["J1", "J10", "J12", "J2"]);
    expect(searchJobs(jobs, "j12").map((j) => j.uid)).toEqual(["J12"]);
  });

  it("finds jobs by type key, type title or title, every word", () => {
    expect(searchJobs(jobs, "refinement").map((j) => j.uid)).toEqual(["J10", "J12"]);
    expect(searchJobs(jobs, "homo refine").map((j) => j.uid)).toEqual(["J10"]);
    expect(searchJobs(jobs, "class_2D").map((j) => j.uid)).toEqual(["J2"]);
    expect(searchJobs(jobs, "nothing like it")).toEqual([]);
  });
});
