/**
 * Every row of the multi-team filtering table (Airflow 3.3 docs, seed 001, including the
 * allow_global rows) plus the producer-side consumer_teams rules (facts §5). "(any)" cells are
 * expanded: the row must hold for every value of that column.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isEventDelivered, assetDeliveryByKey, assetSettings, type DeliveryInput } from '../../../server/src/engine/assetDelivery';

type Any = 'any';
interface Row { producer: string | null; kind: 'dag' | 'api'; consumer: string | null; producerTeams: string[] | Any; allowGlobal: boolean | Any; delivered: boolean; reason: string }

// Producer | Consumer | producer_teams | allow_global | Result | Reason
const consumerSideTable: Row[] = [
  { producer: 'team_a', kind: 'dag', consumer: 'team_a', producerTeams: 'any', allowGlobal: 'any', delivered: true, reason: 'Same team' },
  { producer: 'team_a', kind: 'dag', consumer: 'team_b', producerTeams: [], allowGlobal: 'any', delivered: false, reason: 'Different team, no opt-in' },
  { producer: 'team_a', kind: 'dag', consumer: 'team_b', producerTeams: ['team_a'], allowGlobal: 'any', delivered: true, reason: 'Cross-team opt-in' },
  { producer: null, kind: 'dag', consumer: 'team_b', producerTeams: 'any', allowGlobal: true, delivered: true, reason: 'Global producer, allow_global is True' },
  { producer: null, kind: 'dag', consumer: 'team_b', producerTeams: 'any', allowGlobal: false, delivered: false, reason: 'Global producer blocked by allow_global=False' },
  { producer: 'team_a', kind: 'dag', consumer: null, producerTeams: 'any', allowGlobal: 'any', delivered: true, reason: 'Teamless consumer accepts events from any' },
  { producer: null, kind: 'dag', consumer: null, producerTeams: 'any', allowGlobal: 'any', delivered: true, reason: '' },
  { producer: 'team_a', kind: 'api', consumer: 'team_a', producerTeams: 'any', allowGlobal: 'any', delivered: true, reason: 'Same team' },
  { producer: 'team_a', kind: 'api', consumer: 'team_b', producerTeams: ['team_a'], allowGlobal: 'any', delivered: true, reason: 'Cross-team opt-in' },
  { producer: 'team_a', kind: 'api', consumer: null, producerTeams: 'any', allowGlobal: 'any', delivered: true, reason: 'Teamless consumer accepts events from any source' },
  { producer: null, kind: 'api', consumer: 'team_b', producerTeams: 'any', allowGlobal: 'any', delivered: false, reason: 'Teamless API user cannot trigger team-bound consumer' },
  { producer: null, kind: 'api', consumer: null, producerTeams: 'any', allowGlobal: 'any', delivered: true, reason: '' },
];

const anyTeams: string[][] = [[], ['team_a'], ['team_c'], ['team_a', 'team_b']];
const expand = <T>(v: T | Any, all: T[]): T[] => (v === 'any' ? all : [v]);

describe('asset event delivery: the multi-team filtering table', () => {
  consumerSideTable.forEach((row, i) => {
    test(`row ${i + 1}: ${row.producer ?? '(no team)'} (${row.kind}) -> ${row.consumer ?? '(no team)'}: ${row.delivered ? 'allowed' : 'blocked'}`, () => {
      for (const producerTeams of expand(row.producerTeams, anyTeams)) {
        for (const allowGlobal of expand(row.allowGlobal, [true, false])) {
          const input: DeliveryInput = { multiTeam: true, producerTeam: row.producer, producerKind: row.kind, consumerTeam: row.consumer,
            producerTeams, allowGlobal, consumerTeams: null, allowGlobalConsumers: true };
          const r = isEventDelivered(input);
          assert.equal(r.delivered, row.delivered, JSON.stringify({ producerTeams, allowGlobal }));
          assert.ok(r.reason.includes(row.reason), `reason '${r.reason}' should mention '${row.reason}'`);
        }
      }
    });
  });

  test('multi-team disabled: everything is delivered, whatever the settings', () => {
    const r = isEventDelivered({ multiTeam: false, producerTeam: null, producerKind: 'api', consumerTeam: 'team_b', producerTeams: [],
      allowGlobal: false, consumerTeams: [], allowGlobalConsumers: false });
    assert.deepEqual(r, { delivered: true, reason: 'Multi-team disabled: no filtering' });
  });
});

describe('asset event delivery: the producer-side consumer_teams check (AND)', () => {
  const base: DeliveryInput = { multiTeam: true, producerTeam: 'team_a', producerKind: 'dag', consumerTeam: 'team_b', producerTeams: ['team_a'],
    allowGlobal: true, consumerTeams: null, allowGlobalConsumers: true };
  const rows: [string, Partial<DeliveryInput>, boolean][] = [
    ['consumer_teams None: no consumer filtering', { consumerTeams: null }, true],
    ['consumer_teams lists the consumer team', { consumerTeams: ['team_b'] }, true],
    ['consumer_teams does not list the consumer team', { consumerTeams: ['team_c'] }, false],
    ['consumer_teams [] blocks other teams', { consumerTeams: [] }, false],
    ["own team passes even with [] and allow_global False", { consumerTeam: 'team_a', consumerTeams: [], allowGlobalConsumers: false }, true],
    ['teamless consumer with allow_global True', { consumerTeam: null, consumerTeams: null, allowGlobalConsumers: true }, true],
    ['teamless consumer blocked by allow_global False even with consumer_teams None', { consumerTeam: null, consumerTeams: null, allowGlobalConsumers: false }, false],
    ['both checks must pass: producer allows, consumer does not', { producerTeams: [], consumerTeams: ['team_b'] }, false],
  ];
  for (const [name, over, delivered] of rows) {
    test(name, () => assert.equal(isEventDelivered({ ...base, ...over }).delivered, delivered));
  }
});

test('assetDeliveryByKey: which teams may trigger each consumer, and the actual producer edges', () => {
  const strict = { producerTeams: ['team_analytics'], allowGlobal: false, consumerTeams: null };
  const open = assetSettings(null);
  const reports = assetDeliveryByKey(true,
    [{ dagId: 'produce_sales', team: 'team_analytics', assetKey: 'sales', settings: open },
      { dagId: 'global_loader', team: null, assetKey: 'sales', settings: open }],
    [{ dagId: 'train_model', team: 'team_ml', assetKey: 'sales', settings: strict }],
    ['team_analytics', 'team_ml', 'team_ops']);
  const r = reports.get('sales')!;
  assert.deepEqual(r.acceptedTeams.train_model, ['team_analytics', 'team_ml']);
  assert.deepEqual(r.edges.map((e) => [e.producer, e.delivered]), [['produce_sales', true], ['global_loader', false]]);
});
