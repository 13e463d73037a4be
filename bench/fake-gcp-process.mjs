// The fake Google Cloud of the bench's GCP case, in a process of its own (forked by
// audit-gcp-case.mjs): the audit measured then shares its event loop and its CPU time with nothing
// but itself, as it would against Google. Messages: the fake's options in; `{url, timeOrigin}` out;
// then 'requests' (answered with the request log) and 'close'.
import { startFakeGcp } from '../test/helpers/fake-gcp.mjs';

process.once('message', async (options) => {
  const fake = await startFakeGcp(options);
  process.on('message', async (message) => {
    if (message === 'requests') process.send({ requests: fake.requests });
    if (message === 'close') {
      await fake.close();
      process.disconnect();
    }
  });
  process.send({ url: fake.url, timeOrigin: performance.timeOrigin });
});
