// esbuild's text loader (see the build script) turns a .css import into its source text.
declare module "*.css" {
  const css: string;
  export default css;
}
