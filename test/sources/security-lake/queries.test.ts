import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import cloudTrailChurn from '../../../queries/identity-center/instance-churn.ts';
import apiErrors from '../../../queries/security-lake/api-errors-by-principal.ts';
import signIns from '../../../queries/security-lake/console-sign-ins-without-mfa.ts';
import byAccount from '../../../queries/security-lake/findings-by-account.ts';
import byControl from '../../../queries/security-lake/findings-by-control.ts';
import byProduct from '../../../queries/security-lake/findings-by-product.ts';
import bySeverity from '../../../queries/security-lake/findings-by-severity.ts';
import perResource from '../../../queries/security-lake/findings-per-resource.ts';
import changes from '../../../queries/security-lake/iam-and-security-group-changes.ts';
import lakeChurn from '../../../queries/security-lake/identity-center-instance-churn.ts';
import newCritical from '../../../queries/security-lake/new-critical-findings.ts';
import rareDns from '../../../queries/security-lake/rare-dns-domains.ts';
import rejected from '../../../queries/security-lake/rejected-flows-by-port.ts';
import rootActivity from '../../../queries/security-lake/root-activity.ts';
import topTalkers from '../../../queries/security-lake/top-talkers.ts';
import { openLocalEngine } from '../../../src/catalog/duckdb/local-engine.ts';
import type { DuckDbEngine } from '../../../src/engines/duckdb/duckdb-engine.ts';
import type { LibraryQuery } from '../../../src/query/define-query.ts';
import { runQuery } from '../../../src/query/run-query.ts';
import {
  createSampleContext,
  generateHourRecords,
  writeCloudTrailSample,
} from '../../../src/sources/cloudtrail/sample.ts';
import { findingUpdates, planFindings } from '../../../src/sources/security-lake/sample/findings.ts';
import { networkHour } from '../../../src/sources/security-lake/sample/network.ts';
import { classOf } from '../../../src/sources/security-lake/sample/ocsf-from-cloudtrail.ts';
import { writeSecurityLakeSample } from '../../../src/sources/security-lake/sample.ts';
import { loadAll } from '../../support/load-sample.ts';

const FROM = '2026-11-01';
const TO = '2026-11-04';
const WINDOW = { from: FROM, to: TO };
const T0 = Date.parse(`${FROM}T00:00:00Z`);
const T1 = Date.parse(`${TO}T00:00:00Z`);
const SAMPLE = { from: new Date(T0), to: new Date(T1), seed: 7, accounts: 3, eventsPerHour: 8 };
const REGIONS = ['us-east-1', 'eu-west-1'];
const HOUR = 3_600_000;

let dir: string;
let accounts: string[];
const engines: Record<'1' | '2' | 'both', DuckDbEngine> = {} as never;
let trail: DuckDbEngine;

const rows = async (
  engine: DuckDbEngine,
  query: LibraryQuery<z.ZodType, unknown>,
  params: Record<string, unknown> = WINDOW,
) => (await runQuery(engine, query, params)).rows as Record<string, unknown>[];
const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lakeq-seclake-queries-'));
  const ct = path.join(dir, 'cloudtrail');
  await writeCloudTrailSample({ out: ct, ...SAMPLE });
  await loadAll(path.join(dir, 'ct-data'), ct, FROM, TO);
  trail = await openLocalEngine(
    { sources: { cloudtrail: ct }, dataDir: path.join(dir, 'ct-data') },
    { raw: false },
  );
  for (const versions of ['1', '2', 'both'] as const) {
    const lake = path.join(dir, `lake-${versions}`);
    const written = await writeSecurityLakeSample({ out: lake, ...SAMPLE, versions });
    accounts = [...written.accounts];
    engines[versions] = await openLocalEngine({
      sources: { 'security-lake': lake },
      dataDir: path.join(dir, `data-${versions}`),
    });
  }
}, 240_000);

