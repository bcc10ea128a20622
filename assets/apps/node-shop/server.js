'use strict';

// shop-api: the sample application the node-shop sandbox scenario's instance runs.
// Only Node's built-in modules are used, so `npm ci` needs no network.

const http = require('node:http');
const { name, version } = require('./package.json');

const port = Number(process.env.PORT || 3000);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`invalid PORT ${JSON.stringify(process.env.PORT)}: expected a number from 1 to 65535`);
  process.exit(1);
}

const products = [
  { id: 'sku-1001', name: 'Canvas tote bag', price: 18.5, currency: 'USD', in_stock: true },
  { id: 'sku-1002', name: 'Enamel camping mug', price: 12.0, currency: 'USD', in_stock: true },
  { id: 'sku-1003', name: 'Wool beanie', price: 24.0, currency: 'USD', in_stock: false },
];

// Whether each setting is present. Values are never read into a response or a log line.
function configured() {
  const isSet = (key) => typeof process.env[key] === 'string' && process.env[key] !== '';
  return {
    database: isSet('DATABASE_URL'),
    redis: isSet('REDIS_URL'),
    session_secret: isSet('SESSION_SECRET'),
  };
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function route(method, path) {
  if (method === 'GET' && path === '/healthz') {
    return [200, { status: 'ok' }];
  }
  if (method === 'GET' && path === '/') {
    return [200, {
      name,
      version,
      description: 'A small shop API serving a product catalogue',
      node: process.version,
      configured: configured(),
    }];
  }
  if (method === 'GET' && path === '/products') {
    return [200, products];
  }
  return [404, { error: 'not found', method, path }];
}

const server = http.createServer((req, res) => {
  // The path without its query string: query strings can carry tokens, so they are not logged.
  const path = new URL(req.url || '/', 'http://localhost').pathname;
  let status;
  let body;
  try {
    [status, body] = route(req.method, path);
  } catch (err) {
    console.error(`error handling ${req.method} ${path}: ${err.message}`);
    [status, body] = [500, { error: 'internal error' }];
  }
  send(res, status, body);
  console.log(`${req.method} ${path} ${status}`);
});

server.listen(port, () => {
  console.log(`${name} listening on ${port}`);
});

// Containers get SIGTERM when they are stopped: stop accepting connections, finish the
// requests in flight, then exit 0. Ctrl-C (SIGINT) does the same when run by hand.
function shutdown(signal) {
  console.log(`${signal} received, closing the server`);
  server.close((err) => {
    if (err) {
      console.error(`error while closing: ${err.message}`);
      process.exit(1);
    }
    process.exit(0);
  });
  // Idle keep-alive connections would hold close() open; drop them now.
  server.closeIdleConnections();
  // Do not outlive the container's stop timeout because of a stuck client.
  setTimeout(() => process.exit(0), 5000).unref();
}

process.once('SIGTERM', () => shutdown('SIGTERM'));
process.once('SIGINT', () => shutdown('SIGINT'));
