// Bundles the viewer into dist/ (app.js, index.html, style.css): `npm run build`.
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";

const here = new URL(".", import.meta.url).pathname;
mkdirSync(`${here}dist`, { recursive: true });
await build({
  entryPoints: [`${here}src/main.js`],
  bundle: true,
  format: "esm",
  minify: true,
  target: "es2022",
  outfile: `${here}dist/app.js`,
  legalComments: "linked",
  logLevel: "warning",
});
copyFileSync(`${here}index.html`, `${here}dist/index.html`);
copyFileSync(`${here}src/style.css`, `${here}dist/style.css`);
console.log("viewer: built dist/app.js");
