import { describe, expect, it } from "vitest";
import { builderCss } from ".";

describe("builderCss", () => {
  it("bundles every stylesheet as text, drop-target colours included", () => {
    for (const rule of [
      ".cw-builder {",
      ".cw-card {",
      ".cw-input {",
      ".cw-result {",
      ".cw-ghost {",
    ]) {
      expect(builderCss).toContain(rule);
    }
    expect(builderCss).toContain('[data-drop-kind][data-drop="accept"]');
    expect(builderCss).toContain('[data-drop-kind][data-drop="refuse"]');
    expect(builderCss).toContain(".cw-preview {");
  });
});
