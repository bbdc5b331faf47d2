// Second pass over the rendered manifests: enum values and formats.
//
// The models of the npm package kubernetes-models are generated from the Kubernetes OpenAPI
// schema too, with validators compiled from it (ajv) that check types, required properties,
// enum values (concurrencyPolicy Allow|Forbid|Replace, completionMode, a podFailurePolicy
// action...) and formats (int32, int64...). They do not reject unknown properties: the first
// pass (ManifestValidator.java) does that.
//
// Custom resources are checked the same way against their CRD's schema: the PrometheusRule
// (monitoring.coreos.com/v1) with @kubernetes-models/prometheus-operator, generated from the
// Prometheus Operator's CRDs (types, required properties, enums). Its rules themselves are
// checked by promtool (.ci/check-monitoring.sh), which rejects unknown fields.
//
// Usage: node enum-check.mjs MODELS_DIR DOCUMENTS.json
//   MODELS_DIR: where `npm ci` of package.json put node_modules
//   DOCUMENTS.json: the array ManifestValidator.java --json-out wrote
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [modelsDir, documentsFile] = process.argv.slice(2);
if (!modelsDir || !documentsFile) {
  console.error("Usage: node enum-check.mjs MODELS_DIR DOCUMENTS.json");
  process.exit(2);
}
// the package that has each API group's models; the core groups are in kubernetes-models
const packages = { "monitoring.coreos.com": "@kubernetes-models/prometheus-operator" };
const modelsOf = (apiVersion) => {
  const group = apiVersion.includes("/") ? apiVersion.split("/")[0] : "";
  return join(modelsDir, "node_modules", packages[group] ?? "kubernetes-models");
};
const entries = JSON.parse(readFileSync(documentsFile, "utf8"));
let invalid = 0;
for (const { source, document } of entries) {
  const where = `${source} ${document.kind}/${document.metadata?.name}`;
  const module = join(modelsOf(document.apiVersion), document.apiVersion, `${document.kind}.js`);
  if (!existsSync(module)) {
    console.log(`INVALID  ${where}\n           no model for ${document.apiVersion}/${document.kind}`);
    invalid++;
    continue;
  }
  const exported = await import(pathToFileURL(module).href);
  const Model = exported[document.kind];
  try {
    new Model(document).validate();
    console.log(`valid    ${where}`);
  } catch (error) {
    invalid++;
    console.log(`INVALID  ${where}`);
    for (const line of String(error.message ?? error).split(", ")) {
      console.log(`           ${line}`);
    }
  }
}
console.log(`${entries.length} document(s), ${invalid} invalid`);
process.exit(entries.length > 0 && invalid === 0 ? 0 : 1);
