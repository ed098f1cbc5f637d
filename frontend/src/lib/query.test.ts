import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { etagKey, invalidate, ok, withEtag } from './query';

const response = (status: number, etag?: string) => new Response(null, { status, headers: etag ? { ETag: etag } : {} });

describe('versioned reads', () => {
  it('keep the ETag next to the data, for a later If-Match', async () => {
    await expect(withEtag(Promise.resolve({ data: { id: 'p' }, response: response(200, '"7"') }))).resolves.toEqual({ item: { id: 'p' }, etag: '"7"' });
  });
  it('throw the problem, so the query shows it in words', async () => {
    const problem = { status: 404, code: 'not-found' };
    await expect(withEtag(Promise.resolve({ error: problem, response: response(404) }))).rejects.toBe(problem);
    await expect(ok(Promise.resolve({ error: { status: 412, code: 'precondition-failed' } }))).rejects.toEqual({ status: 412, code: 'precondition-failed' });
    await expect(ok(Promise.resolve({ data: 1 }))).resolves.toBe(1);
  });
});

describe('invalidate', () => {
  it('marks stale every query under a path template, and nothing else', async () => {
    const qc = new QueryClient();
    const plan = ['get', '/api/v1/orgs/{org}/action-plans/{id}', { params: { path: { org: 'bb', id: 'p' } } }];
    const versioned = etagKey('/api/v1/orgs/{org}/action-plans/{id}', { params: { path: { org: 'bb', id: 'p' } } });
    const meetings = ['get', '/api/v1/orgs/{org}/meetings', { params: { path: { org: 'bb' } } }];
    for (const key of [plan, versioned, meetings]) qc.setQueryData(key, {});
    await invalidate(qc, '/api/v1/orgs/{org}/action-plans');
    expect(qc.getQueryState(plan)?.isInvalidated).toBe(true);
    expect(qc.getQueryState(versioned)?.isInvalidated).toBe(true);
    expect(qc.getQueryState(meetings)?.isInvalidated).toBe(false);
  });
});
