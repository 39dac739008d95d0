import { scifactVectors } from './scifact.ts';
const r = await scifactVectors(5183, Number(process.argv[2] ?? 64), (l) => process.stderr.write(l + '\n'));
console.log(r.basePath, r.base.length / r.dims);
