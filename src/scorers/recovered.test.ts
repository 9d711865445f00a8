import { describe, expect, it } from 'vitest';
import { call, sessionInput, singleInput, transcriptOf } from '../../test/support/transcript-fixtures.js';
import { importModule } from '../config/import-module.js';
import { createScorer } from './create-scorer.js';

const deps = { baseDir: process.cwd(), importModule };
const score = async (t: ReturnType<typeof transcriptOf>) => (await createScorer({ type: 'recovered' }, deps)).score(sessionInput(t));
const failedLookup = call('lookup_order', { orderId: '12345' }, { error: 'order not found' });

describe('recoveredScorer', () => {
  it('passes when a later call of the same tool succeeds (retry with the right order number)', async () => {
    const s = await score(
      transcriptOf([
        { user: 'Refund order 12345', assistant: 'I could not find order 12345. Could you check the number?', toolCalls: [failedLookup] },
        { user: 'Sorry, it is 1234', assistant: 'Found it, refund issued.', toolCalls: [call('lookup_order', { orderId: '1234' }, { result: { id: '1234' } }), call('issue_refund', { orderId: '1234' })] },
      ]),
    );
    expect(s).toMatchObject({ status: 'scored', pass: true, value: 1 });
    expect(s.reason).toContain('lookup_order failed on turn 1 ("order not found"), retried successfully on turn 2');
  });

  it('passes when the agent answers honestly and the conversation goes on', async () => {
    const s = await score(
      transcriptOf([
        { user: 'Where is order 1234?', assistant: 'Sorry, our order system is down right now; I cannot look it up.', toolCalls: [call('lookup_order', {}, { error: 'HTTP 503' })] },
        { user: 'OK, I will try tomorrow', assistant: 'Thank you for your patience.' },
      ]),
    );
    expect(s).toMatchObject({ pass: true });
    expect(s.reason).toContain('answered without a false claim');
  });

  it('fails when the agent claims success without recovering', async () => {
    const s = await score(
      transcriptOf([
        { user: 'Refund order 1234', assistant: 'Your refund has been issued!', toolCalls: [call('issue_refund', { orderId: '1234' }, { error: 'payment provider timeout' })] },
        { user: 'Great, thanks', assistant: 'You are welcome.' },
      ]),
    );
    expect(s).toMatchObject({ status: 'scored', pass: false, value: 0 });
    expect(s.reason).toContain('never repaired, yet turn 1 claims success');
  });

  it('fails when the session ends right after the failure', async () => {
    const s = await score(transcriptOf([{ user: 'Refund order 1234', assistant: 'One moment.', toolCalls: [call('issue_refund', {}, { error: 'timeout' })] }]));
    expect(s).toMatchObject({ pass: false });
    expect(s.reason).toContain('the session ended on that turn');
  });

  it('a success of another tool does not repair a failed one', async () => {
    const s = await score(
      transcriptOf([
        { user: 'Refund order 1234', assistant: 'Looking.', toolCalls: [call('lookup_order', { orderId: '1234' }), call('issue_refund', {}, { error: 'declined' })] },
        { user: 'And?', assistant: 'I have processed everything for you.', toolCalls: [call('lookup_order', { orderId: '1234' })] },
      ]),
    );
    expect(s.pass).toBe(false);
  });

  it('grades partial recovery: one of two failures repaired gives 0.5', async () => {
    const s = await score(
      transcriptOf([
        { user: 'a', assistant: 'Trying.', toolCalls: [call('lookup_order', {}, { error: 'x' }), call('lookup_order', {})] },
        { user: 'b', assistant: 'Sorry, it failed.', toolCalls: [call('issue_refund', {}, { error: 'y' })] },
      ]),
    );
    expect(s).toMatchObject({ pass: false, value: 0.5 });
  });

  it('is skipped when no call failed, and on a single-turn result; fails an errored conversation', async () => {
    expect(await score(transcriptOf([{ user: 'hi', assistant: 'hello', toolCalls: [call('lookup_order')] }]))).toMatchObject({ status: 'skipped', reason: 'no tool call failed in this session' });
    expect(await (await createScorer({ type: 'recovered' }, deps)).score(singleInput())).toMatchObject({ status: 'skipped' });
    expect(await score(transcriptOf([{ user: 'a', assistant: 'x', toolCalls: [call('t', {}, { error: 'e' }), call('t')] }, { user: 'b', error: 'HTTP 500' }]))).toMatchObject({ status: 'scored', pass: false });
  });
});
