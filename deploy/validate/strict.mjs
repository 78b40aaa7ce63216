// Unknown fields: the schema validators accept fields no schema declares (a misspelt
// "readinessprobe" would pass), so every object is also written as a TypeScript literal of its
// model's type (the same generated schemas) and checked by tsc, whose excess-property check
// refuses any field the type does not declare, at any depth.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));

/** @return messages naming the object and the unknown field, for objects whose model is known */
export function unknownFields(objects, modules) {
  const dir = join(here, '.strict');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const imports = new Map();
  const lines = [];
  const starts = [];
  for (const [i, obj] of objects.entries()) {
    const module = modules[obj.apiVersion];
    if (!module) continue;
    const type = `T${imports.size}`;
    const key = `${module}/${obj.kind}`;
    if (!imports.has(key)) imports.set(key, type);
    starts.push({ line: lines.length + 1, id: `${obj.kind}/${obj.metadata?.name}` });
    lines.push(...`export const o${i}: ${imports.get(key)} = ${JSON.stringify(obj, null, 2)};`.split('\n'));
  }
  const header = [...imports].map(([m, t]) => `import type { I${m.split('/').pop()} as ${t} } from "${m}";`);
  const offset = header.length;
  writeFileSync(join(dir, 'objects.ts'), [...header, ...lines].join('\n') + '\n');
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext',
      skipLibCheck: true, typeRoots: [] },
    files: ['objects.ts'],
  }));
  let output = '';
  try {
    execFileSync(join(here, 'node_modules/.bin/tsc'), ['-p', dir], { encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    output = String(e.stdout);
  }
  rmSync(dir, { recursive: true, force: true });
  const errors = [];
  for (const m of output.matchAll(/objects\.ts\((\d+),\d+\): error TS(2353|2561): ([^\n]*)/g)) {
    const line = Number(m[1]) - offset;
    const owner = starts.filter((s) => s.line <= line).pop();
    const field = m[3].match(/'"?([^'"]+)"?' does not exist in type/);
    // tsc names the first unknown field of an object; the next shows once that one is fixed
    errors.push(`${owner?.id}: unknown field '${field ? field[1] : m[3]}'`);
  }
  if (!errors.length && /error TS/.test(output) && !/TS2322|TS2353|TS2561/.test(output)) {
    // the check itself failed (a type not found, ...): say so rather than pass silently
    errors.push(`the unknown-field check could not run: ${output.split('\n')[0]}`);
  }
  return errors;
}
