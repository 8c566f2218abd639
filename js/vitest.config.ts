import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { defineConfig, type Plugin } from "vitest/config";

// The bundle imports .css files as text (esbuild --loader:.css=text); Vite would hand tests an
// empty string instead, so tests load them the same way the bundle does. The virtual id must
// not end in ".css", or Vite's own CSS plugin would still transform it.
const TEXT_PREFIX = "\0css-text:";
const TEXT_SUFFIX = ".js";

const cssAsText: Plugin = {
  name: "css-as-text",
  enforce: "pre",
  resolveId(source, importer) {
    if (source.endsWith(".css") && importer) {
      // Relative to the importer, or a package's stylesheet ("@xyflow/react/dist/style.css").
      const path = source.startsWith(".")
        ? resolve(importer, "..", source)
        : createRequire(importer).resolve(source);
      return TEXT_PREFIX + path + TEXT_SUFFIX;
    }
    return null;
  },
  load(id) {
    if (id.startsWith(TEXT_PREFIX)) {
      const text = readFileSync(id.slice(TEXT_PREFIX.length, -TEXT_SUFFIX.length), "utf8");
      return `export default ${JSON.stringify(text)};`;
    }
    return null;
  },
};

export default defineConfig({
  plugins: [cssAsText],
  test: { include: ["src/**/*.test.{ts,tsx}"] },
});
