import { reportHtml } from './report-page.js';
import type { RunRecord } from './run-record.js';

const record: RunRecord = {
  folder: '/runs/a<b>',
  name: 'plain & simple',
  status: 'completed',
  stages: [{ index: 0, name: 'train', type: 'trainer.Train' }],
  losses: [],
  validation: [],
  best: new Map(),
  guardRails: [],
  otherMetrics: new Map([[0, { 'train.images': 8 }]]),
  checkpoints: [],
};

describe('reportHtml', () => {
  it('a run without a teacher, validation or plots: no guard rails, training or evaluation section, names escaped', () => {
    const html = reportHtml({ record, models: [{ model: 'student after train (trainer.Train)', parameters: 1785565, bytes: 7182540 }], plots: [], generatedAt: 'now' });
    expect(html).not.toContain('guard-rails');
    expect(html).not.toContain('id="training"');
    expect(html).not.toContain('id="evaluation"');
    expect(html).toContain('<h1>plain &amp; simple</h1>');
    expect(html).toContain('<code>/runs/a&lt;b&gt;</code>');
    expect(html).toContain('<tr><td>student after train (trainer.Train)</td><td>—</td><td>—</td><td>1,785,565</td><td>6.85 MiB</td></tr>');
    expect(html).toContain('<tr><td>train</td><td>train.images</td><td>8</td></tr>');
    // Self-contained: nothing fetched.
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
  });

  it('says why the final student was not evaluated', () => {
    const html = reportHtml({ record, models: [], plots: [], evaluation: { skipped: 'no checkpoint was saved' }, generatedAt: 'now' });
    expect(html).toContain('Not evaluated: no checkpoint was saved');
    expect(html).not.toContain('before-after');
  });

  it('shows the guard rails: teacher, student before, their difference, the weights and batch dependence', () => {
    const html = reportHtml({
      record: { ...record, guardRails: [{ stage: 0, teacher: { map50: 0.75, map: 0.5, fitness: 0.525 }, student: { map50: 0.5, map: 0.25 }, check: { teacher: 't', student: 's', weightsSource: null, batchDependence: 1.5e-7 } }] },
      models: [],
      plots: [],
      generatedAt: 'now',
    });
    expect(html).toContain('<tr><td>map50</td><td>0.7500</td><td>0.5000</td><td>0.2500</td></tr>');
    expect(html).toContain('<tr><td>fitness</td><td>0.5250</td><td>—</td><td>—</td></tr>');
    expect(html).toContain('never loaded (freshly initialised)');
    expect(html).toContain('1.50e-7');
  });
});
