import { describe, expect, it } from 'vitest';
import { columnsRead } from '../../src/engines/duckdb/duckdb-columns-read.ts';

const options = {
  relations: ['events_raw', 'raw'],
  columns: ['eventName', 'eventSource', 'errorCode', 'userIdentity', 'eventTime'],
  rowName: 'r',
};
const read = (sql: string) => {
  const got = columnsRead(sql, options);
  return got === undefined ? 'any' : [...got].sort();
};

describe('the columns a statement over the raw views reads', () => {
  it('are the columns it names, quoted or not, in any case, wherever they are', () => {
    expect(
      read(`SELECT count_if(eventName = 'CreateInstance') AS created FROM events_raw
        WHERE "eventSource" = 'sso.amazonaws.com' AND ERRORCODE IS NULL`),
    ).toEqual(['errorCode', 'eventName', 'eventSource']);
    expect(read('select useridentity.arn from events_raw e where e.eventtime > now()')).toEqual([
      'eventTime',
      'userIdentity',
    ]);
    expect(read('select r.eventName from raw')).toEqual(['eventName']);
    expect(read('select count(*) as n from events_raw')).toEqual([]);
    // A string is not a name.
    expect(read(`select eventName from events_raw where eventName = 'errorCode'`)).toEqual(['eventName']);
  });

  it('are any column for what may read columns it does not name', () => {
    for (const sql of [
      'select * from events_raw',
      'select e.* from events_raw e',
      'select eventName from (select * from events_raw)',
      'select r from raw',
      'select t.r from raw t',
      `select r['eventName'] from raw`,
      'select to_json(e) from events_raw e',
      'select e from events_raw as e',
      "select columns('event.*') from events_raw",
      'select eventName from events_raw natural join other',
      'from events_raw',
      'summarize events_raw',
      'describe events_raw',
      'pivot events_raw on eventName',
      'insert into t select eventName from events_raw',
      'explain select eventName from events_raw',
      'select eventName, count(*) as n from events_raw group by eventName order by n',
      'select $path from events_raw',
      "select eventName from events_raw where errorCode = 'unterminated",
    ]) {
      expect(read(sql), sql).toBe('any');
    }
  });

  it('are any column for a statement that does not name the raw views (it may read them through others)', () => {
    expect(read('select eventName from cloudtrail_events')).toBe('any');
  });
});
