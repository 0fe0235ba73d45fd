import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { LakeqError } from '../engines/engine.ts';
import { capturedJsonFiles, readCaptured } from '../sources/captured-files.ts';
import type { AsffFinding } from './asff-finding.ts';

/** A GetFindings output (`aws securityhub get-findings > page.json`). */
const getFindingsSchema = z.object({ Findings: z.array(z.unknown()), NextToken: z.string().nullish() });
/** An EventBridge "Security Hub Findings - …" event, whose `detail.findings` are ASFF findings. */
const eventSchema = z.object({
  source: z.literal('aws.securityhub'),
  detail: z.object({ findings: z.array(z.unknown()) }),
});
/** The members an ASFF finding must have for the report to name it. */
const findingSchema = z.looseObject({ Id: z.string().min(1), AwsAccountId: z.string().optional() });

const fileSchema = (json: unknown): z.ZodType<{ findings: unknown[] }> =>
  typeof json === 'object' && json !== null && 'detail' in json
    ? eventSchema.transform((e) => ({ findings: e.detail.findings }))
    : getFindingsSchema.transform((p) => ({ findings: p.Findings }));

/**
 * The findings of a folder of captured Security Hub responses, any names and sub-folders:
 * GetFindings outputs as the AWS CLI writes them (`aws securityhub get-findings`, one file per
 * page or all pages), or EventBridge Security Hub events (`detail.findings`). A file that is not
 * JSON or not one of those is named and skipped, and so is a finding without an `Id`, counted;
 * a folder that is not there is an error.
 *
 * @example
 * ```ts
 * const { findings, files, warnings } = await capturedFindings('./lakeq-data/raw/securityhub-api');
 * ```
 */
export async function capturedFindings(
  dir: string,
): Promise<{ findings: AsffFinding[]; files: number; skippedFindings: number; warnings: string[] }> {
  const isDir = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir)
    throw new LakeqError(
      'NO_SOURCE_FOLDER',
      `${dir}: no such folder of captured Security Hub responses (aws securityhub get-findings > ${dir}/page-1.json)`,
      { usage: true },
    );
  const warnings: string[] = [];
  const findings: AsffFinding[] = [];
  let skippedFindings = 0;
  const files = await capturedJsonFiles(dir, true);
  for (const file of files) {
    const page = await readCaptured(
      file,
      fileSchema,
      'a GetFindings output or a Security Hub event',
      warnings,
    );
    if (!page) continue;
    let skipped = 0;
    for (const finding of page.findings) {
      if (findingSchema.safeParse(finding).success) findings.push(finding as AsffFinding);
      else skipped++;
    }
    if (skipped > 0) warnings.push(`${file}: ${skipped} finding(s) skipped, not ASFF findings with an Id`);
    skippedFindings += skipped;
  }
  return { findings, files: files.length, skippedFindings, warnings };
}
