import { cloudtrailSource } from './cloudtrail/index.ts';
import { glueSource } from './glue/index.ts';
import { identityCenterSource } from './identity-center/index.ts';
import { securityLakeSource } from './security-lake/index.ts';
import type { SourceDefinition } from './source-definition.ts';
import { tpcdsSource } from './tpcds/index.ts';

/**
 * Every data source, in load order: a source after the sources whose tables its tables read.
 * Adding a source is adding its folder (src/sources/README.md) and a line here. What the shared
 * code asks of the registry is in registry.ts.
 */
export const SOURCES: readonly SourceDefinition[] = [
  cloudtrailSource,
  glueSource,
  identityCenterSource,
  tpcdsSource,
  securityLakeSource,
];
