import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { LakeqSettings } from '../../config/lakeq-config.ts';
import { type Engine, LakeqError } from '../engine.ts';
import { createCloudTrailLakeEngine } from './cloudtrail-lake-engine.ts';

/** The CloudTrail Lake engine from lakeq settings (`aws.cloudtrailLake.eventDataStore`). */
export function openCloudTrailLakeEngine(settings: LakeqSettings): Engine {
  const { region, profile, cloudtrailLake } = settings.aws;
  if (!cloudtrailLake.eventDataStore) {
    throw new LakeqError(
      'CONFIG_MISSING',
      'CloudTrail Lake needs an event data store: set aws.cloudtrailLake.eventDataStore in lakeq.config.json',
      { usage: true },
    );
  }
  const client = new CloudTrailClient({ ...(region ? { region } : {}), ...(profile ? { profile } : {}) });
  return createCloudTrailLakeEngine({ client, eventDataStore: cloudtrailLake.eventDataStore });
}