afterAll(async () => {
  for (const e of [...Object.values(engines), trail]) await e?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The findings' states as the sample plans them: the latest update of each finding in the window, and per day. */
function plannedUpdates() {
  return findingUpdates(planFindings(SAMPLE.seed, accounts, REGIONS, T0, T1), T0, T1);
}

describe('security-lake queries on the generated lake', () => {
  it('ocsf_findings holds every finding record the sample planned, once', async () => {
    const [n] = (
      await engines.both.execute<{ n: number }>(CompiledQuery.raw('select count(*) as n from ocsf_findings'))
    ).rows;
    expect(Number(n?.n)).toBe(plannedUpdates().length);
  });

  it('findings-by-severity: each finding counted once a day, at its latest state; raw records beside', async () => {
    const expected = new Map<
      string,
      { day: string; severity: string; active: number; findings: Set<string>; records: number }
    >();
    const latest = new Map<string, (typeof updates)[number]>();
    const updates = plannedUpdates();
    for (const u of updates) {
      const day = new Date(u.time).toISOString().slice(0, 10);
      const key = `${day}|${u.finding.template.severity}`;
      const e = expected.get(key) ?? {
        day,
        severity: u.finding.template.severity,
        active: 0,
        findings: new Set(),
        records: 0,
      };
      e.records++;
      e.findings.add(u.finding.uid);
      expected.set(key, e);
      const prior = latest.get(`${u.finding.uid}|${day}`);
      if (!prior || prior.time <= u.time) latest.set(`${u.finding.uid}|${day}`, u);
    }
    for (const [k, u] of latest) {
      if (u.recordState !== 'ACTIVE') continue;
      const e = expected.get(`${k.split('|')[1]}|${u.finding.template.severity}`);
      if (e) e.active++;
    }
    const got = await rows(engines.both, bySeverity);
    expect(
      got
        .map((r) => ({
          day: r.day,
          severity: r.severity,
          active: Number(r.active_findings),
          findings: Number(r.findings),
          records: Number(r.records),
        }))
        .sort((a, b) => `${a.day}${a.severity}`.localeCompare(`${b.day}${b.severity}`)),
    ).toEqual(
      [...expected.values()]
        .map((e) => ({
          day: e.day,
          severity: e.severity,
          active: e.active,
          findings: e.findings.size,
          records: e.records,
        }))
        .sort((a, b) => `${a.day}${a.severity}`.localeCompare(`${b.day}${b.severity}`)),
    );
    // Raw counts inflate: findings are sent again on every update.
    expect(got.reduce((n, r) => n + Number(r.records), 0)).toBeGreaterThan(
      got.reduce((n, r) => n + Number(r.findings), 0),
    );
  });

  it('findings by product, account, control and resource count each finding once, at its latest state', async () => {
    const last = new Map<string, ReturnType<typeof plannedUpdates>[number]>();
    for (const u of plannedUpdates()) last.set(u.finding.uid, u);
    const finals = [...last.values()];
    const active = finals.filter((u) => u.recordState === 'ACTIVE');
    const product = { control: 'Security Hub', detection: 'GuardDuty', vulnerability: 'Inspector' } as const;
    const count = <K extends string>(
      items: readonly (typeof finals)[number][],
      key: (u: (typeof finals)[number]) => K,
    ) => {
      const out: Record<string, number> = {};
      for (const u of items) out[key(u)] = (out[key(u)] ?? 0) + 1;
      return out;
    };
    const gotProducts = await rows(engines.both, byProduct);
    expect(Object.fromEntries(gotProducts.map((r) => [r.product_name, Number(r.active_findings)]))).toEqual(
      count(active, (u) => product[u.finding.template.kind]),
    );
    expect(Object.fromEntries(gotProducts.map((r) => [r.product_name, Number(r.findings)]))).toEqual(
      count(finals, (u) => product[u.finding.template.kind]),
    );
    const gotAccounts = await rows(engines.both, byAccount);
    expect(Object.fromEntries(gotAccounts.map((r) => [r.account_id, Number(r.critical)]))).toEqual(
      Object.fromEntries(
        Object.keys(count(finals, (u) => u.finding.accountId)).map((a) => [
          a,
          active.filter((u) => u.finding.accountId === a && u.finding.template.severity === 'Critical')
            .length,
        ]),
      ),
    );
    const gotControls = await rows(engines.both, byControl);
    const controls = finals.filter((u) => u.finding.template.kind === 'control');
    expect(Object.fromEntries(gotControls.map((r) => [r.control_id, Number(r.failed)]))).toEqual(
      Object.fromEntries(
        Object.keys(count(controls, (u) => u.finding.template.id)).map((c) => [
          c,
          controls.filter((u) => u.finding.template.id === c && u.compliance === 'FAILED').length,
        ]),
      ),
    );
    const gotResources = await rows(engines.both, perResource, { ...WINDOW, limit: 100_000 });
    expect(Object.fromEntries(gotResources.map((r) => [r.resource_uid, Number(r.active_findings)]))).toEqual(
      count(active, (u) => u.finding.resourceUid),
    );
  });

  it('new-critical-findings: first observed in the window, critical or high, at their latest state', async () => {
    const last = new Map<string, ReturnType<typeof plannedUpdates>[number]>();
    for (const u of plannedUpdates()) last.set(u.finding.uid, u);
    const expected = (severities: string[]) =>
      [...last.values()]
        .filter((u) => u.finding.firstSeen >= T0 && severities.includes(u.finding.template.severity))
        .map((u) => u.finding.uid)
        .sort();
    expect((await rows(engines.both, newCritical)).map((r) => r.finding_uid).sort()).toEqual(
      expected(['Critical', 'High']),
    );
    const critical = await rows(engines.both, newCritical, { ...WINDOW, severity: 'critical' });
    expect(critical.map((r) => r.finding_uid).sort()).toEqual(expected(['Critical']));
    expect(critical.length).toBeGreaterThan(0);
  });

  it('rejected-flows-by-port, top-talkers and rare-dns-domains match the flows and queries the sample drew', async () => {
    const rejectedByPort: Record<string, number> = {};
    const bytesBySource: Record<string, number> = {};
    const names: Record<string, number> = {};
    for (const account of accounts)
      for (const region of REGIONS)
        for (let h = T0; h < T1; h += HOUR) {
          const { flows, dns } = networkHour(SAMPLE.seed, account, region, h, 2);
          for (const f of flows) {
            const r = f.record as {
              action: string;
              dst_endpoint: { port: number };
              src_endpoint: { ip: string };
              traffic: { bytes: number };
            };
            if (r.action === 'Denied')
              rejectedByPort[r.dst_endpoint.port] = (rejectedByPort[r.dst_endpoint.port] ?? 0) + 1;
            else bytesBySource[r.src_endpoint.ip] = (bytesBySource[r.src_endpoint.ip] ?? 0) + r.traffic.bytes;
          }
          for (const q of dns) {
            const name = (q.record as { query: { hostname: string } }).query.hostname;
            names[name] = (names[name] ?? 0) + 1;
          }
        }
    const ports = await rows(engines.both, rejected);
    expect(Object.fromEntries(ports.map((r) => [String(r.dst_port), Number(r.rejected_flows)]))).toEqual(
      rejectedByPort,
    );
    const top = await rows(engines.both, topTalkers, { ...WINDOW, limit: 3 });
    const expectedTop = Object.entries(bytesBySource)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 3);
    expect(top.map((r) => [r.src_ip, Number(r.bytes)])).toEqual(expectedTop);
    const rare = await rows(engines.both, rareDns, { ...WINDOW, 'max-queries': 2 });
    const expectedRare = Object.entries(names)
      .filter(([, n]) => n <= 2)
      .map(([name]) => name)
      .sort();
    expect(rare.map((r) => r.query_hostname).sort()).toEqual(expectedRare);
    expect(expectedRare.length).toBeGreaterThan(0);
  });

  it('Identity Center churn from Security Lake has the rows of identity-center/instance-churn over the same events', async () => {
    const fromTrail = await rows(trail, cloudTrailChurn);
    expect(fromTrail.length).toBeGreaterThan(0);
    for (const versions of ['1', '2', 'both'] as const) {
      const fromLake = await rows(engines[versions], lakeChurn);
      expect(plain(fromLake), versions).toEqual(plain(fromTrail));
    }
    // The same columns, in the same order.
    const a = await runQuery(trail, cloudTrailChurn, WINDOW);
    const b = await runQuery(engines.both, lakeChurn, WINDOW);
    expect(b.columns.map((c) => c.name)).toEqual(a.columns.map((c) => c.name));
  });

  it('API errors, root activity, sign-ins without MFA and IAM and security group changes match the CloudTrail records', async () => {
    const ctx = createSampleContext({ out: '', ...SAMPLE });
    const records: Record<string, unknown>[] = [];
    for (const a of ctx.estate.accounts)
      for (const region of REGIONS)
        for (let h = T0; h < T1; h += HOUR)
          for (const r of generateHourRecords(ctx, a.index, region, new Date(h))) records.push(r.record);
    type Rec = {
      eventName: string;
      eventSource: string;
      errorCode?: string;
      userIdentity: { type?: string; arn?: string };
      additionalEventData?: { MFAUsed?: string };
      responseElements?: { ConsoleLogin?: string } | null;
    };
    const all = records as unknown as Rec[];
    const errors: Record<string, number> = {};
    for (const r of all)
      if (r.errorCode && classOf(r as never) === 3005) {
        const k = `${r.userIdentity.arn ?? null}|${r.userIdentity.type ?? null}|${r.errorCode}`;
        errors[k] = (errors[k] ?? 0) + 1;
      }
    const gotErrors = await rows(engines.both, apiErrors, { ...WINDOW, limit: 100_000 });
    expect(
      Object.fromEntries(
        gotErrors.map((r) => [`${r.principal_arn}|${r.principal_type}|${r.error_code}`, Number(r.errors)]),
      ),
    ).toEqual(errors);

    const root = all.filter((r) => r.userIdentity.type === 'Root').length;
    const gotRoot = await rows(engines.both, rootActivity);
    expect(gotRoot.reduce((n, r) => n + Number(r.calls), 0)).toBe(root);
    expect(root).toBeGreaterThan(0);

    const noMfa = all.filter(
      (r) =>
        r.eventName === 'ConsoleLogin' &&
        r.additionalEventData?.MFAUsed === 'No' &&
        r.responseElements?.ConsoleLogin !== 'Failure' &&
        !r.errorCode,
    ).length;
    const gotSignIns = await rows(engines.both, signIns);
    expect(gotSignIns.reduce((n, r) => n + Number(r.sign_ins), 0)).toBe(noMfa);

    const sg =
      /^(Authorize|Revoke)SecurityGroup(Ingress|Egress)$|^(Create|Delete)SecurityGroup$|^ModifySecurityGroupRules$/;
    const iam =
      /^(Attach|Detach|Put|Delete)(Role|User)Policy$|^(CreatePolicyVersion|CreatePolicy|DeletePolicy|SetDefaultPolicyVersion|UpdateAssumeRolePolicy)$/;
    const expectedChanges = all.filter(
      (r) =>
        (r.eventSource === 'ec2.amazonaws.com' && sg.test(r.eventName)) ||
        (r.eventSource === 'iam.amazonaws.com' && iam.test(r.eventName)),
    );
    const gotChanges = await rows(engines.both, changes);
    expect(gotChanges.map((r) => r.operation).sort()).toEqual(expectedChanges.map((r) => r.eventName).sort());
    expect(gotChanges.length).toBeGreaterThan(0);
  });

  it('one query gives the same answer over version 1, version 2, and a lake of both', async () => {
    for (const query of [bySeverity, byControl, rejected, lakeChurn, apiErrors, signIns]) {
      const [v1, v2, both] = await Promise.all([
        rows(engines['1'], query),
        rows(engines['2'], query),
        rows(engines.both, query),
      ]);
      expect(plain(v1), query.id).toEqual(plain(v2));
      expect(plain(both), query.id).toEqual(plain(v1));
      expect(v1.length, query.id).toBeGreaterThan(0);
    }
  });
});
