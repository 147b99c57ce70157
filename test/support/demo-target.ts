import { serviceTarget, type DemoTarget } from '../../apps/api/src/seed/demo-runner.js';
import type { TestApp } from './test-app.js';

/** The demo seed's target in a test: the test app's service, over its HTTP server (supertest). */
export function demoTarget(app: TestApp): DemoTarget {
  return serviceTarget(app.service.app, app.gql, async (media, apiKey) => {
    const response = await app
      .http()
      .post('/media')
      .set('authorization', `Bearer ${apiKey}`)
      .attach('file', media.bytes, { filename: media.fileName, contentType: media.contentType });
    if (response.status !== 201 && response.status !== 200) throw new Error(`upload failed: ${response.status} ${JSON.stringify(response.body)}`);
    return (response.body as { sha256: string }).sha256;
  });
}
