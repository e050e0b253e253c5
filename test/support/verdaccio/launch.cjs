// Runs Verdaccio in a child process for the tests: `node launch.cjs <verdaccio module dir> <config.yaml>`.
// Listens on 127.0.0.1 and a free port, and prints one JSON line `{"port":N}` when it accepts connections.
'use strict';

const [modulePath, configPath] = process.argv.slice(2);
const { runServer } = require(modulePath);

runServer(configPath).then(
  (server) => {
    server.listen(0, '127.0.0.1', () => {
      process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
    });
    const stop = () => server.close(() => process.exit(0));
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  },
  (error) => {
    process.stderr.write(`verdaccio failed to start: ${error && error.stack ? error.stack : error}\n`);
    process.exit(1);
  },
);
