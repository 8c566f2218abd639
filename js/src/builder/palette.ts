import type { CatalogEntry } from "./protocol";

/**
 * Catalog entries matching every word of `query` (in title, key, section or description), best
 * first: title starts with the query, then a title word does, then the rest, each in catalog order.
 */
export function searchCatalog(catalog: readonly CatalogEntry[], query: string): CatalogEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const q = words.join(" ");
  const scored: Array<{ entry: CatalogEntry; rank: number; index: number }> = [];
  catalog.forEach((entry, index) => {
    const title = entry.title.toLowerCase();
    const haystack = `${title} ${entry.key} ${entry.section} ${entry.description}`.toLowerCase();
    if (!words.every((word) => haystack.includes(word))) {
      return;
    }
    const rank = q === "" ? 0 : title.startsWith(q) ? 0 : title.includes(` ${q}`) ? 1 : 2;
    scored.push({ entry, rank, index });
  });
  scored.sort((a, b) => a.rank - b.rank || a.index - b.index);
  return scored.map((s) => s.entry);
}

/** Entries grouped by section, sections in order of first appearance. */
export function bySection(entries: readonly CatalogEntry[]): Array<[string, CatalogEntry[]]> {
  const sections = new Map<string, CatalogEntry[]>();
  for (const entry of entries) {
    const list = sections.get(entry.section);
    if (list) {
      list.push(entry);
    } else {
      sections.set(entry.section, [entry]);
    }
  }
  return [...sections];
}

/** What a job search looks at. */
export interface SearchableJob {
  uid: string;
  type: string;
  type_title: string;
  title: string;
}

/**
 * Jobs matching every word of `query` in uid, type key, type title or title, best first: the
 * uid itself, then uids starting with the query, then titles starting with it, then the rest;
 * each in job order.
 */
export function searchJobs<J extends SearchableJob>(jobs: readonly J[], query: string): J[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const q = words.join(" ");
  const scored: Array<{ job: J; rank: number; index: number }> = [];
  jobs.forEach((job, index) => {
    const uid = job.uid.toLowerCase();
    const title = job.title.toLowerCase();
    const haystack = `${uid} ${job.type} ${job.type_title} ${job.title}`.toLowerCase();
    if (!words.every((word) => haystack.includes(word))) {
      return;
    }
    const rank = q === "" ? 0 : uid === q ? 0 : uid.startsWith(q) ? 1 : title.startsWith(q) ? 2 : 3;
    scored.push({ job, rank, index });
  });
  scored.sort((a, b) => a.rank - b.rank || a.index - b.index);
  return scored.map((s) => s.job);
}
