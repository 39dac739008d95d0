/** The config values of a collection directory (`<name>.json` files) without opening the collection. */
import { join } from 'node:path';
import { configFileName, readConfigFile, writeConfigFile } from '../../src/engine/home/local.ts';
import type { CollectionConfig } from '../../src/engine/home/types.ts';

export function folderConfig(dir: string): CollectionConfig {
  return {
    display: dir,
    readConfig: async (name) => readConfigFile(dir, name),
    writeConfig: async (name, value) => writeConfigFile(dir, name, value),
    configPlace: (name) => join(dir, configFileName(name)),
  };
}
