import { AthenaClient } from '@aws-sdk/client-athena';
import type { LakeqSettings } from '../../config/lakeq-config.ts';
import type { Engine } from '../engine.ts';
import { createAthenaEngine } from './athena-engine.ts';

/**
 * The Athena engine from lakeq settings: region and profile from the settings or the usual
 * AWS environment, work group, database and result location from `aws.athena`.
 */
export function openAthenaEngine(settings: LakeqSettings): Engine {
  const { region, profile, athena } = settings.aws;
  const client = new AthenaClient({ ...(region ? { region } : {}), ...(profile ? { profile } : {}) });
  return createAthenaEngine({
    client,
    workGroup: athena.workGroup,
    database: athena.database,
    catalog: athena.catalog,
    ...(athena.outputLocation ? { outputLocation: athena.outputLocation } : {}),
    ...(athena.resultReuseMaxAgeMinutes
      ? { resultReuse: { enabled: true, maxAgeMinutes: athena.resultReuseMaxAgeMinutes } }
      : {}),
  });
}
